/**
 * The line index of the shadowed-line / redundant-line analyses (src/acl/line-index.ts,
 * src/acl/line-box.ts) against linear scans and exact sets, on random seeded ACLs long enough for
 * the lazy region queries to go past their first windows: IPv4 lines with non-contiguous
 * wildcards, port ranges, fragments, `established` and flag tests, wide lines of every service,
 * IPv6-only and mixed lines (ASA unified ACLs).
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { aceMatches } from "../src/acl/evaluate.js";
import { LineIndex } from "../src/acl/line-index.js";
import { AclSets } from "../src/acl/sets.js";
import { HeaderSpace } from "../src/headerspace/index.js";
import { anyPoint } from "../src/headerspace/point.js";
import { parseIp6 } from "../src/model/addr6.js";
import type { Ace, AceMatch, Acl, AddrSet6, Packet } from "../src/model/types.js";
import { Gen, randomMatch, randomPacket } from "../bench/random.js";

const p6 = (a: string, len: number): AddrSet6 => [{ addr: parseIp6(a)!, len }];
const ADDRS6: AddrSet6[] = [p6("::", 0), p6("2001:db8::", 32), p6("2001:db8::", 48), p6("2001:db8:0:1::", 64), p6("2001:db8::5", 128), p6("2001:db8:0:1::7", 128), [...p6("2001:db8::5", 128), ...p6("2001:db8:1::", 48)]];
const WIDE: AceMatch[] = [
  { src: [{ addr: 0, wildcard: 0xffffffff }], dst: [{ addr: 0, wildcard: 0xffffffff }], services: [{ protocol: 17, dstPorts: [{ lo: 123, hi: 123 }] }] },
  { src: [{ addr: 0, wildcard: 0xffffffff }], dst: [{ addr: 0, wildcard: 0xffffffff }], services: [{ protocol: 6, dstPorts: [{ lo: 1024, hi: 65535 }] }, { protocol: 6, established: true }] },
  { src: [{ addr: 0, wildcard: 0xffffffff }], dst: [{ addr: 0, wildcard: 0xffffffff }], services: [{ protocol: 1, icmpType: 11 }] },
  { src: [{ addr: 0, wildcard: 0xffffffff }], dst: [{ addr: 0, wildcard: 0xffffffff }], services: [{ protocol: null }], fragments: true },
  { src: [{ addr: 0x0a000000, wildcard: 0x00ff00ff }], dst: [{ addr: 0, wildcard: 0xfff0ffff }], services: [{ protocol: 6, dstPorts: [{ lo: 22, hi: 23 }] }] },
];

/** `n` random lines: adversarial matches, wide lines, IPv6-only and mixed ones when `family6`. */
function longAcl(g: Gen, n: number, vendor: "ios" | "asa", family6: boolean): Acl {
  const entries: Ace[] = [];
  for (let i = 0; i < n; i++) {
    let match: AceMatch = g.chance(0.15) ? { ...g.pick(WIDE) } : randomMatch(g);
    if (family6) {
      const kind = g.int(0, 2);
      if (kind > 0) match = { ...match, src6: g.pick(ADDRS6), dst6: g.pick(ADDRS6), services: match.services.map((t) => (t.protocol === 1 && kind === 1 ? { ...t, protocol: 58 } : t)) };
      if (kind === 1) match = { ...match, src: [], dst: [] };
    }
    const e: Ace = { action: g.chance(0.5) ? "permit" : "deny", match, source: { file: "t.cfg", line: 10 + i, text: `line ${i}` } };
    if (g.chance(0.03)) e.inactive = true;
    entries.push(e);
  }
  return { name: `L${n}`, type: "extended", source: { file: "t.cfg", line: 1, text: "acl" }, entries, remarks: [], vendor, ...(family6 ? { family: "both" as const } : {}) };
}

/** A packet near line `i`'s match, of its family (IPv6 addresses from the line's prefixes when it has some). */
function packetNear(g: Gen, m: AceMatch): Packet {
  const p = randomPacket(g, m);
  if ((m.src6?.length ?? 0) > 0 && (m.src.length === 0 || g.chance(0.5))) {
    const pick = (set: AddrSet6): bigint => {
      const x = g.pick(set);
      const host = x.len >= 128 ? 0n : BigInt(g.int(0, 3)) << BigInt(g.int(0, 127 - x.len));
      return g.chance(0.9) ? x.addr | (host & ((1n << BigInt(128 - x.len)) - 1n)) : x.addr ^ 1n;
    };
    p.v6 = { src: pick(m.src6!), dst: pick(m.dst6 ?? m.src6!) };
    p.src = 0;
    p.dst = 0;
    if (p.protocol === 1 && g.chance(0.5)) p.protocol = 58;
  }
  return p;
}

const CASES = [
  { name: "IOS IPv4", vendor: "ios" as const, v6: false, seed: 71 },
  { name: "ASA unified (IPv4, IPv6, mixed)", vendor: "asa" as const, v6: true, seed: 72 },
  { name: "IOS with IPv6 lines", vendor: "ios" as const, v6: true, seed: 73 },
];

