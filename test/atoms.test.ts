/**
 * The address atom encoding of the line analyses' private sets (src/acl/atoms.ts): on random
 * IPv4, IPv6 and mixed ACLs whose prefixes nest, overlap and include invalid ones (host bits set)
 * and IPv4 wildcards with gaps, a coded set of the ACL's lines has the real set's count and
 * emptiness, its decoded point is a packet of the real set (by the reference evaluator), and
 * shadowed-line and redundant-line give the same results with the encoding on and off.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { AddressAtoms } from "../src/acl/atoms.js";
import { ATOMS } from "../src/acl/line-analysis.js";
import { aceMatches } from "../src/acl/evaluate.js";
import { AclSets } from "../src/acl/sets.js";
import { redundantLines } from "../src/checks/redundant-line.js";
import { shadowedLines } from "../src/checks/shadowed-line.js";
import { HeaderSpace, type PSet } from "../src/headerspace/index.js";
import { anyPoint } from "../src/headerspace/point.js";
import { ANY6 } from "../src/model/addr6.js";
import type { Ace, Acl, AddrSet, AddrSet6, ServiceTerm } from "../src/model/types.js";
import { Gen } from "../bench/random.js";

const BASE = 0x20010db8n << 96n;

/** A prefix near a few shared ones (so they nest and overlap), sometimes ::/0 or invalid. */
function prefix(g: Gen): AddrSet6[number] {
  if (g.chance(0.08)) return ANY6;
  const len = g.pick([32, 40, 48, 56, 63, 64, 65, 96, 120, 127, 128]);
  let addr = BASE | (BigInt(g.int(0, 3)) << 80n) | (BigInt(g.int(0, 3)) << 64n) | BigInt(g.int(0, 7));
  if (!g.chance(0.05)) addr &= ~((1n << BigInt(128 - len)) - 1n); // else host bits set: matches nothing
  return { addr, len };
}

const SVCS: ServiceTerm[][] = [[{ protocol: null }], [{ protocol: 6 }], [{ protocol: 6, dstPorts: [{ lo: 80, hi: 443 }] }], [{ protocol: 17, dstPorts: [{ lo: 500, hi: 500 }] }], [{ protocol: 58, icmpType: 128 }]];

/** An IPv4 wildcard test near a few shared networks: hosts, subnets, any, gaps (0.0.255.0), sometimes invalid. */
function wildcard(g: Gen, gaps: boolean): AddrSet[number] {
  const k = g.int(0, 9);
  if (k === 0) return { addr: 0, wildcard: 0xffffffff };
  const base = (0x0a000000 | (g.int(0, 3) << 16) | (g.int(0, 3) << 8) | g.int(0, 7)) >>> 0;
  let wc = k < 4 ? 0 : k < 7 ? 2 ** g.pick([2, 3, 8, 9, 16]) - 1 : gaps ? g.pick([0x0000ff00, 0x00ff00ff, 0x00030300, 0x00000f0f]) : 0xff;
  if (k === 9 && gaps && g.chance(0.3)) wc = 0x00ffff00; // 65,536 intervals: this field stays uncoded
  const addr = g.chance(0.05) ? base : (base & ~wc) >>> 0; // else an address bit under the wildcard: matches nothing
  return { addr, wildcard: wc };
}

/** family: 4, 6 or mixed (ASA unified). */
function acl6(g: Gen, n: number, mixed: boolean, family: 4 | 6 = 6, gaps = true): Acl {
  const entries: Ace[] = [];
  for (let i = 0; i < n; i++) {
    const set = (): AddrSet6 => Array.from({ length: g.chance(0.8) ? 1 : g.int(2, 3) }, () => prefix(g));
    const set4 = (): AddrSet => Array.from({ length: g.chance(0.8) ? 1 : g.int(2, 3) }, () => wildcard(g, gaps));
    const v4 = family === 4 || (mixed && g.chance(0.4));
    const match = v4 ? { src: set4(), dst: set4(), services: g.pick(SVCS) } : { src: [], dst: [], src6: set(), dst6: set(), services: g.pick(SVCS) };
    entries.push({ action: g.chance(0.5) ? "permit" : "deny", match, source: { file: "t.cfg", line: 10 + i, text: `line ${i}` } });
  }
  const fam = family === 4 && !mixed ? {} : { family: mixed ? ("both" as const) : ("ipv6" as const) };
  return { name: "V6", type: "extended", ...fam, vendor: mixed ? "asa" : "ios", source: { file: "t.cfg", line: 1, text: "V6" }, entries, remarks: [] };
}

/** The kinds of ACL the tests draw: IPv6, mixed, IPv4 with gaps, IPv4 prefixes only. */
function anyAcl(g: Gen, a: number, n: number): Acl {
  const kind = a % 4;
  return kind === 0 ? acl6(g, n, false) : kind === 1 ? acl6(g, n, true) : acl6(g, n, false, 4, kind === 2);
}

