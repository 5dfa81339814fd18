/**
 * `fieldIntervals` (src/headerspace/intervals.ts) against the bisection it replaces: "is [lo, hi]
 * inside the projected set, outside it, or split?", asked from the whole field down, adjacent
 * blocks merged, at most `max` ranges. Random unions, differences and bit patterns per field.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { HeaderSpace, FIELD_WIDTH, type Field, type PSet } from "../src/headerspace/index.js";
import { fieldIntervals } from "../src/headerspace/intervals.js";

function bisection(hs: HeaderSpace, proj: PSet, f: Field, max: number): { ranges: Array<[number, number]>; truncated: boolean } {
  const out: Array<[number, number]> = [];
  let truncated = false;
  const rec = (lo: number, hi: number): void => {
    if (truncated) return;
    const r = hs.field(f, lo, hi);
    const part = hs.and(proj, r);
    if (part === hs.none) return;
    if (part === r) {
      const last = out[out.length - 1];
      if (last && last[1] + 1 === lo) last[1] = hi;
      else if (out.length >= max) truncated = true;
      else out.push([lo, hi]);
      return;
    }
    const mid = lo + Math.floor((hi - lo) / 2);
    rec(lo, mid);
    rec(mid + 1, hi);
  };
  rec(0, 2 ** FIELD_WIDTH[f] - 1);
  return { ranges: out, truncated };
}

let seed = 0x5eed;
const rnd = (n: number): number => {
  seed = (seed * 1103515245 + 12345) >>> 0;
  return Math.floor((seed / 2 ** 32) * n);
};

test("fieldIntervals gives the bisection's ranges, in order, truncated alike", () => {
  const hs = new HeaderSpace();
  const fields: Field[] = ["protocol", "src", "dst", "srcPort", "dstPort"];
  let truncations = 0;
  let multi = 0;
  for (let i = 0; i < 600; i++) {
    const f = fields[i % fields.length]!;
    const top = 2 ** FIELD_WIDTH[f];
    let s: PSet = hs.none;
    const parts = 1 + rnd(8);
    for (let k = 0; k < parts; k++) {
      const kind = rnd(4);
      if (kind === 0) s = hs.or(s, hs.field(f, rnd(top), rnd(top)));
      else if (kind === 1) {
        // a block of 2^b values, anywhere
        const b = rnd(FIELD_WIDTH[f]);
        const lo = Math.floor(rnd(top) / 2 ** b) * 2 ** b;
        s = hs.or(s, hs.field(f, lo, lo + 2 ** b - 1));
      } else if (kind === 2) s = hs.diff(s === hs.none ? hs.field(f, 0, top - 1) : s, hs.field(f, rnd(top), rnd(top)));
      // one bit fixed, the rest free (a non-contiguous wildcard): many blocks
      else s = hs.or(s, hs.bit(f, rnd(FIELD_WIDTH[f]), rnd(2) === 1));
    }
    const max = [1, 2, 16, 64][rnd(4)]!;
    const want = bisection(hs, s, f, max);
    assert.equal(fieldIntervals(hs, s, f, max), want, `${f} set ${i}, max ${max}`);
    if (want.truncated) truncations++;
    if (want.ranges.length > 1) multi++;
  }
  assert.ok(truncations > 20 && multi > 100, `${truncations} truncated, ${multi} with several ranges`);
  assert.equal(fieldIntervals(hs, hs.none, "src"), { ranges: [], truncated: false });
  assert.equal(fieldIntervals(hs, hs.all, "dstPort"), { ranges: [[0, 65535]], truncated: false });
});

test("fieldIntervals refuses a set that tests another field", () => {
  const hs = new HeaderSpace();
  assert.throws(() => fieldIntervals(hs, hs.and(hs.field("src", 1, 1), hs.field("dstPort", 80, 80)), "src"), /tests a field other than src/);
});

test.run();
