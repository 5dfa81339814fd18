/**
 * The questions of an ACL restricted to a cube (./restrict.ts) that are answered from the few lines
 * its line index (./line-index.ts) finds for them, instead of from a pass over every kept line:
 * what the lines filed under a packet set's addresses permit of it (`firstMatchNear`), and which
 * earlier lines may take part of a line's packets (`fewBefore`, for its reach).
 */
import type { PSet } from "../headerspace/index.js";
import { cofactor, lift, splitTop } from "../headerspace/cube-split.js";
import { Scratch } from "../headerspace/scratch.js";
import type { Acl, AddrSet } from "../model/types.js";
import { mayMeet, type Cube } from "./cube.js";
import { LineIndex } from "./line-index.js";
import type { RestrictedAcl } from "./restrict.js";
import type { AclSets } from "./sets.js";

/** A line index (./line-index.ts) per restricted ACL, built on its first query. */
const indexes = new WeakMap<Acl, LineIndex>();
export function lineIndexOf(r: RestrictedAcl): LineIndex {
  let ix = indexes.get(r.acl);
  if (ix === undefined) indexes.set(r.acl, (ix = new LineIndex(r.acl)));
  return ix;
}

/** `NearAcl.reachIn` (./restrict.ts) takes a line's reach from the earlier lines the index finds overlapping it when they are at most this many, else from a forward pass. */
export const FEW_BEFORE = { lines: 48 };

/** The lines before k that may overlap it (ascending), or undefined when there are more than `FEW_BEFORE.lines`. */
export function fewBefore(ix: LineIndex, k: number): number[] | undefined {
  const few: number[] = [];
  let many = false;
  ix.eachOverlapping(k, 0, k, (j) => (many = few.push(j) > FEW_BEFORE.lines));
  return many ? undefined : few;
}

/** Packets a run of lines matches, and those of them it permits (first match within the run). */
interface Run {
  covered: PSet;
  permit: PSet;
}

/** The set operations a first match is combined with (a header space, or a manager of its variables). */
interface SetOps {
  and(a: PSet, b: PSet): PSet;
  or(a: PSet, b: PSet): PSet;
  diff(a: PSet, b: PSet): PSet;
}

/** First match over runs[lo .. hi), as a balanced tree: the later half permits what the earlier does not cover. */
function firstMatchRun(ops: SetOps, runs: readonly Run[], lo: number, hi: number): Run {
  if (hi - lo === 1) return runs[lo]!;
  const mid = (lo + hi) >> 1;
  const a = firstMatchRun(ops, runs, lo, mid);
  const b = firstMatchRun(ops, runs, mid, hi);
  return { covered: ops.or(a.covered, b.covered), permit: ops.or(a.permit, ops.diff(b.permit, a.covered)) };
}

/** A scratch manager per variable count (./headerspace/scratch.ts), for `firstMatchNear`'s questions below a path. */
const scratches = new Map<number, Scratch>();

/** What `r` (restricted from `acl`) permits of `set` (IPv4 packets in its cube and `around`) by first match over the lines its index files under `around`'s addresses that may meet it; none (no set built) if more than `most`. `work.lines` counts the lines looked at. */
export function firstMatchNear(sets: AclSets, acl: Acl, r: RestrictedAcl, set: PSet, around: Cube & { src: AddrSet; dst: AddrSet }, most: number, work: { lines: number }, implicit: () => PSet): PSet | undefined {
  const hs = sets.hs;
  const ix = lineIndexOf(r);
  const lists: number[][] = [];
  ix.addressLists(around.src, around.dst, lists);
  const plans = ix.plans;
  const ks = [...new Set(lists.flat())].filter((k) => plans[k] !== undefined && plans[k]!.some((c) => mayMeet(c, around)));
  work.lines += Math.min(ks.length, most);
  if (ks.length > most) return undefined;
  ks.sort((a, b) => a - b);
  // When the set's top is one path (`udp host B eq 4500`: ../headerspace/cube-split.ts), its parts
  // are asked below that path, of the lines' cofactors under it, in a small scratch manager, and
  // the answer is lifted back at the end; a line testing a bit the path leaves free sends the
  // question back to the whole space.
  const bdd = hs.bdd;
  let split = splitTop(bdd, set);
  let sc: Scratch | undefined;
  if (split) {
    sc = scratches.get(bdd.numVars);
    if (sc === undefined) scratches.set(bdd.numVars, (sc = new Scratch(bdd.numVars)));
    sc.begin(bdd);
  }
  let ops: SetOps = sc ? sc.bdd : hs;
  let base = split ? sc!.in(bdd, split.below) : set;
  const up = (x: PSet): PSet => (split ? lift(bdd, split, sc!.out(bdd, x)) : x);
  const under = (m: PSet): PSet => {
    if (split === undefined) return m;
    const c = cofactor(bdd, m, split);
    if (c >= 0) return sc!.in(bdd, c);
    covered = up(covered);
    permit = up(permit);
    run = run.map((x) => ({ covered: up(x.covered), permit: up(x.permit) }));
    [split, base, ops] = [undefined, set, hs];
    return m;
  };
  // First match over the lines' parts of the set, taken in runs (1, 2, 4, … up to 64 parts): a
  // run is combined as a balanced tree (`firstMatchRun`), then joined to what the earlier runs
  // cover. One union grown part by part costs the square of the parts on a wide line's question.
  let covered: PSet = hs.none;
  let permit: PSet = hs.none;
  let run: Run[] = [];
  let size = 1;
  const join = (): boolean => {
    const c = firstMatchRun(ops, run, 0, run.length);
    permit = ops.or(permit, ops.diff(c.permit, covered));
    covered = ops.or(covered, c.covered);
    run = [];
    size = Math.min(2 * size, 64);
    return covered === base;
  };
  for (const k of ks) {
    const e = r.acl.entries[k]!;
    const m = under(sets.match(e.match, e.action, acl.vendor));
    const part = ops.and(m, base);
    if (part === hs.none) continue;
    run.push({ covered: part, permit: e.action === "permit" ? part : hs.none });
    if ((run.length >= size || part === base) && join()) return up(permit);
  }
  if (run.length > 0 && join()) return up(permit);
  const imp = under(implicit());
  return up(ops.or(permit, ops.and(ops.diff(base, covered), imp)));
}
