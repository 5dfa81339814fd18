/**
 * First-match compilation of an ACL into exact packet sets, and a fast exact evaluator.
 *
 * Semantics are those of `evaluateAcl` (src/acl/match.ts, spec §7.1): lines are tried in order,
 * the first matching line decides, `inactive` lines never match, and a packet no line matches is
 * denied by the implicit `deny ip any any`.
 *
 * - `lines[i].match` is the set line i matches on its own; `lines[i].reach` the packets line i
 *   actually decides (match minus everything matched by earlier active lines). The reach sets are
 *   pairwise disjoint and, with the implicit-deny remainder, partition the header space.
 * - `evaluate(p)` walks a multi-terminal decision diagram (leaves = line indices) built lazily on
 *   first use from the reach sets: one root-to-leaf walk of ≤ 135 steps, whatever the ACL length.
 */
import type { HeaderSpace, PSet } from "../headerspace/index.js";
import { Mtbdd, leafHandle } from "../headerspace/mtbdd.js";
import type { Ace, AceMatch, Acl, AddrSet, Packet } from "../model/types.js";

export interface CompiledLine {
  ace: Ace;
  /** Index in `acl.entries`. */
  index: number;
  match: PSet;
  reach: PSet;
}

/** Same shape as `AclVerdict` from src/acl/match.ts; the objects are shared and frozen. */
export interface Verdict {
  readonly action: "permit" | "deny";
  /** The deciding line; undefined = implicit deny. */
  readonly ace?: Ace;
  /** Index of the deciding line in `acl.entries`, -1 for the implicit deny. */
  readonly index: number;
}

export interface CompiledAcl {
  acl: Acl;
  permit: PSet;
  /** Includes the implicit deny: `permit ∪ deny = all`, disjoint. */
  deny: PSet;
  /** Packets no active line matches (decided by the implicit deny). */
  implicit: PSet;
  lines: CompiledLine[];
  evaluate(p: Packet): Verdict;
}

export function compileAcl(hs: HeaderSpace, acl: Acl): CompiledAcl {
  const bdd = hs.bdd;
  let covered = 0;
  let permit = 0;
  const lines: CompiledLine[] = acl.entries.map((ace, index) => {
    if (ace.inactive) return { ace, index, match: 0, reach: 0 };
    const match = hs.ace(ace.match);
    const reach = covered === 1 ? 0 : bdd.diff(match, covered);
    if (reach !== 0) {
      covered = bdd.or(covered, reach);
      if (ace.action === "permit") permit = bdd.or(permit, reach);
    }
    return { ace, index, match, reach };
  });
  const implicit = bdd.not(covered);
  const deny = bdd.not(permit);

  let evaluator: ((p: Packet) => Verdict) | undefined;
  const evaluate = (p: Packet): Verdict => {
    evaluator ??= buildEvaluator(hs, acl, lines);
    return evaluator(p);
  };
  return { acl, permit, deny, implicit, lines, evaluate };
}

const mtbdds = new WeakMap<HeaderSpace, Mtbdd>();

function buildEvaluator(hs: HeaderSpace, acl: Acl, lines: CompiledLine[]): (p: Packet) => Verdict {
  let mt = mtbdds.get(hs);
  if (mt === undefined) {
    mt = new Mtbdd(hs.bdd);
    mtbdds.set(hs, mt);
  }
  // Leaf 0 = implicit deny, leaf i+1 = line i.
  const verdicts: Verdict[] = [Object.freeze({ action: "deny", index: -1 })];
  for (const l of lines) verdicts.push(Object.freeze({ action: l.ace.action, ace: l.ace, index: l.index }));
  // The reach sets are disjoint, so the order of the ite's does not matter; go bottom-up like
  // the textbook `ite(match_i, line_i, rest)` construction.
  let root = leafHandle(0);
  for (let i = lines.length - 1; i >= 0; i--) {
    const l = lines[i]!;
    if (l.reach !== 0) root = mt.iteLeaf(l.reach, leafHandle(i + 1), root);
  }
  const vals = new Uint32Array(10);
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
 * cannot overlap. `hullsMayIntersect(a, b) === false` ⇒ the matches are disjoint.
 */
export interface MatchHull {
  empty: boolean;
  srcMask: number;
  srcVal: number;
  dstMask: number;
  dstVal: number;
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

export function matchHull(m: AceMatch): MatchHull {
  const s = addrHull(m.src);
  const d = addrHull(m.dst);
  let protocol = -2;
  for (const t of m.services) {
    const p = t.protocol ?? -1;
    protocol = protocol === -2 || protocol === p ? p : -1;
  }
  return {
    empty: s.empty || d.empty || m.services.length === 0,
    srcMask: s.mask,
    srcVal: s.val,
    dstMask: d.mask,
    dstVal: d.val,
    protocol: protocol === -2 ? -1 : protocol,
  };
}

export function hullsMayIntersect(a: MatchHull, b: MatchHull): boolean {
  if (a.empty || b.empty) return false;
  if (((a.srcVal ^ b.srcVal) & a.srcMask & b.srcMask) !== 0) return false;
  if (((a.dstVal ^ b.dstVal) & a.dstMask & b.dstMask) !== 0) return false;
  return a.protocol < 0 || b.protocol < 0 || a.protocol === b.protocol;
}
