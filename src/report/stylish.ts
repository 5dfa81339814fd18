/** The default human format, grouped by file like ESLint's stylish: `line:column  severity  message  rule`. */
import type { LintResult } from "../engine/types.js";
import type { Finding, Severity } from "../core/finding.js";
import { styler, type Style } from "./style.js";
import { visible } from "./text.js";
import { linesInPieces } from "./pieces.js";

const SEV_STYLE: Record<Severity, "red" | "yellow" | "cyan"> = { error: "red", warning: "yellow", info: "cyan" };

export function formatStylish(result: LintResult, opts: { colour: boolean }): string {
  return stylishChunks(result, opts).join("");
}

/**
 * The text of `formatStylish` in pieces of about a MiB (each line ends in a newline): a fleet's
 * report can outgrow the longest string V8 can make (~512 MiB), so the CLI writes it piece by piece.
 */
export function stylishChunks(result: LintResult, opts: { colour: boolean }): string[] {
  const c = styler(opts.colour);
  const out: string[] = [];
  const byFile = new Map<string, LintResult["findings"]>();
  for (const f of result.findings) {
    const list = byFile.get(f.file) ?? [];
    list.push(f);
    byFile.set(f.file, list);
  }
  for (const fr of result.files) {
    if (!fr.fixed?.length || byFile.has(fr.path)) continue;
    byFile.set(fr.path, []);
  }
  // the first file result of each path (a lookup per file, not a scan of every file: fleets)
  const fileOf = new Map<string, LintResult["files"][number]>();
  for (const fr of result.files) if (!fileOf.has(fr.path)) fileOf.set(fr.path, fr);
  for (const [file, fs] of byFile) {
    out.push(c("underline", visible(file)));
    const done = fileOf.get(file)?.fixed ?? [];
    for (const x of done) out.push(`  ${c("green", "fixed")}  ${visible(x.ruleId)} (line ${x.line}): ${visible(x.fix.describe)}; proof: ${visible(x.fix.proof.summary)}`);
    const at = (f: LintResult["findings"][number]) => (f.column !== undefined ? `${f.line}:${f.column}` : String(f.line));
    const lw = fs.reduce((w, f) => Math.max(w, at(f).length), 1);
    const pad = " ".repeat(lw + 4);
    for (const f of fs) {
      out.push(`  ${c("dim", at(f).padEnd(lw))}  ${c(SEV_STYLE[f.severity], f.severity.padEnd(7))}  ${visible(f.message)}  ${c("dim", visible(f.ruleId))}`);
      for (const l of fixLines(f.details, pad, c)) out.push(l);
    }
    out.push("");
  }
  const { errors, warnings, infos } = result.summary;
  const total = errors + warnings + infos;
  const files = `${result.files.length} file${result.files.length === 1 ? "" : "s"}`;
  if (total === 0) out.push(c("green", `✔ no problems in ${files}`));
  else {
    const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? "" : "s"}`;
    const text = `✖ ${plural(total, "problem")} (${plural(errors, "error")}, ${plural(warnings, "warning")}, ${plural(infos, "info")}) in ${files}`;
    out.push(c(errors ? "red" : warnings ? "yellow" : "cyan", text));
  }
  return linesInPieces(out);
}

/** Under a finding: its proven fix (the edits, then the proof) or why none is offered. */
function fixLines(details: Finding["details"], pad: string, c: (s: Style, t: string) => string): string[] {
  const fix = details?.fix as { edits?: Array<{ line: number; op: string; text: string }>; proof?: { summary?: string } } | undefined;
  if (fix?.edits && fix.proof?.summary) {
    const edits = fix.edits.map((e) => `${pad}${c("dim", `${e.op === "insertAfter" ? "after" : e.op} ${e.line}:`)} ${visible(e.text.trim())}`.trimEnd());
    return [`${pad}${c("green", "fix")} (natlint lint --fix):`, ...edits, `${pad}${c("green", "proof")}: ${visible(fix.proof.summary)}`];
  }
  const why = details?.noFix;
  return typeof why === "string" ? [`${pad}${c("dim", `no fix: ${visible(why)}`)}`] : [];
}
