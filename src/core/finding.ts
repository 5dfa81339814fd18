/** What a lint run reports, and the one order every formatter prints findings in. */

export type Severity = "error" | "warning" | "info";

/** A JSON value (rule details are serialised as they are). */
export type Json = string | number | boolean | null | readonly Json[] | { readonly [key: string]: Json | undefined };

/** Rule-specific machine-readable details of a finding (each check documents its own shape). */
export type FindingDetails = { readonly [key: string]: Json | undefined };

export interface Finding {
  ruleId: string;
  severity: Severity;
  /** The file as given (relative to the run's cwd, or absolute). */
  file: string;
  /** 1-based line. */
  line: number;
  /** 1-based column of the line's first non-blank character (set by the lint run from the file's text). */
  column?: number;
  /** 1-based column just past the line's last non-blank character (exclusive, as SARIF's `endColumn`). */
  endColumn?: number;
  message: string;
  /** The source line the finding points at, trimmed. */
  source?: string;
  /** ACL the finding is about, when there is one. */
  acl?: string;
  /** The check's message id (the key of the message template it used). */
  messageId?: string;
  /**
   * Rule-specific details (`sessions`, `fix`, `reason`, `blockingLines`, …). The JSON formats
   * write them after the fixed keys above, and a detail can never replace a fixed key.
   */
  details?: FindingDetails;
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

/** `compareFindings` with the files given as the keys to compare (e.g. repository-relative paths). */
export function compareFindingsIn(a: Finding, fa: string, b: Finding, fb: string): number {
  return (
    compareStrings(fa, fb) ||
    a.line - b.line ||
    compareStrings(a.ruleId, b.ruleId) ||
    compareStrings(a.message, b.message) ||
    severityRank(a.severity) - severityRank(b.severity)
  );
}

export interface Summary {
  errors: number;
  warnings: number;
  infos: number;
  /** Findings silenced by natlint-disable directives. */
  suppressed?: number;
  /** Findings the baseline accounts for. */
  baselined?: number;
}

export function summarize(findings: readonly Finding[]): Summary {
  const s = { errors: 0, warnings: 0, infos: 0 };
  for (const f of findings) {
    if (f.severity === "error") s.errors++;
    else if (f.severity === "warning") s.warnings++;
    else s.infos++;
  }
  return s;
}

/**
 * A finding as the JSON formats write it: the fixed keys, then the details (a detail named like a
 * fixed key is dropped).
 */
export function findingJson(f: Finding): Record<string, unknown> {
  const out: Record<string, unknown> = { ruleId: f.ruleId, severity: f.severity, file: f.file, line: f.line };
  if (f.column !== undefined) out.column = f.column;
  if (f.endColumn !== undefined) out.endColumn = f.endColumn;
  out.message = f.message;
  if (f.source !== undefined) out.source = f.source;
  if (f.acl !== undefined) out.acl = f.acl;
  for (const [k, v] of Object.entries(f.details ?? {})) if (!(k in out) && !FIXED_KEYS.has(k) && v !== undefined) out[k] = v;
  return out;
}

const FIXED_KEYS = new Set(["ruleId", "severity", "file", "line", "column", "endColumn", "message", "source", "acl", "messageId", "details"]);

/** The columns of a 1-based line of `lines`: first non-blank character and just past the last (1-based, UTF-16 code units). */
export function lineColumns(lines: readonly string[], line: number): { column: number; endColumn: number } | undefined {
  const text = lines[line - 1];
  if (text === undefined) return undefined;
  const start = text.search(/\S/);
  if (start < 0) return { column: 1, endColumn: 1 };
  return { column: start + 1, endColumn: text.trimEnd().length + 1 };
}
