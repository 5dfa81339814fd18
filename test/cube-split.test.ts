/**
 * A set whose top is one path, split into the path's cube and the set below it
 * (src/headerspace/cube-split.ts), and the scratch manager (src/headerspace/scratch.ts): m ∩ x is
 * the lifted m's cofactor ∩ x's lower part, computed in either manager, for random lines' matches
 * and random sets with such a top; a line testing a bit the path leaves free has no cofactor. A cube
 * anywhere in the order (`CubeCofactor`): m ∩ C is C lifted over m restricted to C, and restriction
 * commutes with ∪ and −, for random lines and random cubes of a protocol, ports and fragment bit.
 * The largest cube holding a set (`CubeCofactor.around`), checked bit by bit on random regions.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { HeaderSpace } from "../src/headerspace/index.js";
import { CubeCofactor, cofactor, lift, splitTop } from "../src/headerspace/cube-split.js";
import { Scratch } from "../src/headerspace/scratch.js";
import { AclSets } from "../src/acl/sets.js";
import { Gen, randomMatch } from "../bench/random.js";

test("m ∩ x = P ∩ (cofactor(m) ∩ x'), in the large manager and in a scratch one", () => {
  const g = new Gen(0xc0be);
  const hs = new HeaderSpace();
  const sets = new AclSets(hs);
  const sc = new Scratch(hs.bdd.numVars);
  let lifted = 0;
  for (let i = 0; i < 300; i++) {
    // x: a host destination, udp, one destination port, then something of the source and its port
    const below = hs.or(sets.match(randomMatch(g), "permit", "ios"), hs.field("srcPort", g.int(0, 65535), g.int(0, 65535)));
    const dst = g.int(0, 2 ** 32 - 1);
    const top = hs.and(hs.family(4), hs.and(hs.field("dst", dst, dst), hs.and(hs.protocol(17), hs.field("dstPort", 4500, 4500))));
    const set = hs.and(top, below);
    if (set === hs.none) continue;
    const s = splitTop(hs.bdd, set);
    assert.ok(s !== undefined, "a host destination, a protocol and a port: a path of at least 8 bits");
    assert.is(lift(hs.bdd, s!, s!.below), set, "the path's cube times what it ends in is the set");
    sc.begin(hs.bdd);
    for (let k = 0; k < 5; k++) {
      const m = sets.match(randomMatch(g), "permit", "ios");
      const c = cofactor(hs.bdd, m, s!);
      if (c < 0) continue;
      lifted++;
      const want = hs.and(m, set);
      assert.is(lift(hs.bdd, s!, hs.and(c, s!.below)), want, `set ${i} line ${k}`);
      const small = sc.bdd.and(sc.in(hs.bdd, c), sc.in(hs.bdd, s!.below));
      assert.is(lift(hs.bdd, s!, sc.out(hs.bdd, small)), want, `set ${i} line ${k}, scratch`);
    }
  }
  assert.ok(lifted > 500, `${lifted} lifted`);
  // a line testing what the path leaves free: the source, in an order that puts it above the
  // path's end (destination, source, protocol, ports)
  const other = new HeaderSpace({ order: ["dst", "src", "protocol", "dstPort", "srcPort", "icmpType", "icmpCode", "tcpFlags", "fragment", "tos"] });
  const set = other.and(other.field("dst", 7, 7), other.and(other.protocol(17), other.field("dstPort", 4500, 4500)));
  const s = splitTop(other.bdd, set)!;
  assert.ok(s.vars.length >= 32 + 8 + 16, "the path runs over the destination, the protocol and the port");
  assert.is(cofactor(other.bdd, other.field("src", 1, 1), s), -1, "the source is above the path's end and free in the set");
  assert.is(cofactor(other.bdd, other.protocol(6), s), 0, "another protocol: nothing under the path");
  assert.is(cofactor(other.bdd, other.field("dstPort", 4000, 5000), s), 1, "a port range holding the path's port: everything");
});

test("scratch: copies are of the manager the question is about (node numbers mean nothing across managers)", () => {
  const a = new HeaderSpace();
  const b = new HeaderSpace();
  const sc = new Scratch(a.bdd.numVars);
  for (let k = 0; k < 20; k++) {
    // the same shape built in the same order in both managers: the same node numbers, other sets
    const x = a.and(a.field("dst", k, k), a.field("dstPort", 500, 500));
    const y = b.and(b.field("dst", k + 1, k + 1), b.field("dstPort", 4500, 4500));
    sc.begin(a.bdd);
    assert.is(sc.out(a.bdd, sc.in(a.bdd, x)), x);
    sc.begin(b.bdd);
    assert.is(sc.out(b.bdd, sc.in(b.bdd, y)), y, `round ${k}`);
    assert.throws(() => sc.in(a.bdd, x), /another manager/);
  }
});

test("splitTop: no path of 8 bits on top, no split", () => {
  const hs = new HeaderSpace();
  assert.is(splitTop(hs.bdd, hs.all), undefined);
  assert.is(splitTop(hs.bdd, hs.or(hs.field("dst", 1, 1), hs.field("dst", 2 ** 31, 2 ** 31))), undefined, "two destinations: the top bit is split");
  const s = splitTop(hs.bdd, hs.field("dst", 5, 5))!;
  assert.is(s.below, hs.all);
  assert.is(s.end, hs.bdd.numVars);
});

test("CubeCofactor: m ∩ C = C ∩ m|C, and |C commutes with ∪ and − (a pass made of restrictions gives the same sets)", () => {
  const g = new Gen(0xcafe);
  const hs = new HeaderSpace();
  const sets = new AclSets(hs);
  let checked = 0;
  for (let i = 0; i < 60; i++) {
    // a cube in the middle of the order: the destination above it and the source below it free
    const port = () => { const p = g.int(0, 65535); return hs.field(g.int(0, 1) ? "dstPort" : "srcPort", p, p); };
    let c = hs.and(hs.protocol(g.int(0, 1) ? 17 : 6), port());
    if (g.int(0, 1)) c = hs.and(c, hs.field("fragment", 0, 0));
    if (g.int(0, 1)) c = hs.and(c, port());
    if (c === hs.none) continue;
    const cof = CubeCofactor.of(hs.bdd, c)!;
    assert.ok(cof !== undefined, `cube ${i} is a cube`);
    let union: number = hs.none;
    let liftedUnion: number = hs.none;
    for (let k = 0; k < 20; k++) {
      const m = sets.match(randomMatch(g), g.int(0, 1) ? "permit" : "deny", "ios");
      const r = cof.restrict(m);
      assert.is(cof.lift(r), hs.and(m, c), `cube ${i} line ${k}`);
      assert.is(cof.lift(hs.bdd.diff(r, union)), hs.diff(hs.and(m, c), liftedUnion), `cube ${i} line ${k}: the reach`);
      union = hs.or(union, r);
      liftedUnion = hs.or(liftedUnion, hs.and(m, c));
      checked++;
    }
    assert.is(cof.lift(union), liftedUnion, `cube ${i}: the union`);
  }
  assert.ok(checked > 600, `${checked} lines checked`);
  assert.is(CubeCofactor.of(hs.bdd, hs.all), undefined, "everything: no variable fixed");
  assert.is(CubeCofactor.of(hs.bdd, hs.none), undefined);
  assert.ok(CubeCofactor.of(hs.bdd, hs.field("dstPort", 500, 501)) !== undefined, "500–501: one path, the last bit free");
  assert.is(CubeCofactor.of(hs.bdd, hs.field("dstPort", 500, 502)), undefined, "500–502: not one path");
});

test("CubeCofactor.around: x = C ∩ x|C, C the largest cube holding x (every bit it leaves free takes both values in x)", () => {
  const g = new Gen(0xa40d);
  const hs = new HeaderSpace();
  const sets = new AclSets(hs);
  const bdd = hs.bdd;
  let found = 0;
  for (let i = 0; i < 200; i++) {
    // a line's match, whole packets or not, sometimes with a port range: a region as diff makes them
    let x = sets.match(randomMatch(g), g.int(0, 1) ? "permit" : "deny", "ios");
    if (g.int(0, 1)) x = hs.and(x, hs.field("fragment", 0, 0));
    if (g.int(0, 2) === 0) x = hs.or(x, sets.match(randomMatch(g), "permit", "ios"));
    const a = CubeCofactor.around(bdd, x);
    if (a === undefined) {
      // nothing fixed: each variable takes both values in x (or x is empty / everything)
      if (x >= 2) for (let v = 0; v < bdd.numVars; v++) assert.ok(hs.and(x, bdd.literal(v, true)) !== hs.none && hs.and(x, bdd.literal(v, false)) !== hs.none, `set ${i} var ${v}: fixed, but no cube`);
      continue;
    }
    found++;
    assert.is(a.cof.lift(a.rest), x, `set ${i}: C ∩ x|C is x`);
    for (let v = 0; v < bdd.numVars; v++) {
      const one = hs.and(x, bdd.literal(v, true)) !== hs.none;
      const zero = hs.and(x, bdd.literal(v, false)) !== hs.none;
      const inC = hs.and(a.cof.cube, bdd.literal(v, true)) === hs.none || hs.and(a.cof.cube, bdd.literal(v, false)) === hs.none;
      assert.is(inC, !(one && zero), `set ${i} var ${v}: in C exactly when x fixes it`);
    }
    const m = sets.match(randomMatch(g), "permit", "ios");
    assert.is(a.cof.lift(hs.and(a.cof.restrict(m), a.rest)), hs.and(m, x), `set ${i}: m ∩ x from the restriction`);
  }
  assert.ok(found > 100, `${found} sets with a cube`);
  assert.is(CubeCofactor.around(bdd, hs.all), undefined);
  assert.is(CubeCofactor.around(bdd, hs.none), undefined);
  const range = hs.and(hs.protocol(6), hs.field("dstPort", 8001, 65535));
  const r = CubeCofactor.around(bdd, range)!;
  assert.ok(r !== undefined);
  assert.is(r.cof.cube, hs.protocol(6), "tcp gt 8000: the protocol is the cube, the range the rest");
  assert.is(r.rest, hs.field("dstPort", 8001, 65535));
  assert.ok(CubeCofactor.around(bdd, range, 4) === undefined, "over the node cap: no cube");
});

test.run();
