/**
 * JUnit XML for CI systems that display test reports (GitLab, Jenkins, Azure Pipelines, …).
 *
 * Layout: `<testsuites name="natlint">` with one `<testsuite>` per linted file (`name` and
 * `file` = path relative to `opts.cwd`), and in it one `<testcase>` per finding (`classname` =
 * file, `name` = `rule-id: ACL: line text` — no line number, so names stay the same when lines
 * move and merge-request test comparisons do not churn; a second identical name in a suite gets
 * ` (2)`, so none is hidden by systems that keep the first of duplicates, as GitLab does).
 * Error findings carry a `<failure>`; warnings a `<skipped message=…>` (natlint exits 0 on
 * warnings, so the test report does not fail either) or, with `warnings: "failure"`, a
 * `<failure>`; info findings are passing testcases with the message in `<system-out>`. A file
 * without findings has one passing testcase named `natlint`, so every checked file shows up.
 * Only attributes Jenkins' xUnit JUnit schema (junit-10.xsd) allows are written; no timestamps
 * or durations.
 */
import { linesInPieces } from "./pieces.js";
import { compareStrings, type Finding } from "../core/finding.js";
import type { LintResult } from "../engine/types.js";
import { repoRelative, sortFindings } from "../io/paths.js";
import { visible } from "./text.js";

export interface JunitOptions {
  cwd: string;
  /** How warnings are reported: skipped tests with the message (default) or failures. */
  warnings?: "skipped" | "failure";
}

/** A testcase name: rule, ACL and the line's text (or the message), without the line number. */
export function testcaseName(f: Finding): string {
  const what = (f.source ?? "").trim().replace(/\s+/g, " ") || f.message;
  return [f.ruleId, f.acl, what].filter((x) => x !== undefined && x !== "").join(": ");
}

/**
 * Text allowed by XML 1.0: drop characters outside the Char production (C0 controls other than
 * TAB/LF/CR, lone surrogates, U+FFFE/U+FFFF) by replacing them with U+FFFD.
 */
function xmlChars(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD");
}

/** Escape for element content (control characters made visible first: ./text.ts). */
export function escapeXmlText(s: string): string {
  return xmlChars(visible(s, true)).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Escape for a double-quoted attribute value (newlines/tabs kept as character references). */
export function escapeXmlAttr(s: string): string {
  return escapeXmlText(s)
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;")
    .replace(/\t/g, "&#9;")
    .replace(/\n/g, "&#10;")
    .replace(/\r/g, "&#13;");
}

function attrs(a: Record<string, string | number>): string {
  return Object.entries(a)
    .map(([k, v]) => ` ${k}="${escapeXmlAttr(String(v))}"`)
    .join("");
}

function failureBody(f: Finding, rel: string): string {
  const lines = [`${f.severity}: ${f.message}`, `at ${rel}${f.line >= 1 ? `:${f.line}` : ""}`];
  if (f.acl) lines.push(`acl: ${f.acl}`);
  if (f.source) lines.push(`source: ${f.source}`);
  lines.push(`rule: ${f.ruleId}`);
  return lines.join("\n");
}

export function formatJunit(result: LintResult, opts: JunitOptions): string {
  return junitChunks(result, opts).join("");
}

/** The text of `formatJunit` in pieces of about a MiB, each ending at a test suite's end (./pieces.ts). */
export function junitChunks(result: LintResult, opts: JunitOptions): string[] {
  // Group findings by repo-relative file; include files that had no findings.
  const groups = new Map<string, Finding[]>();
  for (const file of result.files) groups.set(repoRelative(file.path, opts.cwd), []);
  for (const f of sortFindings(result.findings, opts.cwd)) {
    const rel = repoRelative(f.file, opts.cwd);
    let list = groups.get(rel);
    if (!list) groups.set(rel, (list = []));
    list.push(f);
  }
  const files = [...groups.keys()].sort(compareStrings);

  let totalTests = 0;
  let totalFailures = 0;
  const suites: string[] = [];
  const warningsAs = opts.warnings ?? "skipped";
  for (const rel of files) {
    const findings = groups.get(rel)!;
    const cases: string[] = [];
    let failures = 0;
    let skipped = 0;
    if (findings.length === 0) cases.push(`    <testcase${attrs({ name: "natlint", classname: rel })}/>`);
    const seen = new Map<string, number>();
    for (const f of findings) {
      const base = testcaseName(f);
      const n = (seen.get(base) ?? 0) + 1;
      seen.set(base, n);
      const open = `    <testcase${attrs({ name: n === 1 ? base : `${base} (${n})`, classname: rel })}>`;
      const body = escapeXmlText(failureBody(f, rel));
      let child: string;
      if (f.severity === "error" || (f.severity === "warning" && warningsAs === "failure")) {
        failures++;
        child = `<failure${attrs({ message: f.message, type: f.severity })}>${body}</failure>`;
      } else if (f.severity === "warning") {
        skipped++;
        child = `<skipped${attrs({ message: f.message, type: f.severity })}>${body}</skipped>`;
      } else child = `<system-out>${body}</system-out>`;
      cases.push(`${open}\n      ${child}\n    </testcase>`);
    }
    const tests = Math.max(findings.length, 1);
    totalTests += tests;
    totalFailures += failures;
    suites.push(`  <testsuite${attrs({ name: rel, tests, failures, errors: 0, skipped, file: rel })}>\n${cases.join("\n")}\n  </testsuite>`);
  }
  const head = `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites${attrs({ name: "natlint", tests: totalTests, failures: totalFailures, errors: 0 })}>`;
  return suites.length ? linesInPieces([head, ...suites, "</testsuites>"]) : [`${head}</testsuites>\n`];
}
