/**
 * Which files `natlint lint` reads: configs found by content, not by name; .gitignore,
 * .natlintignore and the config's ignore (with negation); globs and `!` exclusions; ignored-only
 * input warns and exits 0; symbolic links stay inside the searched tree unless asked; shards.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { lint } from "../src/api/index.js";
import { looksLikeConfigText } from "../src/io/sniff.js";
import { cli } from "./helpers/cli.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const CFG = readFileSync(join(ROOT, "examples/ios-pat-fixed.cfg"), "utf8");

function tree(files: Record<string, string>): string {
  const d = mkdtempSync(join(tmpdir(), "natlint-files-"));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(d, rel)), { recursive: true });
    writeFileSync(join(d, rel), text);
  }
  return d;
}

const paths = async (cwd: string, patterns: string[] = ["."], extra: Parameters<typeof lint>[0] = {}) =>
  (await lint({ cwd, patterns, config: false, ...extra })).files.map((f) => f.path);

test("the sniff: configs by their lines, not by their names", () => {
  assert.ok(looksLikeConfigText(CFG));
  assert.ok(looksLikeConfigText("ASA Version 9.8(2)\n!\nhostname fw\n"));
  assert.ok(looksLikeConfigText("ip access-list extended EDGE\n permit tcp any any eq 443\n"));
  assert.ok(looksLikeConfigText("!RANCID-CONTENT-TYPE: cisco\nhostname r1"));
  assert.not.ok(looksLikeConfigText("* @network-team\n/configs/ @netops\n"), "CODEOWNERS");
  assert.not.ok(looksLikeConfigText("1.4.2\n"), "VERSION");
  assert.not.ok(looksLikeConfigText("requests==2.31.0\nPyYAML>=6\n"), "requirements.txt");
  assert.not.ok(looksLikeConfigText("#!/bin/sh\nhostname -f\nset -e\n"), "a script with one weak marker");
  assert.not.ok(looksLikeConfigText("MIT License\n\nCopyright (c) 2026\n"));
});

test("a directory search picks configs by content; named non-configs are still linted", async () => {
  const d = tree({
    "r1.cfg": CFG,
    "rancid/edge-rtr": CFG,
    "CODEOWNERS": "* @netops\n",
    "VERSION": "1.0.0\n",
    "requirements.txt": "pyyaml==6.0\n",
    "LICENSE.txt": "MIT License\n",
    "deploy.sh": "#!/bin/sh\nscp r1.cfg router:\n",
    ".hidden/x.cfg": CFG,
    "node_modules/pkg/a.cfg": CFG,
    "docs/page.md": "# A page\n\n```cisco\n" + CFG + "```\n",
    "test/fixture.ts": "export const CFG = `\n" + CFG + "`;\n",
    "templates/r.cfg.j2": CFG,
    "run-lint": "#!/bin/sh\n" + CFG,
  });
  assert.equal(await paths(d), ["r1.cfg", "rancid/edge-rtr"], "docs, code and templates quoting config lines are not configs");
  assert.equal(await paths(d, ["VERSION"]), ["VERSION"], "a file named on the command line is linted as it is");
  assert.equal(await paths(d, ["VERSION", "r1.cfg"], { onlyConfigFiles: true }), ["r1.cfg"], "--only-config-files sniffs named files too");
  const r = await cli(["lint", "--no-config", "--only-config-files", "VERSION"], { cwd: d });
  assert.is(r.code, 0, "the pre-commit hook with only non-configs staged passes");
});

test(".gitignore and .natlintignore in every directory from the repository root, with negation", async () => {
  const d = tree({
    ".git/HEAD": "ref: refs/heads/main\n",
    ".gitignore": "*.bak\nold-*.cfg\n!old-keep.cfg\nbuild/\n",
    "configs/a.cfg": CFG,
    "configs/a.cfg.bak": CFG,
    "configs/old-x.cfg": CFG,
    "configs/old-keep.cfg": CFG,
    "build/out.cfg": CFG,
    "lab/.natlintignore": "scratch/\n",
    "lab/scratch/s.cfg": CFG,
    "lab/real.cfg": CFG,
  });
  assert.equal(await paths(d), ["configs/a.cfg", "configs/old-keep.cfg", "lab/real.cfg"]);
  assert.equal(await paths(join(d, "lab")), ["real.cfg"], "ignore files above cwd, up to the repository root, apply");
  assert.equal((await paths(d, ["."], { noIgnore: true })).length, 7, "--no-ignore reads them all");
});

test("the config's ignore is .gitignore syntax relative to the config file, with ! re-including", async () => {
  const d = tree({ "archive/a.cfg": CFG, "archive/keep.cfg": CFG, "live/b.cfg": CFG, "x.cfg": CFG });
  writeFileSync(join(d, ".natlintrc.json"), JSON.stringify({ ignore: ["archive/*", "!archive/keep.cfg", "/x.cfg"] }));
  assert.equal((await lint({ cwd: d })).files.map((f) => f.path), ["archive/keep.cfg", "live/b.cfg"]);
});

test("only ignored input: a warning and exit 0 (with an empty report); an ignored named file among others is skipped with a warning", async () => {
  const d = tree({ "old/a.cfg": CFG, "b.cfg": CFG, ".natlintignore": "old/\n" });
  const r = await cli(["lint", "--no-config", "old/a.cfg", "--format", "json"], { cwd: d });
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stderr, /natlint: warning: old\/a\.cfg: ignored by \.natlintignore "old\/" \(--no-ignore lints it\)/);
  assert.equal(JSON.parse(r.stdout).files, []);
  const dir = await cli(["lint", "--no-config", "old"], { cwd: d });
  assert.is(dir.code, 0);
  assert.match(dir.stderr, /all 1 files are ignored|ignored/);
  const both = await cli(["lint", "--no-config", "--format", "json", "old/a.cfg", "b.cfg"], { cwd: d });
  assert.equal((JSON.parse(both.stdout) as { files: Array<{ path: string }> }).files.map((f) => f.path), ["b.cfg"]);
  assert.match(both.stderr, /old\/a\.cfg: ignored/);
  const none = await cli(["lint", "--no-config", "nothing-here"], { cwd: d });
  assert.is(none.code, 2, "a missing operand stays an error");
});

test("globs are picomatch, and !GLOB operands exclude", async () => {
  const d = tree({ "site1/r1.cfg": CFG, "site1/lab/r2.cfg": CFG, "site2/r3.conf": CFG, "site2/notes.md": "# notes\n" });
  assert.equal(await paths(d, ["site*/**/*.{cfg,conf}"]), ["site1/lab/r2.cfg", "site1/r1.cfg", "site2/r3.conf"]);
  assert.equal(await paths(d, ["site1", "site2", "!**/lab/**"]), ["site1/r1.cfg", "site2/r3.conf"]);
  const r = await cli(["lint", "--no-config", "site9/*.cfg"], { cwd: d });
  assert.is(r.code, 2);
  assert.match(r.stderr, /site9\/\*\.cfg: no files match this pattern/);
});

test("symbolic links: followed inside the searched tree, not out of it unless --follow-symlinks; cycles end", async () => {
  const outside = tree({ "far.cfg": CFG });
  const d = tree({ "repo/a.cfg": CFG, "repo/sub/b.cfg": CFG });
  symlinkSync(join(d, "repo/sub"), join(d, "repo/sub-link"));
  symlinkSync(outside, join(d, "repo/ext"));
  symlinkSync(join(d, "repo"), join(d, "repo/sub/loop"));
  const repo = join(d, "repo");
  assert.equal(await paths(repo), ["a.cfg", "sub/b.cfg"], "sub entered once (the link to it is not entered again), no loop, no ext");
  const r = await cli(["lint", "--no-config", "."], { cwd: repo });
  assert.match(r.stderr, /natlint: note: 1 symbolic link not followed .*ext/);
  assert.equal(await paths(repo, ["."], { followSymlinks: true }), ["a.cfg", "ext/far.cfg", "sub/b.cfg"]);
  assert.equal(await paths(repo, ["sub-link/b.cfg", "sub/b.cfg"]), ["sub-link/b.cfg"], "one real file is linted once");
});

test("--shard i/n splits the files into disjoint shards that cover them all", async () => {
  const files: Record<string, string> = {};
  for (let i = 0; i < 12; i++) files[`s/r${i}.cfg`] = CFG;
  const d = tree(files);
  const all = await paths(d);
  const shards = await Promise.all([1, 2, 3].map((i) => paths(d, ["."], { shard: { index: i, count: 3 } })));
  assert.equal(shards.flat().sort(), all);
  assert.is(new Set(shards.flat()).size, all.length);
  assert.ok(shards.every((s) => s.length < all.length));
  assert.is((await cli(["lint", "--shard", "4/3", "."], { cwd: d })).code, 2);
});

test.run();
