/**
 * Fleet benchmark (issue #14): N generated device configs of about 50 KB each (bench/gen.ts
 * `deviceConfig` with `fit`, seeded per file: 51 KB mean, 58 KB at most for `--kb 50`) linted as
 * one folder through the built binary, cold (empty `--cache`) and warm (the same files again:
 * every outcome read from the cache), against a bare read + line + token split of the same bytes
 * measured in the same run. The report (JSON, or SARIF with `--format sarif`: line hashes and fixes
 * for code scanning) goes to a file (`--output-file`); the warm run's must be the cold one's, byte
 * for byte.
 *
 *   npm run build && node --import tsx bench/fleet.ts [--files N] [--kb 50] [--concurrency auto|N] [--format json|sarif]
 *
 * Default 1,000 files (the fleet is 10,000: `--files 10000`, about 500 MB of configs).
 * Prints files, MB, cold and warm wall time, files/s, peak RSS of the run and the ratios.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { deviceConfig } from "./gen.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const BIN = join(ROOT, "bin", "natlint.js");
const arg = (name: string, dflt: string): string => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1]! : dflt;
};
const files = Number(arg("--files", "1000"));
const kb = Number(arg("--kb", "50"));
const concurrency = arg("--concurrency", "auto");
const format = arg("--format", "json");
if (format !== "json" && format !== "sarif") throw new Error(`--format must be json or sarif (got "${format}")`);

const dir = mkdtempSync(join(tmpdir(), "natlint-fleet-"));
const cfgs = join(dir, "configs");
mkdirSync(cfgs);
let bytes = 0;
for (let i = 0; i < files; i++) {
  // "about": a config grows by whole ACLs of the sizes real ones have (up to 2,000 lines, those
  // that fit), so files vary; the mean size is printed
  const t = deviceConfig(kb * 1000, 1000 + i, { fit: true });
  bytes += t.length;
  writeFileSync(join(cfgs, `dev-${String(i).padStart(5, "0")}.cfg`), t);
}

let runs = 0;
function lint(): { ms: number; rssMiB: number; out: Buffer; code: number | null } {
  // the report goes to a file: through a pipe into this process, collecting it would be timed too;
  // run in the folder above the configs, as CI runs in a checkout (SARIF's fixes and line hashes
  // are of files under the run's folder)
  const report = join(dir, `report-${++runs}.${format}`);
  const t0 = performance.now();
  const r = spawnSync("/usr/bin/time", ["-f", "%M", process.execPath, BIN, "lint", "--no-config", "--format", format, "--output-file", report, "--cache", "--cache-location", join(dir, "cache"), "--concurrency", concurrency, "configs"], { encoding: "utf8", cwd: dir });
  const ms = performance.now() - t0;
  const rssKb = Number(r.stderr.trim().split("\n").pop());
  if (r.status !== 0 && r.status !== 1) throw new Error(`lint failed (${r.status}): ${r.stderr.slice(0, 500)}`);
  return { ms, rssMiB: rssKb / 1024, out: readFileSync(report), code: r.status };
}

function split(): number {
  const t0 = performance.now();
  let tokens = 0;
  for (const f of readdirSync(cfgs)) for (const line of readFileSync(join(cfgs, f), "utf8").split("\n")) tokens += line.split(/\s+/).length;
  if (tokens < 0) throw new Error("unreachable");
  return performance.now() - t0;
}

const bare = split();
const cold = lint();
const warm = lint();
// the whole report, byte for byte (a fleet's report can be longer than a string can be)
const stable = cold.out.equals(warm.out);
const s = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
console.log(`fleet: ${files} files, ${(bytes / 1e6).toFixed(1)} MB (mean ${(bytes / files / 1000).toFixed(0)} KB; --concurrency ${concurrency}; --format ${format}, ${(warm.out.length / 1e6).toFixed(0)} MB report)`);
console.log("| run | time | files/s | × bare split | peak RSS |");
console.log("|---|---|---|---|---|");
console.log(`| bare read + split | ${s(bare)} | ${Math.round(files / (bare / 1000))} | ×1 | |`);
console.log(`| lint, cold cache | ${s(cold.ms)} | ${Math.round(files / (cold.ms / 1000))} | ×${(cold.ms / bare).toFixed(0)} | ${cold.rssMiB.toFixed(0)} MiB |`);
console.log(`| lint, warm cache | ${s(warm.ms)} | ${Math.round(files / (warm.ms / 1000))} | ×${(warm.ms / bare).toFixed(1)} | ${warm.rssMiB.toFixed(0)} MiB |`);
console.log(`warm report ${stable ? "identical to" : "DIFFERS from"} cold (exit ${cold.code} / ${warm.code})`);
rmSync(dir, { recursive: true, force: true });
if (!stable || cold.code !== warm.code) process.exitCode = 1;
