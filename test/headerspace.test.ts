/**
 * Property tests: the BDD sets agree with the reference semantics in src/acl/match.ts on random
 * (seeded, reproducible) ACE matches and packets biased towards the values the matches test.
 */
import { AclSets } from "../src/acl/sets.js";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { aceMatches } from "../src/acl/evaluate.js";
import { planOf } from "../src/acl/semantics.js";
import { HeaderSpace, type PSet } from "../src/headerspace/index.js";
import { NodeMarks, witnessBySets, witnessOf } from "../src/headerspace/witness.js";
import { parseIp } from "../src/model/addr.js";
import { TCP, packet, type AceMatch, type Packet } from "../src/model/types.js";
import { Gen, randomMatch, randomPacket } from "../bench/random.js";

const TOTAL = 135;
/** An IPv6 packet's header bits (its 128-bit addresses instead of the IPv4 ones). */
const TOTAL6 = 327;
/** The size of a set that fixes `k` bits of the fields both families share: its IPv4 and its IPv6 packets. */
const both = (k: number): bigint => pow2(TOTAL - k) + pow2(TOTAL6 - k);
const pow2 = (n: number): bigint => 1n << BigInt(n);
const ip = (s: string): number => parseIp(s)!;
const ANY = { addr: 0, wildcard: 0xffffffff };

function show(m: AceMatch, p: Packet): string {
  return `match ${JSON.stringify(m)}\npacket ${JSON.stringify(p)}`;
}

test("the encoder (AclSets.match) and the reference evaluator (aceMatches) agree: one ACE semantics (random, seeded)", () => {
  const g = new Gen(0x5eed);
  const sets = new AclSets(new HeaderSpace());
  const hs = sets.hs;
  let hits = 0;
  let checks = 0;
  for (let i = 0; i < 600; i++) {
    const m = randomMatch(g);
    const action = g.pick(["permit", "deny"] as const);
    const vendor = g.pick(["ios", "asa"] as const);
    const s = sets.match(m, action, vendor);
    for (let k = 0; k < 120; k++) {
      const p = randomPacket(g, m);
      const want = aceMatches(m, p, action, vendor);
      if (hs.contains(s, p) !== want) assert.unreachable(`seed 0x5eed ace ${i} (${vendor} ${action}) packet ${k}: expected ${want}\n${show(m, p)}`);
      if (want) hits++;
      checks++;
    }
  }
  // the packet generator must actually exercise both outcomes
  assert.ok(hits > checks * 0.15 && hits < checks * 0.85, `hit ratio ${hits}/${checks}`);
});

test("AclSets.match is cached by identity and equal matches give the same handle", () => {
  const sets = new AclSets(new HeaderSpace());
  const m: AceMatch = { src: [ANY], dst: [{ addr: ip("10.0.0.1"), wildcard: 0 }], services: [{ protocol: 6, dstPorts: [{ lo: 80, hi: 80 }] }] };
  const copy: AceMatch = JSON.parse(JSON.stringify(m)) as AceMatch;
  assert.is(sets.match(m, "permit", "ios"), sets.match(m, "permit", "ios"));
  assert.is(sets.match(copy, "permit", "ios"), sets.match(m, "permit", "ios")); // canonical BDDs: same set → same handle
});

