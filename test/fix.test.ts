/**
 * Fixes in the config's own form (numbered ACLs, IOS-XE sequence numbers, object-groups, a shared
 * group, ASA line numbers, remarks, CRLF), their device commands applied the way the device
 * applies them (src/model/device-cli.ts) and linted, and fixes natlint refuses, with the reason.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { lint, type Finding, type Fix } from "../src/api/index.js";
import { applyDeviceCommands } from "../src/model/device-cli.js";
import { parseConfig } from "../src/parse/index.js";
import { proveFile } from "../src/engine/fix.js";
import { REMEDIES } from "../src/engine/remedies.js";
import { runRules } from "../src/engine/checks-run.js";
import { loadBuiltinRules } from "../src/engine/rules.js";

const dir = mkdtempSync(join(tmpdir(), "natlint-fix-"));
let n = 0;
function file(text: string): string {
  const f = join(dir, `c${n++}.cfg`);
  writeFileSync(f, text);
  return f;
}

async function run(text: string, fix = false, extra: Record<string, unknown> = {}) {
  const f = file(text);
  const r = await lint({ patterns: [f], cwd: dir, config: false, ...(fix ? { fix: true } : {}), ...extra });
  return { r, f, findings: r.findings };
}

const fixOf = (f: Finding | undefined): Fix => {
  assert.ok(f, "no such finding");
  const fix = f!.details?.fix as unknown as Fix | undefined;
  assert.ok(fix, `no fix: ${String(f!.details?.noFix)}`);
  return fix!;
};

/** The IOS PAT router of the ticket with its outside ACL written as `acl` (the IKE line reported). */
const router = (acl: string, extra = "") => `hostname r1
interface GigabitEthernet0/0
 ip address 192.168.100.1 255.255.255.0
 ip nat inside
interface GigabitEthernet0/1
 ip address 192.0.2.2 255.255.255.252
 ip nat outside
 ip access-group OUT out
ip access-list standard NAT
 permit 192.168.100.0 0.0.0.255
ip nat inside source list NAT interface GigabitEthernet0/1 overload
${extra}${acl}
end
`;

/** Lints the text the device has after the fix's commands, and after the rollback too. */
async function viaDevice(vendor: "ios" | "asa", text: string, fixes: Fix[], rule: string) {
  let t = text;
  for (const f of fixes) t = applyDeviceCommands(vendor, t, f.commands);
  const after = await run(t);
  assert.is(after.findings.filter((x) => x.ruleId === rule).length, 0, `commands leave ${rule}:\n${t}`);
  for (const f of [...fixes].reverse()) t = applyDeviceCommands(vendor, t, f.rollback);
  const back = await run(t);
  return { after, back, text: t };
}

test("IOS named ACL without sequence numbers: the line is rewritten in place, remark and indentation kept", async () => {
  const cfg = router(`ip access-list extended OUT
  remark IPsec to the head-end
  permit udp host 192.0.2.2 eq isakmp host 203.0.113.10 eq isakmp
  permit udp host 192.0.2.2 host 203.0.113.10 eq non500-isakmp
  deny ip any any`);
  const { findings } = await run(cfg);
  const fix = fixOf(findings.find((x) => x.ruleId === "pat-drops-ipsec"));
  assert.equal(fix.edits, [{ line: 14, op: "replace", text: "  permit udp host 192.0.2.2 range 1 511 host 203.0.113.10 eq isakmp" }]);
  assert.match(fix.proof.summary, "OUT permits udp 192.0.2.2:1-499,501-511 → 203.0.113.10:500 in addition; nothing else changes");
  assert.match(fix.commands, /ip access-list extended OUT\n no 10\n 10 permit udp host 192\.0\.2\.2 range 1 511 host 203\.0\.113\.10 eq isakmp\nexit/);
  const fixed = await run(cfg, true);
  assert.match(fixed.r.files[0]!.output!, "  remark IPsec to the head-end\n  permit udp host 192.0.2.2 range 1 511");
  const dev = await viaDevice("ios", cfg, [fix], "pat-drops-ipsec");
  assert.is(dev.back.findings.filter((x) => x.ruleId === "pat-drops-ipsec").length, 1, "the rollback brings the finding back");
});

