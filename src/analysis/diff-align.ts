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
 * witnesses (a witness is a function of its set). The region is taken one differing entry at a
 * time (`changedPairs`); unchanged lines whose matches miss every entry's are never compiled.
 */
import { hullsMayIntersect, matchHull, type MatchHull } from "../acl/compile.js";
import { implicitVerdict, type Verdict } from "../acl/evaluate.js";
import type { AclSets } from "../acl/sets.js";
import type { PSet } from "../headerspace/index.js";
import type { Ace, AceMatch, Acl } from "../model/types.js";
import { aceKey, implicitKey } from "../model/ace-key.js";
import { CubeCofactor } from "../headerspace/cube-split.js";
import { coveredBy, outside, outsideSources, PassedLines, type Passed } from "./diff-layers.js";

export { aceKey };

/**
 * Beyond this many edits (in the part between the common prefix and suffix) the alignment gives
 * up and the whole ACLs are compared: the versions hardly share structure, and the edit script's
 * trace grows as the square of its length (4,000 edits: 16 M integers).
 */
const MAX_EDITS = 4000;

/**
 * The differing entries of two versions, or undefined when the versions cannot be aligned (a
 * different vendor, family or implicit lines, or too many edits): then compare the whole ACLs.
 */
export function differingEntries(oldAcl: Acl, newAcl: Acl): { old: Ace[]; new: Ace[] } | undefined {
  if (oldAcl.vendor !== newAcl.vendor || oldAcl.family !== newAcl.family) return undefined;
  if (implicitKey(oldAcl) !== implicitKey(newAcl)) return undefined;
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
 * A part of one version within one differing entry's region: its packets are `base` (the
 * line's match ∩ the region; the region for the implicit deny) minus the lines before it, kept in
 * layers (./diff-layers.ts). It is not built: the reach of a wide line in a wide region can
 * be large while its meeting with a part of the other version is small.
 */
interface LocalPart {
  /** Entry index, or entries.length + k for the k-th implicit part. */
  ord: number;
  decision: Verdict;
  hull?: MatchHull;
  /** The part of a differing entry (not an implicit part). */
  differing: boolean;
  base: PSet;
  /** The lines before it (its packets are `base` outside them). */
  passed: Passed;
}

/** The packets of one (old part, new part) pair that change action: old ∩ new, both within the region. */
export interface ChangedPair {
  old: Verdict;
  new: Verdict;
  set: PSet;
}

/**
 * Every (old part, new part) pair with different actions that share packets within the region of
 * the differing entries, merged over the entries, in the whole-ACL comparison's order (old line,
 * then new line; the implicit parts last). `domain`: the packets the ACLs filter.
 *
 * Each differing entry's region (its match) is compared on its own: within it, each version is
 * partitioned by a first-match pass over the lines whose hulls meet the entry's, and the parts of
 * the two versions with different actions are intersected. A pair's packets over the whole region
 * are the union of its packets within each entry's region, since the region is their union. So a
 * narrow edit stays a narrow comparison however long the ACL is and however wide the other edits
 * are (the versions were compiled within the union of all the regions before, whose sets mix
 * every edit's fields).
 *
 * Only pairs with a differing entry on at least one side can change action. Say a packet's
 * deciders are aligned entries in both versions, c in old and c' in new: the aligned entries are
 * one sequence in both, so if c' came before c, c' would match the packet in old ahead of c, and
 * the other way round; hence c = c', the same action. A packet the implicit lines decide in one
 * version is matched by no aligned entry, so if its decider in the other version is not a
 * differing entry, that version's implicit lines decide it too: the same lines.
 */
export function changedPairs(sets: AclSets, oldAcl: Acl, newAcl: Acl, differing: { old: readonly Ace[]; new: readonly Ace[] }, domain: PSet): ChangedPair[] {
  const hs = sets.hs;
  // each pair's pieces, one per region it changes action in, united at the end
  const merged = new Map<number, Map<number, { old: Verdict; new: Verdict; pieces: PSet[] }>>();
  const matchOf = memoMatch(sets, oldAcl.vendor);
  // the entries' hulls, looked up once per ACL rather than once per entry and differing entry
  const hullsOld = hullsOf(oldAcl);
  const hullsNew = hullsOf(newAcl);
  const isDiffering = new Set<Ace>([...differing.old, ...differing.new]);
  const seen = new Set<PSet>();
  const pair = (a: LocalPart, b: LocalPart, cof: CubeCofactor | undefined): void => {
    if (a.decision.action === b.decision.action) return;
    if (a.hull && b.hull && !hullsMayIntersect(a.hull, b.hull)) return;
    const met = meet(sets, a, b);
    if (met === hs.none) return;
    const piece = cof !== undefined ? cof.lift(met) : met;
    let row = merged.get(a.ord);
    if (!row) merged.set(a.ord, (row = new Map()));
    const had = row.get(b.ord);
    if (had) had.pieces.push(piece);
    else row.set(b.ord, { old: a.decision, new: b.decision, pieces: [piece] });
  };
  // IOS: non-initial fragments apart. A permit line with a port test also permits every
  // non-initial fragment its layer-3 part matches (src/acl/semantics.ts), and one union of both
  // kinds copies every line's port structure into the fragments' branch of every address path.
  // The ASA reassembles fragments before its rules see them: its lines do not test the bit.
  const halves = oldAcl.vendor === "asa" ? [hs.all] : [hs.eq("fragment", 0), hs.eq("fragment", 1)];
  for (const d of [...differing.old, ...differing.new]) {
    if (d.inactive) continue;
    const hull = hullOf(d.match);
    let lines: [number[], number[]] | undefined;
    for (const half of halves) {
      const region = hs.and(hs.and(matchOf(d), domain), half);
      // a modified or moved entry has the same region in both versions
      if (region === hs.none || seen.has(region)) continue;
      seen.add(region);
      lines ??= [meeting(hullsOld, hull), meeting(hullsNew, hull)];
      // the region is C ∩ x, C the cube of the bits all its packets have (`permit tcp any host B
      // gt 8000`, whole packets: the protocol, the destination and the fragment bit) and x over
      // the other bits (the port range; everything, for a cube region): the parts are made of the
      // lines' restrictions to C within x, which skip C's levels (the fragment bit sits low in
      // the order, so a part ∩ C copies most of the line), and each piece is lifted by C
      // (../headerspace/cube-split.ts). The lifted pieces are the same sets: the same changes,
      // counts and witnesses.
      const around = CubeCofactor.around(hs.bdd, region);
      const cof = around?.cof;
      const r: Region =
        around === undefined
          ? { set: region, of: (m) => hs.and(m, region) }
          : { set: around.rest, of: around.rest === hs.all ? (m) => around.cof.restrict(m) : (m) => hs.and(around.cof.restrict(m), around.rest) };
      const po = localParts(sets, oldAcl, hullsOld, lines[0], r, matchOf, isDiffering);
      const pn = localParts(sets, newAcl, hullsNew, lines[1], r, matchOf, isDiffering);
      const pnDiffering = pn.filter((b) => b.differing);
      for (const a of po) for (const b of a.differing ? pn : pnDiffering) pair(a, b, cof);
    }
  }
  const out: ChangedPair[] = [];
  for (const ko of [...merged.keys()].sort((x, y) => x - y)) {
    const row = merged.get(ko)!;
    for (const kn of [...row.keys()].sort((x, y) => x - y)) {
      const { old, new: now, pieces } = row.get(kn)!;
      out.push({ old, new: now, set: unionOf(sets, pieces) });
    }
  }
  return out;
}

/**
 * The union of `pieces` by pairs, then pairs of those, …: a pair that changes action in many
 * regions has a piece in each (30,000-line ACLs: 26.0–27.4 s against 27.7–29.1 s for a union
 * grown piece by piece, in alternating runs).
 */
function unionOf(sets: AclSets, pieces: PSet[]): PSet {
  let level = pieces;
  while (level.length > 1) {
    const next: PSet[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(i + 1 < level.length ? sets.hs.or(level[i]!, level[i + 1]!) : level[i]!);
    level = next;
  }
  return level[0] ?? sets.hs.none;
}

/** Each entry's hull by index; undefined for an inactive entry (it matches nothing). */
function hullsOf(acl: Acl): Array<MatchHull | undefined> {
  return acl.entries.map((e) => (e.inactive ? undefined : hullOf(e.match)));
}

/**
 * a ∩ b: the meeting of their bases minus the lines before each. Most meetings tested are empty;
 * the inclusion tests find that without building much (a wide part itself is never built).
 */
function meet(sets: AclSets, a: LocalPart, b: LocalPart): PSet {
  const hs = sets.hs;
  const bdd = hs.bdd;
  const x = bdd.and(a.base, b.base);
  if (x === 0) return 0;
  // x outside a's source layers, then an inclusion test in a's other layers; the same for b
  const xa = outsideSources(hs, x, a.passed);
  if (xa === 0 || bdd.diffLeq(xa, a.passed.wide, a.passed.spec) || coveredBy(hs, x, b.passed)) return 0;
  return outside(hs, bdd.diff(bdd.diff(xa, a.passed.wide), a.passed.spec), b.passed);
}

/** The exact set of an entry's match, asked of `sets` once per entry. */
function memoMatch(sets: AclSets, vendor: Acl["vendor"]): (e: Ace) => PSet {
  const memo = new Map<Ace, PSet>();
  return (e) => {
    let m = memo.get(e);
    if (m === undefined) memo.set(e, (m = sets.match(e.match, e.action, vendor)));
    return m;
  };
}

/** The indexes of an ACL's active entries (`hulls`, by `hullsOf`) whose hulls meet `hull` (the others match nothing inside it). */
function meeting(hulls: ReadonlyArray<MatchHull | undefined>, hull: MatchHull): number[] {
  const out: number[] = [];
  for (let i = 0; i < hulls.length; i++) {
    const h = hulls[i];
    if (h !== undefined && hullsMayIntersect(hull, h)) out.push(i);
  }
  return out;
}

/** A region as the parts are made in it: its set and a line's match within it (m ∩ region, or m restricted to the region's cube ∩ the rest: the parts are then the restrictions of the region's parts). */
interface Region {
  set: PSet;
  of(m: PSet): PSet;
}

/**
 * `acl`'s parts within `region` (each line's reach ∩ region, in line order, then the implicit
 * lines and the implicit deny), by one first-match pass over `lines` (`meeting` the region's
 * hull: the others match nothing in it). The lines passed are kept as unions in layers
 * (./diff-layers.ts); whether a line decides anything is an inclusion test against them.
 */
function localParts(sets: AclSets, acl: Acl, hulls: ReadonlyArray<MatchHull | undefined>, lines: readonly number[], within: Region, matchOf: (e: Ace) => PSet, isDiffering: ReadonlySet<Ace>): LocalPart[] {
  const hs = sets.hs;
  const region = within.set;
  const parts: LocalPart[] = [];
  const passed = new PassedLines(hs);
  const entries = acl.entries;
  for (const i of lines) {
    const e = entries[i]!;
    const own = matchOf(e);
    const m = within.of(own);
    if (m === 0 || coveredBy(hs, m, passed.passed())) continue;
    parts.push({ ord: i, decision: { action: e.action, ace: e, index: i }, differing: isDiffering.has(e), base: m, passed: passed.passed(), hull: hulls[i]! });
    passed.add(m, own);
    // the region is decided when this line covers it; else asked every 32 parts, of the layers
    // but the source ones (an inclusion test of the whole region per line cost more than the
    // lines it spared, and the region outside a source layer is about as large as the layer —
    // 41 M nodes in a `permit ip any host B` region; a later line of a decided region is found
    // empty by its own test anyway)
    if (m === region) return parts;
    const p = passed.passed();
    if (parts.length % 32 === 0 && hs.bdd.diffLeq(region, p.wide, p.spec)) return parts;
  }
  let ord = entries.length;
  const implicit = (decision: Verdict, base: PSet): LocalPart => ({ ord, decision, differing: false, base, passed: passed.passed() });
  for (const l of acl.implicitPermits ?? []) {
    const own = sets.match(l.match, "permit", acl.vendor);
    const m = within.of(own);
    if (m !== 0 && !coveredBy(hs, m, passed.passed())) parts.push(implicit(implicitVerdict(l.text), m));
    ord++;
    if (m !== 0) passed.add(m, own);
  }
  if (!coveredBy(hs, region, passed.passed())) parts.push(implicit({ action: "deny", index: -1 }, region));
  return parts;
}
