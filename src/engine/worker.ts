/**
 * A lint worker thread (./pool.ts starts them): prepares the run once from the plain-data spec,
 * then lints the files it is sent, one message per file, and answers each with the outcome or
 * the error (name and message: the main thread re-raises the first in path order).
 */
import { parentPort, workerData } from "node:worker_threads";
import { lintPath, prepareRun, type RunSpec } from "./lint-file.js";

const port = parentPort!;
let prep: ReturnType<typeof prepareRun> | undefined;
let prepError: { name: string; message: string } | undefined;
try {
  prep = prepareRun(workerData as RunSpec);
} catch (e) {
  prepError = { name: (e as Error).name, message: (e as Error).message };
}

port.on("message", (m: { index: number; abs: string; shown: string } | "stop") => {
  if (m === "stop") {
    port.close();
    return;
  }
  if (!prep) {
    port.postMessage({ index: m.index, error: prepError });
    return;
  }
  try {
    port.postMessage({ index: m.index, outcome: lintPath(prep, m.abs, m.shown) });
  } catch (e) {
    port.postMessage({ index: m.index, error: { name: (e as Error).name, message: (e as Error).message } });
  }
});