test("IOS-XE sequence numbers: a new line takes a free number before the next entry, so it lands before the deny", async () => {
  const cfg = router(`ip access-list extended OUT
 10 permit udp host 192.0.2.2 range 500 4500 host 203.0.113.10 range isakmp non500-isakmp
 20 deny ip any any`);
  const { findings } = await run(cfg);
  const fix = fixOf(findings.find((x) => x.ruleId === "pat-drops-ipsec"));
  assert.equal(
    fix.edits.map((e) => e.text),
    [" 13 permit udp host 192.0.2.2 range 1 511 host 203.0.113.10 eq isakmp", " 16 permit udp host 192.0.2.2 gt 1023 host 203.0.113.10 eq non500-isakmp"],
  );
  assert.ok(fix.edits.every((e) => e.op === "insertAfter" && e.line === 13));
  assert.match(fix.commands, " 13 permit udp host 192.0.2.2 range 1 511");
  assert.match(fix.rollback, " no 13\n no 16");
  await viaDevice("ios", cfg, [fix], "pat-drops-ipsec");
});

test("IOS-XE sequence numbers without a free number: no fix, and the finding says why", async () => {
  const cfg = router(`ip access-list extended OUT
 10 permit udp host 192.0.2.2 range 500 4500 host 203.0.113.10 range isakmp non500-isakmp
 11 deny ip any any`);
  const { findings } = await run(cfg);
  const f = findings.find((x) => x.ruleId === "pat-drops-ipsec")!;
  assert.is(f.details?.fix, undefined);
  assert.match(String(f.details?.noFix), "no free sequence number between 10 and 11 in OUT: renumber it first (ip access-list resequence OUT 10 10)");
});

test("numbered ACL: the full access-list N line in place; commands through ip access-list extended N, or the full replacement on IOS before 12.3", async () => {
  const acl = `access-list 150 permit udp host 192.0.2.2 eq 500 host 203.0.113.10 eq 500
access-list 150 permit udp host 192.0.2.2 host 203.0.113.10 eq 4500
access-list 150 deny ip any any`;
  const cfg = router(acl).replace("ip access-group OUT out", "ip access-group 150 out");
  const { findings } = await run(cfg);
  const fix = fixOf(findings.find((x) => x.ruleId === "pat-drops-ipsec"));
  assert.equal(fix.edits, [{ line: 12, op: "replace", text: "access-list 150 permit udp host 192.0.2.2 range 1 511 host 203.0.113.10 eq 500" }]);
  assert.match(fix.commands, "ip access-list extended 150\n no 10\n 10 permit udp host 192.0.2.2 range 1 511 host 203.0.113.10 eq 500\nexit");
  await viaDevice("ios", cfg, [fix], "pat-drops-ipsec");
  // an old release: the documented way, the whole ACL again
  const old = `version 12.2\n${cfg}`;
  const o = fixOf((await run(old)).findings.find((x) => x.ruleId === "pat-drops-ipsec"));
  assert.match(o.commands, /no access-list 150\naccess-list 150 permit udp host 192\.0\.2\.2 range 1 511 host 203\.0\.113\.10 eq 500\naccess-list 150 permit udp host 192\.0\.2\.2 host 203\.0\.113\.10 eq 4500\naccess-list 150 deny ip any any\n/);
  assert.match(o.rollback, /no access-list 150\naccess-list 150 permit udp host 192\.0\.2\.2 eq 500 host 203\.0\.113\.10 eq 500\n/);
  await viaDevice("ios", old, [o], "pat-drops-ipsec");
});

const groups = `object-group network HEADENDS
 host 203.0.113.10
 host 203.0.113.20
object-group service IPSEC
 udp source eq isakmp eq isakmp
 udp eq non500-isakmp
 esp
`;

test("service object-group used by this line only: the group gets the PAT's ports, ESP and the second head-end stay", async () => {
  const cfg = router(
    `ip access-list extended OUT
 permit object-group IPSEC host 192.0.2.2 object-group HEADENDS
 deny ip any any`,
    groups,
  );
  const { findings } = await run(cfg);
  const fix = fixOf(findings.find((x) => x.ruleId === "pat-drops-ipsec"));
  assert.equal(fix.edits, [{ line: 18, op: "insertAfter", text: " udp source range 1 511 eq isakmp" }]);
  assert.match(fix.commands, "object-group service IPSEC\n udp source range 1 511 eq isakmp\nexit");
  assert.match(fix.rollback, " no udp source range 1 511 eq isakmp");
  assert.match(fix.proof.summary, "udp 192.0.2.2:1-499,501-511 → 203.0.113.10,203.0.113.20:500");
  const out = (await run(cfg, true)).r.files[0]!.output!;
  assert.match(out, " host 203.0.113.20\n");
  assert.match(out, " esp\n udp source range 1 511 eq isakmp\n");
  await viaDevice("ios", cfg, [fix], "pat-drops-ipsec");
});

