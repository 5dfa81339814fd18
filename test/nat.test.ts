import { test } from "uvu";
import * as assert from "uvu/assert";
import { PatTable } from "../src/nat/pat.js";
import { asa915Profile, asaBlockProfile, asaFlatProfile, asaProfile, iosProfile, linuxProfile, patPortsAnyPlatform, withExtended, PROFILES, asaFlatReserveProfile } from "../src/nat/profiles.js";
import { flowsForPorts, IPSEC_FLOWS, simulatePat } from "../src/sim/sessions.js";
import { parseIp } from "../src/model/addr.js";
import { portCount } from "../src/model/ports.js";

const G = parseIp("192.0.2.2")!;
const G2 = parseIp("192.0.2.3")!;
const PEER = parseIp("203.0.113.10")!;
const clients = (n: number) => Array.from({ length: n }, (_, i) => parseIp("192.168.100.11")! + i);

test("ios: IKE gets 500, 1, 2, …; NAT-T gets 4500, 1024, 1025, …", () => {
  const s = simulatePat(new PatTable(iosProfile, [G]), clients(5), IPSEC_FLOWS, PEER);
  assert.equal(s.filter((x) => x.flow === "IKE").map((x) => x.translated!.port), [500, 1, 2, 3, 4]);
  assert.equal(s.filter((x) => x.flow === "NAT-T").map((x) => x.translated!.port), [4500, 1024, 1025, 1026, 1027]);
  assert.ok(s.every((x) => x.translated!.ip === G));
  assert.equal(s[0]!.translated!.kept, true);
  assert.equal(s[2]!.translated!.kept, false);
});

test("ios: the order of sessions does not change the ports (different groups)", () => {
  const t = new PatTable(iosProfile, [G]);
  const nat = simulatePat(t, clients(3), flowsForPorts([4500]), PEER).map((x) => x.translated!.port);
  const ike = simulatePat(t, clients(3), flowsForPorts([500]), PEER).map((x) => x.translated!.port);
  assert.equal(nat, [4500, 1024, 1025]);
  assert.equal(ike, [500, 1, 2]);
});

test("ios: uniqueness per (protocol, global IP) whatever the destination", () => {
  const t = new PatTable(iosProfile, [G]);
  const a = t.allocate({ protocol: 17, insideIp: 1, insidePort: 500, dstIp: PEER, dstPort: 500 })!;
  const b = t.allocate({ protocol: 17, insideIp: 2, insidePort: 500, dstIp: PEER + 1, dstPort: 500 })!;
  const c = t.allocate({ protocol: 6, insideIp: 3, insidePort: 500, dstIp: PEER, dstPort: 500 })!;
  assert.is(a.port, 500);
  assert.is(b.port, 1, "another peer does not free port 500");
  assert.is(c.port, 500, "tcp has its own port space");
});

test("ios: port groups 1–511, 512–1023, 1024–65535; port 0 never used", () => {
  const t = new PatTable(iosProfile, [G]);
  const take = (port: number) => t.allocate({ protocol: 17, insideIp: 9, insidePort: port, dstIp: PEER, dstPort: 1 })!.port;
  assert.is(take(700), 700);
  assert.is(take(700), 512);
  assert.is(take(0), 1);
  assert.is(take(0), 2);
  assert.is(take(2000), 2000);
  assert.is(take(2000), 1024);
});

test("ios: the group exhausts, the pool moves to its next address and retries the original port; then exhaustion is a result", () => {
  const t = new PatTable(iosProfile, [G, G2]);
  const s = simulatePat(t, clients(1024), flowsForPorts([500]), PEER);
  assert.is(s[0]!.translated!.port, 500);
  assert.is(s[510]!.translated!.port, 511);
  assert.is(s[510]!.translated!.ip, G);
  assert.is(s[511]!.translated!.ip, G2, "the 512th client exhausts 1–511 on the first address");
  assert.is(s[511]!.translated!.port, 500, "and retries the original port");
  assert.is(s[1021]!.translated!.ip, G2);
  assert.is(s[1022]!.translated, undefined, "both addresses exhausted");
  assert.is(s[1023]!.translated, undefined);
});

test("asa: keeps the real port, then a random port of the same tier, as a set", () => {
  const s = simulatePat(new PatTable(asaProfile, [G]), clients(3), IPSEC_FLOWS, PEER);
  assert.is(s[0]!.translated!.port, 500);
  assert.is(s[1]!.translated!.port, 4500);
  const ike2 = s[2]!.translated!;
  assert.is(ike2.port, undefined);
  assert.equal(ike2.ports, [{ lo: 1, hi: 499 }, { lo: 501, hi: 511 }]);
  assert.equal(s[3]!.translated!.ports, [{ lo: 1024, hi: 4499 }, { lo: 4501, hi: 65535 }]);
});

