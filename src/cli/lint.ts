/**
 * `natlint lint`: the CI command. Its flags are the table `LINT_OPTIONS` (./options.ts gives the
 * parser and the help); `lintOptions` turns parsed flags into the library's options; `run` handles
 * the modes that do not lint (`--init`, `--print-config`), runs the lint, writes the reports and
 * picks the exit code.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import {
  closest,
  CONFIG_FILE_NAMES,
  fixedFiles,
  ignoredWarning,
  InputError,
  fsReason,
  lint,
  printConfig,
  profileIds,
  parseBaseline,
  pruneBaseline,
  starterConfig,
  summarize,
  writeBaseline,
  parseSize,
  DEFAULT_LIMITS,
  type BaselineFile,
  type Limits,
  type LintOptions,
  type LintResult,
} from "../api/index.js";
import { inPieces } from "../report/pieces.js";
import { colourWanted } from "../report/style.js";
import { intOption, ipFlag, UsageError, vendorOption, type CliIo, type Command } from "./args.js";
import { formatLint, pairFormats } from "./lint-output.js";
import type { PatchFile } from "../report/patch.js";
import { optionsHelp, parseOptions, type OptionSpec, type ParsedOptions } from "./options.js";
import { writeOutput } from "./output.js";
import { startProgress } from "./progress.js";

const OUT = "Output";
const SIM = "Simulation";
const FILES = "Files";
const CONF = "Configuration";
const SPEED = "Speed";
const LIMITS = "Limits (reaching one is a finding, never a changed verdict; also the config's \"limits\")";
const FIX = "Fixes (only fixes natlint has proven: finding gone, no new finding, and the\nexact ACL change is the intended packets)";

/** The flags of `natlint lint`, in help order. Add a flag here, then handle it below. */
export const LINT_OPTIONS: OptionSpec[] = [
  { name: "format", short: "f", type: "string", multiple: true, value: "NAME", group: OUT, help: "stylish (default), json, sarif, github, junit, markdown,\npatch (a unified diff of the proven fixes);\nrepeatable, each followed by its own --output-file" },
  { name: "output-file", short: "o", type: "string", multiple: true, value: "FILE", group: OUT, help: "write the preceding --format to FILE" },
  { name: "quiet", type: "boolean", group: OUT, help: "report errors only" },
  { name: "max-warnings", type: "string", value: "N", group: OUT, help: "exit 1 when there are more than N warnings" },
  { name: "junit-warnings", type: "string", value: "skipped|failure", group: OUT, help: "JUnit: warnings as skipped tests (default) or failures" },
  { name: "clients", type: "string", value: "N", group: SIM, help: "IPsec clients to simulate behind each PAT (default 3)" },
  { name: "profile", type: "string", value: "ID", group: SIM, help: "PAT profile: ios, asa, asa-flat, asa-flat-include-reserve,\nasa-9.15, asa-block-allocation, linux, windows-rras, cgnat,\nunknown (default: chosen from each config)" },
  { name: "peer", type: "string", value: "IP", group: SIM, help: "IPsec peer to simulate (default: picked from the ACLs)" },
  { name: "vendor", type: "string", value: "ios|asa", group: SIM, help: "skip vendor detection" },
  { name: "remote-nat", type: "string", value: "LIST", group: SIM, help: "a head-end's view: clients behind one NAT of each profile\n(windows-rras, cgnat, cgnat:BLOCKSIZE, unknown, …; PROFILE@IP)" },
  { name: "path", type: "string", value: "PATHFILE", group: SIM, help: "lint the configs of a path file, with the sessions along\nthe path (instead of files)" },
  { name: "stdin", type: "boolean", group: FILES, help: "lint standard input (also: the operand -)" },
  { name: "stdin-filename", type: "string", value: "FILE", group: FILES, help: "the name of standard input (for messages and overrides)" },
  { name: "no-ignore", type: "boolean", group: FILES, help: "lint ignored files too (.gitignore, .natlintignore, config ignore)" },
  { name: "follow-symlinks", type: "boolean", group: FILES, help: "follow symbolic links that lead out of a searched directory" },
  { name: "only-config-files", type: "boolean", group: FILES, help: "skip named files that do not look like configs (pre-commit)" },
  { name: "shard", type: "string", value: "I/N", group: FILES, help: "lint only shard I of N (files assigned by a hash of their path)" },
  { name: "config", short: "c", type: "string", value: "FILE", group: CONF, help: "use this config file (default: .natlintrc.jsonc or .natlintrc.json,\nsearched upward)" },
  { name: "no-config", type: "boolean", group: CONF, help: "use no config file" },
  { name: "print-config", type: "string", value: "FILE", group: CONF, help: "print the settings for FILE as JSON, lint nothing" },
  { name: "init", type: "boolean", group: CONF, help: "write a commented starter .natlintrc.jsonc, lint nothing" },
  { name: "report-unused-disable-directives", type: "boolean", group: CONF, help: "report natlint-disable directives that suppress nothing" },
  { name: "baseline", type: "string", value: "FILE", group: CONF, help: "report only findings not recorded in FILE" },
  { name: "prune", type: "boolean", group: CONF, help: "with --baseline: drop the entries nothing matches any more" },
  { name: "write-baseline", type: "string", value: "FILE", group: CONF, help: "record today's findings in FILE (and exit 0)" },
  { name: "fix", type: "boolean", group: FIX, help: "write the fixed files; exit status from what remains" },
  { name: "fix-dry-run", type: "boolean", group: FIX, help: "fix in memory only: JSON output has files[].output" },
  { name: "fix-type", type: "string", multiple: true, value: "RULE[,RULE]", group: FIX, help: "only these rules' fixes (repeatable)" },
  { name: "cache", type: "boolean", group: SPEED, help: "reuse the results of unchanged files" },
  { name: "cache-location", type: "string", value: "PATH", group: SPEED, help: "the cache file or directory (default .natlintcache)" },
  { name: "concurrency", type: "string", value: "N|auto|off", group: SPEED, help: "worker threads (default auto: from the cores, for many files)" },
  { name: "max-file-size", type: "string", value: "SIZE", group: LIMITS, help: "larger files are not read: unsupported-input (default 64M;\nbytes, or with k, M, G; at most 512M)" },
  { name: "max-line-length", type: "string", value: "N", group: LIMITS, help: "longer lines are not analysed (default 65536)" },
  { name: "max-nesting-depth", type: "string", value: "N", group: LIMITS, help: "object-group nesting levels followed (default 1000)" },
  { name: "max-findings-per-file", type: "string", value: "N", group: LIMITS, help: "findings listed per file; one more counts the rest (default 10000)" },
  { name: "max-bdd-nodes", type: "string", value: "N", group: LIMITS, help: "node budget of a file's packet-set analysis (default 268435456)" },
  { name: "help", short: "h", type: "boolean", group: "Other", help: "show this help" },
];

