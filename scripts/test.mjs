#!/usr/bin/env node
// Runs the uvu suites under test/ (TypeScript through tsx) and ends with the plain closing
// line "N passed, N failed" that CI reads. Extra arguments filter test files by pattern.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const pattern = process.argv[2] ?? "\\.test\\.ts$";
const child = spawn(process.execPath, ["--import", "tsx", join(root, "node_modules/uvu/bin.js"), "test", pattern], {
  cwd: root,
  stdio: ["ignore", "pipe", "inherit"],
});
let text = "";
child.stdout.on("data", (d) => {
  text += d;
  process.stdout.write(d);
});
child.on("close", (code) => {
  const plain = text.replace(/\x1b\[[0-9;]*m/g, "");
  const num = (k) => Number((new RegExp(`${k}:\\s+(\\d+)`).exec(plain) ?? [])[1] ?? 0);
  const total = num("Total");
  const passed = num("Passed");
  const skipped = num("Skipped");
  const failed = code === 0 ? total - passed - skipped : Math.max(1, total - passed - skipped);
  process.stdout.write(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  process.exit(code ?? 1);
});
