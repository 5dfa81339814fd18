/**
 * The lazy/layered CompiledAcl queries and the shadowed-line / redundant-line analyses agree with
 * straightforward reference implementations over fully materialised sets, on random seeded ACLs
 * drawn from a small pool of overlapping matches (so shadowing and redundancy are frequent).
 */
import { AclSets } from "../src/acl/sets.js";
import { PROBE } from "../src/acl/line-redundancy.js";
import { runCheck } from "./helpers/check.js";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { evaluateAcl } from "../src/acl/evaluate.js";
import { redundantLines, check as redundantCheck } from "../src/checks/redundant-line.js";
import { shadowedLines, check as shadowedCheck } from "../src/checks/shadowed-line.js";
import { HeaderSpace, type PSet } from "../src/headerspace/index.js";
import { parseIp } from "../src/model/addr.js";
import { parseIp6 } from "../src/model/addr6.js";
import { newDevice, type Ace, type AceMatch, type Acl, type AddrSet, type AddrSet6, type ServiceTerm } from "../src/model/types.js";
import { Gen, randomMatch, randomPacket, realisticAcl } from "../bench/random.js";

const ip = (s: string): number => parseIp(s)!;
const net = (a: string, wc: string): AddrSet => [{ addr: ip(a), wildcard: ip(wc) }];
const ADDRS: AddrSet[] = [
  net("0.0.0.0", "255.255.255.255"),
  net("10.0.0.0", "0.255.255.255"),
  net("10.1.0.0", "0.0.255.255"),
  net("10.1.2.0", "0.0.0.255"),
  net("10.1.2.3", "0.0.0.0"),
  net("192.168.0.0", "0.0.255.255"),
  [...net("10.1.2.3", "0.0.0.0"), ...net("192.168.1.0", "0.0.0.255")],
];
const SVCS: ServiceTerm[][] = [
  [{ protocol: null }],
  [{ protocol: 6 }],
  [{ protocol: 6, dstPorts: [{ lo: 80, hi: 80 }] }],
  [{ protocol: 6, dstPorts: [{ lo: 80, hi: 443 }] }],
  [{ protocol: 6, established: true }],
  [{ protocol: 17 }],
  [{ protocol: 17, dstPorts: [{ lo: 53, hi: 53 }] }],
  [{ protocol: 1 }],
  [{ protocol: 1, icmpType: 8 }],
  [{ protocol: 6, dstPorts: [{ lo: 80, hi: 80 }] }, { protocol: 17, dstPorts: [{ lo: 53, hi: 53 }] }],
  [],
];

function poolAcl(g: Gen, name: string, n: number): Acl {
  const entries: Ace[] = [];
  for (let i = 0; i < n; i++) {
    const match: AceMatch = g.chance(0.1) ? randomMatch(g) : { src: g.pick(ADDRS), dst: g.pick(ADDRS), services: g.pick(SVCS) };
    if (g.chance(0.05)) match.fragments = true;
    const e: Ace = { action: g.chance(0.5) ? "permit" : "deny", match, source: { file: "t.cfg", line: 10 + i, text: `line ${i}` } };
    if (g.chance(0.05)) e.inactive = true;
    entries.push(e);
  }
  return { name, type: "extended", source: { file: "t.cfg", line: 1, text: name }, entries, remarks: [], vendor: "ios" };
}

/** Reach sets by the textbook construction. */
function naiveReach(sets: AclSets, acl: Acl): PSet[] {
  const hs = sets.hs;
  let covered = hs.none;
  return acl.entries.map((e) => {
    if (e.inactive) return hs.none;
    const m = sets.match(e.match, e.action, acl.vendor);
    const r = hs.diff(m, covered);
    covered = hs.or(covered, m);
    return r;
  });
}

