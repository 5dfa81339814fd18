// One of `npm test`'s test processes (started by ./test.mjs with an IPC channel): it runs the uvu
// test files the parent sends, one at a time, and answers each with its counts and its output, so
// the parent can hand the next file to whichever process is free (the processes finish together
// whatever the files cost on this machine). A file's tests run as uvu's own CLI runs them: the
// file is imported with uvu in its CLI mode (its `test.run()` queues the suites, nothing starts
// on a timer), then each queued suite runs in order; what the suites write is the file's output.
//
// uvu takes its CLI mode from a `uvu/bin.js` in process.argv: ./test.mjs passes that path as this
// script's argument.
import { pathToFileURL } from "node:url";

globalThis.UVU_DEFER = 1;
await import("uvu");

process.on("message", async (m) => {
  if (m === "stop") {
    process.disconnect();
    return;
  }
  const { file } = m;
  let out = "";
  const write = process.stdout.write;
  process.stdout.write = (chunk, enc, cb) => {
    out += typeof chunk === "string" ? chunk : Buffer.from(chunk).toString();
    if (typeof enc === "function") enc();
    else if (typeof cb === "function") cb();
    return true;
  };
  let total = 0;
  let passed = 0;
  let skipped = 0;
  let crashed = false;
  const t0 = performance.now();
  try {
    globalThis.UVU_INDEX = 0;
    globalThis.UVU_QUEUE = [[]];
    await import(pathToFileURL(file).href);
    for (const suite of globalThis.UVU_QUEUE[0]) {
      const [errors, ran, skips, max] = await suite();
      total += max;
      passed += ran;
      skipped += skips;
      if (errors !== true && errors.length) out += `\n${errors}\n`;
    }
  } catch (e) {
    // the file did not load (or uvu itself failed): one failure, with the reason
    crashed = true;
    out += `\n${e?.stack ?? e}\n`;
  } finally {
    process.stdout.write = write;
  }
  process.send({ file, total, passed, skipped, crashed, out, ms: Math.round(performance.now() - t0) });
});
process.send({ ready: true });
