/**
 * SARIF `fixes` (§3.55): each proven fix as replacements of regions of the original file. Applied
 * to the file (all results' fixes of one --fix pass together, regions of the original text), they
 * give exactly what `lint --fix` writes; the log stays valid against the SARIF 2.1.0 schema.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { lint } from "../src/api/index.js";
import { formatSarif } from "../src/report/sarif.js";
import { sarifFix } from "../src/report/sarif-fix.js";
import { sarifValidator } from "./helpers/sarif.js";

interface Region {
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}
interface Replacement {
  deletedRegion: Region;
  insertedContent?: { text: string };
}

/** Offsets of (line, column) in text, 1-based, columns in UTF-16 code units. */
function offset(text: string, line: number, column: number): number {
  let at = 0;
  for (let l = 1; l < line; l++) {
    const m = /\r\n|\r|\n/g;
    m.lastIndex = at;
    const hit = m.exec(text);
    assert.ok(hit, `line ${line} is past the end`);
    at = hit!.index + hit![0].length;
  }
  return at + column - 1;
}

/** Apply non-overlapping replacements given in terms of the original text. */
function apply(text: string, reps: Replacement[]): string {
  const spans = reps.map((r) => ({ from: offset(text, r.deletedRegion.startLine, r.deletedRegion.startColumn), to: offset(text, r.deletedRegion.endLine, r.deletedRegion.endColumn), text: r.insertedContent?.text ?? "" }));
  spans.sort((a, b) => b.from - a.from);
  for (let i = 1; i < spans.length; i++) assert.ok(spans[i]!.to <= spans[i - 1]!.from, "replacements overlap");
  let out = text;
  for (const s of spans) out = out.slice(0, s.from) + s.text + out.slice(s.to);
  return out;
}

const dir = mkdtempSync(join(tmpdir(), "natlint-sarif-fix-"));
const validate = sarifValidator();

async function roundTrip(name: string, text: string): Promise<void> {
  const file = join(dir, name);
  writeFileSync(file, text);
  const plain = await lint({ patterns: [file], cwd: dir, config: false });
  const log = JSON.parse(formatSarif(plain, { cwd: dir, version: "0.0.0" })) as { runs: Array<{ results: Array<{ fixes?: Array<{ artifactChanges: Array<{ replacements: Replacement[] }> }> }> }> };
  assert.ok(validate(log), JSON.stringify(validate.errors?.slice(0, 3)));
  const reps = log.runs[0]!.results.flatMap((r) => r.fixes ?? []).flatMap((f) => f.artifactChanges.flatMap((c) => c.replacements));
  assert.ok(reps.length > 0, `${name}: no SARIF fixes`);
  const fixed = await lint({ patterns: [file], cwd: dir, config: false, fix: true });
  const output = fixed.files[0]!.output;
  assert.type(output, "string");
  assert.is(apply(text, reps), output, `${name}: SARIF fixes applied ≠ lint --fix`);
}

test("examples/ios-pat-broken.cfg: the SARIF fixes give what lint --fix writes", async () => {
  await roundTrip("broken.cfg", readFileSync(new URL("../examples/ios-pat-broken.cfg", import.meta.url), "utf8"));
});

test("CRLF and a deleted line (redundant-line)", async () => {
  const text = ["hostname r", "interface GigabitEthernet0/0", " ip address 10.0.0.1 255.255.255.0", " ip access-group EDGE in", "ip access-list extended EDGE", " 10 permit tcp host 10.0.0.5 any eq 443", " 20 permit tcp 10.0.0.0 0.0.0.255 any eq 443", " 30 deny ip any any log", ""].join("\r\n");
  await roundTrip("crlf.cfg", text);
});

test("one line replaced and a line inserted after it: one replacement, the file's line ending", () => {
  const f = sarifFix("widen", [{ line: 2, op: "replace", text: " b2" }, { line: 2, op: "insertAfter", text: " b3" }], "a\r\n b\r\nc", { uri: "x.cfg" }) as { artifactChanges: Array<{ replacements: Replacement[] }> };
  const reps = f.artifactChanges[0]!.replacements;
  assert.equal(reps, [{ deletedRegion: { startLine: 2, startColumn: 1, endLine: 2, endColumn: 3 }, insertedContent: { text: " b2\r\n b3" } }]);
  assert.is(apply("a\r\n b\r\nc", reps), "a\r\n b2\r\n b3\r\nc");
  const del = sarifFix("delete", [{ line: 3, op: "delete", text: "c" }], "a\nb\nc", { uri: "x.cfg" }) as { artifactChanges: Array<{ replacements: Replacement[] }> };
  assert.is(apply("a\nb\nc", del.artifactChanges[0]!.replacements), "a\nb\n", "the last line: its text goes, the line before keeps its ending");
  assert.is(sarifFix("x", [{ line: 9, op: "delete", text: "" }], "a\nb", { uri: "x.cfg" }), undefined, "an edit past the end is not written");
});

test.run();
