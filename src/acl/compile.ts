/**
 * First-match compilation of an ACL into exact packet sets, and a fast exact evaluator.
 *
 * Semantics are those of `evaluateAcl` (./evaluate.ts): lines are tried in order,
 * the first matching line decides, `inactive` lines never match, and a packet no line matches is
 * denied by the implicit `deny ip any any`.
 *
 * - `lines[i].match` is the set line i matches on its own; `lines[i].reach` the packets line i
 *   actually decides (match minus everything matched by earlier active lines). The reach sets are
 *   pairwise disjoint and, with `implicit`, partition the header space.
 * - `evaluate(p)` walks a multi-terminal decision diagram (leaves = line indices) built on first
 *   use: one root-to-leaf walk of ≤ 135 steps, whatever the ACL length.
 *
 * Cost model. A BDD over a fixed variable order is small for lines that agree on which fields are
 * wildcarded, but mixing "specific destination" lines with "any destination, specific source"
 * lines (a block list, `permit ip <site> any`) makes the union of all earlier lines grow by a copy
 * of the whole destination structure for each such line. So the union of earlier lines is kept as
 * two layers — lines that test the top field of the variable order (destination) and lines that
 * do not — each compact on its own, with their prefix versions stored per line (persistent BDDs:
 * free). Emptiness of a line's reach, and whether an earlier line decides some of a given set,
 * are then answered with `(a ∖ wide) ⊆ specific` tests (`Bdd.diffLeq`): the destination levels
 * are walked without building anything, the difference with the small layer is shared between
 * lines through the operation cache, and the inclusion test stops at the first counterexample.
 * `reach`, `permit`, `deny` and `implicit` are materialised lazily, on first access, since a
 * reach set can be inherently large (see above); prefer `unreachable`, `decidesSome` and
 * `reachIn` on large ACLs.
 */
import { VALUE_SLOTS, type HeaderSpace, type PSet } from "../headerspace/index.js";
import { IMPLICIT_DENY, implicitVerdict, type Verdict } from "./evaluate.js";
import type { AclSets } from "./sets.js";
import { Mtbdd, leafHandle } from "../headerspace/mtbdd.js";
import { CubeCofactor } from "../headerspace/cube-split.js";
import type { Ace, AceMatch, Acl, AddrSet, AddrSet6, Packet } from "../model/types.js";

export interface CompiledLine {
  readonly ace: Ace;
  /** Index in `acl.entries`. */
  readonly index: number;
  /** What the line matches on its own (none for an inactive line). */
  readonly match: PSet;
  /** What the line decides: match minus all earlier active lines (computed on first access). */
  readonly reach: PSet;
}

export type { Verdict } from "./evaluate.js";

export interface CompiledAcl {
  readonly acl: Acl;
  readonly permit: PSet;
  /** Includes the implicit deny: `permit ∪ deny = all`, disjoint. */
  readonly deny: PSet;
  /** Packets no active line matches (decided by the implicit lines, then the implicit deny). */
  readonly implicit: PSet;
  /** What the platform's implicit lines permit (`Acl.implicitPermits`), whether or not a written line decides it first. */
  readonly implicitPermit: PSet;
  readonly lines: readonly CompiledLine[];
  evaluate(p: Packet): Verdict;
  /** reach of line `index` is empty — answered without materialising it. */
  unreachable(index: number): boolean;
  /** Does line `index` decide at least one packet of `set`? (reach ∩ set ≠ ∅, cheaply.) */
  decidesSome(index: number, set: PSet): boolean;
  /** reach of line `index` ∩ `set`, computed from the (usually small) `match ∩ set`. */
  reachIn(index: number, set: PSet): PSet;
  /**
   * permit ∩ `set`, built from `reachIn` of the permit lines, without materialising `permit`:
   * cheap when `set` is a small subspace (e.g. udp to port 500) that most lines miss.
   */
  permitIn(set: PSet): PSet;
  /** Union of the matches of the active lines before `index` (materialised on demand). */
  coveredBefore(index: number): PSet;
  /** set ⊆ union of the matches of the active lines before `end` (cheap inclusion test). */
  coveredBy(set: PSet, end: number): boolean;
  /**
   * The last line deciding some packet of `set` among the lines before `end` (default: all): the
   * smallest k with set ⊆ lines[0..k] matches, found by binary search over the prefix unions;
   * -1 when those lines do not cover `set`.
   */
  lastDecider(set: PSet, end?: number): number;
}

class Line implements CompiledLine {
  constructor(
    private readonly owner: Compiled,
    readonly ace: Ace,
    readonly index: number,
    readonly match: PSet,
  ) {}
  get reach(): PSet {
    return this.owner.reachOf(this.index);
  }
}

