/** `natlint fix FILE`: the proven fixes of one config, as the fixed config, a patch, or device commands. */
import { fixedFiles, lint, readConfig } from "../api/index.js";
import { formatFixCommands, formatFixCommandsJson } from "../report/fix.js";
import { formatPatch } from "../report/patch.js";
import { choiceOption, intOption, ipFlag, parseCommandArgs, UsageError, vendorOption, type Command } from "./args.js";

export const fixCmd: Command = {
  name: "fix",
  summary: "the proven fixes of a config: fixed text, patch or device commands",
  help: `Usage: natlint fix FILE [--commands | --patch] [options]

Proves the fixes of FILE's findings (each fix is applied in memory, the config
analysed again: its finding is gone, no finding is added, and the ACL diff
changes only the intended packets) and prints, without writing anything:
  (default)    the fixed config
  --commands   the device commands of every proven fix, in the order to paste
               them in configuration mode, and the rollback that restores the
               original (IOS: ip access-list … / no SEQ / SEQ permit …;
               ASA: access-list X line N extended … / no access-list X …)
  --patch      a unified diff of the fixes

Options:
  --fix-type RULE[,RULE]  only these rules' fixes (repeatable as a list)
  --format text|json      with --commands: json gives {file, fixes, commands, rollback}
  --clients N, --profile ID, --peer IP, --vendor ios|asa
                          as for natlint lint
  --config FILE, --no-config
  -h, --help              show this help

Exit codes: 0 printed (also when there is no fix), 2 usage, I/O or
configuration error.
`,
  async run(args, io) {
    const opts = {
      commands: { type: "boolean" },
      patch: { type: "boolean" },
      "fix-type": { type: "string" },
      format: { type: "string" },
      clients: { type: "string" },
      profile: { type: "string" },
      peer: { type: "string" },
      vendor: { type: "string" },
      config: { type: "string" },
      "no-config": { type: "boolean" },
    } as const;
    const a = parseCommandArgs(this, args, opts as never);
    const v = a.values as Record<string, string | boolean | undefined>;
    if (a.positionals.length !== 1) throw new UsageError(`fix: expected one FILE (got ${a.positionals.length} arguments)`);
    if (v.commands && v.patch) throw new UsageError("fix: --commands and --patch contradict each other");
    const format = choiceOption(this, "format", v.format as string | undefined, ["text", "json"] as const, "text");
    if (format === "json" && !v.commands) throw new UsageError("fix: --format json goes with --commands");
    if (v.config !== undefined && v["no-config"]) throw new UsageError("fix: --config and --no-config contradict each other");
    const clients = intOption(this, "clients", v.clients as string | undefined, 1, 65535);
    const peer = ipFlag(this, "peer", v.peer as string | undefined);
    const vendor = vendorOption(this, v.vendor as string | undefined);
    const fixTypes = typeof v["fix-type"] === "string" ? v["fix-type"].split(",").filter((x) => x) : undefined;
    const result = await lint({
      patterns: a.positionals,
      cwd: io.cwd,
      fix: true,
      ...(fixTypes ? { fixTypes } : {}),
      ...(clients !== undefined ? { clients } : {}),
      ...(typeof v.profile === "string" ? { profile: v.profile } : {}),
      ...(peer !== undefined ? { peer } : {}),
      ...(vendor ? { vendor } : {}),
      ...(v["no-config"] ? { config: false as const } : typeof v.config === "string" ? { config: v.config } : {}),
    });
    if (fixTypes) {
      const known = new Set(result.rules.map((r) => r.id));
      const bad = fixTypes.find((x) => !known.has(x));
      if (bad !== undefined) throw new UsageError(`fix: --fix-type: unknown rule "${bad}" (see natlint rules)`);
    }
    const file = result.files[0]!;
    if (v.commands) {
      const r = { file: file.path, vendor: file.vendor, fixes: file.fixed ?? [] };
      io.stdout(format === "json" ? formatFixCommandsJson(r) : formatFixCommands(r));
      return 0;
    }
    const fixed = fixedFiles(result, { cwd: io.cwd });
    if (v.patch) io.stdout(formatPatch(fixed));
    else io.stdout(fixed[0]?.new ?? readConfig(file.path, { cwd: io.cwd }));
    return 0;
  },
};
