/** `natlint lint`: the CI command. */
import { parseArgs } from "node:util";
import { resolve } from "node:path";
import { fixedFiles, InputError, lint, packageInfo, summarize, writeBaseline, type LintResult } from "../api/index.js";
import { formatGithub } from "../report/github.js";
import { formatJson } from "../report/json.js";
import { formatJunit } from "../report/junit.js";
import { formatMarkdown } from "../report/markdown.js";
import { formatSarif } from "../report/sarif.js";
import { colourWanted } from "../report/style.js";
import { formatStylish } from "../report/stylish.js";
import { readFileSync } from "node:fs";
import { formatPatch, type PatchFile } from "../report/patch.js";
import { intOption, ipFlag, plainParseError, UsageError, vendorOption, type Command } from "./args.js";
import { writeOutput } from "./output.js";

const LINT_FORMATS = ["stylish", "json", "sarif", "github", "junit", "markdown", "patch"] as const;
type LintFormat = (typeof LINT_FORMATS)[number];

/**
 * Pair each --format with the --output-file that follows it (before the next --format); a
 * format without one goes to stdout, and at most one may.
 */
export function pairFormats(args: string[]): Array<{ format: LintFormat; file?: string }> {
  const out: Array<{ format: LintFormat; file?: string }> = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
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

export function formatLint(format: LintFormat, result: LintResult, colour: boolean, cwd: string, patch: readonly PatchFile[] = []): string {
  switch (format) {
    case "patch":
      return formatPatch(patch);
    case "stylish":
      return formatStylish(result, { colour });
    case "json":
      return formatJson(result);
    case "sarif": {
      const pkg = packageInfo();
      return formatSarif(result, { cwd, version: pkg.version, ...(pkg.homepage ? { informationUri: pkg.homepage } : {}) });
    }
    case "github":
      return formatGithub(result, { cwd });
    case "junit":
      return formatJunit(result, { cwd });
    case "markdown":
      return formatMarkdown(result, { cwd });
  }
}

export const lintCmd: Command = {
  name: "lint",
  summary: "lint config files (the CI command)",
  help: `Usage: natlint lint [PATH|GLOB ...] [options]

Lint Cisco IOS and ASA configs. Directories are searched recursively for config
files (*.cfg, *.conf, *.config, *.txt, *.ios, *.asa and files without an
extension); default: the current directory.

Output:
  -f, --format NAME        stylish (default), json, sarif, github, junit, markdown,
                           patch (a unified diff of the proven fixes);
                           repeatable, each followed by its own --output-file
  -o, --output-file FILE   write the preceding --format to FILE
  --quiet                  report errors only
  --max-warnings N         exit 1 when there are more than N warnings

Fixes (only fixes natlint has proven: finding gone, no new finding, and the
ACL diff changes only the intended packets):
  --fix                    write the fixed files; exit status from what remains
  --fix-dry-run            fix in memory only: JSON output has files[].output
  --fix-type RULE[,RULE]   only these rules' fixes (repeatable)

Simulation:
  --clients N       IPsec clients to simulate behind each PAT (default 3)
  --profile ID      PAT profile: ios, asa, asa-flat, asa-flat-include-reserve,
                    asa-9.15, asa-block-allocation, linux
                    (default: chosen from each config)
  --peer IP         IPsec peer to simulate (default: picked from the ACLs)
  --vendor ios|asa  skip vendor detection

Configuration:
  --config FILE     use this .natlintrc.json (default: searched upward)
  --no-config       use no config file
  --report-unused-disable-directives
                    report natlint-disable directives that suppress nothing
  --baseline FILE   report only findings not recorded in FILE
  --write-baseline FILE
                    record today's findings in FILE (and exit 0)
  -h, --help        show this help

Exit codes: 0 no error findings, 1 error findings (or too many warnings),
2 usage, I/O or configuration error.
`,
  async run(args, io) {
    let a;
    try {
      a = parseArgs({
        args,
        allowPositionals: true,
        strict: true,
        options: {
          clients: { type: "string" },
          profile: { type: "string" },
          peer: { type: "string" },
          vendor: { type: "string" },
          format: { type: "string", short: "f", multiple: true },
          "output-file": { type: "string", short: "o", multiple: true },
          quiet: { type: "boolean" },
          "max-warnings": { type: "string" },
          config: { type: "string" },
          "no-config": { type: "boolean" },
          "report-unused-disable-directives": { type: "boolean" },
          baseline: { type: "string" },
          "write-baseline": { type: "string" },
          fix: { type: "boolean" },
          "fix-dry-run": { type: "boolean" },
          "fix-type": { type: "string", multiple: true },
        },
      });
    } catch (e) {
      throw new UsageError(`lint: ${plainParseError((e as Error).message)} (see natlint lint --help)`);
    }
    const v = a.values;
    const outputs = pairFormats(args);
    const clients = intOption(this, "clients", v.clients, 1, 65535);
    const maxWarnings = intOption(this, "max-warnings", v["max-warnings"], 0, Number.MAX_SAFE_INTEGER);
    const peer = ipFlag(this, "peer", v.peer);
    const vendor = vendorOption(this, v.vendor);
    if (v.config !== undefined && v["no-config"]) throw new UsageError("lint: --config and --no-config contradict each other");
    if (v.fix && v["fix-dry-run"]) throw new UsageError("lint: --fix and --fix-dry-run contradict each other");
    const fixTypes = v["fix-type"]?.flatMap((x) => x.split(",")).filter((x) => x !== "");
    // --format patch shows the fixes: they are applied in memory for it
    const applyFixes = !!v.fix || !!v["fix-dry-run"] || outputs.some((o) => o.format === "patch");
    let baseline: string | undefined;
    if (v.baseline !== undefined) {
      try {
        baseline = readFileSync(resolve(io.cwd, v.baseline), "utf8");
      } catch {
        throw new InputError(`${v.baseline}: cannot read baseline file`);
      }
    }
    const toStdout = outputs.find((o) => o.file === undefined);
    const interactive = toStdout?.format === "stylish" && io.stdoutIsTTY && io.stderrIsTTY && !io.env.CI;
    const spinner = interactive ? (await import("ora")).default({ text: "natlint: finding config files", stream: process.stderr }).start() : undefined;
    let result;
    try {
      result = await lint({
        patterns: a.positionals,
        cwd: io.cwd,
        ...(clients !== undefined ? { clients } : {}),
        ...(v.profile !== undefined ? { profile: v.profile } : {}),
        ...(peer !== undefined ? { peer } : {}),
        ...(vendor !== undefined ? { vendor } : {}),
        ...(v["no-config"] ? { config: false as const } : v.config !== undefined ? { config: v.config } : {}),
        ...(v["report-unused-disable-directives"] ? { reportUnusedDisableDirectives: true } : {}),
        ...(baseline !== undefined ? { baseline } : {}),
        ...(applyFixes ? { fix: true } : {}),
        ...(fixTypes?.length ? { fixTypes } : {}),
        ...(spinner ? { onFile: (f: string, i: number, n: number) => void (spinner.text = `natlint: ${i + 1}/${n} ${f}`) } : {}),
      });
    } finally {
      spinner?.stop();
    }
    if (v["write-baseline"] !== undefined) {
      writeOutput(v["write-baseline"], writeBaseline(result.findings, { cwd: io.cwd }), io.cwd);
      io.stderr(`natlint: wrote ${result.findings.length} finding${result.findings.length === 1 ? "" : "s"} to ${v["write-baseline"]}\n`);
      return 0;
    }
    if (fixTypes?.length) {
      const known = new Set(result.rules.map((r) => r.id));
      const bad = fixTypes.find((x) => !known.has(x));
      if (bad !== undefined) throw new UsageError(`lint: --fix-type: unknown rule "${bad}" (see natlint rules)`);
    }
    // the fixed texts: for --format patch, written by --fix, shown (files[].output) only by --fix-dry-run
    const patch: PatchFile[] = fixedFiles(result, { cwd: io.cwd, write: !!v.fix });
    if (!v["fix-dry-run"]) result = { ...result, files: result.files.map(({ output: _o, ...rest }) => rest) };
    const warnings = result.summary.warnings;
    if (v.quiet) {
      const findings = result.findings.filter((f) => f.severity === "error");
      result = { ...result, findings, summary: { ...result.summary, ...summarize(findings) } };
    }
    for (const o of outputs) {
      const text = formatLint(o.format, result, o.file === undefined && colourWanted(io), io.cwd, patch);
      if (o.file === undefined) io.stdout(text);
      else writeOutput(o.file, text, io.cwd);
    }
    if (result.summary.errors > 0) return 1;
    if (maxWarnings !== undefined && warnings > maxWarnings) {
      io.stderr(`natlint: ${warnings} warnings exceed --max-warnings ${maxWarnings}\n`);
      return 1;
    }
    return 0;
  },
};
