/**
 * `.natlintrc.json` loading, validation and per-file rule settings.
 *
 * - `loadConfig({cwd, configPath?, startDir?})`: `configPath` (the `--config` flag, relative to
 *   `cwd`) wins; otherwise `.natlintrc.json` is searched from `startDir` (default `cwd`) upward to
 *   the filesystem root and the first one found is used (no merging). No file → empty config.
 * - The file is validated with ajv against `schemas/natlintrc.schema.json` (shipped in the
 *   package; editors can use it through `$schema`). Problems throw `ConfigError` whose message is
 *   `<file>: <key.path>: <problem>` (one line per problem), or `<file>:<line>:<col>: invalid JSON:
 *   …` for a syntax error.
 * - Globs in `ignore` and `overrides[].files` and the folders in `rulesDirs` are relative to the
 *   config file's directory (`LoadedConfig.baseDir`; `cwd` when there is no file). See ./glob.ts.
 * - Rule options are NOT checked here (this module does not know the checks): the engine calls
 *   `validateRuleReferences(loaded, knownRuleIds, validateOptions)` once the rules are loaded, so
 *   unknown rule ids and bad options are reported with the same `<file>: <key.path>:` format.
 */
import fs from "node:fs";
import path from "node:path";
import AjvModule from "ajv";
import type { ErrorObject, ValidateFunction } from "ajv";
import type { Severity } from "../checks/types.js";
import { compileGlobs, type GlobMatcher } from "./glob.js";
import { ConfigError } from "../engine/errors.js";

export { ConfigError };

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

export interface RuleSetting {
  severity: SeveritySetting;
  /** Options from the config (the engine merges them over the rule's default options). */
  options?: Record<string, unknown>;
}

/** `file` for messages: relative to `cwd` when inside it, else absolute. */
function displayPath(file: string, cwd: string): string {
  const rel = path.relative(cwd, file);
  return rel && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel : file;
}

/** Build a ConfigError `<file>: <keyPath>: <problem>`. */
export function configError(file: string | undefined, keyPath: string, problem: string, cwd = process.cwd()): ConfigError {
  const where = [file ? displayPath(file, cwd) : "config", keyPath].filter(Boolean).join(": ");
  return new ConfigError(`${where}: ${problem}`, { file, keyPath });
}

// ---------------------------------------------------------------------------------------------
// Schema validation

type AjvClass = typeof AjvModule.default;
const Ajv: AjvClass = (AjvModule as unknown as { default?: AjvClass }).default ?? (AjvModule as unknown as AjvClass);

let validator: ValidateFunction | undefined;

/** The config JSON schema (schemas/natlintrc.schema.json, two levels above src/config and dist/config). */
export function configSchema(): Record<string, unknown> {
  const url = new URL("../../schemas/natlintrc.schema.json", import.meta.url);
  return JSON.parse(fs.readFileSync(url, "utf8")) as Record<string, unknown>;
}

function getValidator(): ValidateFunction {
  if (!validator) {
    const ajv = new Ajv({ allErrors: true, strict: true, strictTuples: false }); // [severity] and [severity, options] share one tuple schema
    validator = ajv.compile(configSchema());
  }
  return validator;
}