test("witness is a member of the set, and honours preferences when possible", () => {
  const g = new Gen(77);
  const sets = new AclSets(new HeaderSpace());
  const hs = sets.hs;
  for (let i = 0; i < 300; i++) {
    const m = randomMatch(g);
    const s = sets.match(m, "permit", "ios");
    const w = hs.witness(s);
    if (s === hs.none) {
      assert.is(w, undefined);
      continue;
    }
    assert.ok(w, "non-empty set has a witness");
    assert.ok(hs.contains(s, w!), `witness not in set\n${show(m, w!)}`);
    assert.ok(aceMatches(m, w!), `witness not matched by aceMatches\n${show(m, w!)}`);
    const pref = randomPacket(g, m);
    const w2 = hs.witness(s, pref)!;
    assert.ok(aceMatches(m, w2));
    if (aceMatches(m, pref)) {
      // every field can take the preferred value together, so the witness is the packet itself
      assert.equal(w2, pref);
    }
  }
  const udp500 = sets.match({ src: [ANY], dst: [ANY], services: [{ protocol: 17, srcPorts: [{ lo: 500, hi: 500 }] }, { protocol: 6 }] }, "permit", "ios");
  const w = hs.witness(udp500, { protocol: 17, dstPort: 4500 })!;
  assert.is(w.protocol, 17);
  assert.is(w.srcPort, 500);
  assert.is(w.dstPort, 4500);
  const readable = hs.witness(sets.match({ src: [{ addr: ip("192.0.2.0"), wildcard: 255 }], dst: [ANY], services: [{ protocol: 6, dstPorts: [{ lo: 443, hi: 443 }] }] }, "permit", "ios"))!;
  assert.is(readable.src, ip("192.0.2.1"));
  assert.is(readable.protocol, 6);
  assert.is(readable.fragment, false);
  assert.is(readable.tcpFlags, TCP.SYN);
  assert.is(hs.witness(hs.none), undefined);
});

test("witness: the search over paths gives the packet of the definition by set operations (unions, differences, IPv6, preferences)", () => {
  const g = new Gen(4711);
  const sets = new AclSets(new HeaderSpace());
  const hs = sets.hs;
  let v6 = 0;
  for (let i = 0; i < 400; i++) {
    // unions and differences of a few lines' matches, some with IPv6 operands
    let s: PSet = hs.none;
    for (let k = g.int(1, 4); k > 0; k--) {
      const m = randomMatch(g);
      if (g.int(0, 4) === 0) Object.assign(m, { src: [], dst: [], src6: [{ addr: 0x20010db8n << 96n, len: g.pick([0, 32, 64]) }], dst6: [{ addr: (0x20010db8n << 96n) | BigInt(g.int(0, 9)), len: g.pick([32, 128]) }] });
      const x = sets.match(m, g.pick(["permit", "deny"] as const), g.pick(["ios", "asa"] as const));
      s = g.int(0, 3) === 0 ? hs.diff(s, x) : hs.or(s, x);
    }
    const pref: Partial<Packet> | undefined = g.int(0, 2) === 0 ? undefined : randomPacket(g, randomMatch(g));
    const w = witnessOf(hs, s, pref);
    assert.equal(w, witnessBySets(hs, s, pref), `set ${i}`);
    if (w?.v6) v6++;
  }
  assert.ok(v6 > 5, `IPv6 witnesses exercised (${v6})`);
});

test("witness: node marks start empty for each search, across managers of other sizes and past the 16-bit stamps' wrap", () => {
  const m = new NodeMarks();
  m.begin(8);
  m.add(5);
  assert.ok(m.has(5));
  m.delete(5);
  assert.not.ok(m.has(5));
  m.add(5);
  // every later search starts empty, also when the generation counter wraps (stamps cleared)
  for (let i = 0; i < 70_000; i++) {
    m.begin(8);
    if (m.has(5)) assert.unreachable(`node 5 marked in search ${i} without being added`);
  }
  m.add(7);
  m.begin(1000); // a larger manager: the array grows, nothing is marked
  assert.not.ok(m.has(7));
  m.add(999);
  assert.ok(m.has(999));
  m.begin(8);
  assert.not.ok(m.has(999));
  // searches alternating between a large manager and a small one give the definition's packets
  const g = new Gen(99);
  const big = new AclSets(new HeaderSpace());
  const small = new AclSets(new HeaderSpace());
  for (let k = 0; k < 200; k++) big.match(randomMatch(g), "permit", "ios");
  for (let i = 0; i < 100; i++) {
    const sets = i % 2 === 0 ? big : small;
    const s = sets.hs.diff(sets.match(randomMatch(g), "permit", "ios"), sets.match(randomMatch(g), "deny", "ios"));
    assert.equal(witnessOf(sets.hs, s), witnessBySets(sets.hs, s), `set ${i}`);
  }
});

