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
  // count(x) = assignments of the variables var(x)..numVars-1 that satisfy x
  const count = (x: number): bigint => {
    if (x < 2) return BigInt(x);
    const m = memo.get(x);
    if (m !== undefined) return m;
    const v = ns[3 * x]!;
    const lo = ns[3 * x + 1]!;
    const hi = ns[3 * x + 2]!;
    const cl = count(lo) << BigInt(ns[3 * lo]! - v - 1);
    const ch = count(hi) << BigInt(ns[3 * hi]! - v - 1);
    const r = cl + ch;
    memo.set(x, r);
    return r;
  };
  const top = a < 2 ? n : ns[3 * a]!;
  return count(a) << BigInt(top);
}
