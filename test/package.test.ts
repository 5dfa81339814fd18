/**
 * The package as users get it: `npm pack --silent` prints only the tarball's name (what scripts
 * read; the build's own output goes to stderr), and the tarball installs into a fresh project where
 * the binary runs, `import { lint } from "natlint"` works, and the types resolve for TypeScript.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as Record<string, unknown> & { name: string; version: string };
const npm = process.platform === "win32" ? "npm.cmd" : "npm";

test("package.json: metadata, ESM exports with types, the build in prepare (quiet on stdout)", () => {
  for (const k of ["homepage", "repository", "bugs", "license", "engines"]) assert.ok(pkg[k], `package.json has ${k}`);
  assert.is(pkg.type, "module");
  const exp = (pkg.exports as Record<string, Record<string, string>>)["."]!;
  assert.equal(Object.keys(exp)[0], "types", "types first, as TypeScript requires");
  const scripts = pkg.scripts as Record<string, string>;
  assert.is(scripts.prepare, "node scripts/build.mjs", "built in prepare: npm runs it on pack, publish, local and git installs (pacote runs only prepare for git)");
  assert.is(scripts.prepack, undefined, "no second build on npm pack");
});

// Packing and installing takes most of the suite's time: CI runs it (.ci/run sets NATLINT_SLOW_TESTS=1).
const slow = process.env.NATLINT_SLOW_TESTS === "1" ? test : test.skip;
if (process.env.NATLINT_SLOW_TESTS !== "1") console.log("  package: tarball install skipped (set NATLINT_SLOW_TESTS=1, as CI does, to pack and install it)");

slow("npm pack --silent prints only the tarball name; it installs and runs in a fresh project", () => {
  const out = mkdtempSync(join(tmpdir(), "natlint-pack-"));
  const packed = execFileSync(npm, ["pack", "--silent", "--pack-destination", out], { cwd: ROOT, encoding: "utf8", env: { ...process.env, npm_config_update_notifier: "false" } });
  const name = `${pkg.name}-${pkg.version}.tgz`;
  assert.is(packed, `${name}\n`);
  const tarball = join(out, name);
  assert.ok(existsSync(tarball));
  const proj = mkdtempSync(join(tmpdir(), "natlint-proj-"));
  writeFileSync(join(proj, "package.json"), JSON.stringify({ name: "consumer", version: "1.0.0", type: "module", private: true }));
  const inst = spawnSync(npm, ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error", tarball], { cwd: proj, encoding: "utf8" });
  assert.is(inst.status, 0, inst.stderr);
  const bin = join(proj, "node_modules/.bin/natlint");
  const v = spawnSync(bin, ["--version"], { cwd: proj, encoding: "utf8" });
  assert.is(v.stdout, `${pkg.version}\n`, v.stderr);
  writeFileSync(join(proj, "r1.cfg"), readFileSync(join(ROOT, "examples/ios-pat-broken.cfg"), "utf8"));
  const l = spawnSync(bin, ["lint", "--format", "json", "r1.cfg"], { cwd: proj, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  assert.is(l.status, 1, l.stderr);
  assert.ok((JSON.parse(l.stdout) as { findings: Array<{ ruleId: string }> }).findings.some((f) => f.ruleId === "pat-drops-ipsec"));
  writeFileSync(join(proj, "use.mjs"), 'import { lint } from "natlint";\nconst r = await lint({ patterns: ["r1.cfg"], config: false });\nprocess.stdout.write(String(r.summary.errors));\n');
  const use = spawnSync(process.execPath, ["use.mjs"], { cwd: proj, encoding: "utf8" });
  assert.is(use.stdout.trim(), "4", use.stderr);
  // the installed package's SARIF points at the doc pages of this version
  const sarif = spawnSync(bin, ["lint", "--format", "sarif", "r1.cfg"], { cwd: proj, encoding: "utf8" });
  assert.match(sarif.stdout, new RegExp(`/blob/v${pkg.version.replace(/\./g, "\\.")}/rules/pat-drops-ipsec\\.md`));
  assert.match(sarif.stdout, /## How to fix/, "the doc pages ship in the package");
  // types resolve through the exports map
  writeFileSync(join(proj, "use.ts"), 'import { lint, type LintResult, type RuleSetting, type BaselineFile, type RuleDetails } from "natlint";\nconst r: Promise<LintResult> = lint({ concurrency: "auto" });\nconst s: RuleSetting = { severity: "warning" };\nconst b: BaselineFile = { version: 1, entries: [] };\nconst d: RuleDetails["shadowed-line"]["reason"] = "blocked";\nvoid [r, s, b, d];\n');
  writeFileSync(join(proj, "tsconfig.json"), JSON.stringify({ compilerOptions: { module: "NodeNext", moduleResolution: "NodeNext", target: "ES2022", strict: true, noEmit: true, skipLibCheck: false, types: [] }, files: ["use.ts"] }));
  const tsc = spawnSync(process.execPath, [join(ROOT, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.json"], { cwd: proj, encoding: "utf8" });
  assert.is(tsc.status, 0, tsc.stdout + tsc.stderr);
});

test.run();
