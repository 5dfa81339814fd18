/**
 * natlint as a library: `import { lint, explain, simulate, flow, diff, search } from "natlint"`.
 * A thin facade: it checks option values (errors name the option, e.g. `clients must be …`) and
 * calls the engine and the analyses; the CLI is a thin layer over these functions.
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { InputError } from "../core/errors.js";
import { configFile } from "../io/encode.js";
import { parseFlow as parseFlowText } from "../model/packet.js";
import type { Packet, Vendor } from "../model/types.js";
import { HeaderSpace } from "../headerspace/index.js";
import { BddBudgetError } from "../headerspace/bdd.js";
import { ResourceError } from "../core/limits.js";
import { parseHeaderSpace } from "../headerspace/parse.js";
import { AclSets } from "../acl/sets.js";
import { allProfileIds } from "../nat/profiles-remote.js";
import { natSetup } from "../nat/setup.js";
import { loadDevice as loadDeviceFile, parseConfig, type Parsed } from "../parse/index.js";
import { diffDevices, type DeviceDiff } from "../analysis/diff.js";
import { explainDevice, type ExplainResult } from "../analysis/explain.js";
import { aclJudge, COMPILED_BATCH, flowAcl, flowFamilyError, flowVerdicts } from "../analysis/flow.js";
import { searchAcl } from "../analysis/search.js";
import { allIgnoredMessage, DEFAULT_CLIENTS, lintRun, type LintSession, type RunOptions } from "../engine/run.js";
import { PACKAGE_ROOT, resolveRules } from "../engine/rules.js";
import { loadConfig, type NatlintConfig } from "../engine/settings.js";
import { printConfig as printConfigFor, starterConfig as starterConfigFor, type PrintedConfig } from "../engine/print-config.js";
import type { LintResult, RuleMeta, RunNotes } from "../engine/types.js";
import type { SearchReport } from "../report/review.js";
import { remoteNatOption } from "./path.js";
import { FileWriter } from "../io/write.js";
import { clientsOption, ipOption, portsOption, profileOption } from "./options.js";

// ------------------------------------------------------------------------------ lint

export interface LintOptions extends Omit<RunOptions, "peer"> {
  /** Peer (head-end) address to simulate; default: the config's, else picked from each device's ACLs. */
  peer?: string;
}

function checkRunOptions(opts: LintOptions): number | undefined {
  clientsOption(opts.clients);
  profileOption(opts.profile);
  const c = opts.concurrency;
  if (c !== undefined && c !== "auto" && c !== "off" && (!Number.isInteger(c) || c < 1 || c > 64)) throw new InputError(`concurrency must be a whole number from 1 to 64, "auto" or "off" (got ${String(c)})`);
  remoteNatOption(opts.remoteNat);
  if (opts.path !== undefined && (opts.patterns?.length || opts.stdin)) throw new InputError("path: lints the configs the path file names; give no other files");
  const sh = opts.shard;
  if (sh && (!Number.isInteger(sh.count) || !Number.isInteger(sh.index) || sh.count < 1 || sh.index < 1 || sh.index > sh.count)) throw new InputError(`shard must be i/n with 1 <= i <= n (got ${sh.index}/${sh.count})`);
  return ipOption("peer", opts.peer);
}

/** Lint config files: parse, simulate, run every enabled rule, apply suppressions and the baseline. */
export async function lint(opts: LintOptions = {}): Promise<LintResult & { notes: RunNotes }> {
  const peer = checkRunOptions(opts);
  const { peer: _p, ...rest } = opts;
  return lintRun({ ...rest, ...(peer !== undefined ? { peer } : {}) });
}

/**
 * Lint one config's text (an editor buffer, standard input); `filename` names it and picks its
 * config overrides. `session` (`newLintSession()`), passed with each version of one buffer, keeps
 * the analyses of the ACLs an edit leaves unchanged (same findings, less work).
 */
export async function lintText(text: string, opts: Omit<LintOptions, "patterns" | "stdin"> & { filename?: string; session?: LintSession } = {}): Promise<LintResult & { notes: RunNotes }> {
  const { filename, session, ...rest } = opts;
  return lint({ ...rest, stdin: { text, ...(filename !== undefined ? { filename } : {}), ...(session ? { session } : {}) } });
}

/** The warning for a run where everything named was ignored, or undefined. */
export function ignoredWarning(notes: RunNotes): string | undefined {
  return allIgnoredMessage(notes);
}

