/**
 * Fixes in a lint run: each file's reported findings get their proven `fix` (or `noFix`, why not);
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
  /** The file's reported findings among `raw` (suppressions and baseline), for the fixed text. */
  relint(file: string, raw: Finding[], text: string): { findings: Finding[]; suppressed: number; baselined: number };
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

export function fixFiles(
  states: ReadonlyMap<string, FixState>,
  findings: readonly Finding[],
  opts: FixRunOptions,
): { findings: Finding[]; outputs: Map<string, { output?: string; fixed?: FixedFinding[] }>; suppressedDelta: number; baselinedDelta: number } {
  const outputs = new Map<string, { output?: string; fixed?: FixedFinding[] }>();
  const byFile = new Map<string, Finding[]>();
  for (const f of findings) {
    const l = byFile.get(f.file) ?? [];
    l.push(f);
    byFile.set(f.file, l);
  }
  let suppressedDelta = 0;
  let baselinedDelta = 0;
  const out: Finding[] = findings.filter((f) => !states.has(f.file));
  for (const [file, state] of states) {
    let ctx: FileContext = state;
    let reported = byFile.get(file) ?? [];
    const fixed: FixedFinding[] = [];
    if (!opts.apply && longestAcl(state) > PROVE_WITHOUT_FIX_MAX_ENTRIES) {
      const why = `fixes of files with ACLs over ${PROVE_WITHOUT_FIX_MAX_ENTRIES} lines are proven only on request: natlint lint --fix-dry-run, --fix or natlint fix`;
      for (const f of reported) out.push(REMEDIES.has(f) ? withDetails(f, { noFix: why }) : f);
      continue;
    }
    let last = proveFile(ctx, reported, opts.only);
    if (opts.apply) {
      const first = opts.relint(file, state.raw, state.text);
      for (let pass = 0; pass < MAX_PASSES && last.fixes.size > 0; pass++) {
        for (const [f, fix] of last.fixes) fixed.push({ pass: pass + 1, ruleId: f.ruleId, line: f.line, message: f.message, fix });
        ctx = { ...ctx, text: last.output, device: last.device, raw: last.raw };
        const re = opts.relint(file, last.raw, last.output);
        reported = re.findings;
        suppressedDelta += re.suppressed - first.suppressed;
        baselinedDelta += re.baselined - first.baselined;
        first.suppressed = re.suppressed;
        first.baselined = re.baselined;
        last = proveFile(ctx, reported, opts.only);
      }
      if (ctx.text !== state.text) outputs.set(file, { output: ctx.text, fixed });
    }
    for (const f of reported) {
      const fix = last.fixes.get(f);
      const why = last.refused.get(f);
      out.push(fix ? withDetails(f, { fix: fixJson(fix) }) : why !== undefined ? withDetails(f, { noFix: why }) : f);
    }
  }
  return { findings: out.sort(compareFindings), outputs, suppressedDelta, baselinedDelta };
}
