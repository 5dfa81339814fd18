/**
 * Property tests of the 128-bit IPv6 fields (src6, dst6) and the family bit: the BDD encoder
 * (AclSets.match) and the reference evaluator (aceMatches) agree on random IPv6, IPv4 and mixed
 * (ASA unified) ACE matches and packets aimed at the prefixes' edges; prefix counts are exact;
 * witnesses are members and IPv6 when only IPv6 packets are in the set.
 * Seeded and small (a few hundred matches): quick.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { HeaderSpace } from "../src/headerspace/index.js";
import { AclSets } from "../src/acl/sets.js";
import { aceMatches } from "../src/acl/evaluate.js";
import { formatIp6, parseIp6 } from "../src/model/addr6.js";
import type { AceMatch, AddrSet6, Packet, Prefix6 } from "../src/model/types.js";
import { Gen, randomMatch, randomPacket } from "../bench/random.js";

const MASK128 = (1n << 128n) - 1n;
const BASES6 = ["2001:db8::", "2001:db8:0:1::", "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", "fe80::", "ff02::1:ff00:0", "::", "::ffff:10.0.0.1"].map((s) => parseIp6(s)!);
const LENS = [0, 1, 16, 31, 32, 33, 48, 63, 64, 65, 96, 104, 120, 127, 128];

function big(g: Gen): bigint {
  let x = 0n;
  for (let i = 0; i < 4; i++) x = (x << 32n) | BigInt(g.u32());
  return x;
}
const maskOf = (len: number): bigint => (len === 0 ? 0n : (MASK128 << BigInt(128 - len)) & MASK128);

function randomPrefix(g: Gen): Prefix6 {
  const len = g.pick(LENS);
  const base = g.chance(0.8) ? g.pick(BASES6) ^ (big(g) & ~maskOf(g.int(0, 128)) & MASK128) : big(g);
  // rarely a prefix with host bits set (IOS rejects it; the encoder and evaluator both match nothing)
  return { addr: g.chance(0.03) ? base | 1n : base & maskOf(len), len };
}

function randomSet6(g: Gen): AddrSet6 {
  const n = g.chance(0.05) ? 0 : g.chance(0.8) ? 1 : g.int(2, 3);
  return Array.from({ length: n }, () => randomPrefix(g));
}

/** An IPv4 match (bench/random.ts) given an IPv6 part, or made IPv6-only, or left IPv4 (mixed ASA lines have both). */
function randomMatch6(g: Gen): AceMatch {
  const m = randomMatch(g);
  const kind = g.int(0, 9);
  if (kind < 7) {
    m.src6 = randomSet6(g);
    m.dst6 = randomSet6(g);
    if (kind < 4) {
      m.src = [];
      m.dst = [];
    }
  }
  // ICMPv6 terms, whose type/code the IPv6 part tests
  for (const t of m.services) if (t.protocol === 1 && g.chance(0.5)) t.protocol = 58;
  return m;
}

function near6(g: Gen, set: AddrSet6 | undefined): bigint {
  const p = set && set.length > 0 && g.chance(0.85) ? g.pick(set) : undefined;
  if (!p) return g.chance(0.5) ? g.pick(BASES6) : big(g);
  const host = p.len === 128 ? 0n : big(g) & (MASK128 >> BigInt(p.len));
  const edge = g.pick([0n, MASK128 >> BigInt(p.len), host]);
  const v = (p.addr & maskOf(p.len)) | (p.len === 128 ? 0n : edge);
  // sometimes one bit outside, often inside the prefix
  return g.chance(0.15) ? v ^ (1n << BigInt(g.int(0, 127))) : v;
}

function randomPacket6(g: Gen, m: AceMatch): Packet {
  const p = randomPacket(g, m);
  if ((m.src6 && g.chance(0.75)) || g.chance(0.2)) {
    p.v6 = { src: near6(g, m.src6), dst: near6(g, m.dst6) };
    p.src = 0;
    p.dst = 0;
    if (p.protocol === 1 && g.chance(0.7)) p.protocol = 58;
  }
  return p;
}

const show = (m: AceMatch, p: Packet): string =>
  `match ${JSON.stringify(m, (_, v: unknown) => (typeof v === "bigint" ? formatIp6(v) : v))}\npacket ${JSON.stringify(p, (_, v: unknown) => (typeof v === "bigint" ? formatIp6(v) : v))}`;

test("IPv6 and mixed ACEs: the encoder (AclSets.match) and the reference evaluator (aceMatches) agree (random, seeded)", () => {
  const g = new Gen(0x6006);
  const sets = new AclSets(new HeaderSpace());
  const hs = sets.hs;
  let hits = 0;
  let hits6 = 0;
  let checks = 0;
  for (let i = 0; i < 250; i++) {
    const m = randomMatch6(g);
    const action = g.pick(["permit", "deny"] as const);
    const vendor = g.pick(["ios", "asa"] as const);
    const s = sets.match(m, action, vendor);
    for (let k = 0; k < 50; k++) {
      const p = randomPacket6(g, m);
      const want = aceMatches(m, p, action, vendor);
      if (hs.contains(s, p) !== want) assert.unreachable(`seed 0x6006 ace ${i} (${vendor} ${action}) packet ${k}: expected ${want}\n${show(m, p)}`);
      if (want) hits++;
      if (want && p.v6) hits6++;
      checks++;
    }
  }
  assert.ok(hits > checks * 0.1 && hits < checks * 0.9, `hit ratio ${hits}/${checks}`);
  assert.ok(hits6 > checks * 0.05, `IPv6 hits ${hits6}/${checks}`);
});

