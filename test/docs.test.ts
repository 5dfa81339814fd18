/**
 * Doc pages (rules/<id>.md) cannot drift from the rules: every rule file has a page whose
 * title, severity, description, rationale and references match the rule file, and whose `## Bad`
 * example, linted through lint(), produces a finding of the rule while the `## Good` example
 * produces none. The policy-check pages (acl-must-permit, acl-must-deny) carry an example rule
 * file, which must load, and their examples are linted with it.
 * `natlint rules` is tested here too: its catalogue links every rule to its page.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { lint } from "../src/api/index.js";
import { loadBuiltinRules, loadRulesDir } from "../src/engine/rules.js";
import type { RuleMeta } from "../src/engine/types.js";
import { CHECKS } from "../src/checks/index.js";
import { ruleCatalogue } from "../src/report/rules.js";
import { cli } from "./helpers/cli.js";
import { sameLine, squash } from "./helpers/quoted.js";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const DOCS = join(ROOT, "rules");
const RULES = join(ROOT, "rules");
const POLICY_CHECKS = ["acl-must-permit", "acl-must-deny"];

const builtin = loadBuiltinRules();
const ruleIds = readdirSync(RULES)
  .filter((f) => f.endsWith(".json") && !f.endsWith(".schema.json"))
  .map((f) => f.slice(0, -5))
  .sort();
const pages = readdirSync(DOCS)
  .filter((f) => f.endsWith(".md"))
  .map((f) => f.slice(0, -3))
  .sort();

interface Page {
  text: string;
  heading: string | undefined;
  title: string | undefined;
  severity: string | undefined;
  sections: Map<string, string>;
}

function readPage(id: string): Page {
  const text = readFileSync(join(DOCS, `${id}.md`), "utf8");
  const sections = new Map<string, string>();
  const parts = text.split(/^## /m);
  for (const p of parts.slice(1)) {
    const nl = p.indexOf("\n");
    sections.set(p.slice(0, nl).trim(), p.slice(nl + 1));
  }
  return {
    text,
    heading: /^# (.+)$/m.exec(text)?.[1]?.trim(),
    title: /^\*\*(.+)\*\*$/m.exec(text)?.[1]?.trim(),
    severity: /^- \*\*Severity:\*\* (\S+)/m.exec(text)?.[1],
    sections,
  };
}

/** The first fenced block of `lang` in a section. */
function block(page: Page, section: string, lang: string): string | undefined {
  const body = page.sections.get(section);
  if (body === undefined) return undefined;
  return new RegExp("```" + lang + "\\n([\\s\\S]*?)```").exec(body)?.[1];
}


/** Lines of stylish output quoted in a text (finding lines `  9:2  info …` and what is indented under them). */
function quotedOutput(text: string): string[][] {
  const out: string[][] = [];
  for (const m of text.matchAll(/```(?:text|console)\n([\s\S]*?)```/g)) {
    const lines = m[1]!.split("\n").filter((l) => l.trim() !== "" && l.trim() !== "…");
    if (lines.some((l) => /^\s+\d+(:\d+)?\s+(error|warning|info)\s/.test(l)) && !lines.some((l) => l.startsWith("$"))) out.push(lines);
  }
  return out;
}


/** Every quoted line is a line of `actual` (spacing aside), in the same order. */
function assertQuoted(quoted: readonly string[], actual: string, what: string): void {
  const lines = actual.split("\n").map(squash);
  let at = 0;
  for (const q of quoted) {
    const i = lines.findIndex((l, k) => k >= at && sameLine(q, l));
    assert.ok(i >= 0, `${what}: this line is not in natlint's output (in this order):\n${q}\n--- output ---\n${actual}`);
    at = i + 1;
  }
}

const tmp = mkdtempSync(join(tmpdir(), "natlint-docs-"));
let seq = 0;

/** Lint `config` (written to a temp file) with `rules`; the findings of rule `id`. */
async function findingsOf(id: string, config: string, rules: RuleMeta[]): Promise<string[]> {
  const file = join(tmp, `example-${++seq}.cfg`);
  writeFileSync(file, config);
  const r = await lint({ patterns: [file], cwd: tmp, config: false, rules });
  return r.findings.filter((f) => f.ruleId === id).map((f) => `${f.line}: ${f.message}`);
}

test("every rule file has a doc page, and every page is for a rule file or a check", () => {
  for (const id of ruleIds) assert.ok(pages.includes(id), `rules/${id}.md is missing`);
  for (const id of pages) assert.ok(ruleIds.includes(id) || POLICY_CHECKS.includes(id), `rules/${id}.md: no rules/${id}.json (and not a policy check)`);
  for (const id of POLICY_CHECKS) assert.ok(CHECKS.has(id), `policy check ${id} is not registered`);
  for (const id of POLICY_CHECKS) assert.ok(pages.includes(id), `rules/${id}.md is missing`);
});

test("every rule's docs path is its page", () => {
  for (const r of builtin) assert.ok(existsSync(r.docs), `${r.id}: ${r.docs}`);
});

