/**
 * natlint's own corpus of public configs (test/corpus, origin and licence of each file in
 * test/corpus/SOURCE): Cisco DevNet CML labs (IOS, IOS-XE, IOSv-L2, ASAv), netutils and NAPALM
 * test configs, aerleon's cisco and ciscoasa generator outputs. Every file lints (no exception,
 * exit 0 or 1), every file's origin is recorded, and the findings are exactly the reviewed list in
 * test/corpus/EXPECTED (each judged true there).
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { lint } from "../src/api/index.js";
import { cli } from "./helpers/cli.js";

const DIR = fileURLToPath(new URL("./corpus/", import.meta.url));

function cfgs(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((n) => {
      const p = join(dir, n);
      return statSync(p).isDirectory() ? cfgs(p) : p.endsWith(".cfg") ? [p] : [];
    });
}

const FILES = cfgs(DIR);
const rel = (f: string) => relative(DIR, resolve(DIR, f)).split("\\").join("/");
const lines = (name: string) =>
  readFileSync(join(DIR, name), "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "" && !l.startsWith("#"));

test("every corpus file has its origin and licence recorded in SOURCE, and every SOURCE entry exists", () => {
  const recorded = new Map(lines("SOURCE").map((l) => [l.split("\t")[0]!, l.split("\t")]));
  assert.equal([...recorded.keys()].sort(), FILES.map(rel).sort());
  for (const [file, cols] of recorded) {
    assert.is(cols.length, 4, `${file}: file, repository@commit, path, licence`);
    assert.match(cols[1]!, /^[\w.-]+\/[\w.-]+@[0-9a-f]{12}$/, `${file}: repository@commit`);
    assert.ok(["BSD-3-Clause", "Apache-2.0", "MIT"].includes(cols[3]!), `${file}: a permissive licence`);
  }
});

test(`the corpus (${FILES.length} files) lints, and its findings are the reviewed ones`, async () => {
  assert.ok(FILES.length >= 50, `expected the corpus, found ${FILES.length} files`);
  const r = await lint({ patterns: FILES, cwd: DIR, config: false });
  assert.is(r.files.length, FILES.length);
  for (const f of r.files) if (rel(f.path).includes("CiscoASATest") || /-fw\.cfg$|firewall|asa_/.test(f.path)) assert.is(f.vendor, "asa", `${rel(f.path)}: ${f.vendorReason}`);
  const got = r.findings.map((f) => `${rel(f.file)}:${f.line} ${f.ruleId}`).sort();
  const by = new Map<string, number>();
  for (const f of r.findings) by.set(f.ruleId, (by.get(f.ruleId) ?? 0) + 1);
  console.log(`  own corpus: ${FILES.length} files, ${r.findings.length} findings (${[...by].sort().map(([k, v]) => `${k} ${v}`).join(", ")})`);
  assert.equal(got, lines("EXPECTED").sort());
  assert.not.ok(r.findings.some((f) => f.message.includes("internal")), "no internal errors");
  const run = await cli(["lint", "--no-config", "--quiet", ...FILES], { cwd: DIR });
  assert.ok(run.code === 0 || run.code === 1, `exit ${run.code}: ${run.stderr}`);
});

test.run();