/** The limits given as flags (`--max-…`). */
function limitFlags(cmd: { name: string }, v: ParsedOptions["values"]): Partial<Limits> {
  const out: Partial<Limits> = {};
  const size = str(v["max-file-size"]);
  if (size !== undefined) {
    const n = parseSize(size);
    if (n === undefined || n < 1 || n > 512 * 1024 * 1024) throw new UsageError(`${cmd.name}: --max-file-size must be a size from 1 byte to 512M, such as 100M (got "${size}")`);
    out.fileSize = n;
  }
  const int = (flag: string, key: Exclude<keyof Limits, "fileSize">, min: number, max: number) => {
    const n = intOption(cmd, flag, str(v[flag]), min, max);
    if (n !== undefined) out[key] = n;
  };
  int("max-line-length", "lineLength", 80, 512 * 1024 * 1024);
  int("max-nesting-depth", "nestingDepth", 1, 10_000_000);
  int("max-findings-per-file", "findingsPerFile", 1, 100_000_000);
  int("max-bdd-nodes", "bddNodes", 1024, 268_435_456);
  return out;
}

const HELP = `Usage: natlint lint [PATH|GLOB|!GLOB|- ...] [options]
       natlint lint --path PATHFILE [options]

Lint Cisco IOS and ASA configs. Directories are searched recursively for files
that look like configs (by their first lines), skipping what .gitignore,
.natlintignore and the config's "ignore" list; default: the current directory.
A named file is always linted; !GLOB leaves out what it matches. --path lints
the devices of a path file, each with the sessions other devices translated.

${optionsHelp(LINT_OPTIONS)}

Exit codes: 0 no error findings, 1 error findings (or too many warnings),
2 usage, I/O or configuration error.
`;

function str(v: ParsedOptions["values"][string]): string | undefined {
  return typeof v === "string" ? v : undefined;
}

