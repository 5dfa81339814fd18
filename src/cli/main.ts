/**
 * `natlint` command line: one module per command, each a thin layer over the library API
 * (src/api) and the formatters (src/report), loaded only when its command runs (so `--version`
 * and `--help` load none of them).
 * Exit codes: 0 no error findings, 1 error findings (or, for diff, changes outside the intent),
 * 2 usage, I/O or configuration error — always one line on stderr, never a stack trace.
 */
import { readFileSync } from "node:fs";
import { UsageError, type CliIo, type Command } from "./args.js";
import { closest } from "../api/suggest.js";
import { formatBytes, InputError } from "../api/errors.js";
import { visible } from "../report/text.js";

interface CommandEntry {
  name: string;
  summary: string;
  load(): Promise<Command>;
}

/** The commands, in help order; each module is imported when its command runs. */
export const COMMANDS: readonly CommandEntry[] = [
  { name: "lint", summary: "lint config files (the CI command)", load: async () => (await import("./lint.js")).lintCmd },
  { name: "fix", summary: "the proven fixes of a config: fixed text, patch or device commands", load: async () => (await import("./fix.js")).fixCmd },
  { name: "simulate", summary: "show the PAT translation table for N IPsec clients", load: async () => (await import("./simulate.js")).simulateCmd },
  { name: "explain", summary: "trace every client's IKE and NAT-T session through a device or a path", load: async () => (await import("./explain.js")).explainCmd },
  { name: "flow", summary: "evaluate flows against one ACL", load: async () => (await import("./flow.js")).flowCmd },
  { name: "diff", summary: "what an ACL change permits or denies that it did not before", load: async () => (await import("./diff.js")).diffCmd },
  { name: "search", summary: "find a packet in a header space that an ACL permits or denies", load: async () => (await import("./search.js")).searchCmd },
  { name: "rules", summary: "list the rules: id, severity, title", load: async () => (await import("./rules.js")).rulesCmd },
  { name: "lsp", summary: "the language server for editors (--stdio)", load: async () => (await import("./lsp.js")).lspCmd },
];

const TOP_HELP = `natlint — lint Cisco IOS and ASA ACL and NAT policy

Usage: natlint <command> [options]

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(9)} ${c.summary}`).join("\n")}

Options:
  -h, --help     show help (also: natlint help <command>, natlint <command> --help)
  -v, --version  print the version

Exit codes: 0 no errors, 1 error findings, 2 usage, I/O or configuration error.
`;

/** The version in package.json, read without loading the library. */
export function version(): string {
  return (JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }).version;
}

function find(name: string): CommandEntry {
  const cmd = COMMANDS.find((c) => c.name === name);
  if (cmd) return cmd;
  const m = closest(name, COMMANDS.map((c) => c.name));
  throw new UsageError(`unknown command "${name}"${m ? ` (did you mean "${m}"?)` : ""} (commands: ${COMMANDS.map((c) => c.name).join(", ")})`);
}

/** Run one command line; returns the exit code. Expected errors are thrown (see `runMain`). */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === "-h" || first === "--help") {
    io.stdout(TOP_HELP);
    return first === undefined ? 2 : 0;
  }
  if (first === "help") {
    if (rest[0] === undefined) {
      io.stdout(TOP_HELP);
      return 0;
    }
    io.stdout((await find(rest[0]).load()).help);
    return 0;
  }
  if (first === "-v" || first === "--version") {
    io.stdout(`${version()}\n`);
    return 0;
  }
  const cmd = await find(first).load();
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
    io.stderr(errorLine(e));
    if (io.env.NATLINT_DEBUG) io.stderr(`${(e as Error)?.stack ?? ""}\n`);
    return 2;
  }
}

/**
 * The one line a failed run prints. Known kinds (usage, input, config, natlint's own stops, and a
 * packet-set node budget used up by a command that does not say more about it) as their message;
 * anything else as an internal error.
 */
export function errorLine(e: unknown): string {
  const err = e as Error;
  const known = err instanceof UsageError || err?.name === "InputError" || err?.name === "ConfigError" || err?.name === "NatlintError";
  // a message may quote a file name or a config's text: shown with its control characters escaped
  const msg = visible((err?.message ?? String(e)).split("\n")[0]!);
  if (known) return `natlint: ${msg}\n`;
  if (err?.name === "BddBudgetError") return `natlint: stopped: ${msg} (this input needs more packet-set nodes than natlint's budget)\n`;
  return `natlint: internal error: ${msg} (set NATLINT_DEBUG=1 for details)\n`;
}

/**
 * The process's own streams. A closed pipe (`natlint … | head`) ends the run quietly with the
 * exit code so far; any other stream error is one line on stderr (if it still works) and exit 2.
 */
export function processIo(): CliIo {
  let broken = false;
  for (const s of [process.stdout, process.stderr])
    s.on("error", (e: NodeJS.ErrnoException) => {
      if (broken) return;
      broken = true;
      if (e.code !== "EPIPE" && s === process.stdout) {
        try {
          process.stderr.write(`natlint: cannot write the output (${e.code ?? e.message})\n`);
        } catch {
          // stderr is gone too
        }
        process.exit(2);
      }
      process.exit(process.exitCode ?? 0);
    });
  let full = false;
  const write = (s: NodeJS.WriteStream) => (t: string) => {
    if (!broken && !s.write(t) && s === process.stdout) full = true;
  };
  return {
    stdout: write(process.stdout),
    // a closed pipe ends the process (above), so a drain that never comes is never waited for long
    drain: () =>
      full
        ? new Promise<void>((done) =>
            process.stdout.once("drain", () => {
              full = false;
              done();
            }),
          )
        : Promise.resolve(),
    stderr: write(process.stderr),
    cwd: process.cwd(),
    env: process.env,
    stdoutIsTTY: process.stdout.isTTY === true,
    stderrIsTTY: process.stderr.isTTY === true,
    spinnerStream: process.stderr,
    readStdin: async (maxBytes = Infinity) => {
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const c of process.stdin) {
        size += (c as Buffer).length;
        if (size > maxBytes) throw new InputError(`standard input is larger than natlint's file-size limit of ${formatBytes(maxBytes)} (--max-file-size): not read`);
        chunks.push(c as Buffer);
      }
      return new TextDecoder("utf-8").decode(Buffer.concat(chunks)).replace(/^\uFEFF/, "");
    },
  };
}

export async function runCli(argv: readonly string[]): Promise<void> {
  process.exitCode = await runMain(argv, processIo());
}
