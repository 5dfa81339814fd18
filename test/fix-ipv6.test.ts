/**
 * Fixes of IOS IPv6 ACLs (`ipv6 access-list NAME`; and ASA 8.x `ipv6 access-list NAME [line N] permit …` lines): lines in the file in their own form (`sequence N`
 * before the entry, after it, or no numbers), device commands `ipv6 access-list NAME` / `no sequence
 * N` / `sequence N permit …` applied the way IOS applies them (src/model/device-cli.ts), rollback,
 * and what `lint --fix` writes parsed again.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { lint, type Finding, type Fix } from "../src/api/index.js";
import { applyDeviceCommands, DeviceCommandError } from "../src/model/device-cli.js";
import { parseConfig } from "../src/parse/index.js";

const dir = mkdtempSync(join(tmpdir(), "natlint-fix6-"));
let n = 0;
async function run(text: string, fix = false) {
  const f = join(dir, `c${n++}.cfg`);
  writeFileSync(f, text);
  const r = await lint({ patterns: [f], cwd: dir, config: false, ...(fix ? { fix: true } : {}) });
  return { f, findings: r.findings, output: r.files[0]!.output };
}
const fixOf = (f: Finding | undefined): Fix => {
  assert.ok(f, "no such finding");
  const fix = f!.details?.fix as unknown as Fix | undefined;
  assert.ok(fix, `no fix: ${String(f!.details?.noFix)}`);
  return fix!;
};
const noFixOf = (f: Finding | undefined): string => {
  assert.ok(f, "no such finding");
  assert.is(f!.details?.fix, undefined);
  return String(f!.details?.noFix);
};
/** The entries of ACL `name` as IOS numbers them: `SEQ action …` from the action on. */
const entries = (text: string, name: string) =>
  parseConfig(text, "t.cfg", "ios").device.acls.get(name)!.entries.map((e) => `${e.seq} ${/(permit|deny)\s.*$/.exec(e.source.text)![0].replace(/\s+sequence\s+\d+$/, "")}`);

const router = (acl: string) => `hostname r6
interface GigabitEthernet0/0
 ipv6 address 2001:DB8::1/64
 ipv6 traffic-filter EDGE6 in
${acl}
end
`;

/** The device's config after the commands, then after the rollback too (both checked). */
function viaDevice(text: string, fix: Fix, name: string, want: string[]) {
  const after = applyDeviceCommands("ios", text, fix.commands);
  assert.equal(entries(after, name), want, after);
  const back = applyDeviceCommands("ios", after, fix.rollback);
  assert.equal(entries(back, name), entries(text, name), back);
}

test("ipv6-nd-blocked, sequence N before the entries: permits inserted right before the deny with free numbers", async () => {
  const cfg = router(`ipv6 access-list EDGE6
 sequence 10 permit tcp any host 2001:DB8::80 eq 443
 sequence 20 deny ipv6 any any log`);
  const { findings } = await run(cfg);
  const fix = fixOf(findings.find((f) => f.ruleId === "ipv6-nd-blocked"));
  assert.equal(fix.edits, [
    { line: 6, op: "insertAfter", text: " sequence 13 permit icmp any any nd-na" },
    { line: 6, op: "insertAfter", text: " sequence 16 permit icmp any any nd-ns" },
  ]);
  assert.is(fix.commands, "ipv6 access-list EDGE6\n sequence 13 permit icmp any any nd-na\n sequence 16 permit icmp any any nd-ns\nexit\n");
  assert.is(fix.rollback, "ipv6 access-list EDGE6\n no sequence 13\n no sequence 16\nexit\n");
  // like IOS's implicit lines: ND, and the non-initial ICMPv6 fragments (no type in them) no line above decides
  assert.is(fix.proof.summary, "EDGE6 permits icmp6 any → any type 136,135 and icmp6 any → any (non-initial fragments) in addition; nothing else changes");
  assert.equal(fix.proof.changes.map((c) => [c.icmpTypes, c.nonInitialFragments]), [["136,135", undefined], [undefined, true]]);
  viaDevice(cfg, fix, "EDGE6", ["10 permit tcp any host 2001:DB8::80 eq 443", "13 permit icmp any any nd-na", "16 permit icmp any any nd-ns", "20 deny ipv6 any any log"]);
  // what --fix writes parses to the same ACL, and the finding is gone
  const fixed = await run(cfg, true);
  assert.equal(entries(fixed.output!, "EDGE6"), ["10 permit tcp any host 2001:DB8::80 eq 443", "13 permit icmp any any nd-na", "16 permit icmp any any nd-ns", "20 deny ipv6 any any log"]);
  assert.is(fixed.findings.filter((f) => f.ruleId === "ipv6-nd-blocked").length, 0);
});

