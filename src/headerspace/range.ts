/**
 * The values lo … hi of a `width`-bit number whose bits are the levels top … top + width - 1
 * (most significant first), followed by `cont` (a set over the levels below them): a port range
 * (./index.ts `range`), a range of atom numbers (src/acl/atoms.ts). About 2·width nodes.
 */
import type { Bdd } from "./bdd.js";

/** 2^k for k = 0 … 32 (a float power per node was most of a short range's cost). */
const POW2 = Float64Array.from({ length: 33 }, (_, k) => 2 ** k);

export function rangeCube(bdd: Bdd, top: number, width: number, lo: number, hi: number, cont: number): number {
  return rec(bdd, top, width, cont, 0, lo, hi);
}

/** Bit i down of [lo, hi] (relative to the 2^(width - i) values below bit i). */
function rec(bdd: Bdd, top: number, width: number, cont: number, i: number, lo: number, hi: number): number {
  const size = POW2[width - i]!;
  if (lo === 0 && hi === size - 1) return cont;
  const half = size / 2;
  if (hi < half) return bdd.mk(top + i, rec(bdd, top, width, cont, i + 1, lo, hi), 0);
  if (lo >= half) return bdd.mk(top + i, 0, rec(bdd, top, width, cont, i + 1, lo - half, hi - half));
  return bdd.mk(top + i, rec(bdd, top, width, cont, i + 1, lo, half - 1), rec(bdd, top, width, cont, i + 1, 0, hi - half));
}
