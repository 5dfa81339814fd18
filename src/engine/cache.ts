/**
 * `--cache`: each file's outcome, kept between runs under a key made of the file's content hash,
 * its effective settings, the rules and the natlint version (./lint-file.ts `fileKey`), so a hit
 * can only ever give what a fresh run would. One JSON file (default `.natlintcache` in `cwd`),
 * written atomically (temporary file, then rename); entries of files this run did not see are
 * kept. A cache that cannot be read or has another format is ignored and rewritten.
 */
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { InputError } from "../core/errors.js";
import type { FileOutcome } from "./lint-file.js";

export const CACHE_FILE_NAME = ".natlintcache";
const FORMAT = 1;

interface CacheFile {
  format: number;
  entries: Record<string, { key: string; outcome: FileOutcome }>;
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

export class LintCache {
  private data: CacheFile = { format: FORMAT, entries: {} };
  private dirty = false;
  hits = 0;
  misses = 0;

  constructor(readonly file: string) {
    try {
      const d = JSON.parse(readFileSync(file, "utf8")) as CacheFile;
      if (d && d.format === FORMAT && typeof d.entries === "object") this.data = d;
    } catch {
      // no cache yet, or not ours: start empty
    }
  }

  get(name: string, key: string): FileOutcome | undefined {
    const e = this.data.entries[name];
    if (e && e.key === key) {
      this.hits++;
      return e.outcome;
    }
    this.misses++;
    return undefined;
  }

  set(name: string, key: string, outcome: FileOutcome): void {
    this.data.entries[name] = { key, outcome };
    this.dirty = true;
  }

  save(): void {
    if (!this.dirty) return;
    const sorted: CacheFile = { format: FORMAT, entries: Object.fromEntries(Object.entries(this.data.entries).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) };
    const tmp = `${this.file}.${process.pid}.tmp`;
    try {
      mkdirSync(path.dirname(this.file), { recursive: true });
      writeFileSync(tmp, JSON.stringify(sorted));
      renameSync(tmp, this.file);
    } catch (e) {
      throw new InputError(`${this.file}: cannot write the cache (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
  }
}
