/** Counting the members of a BDD set (./bdd.ts). */
import type { Bdd } from "./bdd.js";

/**
 * Number of satisfying assignments over all `numVars` variables. `memo` (node → count of its
 * assignments from its own variable down) may be kept across calls on the same manager: the
 * counts of shared sub-diagrams are then computed once.
 */
export function satCount(bdd: Bdd, a: number, memo: Map<number, bigint> = new Map()): bigint {
  if (a === 0) return 0n;
  const ns = bdd.nodes;
  const n = bdd.numVars;
  const shift = shifts(n);
  // count(x) = assignments of the variables var(x)..numVars-1 that satisfy x
  const count = (x: number): bigint => {
    if (x < 2) return x === 0 ? 0n : 1n;
    const m = memo.get(x);
    if (m !== undefined) return m;
    const v = ns[3 * x]!;
    const lo = ns[3 * x + 1]!;
    const hi = ns[3 * x + 2]!;
    // a child right below its parent's variable needs no shift (most do)
    const sl = ns[3 * lo]! - v - 1;
    const sh = ns[3 * hi]! - v - 1;
    const cl = lo === 0 ? 0n : sl === 0 ? count(lo) : count(lo) << shift[sl]!;
    const ch = hi === 0 ? 0n : sh === 0 ? count(hi) : count(hi) << shift[sh]!;
    const r = cl + ch;
    memo.set(x, r);
    return r;
  };
  const top = a < 2 ? n : ns[3 * a]!;
  return count(a) << shift[top]!;
}

/** 0n … BigInt(n), made once per variable count (a BigInt per node was most of a count). */
const SHIFTS = new Map<number, bigint[]>();
function shifts(n: number): bigint[] {
  let s = SHIFTS.get(n);
  if (!s) SHIFTS.set(n, (s = Array.from({ length: n + 1 }, (_, i) => BigInt(i))));
  return s;
}
