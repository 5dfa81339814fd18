#!/usr/bin/env node
// `npm test`: builds dist/ (the binary's code, transpiled) unless it is newer than every source,
// then typechecks src, test and bench while the uvu suites under test/ run (the TypeScript
// transpiled by esbuild through ./ts-register.mjs; tsx without esbuild) in a few processes side by
// side (./test-child.mjs): each takes the next test file, the costliest first, as soon as it is
// done with one, and the files' outputs are printed in name order. Ends with the plain closing
// line "N passed, N failed, N skipped" that CI reads. uvu counts the tests that ran (skipped ones
// are not among them), so failed = ran - passed; a file that does not load, or whose process dies
// under it, counts as one failure at least, a failed build or typecheck as one more. An argument
// filters test files by pattern (and skips the TypeScript runs); NATLINT_TEST_JOBS sets the
// number of processes (default: the cores, at most 4). NATLINT_TEST_TIMINGS=FILE writes each
// file's time in this run (ms) as JSON, the form of test/timings.json, which orders the files.
import { spawn } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath, pathToFileURL } from "node:url";
import { dirname, join, relative } from "node:path";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const tsc = join(root, "node_modules/typescript/bin/tsc");

/** The environment of the test processes. */
function childEnv() {
  // NATLINT_TS_HOOKS: worker threads of a lint run from the sources register the same hooks (src/engine/pool.ts)
  // NATLINT_TS_WORKER: dist/'s worker instead, when dist/ is the sources' code (built below, or newer than every source)
  const env = { ...process.env, NATLINT_TS_HOOKS: pathToFileURL(join(root, "scripts/ts-hooks.mjs")).href };
  if (distFresh) env.NATLINT_TS_WORKER = pathToFileURL(join(root, "dist/engine/worker.js")).href;
  return env;
}

/** Run node with args; output is passed through live, or collected and returned (`capture`). */
function run(args, capture) {
  return new Promise((done) => {
    const env = childEnv();
    const child = spawn(process.execPath, args, { cwd: root, env, stdio: ["ignore", capture ? "pipe" : "inherit", capture ? "pipe" : "inherit"] });
    let text = "";
    child.stdout?.on("data", (d) => (text += d));
    child.stderr?.on("data", (d) => (text += d));
    child.on("close", (code) => done({ code: code ?? 1, text }));
  });
}

const pattern = process.argv[2];
const filter = new RegExp(pattern ?? "\\.test\\.ts$");
// each file's weight, for the order files are handed out in (costliest first): its time in a
// default run (test/timings.json, ms; refresh it with NATLINT_TEST_TIMINGS=test/timings.json when
// a file's cost changes much), else its size as a guess
let timings = {};
try {
  timings = JSON.parse(readFileSync(join(root, "test", "timings.json"), "utf8"));
} catch {
  // no timings: sizes only
}
const files = readdirSync(join(root, "test"))
  .filter((f) => f.endsWith(".test.ts") && filter.test(f))
  .map((f) => ({ f, size: timings[f] ?? statSync(join(root, "test", f)).size / 8 }))
  .sort((a, b) => b.size - a.size || (a.f < b.f ? -1 : 1));
const jobs = Math.max(1, Math.min(files.length, Number(process.env.NATLINT_TEST_JOBS) || Math.min(4, availableParallelism())));

let tsFailures = 0;
let typecheck = Promise.resolve({ code: 0, text: "" });
/** Newest (or oldest) modification time of the files under `dir` ending in `ext`; undefined when there are none. */
function mtimes(dir, ext, pick) {
  let t;
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(ext)) t = t === undefined ? statSync(p).mtimeMs : pick(t, statSync(p).mtimeMs);
    }
  };
  try {
    walk(join(root, dir));
  } catch {
    return undefined;
  }
  return t;
}
// dist/ is rebuilt unless every file of it is newer than every source (npm ci has just built it)
const built = mtimes("dist", ".js", Math.min);
const sources = Math.max(mtimes("src", ".ts", Math.max) ?? Infinity, statSync(join(root, "tsconfig.json")).mtimeMs);
// whether dist/ holds the sources' code for the suites' worker threads (set once the build below has run)
let distFresh = built !== undefined && built > sources;
/**
 * dist/ for the tests (the binary's code): each source transpiled on its own by esbuild (tsx's,
 * already installed), in well under a second; the typecheck beside the suites checks the types.
 * The package build (`npm run build`, `prepare`) stays tsc's, with the declaration files.
 * Without esbuild: tsc.
 */
