/**
 * Configs laid out the way people paste them are read fully (test/fixtures/layouts, written for
 * these tests): an 800-series router copied from a web page with one leading space on every line
 * (global commands and sub-commands alike), and a lab router typed in without indentation, with
 * abbreviations (`int e0/0`, `no shut`) and an `interface range`.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { fileURLToPath } from "node:url";
import { explain, lint, loadDevice } from "../src/api/index.js";

const DIR = fileURLToPath(new URL("./fixtures/layouts/", import.meta.url));

async function findings(name: string): Promise<string[]> {
  const r = await lint({ patterns: [DIR + name], cwd: DIR, config: false });
  return r.findings.map((f) => `${f.ruleId}@${f.line}: ${f.message}`);
}

test("800-series with one leading space on every line: read as the indented original", async () => {
  const flat = await findings("c800-one-space.cfg");
  assert.equal(flat, await findings("c800-indented.cfg"));
  const { device: d } = loadDevice(DIR + "c800-one-space.cfg");
  assert.equal([...d.acls.keys()].sort(), ["102", "103", "120"]);
  assert.is(d.acls.get("103")!.entries.length, 4);
  const e0 = d.interfaces.find((i) => i.name === "Ethernet0")!;
  const e1 = d.interfaces.find((i) => i.name === "Ethernet1")!;
  assert.equal([e0.natRole, e1.natRole], ["inside", "outside"]);
  assert.equal(e1.accessGroups.map((g) => `${g.acl} ${g.direction}`), ["103 in"]);
  assert.is(d.natRules.length, 1);
  assert.equal(d.features.inspections.map((x) => `${x.iface} ${x.name} ${x.direction}`), ["Ethernet1 myfw out"]);
  assert.equal(d.features.inspectRules.get("myfw")!.protocols, ["tcp", "udp", "ftp"]);
  assert.equal(d.features.cryptoMaps.get("VPN")!.map((e) => [e.seq, e.acl, e.peers]), [[10, "120", ["203.0.113.10"]]]);
  assert.equal(d.features.cryptoMapBindings.map((b) => b.iface), ["Ethernet1"]);
  // the old reader lost these lines: no "ACL 103 is not defined", no skipped line
  assert.not.ok(flat.some((f) => f.startsWith("undefined-reference") || f.startsWith("unrecognized-syntax")), flat.join("\n"));
  assert.ok(flat.some((f) => f.startsWith("config-note@41: CBAC \"ip inspect myfw out\"")), flat.join("\n"));
  assert.ok(flat.some((f) => f.startsWith("unmodelled-feature@42: crypto map VPN on Ethernet1")), flat.join("\n"));
  // CBAC (udp) opens the replies the inbound ACL 103 would drop: no false pat-drops-ipsec error
  assert.not.ok(flat.some((f) => f.startsWith("pat-drops-ipsec")), flat.join("\n"));
  // no peer of the clients in the ACLs: the stand-in is not the router's own crypto map peer 203.0.113.10
  const r = explain(DIR + "c800-indented.cfg");
  assert.equal([...new Set(r.sessions.map((s) => s.peer.ip))], ["198.51.100.10"]);
  assert.ok(r.sessions.filter((s) => s.direction === "return").every((s) => s.verdict === "permit" && s.checkpoints.some((c) => c.feature?.name === "CBAC")));
});

test("unindented lab config with abbreviations: interfaces, NAT roles and clients as on the router", async () => {
  const f = await findings("lab-unindented.cfg");
  assert.equal(f, [], f.join("\n"));
  const { device: d } = loadDevice(DIR + "lab-unindented.cfg");
  const by = new Map(d.interfaces.map((i) => [i.name, i]));
  assert.equal([...by.keys()], ["Ethernet0/0", "Ethernet0/1", "Ethernet0/2", "Ethernet0/3"]);
  assert.equal([by.get("Ethernet0/0")!.natRole, by.get("Ethernet0/1")!.natRole], ["outside", "inside"]);
  assert.equal([by.get("Ethernet0/0")!.shutdown, by.get("Ethernet0/2")!.shutdown], [undefined, true]);
  assert.equal(by.get("Ethernet0/0")!.accessGroups.map((g) => g.acl), ["EDGE-IN"]);
  assert.is(d.acls.get("EDGE-IN")!.entries.length, 3);
  assert.equal(d.natRules[0]!.mapped, { kind: "interface", iface: "Ethernet0/0" });
  const r = explain(DIR + "lab-unindented.cfg", { clients: 2 });
  const inside = [...new Set(r.sessions.map((s) => s.inside.ip))];
  assert.equal(inside, ["192.168.10.2", "192.168.10.3"], "clients come from the LAN, not the router's own address");
});

test.run();
