/**
 * A set whose top is one path — `udp host B eq 4500`: the destination, protocol and destination
 * port bits fixed, the rest below — is that path's cube P times the set x' the path ends in. Every
 * subset of it is P times a set over the variables below P, so first-match questions about its
 * packets can be asked of x' and the lines' cofactors under P (found by walking their BDDs: no
 * node is built) and the answer lifted by P at the end. The parts of x a line takes then cost
 * nodes below P only, not a copy of P's levels each.
 */
import type { Bdd } from "./bdd.js";

export interface CubeSplit {
  /** The path's variables, top first, and the value of each. */
  vars: Int32Array;
  bits: Uint8Array;
  /** The set below the path (x'), over variables from `end` down. */
  below: number;
  /** The first variable below the path's region: every variable above it is on the path or free in the set. */
  end: number;
}

/** The set's top path as a cube and what it ends in, or undefined when that path is shorter than `min` variables. */
export function splitTop(bdd: Bdd, x: number, min = 8): CubeSplit | undefined {
  const nodes = bdd.nodes;
  const vars: number[] = [];
  const bits: number[] = [];
  let n = x;
  while (n >= 2) {
    const lo = nodes[3 * n + 1]!;
    const hi = nodes[3 * n + 2]!;
    if (lo !== 0 && hi !== 0) break;
    vars.push(nodes[3 * n]!);
    bits.push(lo === 0 ? 1 : 0);
    n = lo === 0 ? hi : lo;
  }
  if (vars.length < min) return undefined;
  return { vars: Int32Array.from(vars), bits: Uint8Array.from(bits), below: n, end: n >= 2 ? nodes[3 * n]! : bdd.numVars };
}

/**
 * m restricted to the path's values (a node of m, over variables from `end` down), or -1 when m
 * tests a variable above `end` that the path leaves free (then m ∩ P is not P times a set below it).
 */
export function cofactor(bdd: Bdd, m: number, s: CubeSplit): number {
  const nodes = bdd.nodes;
  let k = 0;
  while (m >= 2) {
    const v = nodes[3 * m]!;
    if (v >= s.end) break;
    while (k < s.vars.length && s.vars[k]! < v) k++;
    if (k === s.vars.length || s.vars[k] !== v) return -1;
    m = nodes[3 * m + 1 + s.bits[k]!]!;
  }
  return m;
}

/** P ∩ r, for r over the variables from `end` down. */
export function lift(bdd: Bdd, s: CubeSplit, r: number): number {
  if (r === 0) return 0;
  for (let k = s.vars.length - 1; k >= 0; k--) r = s.bits[k] ? bdd.mk(s.vars[k]!, 0, r) : bdd.mk(s.vars[k]!, r, 0);
  return r;
}

/**
 * Questions about the subsets of a cube C anywhere in the order (`udp eq 500 → eq 500`, whole
 * packets: the protocol, port and fragment bits fixed, the addresses free above and below them):
 * m ∩ C = C ∩ m|C, where m|C (`of`) is m with each of C's variables set to its value, a set over
 * the other variables. Restriction commutes with ∪, ∩ and −, so a pass of unions and differences
 * over the lines' parts of C can be made of their restrictions, which skip C's levels (a part
 * ∩ C copies them below every address it adds), and the answer lifted by C once (`lift`).
 */
export class CubeCofactor {
  /** Per variable: the cube's value of it (0 or 1), or -1 when the cube leaves it free. */
  private readonly value: Int8Array;
  /** The cube's lowest variable: a node below it is its own restriction. */
  private readonly last: number;
  private readonly memo = new Map<number, number>();

  private constructor(
    private readonly bdd: Bdd,
    readonly cube: number,
    value: Int8Array,
    last: number,
  ) {
    this.value = value;
    this.last = last;
  }

  /** The cofactor of `x` when x is a cube of at least one variable, else undefined. */
  static of(bdd: Bdd, x: number): CubeCofactor | undefined {
    if (x < 2) return undefined;
    const nodes = bdd.nodes;
    const value = new Int8Array(bdd.numVars).fill(-1);
    let n = x;
    let last = 0;
    while (n >= 2) {
      const lo = nodes[3 * n + 1]!;
      const hi = nodes[3 * n + 2]!;
      if (lo !== 0 && hi !== 0) return undefined;
      last = nodes[3 * n]!;
      value[last] = lo === 0 ? 1 : 0;
      n = lo === 0 ? hi : lo;
    }
    return new CubeCofactor(bdd, x, value, last);
  }

  /**
   * The largest cube C holding `x` (the bits every member of x has) and x|C, when C fixes at least
   * one variable: x = C ∩ x|C, so questions about subsets of x can be asked of the restrictions
   * to C intersected with x|C, as for a cube (`permit tcp any host B gt 8000`: C fixes the
   * protocol, the destination and the fragment bit, x|C is the port range). Undefined also for a
   * set of more than `maxNodes` nodes (finding C walks every node with a bit per variable).
   */
  static around(bdd: Bdd, x: number, maxNodes = 1 << 14): { cof: CubeCofactor; rest: number } | undefined {
    if (x < 2) return undefined;
    const nodes = bdd.nodes;
    const nv = bdd.numVars;
    const NONE = new Int8Array(nv).fill(-1);
    // per node: the value each variable from the node's own down has in every member (-1: either)
    const memo = new Map<number, Int8Array>();
    let visited = 0;
    const fixed = (n: number): Int8Array | undefined => {
      if (n < 2) return NONE;
      const hit = memo.get(n);
      if (hit !== undefined) return hit;
      if (++visited > maxNodes) return undefined;
      const v = nodes[3 * n]!;
      const lo = nodes[3 * n + 1]!;
      const hi = nodes[3 * n + 2]!;
      let f: Int8Array;
      if (lo === 0 || hi === 0) {
        const below = fixed(lo === 0 ? hi : lo);
        if (below === undefined) return undefined;
        f = below.slice();
        f[v] = lo === 0 ? 1 : 0;
      } else {
        const a = fixed(lo);
        const b = a && fixed(hi);
        if (a === undefined || b === undefined) return undefined;
        f = new Int8Array(nv).fill(-1);
        for (let i = v + 1; i < nv; i++) if (a[i] === b[i]) f[i] = a[i]!;
      }
      memo.set(n, f);
      return f;
    };
    const f = fixed(x);
    if (f === undefined) return undefined;
    let c = 1;
    for (let v = nv - 1; v >= 0; v--) if (f[v] !== -1) c = f[v] === 1 ? bdd.mk(v, 0, c) : bdd.mk(v, c, 0);
    const cof = CubeCofactor.of(bdd, c);
    return cof === undefined ? undefined : { cof, rest: cof.restrict(x) };
  }

  /** m|C: m with the cube's variables set to their values (memoised: the lines share their lower parts). */
  restrict(m: number): number {
    if (m < 2) return m;
    const bdd = this.bdd;
    const v = bdd.nodes[3 * m]!;
    if (v > this.last) return m;
    const hit = this.memo.get(m);
    if (hit !== undefined) return hit;
    const lo = bdd.nodes[3 * m + 1]!;
    const hi = bdd.nodes[3 * m + 2]!;
    const b = this.value[v]!;
    const r = b === 1 ? this.restrict(hi) : b === 0 ? this.restrict(lo) : bdd.mk(v, this.restrict(lo), this.restrict(hi));
    this.memo.set(m, r);
    return r;
  }

  /** C ∩ r (r a set over variables the cube leaves free). */
  lift(r: number): number {
    return r === 0 ? 0 : this.bdd.and(this.cube, r);
  }
}
