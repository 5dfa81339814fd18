/**
 * The rule catalogue (`natlint rules`): the rules of a run, sorted by id, each with its doc page.
 * JSON: `[{id, title, severity, description, check, docs}]`; `docs` is the doc page as a
 * forward-slash path relative to the natlint package for built-in rules (`rules/<id>.md`) and
 * relative to the current directory for rules from `rulesDirs` (or the rule's own URL).
 */
import { relative, sep } from "node:path";
import { BUILTIN_RULES_DIR, PACKAGE_ROOT } from "../engine/rules.js";
import type { RuleMeta } from "../engine/types.js";
import { table } from "./table.js";

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
        docs: /^https?:\/\//i.test(r.docs) ? r.docs : slashRelative(builtin ? PACKAGE_ROOT : cwd, r.docs),
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
    `Details: natlint rules --format json, or the doc page of each rule (rules/<id>.md).\n`
  );
}