function naiveShadowed(sets: AclSets, acl: Acl): Array<{ index: number; reason: string; blockers: number[] }> {
  const hs = sets.hs;
  const reach = naiveReach(sets, acl);
  const out: Array<{ index: number; reason: string; blockers: number[] }> = [];
  acl.entries.forEach((e, i) => {
    if (e.inactive || reach[i] !== hs.none) return;
    const m = sets.match(e.match, e.action, acl.vendor);
    if (m === hs.none) return out.push({ index: i, reason: "unmatchable", blockers: [] });
    const deciders = [...Array(i).keys()].filter((j) => !hs.disjoint(reach[j]!, m));
    const single = deciders.find((j) => hs.subset(m, sets.match(acl.entries[j]!.match, acl.entries[j]!.action, acl.vendor)));
    if (single !== undefined) return out.push({ index: i, reason: "blocked", blockers: [single] });
    // greedy: most of the uncovered part first, ties to the earlier line
    let rem = m;
    const chosen: number[] = [];
    const pool = [...deciders];
    while (rem !== hs.none) {
      let best = -1;
      let bestN = -1n;
      for (const j of pool) {
        const c = hs.count(hs.and(rem, sets.match(acl.entries[j]!.match, acl.entries[j]!.action, acl.vendor)));
        if (c > bestN) {
          bestN = c;
          best = j;
        }
      }
      chosen.push(best);
      pool.splice(pool.indexOf(best), 1);
      rem = hs.diff(rem, sets.match(acl.entries[best]!.match, acl.entries[best]!.action, acl.vendor));
    }
    return out.push({ index: i, reason: "blocked", blockers: chosen.sort((a, b) => a - b) });
  });
  return out;
}

/**
 * The definition of redundant-line with bottom-up suffix permit sets: a reachable line whose
 * packets get the same action from explicit lines below it both "alone" (every other active line
 * stays) and "together" (shadowed lines and the redundant lines below it gone). decidedBy: the
 * lines that would decide them with it deleted alone.
 */
function naiveRedundant(sets: AclSets, acl: Acl): Array<{ index: number; decidedBy: number[] }> {
  const hs = sets.hs;
  const reach = naiveReach(sets, acl);
  const n = acl.entries.length;
  const m = (i: number) => sets.match(acl.entries[i]!.match, acl.entries[i]!.action, acl.vendor);
  const act = (i: number) => acl.entries[i]!.action;
  /** The explicit lines of `lines` (ascending) that decide `r`, or null if some of r is left or gets the other action. */
  const deciders = (r: PSet, lines: number[], action: string): number[] | null => {
    let rem = r;
    const by: number[] = [];
    for (const j of lines) {
      if (rem === hs.none) break;
      const part = hs.and(rem, m(j));
      if (part === hs.none) continue;
      if (act(j) !== action) return null;
      by.push(j);
      rem = hs.diff(rem, part);
    }
    return rem === hs.none ? by : null;
  };
  const kept: number[] = [];
  const out: Array<{ index: number; decidedBy: number[] }> = [];
  for (let i = n - 1; i >= 0; i--) {
    const e = acl.entries[i]!;
    if (e.inactive || reach[i] === hs.none) continue;
    const r = reach[i]!;
    const below: number[] = [];
    for (let j = i + 1; j < n; j++) if (!acl.entries[j]!.inactive) below.push(j);
    const together = deciders(r, [...kept].reverse(), e.action);
    const alone = together ? deciders(r, below, e.action) : null;
    if (together && alone) {
      out.push({ index: i, decidedBy: alone });
      continue;
    }
    kept.push(i);
  }
  return out.reverse();
}

