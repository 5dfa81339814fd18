/**
 * A multi-terminal decision diagram over the same variable order as a `Bdd`, whose leaves are
 * small non-negative integers (e.g. ACL line indices). Internal nodes are handles ≥ 0; a leaf
 * with value k is the handle `-(k + 1)`.
 *
 * Built from BDDs with `ite(f, leaf, g)` ("packets in f go to leaf, the rest follow g"), so an ACL
 * becomes, from its last line up, `ite(match_i, line_i, rest)`. Evaluating a packet is a single
 * root-to-leaf walk (at most one step per variable), independent of the number of lines.
 */
import type { Bdd } from "./bdd.js";

export function leafHandle(value: number): number {
  return -(value + 1);
}
export function leafValue(handle: number): number {
  return -handle - 1;
}

export class Mtbdd {
  readonly bdd: Bdd;
  vars: Int32Array;
  lows: Int32Array;
  highs: Int32Array;
  private next = 0;
  private table: Int32Array;
  private tableMask: number;
  /** Per-call memo: (stamp, f, g, result) direct-mapped. */
  private memo: Int32Array;
  private memoMask: number;
  private stamp = 0;

  constructor(bdd: Bdd) {
    this.bdd = bdd;
    const cap = 1024;
    this.vars = new Int32Array(cap);
    this.lows = new Int32Array(cap);
    this.highs = new Int32Array(cap);
    this.table = new Int32Array(cap * 2).fill(-1);
    this.tableMask = cap * 2 - 1;
    this.memo = new Int32Array(4 << 16);
    this.memoMask = (1 << 16) - 1;
  }

  get size(): number {
    return this.next;
  }

  mk(v: number, lo: number, hi: number): number {
    if (lo === hi) return lo;
    const mask = this.tableMask;
    let h = hash3(v, lo, hi) & mask;
    for (;;) {
      const e = this.table[h]!;
      if (e === -1) break;
      if (this.vars[e] === v && this.lows[e] === lo && this.highs[e] === hi) return e;
      h = (h + 1) & mask;
    }
    if (this.next >= this.vars.length) {
      const cap = this.vars.length * 2;
      const grow = (a: Int32Array): Int32Array => {
        const b = new Int32Array(cap);
        b.set(a);
        return b;
      };
      this.vars = grow(this.vars);
      this.lows = grow(this.lows);
      this.highs = grow(this.highs);
    }
    const n = this.next++;
    this.vars[n] = v;
    this.lows[n] = lo;
    this.highs[n] = hi;
    this.table[h] = n;
    if (this.next * 2 > this.table.length) this.rehash();
    return n;
  }

  private rehash(): void {
    const size = this.table.length * 2;
    const table = new Int32Array(size).fill(-1);
    const mask = size - 1;
    for (let n = 0; n < this.next; n++) {
      let h = hash3(this.vars[n]!, this.lows[n]!, this.highs[n]!) & mask;
      while (table[h] !== -1) h = (h + 1) & mask;
      table[h] = n;
    }
    this.table = table;
    this.tableMask = mask;
    if (this.memoMask < (1 << 22) - 1 && this.memoMask < this.next) {
      let bits = 16;
      while (bits < 22 && 1 << bits < this.next) bits++;
      this.memo = new Int32Array(4 << bits);
      this.memoMask = (1 << bits) - 1;
    }
  }

  /** Packets in BDD `f` go to the leaf `leaf` (a leaf handle); the others follow `g`. */
  iteLeaf(f: number, leaf: number, g: number): number {
    this.stamp++;
    if (this.stamp === 0x7fffffff) {
      this.memo.fill(0);
      this.stamp = 1;
    }
    return this.ite(f, leaf, g);
  }

  private ite(f: number, leaf: number, g: number): number {
    if (f === 0) return g;
    if (f === 1 || g === leaf) return leaf;
    const i = (hash3(this.stamp, f, g) & this.memoMask) << 2;
    const m = this.memo;
    if (m[i] === this.stamp && m[i + 1] === f && m[i + 2] === g) return m[i + 3]!;
    const bn = this.bdd.nodes; // not reallocated here: ite builds only MTBDD nodes
    const vf = bn[3 * f]!;
    const f0 = bn[3 * f + 1]!;
    const f1 = bn[3 * f + 2]!;
    const vg = g < 0 ? 0x7fffffff : this.vars[g]!;
    let r: number;
    if (vf === vg) r = this.mk(vf, this.ite(f0, leaf, this.lows[g]!), this.ite(f1, leaf, this.highs[g]!));
    else if (vf < vg) r = this.mk(vf, this.ite(f0, leaf, g), this.ite(f1, leaf, g));
    else r = this.mk(vg, this.ite(f, leaf, this.lows[g]!), this.ite(f, leaf, this.highs[g]!));
    const m2 = this.memo; // may have been reallocated by mk
    const j = (hash3(this.stamp, f, g) & this.memoMask) << 2;
    m2[j] = this.stamp;
    m2[j + 1] = f;
    m2[j + 2] = g;
    m2[j + 3] = r;
    return r;
  }
}

function hash3(a: number, b: number, c: number): number {
  let h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b, 0x85ebca77) ^ Math.imul(c, 0xc2b2ae3d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 13;
  return h;
}
