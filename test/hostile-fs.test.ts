/**
 * Issue #11's reproducers for files, folders and messages, rebuilt from the audit's
 * descriptions: special files, rulesDirs mistakes, config discovery bounds, messages that name
 * the file and the key and never quote a file's bytes.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { cli } from "./helpers/cli.js";
import { configSearchDirs, findConfigFile } from "../src/engine/config-load.js";
import { loadRuleFile } from "../src/engine/rules.js";
import { fsReason } from "../src/core/errors.js";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const EXAMPLE = join(ROOT, "examples/ios-pat-broken.cfg");
const tmp = mkdtempSync(join(tmpdir(), "natlint-hostile-fs-"));

function oneLine(r: { code: number; stderr: string }, re: RegExp | string): void {
  assert.is(r.code, 2, r.stderr);
  assert.is(r.stderr.trim().split("\n").length, 1, r.stderr);
  assert.match(r.stderr, re);
  assert.not.match(r.stderr, /internal error|\n\s+at /);
}

test("special files get their own message, never 'no such file' (a FIFO is never opened: it would block)", async () => {
  const fifo = join(tmp, "pipe");
  execFileSync("mkfifo", [fifo]);
  oneLine(await cli(["lint", fifo], { cwd: tmp }), "is a FIFO (named pipe), not a config file");
  oneLine(await cli(["lint", "/dev/null"], { cwd: tmp }), "/dev/null: is a character device");
  oneLine(await cli(["lint", "--only-config-files", fifo], { cwd: tmp }), "FIFO");
  oneLine(await cli(["lint", join(tmp, "missing.cfg")], { cwd: tmp }), "no such file or directory");
});

test("file-system errors in words: a folder that cannot be entered is 'permission denied', not 'no such file'", () => {
  assert.is(fsReason(Object.assign(new Error("x"), { code: "EACCES" })), "permission denied (EACCES)");
  assert.is(fsReason(Object.assign(new Error("x"), { code: "ELOOP" })), "too many levels of symbolic links (ELOOP)");
  assert.is(fsReason(Object.assign(new Error("x"), { code: "EWEIRD" })), "EWEIRD");
});

test("rulesDirs naming a file, or holding a folder named like a rule file: a clear config error (was: internal error)", async () => {
  const d = join(tmp, "rules-mistakes");
  mkdirSync(join(d, ".git"), { recursive: true });
  copyFileSync(EXAMPLE, join(d, "r1.cfg"));
  writeFileSync(join(d, "notadir"), "x");
  writeFileSync(join(d, ".natlintrc.json"), JSON.stringify({ rulesDirs: ["notadir"] }));
  oneLine(await cli(["lint", "r1.cfg"], { cwd: d }), "notadir: rulesDirs must name folders of rule files");
  mkdirSync(join(d, "rules/odd.json"), { recursive: true });
  writeFileSync(join(d, ".natlintrc.json"), JSON.stringify({ rulesDirs: ["rules"] }));
  oneLine(await cli(["lint", "r1.cfg"], { cwd: d }), "rules/odd.json: a folder named like a rule file");
  writeFileSync(join(d, ".natlintrc.json"), JSON.stringify({ rulesDirs: ["nowhere"] }));
  oneLine(await cli(["lint", "r1.cfg"], { cwd: d }), "nowhere: rules folder not found");
});

test('{"clients": 100000} in a config names the file and the key, not the --clients flag', async () => {
  const d = join(tmp, "clients");
  mkdirSync(join(d, ".git"), { recursive: true });
  copyFileSync(EXAMPLE, join(d, "r1.cfg"));
  writeFileSync(join(d, ".natlintrc.json"), '{\n  "clients": 100000\n}\n');
  const r = await cli(["lint", "r1.cfg"], { cwd: d });
  oneLine(r, ".natlintrc.json:2:3: clients: must be <= 65535");
  assert.not.match(r.stderr, "--clients");
});

test("--baseline of an arbitrary file names it and its position, and quotes none of its bytes", async () => {
  const r = await cli(["lint", EXAMPLE, "--baseline", "/etc/passwd", "--no-config"], { cwd: tmp });
  oneLine(r, "/etc/passwd:1:1: invalid JSON");
  assert.not.match(r.stderr, /root|'r'/);
  oneLine(await cli(["lint", EXAMPLE, "--baseline", "/etc", "--no-config"], { cwd: tmp }), "/etc: cannot read baseline file: is a directory (EISDIR)");
});

test("a custom rule's docs URL stays a URL (not a path beside the rule file)", () => {
  const d = join(tmp, "docs-url");
  mkdirSync(d, { recursive: true });
  const rule = { id: "corp-web", title: "Corp web rule", severity: "error", description: "No telnet.", rationale: "Clear text.", references: [], check: "acl-must-deny", options: { space: "tcp any any any 23" }, docs: "https://wiki.example.com/natlint/corp-web?x=1#top" };
  writeFileSync(join(d, "corp-web.json"), JSON.stringify(rule));
  assert.is(loadRuleFile(join(d, "corp-web.json"), d).docs, rule.docs);
});

test("config discovery stops at the repository root and the home folder; outside both, only the start folder", async () => {
  const d = join(tmp, "discovery");
  mkdirSync(join(d, "repo/.git"), { recursive: true });
  mkdirSync(join(d, "repo/sub/deeper"), { recursive: true });
  copyFileSync(EXAMPLE, join(d, "repo/sub/deeper/r1.cfg"));
  // a world-writable parent above the repository turns every rule off: it must not apply
  writeFileSync(join(d, ".natlintrc.json"), JSON.stringify({ rules: { "pat-drops-ipsec": "off" } }));
  assert.equal(configSearchDirs(join(d, "repo/sub/deeper")), [join(d, "repo/sub/deeper"), join(d, "repo/sub"), join(d, "repo")]);
  assert.is(findConfigFile(join(d, "repo/sub/deeper")), undefined);
  const r = await cli(["lint", "r1.cfg", "--format", "json"], { cwd: join(d, "repo/sub/deeper") });
  assert.ok((JSON.parse(r.stdout) as { findings: Array<{ ruleId: string }> }).findings.some((f) => f.ruleId === "pat-drops-ipsec"), "the parent's config applied");
  // the repository's own config applies from any depth
  writeFileSync(join(d, "repo/.natlintrc.json"), JSON.stringify({ clients: 7 }));
  assert.is(findConfigFile(join(d, "repo/sub/deeper")), join(d, "repo/.natlintrc.json"));
  // the home folder bounds it too
  assert.equal(configSearchDirs(join(d, "home/me/x"), join(d, "home/me")), [join(d, "home/me/x"), join(d, "home/me")]);
  // neither repository nor home above: the start folder only
  mkdirSync(join(d, "loose/a"), { recursive: true });
  assert.equal(configSearchDirs(join(d, "loose/a"), "/nonexistent-home"), [join(d, "loose/a")]);
});

test("--print-config says which config applied and where the search looked", async () => {
  const d = join(tmp, "print");
  mkdirSync(join(d, ".git"), { recursive: true });
  mkdirSync(join(d, "sub"), { recursive: true });
  copyFileSync(EXAMPLE, join(d, "sub/r1.cfg"));
  writeFileSync(join(d, ".natlintrc.json"), JSON.stringify({ clients: 4 }));
  const found = JSON.parse((await cli(["lint", "--print-config", "r1.cfg"], { cwd: join(d, "sub") })).stdout) as Record<string, unknown>;
  assert.is(found.configSource, "found");
  assert.equal(found.configFiles, [join(d, ".natlintrc.json")]);
  assert.equal(found.configSearched, [join(d, "sub"), d]);
  const none = JSON.parse((await cli(["lint", "--print-config", "r1.cfg", "--no-config"], { cwd: join(d, "sub") })).stdout) as Record<string, unknown>;
  assert.is(none.configSource, "none");
  const named = JSON.parse((await cli(["lint", "--print-config", "r1.cfg", "--config", "../.natlintrc.json"], { cwd: join(d, "sub") })).stdout) as Record<string, unknown>;
  assert.is(named.configSource, "--config");
});

test.run();
