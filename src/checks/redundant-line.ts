/**
 * redundant-line: a line that decides some packets (it is not shadowed — see shadowed-line), but
 * whose removal changes no packet's action: every packet it decides gets the same action from the
 * lines after it (first match wins, implicit deny at the end).
 *
 * Not reported: a deny some of whose packets would fall through to the implicit deny. It is
 * redundant in the strict sense, but an explicit `deny ip any any log` (or a deny relying on the
 * implicit one) documents intent and logs; reporting it would fire on nearly every ACL. A deny
 * whose packets later explicit denies take is reported. So `decidedBy` is never empty.
 *
 * Lines are judged from the bottom up against the lines below them that are kept: a line found
 * redundant, shadowed or inactive is taken out before judging the lines above it. Shadowed lines
 * never decide anything, so taking them out changes nothing; and each redundant line is judged
 * with the lower redundant lines already gone. So all reported lines can be removed together
 * without changing the ACL's behaviour (two lines that each make the other redundant are not
 * both reported; the lower one is kept).
 *
 * For line i the packets it decides are followed into the lines below: walking the kept lines
 * j > i whose match overlaps it (prefiltered by a destination /24 and /16 index and address hulls), the
 * part of reach(i) that j would decide is `match(i) ∩ match(j)` minus what earlier lines (all
 * before i, and the overlaps already walked) take. The walk stops at the first line that would
 * decide some of them with the other action (not redundant — the common case, found quickly), or
 * when the walked lines cover all of reach(i). Nothing here materialises reach(i) or a permit set,
 * whose BDDs can be large (see src/acl/compile.ts).
 */
import { hullsMayIntersect, matchHull } from "../acl/compile.js";
import type { PSet } from "../headerspace/index.js";
import type { AclSets } from "../acl/sets.js";
import type { Ace, Acl } from "../model/types.js";
import { defineCheck, NO_OPTIONS } from "./define.js";

export interface RedundantResult {
  /** Index in `acl.entries`. */
  index: number;
  /** Indices of the lines that would decide its packets instead, in ACL order. */
  decidedBy: number[];
}

/**
 * Which later lines may overlap a line on the destination: lines are filed under the /24 and /16
 * of each destination pattern that fixes those top bits; the rest are "wide" and always
 * candidates. Complete: two patterns that intersect agree on the top bits both of them fix.
 */
class DstIndex {
  /** lines all of whose patterns fix the top 24 bits, under each pattern's /24 */
  private readonly by24 = new Map<number, number[]>();
  /** lines all of whose patterns fix the top 16 bits, under each pattern's /16 */
  private readonly by16 = new Map<number, number[]>();
  /** lines of by16 with a pattern fixing fewer than 24 top bits, under each pattern's /16 */
  private readonly mid16 = new Map<number, number[]>();
  private readonly wide: number[] = [];
  /** per line: 24 = all patterns fix /24, 16 = all fix /16, 0 = wide */
  private readonly cls: Uint8Array;

  constructor(private readonly acl: Acl) {
    const n = acl.entries.length;
    this.cls = new Uint8Array(n);
    const push = (m: Map<number, number[]>, k: number, i: number): void => {
      const l = m.get(k);
      if (l === undefined) m.set(k, [i]);
      else if (l[l.length - 1] !== i) l.push(i);
    };
    for (let i = 0; i < n; i++) {
      const dst = acl.entries[i]!.match.dst;
      const fixed = (w: { wildcard: number }, bits: number): boolean => (~w.wildcard >>> (32 - bits)) === 2 ** bits - 1;
      const c = dst.length === 0 ? 0 : dst.every((w) => fixed(w, 24)) ? 24 : dst.every((w) => fixed(w, 16)) ? 16 : 0;
      this.cls[i] = c;
      if (c === 0) {
        this.wide.push(i);
        continue;
      }
      for (const w of dst) {
        push(this.by16, w.addr >>> 16, i);
        if (c === 24) push(this.by24, w.addr >>> 8, i);
        else if (!fixed(w, 24)) push(this.mid16, w.addr >>> 16, i);
      }
    }
  }

  /** Sorted candidate lists for the lines after i; null = every later line. */
  candidates(i: number): number[][] | null {
    const c = this.cls[i]!;
    if (c === 0) return null;
    const lists: number[][] = [this.wide];
    for (const w of this.acl.entries[i]!.match.dst) {
      if (c === 24) {
        lists.push(this.by24.get(w.addr >>> 8) ?? [], this.mid16.get(w.addr >>> 16) ?? []);
      } else lists.push(this.by16.get(w.addr >>> 16) ?? []);
    }
    return lists;
  }
}