/** The library options for the parsed flags (everything but the outputs and the modes). */
export function lintOptions(p: ParsedOptions, io: CliIo): LintOptions {
  const cmd = { name: "lint" };
  const v = p.values;
  const profile = str(v.profile);
  if (profile !== undefined && !profileIds().includes(profile) && !/^cgnat:\d+$/.test(profile)) {
    const m = closest(profile, profileIds());
    throw new UsageError(`lint: --profile must be one of ${profileIds().join(", ")} (got "${profile}")${m ? `; did you mean "${m}"?` : ""}`);
  }
  if (str(v.config) !== undefined && v["no-config"]) throw new UsageError("lint: --config and --no-config contradict each other");
  const clients = intOption(cmd, "clients", str(v.clients), 1, 65535);
  const peer = ipFlag(cmd, "peer", str(v.peer));
  const vendor = vendorOption(cmd, str(v.vendor));
  const limits = limitFlags(cmd, v);
  const conc = str(v.concurrency);
  let concurrency: LintOptions["concurrency"];
  if (conc !== undefined) concurrency = conc === "auto" || conc === "off" ? conc : intOption(cmd, "concurrency", conc, 1, 64);
  let shard: LintOptions["shard"];
  const sh = str(v.shard);
  if (sh !== undefined) {
    const m = /^(\d+)\/(\d+)$/.exec(sh);
    if (!m || Number(m[1]) < 1 || Number(m[1]) > Number(m[2])) throw new UsageError(`lint: --shard must be I/N with 1 <= I <= N (got "${sh}")`);
    shard = { index: Number(m[1]), count: Number(m[2]) };
  }
  const remoteNat = str(v["remote-nat"])?.split(",").filter((x) => x !== "");
  if (remoteNat && !remoteNat.length) throw new UsageError("lint: --remote-nat needs at least one NAT profile");
  const pathFile = str(v.path);
  if (pathFile !== undefined && (p.positionals.length || v.stdin)) throw new UsageError("lint: --path lints the configs the path file names; give no files");
  return {
    cwd: io.cwd,
    ...(p.positionals.filter((x) => x !== "-").length ? { patterns: p.positionals.filter((x) => x !== "-") } : {}),
    ...(remoteNat ? { remoteNat } : {}),
    ...(pathFile !== undefined ? { path: pathFile } : {}),
    ...(clients !== undefined ? { clients } : {}),
    ...(profile !== undefined ? { profile } : {}),
    ...(peer !== undefined ? { peer } : {}),
    ...(vendor !== undefined ? { vendor } : {}),
    ...(v["no-config"] ? { config: false as const } : str(v.config) !== undefined ? { config: str(v.config)! } : {}),
    ...(v["report-unused-disable-directives"] ? { reportUnusedDisableDirectives: true } : {}),
    ...(v["no-ignore"] ? { noIgnore: true } : {}),
    ...(v["follow-symlinks"] ? { followSymlinks: true } : {}),
    ...(v["only-config-files"] ? { onlyConfigFiles: true } : {}),
    ...(v.cache || str(v["cache-location"]) !== undefined ? { cache: { ...(str(v["cache-location"]) !== undefined ? { location: str(v["cache-location"])! } : {}) } } : {}),
    ...(concurrency !== undefined ? { concurrency } : {}),
    ...(shard ? { shard } : {}),
    ...(Object.keys(limits).length ? { limits } : {}),
  };
}

/** The baseline file, parsed (errors name the file and the position, never quote its content). */
function readBaseline(file: string, cwd: string): BaselineFile {
  let text: string;
  try {
    text = readFileSync(resolve(cwd, file), "utf8");
  } catch (e) {
    throw new InputError(`${file}: cannot read baseline file: ${fsReason(e)}`);
  }
  return parseBaseline(text, file);
}

/** `--init`: the starter config in the current directory (never over an existing one). */
function init(io: CliIo): number {
  const existing = CONFIG_FILE_NAMES.find((n) => existsSync(join(io.cwd, n)));
  if (existing) throw new UsageError(`lint: --init: ${existing} already exists here`);
  writeFileSync(join(io.cwd, ".natlintrc.jsonc"), starterConfig());
  io.stderr("natlint: wrote .natlintrc.jsonc\n");
  return 0;
}

/** Notes about skipped files on stderr; the "everything was ignored" warning. */
function reportNotes(result: LintResult, io: CliIo): void {
  const n = result.notes;
  if (!n) return;
  if (result.files.length === 0) {
    const w = ignoredWarning(n);
    if (w) io.stderr(`natlint: warning: ${w}\n`);
  } else for (const x of n.ignored) io.stderr(`natlint: warning: ${x.file}: ignored by ${x.why} (--no-ignore lints it)\n`);
  if (n.skippedLinks.length) {
    const shown = n.skippedLinks.slice(0, 3).join(", ") + (n.skippedLinks.length > 3 ? ", …" : "");
    io.stderr(`natlint: note: ${n.skippedLinks.length} symbolic link${n.skippedLinks.length === 1 ? "" : "s"} not followed (broken, or leading outside the searched directory; --follow-symlinks follows them): ${shown}\n`);
  }
}

