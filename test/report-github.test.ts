import { test } from "uvu";
import * as assert from "uvu/assert";
import path from "node:path";
import type { Finding } from "../src/core/finding.js";
import type { LintResult } from "../src/engine/types.js";
import { escapeData, escapeProperty, formatGithub } from "../src/report/github.js";

const CWD = path.resolve("/work/repo");

function result(findings: Finding[]): LintResult {
  return { findings, files: [], summary: { errors: 0, warnings: 0, infos: 0 }, rules: [] };
}

test("escapeData / escapeProperty match @actions/core", () => {
  assert.is(escapeData("100% of 3\r\nclients: a,b"), "100%25 of 3%0D%0Aclients: a,b");
  assert.is(escapeProperty("a:b,c%d\ne"), "a%3Ab%2Cc%25d%0Ae");
  // `%` first, so an existing escape is not double-decoded
  assert.is(escapeData("%0A"), "%250A");
});

test("one command per finding with level mapping and escaped values", () => {
  const out = formatGithub(
    result([
      { ruleId: "pat-drops-ipsec", severity: "error", file: "edge/r1.cfg", line: 12, column: 2, endColumn: 40, message: "drops 30% of clients:\nUDP 4500, 500" },
      { ruleId: "shadowed-ace", severity: "warning", file: path.join(CWD, "odd,name:x.cfg"), line: 3, message: "shadowed" },
      { ruleId: "note-rule", severity: "info", file: "edge/r1.cfg", line: 1, message: "fyi" },
    ]),
    { cwd: CWD },
  );
  assert.is(
    out,
    [
      "::notice file=edge/r1.cfg,line=1,title=note-rule::fyi",
      "::error file=edge/r1.cfg,line=12,col=2,endColumn=40,title=pat-drops-ipsec::drops 30%25 of clients:%0AUDP 4500, 500",
      "::warning file=odd%2Cname%3Ax.cfg,line=3,title=shadowed-ace::shadowed",
    ].join("\n") + "\n",
  );
});

test("every output line is a single physical line", () => {
  const out = formatGithub(
    result([{ ruleId: "r", severity: "error", file: "a\nb.cfg", line: 2, message: "x\r\ny\nz" }]),
    { cwd: CWD },
  );
  assert.is(out.split("\n").length, 2); // one line + trailing newline
  assert.match(out, "file=a%0Ab.cfg");
});

test("file-level finding (line 0) has no line property; no findings → empty output", () => {
  const out = formatGithub(result([{ ruleId: "parse-error", severity: "error", file: "a.cfg", line: 0, message: "bad" }]), { cwd: CWD });
  assert.is(out, "::error file=a.cfg,title=parse-error::bad\n");
  assert.is(formatGithub(result([]), { cwd: CWD }), "");
});

test("deterministic regardless of input order", () => {
  const fs: Finding[] = [
    { ruleId: "b", severity: "error", file: "z.cfg", line: 1, message: "1" },
    { ruleId: "a", severity: "warning", file: "a.cfg", line: 9, message: "2" },
    { ruleId: "a", severity: "warning", file: "a.cfg", line: 2, message: "3" },
  ];
  assert.is(formatGithub(result(fs), { cwd: CWD }), formatGithub(result([...fs].reverse()), { cwd: CWD }));
});

test.run();
