/**
 * Formatters on input-sized data: no spread of big arrays into Math.max (RangeError past ~125k
 * elements), and stylish, JSON, SARIF, GitHub and JUnit reports in pieces, each piece small,
 * together the whole text (in CI: a report past the longest string V8 can make).
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { formatStylish, stylishChunks } from "../src/report/stylish.js";
import { jsonChunks, jsonParts, jsonPieces } from "../src/report/json.js";
import { FileWriter } from "../src/io/write.js";
import { sarifChunks, sarifParts } from "../src/report/sarif.js";
import { githubChunks } from "../src/report/github.js";
import { junitChunks } from "../src/report/junit.js";
import { writePieces } from "../src/api/index.js";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findingJson } from "../src/core/finding.js";
import type { LintResult } from "../src/engine/types.js";
import { table } from "../src/report/table.js";
import { nested } from "../src/report/pieces.js";
import type { Finding } from "../src/core/finding.js";

test("stylish: 200,000 findings in one file", () => {
  const findings: Finding[] = Array.from({ length: 200_000 }, (_, i) => ({ ruleId: "r", severity: "info", file: "a.cfg", line: i + 1, message: "m" }));
  const text = formatStylish({ findings, files: [{ path: "a.cfg", vendor: "ios" }], summary: { errors: 0, warnings: 0, infos: 200_000 }, rules: [] }, { colour: false });
  assert.ok(text.includes("200000  info"));
});

test("table: 200,000 rows", () => {
  const rows = Array.from({ length: 200_000 }, (_, i) => [String(i), "x"]);
  const t = table(["n", "v"], rows);
  assert.ok(t.endsWith("199999  x"));
});

const report = (n: number, message: string): LintResult =>
  ({
    findings: Array.from({ length: n }, (_, i): Finding => ({ ruleId: "r", severity: "warning", file: `d${i % 50}.cfg`, line: i + 1, message, details: { witness: "udp 1.2.3.4:4500 → 5.6.7.8:1", noFix: "why\nnot" } })),
    files: Array.from({ length: 50 }, (_, i) => ({ path: `d${i}.cfg`, vendor: "ios" })),
    summary: { errors: 0, warnings: n, infos: 0 },
    rules: [],
  }) as unknown as LintResult;

test("stylish, JSON, SARIF, GitHub and JUnit in pieces of about a MiB that make the whole text (JSON and SARIF: JSON.stringify of the report)", () => {
  for (const n of [0, 1, 15_000]) {
    const r = report(n, "a message with\ta tab and \"quotes\"");
    const j = jsonChunks(r);
    assert.is(j.join(""), JSON.stringify({ findings: r.findings.map(findingJson), files: r.files, summary: r.summary }, null, 2) + "\n");
    const s = stylishChunks(r, { colour: false });
    assert.is(s.join(""), formatStylish(r, { colour: false }));
    // SARIF: JSON.stringify(…, null, 2) of its own parse (the log was one stringify before)
    const sarif = sarifChunks(r, { cwd: "/nonexistent", version: "1.2.3", readSource: () => undefined });
    const whole = sarif.join("");
    assert.is([...sarifParts(r, { cwd: "/nonexistent", version: "1.2.3", readSource: () => undefined })].join(""), whole, "SARIF's parts make its pieces' text");
    assert.is(whole, JSON.stringify(JSON.parse(whole), null, 2) + "\n");
    assert.is((JSON.parse(whole) as { runs: Array<{ results: unknown[] }> }).runs[0]!.results.length, n);
    // GitHub: one command line per finding; JUnit: a test case per finding, in its file's suite
    const gh = githubChunks(r, { cwd: "/nonexistent" });
    const lines = gh.join("").split("\n");
    assert.is(lines.pop(), "");
    assert.is(lines.length, n);
    assert.ok(lines.every((l) => l.startsWith("::warning file=d")), lines.find((l) => !l.startsWith("::warning")));
    const ju = junitChunks(r, { cwd: "/nonexistent" });
    const xml = ju.join("");
    assert.ok(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="natlint"') && xml.endsWith("</testsuites>\n"), xml.slice(-40));
    assert.is(xml.split("<testsuite ").length - 1, 50);
    assert.is(xml.split("<testcase ").length - 1, Math.max(n, 50), "a case per finding, and one for each file without");
    for (const piece of [...j, ...s, ...sarif, ...gh, ...ju]) assert.ok(piece.length < 3 << 20, `a piece of ${piece.length}`);
    for (const piece of [...s, ...gh, ...ju]) assert.ok(piece.endsWith("\n"), "line-based pieces end at a line's end");
    // pieces written one after the other make the file (writes gathered to about a MiB each)
    const out = join(mkdtempSync(join(tmpdir(), "natlint-pieces-")), "r.sarif");
    writePieces(out, sarif);
    assert.is(readFileSync(out, "utf8"), whole);
    if (n === 15_000) assert.ok(j.length > 3 && s.length > 1 && sarif.length > 3 && gh.length > 1 && ju.length > 1, `${j.length}, ${s.length}, ${sarif.length}, ${gh.length} and ${ju.length} pieces`);
  }
});

test("JSON pieces are handed out as they are made, not when the whole report is", () => {
  const r = report(15_000, "a message");
  const whole = jsonChunks(r);
  let read = 0;
  const counted = r.findings.map((f) => Object.defineProperty({ ...f }, "ruleId", { get: () => (read++, f.ruleId), enumerable: true }));
  const gen = jsonPieces({ ...r, findings: counted });
  const first = gen.next();
  assert.is(first.done, false);
  assert.is(first.value, whole[0]);
  assert.ok(read > 0 && read < 15_000 / 2, `${read} findings made into JSON before the first piece was handed out`);
  assert.ok(whole.length > 3);
  assert.is([first.value as string, ...gen].join(""), whole.join(""));
  assert.equal([...jsonPieces(report(0, "m"))], jsonChunks(report(0, "m")));
});

test("JSON in parts (a finding each) makes the pieces' text; the file writer encodes parts of every size and script straight into its buffer", () => {
  for (const n of [0, 1, 15_000]) {
    const r = report(n, "a message → with \"quotes\", é and 😀");
    const parts = [...jsonParts(r)];
    assert.is(parts.join(""), jsonChunks(r).join(""));
    if (n === 15_000) assert.ok(parts.length === n + 3, `${parts.length} parts`);
    const out = join(mkdtempSync(join(tmpdir(), "natlint-parts-")), "r.json");
    // parts around the buffer's size (1 MiB) and past it, as strings of one and two bytes a unit, and a Buffer
    const extra = ["x".repeat(600_000), "→".repeat(200_000), "x".repeat((1 << 20) - 1), "😀".repeat(200_000), Buffer.from("é→"), "y".repeat(3 << 20), "z"];
    writePieces(out, [...parts, ...(extra.filter((e) => typeof e === "string") as string[])]);
    assert.is(readFileSync(out, "utf8"), parts.join("") + extra.filter((e) => typeof e === "string").join(""));
    const w = new FileWriter(out);
    for (const e of extra) w.write(e);
    w.close();
    assert.ok(readFileSync(out).equals(Buffer.concat(extra.map((e) => (typeof e === "string" ? Buffer.from(e) : e)))));
  }
});

test("nested: JSON.stringify(v, null, 2) indented by the pad, for values a second pass would treat alike", () => {
  const values: unknown[] = [{}, [], "a\nb", 0, null, [[], {}], { a: [1, { b: "x\n  y", c: [] }], "k\n": {} }, [{ d: [[{}]] }]];
  for (const v of values)
    for (const pad of ["", "  ", "    ", "      ", " ", "\t"]) {
      const want = JSON.stringify(v, null, 2).replace(/\n/g, `\n${pad}`);
      assert.is(nested(v, pad), want, `${JSON.stringify(v)} with pad ${JSON.stringify(pad)}`);
    }
});

// about 1.5 GiB for a few seconds: CI (NATLINT_SLOW_TESTS=1) only (GitHub and JUnit are cut into
// pieces by the helper stylish uses, ./pieces.ts, so the three here cover it)
(process.env.NATLINT_SLOW_TESTS === "1" ? test : test.skip)("a report past the longest string V8 can make is rendered in pieces (was: Invalid string length)", () => {
  const r = report(600, "x".repeat(1 << 20));
  let json = 0;
  for (const piece of jsonChunks(r)) json += piece.length;
  let text = 0;
  for (const piece of stylishChunks(r, { colour: false })) text += piece.length;
  let sarif = 0;
  for (const piece of sarifChunks(r, { cwd: "/nonexistent", version: "1.2.3", readSource: () => undefined })) sarif += piece.length;
  assert.ok(json > 600 << 20 && text > 600 << 20 && sarif > 600 << 20, `${json}, ${text} and ${sarif} characters`);
});

test.run();
