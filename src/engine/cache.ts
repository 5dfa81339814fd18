/**
 * `--cache`: each file's outcome, kept between runs under a key made of the file's content hash,
 * its effective settings, the rules and the natlint version (./lint-file.ts `fileKey`), so a hit
 * can only ever give what a fresh run would. One file (default `.natlintcache` in `cwd`), a line
 * per linted file (see `FORMAT`), written atomically (temporary file, then rename); entries of
 * files this run did not see are kept. A cache that cannot be read or has another format is
 * ignored and rewritten.
 */
import { isAscii } from "node:buffer";
import { mkdirSync, readFileSync, renameSync, statSync } from "node:fs";
import path from "node:path";
import { InputError } from "../core/errors.js";
import { FileWriter } from "../io/write.js";
import type { FileOutcome } from "./lint-file.js";

export const CACHE_FILE_NAME = ".natlintcache";
/**
 * Format 2: a header line `{"format":2}`, then one line per file: its name (a JSON string), a tab,
 * its key, a tab, its outcome (JSON). A fleet's cache outgrows the longest string V8 can make
 * (about 512 MiB: some 5,000 files with their fixes), so it is never read or written as one
 * string; an outcome is parsed only when its file is linted again with the same key, and the
 * entries of files this run did not see are written back as they were read. An outcome is written
 * in ASCII (every other UTF-16 unit as a `\uXXXX` escape: the same JSON value), so it is read back
 * as Latin-1 bytes into a one-byte string: a fleet's warm run decodes and parses its entries in
 * about half the time a UTF-8 line with a "→" in it takes (decoded into a two-byte string). An
 * entry with other bytes (written before) is read as UTF-8.
 */
const FORMAT = 2;
const HEADER = `{"format":${FORMAT}}`;

interface Entry {
  key: string;
  outcome?: FileOutcome;
  /** The outcome's JSON as read, until it is asked for. */
  raw?: Buffer;
}

/** The cache file for `--cache-location` (a file, or a directory: `.natlintcache` inside it). */
export function cacheFile(location: string | undefined, cwd: string): string {
  if (location === undefined) return path.join(cwd, CACHE_FILE_NAME);
  const abs = path.resolve(cwd, location);
  if (/[\\/]$/.test(location)) return path.join(abs, CACHE_FILE_NAME);
  try {
    if (statSync(abs).isDirectory()) return path.join(abs, CACHE_FILE_NAME);
  } catch {
    // a file that does not exist yet
  }
  return abs;
}

/** `JSON.stringify(v)` in ASCII: each UTF-16 unit from U+007F up as its `\uXXXX` escape. */
export function asciiJson(v: unknown): string {
  return JSON.stringify(v).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

const NL = 0x0a;
const TAB = 0x09;

/** The entries of a format-2 cache file's bytes; undefined when they are not one. */
function readEntries(buf: Buffer): Map<string, Entry> | undefined {
  const first = buf.indexOf(NL);
  if (first < 0 || buf.toString("utf8", 0, first) !== HEADER) return undefined;
  const entries = new Map<string, Entry>();
  for (let at = first + 1; at < buf.length; ) {
    let end = buf.indexOf(NL, at);
    if (end < 0) end = buf.length;
    const t1 = buf.indexOf(TAB, at);
    const t2 = t1 < 0 ? -1 : buf.indexOf(TAB, t1 + 1);
    if (t1 < 0 || t2 < 0 || t2 >= end) return undefined;
    const name: unknown = JSON.parse(buf.toString("utf8", at, t1));
    if (typeof name !== "string") return undefined;
    entries.set(name, { key: buf.toString("utf8", t1 + 1, t2), raw: buf.subarray(t2 + 1, end) });
    at = end + 1;
  }
  return entries;
}

export class LintCache {
  private entries = new Map<string, Entry>();
  private dirty = false;
  hits = 0;
  misses = 0;

  constructor(readonly file: string) {
    try {
      this.entries = readEntries(readFileSync(file)) ?? new Map();
    } catch {
      // no cache yet, or not ours (another format, a damaged line): start empty
      this.entries = new Map();
    }
  }

  get(name: string, key: string): FileOutcome | undefined {
    const e = this.entries.get(name);
    if (e && e.key === key) {
      try {
        e.outcome ??= JSON.parse(e.raw!.toString(isAscii(e.raw!) ? "latin1" : "utf8")) as FileOutcome;
      } catch {
        // a damaged entry: linted again and rewritten
        this.entries.delete(name);
        this.misses++;
        return undefined;
      }
      this.hits++;
      return e.outcome;
    }
    this.misses++;
    return undefined;
  }

  set(name: string, key: string, outcome: FileOutcome): void {
    this.entries.set(name, { key, outcome });
    this.dirty = true;
  }

  save(): void {
    if (!this.dirty) return;
    const names = [...this.entries.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const tmp = `${this.file}.${process.pid}.tmp`;
    try {
      mkdirSync(path.dirname(this.file), { recursive: true });
      // written in pieces (../io/write.ts), never as one string
      const w = new FileWriter(tmp);
      try {
        w.write(`${HEADER}\n`);
        for (const name of names) {
          const e = this.entries.get(name)!;
          w.write(`${JSON.stringify(name)}\t${e.key}\t`);
          w.write(e.raw ?? asciiJson(e.outcome));
          w.write("\n");
        }
      } finally {
        w.close();
      }
      renameSync(tmp, this.file);
    } catch (e) {
      throw new InputError(`${this.file}: cannot write the cache (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
  }
}
