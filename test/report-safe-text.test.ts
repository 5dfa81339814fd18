/**
 * Hostile text from configs in every human format (issue #11): ESC/BEL bytes never reach the
 * stylish, github, markdown or JUnit output raw (terminal title and screen-clear injection);
 * Mermaid labels carry no raw HTML or `@`; mentions and URLs in a PR comment stay text.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { fileURLToPath } from "node:url";
import { explain, type ExplainResult } from "../src/api/index.js";
import type { Finding } from "../src/core/finding.js";
import { summarize } from "../src/core/finding.js";
import type { LintResult } from "../src/engine/types.js";
import { formatStylish } from "../src/report/stylish.js";
import { formatGithub } from "../src/report/github.js";
import { formatMarkdown, escapeCell, codeSpan } from "../src/report/markdown.js";
import { formatJunit } from "../src/report/junit.js";
import { formatExplainMarkdown } from "../src/report/explain-markdown.js";
import { table } from "../src/report/table.js";
import { visible } from "../src/report/text.js";
import { cli } from "./helpers/cli.js";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
// eslint-disable-next-line no-control-regex
const RAW = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const EVIL = "title \u001b]0;pwned\u0007 clear \u001b[2J\u001bc bidi \u202eevil\u202c del \u007f nel \u0085";

function result(message: string, extra: Partial<Finding> = {}): LintResult {
  const findings: Finding[] = [{ ruleId: "r", severity: "error", file: "a\u001b[31m.cfg", line: 3, message, source: message, acl: "A\u0007", ...extra } as Finding];
  return { findings, files: [{ path: "a\u001b[31m.cfg", vendor: "ios" }], summary: summarize(findings) } as LintResult;
}

test("visible: control, bidirectional and invisible characters as escapes; text otherwise unchanged", () => {
  assert.is(visible("a\u001b[2Jb\u0007c"), "a\\x1B[2Jb\\x07c");
  assert.is(visible("x\u202ey\u200bz\ufeff"), "x\\u202Ey\\u200Bz\\uFEFF");
  assert.is(visible("a\nb", true), "a\nb");
  assert.is(visible("a\nb"), "a\\x0Ab");
  assert.is(visible("tab\tcafé — ok"), "tab\tcafé — ok");
});

test("stylish, github, markdown, JUnit and tables: no raw control character from a config", () => {
  const r = result(EVIL);
  for (const [name, out] of [
    ["stylish", formatStylish(r, { colour: false })],
    ["github", formatGithub(r, { cwd: "/" })],
    ["markdown", formatMarkdown(r, { cwd: "/" })],
    ["junit", formatJunit(r, { cwd: "/" })],
    ["table", table(["a"], [[EVIL]])],
  ] as const) {
    assert.not.match(out, RAW, name);
    assert.match(out, name === "markdown" ? "\\\\x1B\\]0;pwned\\\\x07" : "\\x1B]0;pwned\\x07", name);
  }
  // colours on a terminal are natlint's own escapes, never the config's
  const coloured = formatStylish(r, { colour: true });
  assert.not.match(coloured, "\u001b]0;");
  assert.not.match(coloured, "\u001b[2J");
});

test("markdown: mentions, links and HTML from a config stay text", () => {
  const cell = escapeCell("ping @natlint/team or admin@example.com, see https://evil.test/x and www.evil.test; <img src=x onerror=alert(1)> #123");
  assert.match(cell, "`@natlint/team`");
  assert.match(cell, "`admin@example.com,`");
  assert.match(cell, "`https://evil.test/x`");
  assert.match(cell, "`www.evil.test;`");
  assert.match(cell, "\\<img");
  assert.match(cell, "`#123`");
  // outside code spans no @ and no scheme is left
  const outside = cell.replace(/`[^`]*`/g, "");
  assert.not.match(outside, /@|:\/\//);
  // a code span with a long run of backticks (no spread of an input-sized array)
  const ticks = "`".repeat(200_000);
  assert.ok(codeSpan(ticks).startsWith("`".repeat(200_001)));
  const md = formatMarkdown(result("deny from @channel https://x.test/"), { cwd: "/" });
  assert.not.match(md.replace(/`[^`]*`/g, ""), /@channel|https:\/\//);
});

test("explain markdown: Mermaid labels escape HTML, quotes and @; the table escapes control characters", () => {
  const r = JSON.parse(JSON.stringify(explain("examples/ios-pat-broken.cfg", { cwd: ROOT }))) as ExplainResult;
  for (const s of r.sessions) for (const k of s.checkpoints) k.acl = `<img src=x onerror=alert(1)>@octocat"\u001b[2J`;
  const md = formatExplainMarkdown(r);
  const a = md.indexOf("```mermaid");
  const diagram = md.slice(a, md.indexOf("```", a + 3));
  assert.not.match(diagram, /<img|@octocat|"/);
  assert.match(diagram, "#60;img src=x onerror=alert(1)#62;#64;octocat#34;");
  assert.not.match(md, RAW);
});

test("end to end: a config line with ESC and BEL bytes reaches stylish and github output escaped", async () => {
  const text = "hostname r1\nip access-list extended A\u001b]0;pwned\u0007\n permit ip any any\ninterface Gi0/1\n ip access-group A\u001b[2J in\n";
  for (const format of ["stylish", "github", "markdown", "junit"]) {
    const r = await cli(["lint", "--stdin", "--stdin-filename", "r1.cfg", "--no-config", "--format", format], { cwd: ROOT, stdin: text });
    assert.not.match(r.stdout, RAW, `${format}: ${JSON.stringify(r.stdout)}`);
    assert.not.match(r.stderr, RAW, format);
  }
});

test.run();