test("IPv6 prefixes: exact counts and edges of the 128-bit fields", () => {
  const hs = new HeaderSpace();
  const six = hs.family(6);
  const all6 = hs.count(six);
  for (const len of [0, 1, 31, 32, 33, 64, 127, 128]) {
    const a = parseIp6("2001:db8:8000::")! & maskOf(len);
    const s = hs.and(six, hs.addrSet6("src6", [{ addr: a, len }]));
    assert.is(hs.count(s), all6 >> BigInt(len), `/${len}`);
    const first: Packet = { protocol: 6, src: 0, dst: 0, srcPort: 1, dstPort: 1, icmpType: 0, icmpCode: 0, tcpFlags: 0, fragment: false, tos: 0, v6: { src: a, dst: 1n } };
    const last = { ...first, v6: { src: a | (MASK128 >> BigInt(len)), dst: 1n } };
    assert.ok(hs.contains(s, first) && hs.contains(s, last), `/${len} holds its first and last address`);
    if (len > 0) {
      const below = { ...first, v6: { src: (a - 1n) & MASK128, dst: 1n } };
      const above = { ...first, v6: { src: (a | (MASK128 >> BigInt(len))) + 1n, dst: 1n } };
      assert.ok(!hs.contains(s, below) && (above.v6.src > MASK128 || !hs.contains(s, above)), `/${len} stops at its edges`);
    }
  }
  // two /33 halves make the /32, and a /64 and its complement make the whole family
  const h = (s: string, len: number) => hs.addrSet6("dst6", [{ addr: parseIp6(s)!, len }]);
  assert.is(hs.or(h("2001:db8::", 33), h("2001:db8:8000::", 33)), h("2001:db8::", 32));
  const p64 = hs.and(six, h("2001:db8:0:1::", 64));
  assert.is(hs.count(p64) + hs.count(hs.diff(six, p64)), all6);
  // the family bit keeps the halves apart: no IPv4 packet is in an IPv6 prefix set
  assert.ok(hs.disjoint(p64, hs.family(4)));
});

test("layout: an address's top word is one path at the bottom of the order, shared by every line with that word", () => {
  // (src/headerspace/inet6.ts: bits 32–127 at the field's place, bits 0–31 below every field)
  const sets = new AclSets(new HeaderSpace());
  const hs = sets.hs;
  const nodesOf = (root: number): Set<number> => {
    const seen = new Set<number>();
    const todo = [root];
    while (todo.length > 0) {
      const n = todo.pop()!;
      if (n < 2 || seen.has(n)) continue;
      seen.add(n);
      todo.push(hs.bdd.lowOf(n), hs.bdd.highOf(n));
    }
    return seen;
  };
  const word = hs.addrSet6("dst6", [{ addr: parseIp6("2001:db8::")!, len: 32 }]);
  assert.ok(hs.bdd.varOf(word) >= hs.numVars - 32, "the top word's path starts in the last 32 levels");
  const before = hs.nodes;
  for (const sub of ["2001:db8:1::", "2001:db8:2::", "2001:db8:ffff::"]) {
    const m: AceMatch = { src: [], dst: [], src6: [{ addr: 0n, len: 0 }], dst6: [{ addr: parseIp6(sub)!, len: 48 }], services: [{ protocol: 6, dstPorts: [{ lo: 443, hi: 443 }] }] };
    assert.ok(nodesOf(sets.match(m, "permit", "ios")).has(word), `${sub}/48 ends in the shared top word`);
  }
  // each /48 line costs its 16 subnet bits and its service (two paths: IOS permits the
  // non-initial fragments too), not the 32 bits of 2001:db8 again: 241 nodes for the three, 495
  // with the whole address at the field's place
  assert.ok(hs.nodes - before < 300, `${hs.nodes - before} nodes for three lines`);
});

test("witnesses of IPv6 sets are IPv6 packets in the set", () => {
  const g = new Gen(0x6007);
  const sets = new AclSets(new HeaderSpace());
  const hs = sets.hs;
  let n = 0;
  // 150 sets in CI (NATLINT_SLOW_TESTS=1), 80 by default
  const slow = process.env.NATLINT_SLOW_TESTS === "1";
  for (let i = 0; i < (slow ? 150 : 80); i++) {
    const m = randomMatch6(g);
    m.src = [];
    m.dst = [];
    const s = sets.match(m, "permit", g.pick(["ios", "asa"] as const));
    const w = hs.witness(s);
    if (hs.isEmpty(s)) {
      assert.is(w, undefined);
      continue;
    }
    assert.ok(w && w.v6 && hs.contains(s, w), `witness of ${JSON.stringify(m, (_, v: unknown) => (typeof v === "bigint" ? formatIp6(v) : v))}`);
    n++;
  }
  assert.ok(n > (slow ? 50 : 25), `non-empty sets ${n}`);
});

test.run();