test("a shared service object-group is not edited: the line is split (kept, and a udp line with the same operands added)", async () => {
  const cfg = router(
    `ip access-list extended OUT
 permit object-group IPSEC host 192.0.2.2 object-group HEADENDS
 deny ip any any
ip access-list extended OTHER
 permit object-group IPSEC any any`,
    groups,
  ).replace(" ip nat inside\n", " ip nat inside\n ip access-group OTHER in\n");
  const { findings } = await run(cfg);
  const fix = fixOf(findings.find((x) => x.ruleId === "pat-drops-ipsec"));
  assert.equal(fix.edits, [{ line: 21, op: "insertAfter", text: " permit udp host 192.0.2.2 range 1 511 object-group HEADENDS eq isakmp" }]);
  assert.ok(!fix.edits.some((e) => /^\s*udp /.test(e.text)), "the shared group is not edited");
  assert.equal(fix.proof.changedAcls, ["OUT"]);
  await viaDevice("ios", cfg, [fix], "pat-drops-ipsec");
});

const asa = (acls: string) => `ASA Version 9.16(2)
hostname fw
interface GigabitEthernet0/0
 nameif outside
 security-level 0
 ip address 198.51.100.1 255.255.255.0
interface GigabitEthernet0/1
 nameif dmz
 security-level 50
 ip address 10.20.0.1 255.255.255.0
object network VPN
 host 10.20.0.10
${acls}
access-group IN in interface outside
`;

test("ASA: lines in place in the file, access-list X line N extended … and no access-list X extended … on the device", async () => {
  const cfg = asa(`access-list IN remark VPN clients
access-list IN extended permit udp any eq isakmp object VPN eq isakmp
access-list IN extended permit udp any eq 4500 object VPN eq 4500
access-list IN extended deny ip any any`);
  const { findings } = await run(cfg);
  const ike = fixOf(findings.find((x) => x.ruleId === "ipsec-source-port-pinned" && x.line === 14));
  const nat = fixOf(findings.find((x) => x.ruleId === "ipsec-source-port-pinned" && x.line === 15));
  assert.equal(ike.edits, [
    { line: 14, op: "replace", text: "access-list IN extended permit udp any range 1 511 object VPN eq isakmp" },
    { line: 14, op: "insertAfter", text: "access-list IN extended permit udp any gt 1023 object VPN eq isakmp" },
  ]);
  // the remark is line 1 of IN, so the IKE line is line 2
  assert.is(
    ike.commands,
    "access-list IN line 2 extended permit udp any range 1 511 object VPN eq isakmp\naccess-list IN line 3 extended permit udp any gt 1023 object VPN eq isakmp\nno access-list IN extended permit udp any eq isakmp object VPN eq isakmp\n",
  );
  assert.is(nat.commands, "access-list IN line 3 extended permit udp any gt 1023 object VPN eq 4500\nno access-list IN extended permit udp any eq 4500 object VPN eq 4500\n");
  // pasted from the last line up (natlint fix --commands prints them so), `line N` positions hold
  const dev = await viaDevice("asa", cfg, [nat, ike], "ipsec-source-port-pinned");
  assert.is(dev.back.findings.filter((x) => x.ruleId === "ipsec-source-port-pinned").length, 2);
});

test("ASA service object-group with service-object: the group gets a service-object line", async () => {
  const cfg = asa(`object-group service IKE-SVC
 service-object udp source eq isakmp destination eq isakmp
 service-object esp
access-list IN extended permit object-group IKE-SVC any object VPN
access-list IN extended permit udp any object VPN eq 4500
access-list IN extended deny ip any any`);
  const { findings } = await run(cfg);
  const fix = fixOf(findings.find((x) => x.ruleId === "ipsec-source-port-pinned" && x.line === 16));
  assert.equal(fix.edits.map((e) => e.text), [" service-object udp source range 1 511 destination eq isakmp", " service-object udp source gt 1023 destination eq isakmp"]);
  assert.match(fix.commands, "object-group service IKE-SVC\n service-object udp source range 1 511 destination eq isakmp\n");
  await viaDevice("asa", cfg, [fix], "ipsec-source-port-pinned");
});

