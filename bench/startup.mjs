#!/usr/bin/env node
/**
 * Start-up cost: `natlint --version` (answered by bin/natlint.js before any of natlint loads),
 * `natlint --help` (the command table, no command module) and `natlint rules` (the library) against
 * `node -e 0`, as the median wall time of N runs and the CPU time (user + system) per run of the
 * children, from /proc/self/stat's cutime + cstime where there is one. Target: --version within
 * 1.5× of `node -e 0`. Needs dist/ (npm run build).
 *   node bench/startup.mjs [N]      (default 20)
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const BIN = fileURLToPath(new URL("../bin/natlint.js", import.meta.url));
const N = Number(process.argv[2] ?? 20);
const TICK_MS = 10; // USER_HZ 100 on Linux

function childCpuMs() {
  try {
    const f = readFileSync("/proc/self/stat", "utf8").split(") ")[1].split(" ");
    return (Number(f[13]) + Number(f[14])) * TICK_MS; // cutime, cstime (fields 16, 17)
  } catch {
    return NaN;
  }
}

function measure(args) {
  const walls = [];
  const cpu0 = childCpuMs();
  for (let i = 0; i < N; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
    walls.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (r.status !== 0) throw new Error(`${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  }
  walls.sort((a, b) => a - b);
  return { wall: walls[Math.floor(N / 2)], cpu: (childCpuMs() - cpu0) / N };
}

const base = measure(["-e", "0"]);
const rows = [
  ["node -e 0", base],
  ["natlint --version", measure([BIN, "--version"])],
  ["natlint --help", measure([BIN, "--help"])],
  ["natlint rules", measure([BIN, "rules"])],
];
console.log(`start-up, ${N} runs each: median wall time, CPU per run`);
for (const [name, m] of rows) console.log(`  ${name.padEnd(20)} ${m.wall.toFixed(1).padStart(7)} ms  ${Number.isNaN(m.cpu) ? "   n/a" : m.cpu.toFixed(0).padStart(5) + " ms CPU"}  ×${(m.wall / base.wall).toFixed(2)}`);
const v = rows[1][1];
console.log(`--version: ×${(v.wall / base.wall).toFixed(2)} of node -e 0 (target ≤ ×1.5): ${v.wall / base.wall <= 1.5 ? "ok" : "over"}`);