/** The settings natlint would use for `file` (`--print-config`). */
export function printConfig(file: string, opts: Pick<LintOptions, "cwd" | "config" | "clients" | "profile" | "peer" | "vendor" | "noIgnore" | "ignore"> = {}): PrintedConfig {
  const peer = checkRunOptions(opts);
  const cwd = resolve(opts.cwd ?? process.cwd());
  return printConfigFor(
    file,
    {
      cwd,
      ...(opts.config !== undefined ? { config: opts.config } : {}),
      ...(opts.clients !== undefined ? { clients: opts.clients } : {}),
      ...(opts.profile !== undefined ? { profile: opts.profile } : {}),
      ...(peer !== undefined ? { peer } : {}),
      ...(opts.vendor !== undefined ? { vendor: opts.vendor } : {}),
    },
    { ...(opts.noIgnore ? { noIgnore: true } : {}), ...(opts.ignore ? { ignore: opts.ignore } : {}) },
  );
}

/** The commented starter config `natlint lint --init` writes. */
export function starterConfig(): string {
  return starterConfigFor(rules({ config: false }).map((r) => r.id).sort());
}

/** The rule catalogue: the built-in rules and those of the config's `rulesDirs`. */
export function rules(opts: { cwd?: string; config?: string | false } = {}): RuleMeta[] {
  const cwd = resolve(opts.cwd ?? process.cwd());
  const loaded = opts.config === false ? undefined : loadConfig({ cwd, ...(opts.config !== undefined ? { configPath: opts.config } : {}) });
  return resolveRules(loaded, cwd);
}

/** Read and parse one config file (path relative to `cwd` or absolute). */
export function loadDevice(path: string, opts: { cwd?: string; vendor?: Vendor } = {}): Parsed {
  const { text: _t, ...parsed } = loadDeviceFile(path, opts);
  return parsed;
}

// ------------------------------------------------------------------------------ simulate, explain

export { simulate, simulateText, type SimulateOptions } from "./simulate.js";

export interface ExplainOptions {
  cwd?: string;
  /** The config's text (an editor buffer): `file` then only names it. */
  text?: string;
  clients?: number;
  /** Real source ports each client opens (default [500, 4500]; 1701 is L2TP, carried inside NAT-T). */
  ports?: number[];
  profile?: string;
  peer?: string;
  vendor?: Vendor;
}

/** Every client's IKE and NAT-T session through the device in FILE, with each ACL checkpoint. */
export function explain(file: string, opts: ExplainOptions = {}): ExplainResult {
  const clients = clientsOption(opts.clients) ?? DEFAULT_CLIENTS;
  const profile = profileOption(opts.profile);
  const peer = ipOption("peer", opts.peer);
  const ports = portsOption(opts.ports);
  const { device } =
    opts.text !== undefined ? parseConfig(opts.text, file, opts.vendor) : loadDevice(file, { ...(opts.cwd ? { cwd: opts.cwd } : {}), ...(opts.vendor ? { vendor: opts.vendor } : {}) });
  return explainDevice({ device, nat: natSetup(device, profile), sets: new AclSets(new HeaderSpace()), clients, ...(peer !== undefined ? { peer } : {}), ...(ports ? { ports } : {}) });
}

// ------------------------------------------------------------------------------ flow, diff, search

/** Parse a flow `PROTO SRC SPORT DST DPORT` (ports only for tcp/udp/sctp; ICMP may add `TYPE [CODE]` after DST). */
export function parseFlow(text: string): Packet | { error: string } {
  return parseFlowText(text);
}

export interface FlowResult {
  acl: string;
  action: "permit" | "deny";
  /** Deciding line; null when decided after the written lines (the implicit deny, or `implicit`). */
  line: number | null;
  source?: string;
  /** A line the platform adds decided it (IOS IPv6 ACLs: `permit icmp any any nd-na`, `… nd-ns`). */
  implicit?: string;
}

function flowResult(aclName: string, v: ReturnType<typeof flowVerdicts>[number]): FlowResult {
  return {
    acl: aclName,
    action: v.action,
    line: v.ace ? v.ace.source.line : null,
    ...(v.ace ? { source: v.ace.source.text } : {}),
    ...(v.implicit ? { implicit: v.implicit } : {}),
  };
}

/** Evaluate flows against one ACL of a device. */
export function flow(device: Parsed["device"], aclName: string, flows: readonly Packet[]): FlowResult[] {
  const sets = flows.length >= COMPILED_BATCH ? new AclSets(new HeaderSpace()) : undefined;
  return flowVerdicts(device, aclName, flows, sets).map((v) => flowResult(aclName, v));
}

