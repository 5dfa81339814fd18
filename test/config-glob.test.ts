import { test } from "uvu";
import * as assert from "uvu/assert";
/** Globs are picomatch with natlint's basename and directory rules; ignore lists are .gitignore (the `ignore` package). */
import { compileGlobs, ignoreList, matchesGlob } from "../src/io/glob.js";
import { findConfigFiles } from "../src/io/files.js";
import { fileURLToPath } from "node:url";

test("braces, nested", () => {
  assert.ok(matchesGlob("a/b/d", "a/{b,c}/d"));
  assert.ok(matchesGlob("a/c/d", "a/{b,c}/d"));
  assert.ok(matchesGlob("y2.cfg", "{x,y{1,2}}.cfg"));
  assert.not.ok(matchesGlob("y3.cfg", "{x,y{1,2}}.cfg"));
});

test("* and ? stay within a segment", () => {
  assert.ok(matchesGlob("edge/r1.cfg", "edge/*.cfg"));
  assert.not.ok(matchesGlob("edge/x/r1.cfg", "edge/*.cfg"));
  assert.ok(matchesGlob("edge/r1.cfg", "edge/r?.cfg"));
  assert.not.ok(matchesGlob("edge/r10.cfg", "edge/r?.cfg"));
});

test("** matches zero or more segments", () => {
  assert.ok(matchesGlob("a.cfg", "**/*.cfg"));
  assert.ok(matchesGlob("x/y/z/a.cfg", "**/*.cfg"));
  assert.ok(matchesGlob("lab/a.cfg", "lab/**/*.cfg"));
  assert.ok(matchesGlob("lab/1/2/a.cfg", "lab/**/*.cfg"));
  assert.not.ok(matchesGlob("labx/a.cfg", "lab/**/*.cfg"));
  assert.ok(matchesGlob("lab", "lab/**"));
  assert.ok(matchesGlob("lab/q/r", "lab/**"));
  assert.ok(matchesGlob("anything/at/all", "**"));
});

test("braces, classes, escapes, ./ prefix", () => {
  assert.ok(matchesGlob("site/r1.conf", "site/*.{cfg,conf}"));
  assert.not.ok(matchesGlob("site/r1.txt", "site/*.{cfg,conf}"));
  assert.ok(matchesGlob("r3.cfg", "r[0-4].cfg"));
  assert.not.ok(matchesGlob("r7.cfg", "r[0-4].cfg"));
  assert.ok(matchesGlob("r7.cfg", "r[!0-4].cfg"));
  assert.ok(matchesGlob("a*b.cfg", "a\\*b.cfg"));
  assert.not.ok(matchesGlob("axb.cfg", "a\\*b.cfg"));
  assert.ok(matchesGlob("edge/a.cfg", "./edge/*.cfg"));
  assert.ok(matchesGlob("a+b (1).cfg", "a+b (1).cfg"), "regex specials are literal");
});

test("patterns without a slash match the basename anywhere", () => {
  assert.ok(matchesGlob("deep/dir/x.bak", "*.bak"));
  assert.ok(matchesGlob("x.bak", "*.bak"));
  assert.not.ok(matchesGlob("deep/dir/x.bak", "/*.bak"), "leading / anchors to the base directory");
});

test("ignore lists (.gitignore syntax): a pattern also covers everything below a matching directory; ! re-includes", () => {
  const ig = ignoreList(["build/", "tmp", "out/*", "!out/keep.cfg"]);
  const ignored = (p: string) => ig.test(p).ignored;
  assert.ok(ignored("build/a.cfg"));
  assert.ok(ignored("x/build/a.cfg"));
  assert.ok(ignored("tmp/a/b.cfg"));
  assert.ok(ignored("out/x/y.cfg"));
  assert.not.ok(ignored("out/keep.cfg"), "negation re-includes");
  assert.not.ok(ignored("builder/a.cfg"));
  assert.is(ig.test("tmp/a/b.cfg").pattern, "tmp");
  assert.not.ok(ignored("../elsewhere/tmp/a.cfg"), "outside the list's directory: never");
  const overrides = compileGlobs(["tmp"]);
  assert.not.ok(overrides("tmp/a.cfg"));
  assert.ok(overrides("x/tmp"));
});

test("negation in glob lists: the last matching pattern decides", () => {
  const m = compileGlobs(["lab/**", "!lab/keep/**", "lab/keep/this.cfg"]);
  assert.ok(m("lab/a.cfg"));
  assert.not.ok(m("lab/keep/b.cfg"));
  assert.ok(m("lab/keep/this.cfg"));
  const only = compileGlobs(["!*.bak"]);
  assert.ok(only("a.cfg"), "exclusions alone start from everything");
  assert.not.ok(only("x/a.bak"));
});

test("operand globs are expanded (fast-glob): every match, none outside it; a missing plain path is an error", () => {
  const cwd = fileURLToPath(new URL("..", import.meta.url));
  const r = findConfigFiles(["examples/ios-*.cfg"], { cwd });
  assert.equal(r.files.map((f) => f.slice(cwd.length)), ["examples/ios-headend-pinned.cfg", "examples/ios-pat-broken.cfg", "examples/ios-pat-fixed.cfg"]);
  assert.throws(() => findConfigFiles(["examples/nosuch.cfg"], { cwd }), /no such file or directory/);
  assert.throws(() => findConfigFiles(["examples/*.nosuch"], { cwd }), /no files match this pattern/);
});

test.run();