/** JSON pointer segments → `a.b[0].c` (keys that are not identifier-like are quoted). */
export function keyPath(segments: readonly (string | number)[]): string {
  let out = "";
  for (const s of segments) {
    if (typeof s === "number" || /^\d+$/.test(s)) out += `[${s}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(s)) out += out ? `.${s}` : s;
    else out += `[${JSON.stringify(s)}]`;
  }
  return out;
}

function pointerSegments(pointer: string): string[] {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

function describeError(e: ErrorObject, allowedTopKeys: string[]): { path: string[]; problem: string } {
  const segs = pointerSegments(e.instancePath);
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case "enum":
      return { path: segs, problem: `must be one of ${(p.allowedValues as unknown[]).map(String).join(", ")}` };
    case "additionalProperties": {
      const key = String(p.additionalProperty);
      const hint = segs.length === 0 ? ` (known keys: ${allowedTopKeys.join(", ")})` : "";
      return { path: [...segs, key], problem: `unknown key${hint}` };
    }
    case "required":
      return { path: [...segs, String(p.missingProperty)], problem: "is required" };
    case "propertyNames":
      return { path: segs, problem: `invalid key ${JSON.stringify(p.propertyName)}` };
    case "type":
      return { path: segs, problem: `must be ${Array.isArray(p.type) ? p.type.join(" or ") : String(p.type)}` };
    case "additionalItems":
    case "maxItems":
      return { path: segs, problem: `must be [severity] or [severity, options] (at most ${String(p.limit)} items)` };
    case "minItems":
      return { path: segs, problem: `must have at least ${String(p.limit)} item${p.limit === 1 ? "" : "s"}` };
    default:
      return { path: segs, problem: e.message ?? e.keyword };
  }
}

function schemaErrors(errors: ErrorObject[], topKeys: string[]): { path: string; problem: string }[] {
  // `if` only reports "must match then/else"; a type error next to an enum error at the same
  // place is redundant; propertyNames also yields a `pattern` error on the key.
  const relevant = errors.filter((e) => e.keyword !== "if" && !(e.keyword === "pattern" && e.propertyName !== undefined));
  const enumAt = new Set(relevant.filter((e) => e.keyword === "enum").map((e) => e.instancePath));
  const out: { path: string; problem: string }[] = [];
  const seen = new Set<string>();
  for (const e of relevant) {
    if (e.keyword === "type" && enumAt.has(e.instancePath)) continue;
    const d = describeError(e, topKeys);
    const k = keyPath(d.path);
    const line = `${k}\0${d.problem}`;
    if (seen.has(line)) continue;
    seen.add(line);
    out.push({ path: k, problem: d.problem });
  }
  return out;
}

/** Validate a parsed config object; throws ConfigError naming `file` and the key path. */
export function validateConfig(value: unknown, file: string | undefined, cwd = process.cwd()): NatlintConfig {
  const validate = getValidator();
  if (validate(value)) return value as NatlintConfig;
  const topKeys = Object.keys((configSchema().properties as Record<string, unknown>) ?? {});
  const problems = schemaErrors(validate.errors ?? [], topKeys);
  const shown = file ? displayPath(file, cwd) : "config";
  const lines = problems.map((p) => (p.path ? `${shown}: ${p.path}: ${p.problem}` : `${shown}: ${p.problem}`));
  const first = problems[0];
  throw new ConfigError(lines.join("\n") || `${shown}: invalid configuration`, { file, keyPath: first?.path });
}

// ---------------------------------------------------------------------------------------------
// JSON parsing with positions

/** Offset of the first JSON syntax error in `text` (or -1), found with a small scanner. */
export function jsonErrorOffset(text: string): number {
  let i = 0;
  const ws = () => {
    while (i < text.length && " \t\n\r".includes(text[i]!)) i++;
  };
  const fail = (): never => {
    throw i;
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === "{") {
      i++;
      ws();
      if (text[i] === "}") {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail();
        string();
        ws();
        if (text[i] !== ":") fail();
        i++;
        value();
        ws();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "}") {
          i++;
          return;
        }
        fail();
      }
    } else if (c === "[") {
      i++;
      ws();
      if (text[i] === "]") {
        i++;
        return;
      }
      for (;;) {
        value();
        ws();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "]") {
          i++;
          return;
        }
        fail();
      }
    } else if (c === '"') {
      string();
    } else if (c === "-" || (c !== undefined && c >= "0" && c <= "9")) {
      const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i));
      if (!m) fail();
      i += m![0].length;
    } else {
      for (const lit of ["true", "false", "null"]) {
        if (text.startsWith(lit, i)) {
          i += lit.length;
          return;
        }
      }
      fail();
    }
  };
  const string = (): void => {
    i++; // opening quote
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return;
      }
      if (c < 0x20) fail();
      if (c === 0x5c) {
        const n = text[i + 1];
        if (n === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
            i++;
            fail();
          }
          i += 6;
          continue;
        }
        if (n === undefined || !'"\\/bfnrt'.includes(n)) {
          i++;
          fail();
        }
        i += 2;
        continue;
      }
      i++;
    }
    fail();
  };
  try {
    value();
    ws();
    if (i < text.length) fail();
    return -1;
  } catch (e) {
    if (typeof e === "number") return e;
    throw e;
  }
}

function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  const column = offset - (before.lastIndexOf("\n") + 1) + 1;
  return { line, column };
}

/** JSON.parse with a ConfigError `<file>:<line>:<col>: invalid JSON: …` on a syntax error. */
export function parseJsonFile(text: string, file: string, cwd = process.cwd()): unknown {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return JSON.parse(body);
  } catch (err) {
    const raw = err instanceof Error ? err.message : String(err);
    let offset = jsonErrorOffset(body);
    const m = /at position (\d+)/.exec(raw);
    if (offset < 0 && m) offset = Number(m[1]);
    if (offset < 0) offset = body.length;
    const { line, column } = lineColumn(body, offset);
    const reason = raw
      .replace(/,\s*".*" is not valid JSON$/s, "")
      .replace(/\s*in JSON at position \d+.*$/s, "")
      .replace(/\s*\(line \d+ column \d+\)$/, "");
    throw new ConfigError(`${displayPath(file, cwd)}:${line}:${column}: invalid JSON: ${reason}`, { file, line, column });
  }
}

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
  const config = validateConfig(parseJsonFile(text, file, cwd), file, cwd);
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
