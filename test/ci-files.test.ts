/**
 * The CI integrations stay true to the command line: every flag the GitHub Action (action.yml)
 * passes exists, its inputs are documented, the pre-commit hook lints what `natlint lint DIR`
 * would pick (same sniff, same ignore files), and the README has its "Use in CI" and "Editor"
 * sections.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { LINT_OPTIONS } from "../src/cli/lint.js";
import { lint } from "../src/api/index.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const read = (f: string) => readFileSync(join(ROOT, f), "utf8");

test("action.yml: its flags exist, its inputs are in the README", () => {
  const action = read("action.yml");
  const flags = [...action.matchAll(/(?<![\w-])--([a-z][a-z-]+)/g)].map((m) => m[1]!).filter((f) => !["no-audit", "no-fund", "loglevel"].includes(f));
  assert.ok(flags.length >= 3);
  const known = new Set(LINT_OPTIONS.map((o) => o.name));
  for (const f of flags) assert.ok(known.has(f), `action.yml passes --${f}, which natlint lint does not have`);
  const inputs = [...action.slice(action.indexOf("inputs:"), action.indexOf("outputs:")).matchAll(/^ {2}([a-z-]+):$/gm)].map((m) => m[1]!);
  assert.equal(inputs, ["paths", "format", "sarif-file", "upload-sarif", "fail-on", "args", "node-version"]);
  const readme = read("README.md");
  for (const i of inputs) assert.match(readme, `\`${i}\``, `README documents the input ${i}`);
});

test("the pre-commit hook passes text files to --only-config-files: the same files as a directory search", async () => {
  const hook = read(".pre-commit-hooks.yaml");
  assert.match(hook, /entry: natlint lint --only-config-files\n/);
  assert.match(hook, /types: \[text\]/);
  assert.not.match(hook, /^\s*files:/m, "no file pattern of its own");
  const d = mkdtempSync(join(tmpdir(), "natlint-hook-"));
  const cfg = read("examples/ios-pat-fixed.cfg");
  const files: Record<string, string> = { "r1.cfg": cfg, "edge-rtr": cfg, "README.md": "# configs\n", "VERSION": "1\n", "old.cfg": cfg, ".natlintignore": "old.cfg\n" };
  for (const [f, t] of Object.entries(files)) writeFileSync(join(d, f), t);
  const search = (await lint({ cwd: d, config: false })).files.map((f) => f.path);
  const staged = (await lint({ cwd: d, config: false, patterns: Object.keys(files), onlyConfigFiles: true })).files.map((f) => f.path);
  assert.equal(staged, search);
  assert.equal(search, ["edge-rtr", "r1.cfg"]);
});

test("README: Use in CI (Action, pre-commit, GitLab) and Editor (VS Code, Neovim)", () => {
  const readme = read("README.md");
  const section = (h: string) => {
    const i = readme.indexOf(`\n## ${h}\n`);
    assert.ok(i >= 0, `README has ## ${h}`);
    const j = readme.indexOf("\n## ", i + 4);
    return readme.slice(i, j < 0 ? undefined : j);
  };
  const ci = section("Use in CI");
  for (const w of ["GitHub Action", "pre-commit", "GitLab", "upload-sarif"]) assert.match(ci, w);
  const ed = section("Editor");
  for (const w of ["VS Code", "Neovim", "natlint lsp --stdio"]) assert.match(ed, w);
  assert.match(readme, /ES module/);
});

test.run();