test("ipv6-nd-blocked, no numbers written: lines in text order; commands with the numbers IOS gives (10, 20, …)", async () => {
  const cfg = router(`ipv6 access-list EDGE6
 permit tcp any host 2001:DB8::80 eq 443
 remark the end
 deny ipv6 any any log`);
  const fix = fixOf((await run(cfg)).findings.find((f) => f.ruleId === "ipv6-nd-blocked"));
  assert.equal(fix.edits, [
    { line: 7, op: "insertAfter", text: " permit icmp any any nd-na" },
    { line: 7, op: "insertAfter", text: " permit icmp any any nd-ns" },
  ]);
  assert.match(fix.commands, /^! sequence numbers as the device numbers EDGE6 after a reload \(10, 20, …\): check them with show ipv6 access-list EDGE6\nipv6 access-list EDGE6\n sequence 13 permit icmp any any nd-na\n sequence 16 permit icmp any any nd-ns\nexit\n$/);
  viaDevice(cfg, fix, "EDGE6", ["10 permit tcp any host 2001:DB8::80 eq 443", "13 permit icmp any any nd-na", "16 permit icmp any any nd-ns", "20 deny ipv6 any any log"]);
  const fixed = await run(cfg, true);
  assert.ok(fixed.output!.includes(" remark the end\n permit icmp any any nd-na\n permit icmp any any nd-ns\n deny ipv6 any any log\n"), fixed.output);
});

test("ipv6-nd-blocked, sequence N after the entry (older releases): new lines in the same form", async () => {
  const cfg = router(`ipv6 access-list EDGE6
 permit tcp any host 2001:DB8::80 eq 443 sequence 10
 deny ipv6 any any log sequence 30`);
  const fix = fixOf((await run(cfg)).findings.find((f) => f.ruleId === "ipv6-nd-blocked"));
  assert.equal(fix.edits.map((e) => e.text), [" permit icmp any any nd-na sequence 16", " permit icmp any any nd-ns sequence 22"]);
  assert.is(fix.commands, "ipv6 access-list EDGE6\n sequence 16 permit icmp any any nd-na\n sequence 22 permit icmp any any nd-ns\nexit\n");
  viaDevice(cfg, fix, "EDGE6", ["10 permit tcp any host 2001:DB8::80 eq 443", "16 permit icmp any any nd-na", "22 permit icmp any any nd-ns", "30 deny ipv6 any any log"]);
});

test("ipv6-nd-blocked without a free number before the deny: no fix, and it says how to renumber", async () => {
  const cfg = router(`ipv6 access-list EDGE6
 sequence 10 permit tcp any host 2001:DB8::80 eq 443
 sequence 11 deny ipv6 any any log`);
  const why = noFixOf((await run(cfg)).findings.find((f) => f.ruleId === "ipv6-nd-blocked"));
  assert.is(why, "no free sequence number between 10 and 11 in EDGE6: renumber it first (ipv6 access-list resequence EDGE6 10 10)");
});

test("redundant-line in an IPv6 ACL: delete; commands no sequence N, rollback sequence N with the line", async () => {
  const cfg = router(`ipv6 access-list EDGE6
 sequence 10 permit tcp host 2001:DB8::5 any eq 443
 sequence 20 permit icmp any any nd-na
 sequence 30 permit icmp any any nd-ns
 sequence 40 permit ipv6 any any`);
  const { findings } = await run(cfg);
  const fix = fixOf(findings.find((f) => f.ruleId === "redundant-line" && f.line === 6));
  assert.equal(fix.edits, [{ line: 6, op: "delete", text: " sequence 10 permit tcp host 2001:DB8::5 any eq 443" }]);
  assert.is(fix.commands, "ipv6 access-list EDGE6\n no sequence 10\nexit\n");
  assert.is(fix.rollback, "ipv6 access-list EDGE6\n sequence 10 permit tcp host 2001:DB8::5 any eq 443\nexit\n");
  viaDevice(cfg, fix, "EDGE6", ["20 permit icmp any any nd-na", "30 permit icmp any any nd-ns", "40 permit ipv6 any any"]);
});

