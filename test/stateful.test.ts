/**
 * Stateful inspection in the simulation (src/sim/stateful.ts): CBAC, zone-based firewall and
 * reflexive ACLs open the replies of the sessions they see leave, the trace names the feature and
 * its line, and what the config does not decide is `conditional` (with the reason), never an error.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { explain, lintText, type ExplainResult } from "../src/api/index.js";

const FX = fileURLToPath(new URL("./fixtures/rules/pat-drops-ipsec/", import.meta.url));
const fixture = (name: string) => readFileSync(FX + name, "utf8");
const run = (text: string, name = "t.cfg") => explain(name, { text });
const session = (r: ExplainResult, client: number, flow: string, direction: "outbound" | "return") =>
  r.sessions.find((s) => s.client === client && s.flow === flow && s.direction === direction)!;
/** The 1-based line of the first line of `text` that is `line` (trimmed). */
function lineOf(text: string, line: string): number {
  const i = text.split("\n").findIndex((l) => l.trim() === line);
  assert.ok(i >= 0, `no line "${line}"`);
  return i + 1;
}
function edit(text: string, edits: Array<[string | RegExp, string]>): string {
  for (const [a, b] of edits) {
    assert.ok(typeof a === "string" ? text.includes(a) : a.test(text), `fixture edit: ${a}`);
    text = text.replace(a, b);
  }
  return text;
}

test("CBAC out on the external interface: every client's reply is permitted by its temporary entries, and the trace names the ip inspect line", async () => {
  const text = fixture("cbac.cfg");
  const r = run(text);
  for (const c of [1, 2, 3])
    for (const flow of ["IKE", "NAT-T"]) {
      const s = session(r, c, flow, "return");
      assert.is(s.verdict, "permit", `client ${c} ${flow}`);
      const k = s.checkpoints[0]!;
      assert.equal([k.interface, k.direction, k.acl, k.action], ["FastEthernet4", "in", "111", "permit"]);
      assert.is(k.feature?.name, "CBAC");
      assert.is(k.feature?.source, "ip inspect FW out");
      assert.is(k.line, lineOf(text, "ip inspect FW out"), "the ip inspect line");
      assert.match(k.feature!.what, /rule FW inspects udp/);
      assert.is(k.aclAction, c === 1 ? "permit" : "deny", "what ACL 111 alone decides");
    }
});

test("CBAC inspects udp only when its rule says so: a tcp-only rule opens nothing", async () => {
  const r = run(fixture("cbac-tcp-only.cfg"));
  const s = session(r, 2, "IKE", "return");
  assert.is(s.verdict, "drop");
  assert.is(s.checkpoints[0]!.feature, undefined);
});

test("CBAC in on the internal interface opens both the external inbound and the internal outbound ACL (isakmp, non500-isakmp)", async () => {
  const r = run(fixture("cbac-inside-isakmp.cfg"));
  for (const flow of ["IKE", "NAT-T"]) {
    const s = session(r, 3, flow, "return");
    assert.is(s.verdict, "permit");
    assert.equal(s.checkpoints.map((k) => [k.acl, k.action, k.feature?.name]), [["WAN-IN", "permit", "CBAC"], ["LAN-OUT", "permit", "CBAC"]]);
    assert.match(s.checkpoints[0]!.feature!.what, flow === "IKE" ? /inspects isakmp/ : /inspects non500-isakmp/);
  }
  // without the isakmp application, IKE replies to client 3 are dropped by WAN-IN
  const noIke = run(edit(fixture("cbac-inside-isakmp.cfg"), [["ip inspect name LAN isakmp\n", ""]]));
  assert.is(session(noIke, 3, "IKE", "return").verdict, "drop");
  assert.is(session(noIke, 3, "NAT-T", "return").verdict, "permit");
});

