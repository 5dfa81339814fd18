/**
 * A compact reduced ordered BDD manager.
 *
 * - Nodes live in typed arrays (`vars`, `lows`, `highs`), indexed by an integer handle; no JS
 *   object is allocated per node, so millions of nodes cost no GC pressure.
 * - Terminals: 0 = false, 1 = true. Their `var` is `numVars` (below every variable).
 * - Hash consing through an open-addressing unique table (linear probing, load ≤ 1/2, doubles).
 * - Complement-free; nodes are never freed (an analysis run builds a bounded number of sets and
 *   the whole manager is dropped afterwards).
 * - Binary operations are memoised in one lossy, direct-mapped operation cache (as in CUDD):
 *   an entry is (op, a, b, result). Since nodes are immutable and never recycled, an entry never
 *   goes stale; losing one only costs recomputation.
 *
 * Variable 0 is the top of the order. A node's children always have a larger `var`.
 */

const OP_AND = 1;
const OP_OR = 2;
const OP_DIFF = 3;
const OP_NOT = 4;
const OP_LEQ = 5;
const OP_DISJ = 6;
const OP_EXISTS = 7;

/** Hard limit on the node count (~3.2 GB of arrays); beyond it we fail loudly instead of thrashing. */
const MAX_NODES = 1 << 28;
const MAX_CACHE_BITS = 22;

export class Bdd {
  readonly numVars: number;
  /** Node arrays. Public for fast read-only walks; they are reallocated when the manager grows. */
  vars: Int32Array;
  lows: Int32Array;
  highs: Int32Array;
  private next = 2;
  private table: Int32Array;
  private tableMask: number;
  private cache: Int32Array;
  private cacheMask: number;
  private cacheBits: number;

  constructor(numVars: number, initialNodes = 1 << 18) {
    if (numVars < 1 || numVars > 65535) throw new RangeError(`numVars ${numVars} out of range`);
    this.numVars = numVars;
    let cap = 1024;
    while (cap < initialNodes) cap *= 2;
    this.vars = new Int32Array(cap);
    this.lows = new Int32Array(cap);
    this.highs = new Int32Array(cap);
    this.vars[0] = numVars;
    this.vars[1] = numVars;
    this.table = new Int32Array(cap * 2);
    this.tableMask = cap * 2 - 1;
    this.cacheBits = 16;
    this.cache = new Int32Array(4 << this.cacheBits);
    this.cacheMask = (1 << this.cacheBits) - 1;
  }

  /** Number of nodes allocated so far (terminals included). */
  get size(): number {
    return this.next;
  }

  // ---------------------------------------------------------------- nodes

  /** The unique node (v, lo, hi); `lo`/`hi` must have a larger var than `v`. */
  mk(v: number, lo: number, hi: number): number {
    if (lo === hi) return lo;
    const table = this.table;
    const mask = this.tableMask;
    let h = hash3(v, lo, hi) & mask;
    for (;;) {
      const e = table[h]!;
      if (e === 0) break;
      if (this.vars[e] === v && this.lows[e] === lo && this.highs[e] === hi) return e;
      h = (h + 1) & mask;
    }
    if (this.next >= this.vars.length) this.growNodes();
    const n = this.next++;
    this.vars[n] = v;
    this.lows[n] = lo;
    this.highs[n] = hi;
    table[h] = n;
    if (this.next * 2 > table.length) this.growTable();
    return n;
  }

  private growNodes(): void {
    const cap = this.vars.length * 2;
    if (cap > MAX_NODES) throw new RangeError(`BDD node limit (${MAX_NODES}) exceeded`);
    const grow = (a: Int32Array): Int32Array => {
      const b = new Int32Array(cap);
      b.set(a);
      return b;
    };
    this.vars = grow(this.vars);
    this.lows = grow(this.lows);
    this.highs = grow(this.highs);
  }