test("shadowed-line in an IPv6 ACL (the dual-stack example): a proven delete", async () => {
  const file = join(process.cwd(), "examples/dual-stack-edge.cfg");
  const text = readFileSync(file, "utf8");
  const r = await lint({ patterns: [file], config: false });
  const fix = fixOf(r.findings.find((f) => f.ruleId === "shadowed-line"));
  assert.equal(fix.edits, [{ line: 38, op: "delete", text: " sequence 40 permit tcp any host 2001:DB8:10::80 eq 443" }]);
  assert.is(fix.commands, "ipv6 access-list EDGE6-IN\n no sequence 40\nexit\n");
  viaDevice(text, fix, "EDGE6-IN", entries(text, "EDGE6-IN").filter((e) => !e.startsWith("40 ")));
});

test("ipsec-nat-t-missing in an IPv6 ACL: the NAT-T line after the IKE line, its intent in IPv6 addresses (a trailing sequence N is not copied)", async () => {
  const cfg = router(`ipv6 access-list EDGE6
 permit udp any host 2001:DB8::10 eq isakmp sequence 10
 permit esp any host 2001:DB8::10 sequence 20
 permit icmp any any nd-na sequence 30
 permit icmp any any nd-ns sequence 40
 deny ipv6 any any log sequence 50`);
  const fix = fixOf((await run(cfg)).findings.find((f) => f.ruleId === "ipsec-nat-t-missing"));
  assert.equal(fix.edits, [{ line: 6, op: "insertAfter", text: " permit udp any host 2001:DB8::10 eq non500-isakmp sequence 15" }]);
  assert.is(fix.commands, "ipv6 access-list EDGE6\n sequence 15 permit udp any host 2001:DB8::10 eq non500-isakmp\nexit\n");
  assert.is(fix.proof.summary, "EDGE6 permits udp any → [2001:db8::10]:4500 in addition; nothing else changes");
  viaDevice(cfg, fix, "EDGE6", [
    "10 permit udp any host 2001:DB8::10 eq isakmp",
    "15 permit udp any host 2001:DB8::10 eq non500-isakmp",
    "20 permit esp any host 2001:DB8::10",
    "30 permit icmp any any nd-na",
    "40 permit icmp any any nd-ns",
    "50 deny ipv6 any any log",
  ]);
});

test("device model, IPv6 ACLs: sequence N inserts in order, a number in use or a missing one is refused, plain entries append at the highest + 10", () => {
  const cfg = "ipv6 access-list A\n sequence 10 permit tcp any any eq 22\n deny ipv6 any any sequence 20\n";
  const t = applyDeviceCommands("ios", cfg, "ipv6 access-list A\n sequence 15 permit icmp any any nd-ns\n permit udp any any eq 53\nexit\n");
  assert.equal(entries(t, "A"), ["10 permit tcp any any eq 22", "15 permit icmp any any nd-ns", "20 deny ipv6 any any", "30 permit udp any any eq 53"]);
  assert.equal(entries(applyDeviceCommands("ios", t, "ipv6 access-list A\n no sequence 15\nexit\n"), "A"), ["10 permit tcp any any eq 22", "20 deny ipv6 any any", "30 permit udp any any eq 53"]);
  assert.throws(() => applyDeviceCommands("ios", cfg, "ipv6 access-list A\n sequence 20 permit ipv6 any any\n"), (e: unknown) => e instanceof DeviceCommandError && /duplicate sequence number 20/.test((e as Error).message));
  assert.throws(() => applyDeviceCommands("ios", cfg, "ipv6 access-list A\n no sequence 99\n"), (e: unknown) => e instanceof DeviceCommandError);
});

/** An ASA 8.4 head-end behind which 2001:db8:10::10 terminates IPsec; its IPv4 ACL has the same name (the access-group applies both). */
const asa84 = (v6: string) => `ASA Version 8.4(7)
hostname asa84
interface GigabitEthernet0/0
 nameif outside
 security-level 0
 ip address 192.0.2.1 255.255.255.0
 ipv6 address 2001:db8:1::1/64
access-list OUTSIDE_IN extended permit tcp any host 192.0.2.10 eq 443
${v6}
access-list OUTSIDE_IN extended deny ip any any
access-group OUTSIDE_IN in interface outside
`;

