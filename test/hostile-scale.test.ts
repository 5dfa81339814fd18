/**
 * Issue #11's "done when" inputs at full size: a 1 GiB config (sparse: the size is checked before
 * reading, so it costs nothing), a 100,000-deep nesting of object-groups and two self-referencing
 * symbolic links each end within their limits with one clear message. The nesting (about 200,000
 * lines) runs with NATLINT_SLOW_TESTS=1, as in CI; test/limits.test.ts has it small.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdirSync, mkdtempSync, openSync, closeSync, ftruncateSync, symlinkSync, writeFileSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { lintText } from "../src/api/index.js";
import { renderRemedy } from "../src/model/config-edit.js";
import { applyDeviceCommands } from "../src/model/device-cli.js";
import { splitLines } from "../src/model/edits.js";
import { parseConfig } from "../src/parse/index.js";
import { cli } from "./helpers/cli.js";

const tmp = mkdtempSync(join(tmpdir(), "natlint-scale-"));
const slow = process.env.NATLINT_SLOW_TESTS === "1" ? test : test.skip;
const BROKEN = readFileSync(new URL("../examples/ios-pat-broken.cfg", import.meta.url), "utf8");

function sparse(name: string, bytes: number): string {
  const f = join(tmp, name);
  const fd = openSync(f, "w");
  ftruncateSync(fd, bytes);
  closeSync(fd);
  return f;
}

test("a 1 GiB config: one unsupported-input finding, never read (was: a V8 heap-OOM abort for 200 MB, exit 134)", async () => {
  const big = sparse("huge.cfg", 1024 ** 3);
  const r = await cli(["lint", "--format", "json", big], { cwd: tmp });
  assert.is(r.code, 1, r.stderr);
  const j = JSON.parse(r.stdout) as { findings: Array<{ ruleId: string; message: string }> };
  assert.is(j.findings.length, 1);
  assert.is(j.findings[0]!.ruleId, "unsupported-input");
  assert.match(j.findings[0]!.message, /this file is 1 GiB, more than natlint's file-size limit of 64 MiB \(--max-file-size\): it was not read/);
  // with --cache too (the cache hashes files: it must not read this one)
  const c = await cli(["lint", "--format", "json", "--cache", "--cache-location", join(tmp, "cache"), big], { cwd: tmp });
  assert.is(c.code, 1, c.stderr);
  // the commands that need the file: one line, exit 2
  for (const argv of [["explain", big], ["flow", big, "--acl", "A", "tcp 10.0.0.1 1 10.0.0.2 2"], ["search", big, "--acl", "A", "--action", "permit", "ip any any"]]) {
    const e = await cli(argv, { cwd: tmp });
    assert.is(e.code, 2, `${argv[0]}: ${e.stderr}`);
    assert.is(e.stderr.trim().split("\n").length, 1, e.stderr);
    assert.match(e.stderr, /huge\.cfg: the file is 1 GiB, more than natlint reads \(64 MiB/);
  }
});

test("two self-referencing symbolic links in a linted folder: the search ends, the real file is linted once", async () => {
  const d = join(tmp, "links");
  mkdirSync(d);
  writeFileSync(join(d, "r1.cfg"), BROKEN);
  symlinkSync(join(d, "a"), join(d, "a"));
  symlinkSync(d, join(d, "self"));
  const t0 = performance.now();
  const r = await cli(["lint", "--format", "json", d], { cwd: tmp });
  assert.ok(performance.now() - t0 < 30_000);
  assert.is(r.code, 1, r.stderr);
  const j = JSON.parse(r.stdout) as { files: Array<{ path: string }> };
  assert.is(j.files.length, 1, JSON.stringify(j.files));
  const f = await cli(["lint", "--format", "json", "--follow-symlinks", d], { cwd: tmp });
  assert.is((JSON.parse(f.stdout) as { files: unknown[] }).files.length, 1, f.stderr);
});

/** A chain of `n` nested object-groups (IOS or ASA syntax) used by an ACL line, with a line it shadows. */
function chain(n: number, asa: boolean): string {
  const out = asa ? ["ASA Version 9.8(1)", "hostname fw"] : ["hostname r1"];
  for (let i = 0; i < n; i++) out.push(`object-group network G${i}`, i + 1 < n ? ` group-object G${i + 1}` : asa ? " network-object host 10.0.0.1" : " host 10.0.0.1");
  if (asa) out.push("access-list A extended permit ip object-group G0 any", "access-list A extended deny ip host 10.0.0.1 any", "access-group A in interface inside");
  else out.push("ip access-list extended A", " permit ip object-group G0 any", " deny ip host 10.0.0.1 any", "interface Gi0/1", " ip access-group A in");
  return `${out.join("\n")}\n`;
}