test("CBAC naming a rule the file does not define: replies are conditional, with the reason, and pat-drops-ipsec stays silent", async () => {
  const text = edit(fixture("cbac.cfg"), [["ip inspect name FW tcp\nip inspect name FW udp\n", ""]]);
  const r = run(text);
  const s = session(r, 2, "IKE", "return");
  assert.is(s.verdict, "conditional");
  assert.match(s.reason!, /inspection rule FW, which this file does not define/);
  assert.ok(r.notes.some((n) => /conditional/.test(n)));
  const l = await lintText(text, { filename: "t.cfg", config: false });
  assert.ok(!l.findings.some((f) => f.ruleId === "pat-drops-ipsec"), "no error on a conditional session");
  assert.ok(l.findings.some((f) => f.ruleId === "unmodelled-feature" && f.line === lineOf(text, "ip inspect FW out") && /does not define/.test(f.message)), "the undefined rule is reported at the ip inspect line");
});

test("CBAC opens only extended ACLs: a standard inbound ACL that denies the reply leaves it conditional", async () => {
  const text = edit(fixture("cbac.cfg"), [[" ip access-group 111 in", " ip access-group 11 in"], ["ip route", "access-list 11 permit 203.0.113.99\nip route"]]);
  const s = session(run(text), 2, "IKE", "return");
  assert.is(s.verdict, "conditional");
  assert.match(s.reason!, /extended ACLs only/);
});

test("zone-based firewall: the zone-pair checkpoint names its class; inspected replies the interface ACL denies are conditional", async () => {
  const text = fixture("zbf.cfg");
  const r = run(text);
  const out = session(r, 2, "IKE", "outbound");
  assert.is(out.verdict, "permit");
  const z = out.checkpoints.find((k) => k.kind === "zone-pair")!;
  assert.equal([z.acl, z.action, z.feature?.name, z.line], ["zone-pair IN-OUT", "permit", "zone-based firewall", lineOf(text, "class type inspect INTERNET-TRAFFIC")]);
  assert.match(z.feature!.what, /class INTERNET-TRAFFIC: inspect/);
  assert.is(session(r, 1, "IKE", "return").verdict, "permit", "client 1's reply is permitted by WAN-IN, the firewall passes it");
  const back = session(r, 2, "IKE", "return");
  assert.is(back.verdict, "conditional");
  assert.match(back.reason!, /inspects this session/);
});

test("zone-based firewall: class-default drops what no class matches, for every client (not a PAT problem)", async () => {
  const text = edit(fixture("zbf.cfg"), [[" match protocol udp\n", ""]]);
  const r = run(text);
  for (const c of [1, 2, 3]) {
    const s = session(r, c, "IKE", "outbound");
    assert.is(s.verdict, "drop");
    assert.match(s.detail!, /zone-based firewall.*class-default: drop/);
  }
  const l = await lintText(text, { filename: "t.cfg", config: false });
  assert.ok(!l.findings.some((f) => f.ruleId === "pat-drops-ipsec"));
});

test("zone-based firewall: pass needs the reverse zone-pair; a zone member and a non-member cannot talk; same zone passes", async () => {
  const pass = run(edit(fixture("zbf.cfg"), [["  inspect\n", "  pass\n"], [" ip access-group WAN-IN in\n", ""]]));
  const back = session(pass, 1, "IKE", "return");
  assert.is(back.verdict, "drop");
  assert.match(back.detail!, /no zone-pair from zone outside to zone inside/);
  const reverse = run(
    edit(fixture("zbf.cfg"), [
      ["  inspect\n", "  pass\n"],
      [" ip access-group WAN-IN in\n", ""],
      ["interface GigabitEthernet0/0", "zone-pair security OUT-IN source outside destination inside\n service-policy type inspect IN-TO-OUT\ninterface GigabitEthernet0/0"],
    ]),
  );
  assert.is(session(reverse, 2, "NAT-T", "return").verdict, "permit");
  const nonMember = run(edit(fixture("zbf.cfg"), [[" zone-member security inside\n", ""]]));
  assert.match(session(nonMember, 1, "IKE", "outbound").detail!, /in zone outside, GigabitEthernet0\/0 in none/);
  const same = run(edit(fixture("zbf.cfg"), [[" zone-member security inside\n", " zone-member security outside\n"], [" ip access-group WAN-IN in\n", ""]]));
  assert.equal([session(same, 2, "IKE", "outbound").verdict, session(same, 2, "IKE", "return").verdict], ["permit", "permit"]);
});