test("ASA 8.x ipv6 access-list: the fix edits the IPv6 line in its own form; line N counts the ACL's IPv6 lines; commands and rollback checked", async () => {
  const cfg = asa84(`ipv6 access-list OUTSIDE_IN remark IPsec from the branches
ipv6 access-list OUTSIDE_IN permit udp any eq 500 host 2001:db8:10::10 eq 500
ipv6 access-list OUTSIDE_IN permit udp any host 2001:db8:10::10 eq 4500
ipv6 access-list OUTSIDE_IN deny ip any any`);
  const r = await run(cfg);
  const fix = fixOf(r.findings.find((f) => f.ruleId === "ipsec-source-port-pinned"));
  assert.equal(fix.edits, [
    { line: 10, op: "replace", text: "ipv6 access-list OUTSIDE_IN permit udp any range 1 511 host 2001:db8:10::10 eq 500" },
    { line: 10, op: "insertAfter", text: "ipv6 access-list OUTSIDE_IN permit udp any gt 1023 host 2001:db8:10::10 eq 500" },
  ]);
  assert.is(
    fix.commands,
    "ipv6 access-list OUTSIDE_IN line 2 permit udp any range 1 511 host 2001:db8:10::10 eq 500\n" +
      "ipv6 access-list OUTSIDE_IN line 3 permit udp any gt 1023 host 2001:db8:10::10 eq 500\n" +
      "no ipv6 access-list OUTSIDE_IN permit udp any eq 500 host 2001:db8:10::10 eq 500\n",
  );
  assert.ok((fix.proof as unknown as { commandsChecked: boolean }).commandsChecked);
  // the device model: the IPv6 lines in their new order, the IPv4 lines untouched; the rollback restores the file
  const lines = (t: string) => t.split("\n").filter((l) => /access-list OUTSIDE_IN /.test(l));
  const after = applyDeviceCommands("asa", cfg, fix.commands);
  assert.equal(lines(after), [
    "access-list OUTSIDE_IN extended permit tcp any host 192.0.2.10 eq 443",
    "ipv6 access-list OUTSIDE_IN remark IPsec from the branches",
    "ipv6 access-list OUTSIDE_IN permit udp any range 1 511 host 2001:db8:10::10 eq 500",
    "ipv6 access-list OUTSIDE_IN permit udp any gt 1023 host 2001:db8:10::10 eq 500",
    "ipv6 access-list OUTSIDE_IN permit udp any host 2001:db8:10::10 eq 4500",
    "ipv6 access-list OUTSIDE_IN deny ip any any",
    "access-list OUTSIDE_IN extended deny ip any any",
  ]);
  assert.equal(lines(applyDeviceCommands("asa", after, fix.rollback)), lines(cfg));
  // what --fix writes parses again without the finding
  const fixed = await run(cfg, true);
  assert.ok(fixed.output!.includes("ipv6 access-list OUTSIDE_IN permit udp any gt 1023 host 2001:db8:10::10 eq 500\n"), fixed.output);
  assert.equal((await run(fixed.output!)).findings.map((f) => f.ruleId), []);
});

test("device model, ASA ipv6 access-list: no removes only a line of that text; a missing one is refused", () => {
  const cfg = "ipv6 access-list A permit tcp any any eq 22\naccess-list A extended permit tcp any any eq 22\n";
  assert.equal(applyDeviceCommands("asa", cfg, "no ipv6 access-list A permit tcp any any eq 22\n").split("\n").filter(Boolean), ["access-list A extended permit tcp any any eq 22"]);
  assert.throws(() => applyDeviceCommands("asa", cfg, "no ipv6 access-list A extended permit tcp any any eq 22\n"), (e: unknown) => e instanceof DeviceCommandError);
  assert.equal(applyDeviceCommands("asa", cfg, "ipv6 access-list A line 1 deny ip any any\n").split("\n").filter(Boolean), ["ipv6 access-list A deny ip any any", "ipv6 access-list A permit tcp any any eq 22", "access-list A extended permit tcp any any eq 22"]);
});

test.run();