test("plans: one match asked as an IOS permit, an IOS deny and an ASA line, in every order, gets each kind's plan", () => {
  const ike = (): AceMatch => ({ src: [{ addr: 0, wildcard: 0xffffffff }], dst: [{ addr: 0, wildcard: 0xffffffff }], services: [{ protocol: 17, dstPorts: [{ lo: 500, hi: 500 }] }] });
  // an IOS permit with a port also permits non-initial fragments (their layer-3 part); a deny and an ASA line test the port only
  const fragmentTests = (kind: readonly ["permit" | "deny", "ios" | "asa"], m: AceMatch) => planOf(m, kind[0], kind[1]).map((c) => c.tests.filter((t) => t.field === "fragment").map((t) => (t as { value: number }).value).join(","));
  const want = { "permit ios": ["0", "1"], "deny ios": ["0"], "permit asa": [""] } as Record<string, string[]>;
  const kinds = [["permit", "ios"], ["deny", "ios"], ["permit", "asa"]] as const;
  for (const order of [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]]) {
    const m = ike();
    for (const k of order) assert.equal(fragmentTests(kinds[k]!, m), want[kinds[k]!.join(" ")], `${kinds[k]!.join(" ")} after ${order.join(",")}`);
    // asked again: the same plan
    for (const k of order) {
      const [action, vendor] = kinds[k]!;
      assert.ok(planOf(m, action, vendor) === planOf(m, action, vendor));
    }
  }
});

test("count: exact sizes of simple sets", () => {
  const sets = new AclSets(new HeaderSpace());
  const hs = sets.hs;
  assert.is(hs.count(hs.all), both(0));
  assert.is(hs.count(hs.family(4)), pow2(TOTAL));
  assert.is(hs.count(hs.family(6)), pow2(TOTAL6));
  assert.is(hs.count(hs.none), 0n);
  // udp any any 500 as a header space: protocol (8 bits) and dst port (16 bits) fixed
  const udp500 = hs.and(hs.protocol(17), hs.portSet("dstPort", [{ lo: 500, hi: 500 }]));
  assert.is(hs.count(udp500), both(8 + 16));
  // as a deny line it also excludes non-initial fragments (layer-4 test), one more bit fixed
  const ace500 = sets.match({ src: [ANY], dst: [ANY], services: [{ protocol: 17, dstPorts: [{ lo: 500, hi: 500 }] }] }, "deny", "ios");
  assert.is(hs.count(ace500), pow2(TOTAL - 8 - 16 - 1));
  // as an IOS permit line it also takes every non-initial fragment of udp (its layer-3 part)
  const permit500 = sets.match({ src: [ANY], dst: [ANY], services: [{ protocol: 17, dstPorts: [{ lo: 500, hi: 500 }] }] }, "permit", "ios");
  assert.is(hs.count(permit500), pow2(TOTAL - 8 - 16 - 1) + pow2(TOTAL - 8 - 1));
  // an ASA line sees reassembled packets: the fragment bit is free
  assert.is(hs.count(sets.match({ src: [ANY], dst: [ANY], services: [{ protocol: 17, dstPorts: [{ lo: 500, hi: 500 }] }] }, "deny", "asa")), pow2(TOTAL - 8 - 16));
  // host to host, any protocol: 64 address bits fixed
  const hh = sets.match({ src: [{ addr: ip("10.0.0.1"), wildcard: 0 }], dst: [{ addr: ip("10.0.0.2"), wildcard: 0 }], services: [{ protocol: null }] }, "permit", "ios");
  assert.is(hs.count(hh), pow2(TOTAL - 64));
  // tcp established (a deny line): ACK or RST → 3/4 of the flag space, non-fragments only
  const est = sets.match({ src: [ANY], dst: [ANY], services: [{ protocol: 6, established: true }] }, "deny", "ios");
  assert.is(hs.count(est), (pow2(TOTAL - 8 - 1) * 3n) / 4n);
  // port range 1024-65535 on udp, source side
  const hi = hs.and(hs.protocol(17), hs.field("srcPort", 1024, 65535));
  assert.is(hs.count(hi), 64512n * both(8 + 16));
  // non-contiguous wildcard 10.0.0.0 0.255.0.255: 16 free address bits
  // (an IPv4 address test is a test of IPv4 packets: with the family, as ACE lines have it)
  const nc = hs.and(hs.family(4), hs.addrSet("dst", [{ addr: ip("10.0.0.0"), wildcard: ip("0.255.0.255") }]));
  assert.is(hs.count(nc), pow2(TOTAL - 16));
  // dscp 46: 6 ToS bits fixed
  assert.is(hs.count(hs.tosBits(2, 6, 46)), both(6));
});

