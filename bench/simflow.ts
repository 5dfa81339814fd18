/**
 * Streaming and linear-time benchmark (issue #14 item 4), each run in its own process through the
 * built binary (`npm run build` first), start-up included:
 *
 *   node --import tsx bench/simflow.ts [--clients 64512] [--flows 1000000] [--acl 1000] [--only simulate|flow]
 *
 * 1. `natlint simulate --clients N` for every profile, table and JSON output: wall time (target
 *    < 0.5 s for 64,512 clients), against `simulate --clients 1` (the fixed cost) in the same run.
 * 2. `natlint flow --flows FILE` of N flows (bench/gen.ts `flowLines`) against the outside ACL of a
 *    router with an ACL of that many lines (bench/gen.ts `aclConfig`), text and JSON: wall time,
 *    flows/s (target ≥ 1M), peak RSS, and the ratio to a bare read + line and token split of the
 *    same flow file measured in the same run (a process too). Output goes to /dev/null.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, openSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { aclConfig, flowLines } from "./gen.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const MAIN = pathToFileURL(join(ROOT, "dist/cli/main.js")).href;
const arg = (name: string, d: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : d;
};
const CLIENTS = Number(arg("clients", "64512"));
const FLOWS = Number(arg("flows", "1000000"));
const ACL = Number(arg("acl", "1000"));
const only = arg("only", "");

/** Run natlint (or `split FILE`) in a fresh process: wall ms and the child's peak RSS (MiB). */
function run(args: string[]): { ms: number; rssMiB: number; code: number | null } {
  const code =
    args[0] === "split"
      ? `import { readFileSync } from "node:fs"; let t = 0; for (const l of readFileSync(${JSON.stringify(args[1])}, "utf8").split("\\n")) t += l.split(/\\s+/).length; process.stderr.write("\\nRSS " + process.resourceUsage().maxRSS + "\\n");`
      : `process.on("exit", () => process.stderr.write("\\nRSS " + process.resourceUsage().maxRSS + "\\n")); const { runCli } = await import(${JSON.stringify(MAIN)}); await runCli(${JSON.stringify(args)});`;
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", code], { stdio: ["ignore", openSync("/dev/null", "w"), "pipe"], maxBuffer: 1 << 26 });
  const ms = performance.now() - t0;
  const m = /RSS (\d+)\s*$/.exec(r.stderr.toString());
  if (r.status !== 0) console.log(`  (exit ${r.status}: ${r.stderr.toString().trim().split("\n")[0]})`);
  return { ms, rssMiB: m ? Number(m[1]) / 1024 : NaN, code: r.status };
}

const fmt = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`);

if (only !== "flow") {
  const profiles = ["ios", "asa", "asa-flat", "asa-flat-include-reserve", "asa-9.15", "asa-block-allocation", "linux", "windows-rras", "cgnat", "unknown"];
  const fixed = run(["simulate", "--clients", "1"]);
  console.log(`simulate, ${CLIENTS.toLocaleString("en-US")} clients (one process each, start-up included; simulate --clients 1: ${fmt(fixed.ms)})`);
  console.log(`${"profile".padEnd(26)} ${"table".padStart(8)} ${"json".padStart(8)} ${"peak RSS".padStart(9)}`);
  for (const p of profiles) {
    const t = run(["simulate", "--profile", p, "--clients", String(CLIENTS)]);
    const j = run(["simulate", "--profile", p, "--clients", String(CLIENTS), "--format", "json"]);
    console.log(`${p.padEnd(26)} ${fmt(t.ms).padStart(8)} ${fmt(j.ms).padStart(8)} ${`${Math.round(Math.max(t.rssMiB, j.rssMiB))} MiB`.padStart(9)}`);
  }
}

if (only !== "simulate") {
  const dir = mkdtempSync(join(tmpdir(), "natlint-simflow-"));
  const cfg = join(dir, "edge.cfg");
  const ff = join(dir, "flows.txt");
  writeFileSync(cfg, aclConfig(ACL));
  writeFileSync(ff, flowLines(FLOWS).join("\n") + "\n");
  const split = run(["split", ff]);
  console.log(`\nflow --flows, ${FLOWS.toLocaleString("en-US")} flows (${(statSync(ff).size / 2 ** 20).toFixed(1)} MiB), ${ACL.toLocaleString("en-US")}-line ACL; bare read + split of the file: ${fmt(split.ms)}, ${Math.round(split.rssMiB)} MiB`);
  console.log(`${"format".padEnd(7)} ${"time".padStart(8)} ${"flows/s".padStart(11)} ${"× split".padStart(8)} ${"peak RSS".padStart(9)}`);
  for (const format of ["text", "json"]) {
    const r = run(["flow", cfg, "--acl", "EDGE-IN", "--flows", ff, "--format", format]);
    console.log(`${format.padEnd(7)} ${fmt(r.ms).padStart(8)} ${Math.round(FLOWS / (r.ms / 1000)).toLocaleString("en-US").padStart(11)} ${(r.ms / split.ms).toFixed(1).padStart(8)} ${`${Math.round(r.rssMiB)} MiB`.padStart(9)}`);
  }
}
