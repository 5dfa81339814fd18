/**
 * Headerspace benchmark: `node --import tsx bench/headerspace.ts [--order f1,f2,…] [--quick]`
 *
 * 1. Shadow analysis (compile + shadowed-line) on generated realistic ACLs of 1k / 10k / 100k
 *    lines, with the growth ratio between sizes. Targets: 10k < 1 s, 100k < 15 s.
 * 2. Redundant-line analysis on the same ACLs (informational).
 * 3. Flows per second of the compiled evaluator on a 1,000-line ACL vs the naive evaluateAcl.
 *    Target ≥ 1,000,000 flows/s.
 *
 * The run bounds itself: a size is skipped when the previous one predicts more than the budget.
 */
import { AclSets } from "../src/acl/sets.js";
import { performance } from "node:perf_hooks";
import { evaluateAcl } from "../src/acl/evaluate.js";
import { redundantLines } from "../src/checks/redundant-line.js";
import { shadowedLines } from "../src/checks/shadowed-line.js";
import { FIELDS, HeaderSpace, type Field } from "../src/headerspace/index.js";
import type { Packet } from "../src/model/types.js";
import { flowsFor, realisticAcl } from "./random.js";

const args = process.argv.slice(2);
const orderArg = args.includes("--order") ? args[args.indexOf("--order") + 1] : undefined;
const order = orderArg ? (orderArg.split(",") as Field[]) : undefined;
if (order && !order.every((f) => (FIELDS as readonly string[]).includes(f))) throw new Error(`bad --order ${orderArg}`);
const quick = args.includes("--quick");
const SIZES = quick ? [1000, 10000] : [1000, 10000, 100000];
/** Skip a size whose predicted time (last time × size ratio²) exceeds this. */
const BUDGET_MS = 60_000;
const started = performance.now();

const fmt = (ms: number): string => (ms < 1000 ? `${ms.toFixed(0)} ms` : `${(ms / 1000).toFixed(2)} s`);
const hsOf = (): HeaderSpace => new HeaderSpace(order ? { order } : {});

console.log(`variable order: ${(order ?? hsOf().order).join(", ")}`);
console.log("\nshadow analysis (compile + shadowed-line), fresh manager per size, sizes run in this order in one process");
console.log("lines      time      shadowed  BDD nodes   growth vs previous size");
let prev: { n: number; ms: number } | undefined;
const timings: Array<{ n: number; shadowMs: number; redundantMs: number; shadowed: number; redundant: number }> = [];
for (const n of SIZES) {
  if (prev) {
    const predicted = prev.ms * (n / prev.n) ** 2;
    if (predicted > BUDGET_MS && prev.ms * (n / prev.n) > BUDGET_MS / 4) {
      console.log(`${String(n).padEnd(10)} skipped (predicted > ${fmt(BUDGET_MS)})`);
      continue;
    }
  }
  const acl = realisticAcl(n, n);
  const sets = new AclSets(hsOf());
  const hs = sets.hs;
  const t0 = performance.now();
  const shadowed = shadowedLines(sets, acl);
  const ms = performance.now() - t0;
  const nodes = hs.nodes;
  const t1 = performance.now();
  const redundant = redundantLines(sets, acl);
  const rms = performance.now() - t1;
  const growth = prev ? `×${(ms / prev.ms).toFixed(1)} time for ×${n / prev.n} lines` : "";
  console.log(`${String(n).padEnd(10)} ${fmt(ms).padEnd(9)} ${String(shadowed.length).padEnd(9)} ${String(nodes).padEnd(11)} ${growth}`);
  timings.push({ n, shadowMs: ms, redundantMs: rms, shadowed: shadowed.length, redundant: redundant.length });
  prev = { n, ms };
}
console.log("\nredundant-line analysis (after compile, same manager)");
for (const t of timings) console.log(`${String(t.n).padEnd(10)} ${fmt(t.redundantMs).padEnd(9)} ${t.redundant} redundant`);

// ---------------------------------------------------------------- evaluator throughput
{
  const acl = realisticAcl(7, 1000);
  const sets = new AclSets(hsOf());
  const c = sets.compile(acl);
  const flows: Packet[] = flowsFor(acl, 8, 200_000);
  const tb = performance.now();
  c.evaluate(flows[0]!); // builds the decision diagram
  const buildMs = performance.now() - tb;
  // warm up, then measure 1,000,000 evaluations
  let sink = 0;
  for (let i = 0; i < 200_000; i++) sink += c.evaluate(flows[i]!).index;
  const N = 1_000_000;
  const t0 = performance.now();
  for (let i = 0; i < N; i++) sink += c.evaluate(flows[i % flows.length]!).index;
  const ms = performance.now() - t0;
  const M = 50_000;
  const t1 = performance.now();
  for (let i = 0; i < M; i++) sink -= evaluateAcl(acl, flows[i]!).index;
  const naiveMs = performance.now() - t1;
  const fast = N / (ms / 1000);
  const naive = M / (naiveMs / 1000);
  console.log(`\nevaluator on a 1,000-line ACL (decision diagram built in ${fmt(buildMs)})`);
  console.log(`compiled   ${Math.round(fast).toLocaleString("en-US")} flows/s`);
  console.log(`naive      ${Math.round(naive).toLocaleString("en-US")} flows/s (evaluateAcl)`);
  console.log(`speed-up   ×${(fast / naive).toFixed(1)}${sink === 0.5 ? "" : ""}`);
}
console.log(`\ntotal bench time ${fmt(performance.now() - started)}`);
