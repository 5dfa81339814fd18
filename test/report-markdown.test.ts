import { test } from "uvu";
import * as assert from "uvu/assert";
import path from "node:path";
import type { Finding } from "../src/core/finding.js";
import type { LintResult } from "../src/engine/types.js";
import { escapeCell, formatMarkdown, MARKDOWN_MARKER } from "../src/report/markdown.js";

const CWD = path.resolve("/work/repo");

function result(findings: Finding[], extraFiles: string[] = []): LintResult {
  const files = [...new Set([...findings.map((f) => f.file), ...extraFiles])].map((p) => ({ path: p, vendor: "ios" as const }));
  const summary = {
    errors: findings.filter((f) => f.severity === "error").length,
    warnings: findings.filter((f) => f.severity === "warning").length,
    infos: findings.filter((f) => f.severity === "info").length,
  };
  return { findings, files, summary, rules: [] };
}

/** Split a GFM table row into cells the way GitHub does: on `|` not preceded by a backslash. */
function cells(row: string): string[] {
  return row.slice(1, -1).split(/(?<!\\)\|/).map((c) => c.trim());
}

const F: Finding[] = [
  { ruleId: "shadowed-ace", severity: "warning", file: "b.cfg", line: 7, message: "shadowed | by line 5\nsee <docs>" },
  { ruleId: "pat-drops-ipsec", severity: "error", file: path.join(CWD, "a.cfg"), line: 30, message: "drops *all* clients_" },
  { ruleId: "pat-drops-ipsec", severity: "error", file: "a.cfg", line: 3, message: "drops 3 of 10" },
  { ruleId: "tip", severity: "info", file: "a.cfg", line: 1, message: "fyi" },
];

test("escapeCell", () => {
  assert.is(escapeCell("a|b"), "a\\|b");
  assert.is(escapeCell("x\r\ny\nz"), "x<br>y<br>z");
  assert.is(escapeCell("<script>*x*_y_`z`"), "\\<script\\>\\*x\\*\\_y\\_\\`z\\`");
});

test("summary, rule counts and a table sorted by severity, file, line", () => {
  const md = formatMarkdown(result(F, ["clean.cfg"]), { cwd: CWD });
  const lines = md.split("\n");
  assert.is(lines[0], MARKDOWN_MARKER);
  assert.match(md, "**2 errors**, **1 warning**, 1 info in 3 files.");
  assert.match(md, "Rules: `pat-drops-ipsec` × 2, `shadowed-ace` × 1, `tip` × 1");
  const header = lines.findIndex((l) => l.startsWith("| Severity"));
  const rows = lines.slice(header + 2).filter((l) => l.startsWith("|"));
  assert.is(rows.length, 4);
  for (const r of rows) assert.is(cells(r).length, 4, r);
  assert.equal(rows.map((r) => cells(r)[2]), ["`a.cfg:3`", "`a.cfg:30`", "`b.cfg:7`", "`a.cfg:1`"]);
  assert.is(cells(rows[2]!)[3], "shadowed \\| by line 5<br>see \\<docs\\>");
  assert.is(cells(rows[1]!)[3], "drops \\*all\\* clients\\_");
  assert.match(cells(rows[0]!)[0]!, "error");
});

test("no newline or unescaped pipe can break the table", () => {
  const md = formatMarkdown(
    result([{ ruleId: "r|x", severity: "error", file: "we|ird`name.cfg", line: 2, message: "a|b|c\n| --- |" }]),
    { cwd: CWD },
  );
  const row = md.split("\n").find((l) => l.startsWith("| ❌"))!;
  assert.is(cells(row).length, 4, row);
});

test("no findings", () => {
  const md = formatMarkdown(result([], ["a.cfg", "b.cfg"]), { cwd: CWD });
  assert.match(md, "No problems found in 2 files.");
  assert.not.match(md, "| Severity");
});

test("maxRows truncates with a note; docsBaseUri links rules", () => {
  const many: Finding[] = Array.from({ length: 5 }, (_, i) => ({ ruleId: "r", severity: "warning", file: "a.cfg", line: i + 1, message: `m${i}` }));
  const md = formatMarkdown(result(many), { cwd: CWD, maxRows: 2, docsBaseUri: "https://x.example/rules/" });
  assert.is(md.split("\n").filter((l) => l.startsWith("| ⚠️")).length, 2);
  assert.match(md, "… and 3 more (showing the first 2).");
  assert.match(md, "[`r`](https://x.example/rules/r.md)");
});

test("deterministic regardless of input order", () => {
  assert.is(formatMarkdown(result(F), { cwd: CWD }), formatMarkdown(result([...F].reverse()), { cwd: CWD }));
});

test.run();
