/** Writing a report to a file (`--output-file`, `--write-baseline`). */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { InputError } from "../api/index.js";

export function writeOutput(file: string, text: string, cwd: string): void {
  const abs = resolve(cwd, file);
  try {
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, text);
  } catch (e) {
    throw new InputError(`${file}: cannot write (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}