test("asa-flat and asa-9.15: flat 1024–65535; 9.15 never keeps ports below 1024", () => {
  const f = simulatePat(new PatTable(asaFlatProfile, [G]), clients(2), IPSEC_FLOWS, PEER);
  assert.is(f[0]!.translated!.port, 500, "flat keeps a free real port");
  assert.equal(f[2]!.translated!.ports, [{ lo: 1024, hi: 4499 }, { lo: 4501, hi: 65535 }], "4500 is held by client 1's NAT-T");
  const n = simulatePat(new PatTable(asa915Profile, [G]), clients(2), IPSEC_FLOWS, PEER);
  assert.equal(n[0]!.translated!.ports, [{ lo: 1024, hi: 65535 }], "even the first client's IKE leaves on a high port");
  assert.is(n[1]!.translated!.port, 4500);
  assert.ok(asa915Profile.assumptions.length > 0, "the assumption is stated");
  const r = simulatePat(new PatTable(asaFlatReserveProfile, [G]), clients(2), flowsForPorts([500]), PEER);
  assert.equal(r[1]!.translated!.ports, [{ lo: 1, hi: 499 }, { lo: 501, hi: 65535 }]);
});

test("asa-block-allocation: never keeps the real port, random in 1024–65535", () => {
  const s = simulatePat(new PatTable(asaBlockProfile, [G]), clients(1), IPSEC_FLOWS, PEER);
  assert.equal(s.map((x) => x.translated!.ports), [[{ lo: 1024, hi: 65535 }], [{ lo: 1024, hi: 65535 }]]);
  assert.ok(s.every((x) => x.translated!.port === undefined && !x.translated!.kept));
});

test("linux and asa extended: unique per destination, so clients to different peers keep 500", () => {
  for (const p of [linuxProfile, withExtended(asaProfile)]) {
    const t = new PatTable(p, [G]);
    const a = t.allocate({ protocol: 17, insideIp: 1, insidePort: 500, dstIp: PEER, dstPort: 500 })!;
    const b = t.allocate({ protocol: 17, insideIp: 2, insidePort: 500, dstIp: PEER + 1, dstPort: 500 })!;
    const c = t.allocate({ protocol: 17, insideIp: 3, insidePort: 500, dstIp: PEER, dstPort: 500 })!;
    assert.is(a.port, 500, p.id);
    assert.is(b.port, 500, p.id);
    assert.is(c.port, undefined, p.id);
  }
  const t = new PatTable(linuxProfile, [G]);
  t.allocate({ protocol: 17, insideIp: 1, insidePort: 550, dstIp: PEER, dstPort: 550 });
  const x = t.allocate({ protocol: 17, insideIp: 2, insidePort: 550, dstIp: PEER, dstPort: 550 })!;
  assert.equal(x.ports, [{ lo: 600, hi: 1023 }], "Linux maps 512–1023 into 600–1023 (spec §3.1)");
});

test("random profiles exhaust after the band's size", () => {
  const t = new PatTable(asaProfile, [G]);
  const s = simulatePat(t, clients(600), flowsForPorts([500]), PEER);
  assert.ok(s[510]!.translated, "500 kept + 510 random picks fit in 1–511");
  assert.is(s[511]!.translated, undefined);
});

test("round-robin starts each new host at the next pool address; a host keeps its address for its other sessions", () => {
  const t = new PatTable(iosProfile, [G, G2], { roundRobin: true });
  const s = simulatePat(t, clients(3), flowsForPorts([500, 4500]), PEER);
  assert.equal(
    s.map((x) => [x.client, x.flow, x.translated!.ip, x.translated!.port]),
    [
      [1, "IKE", G, 500],
      [1, "NAT-T", G, 4500],
      [2, "IKE", G2, 500],
      [2, "NAT-T", G2, 4500],
      [3, "IKE", G, 1],
      [3, "NAT-T", G, 1024],
    ],
  );
});

test("the PAT ports of any platform: IKE 1–511 ∪ 1024–65535, NAT-T 1024–65535", () => {
  assert.equal(patPortsAnyPlatform(500), [{ lo: 1, hi: 511 }, { lo: 1024, hi: 65535 }]);
  assert.equal(patPortsAnyPlatform(4500), [{ lo: 1024, hi: 65535 }]);
  assert.ok(PROFILES.every((p) => p.bands.every((b) => b.lo >= 1 && portCount([b]) > 0)), "no profile hands out port 0");
});



test("L2TP (1701) rides inside the client's NAT-T session: no translation of its own", () => {
  const t = new PatTable(iosProfile, [G]);
  const s = simulatePat(t, clients(2), flowsForPorts([500, 4500, 1701]), PEER);
  assert.equal(
    s.map((x) => [x.client, x.flow, x.translated!.port, x.carriedIn?.flow ?? null]),
    [
      [1, "IKE", 500, null],
      [1, "NAT-T", 4500, null],
      [1, "L2TP", 4500, "NAT-T"],
      [2, "IKE", 1, null],
      [2, "NAT-T", 1024, null],
      [2, "L2TP", 1024, "NAT-T"],
    ],
  );
  // without NAT-T in the list, the carrier session is still opened for L2TP (and only once)
  const only = simulatePat(new PatTable(iosProfile, [G]), clients(2), flowsForPorts([1701]), PEER);
  assert.equal(only.map((x) => x.translated!.port), [4500, 1024]);
});
test.run();