for (const id of pages) {
  test(`rules/${id}.md`, async () => {
    const page = readPage(id);
    assert.is(page.heading, id, "the page starts with # <id>");
    for (const s of ["Description", "Bad", "Good", "How to fix", "Options", "References"]) assert.ok(page.sections.has(s), `## ${s} is missing`);
    // a Bad example that is not a Cisco config (unsupported-input) is a ```text block
    const bad = block(page, "Bad", "cisco") ?? block(page, "Bad", "text");
    const good = block(page, "Good", "cisco") ?? block(page, "Good", "text");
    assert.ok(bad, "## Bad has a ```cisco block");
    assert.ok(good, "## Good has a ```cisco block");

    const meta = builtin.find((r) => r.id === id);
    if (meta) {
      assert.is(page.title, meta.title, "title");
      assert.is(page.severity, meta.severity, "severity");
      assert.ok(squash(page.sections.get("Description")!).includes(squash(meta.description)), "## Description contains the rule's description");
      assert.ok(page.sections.has("Rationale"), "## Rationale is missing");
      assert.ok(squash(page.sections.get("Rationale")!).includes(squash(meta.rationale)), "## Rationale contains the rule's rationale");
      for (const ref of meta.references) assert.ok(page.sections.get("References")!.includes(ref), `reference "${ref}" is missing`);
      const b = await findingsOf(id, bad!, builtin);
      assert.ok(b.length > 0, `the Bad example produces no ${id} finding`);
      const g = await findingsOf(id, good!, builtin);
      assert.equal(g, [], `the Good example produces ${id} findings`);
      const quoted = quotedOutput(page.text);
      if (quoted.length > 0) {
        const file = join(tmp, `quoted-${++seq}.cfg`);
        writeFileSync(file, bad!);
        const r = await cli(["lint", file, "--no-config"], { cwd: tmp });
        for (const q of quoted) assertQuoted(q, r.stdout, `rules/${id}.md quotes the Bad example's output`);
      }
    } else if (POLICY_CHECKS.includes(id)) {
      const json = block(page, "Example rule file", "json");
      assert.ok(json, "## Example rule file has a ```json block");
      const rule = JSON.parse(json!) as { id: string; check: string };
      assert.is(rule.check, id);
      const dir = join(tmp, `rules-${id}`);
      mkdirSync(dir);
      writeFileSync(join(dir, `${rule.id}.json`), json!);
      const custom = loadRulesDir(dir);
      const b = await findingsOf(rule.id, bad!, [...builtin, ...custom]);
      assert.ok(b.length > 0, `the Bad example produces no ${rule.id} finding`);
      const g = await findingsOf(rule.id, good!, [...builtin, ...custom]);
      assert.equal(g, [], `the Good example produces ${rule.id} findings`);
    } else {
      assert.unreachable(`rules/${id}.md is neither a rule's page nor a policy check's`);
    }
  });
}

test("README: the quoted output of natlint lint examples/ios-pat-broken.cfg is what it prints", async () => {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const m = /```console\n\$ npx natlint lint examples\/ios-pat-broken\.cfg\n([\s\S]*?)```/.exec(readme);
  assert.ok(m, "README quotes natlint lint examples/ios-pat-broken.cfg");
  const quoted = m![1]!.split("\n").filter((l) => l.trim() !== "" && l.trim() !== "…");
  const r = await cli(["lint", "examples/ios-pat-broken.cfg", "--no-config"], { cwd: ROOT });
  assertQuoted(quoted, r.stdout, "README");
});

test("natlint rules --format json: the catalogue, with each docs path an existing page", async () => {
  const { code, stdout: text } = await cli(["rules", "--format", "json", "--no-config"]);
  assert.is(code, 0);
  const entries = JSON.parse(text) as Array<Record<string, string>>;
  assert.equal(entries.map((e) => e.id), [...ruleIds]);
  for (const e of entries) {
    assert.equal(Object.keys(e), ["id", "title", "severity", "description", "check", "docs"]);
    assert.is(e.docs, `rules/${e.id}.md`);
    assert.ok(existsSync(join(ROOT, e.docs!)), e.docs);
  }
  assert.equal(ruleCatalogue(builtin), entries);
});

test("natlint rules: table with every rule and a count line", async () => {
  const { stdout: text } = await cli(["rules", "--no-config"]);
  const lines = text.split("\n");
  assert.match(lines[0]!, /^rule\s+severity\s+title$/);
  for (const r of builtin) assert.ok(lines.some((l) => l.startsWith(`${r.id} `) && l.includes(r.severity) && l.endsWith(r.title)), r.id);
  assert.match(text, new RegExp(`\\n${builtin.length} rules \\(`));
});

test("natlint rules: usage errors", async () => {
  for (const args of [["--format", "xml"], ["extra"], ["--config", "x.json", "--no-config"]]) {
    const r = await cli(["rules", ...args]);
    assert.is(r.code, 2, args.join(" "));
    assert.match(r.stderr, /^natlint: rules: /, args.join(" "));
  }
});

test.after(() => rmSync(tmp, { recursive: true, force: true }));

test.run();
