/**
 * Settings: `.natlintrc.json` loading and validation, and the effective settings for one file.
 *
 * - `loadConfig({cwd, configPath?, startDir?})`: `configPath` (the `--config` flag, relative to
 *   `cwd`) wins; otherwise `.natlintrc.json` is searched from `startDir` (default `cwd`) upward to
 *   the filesystem root and the first one found is used (no merging). No file → empty config.
 * - The file is validated with ajv against `schemas/natlintrc.schema.json` (shipped in the
 *   package; editors can use it through `$schema`). Problems throw `ConfigError` whose message is
 *   `<file>: <key.path>: <problem>` (one line per problem), or `<file>:<line>:<col>: invalid JSON:
 *   …` for a syntax error.
 * - Globs in `ignore` and `overrides[].files` and the folders in `rulesDirs` are relative to the
 *   config file's directory (`LoadedConfig.baseDir`; `cwd` when there is no file). See src/io/glob.ts.
 * - Rule ids and options are checked against the loaded rules by `validateRuleReferences`
 *   (./rules.ts calls it once the rules are known), with the same `<file>: <key.path>:` format.
 */
import fs from "node:fs";
import path from "node:path";
import { compileSchema, keyPath, schemaProblems } from "../core/ajv.js";
import { ConfigError } from "../core/errors.js";
import type { Severity } from "../core/finding.js";
import { parseJsonText } from "../core/json.js";
import { compileGlobs, type GlobMatcher } from "../io/glob.js";
import { displayPath } from "../io/paths.js";

export const CONFIG_FILE_NAME = ".natlintrc.json";

export type SeveritySetting = Severity | "off";
export type RuleSettingValue = SeveritySetting | [SeveritySetting] | [SeveritySetting, Record<string, unknown>];

export interface ConfigOverride {
  files: string[];
  rules?: Record<string, RuleSettingValue>;
}

export interface NatlintConfig {
  $schema?: string;
  rules?: Record<string, RuleSettingValue>;
  clients?: number;
  profile?: string;
  vendor?: "ios" | "asa";
  ignore?: string[];
  overrides?: ConfigOverride[];
  rulesDirs?: string[];
}

export interface LoadedConfig {
  config: NatlintConfig;
  /** Absolute path of the config file, or undefined when none was found. */
  file: string | undefined;
  /** Directory globs and `rulesDirs` are relative to: the config file's directory, else `cwd`. */
  baseDir: string;
  /** `config.rulesDirs` resolved to absolute paths. */
  rulesDirs: string[];
}

/** Per-rule settings after config and overrides: a severity (or off) and options from the config. */
export interface RuleSetting {
  severity: SeveritySetting;
  /** Options from the config (the engine merges them over the rule's default options). */
  options?: Record<string, unknown>;
}

/** Build a ConfigError `<file>: <keyPath>: <problem>`. */
export function configError(file: string | undefined, keyPath: string, problem: string, cwd = process.cwd()): ConfigError {
  const where = [file ? displayPath(file, cwd) : "config", keyPath].filter(Boolean).join(": ");
  return new ConfigError(`${where}: ${problem}`, { file, keyPath });
}

// ---------------------------------------------------------------------------------------------
// Schema validation

let schema: Record<string, unknown> | undefined;

/** The config JSON schema (schemas/natlintrc.schema.json, two levels above src/engine and dist/engine). */
export function configSchema(): Record<string, unknown> {
  schema ??= JSON.parse(fs.readFileSync(new URL("../../schemas/natlintrc.schema.json", import.meta.url), "utf8")) as Record<string, unknown>;
  return schema;
}

/** Validate a parsed config object; throws ConfigError naming `file` and the key path. */
export function validateConfig(value: unknown, file: string | undefined, cwd = process.cwd()): NatlintConfig {
  const validate = compileSchema(configSchema());
  if (validate(value)) return value as NatlintConfig;
  const topKeys = Object.keys((configSchema().properties as Record<string, unknown>) ?? {});
  const problems = schemaProblems(validate.errors, {
    knownKeys: (segs) => (segs.length === 0 ? topKeys : undefined),
    describe: (e) =>
      e.keyword === "additionalItems" || e.keyword === "maxItems"
        ? `must be [severity] or [severity, options] (at most ${String((e.params as { limit: number }).limit)} items)`
        : undefined,
  });
  const shown = file ? displayPath(file, cwd) : "config";
  const lines = problems.map((p) => (p.path ? `${shown}: ${p.path}: ${p.problem}` : `${shown}: ${p.problem}`));
  throw new ConfigError(lines.join("\n") || `${shown}: invalid configuration`, { file, keyPath: problems[0]?.path });
}

// ---------------------------------------------------------------------------------------------
// Loading

// ---------------------------------------------------------------------------------------------
// Loading

