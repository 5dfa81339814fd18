/**
 * The library API (`import { lint, explain, simulate, flow } from "natlint"`). The CLI is a thin
 * layer over these functions.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { HeaderSpace } from "./headerspace/index.js";
import { formatIp, parseIp } from "./model/addr.js";
import { PROTO, parseProtocol, protocolName } from "./model/ports.js";
import { packet, type Device, type Packet, type Vendor } from "./model/types.js";
import { evaluateAcl } from "./acl/evaluate.js";
import { parseConfig } from "./parse/index.js";
import { decodeConfig } from "./io/decode.js";
import { PatTable } from "./nat/pat.js";
import { getProfile, PROFILES } from "./nat/profiles.js";
import { flowsForPorts, simulateDevice, simulatePat, type DeviceSimulation, type SessionTrace } from "./sim/ipsec.js";
import { runRules, type RuleSetting } from "./engine/index.js";
import { compareFindings } from "./config/paths.js";
import { loadBuiltinRules, loadRulesDir } from "./engine/rules.js";
import { ConfigurationError } from "./engine/errors.js";
import { compileSchema, describeAjvErrors } from "./engine/ajv.js";
import { applySuppressions, parseDirectives, type Directive } from "./engine/suppress.js";
import { filterByBaseline, type BaselineFile } from "./engine/baseline.js";
import { isIgnored, loadConfig, resolveRuleSettings, validateRuleReferences, type LoadedConfig } from "./config/index.js";
import { CHECKS } from "./checks/index.js";
import type { LintResult, RuleMeta } from "./engine/types.js";
import type { Check, Finding } from "./checks/types.js";
import { displayPath, findConfigFiles, InputError } from "./io/files.js";

export { InputError } from "./io/files.js";
export { ConfigError, ConfigurationError } from "./engine/errors.js";
export type { Finding, Severity } from "./checks/types.js";
export type { LintResult, RuleMeta } from "./engine/types.js";
export type { Device } from "./model/types.js";

export interface LintOptions {
  /** Files, directories or globs (default ["."]). */
  patterns?: string[];
  cwd?: string;
  /** IPsec clients to simulate behind each PAT (default 3). */
  clients?: number;
  /** PAT profile id; default: chosen from each config. */
  profile?: string;
  peer?: string;
  /** Force the vendor instead of detecting it from the content. */
  vendor?: Vendor;
  /** Rules to run (default: the built-in rules). */
  rules?: RuleMeta[];
  /** Per-file rule settings (from a config file). */
  ruleSettingsFor?: (file: string) => ReadonlyMap<string, RuleSetting> | undefined;
  /** Globs to skip when expanding directories and globs. */
  ignore?: string[];
  /** Called before each file is analysed. */
  onFile?: (file: string, index: number, total: number) => void;
  /**
   * Config file: a path (like `--config`), `false` for none, or undefined to search for
   * `.natlintrc.json` upward from `cwd`. Explicit options above win over the config's.
   */
  config?: string | false;
  /** Report `natlint-disable` directives that suppress nothing. */
  reportUnusedDisableDirectives?: boolean;
  /** Baseline (JSON text or parsed): findings it records are not reported. */
  baseline?: string | BaselineFile;
}

function readText(abs: string, shown: string): string {
  try {
    // UTF-8 with or without BOM, and UTF-16 (some exported configs are).
    return decodeConfig(readFileSync(abs));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(`${shown}: cannot read file${code ? ` (${code})` : ""}`);
  }
}

export function validateClients(n: number | undefined): number {
  const c = n ?? 3;
  if (!Number.isInteger(c) || c < 1 || c > 65535) throw new InputError(`--clients must be a whole number from 1 to 65535 (got ${n})`);
  return c;
}

export function validatePeer(peer: string | undefined): number | undefined {
  if (peer === undefined) return undefined;
  const ip = parseIp(peer);
  if (ip === undefined) throw new InputError(`--peer must be an IPv4 address (got "${peer}")`);
  return ip;
}

