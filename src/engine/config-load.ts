/**
 * Finding, reading and validating config files, and following their `extends`.
 *
 * - `.natlintrc.jsonc` or `.natlintrc.json` (both JSON with comments and trailing commas, read with
 *   jsonc-parser) is searched from the start directory upward to the repository root or the home
 *   folder (`configSearchDirs`); `--config FILE` names one.
 * - Each file is validated against schemas/natlintrc.schema.json (ajv); a problem is a ConfigError
 *   `<file>:<line>:<col>: <key.path>: <problem>`, a syntax error `<file>:<line>:<col>: invalid JSON: …`.
 * - `extends`: a path relative to the file (`./base.json`), or a package resolved from the file's
 *   directory as Node resolves it: its main file when that is JSON, else its `natlintrc.json` or
 *   `.natlintrc.json`. A config is JSON and never runs code. Bases come first, depth first, in
 *   order; a cycle is an error. Every layer keeps its own directory: its globs and `rulesDirs`
 *   are relative to it.
 */
import fs from "node:fs";
import os from "node:os";
import { createRequire } from "node:module";
import path from "node:path";
import { compileSchema, schemaProblems } from "../core/ajv.js";
import { ConfigError } from "../core/errors.js";
import { parseJsoncText } from "../core/json.js";
import { displayPath } from "../io/paths.js";
import type { NatlintConfig } from "./settings.js";

export const CONFIG_FILE_NAMES = [".natlintrc.jsonc", ".natlintrc.json"] as const;

/** One config file of a run: the file itself or one it extends. */
export interface ConfigLayer {
  config: NatlintConfig;
  /** Absolute path. */
  file: string;
  /** The file's directory: its globs and rulesDirs are relative to it. */
  baseDir: string;
}

let schema: Record<string, unknown> | undefined;
let relaxed: Record<string, unknown> | undefined;

/** The config JSON schema (schemas/natlintrc.schema.json, two levels above src/engine and dist/engine). */
export function configSchema(): Record<string, unknown> {
  schema ??= JSON.parse(fs.readFileSync(new URL("../../schemas/natlintrc.schema.json", import.meta.url), "utf8")) as Record<string, unknown>;
  return schema;
}

/**
 * The schema natlint validates with: the shipped one without its editor-only part (the built-in
 * rule ids): natlint checks ids against the rules it loaded, custom ones included, and says
 * "did you mean".
 */
function validationSchema(): Record<string, unknown> {
  if (!relaxed) {
    const { allOf: _editorOnly, ...rest } = configSchema();
    relaxed = rest;
  }
  return relaxed;
}

/** Validate a parsed config; throws ConfigError naming `file`, the position and the key path. */
export function validateConfig(value: unknown, file: string | undefined, cwd = process.cwd(), positionOf?: (segs: (string | number)[]) => { line: number; column: number }): NatlintConfig {
  const validate = compileSchema(validationSchema());
  if (validate(value)) return value as NatlintConfig;
  const topKeys = Object.keys((configSchema().properties as Record<string, unknown>) ?? {});
  const problems = schemaProblems(validate.errors, {
    knownKeys: (segs) => (segs.length === 0 ? topKeys : undefined),
    describe: (e) =>
      e.keyword === "additionalItems" || e.keyword === "maxItems"
        ? `must be [severity] or [severity, options] (at most ${String((e.params as { limit: number }).limit)} items)`
        : e.keyword === "anyOf" && e.instancePath === "/extends"
          ? "must be a string or a list of strings"
          : undefined,
  });
  const shown = file ? displayPath(file, cwd) : "config";
  const lines = problems.map((p) => {
    const pos = positionOf ? positionOf(p.segments) : undefined;
    const where = pos ? `${shown}:${pos.line}:${pos.column}` : shown;
    return p.path ? `${where}: ${p.path}: ${p.problem}` : `${where}: ${p.problem}`;
  });
  const first = problems[0] && positionOf ? positionOf(problems[0].segments) : undefined;
  throw new ConfigError(lines.join("\n") || `${shown}: invalid configuration`, { file, keyPath: problems[0]?.path, ...(first ?? {}) });
}

