/**
 * A compact reduced ordered BDD manager.
 *
 * - Nodes live in one interleaved Int32Array (var, low, high), indexed by an integer handle; no
 *   JS object is allocated per node, so millions of nodes cost no GC pressure.
 * - Terminals: 0 = false, 1 = true. Their `var` is `numVars` (below every variable).
 * - Hash consing through an open-addressing unique table (linear probing, load ≤ 0.7, doubles;
 *   slots keep the hash so lookups and rehashes rarely touch the nodes).
 * - Complement-free; nodes are never freed (an analysis run builds a bounded number of sets and
 *   the whole manager is dropped afterwards; a new manager may take over a dropped one's arrays).
 * - Binary operations are memoised in one lossy, direct-mapped operation cache (as in CUDD):
 *   an entry is (op, a, b, result, tagged with its manager). Nodes are immutable, so an entry of
 *   this manager never goes stale; losing one only costs recomputation.
 *
 * Variable 0 is the top of the order. A node's children always have a larger `var`.
 */
import { watchHeap } from "../core/limits.js";

const OP_AND = 1;
const OP_OR = 2;
const OP_DIFF = 3;
const OP_NOT = 4;
const OP_LEQ = 5;
const OP_DISJ = 6;
const OP_EXISTS = 7;
const OP_STACK = 8;

/** Hard limit on the node count (~3.2 GB of arrays); beyond it we fail loudly instead of thrashing. */
const MAX_NODES = 1 << 28;
/** The node budget (`Bdd.maxNodes`) is used up: the analysis that needed more nodes stops. */
export class BddBudgetError extends RangeError {
  override name = "BddBudgetError";
  constructor(readonly budget: number) {
    super(`BDD node budget of ${budget} nodes used up`);
  }
}
const MAX_CACHE_BITS = 22;
let managers = 0; // `Bdd.id`s given

export class Bdd {
  readonly numVars: number;
  /**
   * Node storage, interleaved so one node is one cache line access: node n is
   * `nodes[3n]` (var), `nodes[3n+1]` (low child), `nodes[3n+2]` (high child). Public for fast
   * read-only walks; reallocated when the manager grows, so re-read it after building nodes.
   */
  nodes: Int32Array;
  private next = 2;
  /**
   * Unique table: slots of (node, hash), indexed by the top bits of the hash with linear probing.
   * Top-bit indexing keeps slot order when the table doubles, so a rehash is a near-sequential
   * pass that never touches the node array.
   */
  private table: Int32Array;
  private tableBits: number;
  /** Grow the table past this many nodes (load factor 0.7). */
  private growAt: number;
  private cache: Int32Array;
  private cacheMask: number;
  private cacheBits: number;
  /** Stored in the top bits of each cache entry's result (node ids are below 2^28): entries of another tag are not this manager's. */
  private tag = 0;

  /** Node budget: creating a node past it throws `BddBudgetError` (at most the hard limit). */
  maxNodes = MAX_NODES;
  readonly id = ++managers; // which manager (node numbers mean something within one only)

  /**
   * `reuse`: a dropped manager of as many variables (none of its nodes used again): its arrays are
   * taken over, emptied, so a manager started again does not allocate and grow its tables anew.
   */
  constructor(numVars: number, initialNodes = 1 << 12, reuse?: Bdd) {
    if (numVars < 1 || numVars > 65535) throw new RangeError(`numVars ${numVars} out of range`);
    this.numVars = numVars;
    if (reuse !== undefined && reuse.numVars === numVars) {
      this.nodes = reuse.nodes; // the terminals (nodes 0 and 1) stay as they are
      this.table = reuse.emptiedTable();
      this.tableBits = reuse.tableBits;
      this.growAt = reuse.growAt;
      this.cacheBits = reuse.cacheBits;
      this.cacheMask = reuse.cacheMask;
      this.tag = (reuse.tag + 1) & 7; // earlier managers' cache entries have other tags; emptied every 8
      this.cache = this.tag === 0 ? reuse.cache.fill(0) : reuse.cache;
      reuse.nodes = reuse.table = reuse.cache = new Int32Array(0);
      return;
    }
    let cap = 1024;
    while (cap < initialNodes) cap *= 2;
    this.nodes = new Int32Array(cap * 3);
    this.nodes[0] = numVars;
    this.nodes[3] = numVars;
    this.nodes[4] = 1;
    this.nodes[5] = 1;
    this.tableBits = Math.log2(cap) + 1;
    this.table = new Int32Array(2 << this.tableBits);
    this.growAt = Math.floor((1 << this.tableBits) * 0.7);
    this.cacheBits = 12;
    this.cache = new Int32Array(4 << this.cacheBits);
    this.cacheMask = (1 << this.cacheBits) - 1;
  }