export function validateProfile(profile: string | undefined): string | undefined {
  if (profile !== undefined && !getProfile(profile))
    throw new InputError(`unknown PAT profile "${profile}" (known: ${PROFILES.map((p) => p.id).join(", ")})`);
  return profile;
}

/** Parse one file (path relative to cwd or absolute). */
export function loadDevice(path: string, opts: { cwd?: string; vendor?: Vendor } = {}): { device: Device; vendorReason: string } {
  const cwd = opts.cwd ?? process.cwd();
  const abs = resolve(cwd, path);
  const shown = displayPath(abs, cwd);
  const text = readText(abs, shown);
  const p = parseConfig(text, shown, opts.vendor);
  return { device: p.device, vendorReason: p.vendorReason };
}

export function summarize(findings: Finding[]): LintResult["summary"] {
  const s = { errors: 0, warnings: 0, infos: 0 };
  for (const f of findings) {
    if (f.severity === "error") s.errors++;
    else if (f.severity === "warning") s.warnings++;
    else s.infos++;
  }
  return s;
}

/**
 * The rules of a run: the built-in ones plus every rule file of the config's `rulesDirs`
 * (validated with the same schema; a duplicate id is a configuration error), and the config's
 * rule settings checked against them (unknown rule ids, options against the check's schema).
 */
export function resolveRules(loaded: LoadedConfig | undefined, cwd: string): RuleMeta[] {
  const rules = loadBuiltinRules();
  for (const dir of loaded?.rulesDirs ?? []) {
    for (const r of loadRulesDir(dir)) {
      const clash = rules.find((x) => x.id === r.id);
      if (clash) throw new ConfigurationError(`${displayPath(r.file, cwd)}: rule id "${r.id}" is already defined by ${displayPath(clash.file, cwd)}`);
      rules.push(r);
    }
  }
  if (loaded) {
    const byId = new Map(rules.map((r) => [r.id, r]));
    validateRuleReferences(
      loaded,
      new Set(byId.keys()),
      (id, options) => {
        const rule = byId.get(id)!;
        const check = CHECKS.get(rule.check)! as Check<Record<string, unknown>>;
        const merged = { ...rule.options, ...options };
        const v = compileSchema(check.optionsSchema);
        return v(merged) ? check.validateOptions?.(merged) : describeAjvErrors(v.errors);
      },
      cwd,
    );
  }
  return rules;
}

/** Lint config files: parse, simulate, run every enabled rule, apply suppressions and the baseline. */
export async function lint(opts: LintOptions = {}): Promise<LintResult> {
  const cwd = opts.cwd ?? process.cwd();
  const loaded = opts.config === false ? undefined : loadConfig({ cwd, ...(opts.config !== undefined ? { configPath: opts.config } : {}) });
  const cfg = loaded?.config ?? {};
  const clients = validateClients(opts.clients ?? cfg.clients);
  const profile = validateProfile(opts.profile ?? cfg.profile);
  const peer = validatePeer(opts.peer);
  const vendor = opts.vendor ?? cfg.vendor;
  const rules = opts.rules ?? resolveRules(loaded, cwd);
  const found = await findConfigFiles(opts.patterns?.length ? opts.patterns : ["."], cwd, opts.ignore);
  const files = loaded ? found.filter((f) => !isIgnored(cfg, f, cwd, loaded.baseDir)) : found;
  if (files.length === 0) throw new InputError("all files are ignored by the config's ignore globs");
  let findings: Finding[] = [];
  const fileResults: LintResult["files"] = [];
  const directives = new Map<string, Directive[]>();
  files.forEach((abs, i) => {
    const shown = displayPath(abs, cwd);
    opts.onFile?.(shown, i, files.length);
    const text = readText(abs, shown);
    const parsed = parseConfig(text, shown, vendor);
    fileResults.push({ path: shown, vendor: parsed.vendor, vendorReason: parsed.vendorReason });
    directives.set(shown, parseDirectives(text));
    const ruleSettings = opts.ruleSettingsFor?.(shown) ?? (loaded ? resolveRuleSettings(cfg, shown, cwd, loaded.baseDir) : undefined);
    findings.push(
      ...runRules(parsed.device, {
        rules,
        hs: new HeaderSpace(),
        settings: { clients, ...(profile ? { profile } : {}), ...(peer !== undefined ? { peer } : {}) },
        ...(ruleSettings ? { ruleSettings } : {}),
      }),
    );
  });
  const sup = applySuppressions(findings, directives, { reportUnused: opts.reportUnusedDisableDirectives ?? false });
  findings = [...sup.kept, ...sup.unused].sort(compareFindings);
  let baselined = 0;
  if (opts.baseline !== undefined) {
    const b = filterByBaseline(findings, opts.baseline, { cwd });
    baselined = b.matched.length;
    findings = b.kept;
  }
  return { findings, files: fileResults, summary: { ...summarize(findings), suppressed: sup.suppressed.length, baselined }, rules };
}

