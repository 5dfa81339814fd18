/** Display paths and the repository-relative paths reports use. Pure (no file-system access). */
import path from "node:path";
import { compareFindingsIn, type Finding } from "../core/finding.js";

/**
 * How a file is named in messages and results: relative to `cwd` with forward slashes when it
 * lies inside `cwd`, else the absolute path.
 */
export function displayPath(file: string, cwd: string): string {
  const abs = path.resolve(cwd, file);
  const rel = path.relative(path.resolve(cwd), abs);
  if (rel === "" || rel === ".." || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) return abs;
  return rel.split(path.sep).join("/");
}

/**
 * `file` (as given on the command line: relative to `cwd` or absolute) as a path relative to
 * `cwd` with forward slashes. A file outside `cwd` keeps its `../` prefix.
 */
export function repoRelative(file: string, cwd: string): string {
  const rel = path.relative(path.resolve(cwd), path.resolve(cwd, file));
  return rel.split(path.sep).join("/");
}

/** True when a repo-relative path (from `repoRelative`) lies outside `cwd`. */
export function isOutside(rel: string): boolean {
  return rel === ".." || rel.startsWith("../") || path.isAbsolute(rel) || /^[A-Za-z]:/.test(rel);
}

/**
 * A copy of `findings` in `compareFindings` order, files compared by their path relative to `cwd`
 * (so `a.cfg` and `/repo/a.cfg` sort together). Ties keep input order.
 */
export function sortFindings(findings: readonly Finding[], cwd: string): Finding[] {
  return findings
    .map((f) => ({ f, rel: repoRelative(f.file, cwd) }))
    .sort((a, b) => compareFindingsIn(a.f, a.rel, b.f, b.rel))
    .map((x) => x.f);
}