class Compiled implements CompiledAcl {
  readonly lines: Line[];
  /** Prefix unions before each line: lines not testing the top field / lines testing it. */
  private readonly wideBefore: Int32Array;
  private readonly specBefore: Int32Array;
  private readonly reachMemo: Int32Array;
  /** -1 unknown, 0 reachable, 1 unreachable */
  private readonly emptyMemo: Int8Array;
  private permitMemo = -1;
  private implicitMemo = -1;
  private evaluator: ((p: Packet) => Verdict) | undefined;
  /** The implicit lines (IOS IPv6 neighbor discovery permits) and their sets. */
  private readonly implicitLines: ReadonlyArray<{ text: string; set: PSet }>;
  readonly implicitPermit: PSet;

  private readonly hs: HeaderSpace;

  constructor(
    sets: AclSets,
    readonly acl: Acl,
  ) {
    const hs = sets.hs;
    this.hs = hs;
    const bdd = hs.bdd;
    const n = acl.entries.length;
    this.wideBefore = new Int32Array(n + 1);
    this.specBefore = new Int32Array(n + 1);
    this.reachMemo = new Int32Array(n).fill(-1);
    this.emptyMemo = new Int8Array(n).fill(-1);
    this.lines = [];
    let wide = 0;
    let spec = 0;
    for (let i = 0; i < n; i++) {
      const ace = acl.entries[i]!;
      this.wideBefore[i] = wide;
      this.specBefore[i] = spec;
      const match = ace.inactive ? 0 : sets.match(ace.match, ace.action, acl.vendor);
      this.lines.push(new Line(this, ace, i, match));
      if (match === 0 || wide === 1) continue;
      if (!hs.testsTop(match)) wide = bdd.or(wide, match);
      else spec = bdd.or(spec, match);
    }
    this.wideBefore[n] = wide;
    this.specBefore[n] = spec;
    this.implicitLines = (acl.implicitPermits ?? []).map((l) => ({ text: l.text, set: sets.match(l.match, "permit", acl.vendor) }));
    this.implicitPermit = hs.union(this.implicitLines.map((l) => l.set));
  }

  reachOf(i: number): PSet {
    let r = this.reachMemo[i]!;
    if (r < 0) {
      const bdd = this.hs.bdd;
      const m = this.lines[i]!.match;
      r = m === 0 ? 0 : bdd.diff(bdd.diff(m, this.wideBefore[i]!), this.specBefore[i]!);
      this.reachMemo[i] = r;
    }
    return r;
  }

  unreachable(i: number): boolean {
    const known = this.emptyMemo[i]!;
    if (known >= 0) return known === 1;
    const r = this.reachMemo[i]!;
    const m = this.lines[i]!.match;
    let unreachable: boolean;
    if (r >= 0) unreachable = r === 0;
    else if (m === 0) unreachable = true;
    else unreachable = this.coveredBy(m, i);
    if (unreachable) this.reachMemo[i] = 0;
    this.emptyMemo[i] = unreachable ? 1 : 0;
    return unreachable;
  }

  decidesSome(i: number, set: PSet): boolean {
    const bdd = this.hs.bdd;
    const r = this.reachMemo[i]!;
    if (r >= 0) return !bdd.disjoint(r, set);
    const part = bdd.and(this.lines[i]!.match, set);
    if (part === 0) return false;
    return !bdd.diffLeq(part, this.wideBefore[i]!, this.specBefore[i]!);
  }

  reachIn(i: number, set: PSet): PSet {
    const bdd = this.hs.bdd;
    const r = this.reachMemo[i]!;
    if (r >= 0) return bdd.and(r, set);
    const part = bdd.and(this.lines[i]!.match, set);
    if (part === 0) return 0;
    return bdd.diff(bdd.diff(part, this.wideBefore[i]!), this.specBefore[i]!);
  }

  permitIn(set: PSet): PSet {
    if (this.permitMemo >= 0) return this.hs.bdd.and(this.permitMemo, set);
    return permitWithin(this.hs, this.lines, this.implicitPermit, set);
  }

  coveredBy(set: PSet, end: number): boolean {
    return this.hs.bdd.diffLeq(set, this.wideBefore[end]!, this.specBefore[end]!);
  }

