/** The fix flags and command through the CLI entry point (test/helpers/cli.ts). */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { applyPatch } from "diff";
import { cli } from "./helpers/cli.js";
import { applyDeviceCommands } from "../src/model/device-cli.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const BROKEN = join(ROOT, "examples/ios-pat-broken.cfg");

function scratch(): string {
  const d = mkdtempSync(join(tmpdir(), "natlint-clifix-"));
  copyFileSync(BROKEN, join(d, "edge.cfg"));
  return d;
}

test("lint --fix writes the fixed file and exits from what remains", async () => {
  const d = scratch();
  const r = await cli(["lint", "edge.cfg", "--fix", "--no-config"], { cwd: d });
  assert.is(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, "fixed  pat-drops-ipsec (line 33)");
  assert.match(r.stdout, "proof: OUTSIDE-OUT permits udp 192.0.2.2:1-499,501-511 → 203.0.113.10:500 in addition; nothing else changes");
  const text = readFileSync(join(d, "edge.cfg"), "utf8");
  assert.match(text, " permit udp host 192.0.2.2 range 1 511 host 203.0.113.10 eq isakmp\n");
  const again = await cli(["lint", "edge.cfg", "--no-config"], { cwd: d });
  assert.is(again.code, 0, again.stdout);
});

test("lint without --fix: exit 1, the stylish output shows each fix and its proof, the file is untouched", async () => {
  const d = scratch();
  const r = await cli(["lint", "edge.cfg", "--no-config"], { cwd: d });
  assert.is(r.code, 1);
  assert.match(r.stdout, /fix \(natlint lint --fix\):\n +replace 33: permit udp host 192.0.2.2 range 1 511 host 203.0.113.10 eq isakmp\n +proof: /);
  assert.is(readFileSync(join(d, "edge.cfg"), "utf8"), readFileSync(BROKEN, "utf8"));
});

test("lint --fix-dry-run writes nothing and puts the fixed text in files[].output; findings carry fix objects", async () => {
  const d = scratch();
  const plain = JSON.parse((await cli(["lint", "edge.cfg", "--no-config", "--format", "json"], { cwd: d })).stdout);
  const f = plain.findings.find((x: { line: number }) => x.line === 33);
  assert.equal(Object.keys(f.fix).sort(), ["commands", "describe", "edits", "proof", "rollback"]);
  assert.equal(f.fix.edits, [{ line: 33, op: "replace", text: " permit udp host 192.0.2.2 range 1 511 host 203.0.113.10 eq isakmp" }]);
  assert.is(f.fix.proof.findingGone, true);
  assert.is(plain.files[0].output, undefined);
  const r = await cli(["lint", "edge.cfg", "--no-config", "--fix-dry-run", "--format", "json"], { cwd: d });
  assert.is(r.code, 0);
  const j = JSON.parse(r.stdout);
  assert.match(j.files[0].output, "range 1 511 host 203.0.113.10 eq isakmp");
  assert.is(j.files[0].fixed.length, 4);
  assert.is(j.findings.length, 0);
  assert.is(readFileSync(join(d, "edge.cfg"), "utf8"), readFileSync(BROKEN, "utf8"), "dry run: file untouched");
});

test("lint --format patch prints a unified diff of the fixes", async () => {
  const d = scratch();
  const r = await cli(["lint", "edge.cfg", "--no-config", "--format", "patch"], { cwd: d });
  assert.match(r.stdout, /^--- a\/edge\.cfg\n\+\+\+ b\/edge\.cfg\n@@ /);
  assert.match(r.stdout, "\n- permit udp host 192.0.2.2 eq isakmp host 203.0.113.10 eq isakmp\n");
  assert.match(r.stdout, "\n+ permit udp host 192.0.2.2 range 1 511 host 203.0.113.10 eq isakmp\n");
  assert.is(readFileSync(join(d, "edge.cfg"), "utf8"), readFileSync(BROKEN, "utf8"), "the patch format writes nothing");
  // the patch applied to the file gives what --fix writes
  const patched = applyPatch(readFileSync(BROKEN, "utf8"), r.stdout);
  await cli(["lint", "edge.cfg", "--no-config", "--fix"], { cwd: d });
  assert.is(patched, readFileSync(join(d, "edge.cfg"), "utf8"));
});