  private growTable(): void {
    const size = this.table.length * 2;
    const table = new Int32Array(size);
    const mask = size - 1;
    for (let n = 2; n < this.next; n++) {
      let h = hash3(this.vars[n]!, this.lows[n]!, this.highs[n]!) & mask;
      while (table[h] !== 0) h = (h + 1) & mask;
      table[h] = n;
    }
    this.table = table;
    this.tableMask = mask;
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
    if (c[i] === op && c[i + 1] === a && c[i + 2] === b) return c[i + 3]!;
    return -1;
  }

  private store(op: number, a: number, b: number, r: number): void {
    const i = (hash3(op, a, b) & this.cacheMask) << 2;
    const c = this.cache;
    c[i] = op;
    c[i + 1] = a;
    c[i + 2] = b;
    c[i + 3] = r;
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
    const va = this.vars[a]!;
    const vb = this.vars[b]!;
    let r: number;
    if (va === vb) r = this.mk(va, this.and(this.lows[a]!, this.lows[b]!), this.and(this.highs[a]!, this.highs[b]!));
    else if (va < vb) r = this.mk(va, this.and(this.lows[a]!, b), this.and(this.highs[a]!, b));
    else r = this.mk(vb, this.and(a, this.lows[b]!), this.and(a, this.highs[b]!));
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
    const va = this.vars[a]!;
    const vb = this.vars[b]!;
    let r: number;
    if (va === vb) r = this.mk(va, this.or(this.lows[a]!, this.lows[b]!), this.or(this.highs[a]!, this.highs[b]!));
    else if (va < vb) r = this.mk(va, this.or(this.lows[a]!, b), this.or(this.highs[a]!, b));
    else r = this.mk(vb, this.or(a, this.lows[b]!), this.or(a, this.highs[b]!));
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
    const va = this.vars[a]!;
    const vb = this.vars[b]!;
    let r: number;
    if (va === vb) r = this.mk(va, this.diff(this.lows[a]!, this.lows[b]!), this.diff(this.highs[a]!, this.highs[b]!));
    else if (va < vb) r = this.mk(va, this.diff(this.lows[a]!, b), this.diff(this.highs[a]!, b));
    else r = this.mk(vb, this.diff(a, this.lows[b]!), this.diff(a, this.highs[b]!));
    this.store(OP_DIFF, a, b, r);
    return r;
  }

  not(a: number): number {
    if (a < 2) return 1 - a;
    const hit = this.lookup(OP_NOT, a, 0);
    if (hit >= 0) return hit;
    const r = this.mk(this.vars[a]!, this.not(this.lows[a]!), this.not(this.highs[a]!));
    this.store(OP_NOT, a, 0, r);
    return r;
  }

  /** if f then g else h */
  ite(f: number, g: number, h: number): number {
    return this.or(this.and(f, g), this.diff(h, f));
  }

  /** a ⊆ b (a → b is a tautology), without building nodes. */
  leq(a: number, b: number): boolean {
    if (a === 0 || b === 1 || a === b) return true;
    if (a === 1 || b === 0) return false;
    const hit = this.lookup(OP_LEQ, a, b);
    if (hit >= 0) return hit === 1;
    const va = this.vars[a]!;
    const vb = this.vars[b]!;
    let r: boolean;
    if (va === vb) r = this.leq(this.lows[a]!, this.lows[b]!) && this.leq(this.highs[a]!, this.highs[b]!);
    else if (va < vb) r = this.leq(this.lows[a]!, b) && this.leq(this.highs[a]!, b);
    else r = this.leq(a, this.lows[b]!) && this.leq(a, this.highs[b]!);
    this.store(OP_LEQ, a, b, r ? 1 : 0);
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
    const va = this.vars[a]!;
    const vb = this.vars[b]!;
    let r: boolean;
    if (va === vb) r = this.disjoint(this.lows[a]!, this.lows[b]!) && this.disjoint(this.highs[a]!, this.highs[b]!);
    else if (va < vb) r = this.disjoint(this.lows[a]!, b) && this.disjoint(this.highs[a]!, b);
    else r = this.disjoint(a, this.lows[b]!) && this.disjoint(a, this.highs[b]!);
    this.store(OP_DISJ, a, b, r ? 1 : 0);
    return r;
  }