  lastDecider(set: PSet, end = this.lines.length): number {
    const n = Math.min(end, this.lines.length);
    if (set === 0) return n === 0 ? -1 : 0;
    if (!this.coveredBy(set, n)) return -1;
    // smallest e in [1, n] with set ⊆ covered(e); the decider is e - 1
    let lo = 1;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.coveredBy(set, mid)) hi = mid;
      else lo = mid + 1;
    }
    return lo - 1;
  }

  coveredBefore(i: number): PSet {
    return this.hs.bdd.or(this.wideBefore[i]!, this.specBefore[i]!);
  }

  get permit(): PSet {
    if (this.permitMemo < 0) this.permitMemo = permitWithin(this.hs, this.lines, this.implicitPermit, 1);
    return this.permitMemo;
  }

  get deny(): PSet {
    return this.hs.bdd.not(this.permit);
  }

  get implicit(): PSet {
    if (this.implicitMemo < 0) this.implicitMemo = this.hs.bdd.not(this.coveredBefore(this.lines.length));
    return this.implicitMemo;
  }

  evaluate(p: Packet): Verdict {
    this.evaluator ??= buildEvaluator(this.hs, this.lines, this.implicitLines);
    return this.evaluator(p);
  }
}

/**
 * permit ∩ `set` of the ACL whose lines (in order, `match` 0 for an inactive line) are `lines`,
 * in one forward pass. A packet is permitted when some permit line matches it and no deny line
 * before that one does (an earlier permit line would permit it too), so permit = ∪ over the runs
 * of consecutive permit lines of (their matches − the matches of every deny line before the
 * run), ∪ what the implicit lines permit of the packets no line matches; all within `set`. The
 * unions are kept in two layers, as the prefix unions are (lines testing the top field or not),
 * so that lines wide on the top field do not copy its structure into every union.
 */
export function permitWithin(hs: HeaderSpace, lines: ReadonlyArray<{ readonly match: PSet; readonly ace: Ace }>, implicitPermit: PSet, set: PSet): PSet {
  const bdd = hs.bdd;
  // [not testing the top field, testing it]: the deny lines so far, the current run of permit lines, what is permitted
  const deny = [0, 0];
  const run = [0, 0];
  const out = [0, 0];
  const flush = (): void => {
    for (let k = 0; k < 2; k++) if (run[k] !== 0) out[k] = bdd.or(out[k]!, bdd.diff(bdd.diff(run[k]!, deny[0]!), deny[1]!));
    run[0] = run[1] = 0;
  };
  // a cube `set` (a question's protocol and ports): the pass is made of the lines' restrictions to it, lifted at the end (../headerspace/cube-split.ts)
  const cof = CubeCofactor.of(bdd, set);
  const within = (m: PSet): PSet => (m === 0 ? 0 : set === 1 ? m : cof !== undefined ? cof.restrict(m) : bdd.and(m, set));
  const parts = lines.map((l) => within(l.match));
  // the deny lines after the last permit line that meets `set` change nothing but what the
  // implicit lines permit: without those, the pass stops there
  const implicit = within(implicitPermit);
  let end = lines.length;
  if (implicit === 0) while (end > 0 && (parts[end - 1] === 0 || lines[end - 1]!.ace.action !== "permit")) end--;
  for (let i = 0; i < end; i++) {
    const part = parts[i]!;
    if (part === 0) continue;
    const k = hs.testsTop(part) ? 1 : 0;
    if (lines[i]!.ace.action === "permit") run[k] = bdd.or(run[k]!, part);
    else {
      flush();
      deny[k] = bdd.or(deny[k]!, part);
    }
  }
  flush();
  const permit = bdd.or(out[0]!, out[1]!);
  // the implicit lines decide the packets no line matches: of those they match, the ones no deny
  // line matches are permitted (those a permit line matches are already in `permit`)
  const r = implicit === 0 ? permit : bdd.or(permit, bdd.diff(bdd.diff(implicit, deny[0]!), deny[1]!));
  return cof !== undefined ? cof.lift(r) : r;
}

/** Compile an ACL; use `AclSets.compile`, which caches. */
export function compileAcl(sets: AclSets, acl: Acl): CompiledAcl {
  return new Compiled(sets, acl);
}

const mtbdds = new WeakMap<HeaderSpace, Mtbdd>();

