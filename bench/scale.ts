/**
 * Scale benchmark (issue #14): lint of generated configs against a bare line + token split of the
 * same bytes, measured in the same run, each in its own process (so peak memory is that run's).
 *
 *   node --import tsx bench/scale.ts [--mb 1,10,100] [--acl 1000,10000,100000] [--rules] [--only id,id]
 *
 * Inputs (bench/gen.ts, seeded): `--mb` device configs of about that many MB (many ordinary ACLs),
 * `--acl` a router whose outside ACL has that many lines. Defaults: `--mb 1 --acl 1000,10000`.
 * Columns: natlint time, bare split time, ratio, growth (time ÷ the previous size's, per ×10),
 * peak RSS and peak ÷ input bytes. `--rules` adds one run per rule at every size (time, ratio to
 * the bare split; each includes the fixed cost shown by the "no rule" row). `--only` lints with
 * those rules only (`none`: no rule). Generated inputs go to a temporary
 * directory; nothing here runs in `npm test`.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { aclConfig, deviceConfig } from "./gen.js";
import { TS_LOADER } from "./loader.js";

interface Run {
  ms: number;
  rssMiB: number;
  findings?: number;
}

const SELF = fileURLToPath(import.meta.url);

/** One measurement in this process: `--child lint FILE [ids]` or `--child split FILE`. */
async function child(kind: string, file: string, ids: string | undefined): Promise<void> {
  // modules are loaded before the clock starts (start-up is bench/startup.mjs's figure)
  const api = kind === "split" ? undefined : await import("../src/api/index.js");
  const { loadBuiltinRules } = await import("../src/engine/rules.js");
  const t0 = performance.now();
  let findings: number | undefined;
  if (kind === "split") {
    // the bare cost of reading the bytes: lines, then whitespace-separated tokens
    let tokens = 0;
    for (const line of readFileSync(file, "utf8").split("\n")) tokens += line.split(/\s+/).length;
    if (tokens < 0) throw new Error("unreachable");
  } else {
    const only = ids === "none" ? [] : ids ? ids.split(",") : undefined;
    const rules = loadBuiltinRules().filter((r) => only === undefined || only.includes(r.id));
    findings = (await api!.lint({ patterns: [file], config: false, rules })).findings.length;
  }
  const run: Run = { ms: performance.now() - t0, rssMiB: process.resourceUsage().maxRSS / 1024, ...(findings !== undefined ? { findings } : {}) };
  process.stdout.write(JSON.stringify(run) + "\n");
}

function measure(kind: "lint" | "split", file: string, ids?: string): Run {
  const r = spawnSync(process.execPath, ["--import", TS_LOADER, SELF, "--child", kind, file, ...(ids ? [ids] : [])], { encoding: "utf8", maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`bench child failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split("\n").pop()!) as Run;
}

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const list = (s: string | undefined, d: number[]): number[] => (s === undefined ? d : s.split(",").map(Number));

async function main(): Promise<void> {
  if (process.argv[2] === "--child") return child(process.argv[3]!, process.argv[4]!, process.argv[5]);
  const dir = mkdtempSync(join(tmpdir(), "natlint-scale-"));
  const inputs: Array<{ label: string; file: string }> = [];
  for (const mb of list(arg("--mb"), [1])) {
    const file = join(dir, `device-${mb}mb.cfg`);
    writeFileSync(file, deviceConfig(mb * 1e6));
    inputs.push({ label: `${mb} MB config`, file });
  }
  for (const n of list(arg("--acl"), [1000, 10000])) {
    const file = join(dir, `acl-${n}.cfg`);
    writeFileSync(file, aclConfig(n));
    inputs.push({ label: `${n}-line ACL`, file });
  }
  const only = arg("--only");
  console.log(`| input | bytes | natlint | bare split | ratio | growth per ×10 | peak | peak ÷ input |`);
  console.log(`|---|---|---|---|---|---|---|---|`);
  let prev: { kind: string; ms: number } | undefined;
  for (const { label, file } of inputs) {
    const bytes = statSync(file).size;
    const bare = measure("split", file);
    const run = measure("lint", file, only);
    const kind = label.endsWith("ACL") ? "acl" : "mb";
    const growth = prev?.kind === kind ? `×${(run.ms / prev.ms).toFixed(1)}` : "";
    prev = { kind, ms: run.ms };
    console.log(
      `| ${label} (${run.findings} findings) | ${(bytes / 1e6).toFixed(2)} MB | ${(run.ms / 1000).toFixed(2)} s | ${(bare.ms / 1000).toFixed(3)} s | ×${(run.ms / bare.ms).toFixed(0)} | ${growth} | ${run.rssMiB.toFixed(0)} MiB | ×${((run.rssMiB * 1048576) / bytes).toFixed(0)} |`,
    );
    if (process.argv.includes("--rules")) {
      const { loadBuiltinRules } = await import("../src/engine/rules.js");
      const base = measure("lint", file, "none");
      console.log(`|   (no rule: start-up, parse, engine) | | ${(base.ms / 1000).toFixed(2)} s | | ×${(base.ms / bare.ms).toFixed(0)} | | ${base.rssMiB.toFixed(0)} MiB | |`);
      for (const rule of loadBuiltinRules()) {
        const r = measure("lint", file, rule.id);
        console.log(`|   ${rule.id} | | ${(r.ms / 1000).toFixed(2)} s | | ×${(r.ms / bare.ms).toFixed(0)} | | ${r.rssMiB.toFixed(0)} MiB | |`);
      }
    }
  }
}

await main();
