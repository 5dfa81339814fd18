/** Shared command-line plumbing: the command shape, the process streams, usage errors, option parsing. */
import { parseArgs, type ParseArgsConfig } from "node:util";

/** A usage problem: one line, exit code 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** Where a command reads and writes (the process, or a test's capture). */
export interface CliIo {
  stdout(text: string): void;
  /** Resolves once standard output has taken what was written (backpressure of a streamed output); absent: at once. */
  drain?(): Promise<void>;
  stderr(text: string): void;
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
  /** All of standard input, as UTF-8 text (`natlint lint --stdin`). */
  /** Standard input as text; more than `maxBytes` is an `InputError` (read as a stream: never held whole). */
  readStdin?(maxBytes?: number): Promise<string>;
  /** Where a spinner may draw (the process's stderr on a terminal); absent in tests. */
  spinnerStream?: NodeJS.WritableStream;
}

export interface Command {
  name: string;
  summary: string;
  help: string;
  run(args: string[], io: CliIo): Promise<number>;
}

export interface ParsedArgs {
  values: Record<string, string | undefined>;
  positionals: string[];
}

/** Parse a command's arguments (string options only); unknown options and bad values are usage errors. */
export function parseCommandArgs(cmd: { name: string }, args: string[], options: Record<string, { type: "string"; multiple?: false }>): ParsedArgs {
  try {
    const r = parseArgs({ args, options: options as NonNullable<ParseArgsConfig["options"]>, allowPositionals: true, strict: true });
    return { values: r.values as Record<string, string | undefined>, positionals: r.positionals };
  } catch (e) {
    throw new UsageError(`${cmd.name}: ${plainParseError((e as Error).message)} (see natlint ${cmd.name} --help)`);
  }
}

/** node:util parseArgs messages, made plain (a negative number reads as an option there). */
export function plainParseError(message: string): string {
  const first = message.split("\n")[0]!.replace(/\. To specify a positional argument.*$/, "");
  const m = /^Option '(--?[\w-]+)[^']*' argument is ambiguous/.exec(first);
  return m ? `${m[1]} needs a value (write ${m[1]}=VALUE for a value that starts with "-")` : first;
}

export function intOption(cmd: { name: string }, name: string, v: string | undefined, min: number, max: number): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) throw new UsageError(`${cmd.name}: --${name} must be a whole number from ${min} to ${max} (got "${v}")`);
  return Number(v);
}

export function choiceOption<T extends string>(cmd: { name: string }, name: string, v: string | undefined, choices: readonly T[], dflt: T): T {
  if (v === undefined) return dflt;
  if (!(choices as readonly string[]).includes(v)) throw new UsageError(`${cmd.name}: --${name} must be one of ${choices.join(", ")} (got "${v}")`);
  return v as T;
}

export function vendorOption(cmd: { name: string }, v: string | undefined): "ios" | "asa" | undefined {
  return v === undefined ? undefined : choiceOption(cmd, "vendor", v, ["ios", "asa"] as const, "ios");
}

/** An IPv4 address flag (`--peer`, `--inside`, `--global`): checked here so the error names the flag. */
export function ipFlag(cmd: { name: string }, name: string, v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(v);
  if (!m || m.slice(1).some((o) => Number(o) > 255)) throw new UsageError(`${cmd.name}: --${name} must be an IPv4 address (got "${v}")`);
  return v;
}

/** `--ports 500,4500,1701`: distinct ports 1-65535. */
export function portsFlag(cmd: { name: string }, v: string | undefined): number[] | undefined {
  if (v === undefined) return undefined;
  const list = v.split(",");
  if (!list.every((p) => /^\d+$/.test(p) && Number(p) >= 1 && Number(p) <= 65535) || new Set(list.map(Number)).size !== list.length)
    throw new UsageError(`${cmd.name}: --ports must be a comma-separated list of distinct ports, e.g. 500,4500 (got "${v}")`);
  return list.map(Number);
}

export const SIM_OPTIONS = {
  clients: { type: "string" },
  profile: { type: "string" },
  peer: { type: "string" },
} as const;