test("ipsec-nat-t-missing: the NAT-T line right after the IKE line, same addresses and direction", async () => {
  const cfg = `hostname edge
interface GigabitEthernet0/0
 ip address 198.51.100.1 255.255.255.0
 ip access-group IN in
ip access-list extended IN
 10 permit udp host 198.51.100.77 host 198.51.100.1 eq isakmp
 20 permit esp host 198.51.100.77 host 198.51.100.1
 30 deny ip any any
`;
  const fix = fixOf((await run(cfg)).findings.find((x) => x.ruleId === "ipsec-nat-t-missing"));
  assert.equal(fix.edits, [{ line: 6, op: "insertAfter", text: " 15 permit udp host 198.51.100.77 host 198.51.100.1 eq non500-isakmp" }]);
  assert.match(fix.proof.summary, "IN permits udp 198.51.100.77 → 198.51.100.1:4500 in addition");
  await viaDevice("ios", cfg, [fix], "ipsec-nat-t-missing");
});

test("redundant-line: delete, proven to change no packet; commands no SEQ, rollback SEQ line", async () => {
  const cfg = `hostname r
interface GigabitEthernet0/0
 ip address 10.0.0.1 255.255.255.0
 ip access-group EDGE in
ip access-list extended EDGE
 10 permit tcp host 10.0.0.5 any eq 443
 20 deny tcp any any eq 23
 30 permit ip any any
`;
  const fix = fixOf((await run(cfg)).findings.find((x) => x.ruleId === "redundant-line"));
  assert.equal(fix.edits, [{ line: 6, op: "delete", text: " 10 permit tcp host 10.0.0.5 any eq 443" }]);
  assert.is(fix.proof.summary, "no packet changes");
  assert.equal(fix.proof.changes, []);
  assert.is(fix.commands, "ip access-list extended EDGE\n no 10\nexit\n");
  assert.is(fix.rollback, "ip access-list extended EDGE\n 10 permit tcp host 10.0.0.5 any eq 443\nexit\n");
  await viaDevice("ios", cfg, [fix], "redundant-line");
});

test("a fix that cannot be proven is not offered, and the finding says why", async () => {
  // deleting the only line that uses ADMINS would leave the group unused: a new finding
  const cfg = `hostname r
interface GigabitEthernet0/0
 ip address 10.0.0.1 255.255.255.0
 ip access-group EDGE in
object-group network ADMINS
 host 10.0.0.5
ip access-list extended EDGE
 permit tcp object-group ADMINS any eq 22
 permit ip any any
`;
  const f = (await run(cfg)).findings.find((x) => x.ruleId === "redundant-line")!;
  assert.is(f.details?.fix, undefined);
  assert.match(String(f.details?.noFix), "unused-definition");
  const fixed = await run(cfg, true);
  assert.is(fixed.r.files[0]!.output, undefined, "--fix leaves the file alone");
});

test("CRLF stays CRLF, also on added lines", async () => {
  const cfg = router(`ip access-list extended OUT
 10 permit udp host 192.0.2.2 range 500 4500 host 203.0.113.10 range isakmp non500-isakmp
 20 deny ip any any`).replace(/\n/g, "\r\n");
  const out = (await run(cfg, true)).r.files[0]!.output!;
  assert.ok(out.includes(" 13 permit udp host 192.0.2.2 range 1 511 host 203.0.113.10 eq isakmp\r\n 16 permit"), out);
  assert.not.match(out.replace(/\r\n/g, ""), /\n/, "a bare LF in the output");
});

test("the edited file parses to exactly the ACL the proof analysed (pasting the fix keeps the line before the deny)", async () => {
  const cfg = router(`ip access-list extended OUT
 permit udp host 192.0.2.2 range 500 4500 host 203.0.113.10 range isakmp non500-isakmp
 deny ip any any`);
  const out = (await run(cfg, true)).r.files[0]!.output!;
  const acl = parseConfig(out, "x", "ios").device.acls.get("OUT")!;
  assert.equal(
    acl.entries.map((e) => e.source.text),
    [
      "permit udp host 192.0.2.2 range 500 4500 host 203.0.113.10 range isakmp non500-isakmp",
      "permit udp host 192.0.2.2 range 1 511 host 203.0.113.10 eq isakmp",
      "permit udp host 192.0.2.2 gt 1023 host 203.0.113.10 eq non500-isakmp",
      "deny ip any any",
    ],
  );
});

