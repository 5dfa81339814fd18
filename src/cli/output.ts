/** Writing a report to a file (`--output-file`, `--write-baseline`). */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { InputError, writePieces } from "../api/index.js";

/**
 * Create the missing folders above `file`, each once, top down. Not `mkdir -p`: Node's recursive
 * mkdir loops forever where a file system answers ENOENT for a folder whose parent exists
 * (procfs: `--output-file /proc/nope/x`).
 */
function makeParents(abs: string): void {
  const missing: string[] = [];
  for (let d = dirname(abs); !existsSync(d); d = dirname(d)) {
    missing.unshift(d);
    if (dirname(d) === d) break;
  }
  for (const d of missing) mkdirSync(d);
}

/** Write `text` (or its pieces, one after the other: a report past V8's longest string) to `file`. */
export function writeOutput(file: string, text: string | Iterable<string>, cwd: string): void {
  const abs = resolve(cwd, file);
  try {
    makeParents(abs);
    if (typeof text === "string") writeFileSync(abs, text);
    else writePieces(abs, text);
  } catch (e) {
    throw new InputError(`${file}: cannot write (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}
