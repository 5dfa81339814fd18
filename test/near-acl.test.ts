/**
 * The set questions the IPsec checks ask of restricted ACLs (src/acl/restrict.ts `nearAcl`:
 * `permitIn` from one forward pass per cube, `reachIn` from a forward pass per asked set, or the
 * compiled ACL for a line behind the pass) and `CompiledAcl.permitIn` (src/acl/compile.ts
 * `permitWithin`) equal the first-match definitions on random ACLs: permit ∩ set = the union of
 * the permit lines' reach sets ∩ set, with the platform's implicit permits; reach(i) ∩ set.
 * Questions come in random order, repeated, with more distinct sets than a part keeps passes for.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { AclSets } from "../src/acl/sets.js";
import { NEAR_TUNING, nearAcl, udpPortCube, udpPortCubes, type Cube } from "../src/acl/restrict.js";
import { HeaderSpace, type Field, type PSet } from "../src/headerspace/index.js";
import type { Acl } from "../src/model/types.js";
import { Gen, randomAcl, randomMatch } from "../bench/random.js";
import { parseConfig } from "../src/parse/index.js";

const ROUNDS = process.env.NATLINT_SLOW_TESTS === "1" ? 120 : 40;

/** A random ACL, sometimes with implicit permit lines (as IOS IPv6 ACLs have) and sometimes in ASA semantics. */
function acl(g: Gen, k: number): Acl {
  const a = randomAcl(g, `N${k}`, g.int(0, 30));
  if (g.chance(0.3)) a.implicitPermits = [{ text: "permit (implicit)", match: randomMatch(g) }];
  if (g.chance(0.25)) a.vendor = "asa";
  return a;
}

/** The definitions, from the whole compiled ACL (a fresh one per ACL: no memo shared with the code under test). */
function reference(sets: AclSets, a: Acl): { permit: PSet; reach: (i: number) => PSet } {
  const c = sets.compile({ ...a });
  const hs = sets.hs;
  let permit = hs.and(c.implicitPermit, c.implicit);
  for (const l of c.lines) if (l.ace.action === "permit") permit = hs.or(permit, l.reach);
  return { permit, reach: (i) => c.lines[i]!.reach };
}

test("CompiledAcl.permitIn(set) = permit ∩ set, asked before `permit` is built", () => {
  const g = new Gen(0x9e1);
  const sets = new AclSets(new HeaderSpace());
  const hs = sets.hs;
  for (let k = 0; k < ROUNDS; k++) {
    const a = acl(g, k);
    const ref = reference(sets, a);
    const c = sets.compile({ ...a });
    for (let q = 0; q < 4; q++) {
      const set = q === 0 ? hs.all : sets.match(randomMatch(g), "permit", a.vendor);
      assert.is(c.permitIn(set), hs.and(ref.permit, set), `acl ${k} set ${q}`);
    }
    assert.is(c.permit, ref.permit, `acl ${k} permit`);
  }
});

test("nearAcl answers as the whole ACL inside its cubes, in any order of questions", () => {
  const g = new Gen(0x9e2);
  const sets = new AclSets(new HeaderSpace());
  const hs = sets.hs;
  let nonEmpty = 0;
  for (let k = 0; k < ROUNDS; k++) {
    const a = acl(g, k);
    const ref = reference(sets, a);
    const port = g.pick([500, 4500, 1701, 53]);
    const field = g.chance(0.5) ? "dstPort" : "srcPort";
    const cubes: Cube[] = g.chance(0.5) ? udpPortCubes(a.vendor, field, port) : [udpPortCube(field, port, 0)];
    const inside = hs.union(cubes.map((c) => sets.hs.and(hs.protocol(17), hs.and(hs.field(field, port, port), c.fragment === undefined ? hs.all : hs.field("fragment", c.fragment, c.fragment)))));
    const near = nearAcl(sets, a, ...cubes);
    // a few sets inside the cubes: all of them, and random lines' matches within them
    const asked = [inside, ...Array.from({ length: 6 }, () => hs.and(inside, sets.match(randomMatch(g), "permit", a.vendor)))];
    for (const set of asked) assert.is(near.permitIn(set), hs.and(ref.permit, set), `acl ${k} permitIn`);
    for (let q = 0; q < 3 * a.entries.length; q++) {
      const set = g.pick(asked);
      const i = g.chance(0.7) ? q % Math.max(1, a.entries.length) : g.int(0, Math.max(0, a.entries.length - 1));
      if (a.entries.length === 0) break;
      const got = near.reachIn(i, set);
      assert.is(got, hs.and(ref.reach(i), set), `acl ${k} line ${i} question ${q}`);
      if (got !== hs.none) nonEmpty++;
    }
  }
  assert.ok(nonEmpty > ROUNDS, `${nonEmpty} non-empty answers`);
});

