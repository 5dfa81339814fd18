#!/usr/bin/env node
// `npm test`: builds dist/ (the binary's code) and typechecks src, test and bench — the two
// TypeScript runs in parallel — then runs the uvu suites under test/ (TypeScript through tsx),
// and ends with the plain closing line "N passed, N failed, N skipped" that CI reads.
// uvu's "Total" counts the tests that ran (skipped ones are not in it), so failed = total -
// passed; a suite that crashes before its tests ran counts as one failure, a failed build or
// typecheck as one more. An argument filters test files by pattern (and skips the TypeScript runs).
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const tsc = join(root, "node_modules/typescript/bin/tsc");

function run(args, capture) {
  return new Promise((done) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: ["ignore", capture ? "pipe" : "inherit", "inherit"] });
    let text = "";
    child.stdout?.on("data", (d) => {
      text += d;
      process.stdout.write(d);
    });
    child.on("close", (code) => done({ code: code ?? 1, text }));
  });
}

const pattern = process.argv[2];
let tsFailures = 0;
if (pattern === undefined) {
  const results = await Promise.all([run([tsc, "-p", "tsconfig.json"]), run([tsc, "-p", "tsconfig.test.json"])]);
  tsFailures = results.filter((r) => r.code !== 0).length;
  if (results[0].code !== 0) {
    process.stdout.write(`\ntests: 0 passed, 1 failed, 0 skipped (the build failed)\n`);
    process.exit(1);
  }
}
const { code, text } = await run(["--import", "tsx", join(root, "node_modules/uvu/bin.js"), "test", pattern ?? "\\.test\\.ts$"], true);
const plain = text.replace(/\x1b\[[0-9;]*m/g, "");
const num = (k) => Number((new RegExp(`${k}:\\s+(\\d+)`).exec(plain) ?? [])[1] ?? 0);
const total = num("Total");
const passed = num("Passed");
const skipped = num("Skipped");
const failed = (code === 0 ? total - passed : Math.max(1, total - passed)) + tsFailures;
process.stdout.write(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
process.exit(code !== 0 || tsFailures ? 1 : 0);