// ---------------------------------------------------------------------------------------------

export interface SimulateOptions {
  clients?: number;
  profile?: string;
  /** Real source ports each client opens, in order (default [500, 4500]). */
  ports?: number[];
  /** First client's inside address (default 192.168.100.11); the others follow. */
  inside?: string;
  /** Global (PAT) address (default 192.0.2.2). */
  global?: string;
  peer?: string;
}

export interface SimulateResult {
  profile: string;
  /** Assumptions the profile makes (unconfirmed behaviour). */
  assumptions: string[];
  global: string;
  peer: string;
  sessions: Array<{
    client: number;
    flow: string;
    inside: { ip: string; port: number };
    /** null when the PAT is exhausted. */
    translated: { ip: string; port?: number; ports?: Array<[number, number]> } | null;
  }>;
}

function translatedJson(t: SessionTrace["translated"]): SimulateResult["sessions"][number]["translated"] {
  if (!t) return null;
  return {
    ip: formatIp(t.ip),
    ...(t.port !== undefined ? { port: t.port } : {}),
    ...(t.port === undefined ? { ports: t.ports.map((r) => [r.lo, r.hi] as [number, number]) } : {}),
  };
}

/** Simulate N clients behind one PAT address, without a config. */
export function simulate(opts: SimulateOptions = {}): SimulateResult {
  const clients = validateClients(opts.clients);
  const profileId = validateProfile(opts.profile) ?? "ios";
  const profile = getProfile(profileId)!;
  const ports = opts.ports ?? [500, 4500];
  for (const p of ports) if (!Number.isInteger(p) || p < 1 || p > 65535) throw new InputError(`--ports: ${p} is not a port (1-65535)`);
  const first = opts.inside === undefined ? 0xc0a8640b : parseIp(opts.inside);
  if (first === undefined) throw new InputError(`--inside must be an IPv4 address (got "${opts.inside}")`);
  const global = opts.global === undefined ? 0xc0000202 : parseIp(opts.global);
  if (global === undefined) throw new InputError(`--global must be an IPv4 address (got "${opts.global}")`);
  const peer = validatePeer(opts.peer) ?? 0xcb00710a;
  const table = new PatTable(profile, [global]);
  const ips = Array.from({ length: clients }, (_, i) => (first + i) >>> 0);
  const sessions = simulatePat(table, ips, flowsForPorts(ports), peer);
  return {
    profile: profile.id,
    assumptions: profile.assumptions,
    global: formatIp(global),
    peer: formatIp(peer),
    sessions: sessions.map((s) => ({
      client: s.client,
      flow: s.flow,
      inside: { ip: formatIp(s.inside.ip), port: s.inside.port },
      translated: translatedJson(s.translated),
    })),
  };
}