/** How many flows a `flowJudge` caller should hold back before asking for the `compiled` judge (the batch evaluator pays off from there). */
export const FLOW_COMPILED_BATCH = COMPILED_BATCH;

/**
 * Flows judged one at a time against one ACL (`flow --flows`, streamed): `flow` without holding
 * the batch. `compiled` picks the evaluator `flow` uses for batches of `FLOW_COMPILED_BATCH` flows
 * or more (same verdicts, faster per flow, built first); without it, the reference evaluator
 * `flow` uses for fewer. The results are shared between the flows one line decides: do not change
 * them. The ACL must exist (`InputError` otherwise) and each flow be of its family (`flowError`).
 */
export function flowJudge(device: Parsed["device"], aclName: string, opts: { compiled: boolean }): (p: Packet) => FlowResult {
  const acl = flowAcl(device, aclName);
  const judge = aclJudge(acl, opts.compiled ? new AclSets(new HeaderSpace()) : undefined);
  const byLine = new Map<unknown, FlowResult>();
  const implicitDeny = {};
  let lastKey: unknown;
  let last: FlowResult | undefined;
  return (p) => {
    const v = judge(p);
    const key = v.ace ?? v.implicit ?? implicitDeny;
    if (key === lastKey) return last!;
    let r = byLine.get(key);
    if (r === undefined) byLine.set(key, (r = flowResult(aclName, v)));
    lastKey = key;
    return (last = r);
  };
}

/** Why a flow cannot be evaluated against the ACL (an IPv6 flow against an IPv4 ACL, or the reverse), or undefined. */
export function flowError(device: Parsed["device"], aclName: string, p: Packet): string | undefined {
  const acl = device.acls.get(aclName);
  return acl ? flowFamilyError(acl, p) : undefined;
}

export interface DiffOptions {
  cwd?: string;
  vendor?: Vendor;
  /** Only this ACL. */
  acl?: string;
  /** HEADERSPACE the change is meant to affect: changes are marked inside or outside it. */
  intent?: string;
  /** Node budget of the comparison's packet sets (default and most: 268435456). */
  maxBddNodes?: number;
}

/** What changed between two versions of a device's ACLs (see src/analysis/diff.ts). */
export function diff(oldFile: string, newFile: string, opts: DiffOptions = {}): DeviceDiff {
  const load = { ...(opts.cwd ? { cwd: opts.cwd } : {}), ...(opts.vendor ? { vendor: opts.vendor } : {}) };
  const oldDev = loadDevice(oldFile, load).device;
  const newDev = loadDevice(newFile, load).device;
  const sets = new AclSets(new HeaderSpace());
  if (opts.maxBddNodes !== undefined) sets.hs.bdd.maxNodes = opts.maxBddNodes;
  let intent: number | undefined;
  if (opts.intent !== undefined) {
    const r = parseHeaderSpace(opts.intent, sets.hs);
    if (typeof r !== "number") throw new InputError(`intent: ${r.error}`);
    intent = r;
  }
  try {
    return diffDevices(sets, oldDev, newDev, { ...(opts.acl !== undefined ? { acl: opts.acl } : {}), ...(intent !== undefined ? { intent } : {}) });
  } catch (e) {
    // a comparison too large for the budget stops with one line (exit 2), not as an internal error
    if (e instanceof BddBudgetError)
      throw new ResourceError(`diff: stopped: comparing ${oldDev.file} with ${newDev.file} needs more than ${e.budget} BDD nodes (the node budget, --max-bdd-nodes)${opts.acl === undefined && newDev.acls.size > 1 ? "; compare one ACL at a time with --acl NAME" : ""}`);
    throw e;
  }
}

export interface SearchOptions {
  cwd?: string;
  vendor?: Vendor;
  acl: string;
  action: "permit" | "deny";
  /** HEADERSPACE to search. */
  space: string;
}

/** One packet of the space that the ACL gives the action, with its deciding line (or none). */
export function search(file: string, opts: SearchOptions): SearchReport {
  const { device } = loadDevice(file, { ...(opts.cwd ? { cwd: opts.cwd } : {}), ...(opts.vendor ? { vendor: opts.vendor } : {}) });
  const acl = device.acls.get(opts.acl);
  if (!acl) throw new InputError(`ACL "${opts.acl}" is not defined in ${device.file}`);
  const sets = new AclSets(new HeaderSpace());
  const set = parseHeaderSpace(opts.space, sets.hs);
  if (typeof set !== "number") throw new InputError(`space: ${set.error}`);
  return { acl: acl.name, action: opts.action, space: opts.space, hit: searchAcl(sets, acl, opts.action, set) };
}

export { DEFAULT_CLIENTS };

