/**
 * JUnit for CI test reports, on a real lint run: valid against the Jenkins xUnit plugin's JUnit
 * schema (libxml2 through xmllint-wasm); test names unique in each suite and the same when lines
 * move; warnings skipped (natlint exits 0 on them), or failures on request.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { validateXML } from "xmllint-wasm";
import { lint } from "../src/api/index.js";
import { formatJunit } from "../src/report/junit.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const XSD = readFileSync(join(ROOT, "test/fixtures/junit/junit-10.xsd"), "utf8");

async function xunitProblems(xml: string): Promise<string[]> {
  const r = await validateXML({ xml: [{ fileName: "natlint.xml", contents: xml }], schema: [XSD] });
  return r.valid ? [] : r.errors.map((e) => e.rawMessage);
}

const names = (xml: string) => [...xml.matchAll(/<testcase name="([^"]*)"/g)].map((m) => m[1]!);

test("the validator rejects what the old output had (a file attribute on testcase)", async () => {
  const bad = '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites><testsuite name="a" tests="1" failures="0" errors="0"><testcase name="x" file="a.cfg"/></testsuite></testsuites>\n';
  assert.match((await xunitProblems(bad)).join("\n"), /attribute 'file': The attribute 'file' is not allowed/);
});

test("examples/: valid against junit-10.xsd, names unique per suite, warnings skipped", async () => {
  const r = await lint({ cwd: ROOT, patterns: ["examples/"], config: false });
  const xml = formatJunit(r, { cwd: ROOT });
  assert.equal(await xunitProblems(xml), []);
  assert.equal(await xunitProblems(formatJunit(r, { cwd: ROOT, warnings: "failure" })), []);
  for (const suite of xml.split("<testsuite ").slice(1)) {
    const n = names(suite);
    assert.is(new Set(n).size, n.length, `duplicate names in ${suite.slice(0, 60)}`);
  }
  assert.match(xml, /<skipped message="[^"]+" type="warning">/);
  assert.not.match(xml, /\(line \d+\)/, "no line numbers in names");
});

test("identical findings get (2), and names survive lines moving", async () => {
  const d = mkdtempSync(join(tmpdir(), "natlint-junit-"));
  const cfg = readFileSync(join(ROOT, "examples/ios-pat-fixed.cfg"), "utf8");
  // the same unused ACL twice under one name is one finding; two shadowed copies of one line are two
  const dup = cfg.replace("ip access-list extended OUTSIDE-OUT", "ip access-list extended OUTSIDE-OUT\n permit ip any any\n permit tcp any any eq 22\n permit tcp any any eq 22");
  writeFileSync(join(d, "r.cfg"), dup);
  const a = formatJunit(await lint({ cwd: d, patterns: ["r.cfg"], config: false }), { cwd: d });
  const na = names(a);
  assert.is(new Set(na).size, na.length);
  assert.ok(na.some((n) => n.endsWith(" (2)")), na.join("\n"));
  writeFileSync(join(d, "r.cfg"), "!\n!\n" + dup);
  const b = formatJunit(await lint({ cwd: d, patterns: ["r.cfg"], config: false }), { cwd: d });
  assert.equal(names(b), na);
  assert.equal(await xunitProblems(a), []);
});

test.run();