test("coded sets of an ACL's lines: the real sets' counts and emptiness, decoded points in the real set", () => {
  const g = new Gen(606);
  let nonEmpty = 0;
  const fields = { coded4: 0, uncoded4: 0, coded6: 0 };
  for (let a = 0; a < 60; a++) {
    const acl = anyAcl(g, a, g.int(2, 30));
    const atoms = AddressAtoms.of(acl);
    for (const f of ["src", "dst"] as const) if (acl.entries.some((e) => e.match.src.length > 0)) fields[atoms.coded(f) ? "coded4" : "uncoded4"]++;
    if (atoms.coded("src6") && atoms.bits("src6") > 2) fields.coded6++;
    const real = new AclSets(new HeaderSpace());
    const coded = new AclSets(new HeaderSpace(), atoms);
    const m = (s: AclSets, i: number) => s.match(acl.entries[i]!.match, acl.entries[i]!.action, acl.vendor);
    const memo = new Map<number, bigint>();
    for (let q = 0; q < 20; q++) {
      // a line minus some others, or two lines' intersection, or a union
      const i = g.int(0, acl.entries.length - 1);
      const others = Array.from({ length: g.int(0, 4) }, () => g.int(0, acl.entries.length - 1));
      const op = g.int(0, 2);
      const build = (s: AclSets): PSet => {
        const hs = s.hs;
        let x = m(s, i);
        for (const j of others) x = op === 0 ? hs.diff(x, m(s, j)) : op === 1 ? hs.and(x, hs.or(m(s, j), m(s, i))) : hs.or(x, m(s, j));
        return x;
      };
      const r = build(real);
      const c = build(coded);
      assert.is(atoms.count(coded.hs, c, memo), real.hs.count(r), `acl ${a} query ${q}: count`);
      assert.is(c === 0, r === 0, `acl ${a} query ${q}: emptiness`);
      if (c === 0) continue;
      nonEmpty++;
      const p = atoms.decode(anyPoint(coded.hs, c)!);
      // the decoded packet is in the real set: it is a packet of the built expression
      const inLine = (j: number) => aceMatches(acl.entries[j]!.match, p, acl.entries[j]!.action, acl.vendor);
      let want = inLine(i);
      for (const j of others) want = op === 0 ? want && !inLine(j) : op === 1 ? want && (inLine(j) || inLine(i)) : want || inLine(j);
      assert.ok(want, `acl ${a} query ${q}: decoded point in the real set`);
    }
  }
  assert.ok(nonEmpty > 400, `non-empty queries (${nonEmpty})`);
  assert.ok(fields.coded4 > 30 && fields.uncoded4 > 3 && fields.coded6 > 20, `fields coded and not (${JSON.stringify(fields)})`);
});

test("a prefix that is not one of the ACL's is refused, not encoded wrongly", () => {
  const acl = acl6(new Gen(7), 5, false);
  acl.entries = [{ ...acl.entries[0]!, match: { src: [], dst: [], src6: [{ addr: BASE, len: 48 }], dst6: [ANY6], services: [{ protocol: null }] } }];
  const coded = new AclSets(new HeaderSpace(), AddressAtoms.of(acl));
  assert.throws(() => coded.match({ src: [], dst: [], src6: [{ addr: BASE | (1n << 64n), len: 64 }], dst6: [ANY6], services: [{ protocol: null }] }, "permit", "ios"), /not one of the ACL's/);
});

test("shadowed-line and redundant-line: the same results with the IPv6 atoms on and off", () => {
  const g = new Gen(6060);
  let found = 0;
  // 40 ACLs in CI (NATLINT_SLOW_TESTS=1), 20 by default
  const slow = process.env.NATLINT_SLOW_TESTS === "1";
  for (let a = 0; a < (slow ? 40 : 20); a++) {
    const acl = anyAcl(g, a, g.int(5, 80));
    const run = (on: boolean) => {
      const saved = ATOMS.enabled;
      ATOMS.enabled = on;
      try {
        const fresh: Acl = { ...acl }; // the analyses memoise per ACL object
        const sets = new AclSets(new HeaderSpace());
        return { shadowed: shadowedLines(sets, fresh), redundant: redundantLines(sets, fresh) };
      } finally {
        ATOMS.enabled = saved;
      }
    };
    const on = run(true);
    assert.equal(on, run(false), `acl ${a}`);
    found += on.shadowed.length + on.redundant.length;
    found += on.shadowed.filter((s) => s.blockers.length > 1).length;
  }
  assert.ok(found > (slow ? 150 : 75), `findings exercised (${found})`);
});

test.run();
