/**
 * Linting files in worker threads (`--concurrency`). Each worker prepares the run from the same
 * plain-data spec as the main thread and takes the next file when it is done with one; the
 * outcomes are put back in the files' order, so the output is byte-identical to a single-thread
 * run. The first error in that order is raised, as the single-thread run would raise it.
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { ConfigError, InputError, NatlintError } from "../core/errors.js";
import type { FileOutcome, RunSpec } from "./lint-file.js";

export type Concurrency = number | "auto" | "off";

/**
 * `auto` stays in one thread below this many files or bytes: each worker loads the engine
 * (about 0.3 s of CPU), which small runs do not win back (the Batfish corpus, 251 files in
 * 220 KiB, lints in 0.8 s in one thread).
 */
export const MIN_FILES_FOR_WORKERS = 8;
export const MIN_BYTES_FOR_WORKERS = 1024 * 1024;

/** How many workers for `n` files of `bytes` in all (0: stay in this thread). */
export function workerCount(concurrency: Concurrency | undefined, n: number, bytes = Infinity): number {
  if (concurrency === "off" || concurrency === 1) return 0;
  if (concurrency === undefined || concurrency === "auto") {
    const cores = availableParallelism();
    if (cores < 2 || n < MIN_FILES_FOR_WORKERS || bytes < MIN_BYTES_FOR_WORKERS) return 0;
    return Math.min(cores, 8, Math.floor(n / 4));
  }
  return Math.max(0, Math.min(concurrency, n));
}

function rebuild(e: { name: string; message: string }): Error {
  if (e.name === "InputError") return new InputError(e.message);
  if (e.name === "ConfigError") return new ConfigError(e.message);
  if (e.name === "NatlintError") return new NatlintError(e.message);
  const err = new Error(e.message);
  err.name = e.name;
  return err;
}

export interface PoolJob {
  abs: string;
  shown: string;
}

/** Lint `jobs` in `count` workers; `onDone(index)` as each finishes (any order). */
export async function lintInWorkers(spec: RunSpec, jobs: readonly PoolJob[], count: number, onDone?: (index: number) => void): Promise<FileOutcome[]> {
  const fromSource = import.meta.url.endsWith(".ts");
  // Running from the TypeScript sources (the test suite, the benchmarks): a worker does not inherit
  // the process's module hooks. scripts/test.mjs names dist/'s worker (NATLINT_TS_WORKER) when
  // dist/ is newer than every source: the same code transpiled, loaded as plain JavaScript (a
  // worker that registers hooks starts a second thread for them and costs ~5× the start-up).
  // Otherwise the worker registers the suite's hooks (NATLINT_TS_HOOKS: esbuild without tsx's
  // per-closure __name calls) or else tsx's before loading the worker module.
  const built = fromSource ? process.env.NATLINT_TS_WORKER : undefined;
  const script = built ? new URL(built) : new URL(fromSource ? "./worker.ts" : "./worker.js", import.meta.url);
  const hooks = fromSource ? process.env.NATLINT_TS_HOOKS : undefined;
  const register = hooks ? `import("node:module").then((m) => m.register(${JSON.stringify(hooks)}))` : `import("tsx/esm/api").then((t) => t.register())`;
  const start = () =>
    fromSource && !built
      ? new Worker(`${register}.then(() => import(${JSON.stringify(script.href)}));`, { eval: true, workerData: spec })
      : new Worker(script, { workerData: spec });
  const outcomes = new Array<FileOutcome | undefined>(jobs.length);
  const errors = new Map<number, Error>();
  let next = 0;
  await Promise.all(
    Array.from({ length: count }, () =>
      new Promise<void>((resolve, reject) => {
        const w = start();
        const feed = () => {
          if (next >= jobs.length) {
            w.postMessage("stop");
            return;
          }
          const index = next++;
          w.postMessage({ index, ...jobs[index]! });
        };
        w.on("message", (m: { index: number; outcome?: FileOutcome; error?: { name: string; message: string } }) => {
          if (m.error) errors.set(m.index, rebuild(m.error));
          else outcomes[m.index] = m.outcome;
          onDone?.(m.index);
          feed();
        });
        w.on("error", reject);
        w.on("exit", () => resolve());
        feed();
      }),
    ),
  );
  if (errors.size) throw errors.get([...errors.keys()].reduce((a, b) => Math.min(a, b)))!;
  return outcomes.map((o, i) => {
    if (!o) throw new Error(`worker lost file ${jobs[i]!.shown}`);
    return o;
  });
}
