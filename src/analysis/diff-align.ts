/**
 * `diff` by structure first: align two versions of an ACL line by line, so only the packets a
 * changed line can decide are compared as sets.
 *
 * Alignment. Each entry gets a key that determines the set it matches (action, `inactive`, the
 * resolved match; not its sequence number, line number, remarks, `log` or spelling), and the two
 * key sequences are aligned by a shortest edit script (their common prefix and suffix, then
 * Myers' O(ND) algorithm on the rest).
 * The entries left out of the common subsequence — deleted, inserted, modified (both versions),
 * moved (both places) — are the differing entries.
 *
 * Why the union of their matches (the region) bounds the change. A packet outside the region is
 * matched by no differing entry, so in both versions its first match is the first match among the
 * aligned entries, which are the same sequence of the same matches with the same actions: both
 * versions take the same action (or, if no aligned entry matches it, the same implicit lines and
 * implicit deny — alignment is only used when those, the vendor and the family are the same). So
 * every packet whose action differs lies in the region, and restricting both versions to it
 * (each line's reach ∩ region, in line order) yields exactly the sets a whole-ACL comparison
 * would build, intersected with a superset of the change — hence the same parts, counts and
 * witnesses (a witness is a function of its set). Unchanged lines whose matches miss the region
 * are never compiled.
 */
import { compileAcl, hullsMayIntersect, matchHull, type MatchHull } from "../acl/compile.js";
import { implicitVerdict, type Verdict } from "../acl/evaluate.js";
import type { AclSets } from "../acl/sets.js";
import type { PSet } from "../headerspace/index.js";
import type { Ace, AceMatch, Acl } from "../model/types.js";

/** One version's partition of (part of) the header space into (deciding line, packets) parts. */
export interface Part {
  /** Sort key: entry index, or +∞ for the implicit lines / implicit deny / missing ACL. */
  key: number;
  decision: Verdict;
  set: PSet;
  hull?: MatchHull;
}

/**
 * Beyond this many edits (in the part between the common prefix and suffix) the alignment gives
 * up and the whole ACLs are compared: the versions hardly share structure, and the edit script's
 * trace grows as the square of its length (4,000 edits: 16 M integers).
 */
const MAX_EDITS = 4000;

const bigintJson = (_k: string, v: unknown): unknown => (typeof v === "bigint" ? `${v}n` : v);

/** What decides the set a line matches: two lines with the same key match the same packets in ACLs of one vendor. */
export function aceKey(e: Ace): string {
  return `${e.action}${e.inactive ? "!" : ""} ${matchKey(e.match)}`;
}

function matchKey(m: AceMatch): string {
  return JSON.stringify(m, bigintJson);
}

/**
 * The differing entries of two versions, or undefined when the versions cannot be aligned (a
 * different vendor, family or implicit lines, or too many edits): then compare the whole ACLs.
 */
export function differingEntries(oldAcl: Acl, newAcl: Acl): { old: Ace[]; new: Ace[] } | undefined {
  if (oldAcl.vendor !== newAcl.vendor || oldAcl.family !== newAcl.family) return undefined;
  const implicit = (a: Acl): string => JSON.stringify((a.implicitPermits ?? []).map((l) => [l.text, matchKey(l.match)]));
  if (implicit(oldAcl) !== implicit(newAcl)) return undefined;
  const ids = new Map<string, number>();
  const idsOf = (a: Acl): number[] =>
    a.entries.map((e) => {
      const k = aceKey(e);
      let id = ids.get(k);
      if (id === undefined) ids.set(k, (id = ids.size));
      return id;
    });
  const o = idsOf(oldAcl);
  const n = idsOf(newAcl);
  const edits = editScript(o, n, MAX_EDITS);
  if (edits === undefined) return undefined;
  return { old: oldAcl.entries.filter((_, i) => edits.old[i] === 1), new: newAcl.entries.filter((_, j) => edits.new[j] === 1) };
}

/**
 * A shortest edit script between two id sequences as the positions left out of the common
 * subsequence (1 = deleted from `a` / inserted in `b`), or undefined beyond `max` edits. The
 * common prefix and suffix first, then Myers' greedy algorithm (E. W. Myers, "An O(ND)
 * difference algorithm and its variations", Algorithmica 1986) with one band of the furthest
 * reaching paths kept per edit count for the way back.
 */
