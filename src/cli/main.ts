/**
 * `natlint` command line: one module per command, each a thin layer over the library API
 * (src/api) and the formatters (src/report).
 * Exit codes: 0 no error findings, 1 error findings (or, for diff, changes outside the intent),
 * 2 usage, I/O or configuration error — always one line on stderr, never a stack trace.
 */
import { NatlintError, packageInfo } from "../api/index.js";
import { UsageError, type CliIo, type Command } from "./args.js";
import { diffCmd } from "./diff.js";
import { explainCmd } from "./explain.js";
import { flowCmd } from "./flow.js";
import { fixCmd } from "./fix.js";
import { lintCmd } from "./lint.js";
import { rulesCmd } from "./rules.js";
import { searchCmd } from "./search.js";
import { simulateCmd } from "./simulate.js";

export const COMMANDS: readonly Command[] = [lintCmd, fixCmd, simulateCmd, explainCmd, flowCmd, diffCmd, searchCmd, rulesCmd];

const TOP_HELP = `natlint — lint Cisco IOS and ASA ACL and NAT policy

Usage: natlint <command> [options]

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(9)} ${c.summary}`).join("\n")}

Options:
  -h, --help     show help (also: natlint <command> --help)
  -v, --version  print the version

Exit codes: 0 no errors, 1 error findings, 2 usage, I/O or configuration error.
`;

/** Run one command line; returns the exit code. Expected errors are thrown (see `runCli`). */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === "-h" || first === "--help" || first === "help") {
    io.stdout(TOP_HELP);
    return first === undefined ? 2 : 0;
  }
  if (first === "-v" || first === "--version") {
    io.stdout(`${packageInfo().version}\n`);
    return 0;
  }
  const cmd = COMMANDS.find((c) => c.name === first);
  if (!cmd) throw new UsageError(`unknown command "${first}" (commands: ${COMMANDS.map((c) => c.name).join(", ")})`);
  if (rest.includes("--help") || rest.includes("-h")) {
    // --help wins over everything else on the line
    io.stdout(cmd.help);
    return 0;
  }
  return cmd.run(rest, io);
}

/**
 * `main` with its errors as one line on stderr: known error kinds exit 2 with their message;
 * anything else is an internal error, still without a stack (unless NATLINT_DEBUG is set).
 */
export async function runMain(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    return await main(argv, io);
  } catch (e) {
    const err = e as Error;
    const known = err instanceof UsageError || err instanceof NatlintError;
    const msg = (err?.message ?? String(e)).split("\n")[0];
    io.stderr(known ? `natlint: ${msg}\n` : `natlint: internal error: ${msg} (set NATLINT_DEBUG=1 for details)\n`);
    if (io.env.NATLINT_DEBUG) io.stderr(`${err?.stack ?? ""}\n`);
    return 2;
  }
}

/** The process's own streams; a closed pipe (`natlint … | head`) ends the run quietly. */
export function processIo(): CliIo {
  for (const s of [process.stdout, process.stderr])
    s.on("error", (e: NodeJS.ErrnoException) => {
      if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
      throw e;
    });
  return {
    stdout: (t) => void process.stdout.write(t),
    stderr: (t) => void process.stderr.write(t),
    cwd: process.cwd(),
    env: process.env,
    stdoutIsTTY: process.stdout.isTTY === true,
    stderrIsTTY: process.stderr.isTTY === true,
  };
}

export async function runCli(argv: readonly string[]): Promise<void> {
  process.exitCode = await runMain(argv, processIo());
}
