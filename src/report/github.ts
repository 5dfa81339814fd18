/**
 * GitHub Actions workflow commands: one `::error|warning|notice file=…,line=…,col=…,endColumn=…,title=…::message`
 * line per finding, so findings show as annotations on the pull request's diff.
 *
 * Escaping follows @actions/core (`toCommandValue` / `escapeData` / `escapeProperty` in
 * packages/core/src/command.ts): in the message `%`→%25, CR→%0D, LF→%0A; in property values
 * additionally `:`→%3A and `,`→%2C.
 *
 * Paths are relative to `opts.cwd` with forward slashes (GitHub resolves them against the
 * workspace, so run natlint from the repository root). Note that GitHub shows at most 10
 * annotations of each level per step; the rest are still in the log.
 */
import { linesInPieces } from "./pieces.js";
import type { Finding } from "../core/finding.js";
import type { LintResult } from "../engine/types.js";
import { repoRelative, sortFindings } from "../io/paths.js";
import { visible } from "./text.js";

export interface GithubOptions {
  cwd: string;
}

/** Escape a workflow-command message (the part after `::`); other control characters made visible (./text.ts). */
export function escapeData(s: string): string {
  return visible(s, true).replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

/** Escape a workflow-command property value (`file=`, `title=`, …). */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

function command(f: Finding, cwd: string): string {
  const kind = f.severity === "error" ? "error" : f.severity === "warning" ? "warning" : "notice";
  const props: string[] = [`file=${escapeProperty(repoRelative(f.file, cwd))}`];
  if (Number.isInteger(f.line) && f.line >= 1) {
    props.push(`line=${f.line}`);
    if (f.column !== undefined) props.push(`col=${f.column}`);
    if (f.column !== undefined && f.endColumn !== undefined && f.endColumn > f.column) props.push(`endColumn=${f.endColumn}`);
  }
  props.push(`title=${escapeProperty(f.ruleId)}`);
  return `::${kind} ${props.join(",")}::${escapeData(f.message)}`;
}

export function formatGithub(result: LintResult, opts: GithubOptions): string {
  return githubChunks(result, opts).join("");
}

/** The text of `formatGithub` in pieces of about a MiB (./pieces.ts). */
export function githubChunks(result: LintResult, opts: GithubOptions): string[] {
  return linesInPieces(sortFindings(result.findings, opts.cwd).map((f) => command(f, opts.cwd)));
}