/**
 * The directories the upward search looks in, nearest first: from `startDir` up to the repository
 * root (the nearest directory with `.git`) or the home folder, whichever comes first. Outside any
 * repository and outside the home folder only `startDir` itself is searched: a config in a
 * parent folder someone else can write to (`/tmp`, a shared mount) never applies unasked.
 */
export function configSearchDirs(startDir: string, home = os.homedir()): string[] {
  const start = path.resolve(startDir);
  const dirs: string[] = [];
  for (let dir = start; ; dir = path.dirname(dir)) {
    dirs.push(dir);
    if (exists(path.join(dir, ".git")) || (home !== "" && path.resolve(home) === dir)) return dirs;
    if (path.dirname(dir) === dir) return [start];
  }
}

/** Does the path exist? A path that cannot be checked (permission denied) is an error, not a no. */
function exists(p: string): boolean {
  try {
    fs.statSync(p);
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return false;
    throw new ConfigError(`${p}: cannot look for a config file here (${code ?? (e as Error).message})`, { file: p });
  }
}

/** The nearest config file in `configSearchDirs(startDir)`, or undefined. Two in one directory is an error. */
export function findConfigFile(startDir: string): string | undefined {
  for (const dir of configSearchDirs(startDir)) {
    const here = CONFIG_FILE_NAMES.map((n) => path.join(dir, n)).filter((c) => exists(c));
    if (here.length > 1) throw new ConfigError(`${here[0]}: two config files in one directory (${CONFIG_FILE_NAMES.join(" and ")}): keep one`, { file: here[0] });
    if (here.length === 1) {
      if (!fs.statSync(here[0]!).isFile()) throw new ConfigError(`${here[0]}: a config file must be a regular file`, { file: here[0] });
      return here[0];
    }
  }
  return undefined;
}

/** Read, parse and validate one config file (not its bases). */
export function readConfigFile(file: string, cwd: string): NatlintConfig {
  const shown = displayPath(file, cwd);
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory" : (err as Error).message;
    throw new ConfigError(`${shown}: cannot read config file: ${why}`, { file });
  }
  const doc = parseJsoncText(text, file, shown);
  return validateConfig(doc.value, file, cwd, doc.positionOf);
}

/** Where `extends` entry `spec` of config `from` points (see the file comment). */
export function resolveExtends(spec: string, from: string, cwd: string): string {
  const dir = path.dirname(from);
  const fail = (why: string): never => {
    throw new ConfigError(`${displayPath(from, cwd)}: extends: "${spec}" ${why}`, { file: from, keyPath: "extends" });
  };
  if (spec.startsWith(".") || path.isAbsolute(spec)) {
    const abs = path.resolve(dir, spec);
    if (!fs.existsSync(abs)) fail("not found (a path is relative to this config file)");
    return abs;
  }
  const req = createRequire(path.join(dir, "noop.js"));
  const attempts = [spec, `${spec}/natlintrc.json`, `${spec}/.natlintrc.json`];
  for (const a of attempts) {
    try {
      const r = req.resolve(a);
      if (r.endsWith(".json") || r.endsWith(".jsonc")) return r;
    } catch {
      // try the next form
    }
  }
  return fail("not found: install the package, or make its main file (or natlintrc.json) a natlint config in JSON");
}

/** The file and every config it extends, bases first (see the file comment). */
export function configLayers(file: string, cwd: string, chain: readonly string[] = []): ConfigLayer[] {
  if (chain.includes(file)) throw new ConfigError(`${displayPath(file, cwd)}: extends cycle: ${[...chain, file].map((f) => displayPath(f, cwd)).join(" → ")}`, { file, keyPath: "extends" });
  const config = readConfigFile(file, cwd);
  const specs = config.extends === undefined ? [] : typeof config.extends === "string" ? [config.extends] : config.extends;
  const bases = specs.flatMap((s) => configLayers(resolveExtends(s, file, cwd), cwd, [...chain, file]));
  return [...bases, { config, file, baseDir: path.dirname(file) }];
}
