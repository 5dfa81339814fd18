/**
 * `natlint` command line: a thin layer over the library API (src/api.ts).
 * Exit codes: 0 no error findings, 1 error findings (or, for diff, changes outside the intent),
 * 2 usage, I/O or configuration error — always one line on stderr, never a stack trace.
 */
import { InputError } from "../io/files.js";
import { ConfigError } from "../engine/errors.js";
import { BaselineError } from "../engine/baseline.js";
import { COMMANDS } from "./commands.js";
import { UsageError, version } from "./args.js";

const TOP_HELP = `natlint — lint Cisco IOS and ASA ACL and NAT policy

Usage: natlint <command> [options]

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(9)} ${c.summary}`).join("\n")}

Options:
  -h, --help     show help (also: natlint <command> --help)
  -v, --version  print the version

Exit codes: 0 no errors, 1 error findings, 2 usage, I/O or configuration error.
`;

export async function main(argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === "-h" || first === "--help" || first === "help") {
    process.stdout.write(TOP_HELP);
    return first === undefined ? 2 : 0;
  }
  if (first === "-v" || first === "--version") {
    process.stdout.write(`${version()}\n`);
    return 0;
  }
  const cmd = COMMANDS.find((c) => c.name === first);
  if (!cmd) throw new UsageError(`unknown command "${first}" (commands: ${COMMANDS.map((c) => c.name).join(", ")})`);
  if (rest.includes("--help") || rest.includes("-h")) {
    // --help wins over everything else on the line
    process.stdout.write(cmd.help);
    return 0;
  }
  return cmd.run(rest);
}

/** Known error kinds print one line and exit 2; anything else is an internal error, still without a stack. */
export async function runCli(argv: string[]): Promise<void> {
  let code: number;
  try {
    code = await main(argv);
  } catch (e) {
    const err = e as Error;
    const known = err instanceof UsageError || err instanceof InputError || err instanceof ConfigError || err instanceof BaselineError;
    const msg = (err?.message ?? String(e)).split("\n")[0];
    process.stderr.write(known ? `natlint: ${msg}\n` : `natlint: internal error: ${msg} (set NATLINT_DEBUG=1 for details)\n`);
    if (process.env.NATLINT_DEBUG) process.stderr.write(`${err?.stack ?? ""}\n`);
    code = 2;
  }
  process.exitCode = code;
}
