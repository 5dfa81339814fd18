/**
 * Worker threads against one thread: N routers with two ACLs of L lines each (bench/lint.ts's
 * generator), linted with --concurrency off, 2 and auto; prints the wall time of each and
 * checks the three give the same findings.
 *   node --import tsx bench/concurrency.ts [N] [L]      (default 24 routers, 300 lines)
 * Needs dist/ (npm run build): workers run the built engine.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { configText } from "./lint.js";
import type * as Api from "../src/api/index.js";

// the built engine (its workers load dist/), typed by the sources
const { lint } = (await import(new URL("../dist/api/index.js", import.meta.url).href)) as typeof Api;

const n = Number(process.argv[2] ?? 24);
const l = Number(process.argv[3] ?? 300);
const dir = mkdtempSync(join(tmpdir(), "natlint-conc-"));
let bytes = 0;
for (let i = 0; i < n; i++) {
  const text = configText(l, 100 + i);
  bytes += text.length;
  writeFileSync(join(dir, `r${String(i).padStart(3, "0")}.cfg`), text);
}
console.log(`${n} routers, 2 ACLs x ${l} lines (${(bytes / 1024).toFixed(0)} KiB)`);
let first: string | undefined;
for (const concurrency of ["off", 2, "auto"] as const) {
  const t0 = performance.now();
  const r = await lint({ cwd: dir, config: false, concurrency });
  const ms = performance.now() - t0;
  const key = JSON.stringify(r.findings);
  first ??= key;
  console.log(`  --concurrency ${String(concurrency).padEnd(4)} ${ms.toFixed(0).padStart(6)} ms  (${r.notes.workers} workers)${key === first ? "" : "  DIFFERENT FINDINGS"}`);
}
