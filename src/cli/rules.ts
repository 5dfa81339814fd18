/** `natlint rules`: the rule catalogue. */
import { rules } from "../api/index.js";
import { formatRuleTable, ruleCatalogue } from "../report/rules.js";
import { choiceOption, parseCommandArgs, UsageError, type Command } from "./args.js";

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
  async run(args, io) {
    const noConfig = args.includes("--no-config");
    const a = parseCommandArgs(
      this,
      args.filter((x) => x !== "--no-config"),
      { format: { type: "string" }, config: { type: "string" } },
    );
    if (a.positionals.length) throw new UsageError(`rules: unexpected argument "${a.positionals[0]}" (see natlint rules --help)`);
    if (noConfig && a.values.config !== undefined) throw new UsageError("rules: --config and --no-config contradict each other");
    const format = choiceOption(this, "format", a.values.format, ["table", "json"] as const, "table");
    const list = rules({ cwd: io.cwd, ...(noConfig ? { config: false as const } : a.values.config !== undefined ? { config: a.values.config } : {}) });
    const entries = ruleCatalogue(list, io.cwd);
    io.stdout(format === "json" ? JSON.stringify(entries, null, 2) + "\n" : formatRuleTable(entries));
    return 0;
  },
};
