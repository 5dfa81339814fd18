/**
 * The values of one field (at most 32 bits) that a set over that field alone holds, as inclusive
 * ranges in increasing order: a walk of the BDD with the bits read so far, most significant
 * first. A node reached at the constant true is a whole aligned block; a bit the BDD skips is
 * free, so both halves are walked. These are the blocks the bisection "is [lo, hi] inside the
 * set, outside it, or split?" finds, in the same order, without building a range per question.
 */
import type { Field, HeaderSpace, PSet } from "./index.js";
import { FIELD_WIDTH } from "./index.js";

export interface Intervals {
  ranges: Array<[number, number]>;
  /** More than `max` ranges: the list holds the first `max`. */
  truncated: boolean;
}

/** `proj` must be a set over field `f` alone (every other field forgotten). */
export function fieldIntervals(hs: HeaderSpace, proj: PSet, f: Field, max = 16): Intervals {
  const w = FIELD_WIDTH[f];
  if (w > 32) throw new RangeError(`fieldIntervals: ${f} is wider than 32 bits`);
  const top = hs.level(f, w - 1);
  const nodes = hs.bdd.nodes;
  const out: Array<[number, number]> = [];
  let truncated = false;
  const rec = (n: number, depth: number, prefix: number): void => {
    if (truncated || n === 0) return;
    if (n === 1) {
      const size = 2 ** (w - depth);
      const lo = prefix * size;
      const hi = lo + size - 1;
      const last = out[out.length - 1];
      if (last && last[1] + 1 === lo) last[1] = hi;
      else if (out.length >= max) truncated = true;
      else out.push([lo, hi]);
      return;
    }
    const at = nodes[3 * n]! - top;
    if (at < depth || at >= w) throw new RangeError(`fieldIntervals: the set tests a field other than ${f}`);
    if (at > depth) {
      // bit `depth` is free
      rec(n, depth + 1, prefix * 2);
      rec(n, depth + 1, prefix * 2 + 1);
      return;
    }
    rec(nodes[3 * n + 1]!, depth + 1, prefix * 2);
    rec(nodes[3 * n + 2]!, depth + 1, prefix * 2 + 1);
  };
  rec(proj, 0, 0);
  return { ranges: out, truncated };
}