for (const asa of [false, true])
  slow(`${asa ? "ASA" : "IOS"}: a 100,000-deep nesting is one limit message per chain; with the limit raised, no recursion (was: a stack overflow emptied the group, the verdict flipped)`, async () => {
    const text = chain(100_000, asa);
    const r = await lintText(text, { filename: "deep.cfg", config: false, proveFixes: false });
    const cuts = r.findings.filter((f) => /is left out of/.test(f.message));
    assert.is(cuts.length, 1, JSON.stringify(cuts.map((f) => f.message)));
    assert.match(cuts[0]!.message, /nesting-depth limit of 1000 \(--max-nesting-depth\); the same chain of nested groups is cut 98 more times/);
    assert.not.ok(r.findings.some((f) => f.ruleId === "shadowed-line"), "the incomplete group proves nothing");
    const full = await lintText(text, { filename: "deep.cfg", config: false, proveFixes: false, limits: { nestingDepth: 10_000_000 } });
    assert.ok(full.findings.some((f) => f.ruleId === "shadowed-line"), JSON.stringify(full.findings.map((f) => f.message)));
  });

// Math.max(...xs) and out.push(...xs) pass every element as an argument: past about 120,000 they
// overflow the call stack ("Maximum call stack size exceeded"), which is an internal error, exit 2
// 250,000 in CI (NATLINT_SLOW_TESTS=1); 150,000 by default, still past the limit
const BIG = process.env.NATLINT_SLOW_TESTS === "1" ? 250_000 : 150_000;
const bigAcl = (() => {
  const out = ["hostname r1", "ip access-list extended BIG", " 5 permit udp any host 192.0.2.2 eq isakmp"];
  for (let i = 0; i < BIG; i++) out.push(` ${10 * (i + 1)} deny tcp host 10.0.0.1 any eq ${1 + (i % 60_000)}`);
  return `${out.join("\n")}\n`;
})();

test(`a fix of a ${BIG.toLocaleString("en")}-line IOS ACL is rendered (was: a stack overflow finding the free sequence numbers)`, () => {
  const { device } = parseConfig(bigAcl, "big.cfg");
  const acl = device.acls.get("BIG")!;
  assert.is(acl.entries.length, BIG + 1);
  const ace = acl.entries[0]!;
  const r = renderRemedy(device, splitLines(bigAcl), { describe: "t", intent: { change: "none" }, edits: [{ kind: "insertAfter", acl: "BIG", ace, bodies: ["permit udp any host 192.0.2.2 eq non500-isakmp"] }] });
  assert.ok("edits" in r, JSON.stringify(r));
  assert.equal(r.edits, [{ line: 3, op: "insertAfter", text: " 7 permit udp any host 192.0.2.2 eq non500-isakmp" }]);
});

test(`device commands on a ${BIG.toLocaleString("en")}-line IOS ACL apply (was: a stack overflow numbering and writing the entries)`, () => {
  const out = applyDeviceCommands("ios", bigAcl, "ip access-list extended BIG\n permit udp any any eq 4500\nexit\n").split("\n");
  assert.is(out.length, BIG + 5);
  assert.equal(out.slice(-3), [` ${10 * BIG} deny tcp host 10.0.0.1 any eq ${1 + ((BIG - 1) % 60_000)}`, ` ${10 * BIG + 10} permit udp any any eq 4500`, ""]);
});

test.run();
