/**
 * Fixes of one file in a lint run: its reported findings get their proven `fix` (or `noFix`, why not);
 * with `apply` (library `fix: true`, `--fix`, `--fix-dry-run`) the proven fixes are applied, the
 * file is analysed again and the fixes that then become possible are proven and applied in turn
 * (at most 10 passes, as ESLint does), and the file's findings are those of the fixed text.
 */
import { compareFindings, type Finding, type FindingDetails, type Json } from "../core/finding.js";
import type { Fix } from "../model/edits.js";
import { proveFile, type FileContext } from "./fix.js";
import type { FixedFinding } from "./types.js";
import { REMEDIES } from "./remedies.js";

export type FixState = FileContext;

export interface FixRunOptions {
  apply: boolean;
  only?: ReadonlySet<string>;
  /** The file's reported findings among `raw` (suppressions applied) for a version of its text. */
  reported(raw: readonly Finding[], text: string): { findings: Finding[]; suppressed: number };
}

const MAX_PASSES = 10;

/**
 * Proofs cost a few analyses of the file; a plain lint run proves the fixes of files whose ACLs
 * are at most this long, larger files only when fixes are asked for (`fix`).
 */
export const PROVE_WITHOUT_FIX_MAX_ENTRIES = 2000;

function longestAcl(state: FixState): number {
  let n = 0;
  for (const a of state.device.acls.values()) n = Math.max(n, a.entries.length);
  return n;
}

function withDetails(f: Finding, extra: Record<string, Json>): Finding {
  return { ...f, details: { ...(f.details ?? {}), ...extra } as FindingDetails };
}

function fixJson(fix: Fix): Json {
  return JSON.parse(JSON.stringify(fix)) as Json;
}

/**
 * One file's fixes (runs where the file is linted: this thread or a worker). Returns its reported
 * findings, each with its proven `fix` or why it has none (`noFix`); with `apply`, those of the
 * fixed text, the fixed text and what was applied.
 */
export function fixFile(
  state: FixState,
  opts: FixRunOptions,
): { findings: Finding[]; suppressed: number; output: { output?: string; fixed?: FixedFinding[] } } {
  let ctx: FileContext = state;
  let rep = opts.reported(state.raw, state.text);
  const fixed: FixedFinding[] = [];
  if (!opts.apply && longestAcl(state) > PROVE_WITHOUT_FIX_MAX_ENTRIES) {
    const why = `fixes of files with ACLs over ${PROVE_WITHOUT_FIX_MAX_ENTRIES} lines are proven only on request: natlint lint --fix-dry-run, --fix or natlint fix`;
    return { findings: rep.findings.map((f) => (REMEDIES.has(f) ? withDetails(f, { noFix: why }) : f)), suppressed: rep.suppressed, output: {} };
  }
  let last = proveFile(ctx, rep.findings, opts.only);
  if (opts.apply) {
    for (let pass = 0; pass < MAX_PASSES && last.fixes.size > 0; pass++) {
      for (const [f, fix] of last.fixes) fixed.push({ pass: pass + 1, ruleId: f.ruleId, line: f.line, message: f.message, fix });
      ctx = { ...ctx, text: last.output, device: last.device, raw: last.raw };
      rep = opts.reported(last.raw, last.output);
      last = proveFile(ctx, rep.findings, opts.only);
    }
  }
  const findings = rep.findings.map((f) => {
    const fix = last.fixes.get(f);
    const why = last.refused.get(f);
    return fix ? withDetails(f, { fix: fixJson(fix) }) : why !== undefined ? withDetails(f, { noFix: why }) : f;
  });
  return { findings: findings.sort(compareFindings), suppressed: rep.suppressed, output: ctx.text !== state.text ? { output: ctx.text, fixed } : {} };
}
