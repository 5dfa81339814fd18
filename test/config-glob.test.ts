import { test } from "uvu";
import * as assert from "uvu/assert";
import { compileGlobs, expandBraces, matchesGlob } from "../src/io/glob.js";

test("expandBraces", () => {
  assert.equal(expandBraces("a/{b,c}/d"), ["a/b/d", "a/c/d"]);
  assert.equal(expandBraces("{x,y{1,2}}.cfg"), ["x.cfg", "y1.cfg", "y2.cfg"]);
  assert.equal(expandBraces("plain"), ["plain"]);
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

test("prefix mode (ignore): a pattern also covers everything below a matching directory", () => {
  const ignore = compileGlobs(["build/", "tmp", "out/*"], { prefixes: true });
  assert.ok(ignore("build/a.cfg"));
  assert.ok(ignore("x/build/a.cfg"));
  assert.ok(ignore("tmp/a/b.cfg"));
  assert.ok(ignore("out/x/y.cfg"));
  assert.not.ok(ignore("builder/a.cfg"));
  const overrides = compileGlobs(["tmp"]);
  assert.not.ok(overrides("tmp/a.cfg"));
  assert.ok(overrides("x/tmp"));
});

test.run();
