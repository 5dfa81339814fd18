/**
 * Settings: the config (./config-load.ts reads the files and their `extends`) and the effective
 * settings for one file.
 *
 * - `loadConfig({cwd, configPath?, startDir?})`: `configPath` (the `--config` flag, relative to
 *   `cwd`) wins; otherwise the nearest `.natlintrc.jsonc` / `.natlintrc.json` from `startDir`
 *   (default `cwd`) upward (no merging of files found on the way). No file → empty config.
 * - Layers: the bases a file extends, then the file. For one file the settings are, layer by
 *   layer: the top-level `clients`, `profile`, `vendor`, `peer`, `peers`, `inside` and `rules`, then each matching
 *   `overrides` entry in order (later wins). Globs (`overrides[].files`, picomatch) and `ignore`
 *   lists (.gitignore syntax) are relative to their layer's directory. See src/io/glob.ts.
 * - Severities: `off`, `info`, `warning` (`warn`), `error`, or ESLint's numbers 0 (off),
 *   1 (warning), 2 (error).
 * - Rule ids and options are checked against the loaded rules by `validateRuleReferences`
 *   (./rules.ts calls it once the rules are known), with the same `<file>: <key.path>:` format.
 */
import path from "node:path";
import { keyPath } from "../core/ajv.js";
import { ConfigError } from "../core/errors.js";
import type { Severity } from "../core/finding.js";
import { didYouMean } from "../core/suggest.js";
import { compileGlobs, ignoreList, type GlobMatcher } from "../io/glob.js";
import type { IgnoreLayer } from "../io/files.js";
import { displayPath } from "../io/paths.js";
import type { Limits } from "../core/limits.js";
import { CONFIG_FILE_NAMES, configLayers, configSchema, configSearchDirs, findConfigFile, validateConfig, type ConfigLayer } from "./config-load.js";

export { CONFIG_FILE_NAMES, configSchema, findConfigFile, validateConfig, type ConfigLayer };
export const CONFIG_FILE_NAME = ".natlintrc.json";

export type SeveritySetting = Severity | "off";
/** A severity as written in a config: also `warn` and ESLint's 0, 1, 2. */
export type SeverityInput = SeveritySetting | "warn" | 0 | 1 | 2;
export type RuleSettingValue = SeverityInput | [SeverityInput] | [SeverityInput, Record<string, unknown>];

/** The settings a config gives at the top level and in each override. */
export interface FileSettings {
  rules?: Record<string, RuleSettingValue>;
  clients?: number;
  profile?: string;
  vendor?: "ios" | "asa";
  peer?: string;
  /** The IPsec peers to simulate (instead of those the config names). */
  peers?: string[];
  /** The clients' addresses: addresses or A.B.C.D/N prefixes (instead of those picked from the config). */
  inside?: string[];
  /** Remote NATs the device's IPsec clients sit behind (`PROFILE` or `PROFILE@IP`): the head-end's view. */
  remoteNat?: string[];
}

export interface ConfigOverride extends FileSettings {
  files: string[];
}

export interface NatlintConfig extends FileSettings {
  $schema?: string;
  extends?: string | string[];
  ignore?: string[];
  overrides?: ConfigOverride[];
  rulesDirs?: string[];
  /** Resource limits (src/core/limits.ts); the flags win. */
  limits?: Partial<Limits>;
}

export interface LoadedConfig {
  /** The config file's own content (without its bases). */
  config: NatlintConfig;
  /** Absolute path of the config file, or undefined when none was found. */
  file: string | undefined;
  /** The config file's directory, else `cwd`. */
  baseDir: string;
  /** Every layer's `rulesDirs`, resolved to absolute paths. */
  rulesDirs: string[];
  /** The bases the file extends, then the file itself (empty without a file). */
  layers: ConfigLayer[];
  /** The directories the upward search looked in, nearest first (none with `--config`). */
  searched?: string[];
}

/** Per-rule settings after config and overrides: a severity (or off) and options from the config. */
export interface RuleSetting {
  severity: SeveritySetting;
  /** Options from the config (the engine merges them over the rule's default options). */
  options?: Record<string, unknown>;
}

/** The effective settings for one file. */
export type ResolvedSettings = Omit<FileSettings, "rules"> & { rules: Map<string, RuleSetting> };

