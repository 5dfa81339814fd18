/**
 * Path and ordering helpers shared by the config loader, the baseline and the report formatters.
 * Everything here is pure (no file-system access) so formatters stay deterministic.
 */
import path from "node:path";
import type { Finding } from "../checks/types.js";

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

/** Code-unit string comparison (never locale-dependent, so output is stable across machines). */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const SEVERITY_RANK: Record<string, number> = { error: 0, warning: 1, info: 2 };

/** Rank of a severity for sorting: error, warning, info. */
export function severityRank(severity: string): number {
  return SEVERITY_RANK[severity] ?? 3;
}

/** Order findings by file, line, rule id, message, severity (the order every formatter prints in). */
export function compareFindings(a: Finding, b: Finding): number {
  return compareFindingsIn(a, a.file, b, b.file);
}

function compareFindingsIn(a: Finding, fa: string, b: Finding, fb: string): number {
  return (
    compareStrings(fa, fb) ||
    a.line - b.line ||
    compareStrings(a.ruleId, b.ruleId) ||
    compareStrings(a.message, b.message) ||
    severityRank(a.severity) - severityRank(b.severity)
  );
}

/**
 * A copy of `findings` in `compareFindings` order; with `cwd`, files compare by their path relative
 * to `cwd` (so `a.cfg` and `/repo/a.cfg` sort together). Ties keep input order.
 */
export function sortFindings(findings: readonly Finding[], cwd?: string): Finding[] {
  if (cwd === undefined) return [...findings].sort(compareFindings);
  return findings
    .map((f) => ({ f, rel: repoRelative(f.file, cwd) }))
    .sort((a, b) => compareFindingsIn(a.f, a.rel, b.f, b.rel))
    .map((x) => x.f);
}