/** Ascending, de-duplicated walk over the union of sorted lists, from values > after. */
class Merge {
  private readonly pos: number[];
  private last: number;
  constructor(
    private readonly lists: number[][],
    after: number,
  ) {
    this.pos = lists.map((l) => upper(l, after));
    this.last = after;
  }
  next(): number {
    let best = -1;
    let bestList = -1;
    for (let k = 0; k < this.lists.length; k++) {
      const l = this.lists[k]!;
      let p = this.pos[k]!;
      while (p < l.length && l[p]! <= this.last) p++;
      this.pos[k] = p;
      if (p < l.length && (best < 0 || l[p]! < best)) {
        best = l[p]!;
        bestList = k;
      }
    }
    if (bestList >= 0) this.last = best;
    return best;
  }
}

/** First position in sorted `xs` with a value > v. */
function upper(xs: readonly number[], v: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const m = (lo + hi) >>> 1;
    if (xs[m]! <= v) lo = m + 1;
    else hi = m;
  }
  return lo;
}

export function redundantLines(sets: AclSets, acl: Acl): RedundantResult[] {
  const hs = sets.hs;
  const c = sets.compile(acl);
  const n = c.lines.length;
  const hulls = c.lines.map((l) => matchHull(l.ace.match));
  const index = new DstIndex(acl);
  const kept = new Uint8Array(n);
  for (let i = 0; i < n; i++) kept[i] = c.lines[i]!.ace.inactive || c.unreachable(i) ? 0 : 1;
  const out: RedundantResult[] = [];
  for (let i = n - 1; i >= 0; i--) {
    if (!kept[i]) continue;
    const line = c.lines[i]!;
    const mi = line.match;
    /** Part of match(i) already taken by the walked lines. */
    let seen: PSet = hs.none;
    const decidedBy: number[] = [];
    let verdict: "redundant" | "needed" | "open" = "open";
    // walk the kept later lines that may overlap line i, in order
    const lists = index.candidates(i);
    const merge = lists ? new Merge(lists, i) : undefined;
    for (let j = merge ? merge.next() : i + 1; j >= 0 && j < n; j = merge ? merge.next() : j + 1) {
      if (!kept[j] || !hullsMayIntersect(hulls[i]!, hulls[j]!)) continue;
      const lj = c.lines[j]!;
      const part = hs.and(mi, lj.match);
      if (part === hs.none) continue;
      const piece = hs.diff(part, seen);
      // packets of reach(i) that j would decide: piece minus everything before line i
      if (piece === hs.none || c.coveredBy(piece, i)) continue;
      if (lj.ace.action !== line.ace.action) {
        verdict = "needed";
        break;
      }
      decidedBy.push(j);
      seen = hs.or(seen, part);
      if (c.coveredBy(hs.diff(mi, seen), i)) {
        verdict = "redundant";
        break;
      }
    }
    // "open": part of reach(i) is left for the implicit deny — a permit is needed, and a deny
    // relying on the implicit one is kept too (see the file comment).
    // With an approximated line on either side (see shadowed-line), "removing it changes nothing"
    // is not established: keep the line and say nothing.
    if (verdict === "redundant" && (line.ace.match.approximate || decidedBy.some((j) => c.lines[j]!.ace.match.approximate))) verdict = "needed";
    if (verdict === "redundant") {
      kept[i] = 0;
      out.push({ index: i, decidedBy });
    }
  }
  return out.reverse();
}

function describe(ace: Ace): string {
  return `line ${ace.source.line} "${ace.source.text}"`;
}

export const check = defineCheck({
  id: "redundant-line",
  needs: ["sets"],
  optionsSchema: NO_OPTIONS,
  messages: { redundant: "{{line}} is redundant: without it, {{deciders}} would {{verb}} the same packets" },
  run({ device, sets }, _options, report) {
    for (const acl of device.acls.values()) {
      for (const r of redundantLines(sets, acl)) {
        const ace = acl.entries[r.index]!;
        const deciders = r.decidedBy.map((j) => describe(acl.entries[j]!));
        const verb = ace.action === "permit" ? "permit" : "deny";
        report({
          at: ace.source,
          acl: acl.name,
          messageId: "redundant",
          data: { line: describe(ace), deciders: deciders.join(" and "), verb },
          details: { decidedBy: r.decidedBy.map((j) => acl.entries[j]!.source.line) },
          remedy: { describe: "delete this line", edits: [{ kind: "delete", acl: acl.name, ace }], intent: { change: "none" } },
        });
      }
    }
  },
});