export function editScript(a: readonly number[], b: readonly number[], max: number): { old: Uint8Array; new: Uint8Array } | undefined {
  const out = { old: new Uint8Array(a.length), new: new Uint8Array(b.length) };
  let lo = 0;
  while (lo < a.length && lo < b.length && a[lo] === b[lo]) lo++;
  let ea = a.length;
  let eb = b.length;
  while (ea > lo && eb > lo && a[ea - 1] === b[eb - 1]) {
    ea--;
    eb--;
  }
  const N = ea - lo;
  const M = eb - lo;
  const limit = Math.min(N + M, max);
  const off = limit + 1;
  const V = new Int32Array(2 * limit + 3);
  const trace: Int32Array[] = [];
  let D = -1;
  for (let d = 0; d <= limit && D < 0; d++) {
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && V[off + k - 1]! < V[off + k + 1]!) ? V[off + k + 1]! : V[off + k - 1]! + 1;
      let y = x - k;
      while (x < N && y < M && a[lo + x] === b[lo + y]) {
        x++;
        y++;
      }
      V[off + k] = x;
      if (x >= N && y >= M) {
        D = d;
        break;
      }
    }
    trace.push(V.slice(off - d, off + d + 1));
  }
  if (D < 0) return undefined;
  let x = N;
  let y = M;
  for (let d = D; d > 0; d--) {
    const prev = trace[d - 1]!;
    const at = (k: number): number => prev[k + d - 1]!;
    const k = x - y;
    const pk = k === -d || (k !== d && at(k - 1) < at(k + 1)) ? k + 1 : k - 1;
    const px = at(pk);
    const py = px - pk;
    while (x > px && y > py && (pk === k + 1 ? y > py + 1 : x > px + 1)) {
      x--;
      y--;
    }
    if (pk === k + 1) out.new[lo + py] = 1;
    else out.old[lo + px] = 1;
    x = px;
    y = py;
  }
  return out;
}

/** Hulls of the matches by identity (model objects are not mutated after parsing). */
const hullCache = new WeakMap<object, MatchHull>();
export function hullOf(m: AceMatch): MatchHull {
  let h = hullCache.get(m);
  if (!h) hullCache.set(m, (h = matchHull(m)));
  return h;
}

/**
 * The parts of `acl` within `region` (each line's reach ∩ region, in line order, the implicit
 * lines and the implicit deny last) and its permit set within it. `hulls`: hulls covering the
 * region. A line whose hull meets none of them matches nothing in the region, so neither its
 * reach there nor what it takes from later lines there matters: the lines that may meet the
 * region are compiled on their own (in order), and each one's reach ∩ region taken from that
 * compilation (`reachIn`: from the line's match ∩ region, against the prefix unions).
 */
export function partsWithin(sets: AclSets, acl: Acl, region: PSet, hulls: readonly MatchHull[]): { parts: Part[]; permit: PSet } {
  const hs = sets.hs;
  const idx: number[] = [];
  acl.entries.forEach((e, i) => {
    if (e.inactive) return;
    const h = hullOf(e.match);
    if (hulls.some((x) => hullsMayIntersect(x, h))) idx.push(i);
  });
  const c = compileAcl(sets, { ...acl, entries: idx.map((i) => acl.entries[i]!), implicitPermits: [] });
  const parts: Part[] = [];
  let permit: PSet = hs.none;
  idx.forEach((i, j) => {
    const set = c.reachIn(j, region);
    if (set === hs.none) return;
    const e = acl.entries[i]!;
    parts.push({ key: i, decision: { action: e.action, ace: e, index: i }, set, hull: hullOf(e.match) });
    if (e.action === "permit") permit = hs.or(permit, set);
  });
  let rem = hs.diff(region, c.coveredBefore(idx.length));
  for (const l of acl.implicitPermits ?? []) {
    const set = hs.and(rem, sets.match(l.match, "permit", acl.vendor));
    if (set === hs.none) continue;
    parts.push({ key: Infinity, decision: implicitVerdict(l.text), set });
    permit = hs.or(permit, set);
    rem = hs.diff(rem, set);
  }
  if (rem !== hs.none) parts.push({ key: Infinity, decision: { action: "deny", index: -1 }, set: rem });
  return { parts, permit };
}
