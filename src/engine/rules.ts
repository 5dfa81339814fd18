/**
 * The rules of a run: the built-in rule files (rules/<id>.json) plus those of the config's
 * `rulesDirs`, each validated against rules/rule.schema.json and its check's options schema (with
 * the one ajv), and the config's rule settings checked against them.
 */
import { readFileSync, readdirSync, statSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { compileSchema, describeAjvErrors } from "../core/ajv.js";
import { ConfigError, fsReason } from "../core/errors.js";
import { parseJsonText } from "../core/json.js";
import { displayPath } from "../io/paths.js";
import { CHECKS } from "../checks/index.js";
import { validateRuleReferences, type LoadedConfig } from "./settings.js";
import type { RuleMeta } from "./types.js";

/** The package root (…/natlint), found from this module's location in dist/ or src/. */
export const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const BUILTIN_RULES_DIR = join(PACKAGE_ROOT, "rules");

let ruleSchema: object | undefined;
function validateRule() {
  ruleSchema ??= JSON.parse(readFileSync(join(BUILTIN_RULES_DIR, "rule.schema.json"), "utf8")) as object;
  return compileSchema(ruleSchema);
}

/** Load and validate one rule file; throws ConfigError with the file and the key. */
export function loadRuleFile(file: string, cwd = process.cwd()): RuleMeta {
  const shown = displayPath(file, cwd);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new ConfigError(`${shown}: cannot read rule file: ${fsReason(e)}`, { file });
  }
  const data = parseJsonText(text, file, shown);
  const v = validateRule();
  if (!v(data)) throw new ConfigError(`${shown}: invalid rule: ${describeAjvErrors(v.errors)}`, { file });
  const r = data as Omit<RuleMeta, "file" | "docs"> & { docs?: string };
  if (r.id !== basename(file, ".json")) throw new ConfigError(`${shown}: rule id "${r.id}" must match the file name`, { file, keyPath: "id" });
  const check = CHECKS.get(r.check);
  if (!check) throw new ConfigError(`${shown}: check: unknown check "${r.check}" (known: ${[...CHECKS.keys()].join(", ")})`, { file, keyPath: "check" });
  const problem = check.validate(r.options);
  if (problem) throw new ConfigError(`${shown}: options: ${problem}`, { file, keyPath: "options" });
  // The doc page: an http(s) URL as written, else a path relative to the rule file (default: beside it).
  const docs = r.docs !== undefined && /^https?:\/\//i.test(r.docs) ? r.docs : resolve(dirname(file), r.docs ?? `${r.id}.md`);
  return { ...r, file, docs };
}

/** Load every rule file of a folder (sorted by id). */
export function loadRulesDir(dir: string, cwd = process.cwd()): RuleMeta[] {
  const shown = displayPath(dir, cwd);
  let names: string[];
  try {
    if (!statSync(dir).isDirectory()) throw new ConfigError(`${shown}: rulesDirs must name folders of rule files; this is a file`, { file: dir, keyPath: "rulesDirs" });
    names = readdirSync(dir);
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new ConfigError(code === "ENOENT" ? `${shown}: rules folder not found` : `${shown}: cannot read rules folder: ${fsReason(e)}`, { file: dir, keyPath: "rulesDirs" });
  }
  return names
    .filter((f) => f.endsWith(".json") && !f.endsWith(".schema.json"))
    .sort()
    .map((f) => {
      const file = join(dir, f);
      let isDir = false;
      try {
        isDir = statSync(file).isDirectory();
      } catch (e) {
        throw new ConfigError(`${displayPath(file, cwd)}: cannot read rule file: ${fsReason(e)}`, { file });
      }
      if (isDir) throw new ConfigError(`${displayPath(file, cwd)}: a folder named like a rule file in a rules folder; rule files are files`, { file });
      return loadRuleFile(file, cwd);
    });
}

export function loadBuiltinRules(): RuleMeta[] {
  return loadRulesDir(BUILTIN_RULES_DIR);
}

/**
 * The rules of a run: the built-in ones plus every rule file of the config's `rulesDirs`
 * (a duplicate id is a configuration error), and the config's rule settings checked against them
 * (unknown rule ids, options merged over the rule's defaults against the check's schema).
 */
export function resolveRules(loaded: LoadedConfig | undefined, cwd: string): RuleMeta[] {
  const rules = loadBuiltinRules();
  for (const dir of loaded?.rulesDirs ?? []) {
    for (const r of loadRulesDir(dir, cwd)) {
      const clash = rules.find((x) => x.id === r.id);
      if (clash) throw new ConfigError(`${displayPath(r.file, cwd)}: rule id "${r.id}" is already defined by ${displayPath(clash.file, cwd)}`, { file: r.file });
      rules.push(r);
    }
  }
  if (loaded) {
    const byId = new Map(rules.map((r) => [r.id, r]));
    validateRuleReferences(loaded, new Set(byId.keys()), (id, options) => {
      const rule = byId.get(id)!;
      return CHECKS.get(rule.check)!.validate({ ...rule.options, ...options });
    }, cwd);
  }
  return rules;
}