export const lintCmd: Command = {
  name: "lint",
  summary: "lint config files (the CI command)",
  help: HELP,
  async run(args, io) {
    const p = parseOptions("lint", args, LINT_OPTIONS);
    const v = p.values;
    if (v.init) return init(io);
    const opts = lintOptions(p, io);
    const printFor = str(v["print-config"]);
    if (printFor !== undefined) {
      io.stdout(JSON.stringify(printConfig(printFor, opts), null, 2) + "\n");
      return 0;
    }
    const outputs = pairFormats(args);
    if (v.fix && v["fix-dry-run"]) throw new UsageError("lint: --fix and --fix-dry-run contradict each other");
    const fixTypes = (v["fix-type"] as string[] | undefined)?.flatMap((x) => x.split(",")).filter((x) => x !== "");
    // --format patch shows the fixes: they are applied in memory for it
    const applyFixes = !!v.fix || !!v["fix-dry-run"] || outputs.some((o) => o.format === "patch");
    const maxWarnings = intOption({ name: "lint" }, "max-warnings", str(v["max-warnings"]), 0, Number.MAX_SAFE_INTEGER);
    const jw = str(v["junit-warnings"]);
    if (jw !== undefined && jw !== "skipped" && jw !== "failure") throw new UsageError(`lint: --junit-warnings must be skipped or failure (got "${jw}")`);
    const useStdin = v.stdin === true || p.positionals.includes("-");
    if (useStdin && opts.patterns?.length) throw new UsageError("lint: --stdin lints standard input only: give no other files");
    if (!useStdin && str(v["stdin-filename"]) !== undefined) throw new UsageError("lint: --stdin-filename needs --stdin");
    if (v.prune && str(v.baseline) === undefined) throw new UsageError("lint: --prune needs --baseline FILE");
    const baselineFile = str(v.baseline);
    const baseline = baselineFile !== undefined ? readBaseline(baselineFile, io.cwd) : undefined;
    let stdin: { text: string; filename?: string } | undefined;
    if (useStdin) {
      if (!io.readStdin) throw new UsageError("lint: no standard input to read");
      const filename = str(v["stdin-filename"]);
      stdin = { text: await io.readStdin(opts.limits?.fileSize ?? DEFAULT_LIMITS.fileSize), ...(filename !== undefined ? { filename } : {}) };
    }
    const toStdout = outputs.find((o) => o.file === undefined);
    const progress = toStdout?.format === "stylish" && io.stdoutIsTTY && io.stderrIsTTY && !io.env.CI && io.spinnerStream ? await startProgress(io.spinnerStream) : undefined;
    let result;
    try {
      result = await lint({
        ...opts,
        ...(stdin ? { stdin } : {}),
        ...(baseline !== undefined ? { baseline } : {}),
        ...(progress ? { onProgress: progress.update } : {}),
        ...(applyFixes ? { fix: true } : {}),
        ...(fixTypes?.length ? { fixTypes } : {}),
      });
    } finally {
      progress?.stop();
    }
    reportNotes(result, io);
    if (v.prune && baselineFile !== undefined && baseline !== undefined) {
      const pruned = pruneBaseline(baseline, result.notes.unusedBaselineEntries ?? []);
      writeOutput(baselineFile, pruned.text, io.cwd);
      io.stderr(`natlint: pruned ${pruned.removed} finding${pruned.removed === 1 ? "" : "s"} from ${baselineFile}\n`);
    }
    const wb = str(v["write-baseline"]);
    if (wb !== undefined) {
      writeOutput(wb, writeBaseline(result.findings, { cwd: io.cwd }), io.cwd);
      io.stderr(`natlint: wrote ${result.findings.length} finding${result.findings.length === 1 ? "" : "s"} to ${wb}\n`);
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
    const shownStdin = stdin && result.files[0] ? { shown: result.files[0].path, text: stdin.text } : undefined;
    for (const o of outputs) {
      const pieces = formatLint(o.format, result, {
        colour: o.file === undefined && colourWanted(io),
        cwd: io.cwd,
        ...(jw ? { junitWarnings: jw as "skipped" | "failure" } : {}),
        ...(shownStdin ? { stdin: shownStdin } : {}),
        patch,
      });
      // standard output pays per write: small parts (JSON's and SARIF's) are gathered into pieces of about a MiB
      if (o.file === undefined) for (const piece of inPieces(pieces)) io.stdout(piece);
      else writeOutput(o.file, pieces, io.cwd);
    }
    if (result.summary.errors > 0) return 1;
    if (maxWarnings !== undefined && warnings > maxWarnings) {
      io.stderr(`natlint: ${warnings} warnings exceed --max-warnings ${maxWarnings}\n`);
      return 1;
    }
    return 0;
  },
};