// ---------------------------------------------------------------------------------------------

export interface ExplainOptions {
  cwd?: string;
  clients?: number;
  profile?: string;
  peer?: string;
  vendor?: Vendor;
}

export interface ExplainResult {
  file: string;
  vendor: Vendor;
  /** How clients, peer, interfaces and profile were chosen, and assumptions. */
  notes: string[];
  nat: Array<{ line: number; rule: string; profile: string; globals: string[]; insideInterface: string | null; outsideInterface: string | null }>;
  sessions: Array<{
    client: number;
    flow: string;
    direction: "outbound" | "return";
    inside: { ip: string; port: number };
    translated: SimulateResult["sessions"][number]["translated"];
    peer: { ip: string; port: number };
    checkpoints: Array<{
      interface: string;
      direction: "in" | "out";
      acl: string;
      line: number | null;
      action: "permit" | "deny";
      sees: "real" | "translated";
      source?: string;
      defined: boolean;
      portsDenied?: number;
      portsTotal?: number;
      timeRange?: string;
      fallThroughFrom?: string;
    }>;
    verdict: "permit" | "drop";
    detail?: string;
  }>;
}

/** Every client's IKE and NAT-T session through the device in FILE, with each ACL checkpoint. */
export function explain(file: string, opts: ExplainOptions = {}): ExplainResult {
  const clients = validateClients(opts.clients);
  const profile = validateProfile(opts.profile);
  const peer = validatePeer(opts.peer);
  const { device } = loadDevice(file, { ...(opts.cwd ? { cwd: opts.cwd } : {}), ...(opts.vendor ? { vendor: opts.vendor } : {}) });
  const hs = new HeaderSpace();
  const sims: DeviceSimulation[] = simulateDevice(device, { clients, hs, ...(profile ? { profile } : {}), ...(peer !== undefined ? { peer } : {}) });
  const notes: string[] = [];
  if (sims.length === 0) notes.push("no PAT (dynamic NAT with overload) in this config: nothing to simulate");
  if (sims.length > 1) notes.push(`${sims.length} PAT rules; sessions are listed for each`);
  for (const s of sims) for (const n of s.notes) if (!notes.includes(n)) notes.push(n);
  const lines = new Map<number, string>();
  for (const a of device.acls.values()) for (const e of a.entries) lines.set(e.source.line, e.source.text);
  const sessions: ExplainResult["sessions"] = [];
  for (const s of sims)
    for (const t of s.traces)
      sessions.push({
        client: t.client,
        flow: t.flow,
        direction: t.direction,
        inside: { ip: formatIp(t.inside.ip), port: t.inside.port },
        translated: translatedJson(t.translated),
        peer: { ip: formatIp(t.peer.ip), port: t.peer.port },
        checkpoints: t.checkpoints.map((c) => ({
          interface: c.interface,
          direction: c.direction,
          acl: c.acl,
          line: c.line,
          action: c.action,
          sees: c.sees,
          ...(c.line !== null && lines.has(c.line) ? { source: lines.get(c.line)! } : {}),
          defined: c.defined,
          ...(c.portsTotal !== undefined ? { portsDenied: c.portsDenied!, portsTotal: c.portsTotal } : {}),
          ...(c.timeRange ? { timeRange: c.timeRange } : {}),
          ...(c.fallThroughFrom ? { fallThroughFrom: c.fallThroughFrom } : {}),
        })),
        verdict: t.verdict,
        ...(t.detail ? { detail: t.detail } : {}),
      });
  if (sessions.some((s) => s.checkpoints.some((c) => c.timeRange))) notes.push("some verdicts depend on a time-range: they hold only while it is active");
  return {
    file: device.file,
    vendor: device.vendor,
    notes,
    nat: sims.map((s) => ({
      line: s.setup.rule.source.line,
      rule: s.setup.rule.source.text,
      profile: s.setup.profile.id,
      globals: s.setup.globals.slice(0, 8).map(formatIp),
      insideInterface: s.setup.insideIf ? (s.setup.insideIf.nameif ?? s.setup.insideIf.name) : null,
      outsideInterface: s.setup.outsideIf ? (s.setup.outsideIf.nameif ?? s.setup.outsideIf.name) : null,
    })),
    sessions,
  };
}

