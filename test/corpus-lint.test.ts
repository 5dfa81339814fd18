/**
 * Lints every file of ../shared/corpus/batfish/ (IOS, ASA, example network) with the real
 * binary: no crash, no exit code 2. Prints the figures (files, findings, unrecognized lines).
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const CORPUS = fileURLToPath(new URL("../../shared/corpus/batfish/", import.meta.url));
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

test("every Batfish corpus file lints without a crash or exit 2", () => {
  assert.ok(existsSync(CORPUS), `corpus not found at ${CORPUS}: the repository must be cloned with ../shared beside it`);
  const files = walk(CORPUS);
  assert.ok(files.length > 200, `expected the full corpus, found ${files.length} files`);
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1" };
  delete env.FORCE_COLOR;
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [join(ROOT, "bin/natlint.js"), "lint", "--format", "json", ...files], { encoding: "utf8", env, maxBuffer: 256 * 1024 * 1024 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  assert.ok(r.status === 0 || r.status === 1, `exit ${r.status}: ${r.stderr}`);
  assert.is(r.stderr, "", "nothing on stderr");
  const j = JSON.parse(r.stdout) as { findings: Array<{ ruleId: string }>; files: Array<{ vendor: string }> };
  assert.is(j.files.length, files.length);
  const by = new Map<string, number>();
  for (const f of j.findings) by.set(f.ruleId, (by.get(f.ruleId) ?? 0) + 1);
  const vendors = new Map<string, number>();
  for (const f of j.files) vendors.set(f.vendor, (vendors.get(f.vendor) ?? 0) + 1);
  console.log(
    `  batfish corpus: ${files.length} files (${[...vendors].map(([v, n]) => `${v} ${n}`).join(", ")}), 0 crashes, ` +
      `${by.get("unrecognized-syntax") ?? 0} unrecognized-syntax findings, ${j.findings.length} findings in all, lint took ${ms.toFixed(0)} ms`,
  );
  console.log(`  findings by rule: ${[...by].sort().map(([k, v]) => `${k} ${v}`).join(", ")}`);
});

test.run();