test("layered queries: unreachable, coveredBy, decidesSome, reachIn, lastDecider, coveredBefore", () => {
  const g = new Gen(31);
  for (let a = 0; a < 40; a++) {
    const sets = new AclSets(new HeaderSpace());
  const hs = sets.hs;
    const acl = poolAcl(g, `Q${a}`, g.int(1, 25));
    const c = sets.compile(acl);
    const reach = naiveReach(sets, acl);
    let covered = hs.none;
    acl.entries.forEach((e, i) => {
      assert.is(c.unreachable(i), reach[i] === hs.none, `unreachable(${i})`);
      assert.is(c.coveredBefore(i), covered);
      const probe = sets.match(randomMatch(g), "permit", "ios");
      assert.is(c.coveredBy(probe, i), hs.subset(probe, covered));
      assert.is(c.decidesSome(i, probe), !hs.disjoint(reach[i]!, probe));
      assert.is(c.reachIn(i, probe), hs.and(reach[i]!, probe));
      if (!e.inactive) covered = hs.or(covered, sets.match(e.match, e.action, "ios"));
    });
    // lines materialised lazily equal the textbook reach
    c.lines.forEach((l, i) => assert.is(l.reach, reach[i]));
    assert.is(c.implicit, hs.not(covered));
    for (let k = 0; k < 10; k++) {
      const s = sets.match(randomMatch(g), "permit", "ios");
      const end = g.int(0, acl.entries.length);
      for (const [last, upTo] of [
        [c.lastDecider(s), acl.entries.length],
        [c.lastDecider(s, end), end],
      ] as const) {
        if (last < 0) assert.not.ok(s !== hs.none && hs.subset(s, c.coveredBefore(upTo)));
        else {
          assert.ok(last < upTo);
          assert.ok(hs.subset(s, c.coveredBefore(last + 1)));
          assert.ok(s === hs.none || !hs.subset(s, c.coveredBefore(last)));
        }
      }
    }
  }
});

test("shadowedLines equals the textbook analysis (random pool ACLs)", () => {
  const g = new Gen(2718);
  let found = 0;
  for (let a = 0; a < (process.env.NATLINT_SLOW_TESTS === "1" ? 150 : 60); a++) {
    const sets = new AclSets(new HeaderSpace());
    const acl = poolAcl(g, `S${a}`, g.int(1, 30));
    const got = shadowedLines(sets, acl).map(({ index, reason, blockers }) => ({ index, reason, blockers }));
    assert.equal(got, naiveShadowed(sets, acl), `acl ${a}`);
    found += got.length;
    for (const s of shadowedLines(sets, acl)) {
      assert.is(s.differentAction, s.blockers.some((b) => acl.entries[b]!.action !== acl.entries[s.index]!.action));
    }
  }
  assert.ok(found > 300, `pool ACLs exercise shadowing (${found} shadowed lines)`);
});

test("redundantLines equals the bottom-up reference; reported lines can all be removed together", () => {
  const g = new Gen(1618);
  let found = 0;
  for (let a = 0; a < (process.env.NATLINT_SLOW_TESTS === "1" ? 150 : 60); a++) {
    const sets = new AclSets(new HeaderSpace());
    const acl = poolAcl(g, `D${a}`, g.int(1, 30));
    const got = redundantLines(sets, acl).map(({ index, decidedBy }) => ({ index, decidedBy }));
    assert.equal(got, naiveRedundant(sets, acl), `acl ${a}`);
    found += got.length;
    // remove any one reported line alone: same permit set
    for (const r of got) {
      const alone: Acl = { ...acl, name: `${acl.name}-without-${r.index}`, entries: acl.entries.filter((_, i) => i !== r.index) };
      assert.is(sets.compile(alone).permit, sets.compile(acl).permit, `acl ${a}: removing line ${r.index} alone changed behaviour`);
    }
    // remove every shadowed and redundant line: same permit set
    const drop = new Set([...got.map((r) => r.index), ...shadowedLines(sets, acl).map((s) => s.index)]);
    const reduced: Acl = { ...acl, name: `${acl.name}-reduced`, entries: acl.entries.filter((_, i) => !drop.has(i)) };
    assert.is(sets.compile(reduced).permit, sets.compile(acl).permit, `acl ${a}: removing reported lines changed behaviour`);
    for (let k = 0; k < 30; k++) {
      const p = randomPacket(g, g.pick(acl.entries)?.match);
      assert.is(evaluateAcl(reduced, p).action, evaluateAcl(acl, p).action);
    }
  }
  assert.ok(found > (process.env.NATLINT_SLOW_TESTS === "1" ? 100 : 30), `pool ACLs exercise redundancy (${found} redundant lines)`);
});

const p6 = (a: string, len: number): AddrSet6 => [{ addr: parseIp6(a)!, len }];
const ADDRS6: AddrSet6[] = [p6("::", 0), p6("2001:db8::", 32), p6("2001:db8::", 48), p6("2001:db8:0:1::", 64), p6("2001:db8::5", 128), p6("2001:db8:0:1::7", 128), []];