/** The nearest `.natlintrc.json` at or above `startDir`, or undefined. */
export function findConfigFile(startDir: string): string | undefined {
  let dir = path.resolve(startDir);
  for (;;) {
    const candidate = path.join(dir, CONFIG_FILE_NAME);
    try {
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not there; keep going up
    }
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
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
  const file = opts.configPath !== undefined
    ? path.resolve(cwd, opts.configPath)
    : findConfigFile(opts.startDir !== undefined ? path.resolve(cwd, opts.startDir) : cwd);
  if (file === undefined) return { config: {}, file: undefined, baseDir: cwd, rulesDirs: [] };

  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory" : (err as Error).message;
    throw new ConfigError(`${displayPath(file, cwd)}: cannot read config file: ${why}`, { file });
  }
  const config = validateConfig(parseJsonText(text, file, displayPath(file, cwd)), file, cwd);
  const baseDir = path.dirname(file);
  return { config, file, baseDir, rulesDirs: (config.rulesDirs ?? []).map((d) => path.resolve(baseDir, d)) };
}

// ---------------------------------------------------------------------------------------------
// Per-file settings

const matcherCache = new WeakMap<object, GlobMatcher>();
function matcher(globs: string[], prefixes: boolean): GlobMatcher {
  let m = matcherCache.get(globs);
  if (!m) {
    m = compileGlobs(globs, { prefixes });
    matcherCache.set(globs, m);
  }
  return m;
}

/** `filePath` (as given on the command line, relative to `cwd` or absolute) relative to `baseDir`. */
function relToBase(filePath: string, cwd: string, baseDir: string): string {
  return path.relative(path.resolve(baseDir), path.resolve(cwd, filePath)).split(path.sep).join("/");
}

function normalizeSetting(v: RuleSettingValue): { severity: SeveritySetting; options?: Record<string, unknown> } {
  if (Array.isArray(v)) return v.length > 1 ? { severity: v[0], options: v[1] } : { severity: v[0] };
  return { severity: v };
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

/**
 * The rule settings for one file: top-level `rules`, then each matching override in order (later
 * wins). Only rules the config mentions are in the map; the engine falls back to each rule's own
 * severity/options for the rest and merges `options` over the rule's default options.
 *
 * @param filePath as given on the command line (relative to `cwd`, or absolute)
 * @param baseDir directory the override globs are relative to — pass `LoadedConfig.baseDir`
 */
export function resolveRuleSettings(
  config: NatlintConfig,
  filePath: string,
  cwd: string,
  baseDir: string = cwd,
): Map<string, RuleSetting> {
  const out = new Map<string, RuleSetting>();
  applyRules(out, config.rules);
  if (config.overrides?.length) {
    const rel = relToBase(filePath, cwd, baseDir);
    for (const o of config.overrides) if (matcher(o.files, false)(rel)) applyRules(out, o.rules);
  }
  return out;
}

/** Does `config.ignore` exclude `filePath`? (A pattern also matches everything under a matching directory.) */
export function isIgnored(config: NatlintConfig, filePath: string, cwd: string, baseDir: string = cwd): boolean {
  if (!config.ignore?.length) return false;
  return matcher(config.ignore, true)(relToBase(filePath, cwd, baseDir));
}

export interface RuleSettingEntry {
  ruleId: string;
  severity: SeveritySetting;
  options?: Record<string, unknown>;
  /** Key path in the config file, e.g. `rules.pat-drops-ipsec` or `overrides[1].rules.x`. */
  keyPath: string;
}

/** Every rule setting written in the config (top level and overrides), for validation. */
export function listRuleSettings(config: NatlintConfig): RuleSettingEntry[] {
  const out: RuleSettingEntry[] = [];
  const add = (rules: Record<string, RuleSettingValue> | undefined, prefix: (string | number)[]) => {
    for (const [ruleId, v] of Object.entries(rules ?? {})) {
      out.push({ ruleId, ...normalizeSetting(v), keyPath: keyPath([...prefix, "rules", ruleId]) });
    }
  };
  add(config.rules, []);
  config.overrides?.forEach((o, i) => add(o.rules, ["overrides", i]));
  return out;
}

/**
 * Engine hook: check that every configured rule id exists and that its options are valid.
 * `validateOptions(ruleId, options)` returns an error text (e.g. from the check's ajv schema,
 * formatted with `keyPath`-style paths relative to the options object) or undefined.
 * Throws ConfigError `<file>: <key.path>: <problem>` for the first problem.
 */
export function validateRuleReferences(
  loaded: Pick<LoadedConfig, "config" | "file">,
  knownRuleIds: ReadonlySet<string>,
  validateOptions?: (ruleId: string, options: Record<string, unknown>) => string | undefined,
  cwd = process.cwd(),
): void {
  for (const e of listRuleSettings(loaded.config)) {
    if (!knownRuleIds.has(e.ruleId)) throw configError(loaded.file, e.keyPath, "unknown rule", cwd);
    if (e.options && validateOptions) {
      const problem = validateOptions(e.ruleId, e.options);
      if (problem) throw configError(loaded.file, `${e.keyPath}[1]`, problem, cwd);
    }
  }
}