test("fixTypes limits the fixes to those rules", async () => {
  const cfg = `hostname r
interface GigabitEthernet0/0
 ip address 10.0.0.1 255.255.255.0
 ip access-group EDGE in
ip access-list extended EDGE
 permit tcp host 10.0.0.5 any eq 443
 permit udp host 198.51.100.77 host 10.0.0.1 eq isakmp
 permit tcp any any eq 443
 deny ip any any
`;
  const all = await run(cfg);
  assert.ok(all.findings.some((x) => x.ruleId === "redundant-line" && x.details?.fix), "without fixTypes the redundant line has its fix");
  const only = await run(cfg, false, { fixTypes: ["ipsec-nat-t-missing"] });
  assert.ok(only.findings.some((x) => x.ruleId === "ipsec-nat-t-missing" && x.details?.fix));
  assert.ok(only.findings.filter((x) => x.ruleId === "redundant-line").every((x) => x.details?.fix === undefined));
});

test("fixes fine one by one but not together: only the first is offered, the other says why", () => {
  // deleting either of two identical lines changes nothing; deleting both denies www
  const text = `hostname r
interface GigabitEthernet0/0
 ip address 10.0.0.1 255.255.255.0
 ip access-group EDGE in
ip access-list extended EDGE
 permit tcp any host 192.0.2.10 eq www
 permit tcp any host 192.0.2.10 eq www
 deny ip any any log
`;
  const { device } = parseConfig(text, "dup.cfg");
  const rules = loadBuiltinRules();
  const lintDevice = (d: typeof device) => runRules(d, rules, { clients: 3 });
  const raw = lintDevice(device);
  const acl = device.acls.get("EDGE")!;
  const fake = acl.entries.slice(0, 2).map((ace): Finding => {
    const f: Finding = { ruleId: "redundant-line", severity: "info", file: "dup.cfg", line: ace.source.line, message: "test", source: ace.source.text, acl: "EDGE" };
    REMEDIES.set(f, { describe: "delete this line", edits: [{ kind: "delete", acl: "EDGE", ace }], intent: { change: "none" } });
    return f;
  });
  const r = proveFile({ file: "dup.cfg", vendor: "ios", text, device, raw: [...raw, ...fake], lint: lintDevice }, fake);
  assert.is(r.fixes.size, 1);
  assert.ok(r.fixes.has(fake[0]!));
  const why = r.refused.get(fake[1]!) ?? "(none)";
  assert.match(why, "together, the fixes of EDGE would deny what it permits now: packets within tcp any → 192.0.2.10", why);
  assert.not.match(r.output, /^ permit tcp any host 192.0.2.10 eq www\n permit/m);
});

test("device commands pasted in one session give what pasting each fix's block on its own gives (an ACL left and entered again stays in memory)", () => {
  const cfg = `hostname r1
ip access-list extended OUT
 remark web
 10 permit tcp any host 192.0.2.10 eq www
 20 permit tcp any host 192.0.2.10 eq 443
 30 deny ip any any
access-list 101 permit udp any any eq 500
access-list 101 remark ntp
access-list 101 permit udp any any eq 123
ip access-list extended IN
 permit icmp any any
end`;
  const blocks = [
    "ip access-list extended OUT\n no 20\n exit",
    "ip access-list extended OUT\n 25 permit tcp any host 192.0.2.11 eq 443\n exit",
    "ip access-list extended 101\n no 20\n 15 permit udp any any eq 4500\n exit",
    "ip access-list extended OUT\n permit udp any any eq 53\n exit",
    "ip access-list extended IN\n deny ip any any\n exit",
    "ip access-list extended IN\n 5 permit tcp any any eq 22\n exit",
  ];
  let apart = cfg;
  for (const b of blocks) apart = applyDeviceCommands("ios", apart, b);
  assert.is(applyDeviceCommands("ios", cfg, blocks.join("\n")), apart);
  assert.match(apart, /25 permit tcp any host 192\.0\.2\.11 eq 443/);
  assert.not.match(apart, / 20 permit tcp any host 192\.0\.2\.10 eq 443/);
});

test.run();