/** ASA unified ACLs from the pool: IPv4 lines, IPv6-only lines and mixed lines (both families). */
function poolAcl46(g: Gen, name: string, n: number): Acl {
  const acl = poolAcl(g, name, n);
  for (const e of acl.entries) {
    const kind = g.int(0, 2); // 0: IPv4 only, 1: IPv6 only, 2: both
    if (kind === 0) continue;
    e.match = { ...e.match, src6: g.pick(ADDRS6), dst6: g.pick(ADDRS6), services: e.match.services.map((t) => (t.protocol === 1 && kind === 1 ? { ...t, protocol: 58 } : t)) };
    if (kind === 1) e.match = { ...e.match, src: [], dst: [] };
  }
  return { ...acl, vendor: "asa" };
}

test("shadowedLines and redundantLines equal the references on ACLs with IPv6 and mixed lines", () => {
  const g = new Gen(4646);
  let shadowed6 = 0;
  let redundant6 = 0;
  const v6 = (acl: Acl, i: number) => (acl.entries[i]!.match.src6?.length ?? 0) > 0;
  for (let a = 0; a < (process.env.NATLINT_SLOW_TESTS === "1" ? 80 : 40); a++) {
    const sets = new AclSets(new HeaderSpace());
    const acl = poolAcl46(g, `M${a}`, g.int(1, 24));
    const sh = shadowedLines(sets, acl).map(({ index, reason, blockers }) => ({ index, reason, blockers }));
    assert.equal(sh, naiveShadowed(sets, acl), `acl ${a}`);
    const rd = redundantLines(sets, acl).map(({ index, decidedBy }) => ({ index, decidedBy }));
    assert.equal(rd, naiveRedundant(sets, acl), `acl ${a}`);
    shadowed6 += sh.filter((x) => v6(acl, x.index)).length;
    redundant6 += rd.filter((x) => v6(acl, x.index)).length;
  }
  assert.ok(shadowed6 > 30 && redundant6 > (process.env.NATLINT_SLOW_TESTS === "1" ? 10 : 5), `IPv6 lines exercised (${shadowed6} shadowed, ${redundant6} redundant)`);
});

test("shadowedLines and redundantLines equal the references on long ACLs (the index's lazy region queries past their first windows)", () => {
  const g = new Gen(9091);
  for (const [k, make] of [poolAcl, poolAcl46].entries()) {
    for (let a = 0; a < (process.env.NATLINT_SLOW_TESTS === "1" ? 2 : 1); a++) {
      const sets = new AclSets(new HeaderSpace());
      const acl = make(g, `LONG${k}_${a}`, 600);
      const sh = shadowedLines(sets, acl).map(({ index, reason, blockers }) => ({ index, reason, blockers }));
      assert.equal(sh, naiveShadowed(sets, acl), `acl ${k}/${a}`);
      const rd = redundantLines(sets, acl).map(({ index, decidedBy }) => ({ index, decidedBy }));
      assert.equal(rd, naiveRedundant(sets, acl), `acl ${k}/${a}`);
      assert.ok(sh.some((x) => x.index > 300) && rd.some((x) => x.index < 300), "findings beyond the first window");
    }
  }
});

test("shadowedLines equals the textbook analysis on ACLs whose blocked lines have several blockers (the lazy greedy cover over the overlapping lines)", () => {
  const g = new Gen(4242);
  let blockers = 0;
  for (let a = 0; a < (process.env.NATLINT_SLOW_TESTS === "1" ? 60 : 25); a++) {
    const sets = new AclSets(new HeaderSpace());
    const acl = a % 5 === 4 ? poolAcl46(g, `B${a}`, 200) : poolAcl(g, `B${a}`, g.int(5, 60));
    const got = shadowedLines(sets, acl).map(({ index, reason, blockers }) => ({ index, reason, blockers }));
    assert.equal(got, naiveShadowed(sets, acl), `acl ${a}`);
    blockers += got.filter((x) => x.blockers.length > 2).length;
  }
  assert.ok(blockers > 10, `lines with several blockers (${blockers})`);
});

