/**
 * One file of a lint run: its effective settings, parse, every enabled rule's check, columns from
 * the text, inline suppressions. Pure given its inputs (the text and the prepared run), so the
 * same function runs in the main thread, in a worker (./worker.ts) and behind the cache.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { lineColumns, type Finding } from "../core/finding.js";
import { InputError } from "../core/errors.js";
import { readConfigText } from "../io/files.js";
import { parseIp } from "../model/addr.js";
import type { Vendor } from "../model/types.js";
import { parseConfig } from "../parse/index.js";
import { parseDirectives } from "../parse/common/directives.js";
import type { SimulationSettings } from "../checks/define.js";
import { PACKAGE_ROOT, resolveRules } from "./rules.js";
import { inlineConfig, loadConfig, resolveFileSettings, type LoadedConfig, type NatlintConfig, type RuleSetting } from "./settings.js";
import { runRules } from "./checks-run.js";
import { applySuppressions } from "./suppress.js";
import type { FileResult, RuleMeta } from "./types.js";

export const DEFAULT_CLIENTS = 3;

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
  reportUnusedDisableDirectives?: boolean;
  /** Rules to run instead of the built-in rules and the config's rulesDirs. */
  rules?: RuleMeta[];
}

export interface PreparedRun {
  spec: RunSpec;
  cwd: string;
  loaded: LoadedConfig | undefined;
  rules: RuleMeta[];
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
  return { spec, cwd, loaded, rules };
}

/** What one file gives the run. */
export interface FileOutcome {
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
  return {
    simulation: { clients: spec.clients ?? r?.clients ?? DEFAULT_CLIENTS, ...(profile !== undefined ? { profile } : {}), ...(peer !== undefined ? { peer } : {}) },
    vendor: spec.vendor ?? r?.vendor,
    rules: prep.ruleSettingsFor?.(shown) ?? r?.rules,
  };
}

/** Lint one file's text; `shown` is its display path (findings carry it). */
export function lintText(prep: PreparedRun, shown: string, text: string): FileOutcome {
  const s = fileSettings(prep, shown);
  const parsed = parseConfig(text, shown, s.vendor);
  const lines = text.split(/\r\n|\r|\n/);
  const raw = runRules(parsed.device, prep.rules, s.simulation, s.rules).map((f) => (f.file === shown ? withColumns(f, lines) : f));
  const sup = applySuppressions(raw, new Map([[shown, parseDirectives(text)]]), { reportUnused: prep.spec.reportUnusedDisableDirectives ?? false });
  const findings = [...sup.kept, ...sup.unused.map((f) => withColumns(f, lines))];
  return { file: { path: shown, vendor: parsed.vendor, vendorReason: parsed.vendorReason }, findings, suppressed: sup.suppressed.length };
}

function withColumns(f: Finding, lines: readonly string[]): Finding {
  if (f.column !== undefined || f.line < 1) return f;
  const c = lineColumns(lines, f.line);
  if (!c) return f;
  const { message, ...head } = f;
  return { ...head, column: c.column, endColumn: c.endColumn, message };
}

/** Read and lint one file. */
export function lintPath(prep: PreparedRun, abs: string, shown: string): FileOutcome {
  return lintText(prep, shown, readConfigText(abs, shown));
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
  return sha256(JSON.stringify([natlintVersion(), prep.cwd, prep.rules, spec.clients, spec.profile, spec.peer, spec.vendor, spec.reportUnusedDisableDirectives ?? false]));
}

/** The key of one file's result: its content hash, its effective settings and the run's key. */
export function fileKey(prep: PreparedRun, shown: string, contentHash: string, run: string): string {
  const s = fileSettings(prep, shown);
  const rules = s.rules ? [...s.rules.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) : [];
  return sha256(JSON.stringify([run, shown, contentHash, s.simulation, s.vendor ?? null, rules]));
}