// ---------------------------------------------------------------------------------------------

/**
 * Parse a flow `PROTO SRC SPORT DST DPORT` (ports only for tcp/udp/sctp; ICMP may add
 * `TYPE [CODE]` after DST).
 */
export function parseFlow(text: string): Packet | { error: string } {
  const t = text.trim().split(/\s+/);
  const proto = parseProtocol(t[0]);
  if (proto === undefined || proto === null) return { error: `"${t[0] ?? ""}": expected a protocol name or number (not ip)` };
  const ported = proto === PROTO.TCP || proto === PROTO.UDP || proto === PROTO.SCTP;
  const want = ported ? 5 : 3;
  const src = parseIp(t[1]);
  if (src === undefined) return { error: `"${t[1] ?? ""}": expected a source IPv4 address` };
  let i = 2;
  let srcPort = 0;
  if (ported) {
    srcPort = Number(t[2]);
    if (!/^\d+$/.test(t[2] ?? "") || srcPort > 65535) return { error: `"${t[2] ?? ""}": expected a source port 0-65535` };
    i = 3;
  }
  const dst = parseIp(t[i]);
  if (dst === undefined) return { error: `"${t[i] ?? ""}": expected a destination IPv4 address` };
  let dstPort = 0;
  let icmpType = 0;
  let icmpCode = 0;
  if (ported) {
    dstPort = Number(t[i + 1]);
    if (!/^\d+$/.test(t[i + 1] ?? "") || dstPort > 65535) return { error: `"${t[i + 1] ?? ""}": expected a destination port 0-65535` };
    if (t.length > want) return { error: `unexpected "${t[want]}" after the destination port` };
  } else if (proto === PROTO.ICMP && t.length > 3) {
    icmpType = Number(t[3]);
    icmpCode = Number(t[4] ?? 0);
    if (!/^\d+$/.test(t[3]!) || icmpType > 255 || !/^\d+$/.test(t[4] ?? "0") || icmpCode > 255 || t.length > 5)
      return { error: `ICMP flows are "icmp SRC DST [TYPE [CODE]]"` };
  } else if (t.length > want) return { error: `${protocolName(proto)} has no ports: write "${protocolName(proto)} SRC DST"` };
  return packet({ protocol: proto, src, dst, srcPort, dstPort, icmpType, icmpCode });
}

export interface FlowResult {
  acl: string;
  action: "permit" | "deny";
  /** Deciding line; null for the implicit deny. */
  line: number | null;
  source?: string;
}

/** Evaluate flows against one ACL of a device. */
export function flow(device: Device, aclName: string, flows: Packet[]): FlowResult[] {
  const acl = device.acls.get(aclName);
  if (!acl) {
    const known = [...device.acls.keys()];
    throw new InputError(`ACL "${aclName}" is not defined in ${device.file}${known.length ? ` (defined: ${known.slice(0, 10).join(", ")}${known.length > 10 ? ", …" : ""})` : ""}`);
  }
  // The compiled evaluator is far faster per packet but costs a build superlinear in the ACL's
  // size: worth it only for large batches.
  const hs = flows.length >= 1000 ? new HeaderSpace() : undefined;
  const evaluate = hs ? (p: Packet) => hs.compile(acl).evaluate(p) : (p: Packet) => evaluateAcl(acl, p);
  return flows.map((p) => {
    const v = evaluate(p);
    return { acl: aclName, action: v.action, line: v.ace ? v.ace.source.line : null, ...(v.ace ? { source: v.ace.source.text } : {}) };
  });
}