async function transpile() {
  let esbuild;
  try {
    esbuild = await import("esbuild");
  } catch {
    return run([tsc, "-p", "tsconfig.json"], false);
  }
  rmSync(join(root, "dist"), { recursive: true, force: true });
  const walk = (d) => readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : e.name.endsWith(".ts") ? [join(d, e.name)] : []));
  try {
    for (const f of walk(join(root, "src"))) {
      const out = join(root, "dist", relative(join(root, "src"), f)).replace(/\.ts$/, ".js");
      const { code } = esbuild.transformSync(readFileSync(f, "utf8"), { loader: "ts", format: "esm", target: "es2022", sourcefile: f });
      mkdirSync(dirname(out), { recursive: true });
      writeFileSync(out, code);
    }
  } catch (e) {
    process.stderr.write(`${e.message}\n`);
    return { code: 1 };
  }
  return { code: 0 };
}
if (pattern === undefined) {
  const build = distFresh ? { code: 0 } : await transpile();
  if (build.code !== 0) {
    process.stdout.write(`\ntests: 0 passed, 1 failed, 0 skipped (the build failed)\n`);
    process.exit(1);
  }
  distFresh = true;
  typecheck = run([tsc, "-p", "tsconfig.test.json"], true);
}
// the sources through esbuild without tsx's keepNames (./ts-hooks.mjs: the suite in ~¾ of the time);
// tsx when esbuild cannot be loaded
const loader = await import("esbuild").then(() => join(root, "scripts/ts-register.mjs"), () => "tsx");
/**
 * The test files through `jobs` processes, the next file to the first process free; a process
 * that dies is replaced. Resolves to each file's result: tests run, passed, skipped, output.
 */
function runFiles() {
  const queue = files.map((x) => x.f);
  const results = new Map();
  let live = 0;
  return new Promise((finish) => {
    const start = () => {
      live++;
      // uvu/bin.js in argv puts uvu in its CLI mode (./test-child.mjs)
      const args = ["--import", loader, join(root, "scripts/test-child.mjs"), join(root, "node_modules/uvu/bin.js")];
      const child = spawn(process.execPath, args, { cwd: root, env: { ...childEnv(), FORCE_COLOR: "1" }, stdio: ["ignore", "pipe", "pipe", "ipc"] });
      let current;
      let stray = "";
      child.stdout.on("data", (d) => (stray += d));
      child.stderr.on("data", (d) => (stray += d));
      const next = () => {
        current = queue.shift();
        if (current === undefined) child.send("stop");
        else child.send({ file: join(root, "test", current) });
      };
      child.on("message", (m) => {
        if (m.ready) return next();
        results.set(current, m);
        next();
      });
      child.on("close", (code, signal) => {
        live--;
        if (current !== undefined) {
          // the process died under this file: one failure at least, and what it wrote
          results.set(current, { total: 0, passed: 0, skipped: 0, crashed: true, out: `\n${stray}\n(the test process exited with ${signal ?? code} in this file)\n` });
          stray = "";
          if (queue.length > 0) start();
        } else if (stray.trim() !== "") {
          process.stderr.write(stray);
        }
        if (live === 0) finish(results);
      });
    };
    for (let i = 0; i < jobs; i++) start();
  });
}
const results = await runFiles();
const checked = await typecheck;
if (checked.code !== 0) {
  process.stdout.write(checked.text);
  tsFailures = 1;
}
let passed = 0;
let failed = tsFailures;
let skipped = 0;
let ran = 0;
for (const f of files.map((x) => x.f).sort()) {
  const r = results.get(f) ?? { total: 0, passed: 0, skipped: 0, crashed: true, out: "\n(not run)\n" };
  process.stdout.write(`\x1b[4m${f}\x1b[0m\n${r.out}\n`);
  ran += r.total;
  passed += r.passed;
  skipped += r.skipped;
  failed += r.crashed ? Math.max(1, r.total - r.passed) : r.total - r.passed;
}
if (process.env.NATLINT_TEST_TIMINGS) {
  const t = Object.fromEntries([...results].filter(([, r]) => r.ms !== undefined).sort(([a], [b]) => (a < b ? -1 : 1)).map(([f, r]) => [f, r.ms]));
  writeFileSync(process.env.NATLINT_TEST_TIMINGS, `${JSON.stringify(t, null, 2)}\n`);
}
process.stdout.write(`\n  Total:     ${ran}\n  Passed:    ${passed}\n  Skipped:   ${skipped}\n`);
process.stdout.write(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
process.exit(failed > 0 ? 1 : 0);
