/**
 * Baselines: record today's findings so CI only fails on new ones.
 *
 * A finding's key is (rule id, file relative to `cwd` with forward slashes, ACL name, normalized
 * source text) — the line number is deliberately not part of it, so inserting or removing lines
 * above a finding keeps it matched. The normalized source is `finding.source` with whitespace
 * trimmed and collapsed (or, for a finding without `source`, its message). Each entry has a
 * `count`: two identical findings against a baseline entry with count 1 leave one finding kept.
 *
 * File format (`version: 1`), sorted so rewriting an unchanged baseline gives identical bytes:
 *   { "version": 1, "entries": [ { "ruleId", "file", "acl"?, "source", "count" } ] }
 * Paths are relative to the `cwd` given to `writeBaseline`; read it back with the same `cwd`
 * (run natlint from the repository root).
 */
import { compileSchema } from "../core/ajv.js";
import { ConfigError } from "../core/errors.js";
import { parseJsonText } from "../core/json.js";
import { compareStrings, type Finding } from "../core/finding.js";
import { repoRelative } from "../io/paths.js";

export const BASELINE_VERSION = 1;

export interface BaselineEntry {
  ruleId: string;
  file: string;
  acl?: string;
  source: string;
  count: number;
}

export interface BaselineFile {
  version: number;
  entries: BaselineEntry[];
}

const BASELINE_SCHEMA = {
  type: "object",
  required: ["version", "entries"],
  properties: {
    version: { const: BASELINE_VERSION },
    entries: {
      type: "array",
      items: {
        type: "object",
        required: ["ruleId", "file", "source", "count"],
        additionalProperties: false,
        properties: {
          ruleId: { type: "string" },
          file: { type: "string" },
          acl: { type: "string" },
          source: { type: "string" },
          count: { type: "integer", minimum: 1 },
        },
      },
    },
  },
} as const;

function normalize(text: string): string {
  return text.trim().replace(/\s+/g, " ");
}

function entryOf(f: Finding, cwd: string): Omit<BaselineEntry, "count"> {
  const e: Omit<BaselineEntry, "count"> = {
    ruleId: f.ruleId,
    file: repoRelative(f.file, cwd),
    source: normalize(f.source ?? f.message),
  };
  if (f.acl) e.acl = f.acl;
  return e;
}

function keyOf(e: Omit<BaselineEntry, "count">): string {
  return JSON.stringify([e.ruleId, e.file, e.acl ?? "", e.source]);
}

function compareEntries(a: Omit<BaselineEntry, "count">, b: Omit<BaselineEntry, "count">): number {
  return (
    compareStrings(a.file, b.file) ||
    compareStrings(a.ruleId, b.ruleId) ||
    compareStrings(a.acl ?? "", b.acl ?? "") ||
    compareStrings(a.source, b.source)
  );
}

/** The baseline JSON (with trailing newline) for `findings`. */
export function writeBaseline(findings: readonly Finding[], opts: { cwd: string }): string {
  const counts = new Map<string, BaselineEntry>();
  for (const f of findings) {
    const e = entryOf(f, opts.cwd);
    const k = keyOf(e);
    const prev = counts.get(k);
    if (prev) prev.count++;
    else counts.set(k, { ...e, count: 1 });
  }
  const entries = [...counts.values()].sort(compareEntries);
  const file: BaselineFile = { version: BASELINE_VERSION, entries };
  return JSON.stringify(file, null, 2) + "\n";
}

/**
 * Parse and validate baseline JSON; throws ConfigError naming `shown` (the file) and the position,
 * never quoting the content (it may be any file).
 */
export function parseBaseline(json: string, shown = "baseline"): BaselineFile {
  const data = parseJsonText(json, shown, shown);
  const validator = compileSchema(BASELINE_SCHEMA);
  if (!validator(data)) {
    const e = validator.errors?.[0];
    throw new ConfigError(`${shown}: invalid baseline: ${e ? `${e.instancePath || "(root)"} ${e.message ?? ""}`.trim() : "bad format"}`, { file: shown });
  }
  return data as BaselineFile;
}

export interface BaselineResult {
  /** Findings not covered by the baseline (input order). */
  kept: Finding[];
  /** Findings the baseline accounts for (input order). */
  matched: Finding[];
  /** Baseline entries (with the left-over count) that matched nothing: fixed since, prunable. */
  unusedEntries: BaselineEntry[];
}

/**
 * Split findings into those the baseline covers and new ones. `baseline` is the JSON text (or an
 * already parsed file). `cwd` must be the directory the baseline was written from (default
 * `process.cwd()`). Findings are consumed in file/line order, so when there are more identical
 * findings than the baseline count, the later ones are kept.
 */
export function filterByBaseline(
  findings: readonly Finding[],
  baseline: string | BaselineFile,
  opts: { cwd?: string } = {},
): BaselineResult {
  const cwd = opts.cwd ?? process.cwd();
  const file = typeof baseline === "string" ? parseBaseline(baseline) : baseline;
  const remaining = new Map<string, BaselineEntry>();
  for (const e of file.entries) {
    const k = keyOf(e);
    const prev = remaining.get(k);
    if (prev) prev.count += e.count;
    else remaining.set(k, { ...e });
  }

  const order = findings
    .map((f, i) => ({ f, i }))
    .sort((a, b) => compareStrings(a.f.file, b.f.file) || a.f.line - b.f.line || a.i - b.i);
  const isMatched = new Array<boolean>(findings.length).fill(false);
  for (const { f, i } of order) {
    const e = remaining.get(keyOf(entryOf(f, cwd)));
    if (e && e.count > 0) {
      e.count--;
      isMatched[i] = true;
    }
  }
  const kept: Finding[] = [];
  const matched: Finding[] = [];
  findings.forEach((f, i) => (isMatched[i] ? matched : kept).push(f));
  const unusedEntries = [...remaining.values()].filter((e) => e.count > 0).sort(compareEntries);
  return { kept, matched, unusedEntries };
}

/**
 * `--prune`: the baseline without what no longer occurs — each entry's count lowered by the
 * unmatched count `filterByBaseline` reported (`unusedEntries`), entries at 0 dropped.
 */
export function pruneBaseline(baseline: string | BaselineFile, unused: readonly BaselineEntry[]): { text: string; removed: number } {
  const file = typeof baseline === "string" ? parseBaseline(baseline) : baseline;
  const left = new Map<string, number>();
  for (const e of unused) left.set(keyOf(e), (left.get(keyOf(e)) ?? 0) + e.count);
  let removed = 0;
  const entries: BaselineEntry[] = [];
  for (const e of file.entries) {
    const k = keyOf(e);
    const drop = Math.min(e.count, left.get(k) ?? 0);
    if (drop) left.set(k, (left.get(k) ?? 0) - drop);
    removed += drop;
    if (e.count - drop > 0) entries.push({ ...e, count: e.count - drop });
  }
  entries.sort(compareEntries);
  return { text: JSON.stringify({ version: BASELINE_VERSION, entries }, null, 2) + "\n", removed };
}