test("--fix-type: only those rules' fixes; an unknown rule and --fix with --fix-dry-run are usage errors", async () => {
  const d = scratch();
  const r = await cli(["lint", "edge.cfg", "--no-config", "--fix-dry-run", "--fix-type", "redundant-line", "--format", "json"], { cwd: d });
  const j = JSON.parse(r.stdout);
  assert.is(j.files[0].output, undefined, "no redundant-line finding to fix");
  assert.is(j.findings.length, 4);
  const bad = await cli(["lint", "edge.cfg", "--no-config", "--fix", "--fix-type", "nope"], { cwd: d });
  assert.is(bad.code, 2);
  assert.match(bad.stderr, 'natlint: lint: --fix-type: unknown rule "nope"');
  assert.is(readFileSync(join(d, "edge.cfg"), "utf8"), readFileSync(BROKEN, "utf8"), "nothing written on a usage error");
  const both = await cli(["lint", "edge.cfg", "--fix", "--fix-dry-run"], { cwd: d });
  assert.is(both.code, 2);
});

test("natlint fix FILE --commands: the device change set in paste order and the rollback", async () => {
  const r = await cli(["fix", "examples/ios-pat-broken.cfg", "--commands", "--no-config"], { cwd: ROOT });
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, "! natlint fix: examples/ios-pat-broken.cfg: 4 proven fixes; paste in configuration mode, in this order");
  assert.match(r.stdout, "ip access-list extended OUTSIDE-OUT\n no 10\n 10 permit udp host 192.0.2.2 range 1 511 host 203.0.113.10 eq isakmp\nexit");
  assert.match(r.stdout, "! rollback: restores the original, in this order");
  assert.ok(r.stdout.indexOf("undo 4.") < r.stdout.indexOf("undo 1."), "rollback in reverse order");
  const j = JSON.parse((await cli(["fix", "examples/ios-pat-broken.cfg", "--commands", "--format", "json", "--no-config"], { cwd: ROOT })).stdout);
  assert.is(j.fixes.length, 4);
  assert.match(j.commands, " 10 permit udp host 192.0.2.2 range 1 511");
  const fixedText = (await cli(["fix", "examples/ios-pat-broken.cfg", "--no-config"], { cwd: ROOT })).stdout;
  assert.match(fixedText, "range 1 511 host 203.0.113.10 eq isakmp");
  const usage = await cli(["fix", "examples/ios-pat-broken.cfg", "--commands", "--patch"], { cwd: ROOT });
  assert.is(usage.code, 2);
});

test("natlint fix --commands on an ASA: from the last line up, and pasted in that order (device model) the findings are gone, the rollback brings them back", async () => {
  const file = "examples/asa-headend-pinned.cfg";
  const r = await cli(["fix", file, "--commands", "--no-config"], { cwd: ROOT });
  assert.ok(r.stdout.indexOf("line 25:") < r.stdout.indexOf("line 24:"), r.stdout);
  const [commands, rollback] = r.stdout.split("! rollback: restores the original, in this order\n") as [string, string];
  const text = readFileSync(join(ROOT, file), "utf8");
  const d = mkdtempSync(join(tmpdir(), "natlint-clifix-"));
  writeFileSync(join(d, "after.cfg"), applyDeviceCommands("asa", text, commands));
  const after = JSON.parse((await cli(["lint", "after.cfg", "--no-config", "--format", "json"], { cwd: d })).stdout);
  assert.equal(after.findings.filter((f: { ruleId: string }) => f.ruleId === "ipsec-source-port-pinned"), []);
  writeFileSync(join(d, "back.cfg"), applyDeviceCommands("asa", applyDeviceCommands("asa", text, commands), rollback));
  const back = JSON.parse((await cli(["lint", "back.cfg", "--no-config", "--format", "json"], { cwd: d })).stdout);
  assert.is(back.findings.filter((f: { ruleId: string }) => f.ruleId === "ipsec-source-port-pinned").length, 2);
});

test("lint --fix keeps a UTF-16 file UTF-16 and a BOM a BOM", async () => {
  const d = scratch();
  const text = readFileSync(BROKEN, "utf8");
  writeFileSync(join(d, "bom.cfg"), "\uFEFF" + text);
  writeFileSync(join(d, "u16.cfg"), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]));
  const r = await cli(["lint", "bom.cfg", "u16.cfg", "--fix", "--no-config"], { cwd: d });
  assert.is(r.code, 0, r.stdout + r.stderr);
  const bom = readFileSync(join(d, "bom.cfg"));
  assert.equal([...bom.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  const u16 = readFileSync(join(d, "u16.cfg"));
  assert.equal([...u16.subarray(0, 2)], [0xff, 0xfe]);
  assert.match(u16.subarray(2).toString("utf16le"), "range 1 511 host 203.0.113.10 eq isakmp");
});

test.run();
