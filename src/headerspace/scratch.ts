/**
 * A small manager for many small questions about sets of a large one: the sets are copied in, the
 * question is answered among a few thousand nodes (tables that stay in the processor's caches,
 * where the large manager's tens of millions of nodes are a random walk through memory), and the
 * answer is copied back. Dropped (its arrays taken over: ./bdd.ts `reuse`) when it grows past a
 * cap; copies made before are forgotten then.
 */
import { Bdd } from "./bdd.js";

/** Nodes of the scratch manager before it is dropped at the next `begin`. */
const CAP = 1 << 16;

export class Scratch {
  bdd: Bdd;
  /** Large-manager node → its copy here, until the next drop. */
  private copies = new Map<number, number>();

  constructor(readonly numVars: number) {
    this.bdd = new Bdd(numVars);
  }

  /** Start a question (no node of this manager is held from before it): drop the manager if it is past the cap. */
  begin(): void {
    if (this.bdd.size <= CAP) return;
    this.bdd = new Bdd(this.numVars, undefined, this.bdd);
    this.copies.clear();
  }

  /** The copy here of node n of `big` (same variables). */
  in(big: Bdd, n: number): number {
    if (n < 2) return n;
    const hit = this.copies.get(n);
    if (hit !== undefined) return hit;
    const nodes = big.nodes;
    const v = nodes[3 * n]!;
    const lo = this.in(big, nodes[3 * n + 1]!);
    const r = this.bdd.mk(v, lo, this.in(big, nodes[3 * n + 2]!));
    this.copies.set(n, r);
    return r;
  }

  /** The copy in `big` of node n of this manager. */
  out(big: Bdd, n: number, memo = new Map<number, number>()): number {
    if (n < 2) return n;
    const hit = memo.get(n);
    if (hit !== undefined) return hit;
    const nodes = this.bdd.nodes;
    const v = nodes[3 * n]!;
    const lo = this.out(big, nodes[3 * n + 1]!, memo);
    const r = big.mk(v, lo, this.out(big, nodes[3 * n + 2]!, memo));
    memo.set(n, r);
    return r;
  }
}
