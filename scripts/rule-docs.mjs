#!/usr/bin/env node
/**
 * Rule docs from rule data. A rule's metadata has one home, rules/<id>.json; this script writes
 * what the doc pages and the README say about it, from every rules/*.json (not *.schema.json):
 *
 * - In rules/<id>.md, the blocks between
 *     <!-- generated from <id>.json (PART): do not edit -->   and   <!-- end generated -->
 *   PART `header`: `# <id>`, the bold title, severity, check, rule file (and yieldsTo), and
 *   `## Description` with the description; PART `rationale`: `## Rationale`; PART `references`:
 *   `## References`, the rule's references and a link to docs/sources.md. Everything outside the
 *   blocks is hand-written and kept as it is: more explanation after the header block (still in
 *   the Description section), `## Bad`, `## Good`, `## How to fix`, `## Options`, and further
 *   references after the references block. A rule without a page gets a new one: the three
 *   blocks and the hand-written sections to fill in.
 * - In README.md, the rules table between
 *     <!-- generated from rules/*.json: do not edit -->   and   <!-- end generated -->
 *   one row per rule, sorted by id: link to the page, severity, and the rule's `summary` (its
 *   title when it has none).
 *
 * - In schemas/natlintrc.schema.json, `definitions.builtinRuleId.enum` (the ids) and
 *   `definitions.rules.properties` (one entry per id, described by its title), so that editors
 *   complete rule ids and flag mistyped ones.
 *
 * Pages without a rule file (the policy checks acl-must-permit, acl-must-deny) are not touched.
 *
 * Usage:
 *   node scripts/rule-docs.mjs           (npm run docs) rewrite the generated blocks that are stale
 *   node scripts/rule-docs.mjs --check   write nothing; list the stale files and exit 1 if any
 * A page whose markers are missing, unbalanced or name another rule is an error (exit 2).
 *
 * In process: `ruleDocs({ root, check })` returns `{ stale }`, the repository-relative paths
 * whose generated text differs from the rule files (written unless `check`).
 */
