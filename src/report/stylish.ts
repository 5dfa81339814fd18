/** The default human format, grouped by file like ESLint's stylish: `line:column  severity  message  rule`. */
import type { LintResult } from "../engine/types.js";
import type { Severity } from "../core/finding.js";
import { styler } from "./style.js";

const SEV_STYLE: Record<Severity, "red" | "yellow" | "cyan"> = { error: "red", warning: "yellow", info: "cyan" };

export function formatStylish(result: LintResult, opts: { colour: boolean }): string {
  const c = styler(opts.colour);
  const out: string[] = [];
  const byFile = new Map<string, LintResult["findings"]>();
  for (const f of result.findings) {
    const list = byFile.get(f.file) ?? [];
    list.push(f);
    byFile.set(f.file, list);
  }
  for (const [file, fs] of byFile) {
    out.push(c("underline", file));
    const at = (f: LintResult["findings"][number]) => (f.column !== undefined ? `${f.line}:${f.column}` : String(f.line));
    const lw = fs.reduce((w, f) => Math.max(w, at(f).length), 0);
    for (const f of fs) {
      out.push(`  ${c("dim", at(f).padEnd(lw))}  ${c(SEV_STYLE[f.severity], f.severity.padEnd(7))}  ${f.message}  ${c("dim", f.ruleId)}`);
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
  return out.join("\n") + "\n";
}
