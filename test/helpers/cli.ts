/**
 * The natlint command line in process: `runMain` with captured streams (the same code path as
 * bin/natlint.js, minus process start-up). Tests go through the built binary only where the
 * process contract itself is the point (bin/, exit status of a real process, EPIPE).
 */
import { runMain } from "../../src/cli/main.js";

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function cli(argv: readonly string[], opts: { cwd?: string; env?: Record<string, string | undefined>; tty?: boolean; stdin?: string } = {}): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const code = await runMain(argv, {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    cwd: opts.cwd ?? process.cwd(),
    env: opts.env ?? { NO_COLOR: "1" },
    stdoutIsTTY: opts.tty ?? false,
    stderrIsTTY: opts.tty ?? false,
    ...(opts.stdin !== undefined ? { readStdin: async () => opts.stdin! } : {}),
  });
  return { code, stdout, stderr };
}
