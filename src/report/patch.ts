/**
 * `--format patch`: the proven fixes as one unified diff (jsdiff's `createTwoFilesPatch`), one
 * file after another in the run's file order, `a/PATH` → `b/PATH` as git writes them, so it
 * applies with `git apply` or `patch -p1`. Line endings are kept in the lines (a CRLF file's
 * patch carries its CRs).
 */
import { createTwoFilesPatch } from "diff";

export interface PatchFile {
  path: string;
  old: string;
  new: string;
}

export function formatPatch(files: readonly PatchFile[]): string {
  let out = "";
  for (const f of files) {
    if (f.old === f.new) continue;
    const p = f.path.split("\\").join("/");
    // jsdiff starts with an "Index:"/"====" header; git and patch need only the ---/+++ lines
    out += createTwoFilesPatch(`a/${p}`, `b/${p}`, f.old, f.new, undefined, undefined, { context: 3 }).replace(/^={3,}\n/m, "");
  }
  return out;
}