test("zone-based firewall: a class ACL that matches the real but not the translated packet, or an unknown protocol, is conditional", async () => {
  const acl = run(
    edit(fixture("zbf.cfg"), [
      [" match protocol udp\n", " match access-group name INSIDE-HOSTS\n"],
      ["ip access-list standard NAT-CLIENTS", "ip access-list extended INSIDE-HOSTS\n permit udp 192.168.100.0 0.0.0.255 any\nip access-list standard NAT-CLIENTS"],
    ]),
  );
  const s = session(acl, 1, "IKE", "outbound");
  assert.is(s.verdict, "conditional");
  assert.match(s.reason!, /class-map ACL INSIDE-HOSTS .*before NAT but not after it/);
  const unknown = run(edit(fixture("zbf.cfg"), [[" match protocol udp\n", " match protocol my-vpn-app\n"]]));
  assert.match(session(unknown, 1, "IKE", "outbound").reason!, /does not know which ports my-vpn-app covers/);
});

test("reflexive ACL: the entries of the outbound reflect line permit every client's replies at evaluate, after the lines before it", async () => {
  const text = fixture("reflexive.cfg");
  const r = run(text);
  const c1 = session(r, 1, "IKE", "return");
  const staticLine = lineOf(text, "permit udp host 203.0.113.10 eq isakmp host 192.0.2.2 eq isakmp");
  assert.equal([c1.verdict, c1.checkpoints[0]!.line, c1.checkpoints[0]!.feature], ["permit", staticLine, undefined], "client 1: the static line before evaluate");
  const c2 = session(r, 2, "IKE", "return");
  assert.is(c2.verdict, "permit");
  const k = c2.checkpoints[0]!;
  assert.equal([k.feature?.name, k.line, k.source], ["reflexive ACL", lineOf(text, "evaluate udptraffic"), "evaluate udptraffic"]);
  assert.ok(k.feature!.what.includes(`reflect udptraffic (outboundfilters line ${lineOf(text, "permit udp any host 203.0.113.10 reflect udptraffic")})`), k.feature!.what);
});

test("reflexive ACL: an entry reflected before NAT (inside in) does not match the translated reply on the outside", async () => {
  const text = edit(fixture("reflexive.cfg"), [
    [" ip access-group outboundfilters out\n", ""],
    [" ip nat inside\n", " ip nat inside\n ip access-group outboundfilters in\n"],
  ]);
  const r = run(text);
  assert.is(session(r, 2, "IKE", "return").verdict, "drop");
  const l = await lintText(text, { filename: "t.cfg", config: false });
  assert.ok(l.findings.some((f) => f.ruleId === "pat-drops-ipsec" && f.line === lineOf(text, "permit udp host 203.0.113.10 eq isakmp host 192.0.2.2 eq isakmp")), "the static line that only client 1 gets is reported");
});

test("reflexive ACL: when the outbound is dropped before its reflect line permits it, the reply is conditional on the outbound fix", async () => {
  const text = edit(fixture("reflexive.cfg"), [[" permit udp any host 203.0.113.10 reflect udptraffic", " permit udp host 192.0.2.2 eq isakmp host 203.0.113.10 reflect udptraffic"]]);
  const r = run(text);
  assert.is(session(r, 2, "IKE", "outbound").verdict, "drop");
  const back = session(r, 2, "IKE", "return");
  assert.is(back.verdict, "conditional");
  assert.match(back.reason!, /once the outbound session is permitted/);
  const l = await lintText(text, { filename: "t.cfg", config: false });
  const drops = l.findings.filter((f) => f.ruleId === "pat-drops-ipsec").map((f) => f.line);
  assert.equal(drops, [lineOf(text, "permit udp host 192.0.2.2 eq isakmp host 203.0.113.10 reflect udptraffic")], "the outbound reflect line, not the return line");
});

test.run();
