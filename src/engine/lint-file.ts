/**
 * One file of a lint run: its effective settings, parse, every enabled rule's check, columns from
 * the text, inline suppressions. Pure given its inputs (the text and the prepared run), so the
 * same function runs in the main thread, in a worker (./worker.ts) and behind the cache.
 */
import { createHash } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { lineColumns, type Finding } from "../core/finding.js";
import { InputError } from "../core/errors.js";
import { readConfigText } from "../io/files.js";
import { parseIp } from "../model/addr.js";
import { newDevice, type Vendor } from "../model/types.js";
import { formatBytes, LIMIT_FLAGS, limitsOf, type Limits } from "../core/limits.js";
import { parseConfig } from "../parse/index.js";
import { parseDirectives } from "../parse/common/directives.js";
import type { PerAcl, SimulationSettings } from "../checks/define.js";
import { PACKAGE_ROOT, resolveRules } from "./rules.js";
import { inlineConfig, loadConfig, resolveFileSettings, type LoadedConfig, type NatlintConfig, type RuleSetting } from "./settings.js";
import { runRules } from "./checks-run.js";
import { AclMemo } from "./acl-memo.js";
import type { ExtraSimulations } from "./context.js";
import { parseRemoteNat } from "../sim/remote.js";
import { DEFAULT_CLIENTS } from "../sim/sessions.js";
import { applySuppressions } from "./suppress.js";
import type { FileResult, RuleMeta } from "./types.js";
import type { Acl, Device } from "../model/types.js";
import { fixFile } from "./fix-run.js";
import { REMEDIES } from "./remedies.js";

export { DEFAULT_CLIENTS };

/** The options of a run that every file shares; plain data, so a worker can get them too. */
export interface RunSpec {
  cwd: string;
  /** A path, `false` for none, a config object, or undefined to search upward from `cwd`. */
  config?: string | false | NatlintConfig;
  /** Command-line values: they win over the config's (also over its overrides). */
  clients?: number;
  profile?: string;
  peer?: number;
  vendor?: Vendor;
  /** Remote NATs (`--remote-nat`): they win over the config's `remoteNat`. */
  remoteNat?: string[];
  reportUnusedDisableDirectives?: boolean;
  /** Rules to run instead of the built-in rules and the config's rulesDirs. */
  rules?: RuleMeta[];
  /** Resource limits from the flags (they win over the config's `limits`). */
  limits?: Partial<Limits>;
  /**
   * Fixes: `prove` false skips proving them (findings then carry no `fix`); `apply` applies the
   * proven ones (`files[].output`, findings of the fixed text); `only` limits them to these rules.
   */
  fixes?: { prove: boolean; apply: boolean; only?: string[] };
}

export interface PreparedRun {
  spec: RunSpec;
  cwd: string;
  loaded: LoadedConfig | undefined;
  rules: RuleMeta[];
  /** The limits in force: defaults, the config's (bases first), the flags'. */
  limits: Limits;
  /** Per-file rule settings from a library caller (not available in workers). */
  ruleSettingsFor?: ((file: string) => ReadonlyMap<string, RuleSetting> | undefined) | undefined;
}

export function prepareRun(spec: RunSpec): PreparedRun {
  const cwd = path.resolve(spec.cwd);
  const loaded =
    spec.config === false ? undefined
    : typeof spec.config === "object" ? inlineConfig(spec.config, cwd)
    : loadConfig({ cwd, ...(spec.config !== undefined ? { configPath: spec.config } : {}) });
  const rules = spec.rules ?? resolveRules(loaded, cwd);
  const limits = limitsOf(...(loaded?.layers ?? []).map((l) => l.config.limits), spec.limits);
  return { spec, cwd, loaded, rules, limits };
}

/** What one file gives the run. */
export interface FileOutcome {
  /** With fixes applied: `output` (the fixed text) and `fixed` (what was applied). */
  file: FileResult;
  /** After suppressions (unused-directive findings included when asked for). */
  findings: Finding[];
  suppressed: number;
}