test("count is additive: |a| + |b| = |a ∪ b| + |a ∩ b|, |a| + |¬a| = |all|", () => {
  const g = new Gen(4242);
  const sets = new AclSets(new HeaderSpace());
  const hs = sets.hs;
  for (let i = 0; i < 150; i++) {
    const a = sets.match(randomMatch(g), "permit", "ios");
    const b = sets.match(randomMatch(g), "permit", "ios");
    assert.is(hs.count(a) + hs.count(b), hs.count(hs.or(a, b)) + hs.count(hs.and(a, b)));
    assert.is(hs.count(a) + hs.count(hs.not(a)), both(0));
  }
});

test("algebra: subset/disjoint/diff/not agree with each other and with packets", () => {
  const g = new Gen(99);
  const sets = new AclSets(new HeaderSpace());
  const hs = sets.hs;
  for (let i = 0; i < 200; i++) {
    const ma = randomMatch(g);
    const mb = randomMatch(g);
    const a = sets.match(ma, "permit", "ios");
    const b = sets.match(mb, "permit", "ios");
    assert.is(hs.subset(a, b), hs.isEmpty(hs.diff(a, b)));
    assert.is(hs.disjoint(a, b), hs.isEmpty(hs.and(a, b)));
    assert.is(hs.not(hs.not(a)), a);
    assert.is(hs.diff(a, b), hs.and(a, hs.not(b)));
    assert.is(hs.or(hs.and(a, b), hs.diff(a, b)), a);
    for (let k = 0; k < 20; k++) {
      const p = randomPacket(g, g.chance(0.5) ? ma : mb);
      const ia = aceMatches(ma, p);
      const ib = aceMatches(mb, p);
      assert.is(hs.contains(hs.or(a, b), p), ia || ib);
      assert.is(hs.contains(hs.diff(a, b), p), ia && !ib);
      assert.is(hs.contains(hs.not(a), p), !ia);
    }
  }
});

test("field ranges are exact at their edges", () => {
  const sets = new AclSets(new HeaderSpace());
  const hs = sets.hs;
  const g = new Gen(3);
  for (let i = 0; i < 300; i++) {
    const lo = g.int(0, 65535);
    const hi = g.chance(0.1) ? lo - 1 : g.int(lo, 65535);
    const s = hs.field("dstPort", lo, hi);
    for (const port of [lo - 1, lo, hi, hi + 1, 0, 65535, g.int(0, 65535)]) {
      if (port < 0 || port > 65535) continue;
      const p = packet({ protocol: 6, src: 0, dst: 0, dstPort: port });
      assert.is(hs.contains(s, p), port >= lo && port <= hi, `[${lo},${hi}] ∋ ${port}`);
    }
    if (hi >= lo) assert.is(hs.count(s), BigInt(hi - lo + 1) * both(16));
  }
  assert.is(hs.field("protocol", 0, 255), hs.all);
  assert.is(hs.field("protocol", 300, 400), hs.none);
});

