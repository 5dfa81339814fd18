/**
 * `readableWitness` (src/checks/witness.ts) and its `settled` claim, which lets
 * ipsec-source-port-pinned test one packet instead of building the set of denied packets: when the
 * example of a set X is settled, every subset S of X holding it has the same example. Property
 * test (fast-check, fixed seed) on random unions of cubes over a small pool of addresses (the
 * readable ones among them) and ports, and random subsets of them; the premise must hold often
 * enough for the test to mean something, and unsettled examples must occur too.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import { HeaderSpace, type PSet } from "../src/headerspace/index.js";
import { readableWitness } from "../src/checks/witness.js";

const hs = new HeaderSpace();
// 198.51.100.23/24 and 203.0.113.23 are readable (TEST-NET), the others are not
const POOL = [0xc6336417, 0xc6336418, 0xcb007117, 0x0a000001, 0x0a000101, 0xac100005, 0xc0000202];
const PORTS = [1, 53, 500, 501, 1024, 4500, 4501, 65535];

const cube = fc
  .record({
    src: fc.option(fc.constantFrom(...POOL), { nil: undefined }),
    srcLen: fc.constantFrom(32, 24, 16),
    dst: fc.option(fc.constantFrom(...POOL), { nil: undefined }),
    dstLen: fc.constantFrom(32, 24, 8),
    lo: fc.constantFrom(...PORTS),
    hi: fc.constantFrom(...PORTS),
    fragment: fc.option(fc.constantFrom(0, 1), { nil: undefined }),
  })
  .map((c) => {
    const addr = (f: "src" | "dst", a: number | undefined, len: number): PSet => (a === undefined ? hs.all : hs.addrSet(f, [{ addr: (a & ~(0xffffffff >>> len)) >>> 0, wildcard: 0xffffffff >>> len }]));
    let s = hs.and(hs.protocol(17), hs.and(addr("src", c.src, c.srcLen), addr("dst", c.dst, c.dstLen)));
    s = hs.and(s, hs.field("dstPort", Math.min(c.lo, c.hi), Math.max(c.lo, c.hi)));
    if (c.fragment !== undefined) s = hs.and(s, hs.eq("fragment", c.fragment));
    return s;
  });
const union = (n: number) => fc.array(cube, { minLength: 1, maxLength: n }).map((cs) => hs.union(cs));

test("a settled example of X is the example of every subset of X that holds it", () => {
  let held = 0;
  let unsettled = 0;
  fc.assert(
    fc.property(union(4), union(6), fc.constantFrom(...PORTS), (x, cut, port) => {
      if (hs.isEmpty(x)) return;
      const prefer = { dstPort: port };
      const e = readableWitness(hs, x, prefer);
      assert.ok(hs.contains(x, e.packet), "the example is a packet of the set");
      if (!e.settled) {
        unsettled++;
        return;
      }
      const s = hs.diff(x, cut);
      if (!hs.contains(s, e.packet)) return;
      held++;
      assert.equal(readableWitness(hs, s, prefer).packet, e.packet);
    }),
    { seed: 14, numRuns: 400 },
  );
  assert.ok(held >= 50, `${held} subsets held the example`);
  assert.ok(unsettled >= 5, `${unsettled} examples unsettled`);
});

test.run();