/** The effective settings of one file: simulation, vendor and rules (config, overrides, then flags). */
export function fileSettings(prep: PreparedRun, shown: string): { simulation: SimulationSettings; vendor: Vendor | undefined; rules: ReadonlyMap<string, RuleSetting> | undefined } {
  const { spec } = prep;
  const r = prep.loaded ? resolveFileSettings(prep.loaded, shown, prep.cwd) : undefined;
  const profile = spec.profile ?? r?.profile;
  let peer = spec.peer;
  if (peer === undefined && r?.peer !== undefined) {
    peer = parseIp(r.peer);
    if (peer === undefined) throw new InputError(`peer must be an IPv4 address (got "${r.peer}")`);
  }
  // --peer wins over the config's peers (as every flag wins over the config)
  const peers = spec.peer === undefined && r?.peers?.length ? r.peers.map((p) => ipSetting("peers", p)) : undefined;
  const clients = spec.clients ?? r?.clients ?? DEFAULT_CLIENTS;
  const inside = r?.inside?.length ? insideAddresses(r.inside) : undefined;
  const remoteNat = spec.remoteNat ?? r?.remoteNat;
  for (const id of remoteNat ?? []) {
    const x = parseRemoteNat(id);
    if ("error" in x) throw new InputError(`remoteNat: ${x.error}`);
  }
  return {
    simulation: {
      clients,
      ...(profile !== undefined ? { profile } : {}),
      ...(peer !== undefined ? { peer } : {}),
      ...(peers ? { peers } : {}),
      ...(inside ? { inside } : {}),
      ...(remoteNat?.length ? { remoteNat } : {}),
    },
    vendor: spec.vendor ?? r?.vendor,
    rules: prep.ruleSettingsFor?.(shown) ?? r?.rules,
  };
}

function ipSetting(key: string, text: string): number {
  const ip = parseIp(text);
  if (ip === undefined) throw new InputError(`${key}: "${text}" is not an IPv4 address`);
  return ip;
}

/** The config's `inside`: addresses and A.B.C.D/N prefixes (their host addresses), in order, at most 65,535. */
export function insideAddresses(items: readonly string[]): number[] {
  const out: number[] = [];
  for (const it of items) {
    const m = /^([^/]+)\/(\d+)$/.exec(it);
    if (!m) {
      out.push(ipSetting("inside", it));
      continue;
    }
    const base = ipSetting("inside", m[1]!);
    const len = Number(m[2]);
    if (len > 32) throw new InputError(`inside: "${it}" is not an IPv4 prefix`);
    const size = 2 ** (32 - len);
    const net = len === 0 ? 0 : (base & (~(size - 1) >>> 0)) >>> 0;
    const [first, last] = size > 2 ? [net + 1, net + size - 2] : [net, net + size - 1];
    for (let a = first; a <= last && out.length < 65535; a++) out.push(a >>> 0);
  }
  return out;
}

/** What a path run adds to one file's lint: simulation settings of the path, and its sessions. */
export interface FileExtras {
  simulation?: Partial<SimulationSettings>;
  sims?: ExtraSimulations;
  vendor?: Vendor;
  /** Results kept from the previous version of this text (./acl-memo.ts). */
  session?: AclMemo;
}

/** Lint one file's text; `shown` is its display path (findings carry it). */
export function lintText(prep: PreparedRun, shown: string, text: string, extras: FileExtras = {}): FileOutcome {
  const fs = fileSettings(prep, shown);
  const s = { ...fs, simulation: { ...fs.simulation, ...extras.simulation }, vendor: extras.vendor ?? fs.vendor };
  if (text.length > prep.limits.fileSize) return oversized(prep, shown, text.length, "characters");
  const parsed = parseConfig(text, shown, s.vendor, prep.limits);
  const memo = extras.session ?? new AclMemo();
  const rulesOn = (device: Device, perAcl: PerAcl): Finding[] => runRules(device, prep.rules, s.simulation, s.rules, extras.sims, prep.limits, perAcl);
  // the fix proofs' lints of edited versions take the results of the ACLs a fix leaves as they are
  const lint = (device: Device, unchanged?: ReadonlyMap<Acl, Acl>): Finding[] => rulesOn(device, memo.view(unchanged));
  const raw = rulesOn(parsed.device, extras.session ? extras.session.next(parsed.device) : memo.view());
  const reportedOf = (rawFindings: readonly Finding[], t: string) => {
    const ls = t.split(/\r\n|\r|\n/);
    const sup = applySuppressions(rawFindings, new Map([[shown, parseDirectives(t)]]), { reportUnused: prep.spec.reportUnusedDisableDirectives ?? false });
    return { findings: [...sup.kept, ...sup.unused].map((f) => (f.file === shown ? withColumns(f, ls) : f)), suppressed: sup.suppressed.length };
  };
  const file: FileResult = { path: shown, vendor: parsed.vendor, vendorReason: parsed.vendorReason };
  const fx = prep.spec.fixes;
  if (fx?.prove !== false && raw.some((f) => REMEDIES.has(f))) {
    const r = fixFile({ file: shown, vendor: parsed.vendor, text, device: parsed.device, raw, lint }, { apply: fx?.apply === true, ...(fx?.only ? { only: new Set(fx.only) } : {}), reported: reportedOf });
    return { file: { ...file, ...r.output }, findings: r.findings, suppressed: r.suppressed };
  }
  const rep = reportedOf(raw, text);
  return { file, findings: rep.findings, suppressed: rep.suppressed };
}