  /** Number of nodes allocated so far (terminals included). */
  get size(): number {
    return this.next;
  }

  varOf(n: number): number {
    return this.nodes[3 * n]!;
  }
  lowOf(n: number): number {
    return this.nodes[3 * n + 1]!;
  }
  highOf(n: number): number {
    return this.nodes[3 * n + 2]!;
  }

  // ---------------------------------------------------------------- nodes

  /** The unique node (v, lo, hi); `lo`/`hi` must have a larger var than `v`. */
  mk(v: number, lo: number, hi: number): number {
    if (lo === hi) return lo;
    const h = hash3(v, lo, hi);
    const table = this.table;
    const slotMask = (1 << this.tableBits) - 1;
    let i = h >>> (32 - this.tableBits);
    const nodes = this.nodes;
    for (;;) {
      const e = table[2 * i]!;
      if (e === 0) break;
      if (table[2 * i + 1] === h && nodes[3 * e] === v && nodes[3 * e + 1] === lo && nodes[3 * e + 2] === hi) return e;
      i = (i + 1) & slotMask;
    }
    if (this.next * 3 >= this.nodes.length || this.next >= this.maxNodes) this.growNodes();
    const n = this.next++;
    if ((n & 0xffff) === 0xffff) watchHeap("while building packet sets");
    const ns = this.nodes;
    ns[3 * n] = v;
    ns[3 * n + 1] = lo;
    ns[3 * n + 2] = hi;
    table[2 * i] = n;
    table[2 * i + 1] = h;
    if (this.next > this.growAt) this.growTable();
    return n;
  }

  private growNodes(): void {
    if (this.next >= Math.min(this.maxNodes, MAX_NODES)) throw new BddBudgetError(Math.min(this.maxNodes, MAX_NODES));
    const cap = (this.nodes.length / 3) * 2;
    if (cap > MAX_NODES) throw new RangeError(`BDD node limit (${MAX_NODES}) exceeded`);
    const b = new Int32Array(cap * 3);
    b.set(this.nodes);
    this.nodes = b;
  }

  private growTable(): void {
    const old = this.table;
    const oldSlots = 1 << this.tableBits;
    const bits = this.tableBits + 1;
    const table = new Int32Array(2 << bits);
    const mask = (1 << bits) - 1;
    const shift = 32 - bits;
    for (let j = 0; j < oldSlots; j++) {
      const e = old[2 * j]!;
      if (e === 0) continue;
      const h = old[2 * j + 1]!;
      let i = h >>> shift;
      while (table[2 * i] !== 0) i = (i + 1) & mask;
      table[2 * i] = e;
      table[2 * i + 1] = h;
    }
    this.table = table;
    this.tableBits = bits;
    this.growAt = Math.floor((1 << bits) * 0.7);
    // Keep the operation cache roughly as large as the node table (bounded).
    if (this.cacheBits < MAX_CACHE_BITS && 1 << this.cacheBits < this.next) {
      while (this.cacheBits < MAX_CACHE_BITS && 1 << this.cacheBits < this.next) this.cacheBits++;
      this.cache = new Int32Array(4 << this.cacheBits);
      this.cacheMask = (1 << this.cacheBits) - 1;
    }
  }

  /** The literal `var v = value`. */
  literal(v: number, value: boolean): number {
    return value ? this.mk(v, 0, 1) : this.mk(v, 1, 0);
  }

  /** Conjunction of positive literals over `vs` (a "cube"), used as the variable set for exists. */
  cube(vs: readonly number[]): number {
    const sorted = [...vs].sort((a, b) => b - a);
    let r = 1;
    for (const v of sorted) r = this.mk(v, 0, r);
    return r;
  }

  // ---------------------------------------------------------------- cache

  private lookup(op: number, a: number, b: number): number {
    const i = (hash3(op, a, b) & this.cacheMask) << 2;
    const c = this.cache;
    const r = c[i + 3]!;
    if (c[i] === op && c[i + 1] === a && c[i + 2] === b && r >>> 28 === this.tag) return r & 0x0fffffff;
    return -1;
  }

  private store(op: number, a: number, b: number, r: number): void {
    const i = (hash3(op, a, b) & this.cacheMask) << 2;
    const c = this.cache;
    c[i] = op;
    c[i + 1] = a;
    c[i + 2] = b;
    c[i + 3] = r | (this.tag << 28);
  }

