/**
 * Commands' options as tables: one row per flag (name, short form, type, value name, help line,
 * help group). The table gives the parser (node:util parseArgs, strict) and the help text, so a
 * new flag is one row and its handling. An unknown flag is a usage error with a "did you mean".
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { didYouMean } from "../api/suggest.js";
import { plainParseError, UsageError } from "./args.js";

export interface OptionSpec {
  name: string;
  short?: string;
  type: "string" | "boolean";
  multiple?: boolean;
  /** The value's name in the help (`--clients N`). */
  value?: string;
  /** Help text; `\n` continues on the next line, indented. */
  help: string;
  /** Help section. */
  group: string;
  /** Not listed in the help (an alias). */
  hidden?: boolean;
}

export interface ParsedOptions {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

/** Parse `args` with the table; errors are usage errors naming the command. */
export function parseOptions(cmd: string, args: readonly string[], specs: readonly OptionSpec[]): ParsedOptions {
  const options: NonNullable<ParseArgsConfig["options"]> = {};
  for (const s of specs) options[s.name] = { type: s.type, ...(s.short ? { short: s.short } : {}), ...(s.multiple ? { multiple: true } : {}) };
  try {
    const r = parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
    return { values: r.values as ParsedOptions["values"], positionals: r.positionals };
  } catch (e) {
    const msg = plainParseError((e as Error).message);
    const unknown = /^Unknown option '(--?[^'=]+)/.exec(msg);
    const hint = unknown ? didYouMean(unknown[1]!.replace(/^-+/, ""), specs.map((s) => s.name)).replace(/"([^"]+)"/, '"--$1"') : "";
    throw new UsageError(`${cmd}: ${msg}${hint} (see natlint help ${cmd})`);
  }
}

/** The options part of a command's help, grouped as in the table. */
export function optionsHelp(specs: readonly OptionSpec[]): string {
  const groups: string[] = [];
  for (const s of specs) if (!s.hidden && !groups.includes(s.group)) groups.push(s.group);
  const label = (s: OptionSpec) => `${s.short ? `-${s.short}, ` : ""}--${s.name}${s.value ? ` ${s.value}` : ""}`;
  const width = Math.min(28, Math.max(...specs.filter((s) => !s.hidden).map((s) => label(s).length)) + 2);
  return groups
    .map((g) => {
      const rows = specs
        .filter((s) => s.group === g && !s.hidden)
        .map((s) => {
          const l = label(s);
          const [first, ...more] = s.help.split("\n");
          const head = l.length + 2 > width ? `  ${l}\n  ${" ".repeat(width)}${first}` : `  ${l.padEnd(width)}${first}`;
          return [head, ...more.map((m) => `  ${" ".repeat(width)}${m}`)].join("\n");
        });
      return `${g}:\n${rows.join("\n")}`;
    })
    .join("\n\n");
}
