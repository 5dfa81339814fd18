#!/usr/bin/env node
// `npm test`: builds dist/ (the binary's code, transpiled) unless it is newer than every source,
// then typechecks src, test and bench while the uvu suites under test/ run (the TypeScript
// transpiled by esbuild through ./ts-register.mjs; tsx without esbuild) in a few processes side by
// side, each over its share of the test files; ends with the plain closing line
// "N passed, N failed, N skipped" that CI reads. uvu's "Total" counts the tests that ran (skipped ones are not in it), so failed =
// total - passed; a process that crashes before its tests ran counts as one failure, a failed
// build or typecheck as one more. An argument filters test files by pattern (and skips the
// TypeScript runs); NATLINT_TEST_JOBS sets the number of processes (default: the cores, at most 4).
import { spawn } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath, pathToFileURL } from "node:url";
import { dirname, join, relative } from "node:path";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const tsc = join(root, "node_modules/typescript/bin/tsc");

/** Run node with args; output is passed through live, or collected and returned (`capture`). */
function run(args, capture) {
  return new Promise((done) => {
    // NATLINT_TS_HOOKS: worker threads of a lint run from the sources register the same hooks (src/engine/pool.ts)
    const env = { ...process.env, NATLINT_TS_HOOKS: pathToFileURL(join(root, "scripts/ts-hooks.mjs")).href };
    const child = spawn(process.execPath, args, { cwd: root, env, stdio: ["ignore", capture ? "pipe" : "inherit", capture ? "pipe" : "inherit"] });
    let text = "";
    child.stdout?.on("data", (d) => (text += d));
    child.stderr?.on("data", (d) => (text += d));
    child.on("close", (code) => done({ code: code ?? 1, text }));
  });
}

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const pattern = process.argv[2];
const filter = new RegExp(pattern ?? "\\.test\\.ts$");
// each file's weight: its time in a default run (test/timings.json, ms, measured one file per
// process; refresh it when a file's cost changes much), else its size as a guess
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
// greedy by weight: each file to the lightest share
const shares = Array.from({ length: jobs }, () => ({ files: [], size: 0 }));
for (const x of files) {
  const s = shares.reduce((a, b) => (b.size < a.size ? b : a));
  s.files.push(x.f);
  s.size += x.size;
}

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
  const build = built !== undefined && built > sources ? { code: 0 } : await transpile();
  if (build.code !== 0) {
    process.stdout.write(`\ntests: 0 passed, 1 failed, 0 skipped (the build failed)\n`);
    process.exit(1);
  }
  typecheck = run([tsc, "-p", "tsconfig.test.json"], true);
}
// the sources through esbuild without tsx's keepNames (./ts-hooks.mjs: the suite in ~¾ of the time);
// tsx when esbuild cannot be loaded
const loader = await import("esbuild").then(() => join(root, "scripts/ts-register.mjs"), () => "tsx");
const results = await Promise.all(
  shares
    .filter((s) => s.files.length > 0)
    .map((s) => run(["--import", loader, join(root, "node_modules/uvu/bin.js"), "test", `^(${s.files.sort().map(escape).join("|")})$`], true)),
);
const checked = await typecheck;
if (checked.code !== 0) {
  process.stdout.write(checked.text);
  tsFailures = 1;
}
let passed = 0;
let failed = tsFailures;
let skipped = 0;
for (const { code, text } of results) {
  process.stdout.write(text);
  const plain = text.replace(/\x1b\[[0-9;]*m/g, "");
  const num = (k) => Number((new RegExp(`${k}:\\s+(\\d+)`).exec(plain) ?? [])[1] ?? 0);
  const total = num("Total");
  passed += num("Passed");
  skipped += num("Skipped");
  failed += code === 0 ? total - num("Passed") : Math.max(1, total - num("Passed"));
}
process.stdout.write(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
process.exit(failed > 0 ? 1 : 0);
