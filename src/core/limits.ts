/**
 * Resource limits as policy: what natlint does with input too large to analyse whole. Each limit
 * has a default, a `lint` flag and a key under `limits` in the config file; reaching one is a
 * finding at the line (or file) it concerns, never a changed verdict, a hang or an abort:
 *
 * | limit            | default     | flag                      | config key               | reached                                      |
 * |------------------|-------------|---------------------------|--------------------------|----------------------------------------------|
 * | file size        | 64 MiB      | `--max-file-size`         | `limits.fileSize`        | the file is not read: `unsupported-input`    |
 * | line length      | 65,536      | `--max-line-length`       | `limits.lineLength`      | the line is not analysed: `unrecognized-syntax` (limit) |
 * | nesting depth    | 1,000       | `--max-nesting-depth`     | `limits.nestingDepth`    | the group reference is left out, users approximate: `unrecognized-syntax` (limit) |
 * | findings per file| 10,000      | `--max-findings-per-file` | `limits.findingsPerFile` | the rest is one finding that counts them     |
 * | BDD node budget  | 2^28 nodes  | `--max-bdd-nodes`         | `limits.bddNodes`        | the packet-set rules stop for that file: `unrecognized-syntax` (limit) |
 *
 * And the heap: before it runs out (V8 aborts with a native stack), natlint stops cleanly with
 * one line and exit 2 (`watchHeap`, tested through the binary with a small `--max-old-space-size`).
 */
import { getHeapStatistics, setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { NatlintError } from "./errors.js";

export interface Limits {
  /** Bytes of one config file (or standard input). */
  fileSize: number;
  /** Characters of one line. */
  lineLength: number;
  /** Levels of object-group nesting below one group. */
  nestingDepth: number;
  /** Findings listed for one file. */
  findingsPerFile: number;
  /** Nodes of the packet-set (BDD) analysis of one file. */
  bddNodes: number;
}

export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({
  fileSize: 64 * 1024 * 1024,
  lineLength: 65_536,
  nestingDepth: 1_000,
  findingsPerFile: 10_000,
  bddNodes: 1 << 28,
});

/** The flag of each limit (for messages). */
export const LIMIT_FLAGS: Readonly<Record<keyof Limits, string>> = {
  fileSize: "--max-file-size",
  lineLength: "--max-line-length",
  nestingDepth: "--max-nesting-depth",
  findingsPerFile: "--max-findings-per-file",
  bddNodes: "--max-bdd-nodes",
};

/** The limits in force: the defaults, then the config's, then the flags'. */
export function limitsOf(...layers: Array<Partial<Limits> | undefined>): Limits {
  const out: Limits = { ...DEFAULT_LIMITS };
  for (const l of layers) if (l) for (const k of Object.keys(l) as Array<keyof Limits>) if (l[k] !== undefined) out[k] = l[k]!;
  return out;
}

/** "64 MiB", "1.5 GiB", "900 bytes". */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} bytes`;
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${Number.isInteger(v) ? v : v.toFixed(1)} ${units[u]}`;
}

/** A size as the flag takes it: `67108864`, `64k`, `64M`, `1G` (binary units). */
export function parseSize(text: string): number | undefined {
  const m = /^(\d+)([kmg]?)(?:i?b)?$/i.exec(text.trim());
  if (!m) return undefined;
  const mult = { "": 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2]!.toLowerCase() as "" | "k" | "m" | "g"];
  const n = Number(m[1]) * mult;
  return Number.isSafeInteger(n) ? n : undefined;
}

/** Thrown when the heap is almost full: the run stops with one line (exit 2). */
export class ResourceError extends NatlintError {
  override name = "NatlintError";
}

/** The heap is almost full (a `ResourceError`); `at` gives the same stop a more precise place. */
export class HeapError extends ResourceError {
  constructor(
    readonly where: string,
    readonly used: number,
    readonly limit: number,
  ) {
    super(`stopped before running out of memory ${where} (heap ${formatBytes(used)} of ${formatBytes(limit)} in use): lint fewer or smaller files at once, lower --max-file-size, or give Node.js more heap (NODE_OPTIONS=--max-old-space-size=8192)`);
  }
  /** The same stop, placed: "while building packet sets" becomes "while checking a.cfg (rule r): while building packet sets". */
  at(outer: string): HeapError {
    return this.where.startsWith(outer) ? this : new HeapError(`${outer}: ${this.where}`, this.used, this.limit);
  }
}

/** The share of V8's heap limit in use above which `watchHeap` stops the run. */
export const HEAP_STOP = 0.9;

let collect: (() => void) | undefined;
/**
 * A full garbage collection, to tell a heap full of live data from one full of garbage not yet
 * collected (V8 collects it before it gives up): only when the heap looks nearly full, so rare.
 */
function collectGarbage(): boolean {
  try {
    if (!collect) {
      setFlagsFromString("--expose-gc");
      collect = runInNewContext("gc") as () => void;
    }
    collect();
    return true;
  } catch {
    return false; // without a collector the measurement stands as it is (a stop, never a wrong verdict)
  }
}

/**
 * Stops the run (a `HeapError`) when the heap is nearly full of live data, so that V8 never
 * aborts with its out-of-memory stack trace. Called between files and rules, every 8,192 lines
 * while reading, and every 65,536 packet-set nodes built (`heapPulse`); `where` says what was
 * being done. Cheap (a couple of microseconds) unless the heap looks full.
 */
export function watchHeap(where: string, stats?: { used_heap_size: number; heap_size_limit: number }): void {
  let s = stats ?? getHeapStatistics();
  if (s.used_heap_size <= stopAt(s.heap_size_limit)) return;
  if (!stats && collectGarbage()) {
    // garbage not yet collected counts in `used_heap_size`: look again after a full collection.
    // The next stop comes only after the heap has grown by the room left above the live data, so
    // the collections forced here cost little unless the live data is close to the limit.
    s = getHeapStatistics();
    if (s.used_heap_size <= stopAt(s.heap_size_limit)) return;
  }
  throw new HeapError(where, s.used_heap_size, oldGenerationLimit(s.heap_size_limit));
}

/** The live data above which the run stops: 90 % of the old generation, and 16 MiB left at least. */
function stopAt(heapSizeLimit: number): number {
  const old = oldGenerationLimit(heapSizeLimit);
  return Math.max(old / 2, Math.min(HEAP_STOP * old, old - 16 * 1024 * 1024));
}

/**
 * What the long-lived data may fill: V8's `heap_size_limit` also counts the young generation
 * (3 semi-spaces of 16 MiB on 64-bit by default), which never holds it, and V8 gives up when
 * the old generation (`--max-old-space-size`) is full — with a 64 MiB old space the limit reads
 * 112 MiB, and 90 % of it would never be reached.
 */
function oldGenerationLimit(heapSizeLimit: number): number {
  return Math.max(heapSizeLimit / 4, heapSizeLimit - 48 * 1024 * 1024);
}
