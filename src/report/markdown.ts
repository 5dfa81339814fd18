/**
 * A pull-request comment (GitHub/GitLab flavoured Markdown).
 *
 * Layout: a hidden marker `<!-- natlint -->` (so a bot can find and update its previous comment),
 * a heading, the summary counts, a per-rule count line, then one table of findings sorted by
 * severity (error, warning, info), file, line, rule. Table cells escape Markdown punctuation
 * (including `|`) with a backslash, turn newlines into `<br>`, show control characters as
 * escapes, and put words that would mention someone or make a link (`@x`, `https://…`) in code
 * spans. At most `maxRows` rows are
 * printed (default 200; comment bodies are limited to 65536 characters), followed by a note
 * saying how many were left out.
 */
import { compareStrings, severityRank, type Finding } from "../core/finding.js";
import type { LintResult } from "../engine/types.js";
import { repoRelative } from "../io/paths.js";
import { visible } from "./text.js";

export interface MarkdownOptions {
  cwd: string;
  /** Maximum number of table rows (default 200). */
  maxRows?: number;
  /** Heading text (default "natlint"). */
  title?: string;
  /** If given, rule ids link to `docsBaseUri + id + ".md"`. */
  docsBaseUri?: string;
}

export const MARKDOWN_MARKER = "<!-- natlint -->";

/**
 * A word GitHub would turn into a mention (`@team`), a cross-reference or a link (`https://…`,
 * `www.…`, `a@b`): in a code span it stays text. Configs are input from anywhere; a PR comment
 * must not notify people or link to addresses a config chose.
 */
function isLive(word: string): boolean {
  return word.includes("@") || word.includes("://") || /^www\./i.test(word) || /^#\d/.test(word);
}

/**
 * Escape text for a table cell: backslash-escape Markdown punctuation, newlines → `<br>`, control
 * and invisible characters as visible escapes (./text.ts), and words that would mention someone
 * or make a link in code spans.
 */
export function escapeCell(s: string): string {
  const parts = visible(s, true).split(/(\r\n|\r|\n|[ \t]+)/);
  let out = "";
  for (const p of parts) {
    if (p === "\n" || p === "\r\n" || p === "\r") out += "<br>";
    else if (/^[ \t]*$/.test(p)) out += p;
    else if (isLive(p)) out += codeSpan(p);
    else out += p.replace(/[\\`*_{}[\]<>()#+!|~&]/g, (c) => `\\${c}`);
  }
  return out;
}

/** A code span that survives any backticks in `s` (CommonMark: fence longer than any run inside). */
export function codeSpan(s: string): string {
  const text = visible(s).replace(/\|/g, "\\|");
  let longest = 0;
  for (let i = 0, run = 0; i < text.length; i++) {
    run = text.charCodeAt(i) === 0x60 ? run + 1 : 0;
    if (run > longest) longest = run;
  }
  const fence = "`".repeat(longest + 1);
  const pad = longest > 0 || text.startsWith("`") || text.endsWith("`") ? " " : "";
  return `${fence}${pad}${text}${pad}${fence}`;
}

const ICON: Record<string, string> = { error: "❌ error", warning: "⚠️ warning", info: "ℹ️ info" };

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

export function formatMarkdown(result: LintResult, opts: MarkdownOptions): string {
  const maxRows = opts.maxRows ?? 200;
  const title = opts.title ?? "natlint";
  const { errors, warnings, infos } = result.summary;
  const rows = result.findings
    .map((f) => ({ f, rel: repoRelative(f.file, opts.cwd) }))
    .sort(
      (a, b) =>
        severityRank(a.f.severity) - severityRank(b.f.severity) ||
        compareStrings(a.rel, b.rel) ||
        a.f.line - b.f.line ||
        compareStrings(a.f.ruleId, b.f.ruleId) ||
        compareStrings(a.f.message, b.f.message),
    );

  const out: string[] = [MARKDOWN_MARKER, `### ${escapeCell(title)}`, ""];
  const nFiles = new Set([...result.files.map((f) => repoRelative(f.path, opts.cwd)), ...rows.map((r) => r.rel)]).size;
  if (rows.length === 0) {
    out.push(`✅ No problems found in ${plural(nFiles, "file")}.`);
    return out.join("\n") + "\n";
  }
  out.push(
    `**${plural(errors, "error")}**, **${plural(warnings, "warning")}**, ${plural(infos, "info")} in ${plural(nFiles, "file")}.`,
  );

  // Per-rule counts, most frequent first (ties by id).
  const perRule = new Map<string, number>();
  for (const { f } of rows) perRule.set(f.ruleId, (perRule.get(f.ruleId) ?? 0) + 1);
  const ruleCounts = [...perRule].sort((a, b) => b[1] - a[1] || compareStrings(a[0], b[0]));
  out.push("", `Rules: ${ruleCounts.map(([id, n]) => `${codeSpan(id)} × ${n}`).join(", ")}`);

  out.push("", "| Severity | Rule | Location | Message |", "| --- | --- | --- | --- |");
  for (const { f, rel } of rows.slice(0, maxRows)) out.push(row(f, rel, opts.docsBaseUri));
  if (rows.length > maxRows) {
    out.push("", `… and ${rows.length - maxRows} more (showing the first ${maxRows}).`);
  }
  return out.join("\n") + "\n";
}

function row(f: Finding, rel: string, docsBaseUri: string | undefined): string {
  const sev = ICON[f.severity] ?? escapeCell(f.severity);
  const rule = docsBaseUri
    ? `[${codeSpan(f.ruleId)}](${docsBaseUri}${encodeURIComponent(f.ruleId)}.md)`
    : codeSpan(f.ruleId);
  const loc = codeSpan(f.line >= 1 ? `${rel}:${f.line}` : rel);
  return `| ${sev} | ${rule} | ${loc} | ${escapeCell(f.message)} |`;
}
