/**
 * Rule metadata has one home, rules/<id>.json: the generated blocks of the doc pages and the
 * README rules table (scripts/rule-docs.mjs) must be up to date, every rule has its page, and no
 * shipped text points at material users do not have (the development checkout's ../shared) or
 * cites "spec §…" instead of the vendor source. The generator itself is exercised on a
 * scratch repository: a new rule gets a page, hand-written text survives, bad markers are errors.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

interface Generator {
  ruleDocs(opts?: { root?: string; check?: boolean }): { stale: string[] };
}
// A plain-JS script: imported by URL so that the type checker does not look for its declarations.
const GENERATOR = new URL("../scripts/rule-docs.mjs", import.meta.url).href;
const { ruleDocs } = (await import(GENERATOR)) as Generator;

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const RULES = join(ROOT, "rules");
const ruleIds = readdirSync(RULES)
  .filter((f) => f.endsWith(".json") && !f.endsWith(".schema.json"))
  .map((f) => f.slice(0, -5));

test("the generated blocks of the doc pages and the README are up to date (npm run docs)", () => {
  const { stale } = ruleDocs({ check: true });
  assert.equal(stale, [], `stale, run npm run docs: ${stale.join(", ")}`);
});

test("every rules/<id>.json has its page rules/<id>.md, also reachable as docs/rules/<id>.md", () => {
  assert.ok(ruleIds.length > 0);
  for (const id of ruleIds) {
    assert.ok(existsSync(join(RULES, `${id}.md`)), `rules/${id}.md is missing`);
    assert.ok(existsSync(join(ROOT, "docs", "rules", `${id}.md`)), `docs/rules/${id}.md does not resolve`);
  }
});

/** Every file under `path` (a file or a folder), following symbolic links, each real file once. */
function files(path: string, seen = new Set<string>()): string[] {
  const real = realpathSync(path);
  if (seen.has(real)) return [];
  seen.add(real);
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .sort()
    .flatMap((f) => files(join(path, f), seen));
}

const FORBIDDEN = ["../shared", "spec §"];

function shippedTextProblems(paths: string[]): string[] {
  const problems: string[] = [];
  for (const file of paths.flatMap((p) => files(join(ROOT, p)))) {
    const lines = readFileSync(file, "utf8").split("\n");
    lines.forEach((line, i) => {
      for (const s of FORBIDDEN) if (line.includes(s)) problems.push(`${relative(ROOT, file)}:${i + 1}: "${s}"`);
    });
  }
  return problems;
}

test('shipped text (README.md, rules/, docs/, schemas/) cites sources, not "../shared" or "spec §"', () => {
  const problems = shippedTextProblems(["README.md", "rules", "docs", "schemas"]);
  assert.equal(problems, [], problems.join("\n"));
});

test('shipped code comments and messages (src/) cite sources, not "../shared" or "spec §"', () => {
  const problems = shippedTextProblems(["src"]);
  assert.equal(problems, [], `${problems.length} lines:\n${problems.join("\n")}`);
});

// ---- the generator on a scratch repository ----

const tmp = mkdtempSync(join(tmpdir(), "natlint-rule-docs-"));

function scratch(name: string): string {
  const root = join(tmp, name);
  mkdirSync(join(root, "rules"), { recursive: true });
  writeFileSync(join(root, "README.md"), "# x\n\n## Rules\n\n<!-- generated from rules/*.json: do not edit -->\n<!-- end generated -->\n\nMore.\n");
  return root;
}

function writeRule(root: string, rule: Record<string, unknown>): void {
  const base = { severity: "warning", description: "What it reports.", rationale: "Why it matters.", references: ["RFC 3947 §4"], check: "no-any-any-permit", options: {} };
  writeFileSync(join(root, "rules", `${rule.id as string}.json`), JSON.stringify({ ...base, ...rule }, null, 2));
}

test("generator: a new rule gets a page and a README row; check mode writes nothing", () => {
  const root = scratch("new");
  writeRule(root, { id: "new-rule", title: "A new rule", summary: "a | b" });
  assert.equal(ruleDocs({ root, check: true }).stale, ["rules/new-rule.md", "README.md"]);
  assert.not.ok(existsSync(join(root, "rules", "new-rule.md")), "check mode wrote the page");
  assert.equal(ruleDocs({ root }).stale, ["rules/new-rule.md", "README.md"]);
  assert.equal(ruleDocs({ root, check: true }).stale, []);
  const page = readFileSync(join(root, "rules", "new-rule.md"), "utf8");
  for (const s of ["# new-rule\n", "**A new rule**", "- **Severity:** warning", "## Description\n\nWhat it reports.", "## Rationale\n\nWhy it matters.", "- RFC 3947 §4", "## Bad", "## Good", "## How to fix", "## Options", "(new-rule.json)"]) {
    assert.ok(page.includes(s), `new page lacks ${JSON.stringify(s)}`);
  }
  const readme = readFileSync(join(root, "README.md"), "utf8");
  assert.ok(readme.includes("| [new-rule](rules/new-rule.md) | warning | a \\| b |"), readme);
  assert.ok(readme.endsWith("<!-- end generated -->\n\nMore.\n"), "text after the block is kept");
});

test("generator: a changed rule file rewrites only the generated blocks", () => {
  const root = scratch("change");
  writeRule(root, { id: "r", title: "Old title" });
  ruleDocs({ root });
  const file = join(root, "rules", "r.md");
  const handWritten = "\nMore explanation, by hand.\n";
  const page = readFileSync(file, "utf8").replace("<!-- end generated -->\n", `<!-- end generated -->\n${handWritten}`);
  writeFileSync(file, page);
  writeRule(root, { id: "r", title: "New title" });
  assert.equal(ruleDocs({ root, check: true }).stale, ["rules/r.md", "README.md"]);
  ruleDocs({ root });
  const next = readFileSync(file, "utf8");
  assert.ok(next.includes("**New title**") && !next.includes("Old title"));
  assert.ok(next.includes(handWritten), "hand-written text kept");
  assert.is(next, page.replace("Old title", "New title"));
});

test("generator: missing, unclosed or foreign markers are errors", () => {
  const root = scratch("bad");
  writeRule(root, { id: "r", title: "Title" });
  ruleDocs({ root });
  const file = join(root, "rules", "r.md");
  const good = readFileSync(file, "utf8");
  const cases: Array<[string, RegExp]> = [
    [good.replace(/<!-- generated from r\.json \(rationale\)[\s\S]*?<!-- end generated -->\n/, ""), /no block "<!-- generated from r\.json \(rationale\)/],
    [good.replace("## Rationale\n\nWhy it matters.\n\n<!-- end generated -->", "## Rationale"), /not closed/],
    [good.replace("r.json (references)", "other.json (references)"), /unexpected marker/],
  ];
  for (const [text, message] of cases) {
    writeFileSync(file, text);
    assert.throws(() => ruleDocs({ root, check: true }), message);
  }
  writeFileSync(file, good);
  writeFileSync(join(root, "rules", "gone.md"), good.replaceAll("r.json", "gone.json"));
  assert.throws(() => ruleDocs({ root, check: true }), /rules\/gone\.md: generated blocks, but no rules\/gone\.json/);
});

test.after(() => rmSync(tmp, { recursive: true, force: true }));

test.run();