test("nearAcl.permitNear(set, around) = permit ∩ set for IPv4 sets between the addresses of `around`", () => {
  // the lines the restricted ACL's index files under src / dst, in order (src/acl/restrict.ts
  // firstMatchNear), against the whole compiled ACL; every question asked that way (no fallback
  // to the cube's permit set, which these short ACLs would take for most). Also in a variable
  // order with the source above the protocol: a set's top path (../src/headerspace/cube-split.ts)
  // then leaves the source free where lines test it, and the question goes back to the whole space.
  const saved = { ...NEAR_TUNING };
  Object.assign(NEAR_TUNING, { wide: 1, lines: Infinity });
  try {
    const sourceHigh: readonly Field[] = ["dst", "src", "protocol", "dstPort", "srcPort", "icmpType", "icmpCode", "tcpFlags", "fragment", "tos"];
    for (const order of [undefined, sourceHigh]) permitNearRounds(order);
  } finally {
    Object.assign(NEAR_TUNING, saved);
  }
});

function permitNearRounds(order: readonly Field[] | undefined): void {
  {
    const g = new Gen(0x9e4);
    const sets = new AclSets(new HeaderSpace(order ? { order } : {}));
    const hs = sets.hs;
    let nonEmpty = 0;
    for (let k = 0; k < ROUNDS; k++) {
      const a = acl(g, k);
      const ref = reference(sets, a);
      const port = g.pick([500, 4500]);
      const field = g.chance(0.5) ? "dstPort" : "srcPort";
      const cube = g.chance(0.5) ? udpPortCube(field, port, 0) : udpPortCube(field, port);
      const inside = hs.and(hs.protocol(17), hs.and(hs.field(field, port, port), cube.fragment === undefined ? hs.all : hs.field("fragment", 0, 0)));
      const near = nearAcl(sets, a, cube);
      for (let q = 0; q < 6; q++) {
        // addresses as a line would have them (hosts, subnets, wildcards, any), and packets between them
        const m = randomMatch(g);
        const between = hs.and(inside, hs.and(hs.family(4), hs.and(hs.addrSet("src", m.src), hs.addrSet("dst", m.dst))));
        const set = g.chance(0.5) ? between : hs.and(between, sets.match(randomMatch(g), "permit", a.vendor));
        const got = near.permitNear(set, { ...cube, src: m.src, dst: m.dst });
        assert.is(got, hs.and(ref.permit, set), `acl ${k} question ${q}`);
        if (got !== hs.none) nonEmpty++;
      }
    }
    assert.ok(nonEmpty > ROUNDS / 2, `${nonEmpty} non-empty answers`);
  }
}