function buildEvaluator(hs: HeaderSpace, lines: readonly CompiledLine[], implicit: ReadonlyArray<{ text: string; set: PSet }>): (p: Packet) => Verdict {
  let mt = mtbdds.get(hs);
  if (mt === undefined) {
    mt = new Mtbdd(hs.bdd);
    mtbdds.set(hs, mt);
  }
  // Leaf 0 = implicit deny, leaf i+1 = line i, then the implicit lines.
  const verdicts: Verdict[] = [IMPLICIT_DENY];
  for (const l of lines) verdicts.push(Object.freeze({ action: l.ace.action, ace: l.ace, index: l.index }));
  for (const l of implicit) verdicts.push(implicitVerdict(l.text));
  // Bottom-up `ite(match_i, line_i, rest)`: an earlier line overrides everything below it.
  let root = leafHandle(0);
  for (let k = implicit.length - 1; k >= 0; k--) root = mt.iteLeaf(implicit[k]!.set, leafHandle(lines.length + 1 + k), root);
  for (let i = lines.length - 1; i >= 0; i--) {
    const l = lines[i]!;
    if (l.match !== 0) root = mt.iteLeaf(l.match, leafHandle(i + 1), root);
  }
  const vals = new Uint32Array(VALUE_SLOTS);
  const lf = hs.levelField;
  const ls = hs.levelShift;
  const m = mt;
  return (p: Packet): Verdict => {
    hs.packetValues(p, vals);
    const vars = m.vars;
    const lows = m.lows;
    const highs = m.highs;
    let n = root;
    while (n >= 0) {
      const v = vars[n]!;
      n = (vals[lf[v]!]! >>> ls[v]!) & 1 ? highs[n]! : lows[n]!;
    }
    return verdicts[-n - 1]!;
  };
}

// -------------------------------------------------------------------------------- prefilter

/**
 * A cheap over-approximation of an ACE match (bits every address pattern agrees on, and the
 * protocol when every term names the same one), used to skip exact BDD tests between lines that
 * cannot overlap. `hullsMayIntersect(a, b) === false` ⇒ the matches are disjoint. The IPv4 part
 * (`v4`) and the IPv6 part (`v6`: the top 64 bits of its prefixes) can overlap only with the same
 * family's part of the other line.
 */
export interface MatchHull {
  empty: boolean;
  /** The match has an IPv4 part (source and destination addresses). */
  v4: boolean;
  srcMask: number;
  srcVal: number;
  dstMask: number;
  dstVal: number;
  /** The IPv6 part, if any: [mask, value] of words 0 and 1 (the top 64 bits) of source and destination. */
  v6?: Int32Array;
  /** -1 = several / any */
  protocol: number;
}

function addrHull(set: AddrSet): { mask: number; val: number; empty: boolean } {
  const first = set[0];
  if (first === undefined) return { mask: 0, val: 0, empty: true };
  let mask = ~first.wildcard >>> 0;
  for (const w of set) mask = (mask & ~w.wildcard & ~(w.addr ^ first.addr)) >>> 0;
  return { mask, val: (first.addr & mask) >>> 0, empty: false };
}

/** Mask and value of the top 64 bits every prefix agrees on, as words [mask0, val0, mask1, val1]. */
function addrHull6(set: AddrSet6 | undefined): number[] | undefined {
  const first = set?.[0];
  if (set === undefined || first === undefined) return undefined;
  const top = (v: bigint) => v >> 64n;
  const all = (1n << 64n) - 1n;
  const lenMask = (len: number) => (len >= 64 ? all : ((all << BigInt(64 - len)) & all));
  let mask = lenMask(first.len);
  for (const p of set) mask &= lenMask(p.len) & ~(top(p.addr) ^ top(first.addr)) & all;
  const val = top(first.addr) & mask;
  const w = (x: bigint, k: number) => Number((x >> BigInt(32 * (1 - k))) & 0xffffffffn) | 0;
  return [w(mask, 0), w(val, 0), w(mask, 1), w(val, 1)];
}

export function matchHull(m: AceMatch): MatchHull {
  const s = addrHull(m.src);
  const d = addrHull(m.dst);
  let protocol = -2;
  for (const t of m.services) {
    const p = t.protocol ?? -1;
    protocol = protocol === -2 || protocol === p ? p : -1;
  }
  const s6 = addrHull6(m.src6);
  const d6 = addrHull6(m.dst6);
  const v4 = !s.empty && !d.empty;
  const h: MatchHull = {
    empty: (!v4 && !(s6 && d6)) || m.services.length === 0,
    v4,
    srcMask: s.mask,
    srcVal: s.val,
    dstMask: d.mask,
    dstVal: d.val,
    protocol: protocol === -2 ? -1 : protocol,
  };
  if (s6 && d6) h.v6 = Int32Array.from([...s6, ...d6]);
  return h;
}

export function hullsMayIntersect(a: MatchHull, b: MatchHull): boolean {
  if (a.empty || b.empty) return false;
  if (!(a.protocol < 0 || b.protocol < 0 || a.protocol === b.protocol)) return false;
  if (a.v4 && b.v4 && ((a.srcVal ^ b.srcVal) & a.srcMask & b.srcMask) === 0 && ((a.dstVal ^ b.dstVal) & a.dstMask & b.dstMask) === 0) return true;
  const x = a.v6;
  const y = b.v6;
  if (x === undefined || y === undefined) return false;
  for (let i = 0; i < 8; i += 2) if (((x[i + 1]! ^ y[i + 1]!) & x[i]! & y[i]!) !== 0) return false;
  return true;
}