/** The settings other than `rules`: a later layer's value replaces an earlier one's. */
const SIMPLE_SETTINGS = ["clients", "profile", "vendor", "peer", "peers", "inside", "remoteNat"] as const satisfies ReadonlyArray<Exclude<keyof FileSettings, "rules">>;

/** Build a ConfigError `<file>: <keyPath>: <problem>`. */
export function configError(file: string | undefined, keyPath: string, problem: string, cwd = process.cwd()): ConfigError {
  const where = [file ? displayPath(file, cwd) : "config", keyPath].filter(Boolean).join(": ");
  return new ConfigError(`${where}: ${problem}`, { file, keyPath });
}

export interface LoadConfigOptions {
  cwd: string;
  /** Explicit config file (`--config`), relative to `cwd`; disables the upward search. */
  configPath?: string;
  /** Directory the upward search starts in (default `cwd`). */
  startDir?: string;
}

export function loadConfig(opts: LoadConfigOptions): LoadedConfig {
  const cwd = path.resolve(opts.cwd);
  const start = opts.startDir !== undefined ? path.resolve(cwd, opts.startDir) : cwd;
  const file = opts.configPath !== undefined ? path.resolve(cwd, opts.configPath) : findConfigFile(start);
  const searched = opts.configPath !== undefined ? undefined : configSearchDirs(start);
  const where = searched ? { searched } : {};
  if (file === undefined) return { config: {}, file: undefined, baseDir: cwd, rulesDirs: [], layers: [], ...where };
  const layers = configLayers(file, cwd);
  const rulesDirs = [...new Set(layers.flatMap((l) => (l.config.rulesDirs ?? []).map((d) => path.resolve(l.baseDir, d))))];
  return { config: layers[layers.length - 1]!.config, file, baseDir: path.dirname(file), rulesDirs, layers, ...where };
}

/** A config written in code (the library's `config` object), as one layer based in `cwd`. */
export function inlineConfig(config: NatlintConfig, cwd: string): LoadedConfig {
  const checked = validateConfig(config, undefined, cwd);
  const layer = { config: checked, file: path.join(cwd, "(config)"), baseDir: cwd };
  return { config: checked, file: undefined, baseDir: cwd, rulesDirs: (checked.rulesDirs ?? []).map((d) => path.resolve(cwd, d)), layers: [layer] };
}

// ---------------------------------------------------------------------------------------------
// Per-file settings

/** `warn` → warning, 0/1/2 → off/warning/error. */
export function normalizeSeverity(s: SeverityInput): SeveritySetting {
  return s === "warn" || s === 1 ? "warning" : s === 0 ? "off" : s === 2 ? "error" : s;
}

const matcherCache = new WeakMap<object, GlobMatcher>();
function matcher(globs: string[]): GlobMatcher {
  let m = matcherCache.get(globs);
  if (!m) {
    m = compileGlobs(globs);
    matcherCache.set(globs, m);
  }
  return m;
}

/** `filePath` (as given on the command line, relative to `cwd` or absolute) relative to `baseDir`. */
function relToBase(filePath: string, cwd: string, baseDir: string): string {
  return path.relative(path.resolve(baseDir), path.resolve(cwd, filePath)).split(path.sep).join("/");
}

function normalizeSetting(v: RuleSettingValue): { severity: SeveritySetting; options?: Record<string, unknown> } {
  if (Array.isArray(v)) return v.length > 1 ? { severity: normalizeSeverity(v[0]), options: v[1] } : { severity: normalizeSeverity(v[0]) };
  return { severity: normalizeSeverity(v) };
}

function applyRules(into: Map<string, RuleSetting>, rules: Record<string, RuleSettingValue> | undefined): void {
  if (!rules) return;
  for (const [id, v] of Object.entries(rules)) {
    const { severity, options } = normalizeSetting(v);
    const prev = into.get(id);
    // A severity-only setting keeps options set earlier (top level or an earlier override).
    const opts = options ?? prev?.options;
    into.set(id, opts ? { severity, options: opts } : { severity });
  }
}

function applySettings(into: ResolvedSettings, s: FileSettings): void {
  applyRules(into.rules, s.rules);
  for (const k of SIMPLE_SETTINGS) if (s[k] !== undefined) (into as Record<string, unknown>)[k] = s[k];
}