  /** The unique table with this manager's nodes taken out (for a manager that takes over the arrays). */
  private emptiedTable(): Int32Array {
    const [table, slots] = [this.table, 1 << this.tableBits];
    if (this.next * 8 > slots) return table.fill(0); // else find each node's slot from its hash
    const [nodes, mask] = [this.nodes, slots - 1];
    for (let n = 2; n < this.next; n++) {
      let i = hash3(nodes[3 * n]!, nodes[3 * n + 1]!, nodes[3 * n + 2]!) >>> (32 - this.tableBits);
      while (table[2 * i] !== n) i = (i + 1) & mask;
      table[2 * i] = table[2 * i + 1] = 0;
    }
    return table;
  }

  // ---------------------------------------------------------------- boolean operations

  and(a: number, b: number): number {
    if (a === 0 || b === 0) return 0;
    if (a === 1) return b;
    if (b === 1 || a === b) return a;
    if (a > b) {
      const t = a;
      a = b;
      b = t;
    }
    const hit = this.lookup(OP_AND, a, b);
    if (hit >= 0) return hit;
    const va = this.nodes[3 * a]!;
    const vb = this.nodes[3 * b]!;
    let r: number;
    if (va === vb) r = this.mk(va, this.and(this.nodes[3 * a + 1]!, this.nodes[3 * b + 1]!), this.and(this.nodes[3 * a + 2]!, this.nodes[3 * b + 2]!));
    else if (va < vb) r = this.mk(va, this.and(this.nodes[3 * a + 1]!, b), this.and(this.nodes[3 * a + 2]!, b));
    else r = this.mk(vb, this.and(a, this.nodes[3 * b + 1]!), this.and(a, this.nodes[3 * b + 2]!));
    this.store(OP_AND, a, b, r);
    return r;
  }

  or(a: number, b: number): number {
    if (a === 1 || b === 1) return 1;
    if (a === 0) return b;
    if (b === 0 || a === b) return a;
    if (a > b) {
      const t = a;
      a = b;
      b = t;
    }
    const hit = this.lookup(OP_OR, a, b);
    if (hit >= 0) return hit;
    const va = this.nodes[3 * a]!;
    const vb = this.nodes[3 * b]!;
    let r: number;
    if (va === vb) r = this.mk(va, this.or(this.nodes[3 * a + 1]!, this.nodes[3 * b + 1]!), this.or(this.nodes[3 * a + 2]!, this.nodes[3 * b + 2]!));
    else if (va < vb) r = this.mk(va, this.or(this.nodes[3 * a + 1]!, b), this.or(this.nodes[3 * a + 2]!, b));
    else r = this.mk(vb, this.or(a, this.nodes[3 * b + 1]!), this.or(a, this.nodes[3 * b + 2]!));
    this.store(OP_OR, a, b, r);
    return r;
  }

  /** a ∧ ¬b */
  diff(a: number, b: number): number {
    if (a === 0 || b === 1 || a === b) return 0;
    if (b === 0) return a;
    if (a === 1) return this.not(b);
    const hit = this.lookup(OP_DIFF, a, b);
    if (hit >= 0) return hit;
    const va = this.nodes[3 * a]!;
    const vb = this.nodes[3 * b]!;
    let r: number;
    if (va === vb) r = this.mk(va, this.diff(this.nodes[3 * a + 1]!, this.nodes[3 * b + 1]!), this.diff(this.nodes[3 * a + 2]!, this.nodes[3 * b + 2]!));
    else if (va < vb) r = this.mk(va, this.diff(this.nodes[3 * a + 1]!, b), this.diff(this.nodes[3 * a + 2]!, b));
    else r = this.mk(vb, this.diff(a, this.nodes[3 * b + 1]!), this.diff(a, this.nodes[3 * b + 2]!));
    this.store(OP_DIFF, a, b, r);
    return r;
  }

  not(a: number): number {
    if (a < 2) return 1 - a;
    const hit = this.lookup(OP_NOT, a, 0);
    if (hit >= 0) return hit;
    const r = this.mk(this.nodes[3 * a]!, this.not(this.nodes[3 * a + 1]!), this.not(this.nodes[3 * a + 2]!));
    this.store(OP_NOT, a, 0, r);
    return r;
  }

  /** a ⊆ b (a → b is a tautology), without building nodes. */
  leq(a: number, b: number): boolean {
    if (a === 0 || b === 1 || a === b) return true;
    if (a === 1 || b === 0) return false;
    const hit = this.lookup(OP_LEQ, a, b);
    if (hit >= 0) return hit === 1;
    const va = this.nodes[3 * a]!;
    const vb = this.nodes[3 * b]!;
    let r: boolean;
    if (va === vb) r = this.leq(this.nodes[3 * a + 1]!, this.nodes[3 * b + 1]!) && this.leq(this.nodes[3 * a + 2]!, this.nodes[3 * b + 2]!);
    else if (va < vb) r = this.leq(this.nodes[3 * a + 1]!, b) && this.leq(this.nodes[3 * a + 2]!, b);
    else r = this.leq(a, this.nodes[3 * b + 1]!) && this.leq(a, this.nodes[3 * b + 2]!);
    this.store(OP_LEQ, a, b, r ? 1 : 0);
    return r;
  }