function withColumns(f: Finding, lines: readonly string[]): Finding {
  if (f.column !== undefined || f.line < 1) return f;
  const c = lineColumns(lines, f.line);
  if (!c) return f;
  const { message, ...head } = f;
  const out: Finding = { ...head, column: c.column, endColumn: c.endColumn, message };
  const remedy = REMEDIES.get(f);
  if (remedy) REMEDIES.set(out, remedy);
  return out;
}

/** Read and lint one file; a file over the size limit is not read (its size is checked first). */
export function lintPath(prep: PreparedRun, abs: string, shown: string): FileOutcome {
  const size = fileSize(abs);
  if (size > prep.limits.fileSize) return oversized(prep, shown, size, "bytes");
  return lintText(prep, shown, readConfigText(abs, shown));
}

/** The size of a file in bytes, or 0 when it cannot be looked at (reading it reports why). */
export function fileSize(abs: string): number {
  try {
    return statSync(abs).size;
  } catch {
    return 0;
  }
}

/** A file over the size limit: one `unsupported-input` finding (the rule's severity), nothing read. */
function oversized(prep: PreparedRun, shown: string, size: number, unit: "bytes" | "characters"): FileOutcome {
  const s = fileSettings(prep, shown);
  const device = newDevice(shown, s.vendor ?? "ios");
  device.lineCount = 1;
  const big = unit === "bytes" ? formatBytes(size) : `${size} characters`;
  device.diagnostics.push({
    kind: "unsupported",
    source: { file: shown, line: 1, text: "" },
    message: `this file is ${big}, more than natlint's file-size limit of ${formatBytes(prep.limits.fileSize)} (${LIMIT_FLAGS.fileSize}): it was not read, and nothing in it was analysed`,
  });
  const rules = prep.rules.filter((r) => r.id === "unsupported-input");
  // never silent: with the rule off, the file still says it was not read
  const sev = s.rules?.get("unsupported-input")?.severity;
  const settings = sev === "off" ? new Map([...(s.rules ?? new Map()), ["unsupported-input", { severity: "error" as const }]]) : s.rules;
  return { file: { path: shown, vendor: device.vendor, vendorReason: "not read (file-size limit)" }, findings: runRules(device, rules, s.simulation, settings), suppressed: 0 };
}

// ---------------------------------------------------------------------------------------------
// Keys for the cache

let version: string | undefined;
/** The installed natlint version (package.json). */
export function natlintVersion(): string {
  version ??= (JSON.parse(readFileSync(path.join(PACKAGE_ROOT, "package.json"), "utf8")) as { version: string }).version;
  return version;
}

export function sha256(text: string | Uint8Array): string {
  return createHash("sha256").update(text).digest("hex");
}

/** What every file's result depends on besides its own text and settings: version, rules, flags. */
export function runKey(prep: PreparedRun): string {
  const { spec } = prep;
  return sha256(JSON.stringify([natlintVersion(), prep.cwd, prep.rules, spec.clients, spec.profile, spec.peer, spec.vendor, spec.reportUnusedDisableDirectives ?? false, spec.fixes ?? null, prep.limits]));
}

/** The key of one file's result: its content hash, its effective settings and the run's key. */
export function fileKey(prep: PreparedRun, shown: string, contentHash: string, run: string): string {
  const s = fileSettings(prep, shown);
  const rules = s.rules ? [...s.rules.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) : [];
  return sha256(JSON.stringify([run, shown, contentHash, s.simulation, s.vendor ?? null, rules]));
}