for (const c of CASES) {
  test(`first(): the first matching line of a linear scan (${c.name})`, () => {
    const g = new Gen(c.seed);
    for (let a = 0; a < (process.env.NATLINT_SLOW_TESTS === "1" ? 3 : 1); a++) {
      const acl = longAcl(g, 900, c.vendor, c.v6);
      const ix = new LineIndex(acl);
      const n = acl.entries.length;
      for (let k = 0; k < 1500; k++) {
        const p = packetNear(g, g.pick(acl.entries).match);
        const from = g.chance(0.5) ? 0 : g.int(0, n);
        const to = g.chance(0.5) ? n : g.int(from, n);
        let want = -1;
        for (let j = from; j < to; j++) {
          const e = acl.entries[j]!;
          if (!e.inactive && aceMatches(e.match, p, e.action, c.vendor)) {
            want = j;
            break;
          }
        }
        assert.is(ix.first(p, from, to), want, `acl ${a}, packet ${JSON.stringify(p, (_, v) => (typeof v === "bigint" ? v.toString(16) : v))}, [${from}, ${to})`);
      }
    }
  });

  test(`overlapping() and eachOverlapping(): ascending, complete, lazy (${c.name})`, () => {
    const g = new Gen(c.seed + 100);
    const acl = longAcl(g, 700, c.vendor, c.v6);
    const ix = new LineIndex(acl);
    const sets = new AclSets(new HeaderSpace());
    const hs = sets.hs;
    const n = acl.entries.length;
    const m = (j: number) => (acl.entries[j]!.inactive ? 0 : sets.match(acl.entries[j]!.match, acl.entries[j]!.action, c.vendor));
    let real = 0;
    for (let t = 0; t < 40; t++) {
      const i = g.int(0, n - 1);
      const [from, to] = g.chance(0.5) ? [0, i] : [i + 1, n];
      const got = ix.overlapping(i, from, to);
      for (let k = 1; k < got.length; k++) assert.ok(got[k - 1]! < got[k]!, "ascending, no repeats");
      const inGot = new Set(got);
      for (let j = from; j < to; j++) {
        if (hs.disjoint(m(i), m(j))) continue;
        real++;
        assert.ok(inGot.has(j), `line ${j} overlaps line ${i} but was not returned`);
      }
      // stopping early visits a prefix of the same sequence
      const stopAt = got.length > 0 ? g.int(0, got.length - 1) : -1;
      const seen: number[] = [];
      ix.eachOverlapping(i, from, to, (j) => {
        seen.push(j);
        return seen.length === stopAt + 1;
      });
      assert.equal(seen, got.slice(0, stopAt + 1));
    }
    assert.ok(real > 500, `overlaps exercised (${real})`);
  });

  test(`points(): in the line's own match, and in every line that contains it; meetCount() bounds the packets two lines share, meetPoint() is one of them (${c.name})`, () => {
    const g = new Gen(c.seed + 200);
    const acl = longAcl(g, 300, c.vendor, c.v6);
    const ix = new LineIndex(acl);
    const sets = new AclSets(new HeaderSpace());
    const hs = sets.hs;
    let contained = 0;
    let sampled = 0;
    let tight = 0;
    let met = 0;
    let overlapping = 0;
    acl.entries.forEach((e, i) => {
      const pts = ix.points(i);
      const mi = e.inactive ? 0 : sets.match(e.match, e.action, c.vendor);
      if (mi !== 0 && pts.length === 0) assert.ok(anyPoint(hs, mi), "a line without sample points still has packets");
      for (const p of pts) {
        sampled++;
        assert.ok(!e.inactive && aceMatches(e.match, p, e.action, c.vendor), `line ${i}: sample point not in the line`);
        assert.ok(hs.contains(mi, p), `line ${i}: sample point not in the set`);
      }
      for (let j = 0; j < acl.entries.length; j += 7) {
        const f = acl.entries[j]!;
        // the box bound of the greedy cover in shadowed-line: never below the exact count
        const mj = f.inactive ? 0 : sets.match(f.match, f.action, c.vendor);
        const exact = hs.count(hs.and(mi, mj));
        const bound = ix.meetCount(i, j);
        assert.ok(exact <= bound || e.inactive || f.inactive, `lines ${i}, ${j}: ${exact} packets in common, bound ${bound}`);
        if (exact > 0n && bound === exact) tight++;
        // a packet both lines match, when meetPoint finds one; found for most overlapping pairs
        const q = ix.meetPoint(i, j);
        if (q !== undefined) {
          assert.ok(hs.contains(mi, q) && hs.contains(mj, q), `lines ${i}, ${j}: meetPoint outside their common packets`);
          met++;
        }
        if (exact > 0n) overlapping++;
        if (f.inactive || mi === 0 || !hs.subset(mi, sets.match(f.match, f.action, c.vendor))) continue;
        contained++;
        for (const p of pts) assert.ok(ix.matches(j, p), `line ${j} contains line ${i} but misses its sample point`);
      }
    });
    assert.ok(sampled > 300 && contained > 30 && tight > 30, `exercised (${sampled} points, ${contained} containments, ${tight} exact bounds)`);
    assert.ok(met > overlapping / 3, `meetPoint found packets for ${met} of ${overlapping} overlapping pairs`);
  });
}

test.run();
