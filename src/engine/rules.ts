/** Loading and validating rule files (rules/<id>.json) with ajv. */
import { readFileSync, readdirSync, existsSync } from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { compileSchema, describeAjvErrors } from "./ajv.js";
import type { RuleMeta } from "./types.js";
import { CHECKS } from "../checks/index.js";
import { ConfigurationError } from "./errors.js";
import type { Check } from "../checks/types.js";

export { ConfigurationError } from "./errors.js";

/** The package root (…/natlint), found from this module's location in dist/ or src/. */
export const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const BUILTIN_RULES_DIR = join(PACKAGE_ROOT, "rules");

let ruleValidator: ReturnType<typeof compileSchema> | undefined;
function validateRule() {
  ruleValidator ??= compileSchema(JSON.parse(readFileSync(join(BUILTIN_RULES_DIR, "rule.schema.json"), "utf8")) as object);
  return ruleValidator;
}

function display(file: string): string {
  const r = relative(process.cwd(), file);
  return r.startsWith("..") ? file : r;
}

/** Load and validate one rule file; throws ConfigurationError with the file and the key. */
export function loadRuleFile(file: string): RuleMeta {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new ConfigurationError(`${display(file)}: cannot read rule file: ${(e as Error).message}`);
  }
  const v = validateRule();
  if (!v(data)) throw new ConfigurationError(`${display(file)}: invalid rule: ${describeAjvErrors(v.errors)}`);
  const r = data as Omit<RuleMeta, "file" | "docs"> & { docs?: string };
  if (r.id !== basename(file, ".json")) throw new ConfigurationError(`${display(file)}: rule id "${r.id}" must match the file name`);
  const check = CHECKS.get(r.check);
  if (!check) throw new ConfigurationError(`${display(file)}: check: unknown check "${r.check}" (known: ${[...CHECKS.keys()].join(", ")})`);
  const ov = compileSchema(check.optionsSchema);
  if (!ov(r.options)) throw new ConfigurationError(`${display(file)}: options: ${describeAjvErrors(ov.errors)}`, { file, keyPath: "options" });
  const problem = (check as Check<Record<string, unknown>>).validateOptions?.(r.options);
  if (problem) throw new ConfigurationError(`${display(file)}: options: ${problem}`, { file, keyPath: "options" });
  const docs = resolve(dirname(file), r.docs ?? join("..", "docs", "rules", `${r.id}.md`));
  return { ...r, file, docs };
}

/** Load every rule file of a folder (sorted by id). */
export function loadRulesDir(dir: string): RuleMeta[] {
  if (!existsSync(dir)) throw new ConfigurationError(`${display(dir)}: rules folder not found`);
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json") && !f.endsWith(".schema.json"))
    .sort()
    .map((f) => loadRuleFile(join(dir, f)));
}

export function loadBuiltinRules(): RuleMeta[] {
  return loadRulesDir(BUILTIN_RULES_DIR);
}