test("redundantLines equals the reference with the packet probe off, of one step, and unbounded (the walk decides what the probe leaves), its shown deciders taken off one, two or 64 at a time", () => {
  const saved = { ...PROBE };
  try {
    for (const [steps, shownBatch] of [[0, 1], [1, 2], [1 << 20, 64], [0, 64]] as const) {
      Object.assign(PROBE, { steps, shownBatch });
      const g = new Gen(2718);
      for (let a = 0; a < (process.env.NATLINT_SLOW_TESTS === "1" ? 60 : 15); a++) {
        const sets = new AclSets(new HeaderSpace());
        const acl = a % 5 === 4 ? poolAcl46(g, `P${a}`, 120) : poolAcl(g, `P${a}`, g.int(5, 40));
        const got = redundantLines(sets, acl).map(({ index, decidedBy }) => ({ index, decidedBy }));
        assert.equal(got, naiveRedundant(sets, acl), `probe of ${steps} steps, batches of ${shownBatch}, acl ${a}`);
      }
    }
  } finally {
    Object.assign(PROBE, saved);
  }
});

test("checks agree with the references on a realistic 400-line ACL", () => {
  const sets = new AclSets(new HeaderSpace());
  const acl = realisticAcl(5, 400);
  const got = shadowedLines(sets, acl).map(({ index, reason, blockers }) => ({ index, reason, blockers }));
  assert.equal(got, naiveShadowed(sets, acl));
  assert.equal(redundantLines(sets, acl).map(({ index, decidedBy }) => ({ index, decidedBy })), naiveRedundant(sets, acl));
});

test("check objects: messages and data", () => {
  const device = newDevice("edge.cfg", "ios");
  const src = (line: number, text: string) => ({ file: "edge.cfg", line, text });
  const any = net("0.0.0.0", "255.255.255.255");
  const host = net("10.0.0.1", "0.0.0.0");
  const acl: Acl = {
    name: "EDGE",
    vendor: "ios",
    type: "extended",
    source: src(1, "ip access-list extended EDGE"),
    remarks: [],
    entries: [
      { action: "deny", match: { src: any, dst: any, services: [{ protocol: null }] }, source: src(20, "deny ip any any") },
      { action: "permit", match: { src: any, dst: host, services: [{ protocol: 6, dstPorts: [{ lo: 80, hi: 80 }] }] }, source: src(40, "permit tcp any host 10.0.0.1 eq 80") },
      { action: "permit", match: { src: any, dst: any, services: [] }, source: src(50, "permit object-group EMPTY any any") },
    ],
  };
  device.acls.set(acl.name, acl);
  const f = runCheck(shadowedCheck, device);
  assert.is(f.length, 2);
  assert.is(f[0]!.message, `line 40 "permit tcp any host 10.0.0.1 eq 80" can never match: blocked by line 20 "deny ip any any" (opposite action)`);
  assert.equal(f[0]!.details, { reason: "blocked", blockingLines: [20], differentAction: true });
  assert.is(f[0]!.line, 40);
  assert.is(f[0]!.acl, "EDGE");
  assert.equal(f[1]!.details, { reason: "unmatchable", blockingLines: [], differentAction: false });
  assert.ok(f[1]!.message.includes("empty on its own"));

  const acl2: Acl = {
    ...acl,
    name: "E2",
    entries: [
      { action: "permit", match: { src: any, dst: host, services: [{ protocol: 6, dstPorts: [{ lo: 80, hi: 80 }] }] }, source: src(10, "permit tcp any host 10.0.0.1 eq 80") },
      { action: "permit", match: { src: any, dst: host, services: [{ protocol: 6 }] }, source: src(20, "permit tcp any host 10.0.0.1") },
      { action: "deny", match: { src: any, dst: any, services: [{ protocol: null }] }, source: src(30, "deny ip any any log") },
    ],
  };
  const d2 = newDevice("e2.cfg", "ios");
  d2.acls.set(acl2.name, acl2);
  const r = runCheck(redundantCheck, d2);
  assert.is(r.length, 1, "the final explicit deny is not reported");
  assert.is(r[0]!.line, 10);
  assert.equal(r[0]!.details, { decidedBy: [20] });
  assert.ok(r[0]!.message.includes(`line 20 "permit tcp any host 10.0.0.1" would permit the same packets`));
});

test.run();
