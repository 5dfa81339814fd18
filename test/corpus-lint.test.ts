/**
 * Lints every file of ../shared/corpus/batfish/ (IOS, ASA, example network) in process: no
 * exception, no I/O or config error; a directory search finds every one of them by content (and
 * nothing else); worker threads give the same findings. Prints the figures (files, findings,
 * unrecognized lines).
 */
import * as assert from "uvu/assert";
import { test } from "uvu";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { lint } from "../src/api/index.js";
import { CORPUS, needsShared } from "./helpers/shared.js";

const SKIP = new Set(["BUILD.bazel", "SOURCE.txt", "LICENSE"]);

function walk(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((n) => {
      const p = join(dir, n);
      if (statSync(p).isDirectory()) return walk(p);
      return SKIP.has(n) ? [] : [p];
    });
}

needsShared("corpus-lint", join(CORPUS, "batfish"))("every Batfish corpus file lints without an exception", async () => {
  const files = walk(join(CORPUS, "batfish"));
  assert.ok(files.length > 200, `expected the full corpus, found ${files.length} files`);
  const t0 = process.hrtime.bigint();
  const r = await lint({ patterns: files, config: false });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  assert.is(r.files.length, files.length);
  const by = new Map<string, number>();
  for (const f of r.findings) by.set(f.ruleId, (by.get(f.ruleId) ?? 0) + 1);
  const vendors = new Map<string, number>();
  for (const f of r.files) vendors.set(f.vendor, (vendors.get(f.vendor) ?? 0) + 1);
  console.log(
    `  batfish corpus: ${files.length} files (${[...vendors].map(([v, n]) => `${v} ${n}`).join(", ")}), ` +
      `${by.get("unrecognized-syntax") ?? 0} unrecognized-syntax findings, ${r.findings.length} findings in all, lint took ${ms.toFixed(0)} ms`,
  );
  console.log(`  findings by rule: ${[...by].sort().map(([k, v]) => `${k} ${v}`).join(", ")}`);
  assert.not.ok(r.findings.some((f) => f.message.includes("internal")), "no internal errors reported as findings");
  // the directory search picks exactly these files by their content (no names, no extensions)
  const searched = await lint({ patterns: [join(CORPUS, "batfish")], config: false });
  assert.equal(searched.files.map((f) => f.path).sort(), r.files.map((f) => f.path).sort());
  // and worker threads give the same findings as one thread
  const threaded = await lint({ patterns: files, config: false, concurrency: 2 });
  assert.is(threaded.notes.workers, 2);
  assert.equal(threaded.findings, r.findings);
});

test.run();
