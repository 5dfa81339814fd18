/**
 * The values lo … hi of a `width`-bit number whose bits are the levels top … top + width - 1
 * (most significant first), followed by `cont` (a set over the levels below them): a port range
 * (./index.ts `range`), a range of atom numbers (src/acl/atoms.ts). About 2·width nodes.
 */
import type { Bdd } from "./bdd.js";

export function rangeCube(bdd: Bdd, top: number, width: number, lo: number, hi: number, cont: number): number {
  const rec = (i: number, lo: number, hi: number): number => {
    const size = 2 ** (width - i);
    if (lo === 0 && hi === size - 1) return cont;
    const half = size / 2;
    if (hi < half) return bdd.mk(top + i, rec(i + 1, lo, hi), 0);
    if (lo >= half) return bdd.mk(top + i, 0, rec(i + 1, lo - half, hi - half));
    return bdd.mk(top + i, rec(i + 1, lo, half - 1), rec(i + 1, 0, hi - half));
  };
  return rec(0, lo, hi);
}