import { existsSync, readdirSync, readFileSync, realpathSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const PAGE_PARTS = ["header", "rationale", "references"];
const README_SOURCE = "rules/*.json";
const START = /^<!-- generated from (\S+?)(?: \(([a-z]+)\))?: do not edit -->$/;
const END = "<!-- end generated -->";

const startMarker = (source, part) => `<!-- generated from ${source}${part ? ` (${part})` : ""}: do not edit -->`;

/** The rule files of `root`/rules, sorted by id (code-unit order, as `natlint rules`). */
export function loadRules(root = ROOT) {
  const dir = join(root, "rules");
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json") && !f.endsWith(".schema.json"))
    .sort()
    .map((f) => {
      const rule = JSON.parse(readFileSync(join(dir, f), "utf8"));
      if (rule.id !== f.slice(0, -5)) throw new Error(`rules/${f}: id "${rule.id}" does not match the file name`);
      return rule;
    });
}

/** The generated parts of a rule's page, each without its markers. */
export function pageParts(rule) {
  const meta = [
    `- **Severity:** ${rule.severity}`,
    `- **Check:** \`${rule.check}\``,
    `- **Rule file:** [\`rules/${rule.id}.json\`](${rule.id}.json)`,
  ];
  if (rule.yieldsTo?.length) {
    const others = rule.yieldsTo.map((id) => `[\`${id}\`](${id}.md)`).join(", ");
    meta.push(`- **Yields to:** ${others} (on a line both report, only that finding is shown)`);
  }
  return {
    header: [`# ${rule.id}`, "", `**${rule.title}**`, "", ...meta, "", "## Description", "", rule.description].join("\n"),
    rationale: ["## Rationale", "", rule.rationale].join("\n"),
    references: [
      "## References",
      "",
      ...rule.references.map((r) => `- ${r}`),
      "- [Sources](../docs/sources.md): the facts natlint relies on, where they come from and how sure they are",
    ].join("\n"),
  };
}

function block(source, part, body) {
  return `${startMarker(source, part)}\n${body}\n\n${END}`;
}

/** A new page for a rule that has none: the generated blocks and the hand-written sections to fill in. */
function newPage(rule, parts) {
  const options = Object.keys(rule.options ?? {}).length
    ? "TODO: each option, its values and its default."
    : `None (\`"options": {}\`). Change the severity or turn the rule off in \`.natlintrc.json\`, e.g. \`"rules": { "${rule.id}": "off" }\`.`;
  return [
    block(`${rule.id}.json`, "header", parts.header),
    "",
    block(`${rule.id}.json`, "rationale", parts.rationale),
    "",
    "## Bad",
    "",
    "```cisco",
    `! TODO: a config for which natlint reports ${rule.id}`,
    "```",
    "",
    "TODO: the finding natlint reports, and why.",
    "",
    "## Good",
    "",
    "```cisco",
    "! TODO: the same config, fixed",
    "```",
    "",
    "## How to fix",
    "",
    "TODO",
    "",
    "## Options",
    "",
    options,
    "",
    block(`${rule.id}.json`, "references", parts.references),
    "",
  ].join("\n");
}

/**
 * `text` with the body of every generated block replaced. `expected` maps "source|part" to the
 * body; each must occur exactly once, and no other block may occur.
 */
function replaceBlocks(text, file, expected) {
  const lines = text.split("\n");
  const out = [];
  const seen = new Set();
  for (let i = 0; i < lines.length; i++) {
    const m = START.exec(lines[i]);
    if (!m) {
      if (lines[i] === END) throw new Error(`${file}:${i + 1}: "${END}" without a start marker`);
      out.push(lines[i]);
      continue;
    }
    const key = `${m[1]}|${m[2] ?? ""}`;
    if (!expected.has(key)) {
      throw new Error(`${file}:${i + 1}: unexpected marker "${lines[i]}" (expected: ${[...expected.keys()].map((k) => startMarker(...k.split("|"))).join(", ")})`);
    }
    if (seen.has(key)) throw new Error(`${file}:${i + 1}: a second block "${lines[i]}"`);
    seen.add(key);
    let j = i + 1;
    while (j < lines.length && lines[j] !== END) {
      if (START.test(lines[j])) throw new Error(`${file}:${i + 1}: block not closed by "${END}" before line ${j + 1}`);
      j++;
    }
    if (j === lines.length) throw new Error(`${file}:${i + 1}: block not closed by "${END}"`);
    const [source, part] = key.split("|");
    out.push(block(source, part, expected.get(key)));
    i = j;
  }
  for (const key of expected.keys()) {
    if (!seen.has(key)) {
      const [source, part] = key.split("|");
      throw new Error(`${file}: no block "${startMarker(source, part)}" … "${END}"; add the two marker lines where the generated text goes`);
    }
  }
  return out.join("\n");
}

/** The README rules table (without its markers). */
export function readmeTable(rules) {
  const cell = (s) => s.replace(/\|/g, "\\|");
  return [
    "| rule | severity | what it reports |",
    "|---|---|---|",
    ...rules.map((r) => `| [${r.id}](rules/${r.id}.md) | ${r.severity} | ${cell(r.summary ?? r.title)} |`),
  ].join("\n");
}

/** The config schema with the rule ids of `rules` (see the file comment). */
export function configSchemaText(schema, rules) {
  const defs = schema.definitions;
  defs.builtinRuleId.enum = rules.map((r) => r.id);
  defs.rules.properties = Object.fromEntries(rules.map((r) => [r.id, { description: r.title, $ref: "#/definitions/ruleSetting" }]));
  return JSON.stringify(schema, null, 2) + "\n";
}

/**
 * Bring the generated text of the pages and the README up to date with the rule files.
 * Returns the repository-relative paths that were stale (and, unless `check`, are now written).
 */
export function ruleDocs({ root = ROOT, check = false } = {}) {
  const rules = loadRules(root);
  const ids = new Set(rules.map((r) => r.id));
  /** @type {Array<[string, string]>} */
  const updates = [];

  for (const rule of rules) {
    const rel = `rules/${rule.id}.md`;
    const file = join(root, rel);
    const parts = pageParts(rule);
    if (!existsSync(file)) {
      updates.push([rel, newPage(rule, parts)]);
      continue;
    }
    const text = readFileSync(file, "utf8");
    const expected = new Map(PAGE_PARTS.map((p) => [`${rule.id}.json|${p}`, parts[p]]));
    const next = replaceBlocks(text, rel, expected);
    if (next !== text) updates.push([rel, next]);
  }

  // A page of no rule must not carry generated blocks (e.g. left behind by a renamed rule).
  for (const f of readdirSync(join(root, "rules")).filter((f) => f.endsWith(".md")).sort()) {
    if (ids.has(f.slice(0, -3))) continue;
    const text = readFileSync(join(root, "rules", f), "utf8");
    if (text.split("\n").some((l) => START.test(l))) throw new Error(`rules/${f}: generated blocks, but no rules/${f.slice(0, -3)}.json`);
  }

  const readme = readFileSync(join(root, "README.md"), "utf8");
  const nextReadme = replaceBlocks(readme, "README.md", new Map([[`${README_SOURCE}|`, readmeTable(rules)]]));
  if (nextReadme !== readme) updates.push(["README.md", nextReadme]);

  const schemaRel = "schemas/natlintrc.schema.json";
  if (existsSync(join(root, schemaRel))) {
    const text = readFileSync(join(root, schemaRel), "utf8");
    const next = configSchemaText(JSON.parse(text), rules);
    if (next !== text) updates.push([schemaRel, next]);
  }

  if (!check) for (const [rel, text] of updates) writeFileSync(join(root, rel), text);
  return { stale: updates.map(([rel]) => rel) };
}

function main(argv) {
  const check = argv.includes("--check");
  const unknown = argv.filter((a) => a !== "--check");
  if (unknown.length) {
    process.stderr.write(`usage: node scripts/rule-docs.mjs [--check]\n`);
    return 2;
  }
  let stale;
  try {
    ({ stale } = ruleDocs({ check }));
  } catch (e) {
    process.stderr.write(`rule-docs: ${e.message}\n`);
    return 2;
  }
  if (check) {
    if (stale.length === 0) {
      process.stdout.write("rule docs: up to date\n");
      return 0;
    }
    process.stderr.write(`rule docs: stale (run npm run docs):\n${stale.map((f) => `  ${f}\n`).join("")}`);
    return 1;
  }
  process.stdout.write(stale.length ? stale.map((f) => `rule docs: wrote ${f}\n`).join("") : "rule docs: up to date\n");
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  process.exitCode = main(process.argv.slice(2));
}