// ------------------------------------------------------------------------------ fixes

export interface FixedFile {
  path: string;
  /** The text natlint read. */
  old: string;
  /** The text with the proven fixes applied. */
  new: string;
}

/** A config file's text as natlint reads it (UTF-8 with or without BOM, UTF-16 with BOM). */
export function readConfig(path: string, opts: { cwd?: string } = {}): string {
  return configFile(resolve(opts.cwd ?? process.cwd(), path)).text;
}

/**
 * Writes `pieces` one after the other to `path` (created or truncated), never joined into one
 * string: a fleet's report can outgrow the longest string V8 can make. Errors are Node's (`code`).
 */
export function writePieces(path: string, pieces: Iterable<string>): void {
  const w = new FileWriter(path);
  try {
    for (const piece of pieces) w.write(piece);
  } finally {
    w.close();
  }
}

/**
 * The files a `lint({ fix: true })` result fixed, with their old and new texts; with `write`, the
 * new texts are written over the files, in the encoding each file had (UTF-8, its BOM, UTF-16).
 */
export function fixedFiles(result: LintResult, opts: { cwd?: string; write?: boolean } = {}): FixedFile[] {
  const cwd = resolve(opts.cwd ?? process.cwd());
  const out: FixedFile[] = [];
  for (const f of result.files) {
    if (f.output === undefined) continue;
    const file = configFile(resolve(cwd, f.path));
    out.push({ path: f.path, old: file.text, new: f.output });
    if (opts.write) file.write(f.output);
  }
  return out;
}

// ------------------------------------------------------------------------------ package

export interface PackageInfo {
  version: string;
  homepage?: string;
  /** The repository's web address (package.json `repository.url` without `git+` and `.git`). */
  repositoryUrl?: string;
}

/** The installed package's version, homepage and repository (package.json). */
export function packageInfo(): PackageInfo {
  const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, "package.json"), "utf8")) as { version: string; homepage?: string; repository?: string | { url?: string } };
  const raw = typeof pkg.repository === "string" ? pkg.repository : pkg.repository?.url;
  const repositoryUrl = raw?.replace(/^git\+/, "").replace(/\.git$/, "");
  return { version: pkg.version, ...(pkg.homepage ? { homepage: pkg.homepage } : {}), ...(repositoryUrl && /^https?:\/\//.test(repositoryUrl) ? { repositoryUrl } : {}) };
}

/** The PAT profile ids (for "did you mean"). */
export function profileIds(): string[] {
  return allProfileIds();
}

export { explainPath, explainHeadend, explainObserved, readObserved, type ExplainPathOptions, type ExplainHeadendOptions, type ExplainObservedOptions } from "./path.js";
export type { PathExplainResult, PathSessionJson, PathHopJson } from "../analysis/path-explain.js";
export type { ObservedState } from "../parse/observed.js";
export { NatlintError, InputError, ConfigError, fsReason } from "../core/errors.js";
export { DEFAULT_LIMITS, LIMIT_FLAGS, parseSize, formatBytes, type Limits } from "../core/limits.js";
export { summarize } from "../core/finding.js";
export { closest, didYouMean } from "./suggest.js";
export type { Finding, FindingDetails, Json, Severity, Summary } from "../core/finding.js";
export type { LintResult, RuleMeta, FileResult, RunNotes, FixedFinding } from "../engine/types.js";
export type { Fix, FixEdit, FixProof, ProofChange } from "../model/edits.js";
export type { LintSession, RunOptions } from "../engine/run.js";
export { newLintSession } from "../engine/run.js";
export type { Concurrency } from "../engine/pool.js";
export type { PrintedConfig } from "../engine/print-config.js";
export type { NatlintConfig, ConfigOverride, FileSettings, RuleSetting, RuleSettingValue, SeverityInput, SeveritySetting } from "../engine/settings.js";
export { CONFIG_FILE_NAMES } from "../engine/settings.js";
export type { NatlintConfig as Config };
export { writeBaseline, filterByBaseline, parseBaseline, pruneBaseline, type BaselineFile, type BaselineEntry, type BaselineResult } from "../engine/baseline.js";
export type { DetailsOf, RuleDetails } from "../engine/details.js";
export type { ExplainResult, ExplainSession, ExplainCheckpoint } from "../analysis/explain.js";
export type { SimulateResult } from "../analysis/simulate.js";
export type { DeviceDiff, AclDiff, AclChange } from "../analysis/diff.js";
export type { SearchReport } from "../report/review.js";
export type { Device, Acl, Ace, Packet, Vendor } from "../model/types.js";
