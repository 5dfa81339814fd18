/** Shared command-line plumbing: usage errors, argument parsing, number options, the version. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs, type ParseArgsConfig } from "node:util";
import { PACKAGE_ROOT } from "../engine/rules.js";

export class UsageError extends Error {
  override name = "UsageError";
}

export interface CommandInfo {
  name: string;
}

function pkg(): { version: string; homepage?: string } {
  return JSON.parse(readFileSync(join(PACKAGE_ROOT, "package.json"), "utf8")) as { version: string; homepage?: string };
}

export function version(): string {
  return pkg().version;
}

/** package.json `homepage`, when the package declares one (SARIF informationUri). */
export function homepage(): string | undefined {
  return pkg().homepage;
}

export interface ParsedArgs {
  values: Record<string, string | undefined>;
  positionals: string[];
}

/** Parse a command's arguments (string options only); unknown options and bad values are usage errors. */
export function parseCommandArgs(cmd: CommandInfo, args: string[], options: Record<string, { type: "string"; multiple?: false }>): ParsedArgs {
  try {
    const r = parseArgs({ args, options: options as NonNullable<ParseArgsConfig["options"]>, allowPositionals: true, strict: true });
    return { values: r.values as Record<string, string | undefined>, positionals: r.positionals };
  } catch (e) {
    const msg = plainParseError((e as Error).message);
    throw new UsageError(`${cmd.name}: ${msg} (see natlint ${cmd.name} --help)`);
  }
}

/** node:util parseArgs messages, made plain (a negative number reads as an option there). */
export function plainParseError(message: string): string {
  const first = message.split("\n")[0]!.replace(/\. To specify a positional argument.*$/, "");
  const m = /^Option '(--?[\w-]+)[^']*' argument is ambiguous/.exec(first);
  return m ? `${m[1]} needs a value (write ${m[1]}=VALUE for a value that starts with "-")` : first;
}

export function intOption(cmd: CommandInfo, name: string, v: string | undefined, min: number, max: number): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) throw new UsageError(`${cmd.name}: --${name} must be a whole number from ${min} to ${max} (got "${v}")`);
  return Number(v);
}

export function choiceOption<T extends string>(cmd: CommandInfo, name: string, v: string | undefined, choices: readonly T[], dflt: T): T {
  if (v === undefined) return dflt;
  if (!(choices as readonly string[]).includes(v)) throw new UsageError(`${cmd.name}: --${name} must be one of ${choices.join(", ")} (got "${v}")`);
  return v as T;
}