  /**
   * (a ∖ w) ⊆ d. Above w's top variable only a and d are walked (nothing is built); from there
   * on `diff(a', w)` is materialised — those sub-results are shared between calls through the
   * operation cache when many `a` differ only above w (ACL lines that differ only by
   * destination, with w the union of the lines that do not test it).
   */
  diffLeq(a: number, w: number, d: number): boolean {
    if (a === 0 || d === 1 || a === d) return true;
    if (w === 0) return this.leq(a, d);
    if (w === 1) return true;
    const vw = this.nodes[3 * w]!;
    const va = this.nodes[3 * a]!;
    const vd = this.nodes[3 * d]!;
    // Nothing of a above w: materialise (cheap, and a ⊆ w is then found at once).
    if (va >= vw) return this.leq(this.diff(a, w), d);
    const op = -2 - w; // ops are keyed by w; ordinary ops are small positive numbers
    const hit = this.lookup(op, a, d);
    if (hit >= 0) return hit === 1;
    let r: boolean;
    if (va === vd) r = this.diffLeq(this.nodes[3 * a + 1]!, w, this.nodes[3 * d + 1]!) && this.diffLeq(this.nodes[3 * a + 2]!, w, this.nodes[3 * d + 2]!);
    else if (va < vd) r = this.diffLeq(this.nodes[3 * a + 1]!, w, d) && this.diffLeq(this.nodes[3 * a + 2]!, w, d);
    else r = this.diffLeq(a, w, this.nodes[3 * d + 1]!) && this.diffLeq(a, w, this.nodes[3 * d + 2]!);
    this.store(op, a, d, r ? 1 : 0);
    return r;
  }

  /** a ∧ b = ∅, without building nodes. */
  disjoint(a: number, b: number): boolean {
    if (a === 0 || b === 0) return true;
    if (a === 1 || b === 1 || a === b) return false;
    if (a > b) {
      const t = a;
      a = b;
      b = t;
    }
    const hit = this.lookup(OP_DISJ, a, b);
    if (hit >= 0) return hit === 1;
    const va = this.nodes[3 * a]!;
    const vb = this.nodes[3 * b]!;
    let r: boolean;
    if (va === vb) r = this.disjoint(this.nodes[3 * a + 1]!, this.nodes[3 * b + 1]!) && this.disjoint(this.nodes[3 * a + 2]!, this.nodes[3 * b + 2]!);
    else if (va < vb) r = this.disjoint(this.nodes[3 * a + 1]!, b) && this.disjoint(this.nodes[3 * a + 2]!, b);
    else r = this.disjoint(a, this.nodes[3 * b + 1]!) && this.disjoint(a, this.nodes[3 * b + 2]!);
    this.store(OP_DISJ, a, b, r ? 1 : 0);
    return r;
  }

  /** ∃ vars(cube). a — `cube` is a conjunction of positive literals (see `cube`). */
  exists(a: number, cube: number): number {
    if (a < 2 || cube === 1) return a;
    const va = this.nodes[3 * a]!;
    while (cube !== 1 && this.nodes[3 * cube]! < va) cube = this.nodes[3 * cube + 2]!;
    if (cube === 1) return a;
    const hit = this.lookup(OP_EXISTS, a, cube);
    if (hit >= 0) return hit;
    let r: number;
    if (this.nodes[3 * cube] === va) {
      const rest = this.nodes[3 * cube + 2]!;
      r = this.or(this.exists(this.nodes[3 * a + 1]!, rest), this.exists(this.nodes[3 * a + 2]!, rest));
    } else {
      r = this.mk(va, this.exists(this.nodes[3 * a + 1]!, cube), this.exists(this.nodes[3 * a + 2]!, cube));
    }
    this.store(OP_EXISTS, a, cube, r);
    return r;
  }

  /**
   * `upper` with its 1-terminal replaced by `lower`: the conjunction upper ∧ lower when every
   * variable of `upper` is above every variable of `lower` (the caller guarantees it).
   */
  stack(upper: number, lower: number): number {
    if (upper < 2 || lower === 1) return upper === 1 ? lower : upper;
    if (lower === 0) return 0;
    const hit = this.lookup(OP_STACK, upper, lower);
    if (hit >= 0) return hit;
    const r = this.mk(this.nodes[3 * upper]!, this.stack(this.nodes[3 * upper + 1]!, lower), this.stack(this.nodes[3 * upper + 2]!, lower));
    this.store(OP_STACK, upper, lower, r);
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
