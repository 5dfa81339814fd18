/**
 * `natlint rules`: the rule catalogue — the built-in rules plus, when a config file is found (or
 * given with --config), the rules of its `rulesDirs`. Severities are the rule files' defaults.
 *
 * JSON: `[{id, title, severity, description, check, docs}]` sorted by id; `docs` is the doc page
 * as a forward-slash path relative to the natlint package for built-in rules (`docs/rules/<id>.md`)
 * and relative to the current directory for rules from `rulesDirs`.
 */
import { relative, sep } from "node:path";
import { resolveRules } from "../api.js";
import { loadConfig } from "../config/index.js";
import { BUILTIN_RULES_DIR, PACKAGE_ROOT } from "../engine/rules.js";
import type { RuleMeta } from "../engine/types.js";
import { table } from "../report/table.js";
import { choiceOption, parseCommandArgs, UsageError } from "./args.js";
import type { Command } from "./commands.js";

export interface RuleCatalogueEntry {
  id: string;
  title: string;
  severity: RuleMeta["severity"];
  description: string;
  check: string;
  docs: string;
}

const SEVERITY_RANK = { error: 0, warning: 1, info: 2 } as const;

function slashRelative(from: string, to: string): string {
  return relative(from, to).split(sep).join("/");
}

/** The catalogue entries, sorted by id (code-unit order, so stable across locales). */
export function ruleCatalogue(rules: readonly RuleMeta[], cwd = process.cwd()): RuleCatalogueEntry[] {
  return [...rules]
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((r) => {
      const builtin = slashRelative(BUILTIN_RULES_DIR, r.file) === `${r.id}.json`;
      return {
        id: r.id,
        title: r.title,
        severity: r.severity,
        description: r.description,
        check: r.check,
        docs: slashRelative(builtin ? PACKAGE_ROOT : cwd, r.docs),
      };
    });
}

/** The table: rule, severity, (check, when some rule runs a check of another name,) title. */
export function formatRuleTable(entries: readonly RuleCatalogueEntry[]): string {
  const withCheck = entries.some((e) => e.check !== e.id);
  const header = ["rule", "severity", ...(withCheck ? ["check"] : []), "title"];
  const rows = entries.map((e) => [e.id, e.severity, ...(withCheck ? [e.check] : []), e.title]);
  const count = (s: keyof typeof SEVERITY_RANK) => entries.filter((e) => e.severity === s).length;
  const n = entries.length;
  return (
    `${table(header, rows)}\n\n` +
    `${n} rule${n === 1 ? "" : "s"} (${count("error")} error, ${count("warning")} warning, ${count("info")} info). ` +
    `Details: natlint rules --format json, or the doc page of each rule (docs/rules/<id>.md).\n`
  );
}

export const rulesCmd: Command = {
  name: "rules",
  summary: "list the rules: id, severity, title",
  help: `Usage: natlint rules [--format table|json] [--config FILE | --no-config]

List the rule catalogue: the built-in rules and, when a .natlintrc.json is
found (searched upward from the current directory) or given with --config, the
rules of its rulesDirs. Severities are the rule files' defaults.

Options:
  --format table|json  table (default): rule, severity, title;
                       json: [{id, title, severity, description, check, docs}]
                       with docs the doc page's path
  --config FILE        use this .natlintrc.json
  --no-config          built-in rules only
  -h, --help           show this help
`,
  async run(args) {
    const noConfig = args.includes("--no-config");
    const a = parseCommandArgs(
      this,
      args.filter((x) => x !== "--no-config"),
      { format: { type: "string" }, config: { type: "string" } },
    );
    if (a.positionals.length) throw new UsageError(`rules: unexpected argument "${a.positionals[0]}" (see natlint rules --help)`);
    if (noConfig && a.values.config !== undefined) throw new UsageError("rules: --config and --no-config contradict each other");
    const format = choiceOption(this, "format", a.values.format, ["table", "json"] as const, "table");
    const cwd = process.cwd();
    const loaded = noConfig ? undefined : loadConfig({ cwd, ...(a.values.config !== undefined ? { configPath: a.values.config } : {}) });
    const entries = ruleCatalogue(resolveRules(loaded, cwd), cwd);
    process.stdout.write(format === "json" ? JSON.stringify(entries, null, 2) + "\n" : formatRuleTable(entries));
    return 0;
  },
};
