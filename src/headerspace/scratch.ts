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
  /** Node of `from` → its copy here, until the next drop or a question about another manager's sets. */
  private copies = new Map<number, number>();
  /** The id of that manager (a reference would keep it alive). */
  private from = 0;

  constructor(readonly numVars: number) {
    this.bdd = new Bdd(numVars);
  }

  /**
   * Start a question about sets of `big` (no node of this manager is held from before it): the
   * manager is dropped if it is past the cap, and the copies are forgotten if they were of
   * another manager's nodes (node numbers mean nothing across managers).
   */
  begin(big: Bdd): void {
    if (this.bdd.size > CAP) {
      this.bdd = new Bdd(this.numVars, undefined, this.bdd);
      this.copies.clear();
    }
    if (big.id !== this.from) {
      this.copies.clear();
      this.from = big.id;
    }
  }

  /** The copy here of node n of `big` (same variables; the manager of the last `begin`). */
  in(big: Bdd, n: number): number {
    if (big.id !== this.from) throw new Error("Scratch.in: a set of another manager than the question's");
    return this.copy(big, n);
  }

  private copy(big: Bdd, n: number): number {
    if (n < 2) return n;
    const hit = this.copies.get(n);
    if (hit !== undefined) return hit;
    const nodes = big.nodes;
    const v = nodes[3 * n]!;
    const lo = this.copy(big, nodes[3 * n + 1]!);
    const r = this.bdd.mk(v, lo, this.copy(big, nodes[3 * n + 2]!));
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