  /** ∃ vars(cube). a — `cube` is a conjunction of positive literals (see `cube`). */
  exists(a: number, cube: number): number {
    if (a < 2 || cube === 1) return a;
    const va = this.vars[a]!;
    while (cube !== 1 && this.vars[cube]! < va) cube = this.highs[cube]!;
    if (cube === 1) return a;
    const hit = this.lookup(OP_EXISTS, a, cube);
    if (hit >= 0) return hit;
    let r: number;
    if (this.vars[cube] === va) {
      const rest = this.highs[cube]!;
      r = this.or(this.exists(this.lows[a]!, rest), this.exists(this.highs[a]!, rest));
    } else {
      r = this.mk(va, this.exists(this.lows[a]!, cube), this.exists(this.highs[a]!, cube));
    }
    this.store(OP_EXISTS, a, cube, r);
    return r;
  }

  // ---------------------------------------------------------------- queries

  /** Value of `a` under a total assignment given as a bit getter. */
  evaluate(a: number, bit: (v: number) => number): boolean {
    let n = a;
    while (n > 1) n = bit(this.vars[n]!) ? this.highs[n]! : this.lows[n]!;
    return n === 1;
  }

  /**
   * One satisfying assignment, or undefined for the empty set. Walks from the root choosing, at each
   * node, the branch `prefer(var)` when it is satisfiable (every non-0 node of a reduced BDD is).
   * Variables the path skips are free and get `prefer(var)` too. Returns one 0/1 per variable.
   */
  satOne(a: number, prefer: (v: number) => number = () => 0): Uint8Array | undefined {
    if (a === 0) return undefined;
    const out = new Uint8Array(this.numVars);
    for (let v = 0; v < this.numVars; v++) out[v] = prefer(v) ? 1 : 0;
    let n = a;
    while (n > 1) {
      const v = this.vars[n]!;
      const want = out[v]!;
      const first = want ? this.highs[n]! : this.lows[n]!;
      if (first !== 0) n = first;
      else {
        out[v] = 1 - want;
        n = want ? this.lows[n]! : this.highs[n]!;
      }
    }
    return out;
  }

  /** Number of satisfying assignments over all `numVars` variables. */
  satCount(a: number): bigint {
    if (a === 0) return 0n;
    const memo = new Map<number, bigint>();
    const vars = this.vars;
    const lows = this.lows;
    const highs = this.highs;
    const n = this.numVars;
    // count(x) = assignments of the variables var(x)..numVars-1 that satisfy x
    const count = (x: number): bigint => {
      if (x < 2) return BigInt(x);
      const m = memo.get(x);
      if (m !== undefined) return m;
      const v = vars[x]!;
      const lo = lows[x]!;
      const hi = highs[x]!;
      const cl = count(lo) << BigInt(vars[lo]! - v - 1);
      const ch = count(hi) << BigInt(vars[hi]! - v - 1);
      const r = cl + ch;
      memo.set(x, r);
      return r;
    };
    const top = a < 2 ? n : vars[a]!;
    return count(a) << BigInt(top);
  }

  /** Number of nodes reachable from the roots (the size of the shared graph). */
  nodeCount(roots: readonly number[]): number {
    const seen = new Set<number>();
    const stack = [...roots];
    while (stack.length > 0) {
      const x = stack.pop()!;
      if (x < 2 || seen.has(x)) continue;
      seen.add(x);
      stack.push(this.lows[x]!, this.highs[x]!);
    }
    return seen.size;
  }
}

function hash3(a: number, b: number, c: number): number {
  let h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b, 0x85ebca77) ^ Math.imul(c, 0xc2b2ae3d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 13;
  return h;
}
