/**
 * The `--cache` file (src/engine/cache.ts): entries read back as written, entries of files a run
 * did not see kept byte for byte, a damaged or old-format file ignored, and (CI) a cache larger
 * than the longest string V8 can make (~512 MiB; a fleet of some 5,000 configs with their fixes)
 * written and read, which one JSON document could not be.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LintCache } from "../src/engine/cache.js";
import type { FileOutcome } from "../src/engine/lint-file.js";

const dir = mkdtempSync(join(tmpdir(), "natlint-cache-"));
const outcome = (file: string, message: string): FileOutcome =>
  ({ file: { file }, findings: [{ ruleId: "config-note", severity: "info", file, line: 1, message }], suppressed: 0 }) as unknown as FileOutcome;

test("entries come back as written; a run's misses, hits and untouched entries", () => {
  const f = join(dir, "a.cache");
  const c = new LintCache(f);
  assert.is(c.get("x.cfg", "k1"), undefined);
  // names and messages with tabs, newlines and non-ASCII survive (JSON escapes them)
  c.set("x.cfg", "k1", outcome("x.cfg", "one\ttab\nand a line — é"));
  c.set("dir\twith tab/y.cfg", "k2", outcome("dir\twith tab/y.cfg", "two"));
  c.save();
  const d = new LintCache(f);
  assert.equal(d.get("x.cfg", "k1"), outcome("x.cfg", "one\ttab\nand a line — é"));
  assert.is(d.get("x.cfg", "other key"), undefined);
  assert.equal([d.hits, d.misses], [1, 1]);
  // outcomes are written in ASCII (escapes), read back as one-byte strings
  const line = readFileSync(f).subarray(readFileSync(f).indexOf('"x.cfg"'));
  assert.ok(line.subarray(0, line.indexOf(0x0a)).every((b) => b < 0x80), line.toString("utf8", 0, 200));
  assert.ok(line.toString("latin1").includes("\\u2014 \\u00e9"), "— and é as escapes");
  // a run that changes one entry writes the other back as it was read
  const before = readFileSync(f, "utf8").split("\n").find((l) => l.startsWith('"dir\\twith tab/y.cfg"'));
  d.set("x.cfg", "k3", outcome("x.cfg", "three"));
  d.save();
  const after = readFileSync(f, "utf8").split("\n");
  assert.ok(before !== undefined && after.includes(before), after.join("\n"));
  assert.equal(new LintCache(f).get("dir\twith tab/y.cfg", "k2"), outcome("dir\twith tab/y.cfg", "two"));
  assert.equal(new LintCache(f).get("x.cfg", "k3"), outcome("x.cfg", "three"));
});

test("an entry written in UTF-8 (before outcomes were written in ASCII) reads back the same", () => {
  const f = join(dir, "utf8.cache");
  writeFileSync(f, `{"format":2}\n"x.cfg"\tk\t${JSON.stringify(outcome("x.cfg", "a → b, é, 😀"))}\n`);
  assert.equal(new LintCache(f).get("x.cfg", "k"), outcome("x.cfg", "a → b, é, 😀"));
  const c = new LintCache(join(dir, "astral.cache"));
  c.set("y.cfg", "k", outcome("y.cfg", "😀 \u007f \ud800 end"));
  c.save();
  assert.equal(new LintCache(join(dir, "astral.cache")).get("y.cfg", "k"), outcome("y.cfg", "😀 \u007f \ud800 end"));
});

test("a damaged file, a damaged entry or the old one-document format is ignored, never an error", () => {
  const f = join(dir, "b.cache");
  writeFileSync(f, JSON.stringify({ format: 1, entries: { "x.cfg": { key: "k", outcome: outcome("x.cfg", "old") } } }));
  assert.is(new LintCache(f).get("x.cfg", "k"), undefined);
  writeFileSync(f, '{"format":2}\n"x.cfg" no tabs here\n');
  assert.is(new LintCache(f).get("x.cfg", "k"), undefined);
  writeFileSync(f, '{"format":2}\n"x.cfg"\tk\t{"file": broken\n"y.cfg"\tk\t{}\n');
  const c = new LintCache(f);
  assert.is(c.get("x.cfg", "k"), undefined);
  assert.equal(c.get("y.cfg", "k"), {});
  assert.equal([c.hits, c.misses], [1, 1]);
});

// about 2 GiB of memory for a few seconds: CI (NATLINT_SLOW_TESTS=1) only
(process.env.NATLINT_SLOW_TESTS === "1" ? test : test.skip)("a cache past the longest string V8 can make is written and read back (was: cannot write the cache, Invalid string length)", () => {
  const f = join(dir, "big.cache");
  const c = new LintCache(f);
  const big = "x".repeat(100 << 20);
  for (let i = 0; i < 6; i++) c.set(`f${i}.cfg`, `k${i}`, outcome(`f${i}.cfg`, big));
  c.save();
  const d = new LintCache(f);
  for (let i = 0; i < 6; i++) assert.is((d.get(`f${i}.cfg`, `k${i}`) as FileOutcome).findings[0]!.message.length, big.length);
  assert.is(d.hits, 6);
});

test.run();
