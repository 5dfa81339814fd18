/** `natlint lint` reports: which formats go where, and rendering each. */
import { packageInfo, type LintResult } from "../api/index.js";
import { githubChunks } from "../report/github.js";
import { jsonParts } from "../report/json.js";
import { junitChunks } from "../report/junit.js";
import { formatMarkdown } from "../report/markdown.js";
import { sarifParts } from "../report/sarif.js";
import { stylishChunks } from "../report/stylish.js";
import { formatPatch, type PatchFile } from "../report/patch.js";
import { UsageError } from "./args.js";

export const LINT_FORMATS = ["stylish", "json", "sarif", "github", "junit", "markdown", "patch"] as const;
export type LintFormat = (typeof LINT_FORMATS)[number];

/**
 * Pair each --format with the --output-file that follows it (before the next --format); a
 * format without one goes to stdout, and at most one may.
 */
export function pairFormats(args: string[]): Array<{ format: LintFormat; file?: string }> {
  const out: Array<{ format: LintFormat; file?: string }> = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--") break;
    const [flag, inline] = a.startsWith("--") && a.includes("=") ? [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)] : [a, undefined];
    if (flag !== "--format" && flag !== "--output-file" && flag !== "-o" && flag !== "-f") continue;
    const v = inline ?? args[++i];
    if (v === undefined) throw new UsageError(`lint: ${flag} needs a value`);
    if (flag === "--format" || flag === "-f") {
      if (!(LINT_FORMATS as readonly string[]).includes(v)) throw new UsageError(`lint: --format must be one of ${LINT_FORMATS.join(", ")} (got "${v}")`);
      out.push({ format: v as LintFormat });
    } else {
      const last = out[out.length - 1];
      if (!last) out.push({ format: "stylish", file: v });
      else if (last.file !== undefined) throw new UsageError(`lint: two --output-file for --format ${last.format}`);
      else last.file = v;
    }
  }
  if (out.length === 0) out.push({ format: "stylish" });
  if (out.filter((o) => o.file === undefined).length > 1) throw new UsageError("lint: several --format go to stdout; give each but one an --output-file");
  return out;
}

export interface RenderOptions {
  colour: boolean;
  cwd: string;
  junitWarnings?: "skipped" | "failure";
  /** The text of a file linted from stdin (for SARIF's line hashes). */
  stdin?: { shown: string; text: string };
  /** The fixed files (for `patch`). */
  patch?: readonly PatchFile[];
}

/**
 * The report in pieces to write one after the other: stylish, GitHub and JUnit in pieces of
 * about a MiB (a fleet's report can outgrow the longest string V8 can make); JSON and SARIF in
 * their small parts (a finding each), each made as the one before is written (the file writer
 * encodes them straight into its buffer; standard output gathers them into pieces,
 * ../report/pieces.ts `inPieces`); Markdown (at most 200 rows) and the patch whole.
 */
export function formatLint(format: LintFormat, result: LintResult, o: RenderOptions): Iterable<string> {
  if (format === "stylish") return stylishChunks(result, { colour: o.colour });
  if (format === "json") return jsonParts(result);
  if (format === "sarif") {
    const pkg = packageInfo();
    return sarifParts(result, {
      cwd: o.cwd,
      version: pkg.version,
      ...(pkg.homepage ? { informationUri: pkg.homepage } : {}),
      ...(pkg.repositoryUrl ? { repositoryUrl: pkg.repositoryUrl } : {}),
      ...(o.stdin ? { readSource: stdinFirst(o.stdin, o.cwd) } : {}),
    });
  }
  if (format === "github") return githubChunks(result, { cwd: o.cwd });
  if (format === "junit") return junitChunks(result, { cwd: o.cwd, ...(o.junitWarnings ? { warnings: o.junitWarnings } : {}) });
  return [formatWhole(format, result, o)];
}

function formatWhole(format: Exclude<LintFormat, "stylish" | "json" | "sarif" | "github" | "junit">, result: LintResult, o: RenderOptions): string {
  switch (format) {
    case "patch":
      return formatPatch(o.patch ?? []);
    case "markdown":
      return formatMarkdown(result, { cwd: o.cwd });
  }
}

function stdinFirst(stdin: { shown: string; text: string }, _cwd: string): (file: string) => string | undefined {
  return (file) => (file === stdin.shown ? stdin.text : undefined);
}
