/**
 * Diff benchmark (issue #14): `diff` of two versions of a generated ACL, NEW = OLD with 1 % of its
 * lines changed (a quarter each deleted, inserted, modified — action or port — and moved), each
 * run in its own process (so peak memory is that run's).
 *
 *   node --import tsx bench/diff.ts [--acl 1000,10000,100000] [--pct 1] [--local] [--root DIR] [--no-full]
 *
 * Inputs: bench/gen.ts `aclConfig(n)` and its edited copy (seeded). Each run times loading both
 * files, the diff and its JSON (modules are loaded before the clock starts). Columns: time,
 * growth (time ÷ the previous size's, per ×10), peak RSS, the number of changed packet sets, and
 * — unless `--no-full` — the same diff forced to compare the whole ACLs (`diffAcls` option
 * `full`, the algorithm before the alignment) and the ratio aligned ÷ full. `--local`: no edit
 * in the block list at the top of the ACL (see `editConfig`). `--root DIR` runs
 * another checkout's src/ (e.g. `--root /work/main --no-full` for a baseline). Nothing here runs in
 * `npm test`.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { aclConfig } from "./gen.js";
import { TS_LOADER } from "./loader.js";
import { Gen } from "./random.js";

interface Run {
  ms: number;
  rssMiB: number;
  changes: number;
  sha: string;
}

const SELF = fileURLToPath(import.meta.url);

/** One measurement in this process: `--child ROOT OLD NEW full|aligned`. */
async function child(root: string, oldFile: string, newFile: string, mode: string): Promise<void> {
  const url = (p: string): string => pathToFileURL(join(root, p)).href;
  const api = await import(url("src/api/index.ts"));
  const review = await import(url("src/report/review.ts"));
  const analysis = await import(url("src/analysis/diff.ts"));
  const { AclSets } = await import(url("src/acl/sets.ts"));
  const { HeaderSpace } = await import(url("src/headerspace/index.ts"));
  const t0 = performance.now();
  let d;
  if (mode === "full") {
    const sets = new AclSets(new HeaderSpace());
    d = analysis.diffDevices(sets, api.loadDevice(oldFile).device, api.loadDevice(newFile).device, { full: true });
  } else d = api.diff(oldFile, newFile);
  const out: string = review.formatDiffJson(d);
  const run: Run = { ms: performance.now() - t0, rssMiB: process.resourceUsage().maxRSS / 1024, changes: d.acls.reduce((s: number, a: { changes: unknown[] }) => s + a.changes.length, 0), sha: createHash("sha256").update(out).digest("hex") };
  process.stdout.write(JSON.stringify(run) + "\n");
}

function measure(root: string, oldFile: string, newFile: string, mode: "full" | "aligned"): Run {
  const r = spawnSync(process.execPath, ["--import", TS_LOADER, SELF, "--child", root, oldFile, newFile, mode], { encoding: "utf8", maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`bench child failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split("\n").pop()!) as Run;
}

/** NEW: `pct` % of the ACL's lines changed, a quarter each deleted, inserted, modified, moved. */
export function editConfig(text: string, pct: number, seed = 7, local = false): string {
  const g = new Gen(seed);
  const lines = text.split("\n");
  const start = lines.indexOf("ip access-list extended EDGE-IN") + 1;
  let end = start;
  while (lines[end]!.startsWith(" ")) end++;
  const head = lines.slice(0, start);
  const body = lines.slice(start, end - 1); // the final deny ip any any log stays
  const tail = lines.slice(end - 1);
  const k = Math.max(4, Math.round((body.length * pct) / 100));
  // `local`: leave the block list at the top alone (deleting or moving a `deny ip host X any`
  // line changes what every later line with source `any` decides for X)
  let top = 0;
  while (local && /^ deny +ip \S+( \S+)? any$/.test(body[top] ?? "")) top++;
  const ace = (i: number): boolean => i >= top && /^ (permit|deny)/.test(body[i] ?? "");
  const idx = (): number => {
    for (;;) {
      const i = g.int(0, body.length - 1);
      if (ace(i)) return i;
    }
  };
  const host = (base: number): string => `${base}.${g.int(0, 255)}.${g.int(0, 255)}.${g.int(1, 254)}`;
  for (let j = 0; j < k; j++) {
    const op = j % 4;
    if (op === 0) body.splice(idx(), 1);
    else if (op === 1) {
      const proto = g.pick(["tcp", "udp"]);
      body.splice(g.int(top, body.length), 0, ` ${g.chance(0.8) ? "permit" : "deny  "} ${proto} host ${host(172)} host ${host(10)} eq ${g.int(1, 65535)}`);
    } else if (op === 2) {
      const i = idx();
      const l = body[i]!;
      body[i] = g.chance(0.5) || !/ eq \S+$/.test(l) ? l.replace(/^ (permit|deny) ?/, (_m, a: string) => (a === "permit" ? " deny   " : " permit ")) : l.replace(/ eq \S+$/, ` eq ${g.int(1, 65535)}`);
    } else {
      const [l] = body.splice(idx(), 1);
      body.splice(g.int(top, body.length), 0, l!);
    }
  }
  return [...head, ...body, ...tail].join("\n");
}

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const list = (s: string | undefined, d: number[]): number[] => (s === undefined ? d : s.split(",").map(Number));

async function main(): Promise<void> {
  if (process.argv[2] === "--child") return child(process.argv[3]!, process.argv[4]!, process.argv[5]!, process.argv[6]!);
  const root = resolve(arg("--root") ?? join(SELF, "../.."));
  const pct = Number(arg("--pct") ?? 1);
  const full = !process.argv.includes("--no-full");
  const dir = mkdtempSync(join(tmpdir(), "natlint-diff-"));
  console.log(`src: ${root}; NEW = OLD with ${pct} % of the lines changed${process.argv.includes("--local") ? ", none in the block list" : ""}`);
  console.log(`| ACL lines | diff | growth per ×10 | peak | changes |${full ? " full comparison | peak | aligned ÷ full |" : ""}`);
  console.log(`|---|---|---|---|---|${full ? "---|---|---|" : ""}`);
  let prev: number | undefined;
  for (const n of list(arg("--acl"), [1000, 10000, 100000])) {
    const text = aclConfig(n);
    const oldFile = join(dir, `old-${n}.cfg`);
    const newFile = join(dir, `new-${n}.cfg`);
    writeFileSync(oldFile, text);
    writeFileSync(newFile, editConfig(text, pct, 7, process.argv.includes("--local")));
    const run = measure(root, oldFile, newFile, "aligned");
    const growth = prev !== undefined ? `×${(run.ms / prev).toFixed(1)}` : "";
    prev = run.ms;
    let cols = "";
    if (full) {
      const f = measure(root, oldFile, newFile, "full");
      if (f.changes !== run.changes || f.sha !== run.sha) throw new Error(`n=${n}: aligned and full outputs differ (${run.changes}/${f.changes} changes)`);
      cols = ` ${(f.ms / 1000).toFixed(2)} s | ${f.rssMiB.toFixed(0)} MiB | ×${(run.ms / f.ms).toFixed(3)} |`;
    }
    console.log(`| ${n} | ${(run.ms / 1000).toFixed(2)} s | ${growth} | ${run.rssMiB.toFixed(0)} MiB | ${run.changes} |${cols}`);
  }
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === SELF) await main();
