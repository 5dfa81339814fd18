/** Device-level simulation: order of operations, port sets, time-ranges, client and peer choice. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { explain, lint } from "../src/api/index.js";
import { loadBuiltinRules } from "../src/engine/rules.js";

const EX = fileURLToPath(new URL("../examples/", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "natlint-sim-"));
function variant(name: string, from: string, edits: Array<[string, string]>): string {
  let text = readFileSync(join(EX, from), "utf8");
  for (const [a, b] of edits) {
    assert.ok(text.includes(a), `fixture edit: ${a}`);
    text = text.replace(a, b);
  }
  const f = join(dir, name);
  writeFileSync(f, text);
  return f;
}

test("IOS with a random profile: a checkpoint over a port set says drop for k of m ports", () => {
  const f = variant("partial.cfg", "ios-pat-broken.cfg", [[" permit udp host 192.0.2.2 eq isakmp host 203.0.113.10 eq isakmp", " permit udp host 192.0.2.2 range 1 255 host 203.0.113.10 eq isakmp"]]);
  const r = explain(f, { profile: "asa" });
  const s = r.sessions.find((x) => x.client === 2 && x.flow === "IKE" && x.direction === "outbound")!;
  assert.equal(s.translated, { ip: "192.0.2.2", ports: [[1, 499], [501, 511]] });
  const cp = s.checkpoints[0]!;
  assert.equal([cp.action, cp.portsDenied, cp.portsTotal], ["deny", 255, 510], "ports 256-511 minus 500 are denied");
  assert.is(s.verdict, "drop");
  assert.match(s.detail!, /drop for 255 of 510 ports/);
});

test("ASA: interface ACLs see real ports, replies are not checked, pat-drops-ipsec stays silent", async () => {
  const r = explain(join(EX, "asa-pat-clients.cfg"));
  assert.is(r.vendor, "asa");
  const c2 = r.sessions.find((x) => x.client === 2 && x.flow === "IKE" && x.direction === "outbound")!;
  assert.equal(c2.inside, { ip: "192.168.100.12", port: 500 }, "clients come from the dhcpd range");
  assert.equal(c2.translated!.ports, [[1, 499], [501, 511]], "ASA 9.12: random in the 1-511 tier");
  assert.is(c2.translated!.port, undefined);
  assert.equal(c2.checkpoints.map((c) => [c.acl, c.sees, c.action]), [["INSIDE-IN", "real", "permit"]]);
  assert.ok(r.sessions.filter((x) => x.direction === "return").every((x) => x.checkpoints.length === 0 && x.verdict === "permit"));
  const l = await lint({ patterns: [join(EX, "asa-pat-clients.cfg")], config: false });
  assert.ok(!l.findings.some((f) => f.ruleId === "pat-drops-ipsec"));
  assert.equal(l.files.map((f) => f.vendor), ["asa"]);
});

test("ASA: a packet no line of the interface ACL matches falls through to the global ACL", () => {
  const f = variant("global.cfg", "asa-pat-clients.cfg", [
    ["access-list INSIDE-IN extended deny ip any any log\n", ""],
    ["access-group INSIDE-IN in interface inside", "access-group INSIDE-IN in interface inside\naccess-list GLOBAL extended deny udp any any eq 4500\naccess-group GLOBAL global"],
    ["access-list INSIDE-IN extended permit udp 192.168.100.0 255.255.255.0 eq 4500 object HEADEND eq 4500\n", ""],
  ]);
  const r = explain(f);
  const ike = r.sessions.find((x) => x.client === 1 && x.flow === "IKE" && x.direction === "outbound")!;
  assert.equal(ike.checkpoints.map((c) => [c.acl, c.action]), [["INSIDE-IN", "permit"]], "matched by the interface ACL");
  const natt = r.sessions.find((x) => x.client === 1 && x.flow === "NAT-T" && x.direction === "outbound")!;
  assert.equal(natt.checkpoints.map((c) => [c.interface, c.acl, c.action]), [["global", "GLOBAL", "deny"]]);
  assert.match(natt.checkpoints[0]!.fallThroughFrom ?? "", /INSIDE-IN/);
  assert.is(natt.verdict, "drop");
});

test("ASA: pat-pool options choose the profile (block-allocation, flat include-reserve)", () => {
  for (const [opts, profile] of [["block-allocation", "asa-block-allocation"], ["flat include-reserve", "asa-flat-include-reserve"]] as const) {
    const f = variant(`pool-${profile}.cfg`, "asa-pat-clients.cfg", [
      [" nat (inside,outside) dynamic interface\n", ""],
      ["object network HEADEND", `object network PAT-POOL\n range 192.0.2.2 192.0.2.2\nnat (inside,outside) source dynamic INSIDE-NET pat-pool PAT-POOL ${opts}\nobject network HEADEND`],
    ]);
    const r = explain(f);
    assert.equal(r.nat.map((n) => n.profile), [profile], r.notes.join("; "));
  }
});

test("ASA 9.15+: flat profile, the first client's IKE may leave on a high port, and the output says it assumes so", () => {
  const f = variant("asa916.cfg", "asa-pat-clients.cfg", [["ASA Version 9.12(4)", "ASA Version 9.16(3)"]]);
  const r = explain(f);
  assert.ok(r.notes.some((n) => /asa-9\.15/.test(n)));
  assert.ok(r.notes.some((n) => /assumed/.test(n)), "the unconfirmed assumption is stated");
  const c1 = r.sessions.find((x) => x.client === 1 && x.flow === "IKE")!;
  assert.equal(c1.translated!.ports, [[1024, 65535]]);
});

test("a time-range on the deciding line makes the verdict conditional, and explain says so", () => {
  const f = variant("tr.cfg", "ios-pat-broken.cfg", [
    [" permit udp host 192.0.2.2 eq isakmp host 203.0.113.10 eq isakmp", " permit udp host 192.0.2.2 eq isakmp host 203.0.113.10 eq isakmp time-range OFFICE"],
    ["ip route 0.0.0.0", "time-range OFFICE\n periodic weekdays 8:00 to 18:00\nip route 0.0.0.0"],
  ]);
  const r = explain(f);
  const c1 = r.sessions.find((x) => x.client === 1 && x.flow === "IKE" && x.direction === "outbound")!;
  assert.is(c1.checkpoints[0]!.timeRange, "OFFICE");
  assert.ok(r.notes.some((n) => /time-range/.test(n)));
});

test("an ACL bound but not defined permits everything in the simulation and is reported", async () => {
  const f = variant("undef.cfg", "ios-pat-broken.cfg", [[" ip access-group OUTSIDE-OUT out", " ip access-group NO-SUCH-ACL out"]]);
  const r = explain(f);
  const c2 = r.sessions.find((x) => x.client === 2 && x.flow === "IKE" && x.direction === "outbound")!;
  assert.equal(c2.checkpoints.map((c) => [c.acl, c.defined, c.action]), [["NO-SUCH-ACL", false, "permit"]]);
  const l = await lint({ patterns: [f], config: false });
  assert.ok(l.findings.some((x) => x.ruleId === "undefined-reference" && /NO-SUCH-ACL/.test(x.message) && /permits all traffic/.test(x.message)));
});

test("ipsec-nat-t-missing is about address pairs: a NAT-T permit from any source port counts", async () => {
  const f = join(dir, "natt.cfg");
  writeFileSync(
    f,
    "interface Gi0/0\n ip access-group A out\nip access-list extended A\n permit udp host 192.0.2.2 range 1 511 host 203.0.113.10 eq isakmp\n permit udp host 192.0.2.2 host 203.0.113.10 eq non500-isakmp\n",
  );
  const l = await lint({ patterns: [f], config: false });
  assert.ok(!l.findings.some((x) => x.ruleId === "ipsec-nat-t-missing"), JSON.stringify(l.findings));
});

test("PAT exhaustion is a result: translated null, verdict drop", () => {
  const r = explain(join(EX, "ios-pat-broken.cfg"), { clients: 513 });
  const ike = r.sessions.filter((x) => x.flow === "IKE" && x.direction === "outbound");
  assert.is(ike.length, 513);
  // One global address: 500 for client 1, then 1-499 and 501-511: 511 translations, then none.
  assert.is(ike.filter((s) => s.translated !== null).length, 511);
  for (const s of ike.slice(511)) {
    assert.is(s.translated, null);
    assert.is(s.verdict, "drop");
    assert.match(s.detail!, /exhausted/);
  }
  assert.is(ike[510]!.translated!.port, 511);
  // NAT-T has 64,512 ports: nobody runs out.
  assert.ok(r.sessions.filter((x) => x.flow === "NAT-T").every((s) => s.translated !== null));
});

test("ipsec-source-port-pinned judges this device's own PAT ports with the --profile override", async () => {
  const f = fileURLToPath(new URL("./fixtures/rules/ipsec-source-port-pinned/pat-outside-own-bands.cfg", import.meta.url));
  const rules = loadBuiltinRules().filter((r) => r.id === "ipsec-source-port-pinned");
  const ios = await lint({ patterns: [f], config: false, rules });
  assert.equal(ios.findings.map((x) => x.line), [], "IOS PAT: replies to 1-511 are what this router gives");
  const flat = await lint({ patterns: [f], config: false, rules, profile: "asa-flat" });
  assert.equal(flat.findings.map((x) => x.line), [25], "flat PAT: replies go to 1024-65535, lt 512 drops them");
});



test("several PAT rules: explain labels each rule's block with its line and interfaces", async () => {
  const f = join(dir, "two-pats.cfg");
  writeFileSync(
    f,
    `interface Gi0/0
 ip address 10.1.1.1 255.255.255.0
 ip nat inside
interface Gi0/1
 ip address 192.0.2.2 255.255.255.252
 ip nat outside
ip access-list standard A
 permit 10.1.1.0 0.0.0.127
ip access-list standard B
 permit 10.1.1.128 0.0.0.127
ip nat pool P 198.51.100.1 198.51.100.1 prefix-length 30
ip nat inside source list A interface Gi0/1 overload
ip nat inside source list B pool P overload
`,
  );
  const r = explain(f);
  assert.equal(r.nat.map((n) => n.line), [12, 13]);
  assert.equal([...new Set(r.sessions.map((s) => s.patRule))], [12, 13]);
  const { cli } = await import("./helpers/cli.js");
  const t = await cli(["explain", f]);
  assert.match(t.stdout, /PAT rule line 12 \(inside GigabitEthernet0\/0, outside GigabitEthernet0\/1\): "ip nat inside source list A interface Gi0\/1 overload"/);
  assert.match(t.stdout, /PAT rule line 13 \(inside GigabitEthernet0\/0, outside GigabitEthernet0\/1\): "ip nat inside source list B pool P overload"/);
});

test.run();