test("exists / setField forget and rewrite one field", () => {
  const sets = new AclSets(new HeaderSpace());
  const hs = sets.hs;
  const g = new Gen(11);
  const s = sets.match({ src: [{ addr: ip("10.1.1.1"), wildcard: 0 }], dst: [ANY], services: [{ protocol: 17, srcPorts: [{ lo: 500, hi: 500 }], dstPorts: [{ lo: 500, hi: 500 }] }] }, "deny", "ios");
  const moved = hs.setField(s, "srcPort", 4500, 4500);
  assert.ok(hs.contains(moved, packet({ protocol: 17, src: ip("10.1.1.1"), dst: 5, srcPort: 4500, dstPort: 500 })));
  assert.not.ok(hs.contains(moved, packet({ protocol: 17, src: ip("10.1.1.1"), dst: 5, srcPort: 500, dstPort: 500 })));
  assert.is(hs.count(moved), hs.count(s));
  const anySrc = hs.exists("src", s);
  assert.is(hs.count(anySrc), hs.count(s) * pow2(32));
  assert.is(hs.exists("src", anySrc), anySrc);
  // random sets: a ⊆ ∃f.a, and ∃f.a is independent of f
  for (let i = 0; i < 100; i++) {
    const m = randomMatch(g);
    const a = sets.match(m, "permit", "ios");
    for (const f of ["protocol", "src", "dst", "srcPort", "dstPort", "icmpType", "icmpCode", "tcpFlags", "fragment", "tos"] as const) {
      const e = hs.exists(f, a);
      assert.ok(hs.subset(a, e));
      assert.is(hs.exists(f, e), e);
      const p = randomPacket(g, m);
      if (aceMatches(m, p)) {
        const q = { ...p };
        if (f === "fragment") q.fragment = !q.fragment;
        else q[f] = f === "src" || f === "dst" ? g.u32() : g.int(0, f === "tcpFlags" ? 63 : f === "srcPort" || f === "dstPort" ? 65535 : 255);
        assert.ok(hs.contains(e, q), `∃${f}: packet with ${f} changed`);
      }
    }
  }
});

test("independent managers and variable orders agree", () => {
  const g = new Gen(5);
  const a = new AclSets(new HeaderSpace()).hs;
  const b = new AclSets(new HeaderSpace({ order: ["protocol", "src", "dst", "srcPort", "dstPort", "tos", "fragment", "tcpFlags", "icmpCode", "icmpType"] }));
  for (let i = 0; i < 100; i++) {
    const m = randomMatch(g);
    const sa: PSet = new AclSets(a).match(m, "permit", "ios");
    const sb: PSet = b.match(m, "permit", "ios");
    assert.is(a.count(sa), b.hs.count(sb));
    for (let k = 0; k < 20; k++) {
      const p = randomPacket(g, m);
      assert.is(a.contains(sa, p), b.hs.contains(sb, p));
    }
  }
  assert.throws(() => new HeaderSpace({ order: ["protocol"] }));
});

test("a manager that takes over a dropped one's arrays (reuse) builds what a new one builds, whatever the dropped one held", () => {
  /** Random ACL lines' matches with unions and differences, as handles and counts. */
  // `counted` off for the sets that only fill a manager's table (counting builds no node)
  const build = (hs: HeaderSpace, seed: number, counted = true): Array<[PSet, bigint]> => {
    const g = new Gen(seed);
    const sets = new AclSets(hs);
    const out: Array<[PSet, bigint]> = [];
    let u: PSet = hs.none;
    for (let i = 0; i < 60; i++) {
      const m = sets.match(randomMatch(g), i % 3 ? "permit" : "deny", "ios");
      u = i % 2 ? hs.or(u, m) : hs.diff(u, m);
      const um = hs.and(u, m);
      out.push([u, counted ? hs.count(u) : 0n], [um, counted ? hs.count(um) : 0n]);
    }
    return out;
  };
  const want = build(new HeaderSpace(), 11);
  // a chain of managers each taking over the last, each first filled with other sets (some large,
  // so the next empties its table slot by slot or whole), past the 8 cache tags
  let prev = new HeaderSpace();
  // the first one large: the managers after it hold few nodes in its table (emptied slot by slot)
  for (let k = 0; k < 40; k++) build(prev, 99 + k, false);
  for (let k = 0; k < 10; k++) {
    const next = new HeaderSpace({ reuse: prev });
    assert.is(prev.bdd.nodes.length, 0, "the dropped manager gives its arrays up");
    assert.equal(build(next, 11), want, `reuse ${k}`);
    for (let j = 0; j < k % 3; j++) build(next, 200 + k * 7 + j, false);
    prev = next;
  }
});

test.run();