test("nearAcl.permitNear: a line testing a bit the set's top path leaves free, after lines that took part of it", () => {
  // source above protocol in the order: the set (udp to host 10.0.0.1 port 4500 from any source and
  // a high port) has its path over the destination, protocol and port with the source left free;
  // the first line takes part of it below the path (source ports), then the host line tests the source
  const saved = { ...NEAR_TUNING };
  Object.assign(NEAR_TUNING, { wide: 1, lines: Infinity });
  try {
    const text = "ip access-list extended A\n deny udp any range 2000 3000 host 10.0.0.1 eq 4500\n permit udp host 192.0.2.1 host 10.0.0.1 eq 4500\n permit udp 192.0.2.0 0.0.0.255 any\n deny ip any any\n";
    const a = parseConfig(text, "a.cfg").device.acls.get("A")!;
    const sets = new AclSets(new HeaderSpace({ order: ["dst", "src", "protocol", "dstPort", "srcPort", "icmpType", "icmpCode", "tcpFlags", "fragment", "tos"] }));
    const hs = sets.hs;
    const set = hs.and(hs.family(4), hs.and(hs.field("dst", 0x0a000001, 0x0a000001), hs.and(hs.protocol(17), hs.and(hs.field("dstPort", 4500, 4500), hs.field("srcPort", 1024, 65535)))));
    const cube = udpPortCube("dstPort", 4500);
    const got = nearAcl(sets, a, cube).permitNear(set, { ...cube, src: [{ addr: 0, wildcard: 0xffffffff }], dst: [{ addr: 0x0a000001, wildcard: 0 }] });
    assert.is(got, hs.and(reference(sets, a).permit, set));
    assert.ok(got !== hs.none && got !== set, "the ACL permits part of the set");
  } finally {
    Object.assign(NEAR_TUNING, saved);
  }
});

test("nearAcl.permitNear: questions about two managers' sets in turn get each manager's own answers", () => {
  // the scratch manager of src/acl/restrict.ts keeps copies of a manager's nodes between questions
  const saved = { ...NEAR_TUNING };
  Object.assign(NEAR_TUNING, { wide: 1, lines: Infinity });
  try {
    const g = new Gen(0x9e5);
    const one = new AclSets(new HeaderSpace());
    for (let j = 0; j < 30; j++) one.match(randomMatch(g), "permit", "ios"); // other nodes first: the managers' numbers differ
    const two = new AclSets(new HeaderSpace());
    let asked = 0;
    for (let k = 0; k < 20; k++) {
      const a = randomAcl(g, `T${k}`, g.int(5, 25));
      const cube = udpPortCube("dstPort", 4500, 0);
      const qs = Array.from({ length: 4 }, () => randomMatch(g));
      for (const q of qs)
        for (const sets of [one, two, one]) {
          const hs = sets.hs;
          const set = hs.and(hs.family(4), hs.and(hs.protocol(17), hs.and(hs.field("dstPort", 4500, 4500), hs.and(hs.field("fragment", 0, 0), hs.and(hs.addrSet("src", q.src), hs.addrSet("dst", q.dst))))));
          assert.is(nearAcl(sets, a, cube).permitNear(set, { ...cube, src: q.src, dst: q.dst }), hs.and(reference(sets, a).permit, set), `acl ${k}`);
          asked++;
        }
    }
    assert.ok(asked >= 240);
  } finally {
    Object.assign(NEAR_TUNING, saved);
  }
});

test("nearAcl: the same ACL asked in two packet-set managers gets each manager's own sets", () => {
  const g = new Gen(0x9e3);
  for (let k = 0; k < 10; k++) {
    const a = randomAcl(g, `M${k}`, g.int(5, 25));
    const one = new AclSets(new HeaderSpace());
    for (let j = 0; j < 20; j++) one.match(randomMatch(g), "permit", "ios"); // other nodes first: the managers' numbers differ
    const two = new AclSets(new HeaderSpace());
    for (const sets of [one, two]) {
      const hs = sets.hs;
      const inside = hs.and(hs.protocol(17), hs.and(hs.field("dstPort", 500, 500), hs.field("fragment", 0, 0)));
      assert.is(nearAcl(sets, a, udpPortCube("dstPort", 500, 0)).permitIn(inside), hs.and(reference(sets, a).permit, inside), `acl ${k}`);
    }
  }
});

test.run();