/**
 * The settings for one file: layer by layer, the top-level settings then each matching override
 * in order (later wins). Only rules the config mentions are in `rules`; the engine falls back to
 * each rule's own severity/options for the rest and merges `options` over the rule's defaults.
 *
 * @param filePath as given on the command line (relative to `cwd`, or absolute)
 */
export function resolveFileSettings(loaded: Pick<LoadedConfig, "layers">, filePath: string, cwd: string): ResolvedSettings {
  const out: ResolvedSettings = { rules: new Map() };
  for (const layer of loaded.layers) {
    applySettings(out, layer.config);
    if (layer.config.overrides?.length) {
      const rel = relToBase(filePath, cwd, layer.baseDir);
      for (const o of layer.config.overrides) if (matcher(o.files)(rel)) applySettings(out, o);
    }
  }
  return out;
}

/** The rule settings of one config object for one file (no `extends`): top level, then matching overrides. */
export function resolveRuleSettings(config: NatlintConfig, filePath: string, cwd: string, baseDir: string = cwd): Map<string, RuleSetting> {
  return resolveFileSettings({ layers: [{ config, file: path.join(baseDir, CONFIG_FILE_NAME), baseDir }] }, filePath, cwd).rules;
}

/** The config's `ignore` lists, one per layer, for the file search. */
export function ignoreLayers(loaded: Pick<LoadedConfig, "layers">, cwd: string): IgnoreLayer[] {
  return loaded.layers
    .filter((l) => l.config.ignore?.length)
    .map((l) => ({ list: ignoreList(l.config.ignore!), baseDir: l.baseDir, source: `${displayPath(l.file, cwd)} ignore` }));
}

/** Does `config.ignore` exclude `filePath`? (.gitignore semantics, relative to `baseDir`) */
export function isIgnored(config: NatlintConfig, filePath: string, cwd: string, baseDir: string = cwd): boolean {
  if (!config.ignore?.length) return false;
  return ignoreList(config.ignore).test(relToBase(filePath, cwd, baseDir)).ignored;
}

export interface RuleSettingEntry {
  ruleId: string;
  severity: SeveritySetting;
  options?: Record<string, unknown>;
  /** Key path in the config file, e.g. `rules.pat-drops-ipsec` or `overrides[1].rules.x`. */
  keyPath: string;
  /** The config file it is written in (undefined for a config given in code). */
  file?: string | undefined;
}

/** Every rule setting written in the config (top level and overrides), for validation. */
export function listRuleSettings(config: NatlintConfig, file?: string): RuleSettingEntry[] {
  const out: RuleSettingEntry[] = [];
  const add = (rules: Record<string, RuleSettingValue> | undefined, prefix: (string | number)[]) => {
    for (const [ruleId, v] of Object.entries(rules ?? {})) {
      out.push({ ruleId, ...normalizeSetting(v), keyPath: keyPath([...prefix, "rules", ruleId]), file });
    }
  };
  add(config.rules, []);
  config.overrides?.forEach((o, i) => add(o.rules, ["overrides", i]));
  return out;
}

/**
 * Engine hook: check that every configured rule id exists (with a "did you mean") and that its
 * options are valid. `validateOptions(ruleId, options)` returns an error text or undefined.
 * Throws ConfigError `<file>: <key.path>: <problem>` for the first problem.
 */
export function validateRuleReferences(
  loaded: Pick<LoadedConfig, "config" | "file"> & { layers?: ConfigLayer[] },
  knownRuleIds: ReadonlySet<string>,
  validateOptions?: (ruleId: string, options: Record<string, unknown>) => string | undefined,
  cwd = process.cwd(),
): void {
  const entries = loaded.layers?.length
    ? loaded.layers.flatMap((l) => listRuleSettings(l.config, loaded.file === undefined && l.file.endsWith("(config)") ? undefined : l.file))
    : listRuleSettings(loaded.config, loaded.file);
  for (const e of entries) {
    if (!knownRuleIds.has(e.ruleId)) throw configError(e.file, e.keyPath, `unknown rule${didYouMean(e.ruleId, knownRuleIds)}`, cwd);
    if (e.options && validateOptions) {
      const problem = validateOptions(e.ruleId, e.options);
      if (problem) throw configError(e.file, `${e.keyPath}[1]`, problem, cwd);
    }
  }
}
