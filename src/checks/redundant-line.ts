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
 * A line is reported only when removing it changes nothing in two readings, so that no pair of
 * findings (its own or shadowed-line's) contradicts another:
 *  - alone: every other line stays, shadowed and redundant ones included. Removing the line that
 *    shadows another can let that one decide packets: `deny tcp any any eq 22` above a shadowed
 *    `permit tcp 198.51.100.0 0.0.0.255 any eq 22` is not redundant even when a final
 *    `deny ip any any` denies the same packets.
 *  - together: the shadowed lines and the redundant lines found below it are gone too (judged from
 *    the bottom up). So everything shadowed-line and redundant-line report can be removed at once
 *    without changing the ACL's behaviour: of two duplicates, the second is shadowed and the first
 *    is not redundant (it is what decides), and of two lines that each make the other redundant
 *    only the lower one is reported.
 * The lines named as deciding its packets are those of the first reading: what happens when this
 * line alone is deleted.
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
  /** Those of `decidedBy` that would decide only non-initial fragments of its packets. */
  fragmentsOnly: number[];
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
  /** The lines of the "alone" reading: all active ones. */
  const active = new Uint8Array(n);
  /** The lines of the "together" reading: active, not shadowed, not found redundant so far. */
  const kept = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    active[i] = c.lines[i]!.ace.inactive ? 0 : 1;
    kept[i] = active[i] && !c.unreachable(i) ? 1 : 0;
  }
  const approx = (j: number): boolean => c.lines[j]!.ace.match.approximate !== undefined;

  /**
   * Follow the packets line i decides into the later lines of a reading (`in`): "redundant" with
   * the lines that would decide them, "needed" at the first one that would decide some with the
   * other action, "open" when some are left for the implicit deny.
   */
  const notFragment = hs.eq("fragment", 0);
  const walk = (i: number, inReading: Uint8Array): { verdict: "redundant" | "needed" | "open"; decidedBy: number[]; fragmentsOnly: number[] } => {
    const line = c.lines[i]!;
    const mi = line.match;
    /** Part of match(i) already taken by the walked lines. */
    let seen: PSet = hs.none;
    const decidedBy: number[] = [];
    const fragmentsOnly: number[] = [];
    const lists = index.candidates(i);
    const merge = lists ? new Merge(lists, i) : undefined;
    for (let j = merge ? merge.next() : i + 1; j >= 0 && j < n; j = merge ? merge.next() : j + 1) {
      if (!inReading[j] || !hullsMayIntersect(hulls[i]!, hulls[j]!)) continue;
      const lj = c.lines[j]!;
      const part = hs.and(mi, lj.match);
      if (part === hs.none) continue;
      const piece = hs.diff(part, seen);
      // packets of reach(i) that j would decide: piece minus everything before line i
      if (piece === hs.none || c.coveredBy(piece, i)) continue;
      if (lj.ace.action !== line.ace.action) return { verdict: "needed", decidedBy, fragmentsOnly };
      decidedBy.push(j);
      if (hs.and(piece, notFragment) === hs.none) fragmentsOnly.push(j);
      seen = hs.or(seen, part);
      if (c.coveredBy(hs.diff(mi, seen), i)) return { verdict: "redundant", decidedBy, fragmentsOnly };
    }
    return { verdict: "open", decidedBy, fragmentsOnly };
  };

  const out: RedundantResult[] = [];
  for (let i = n - 1; i >= 0; i--) {
    if (!kept[i]) continue;
    // "open": part of reach(i) is left for the implicit deny — a permit is needed, and a deny
    // relying on the implicit one is kept too (see the file comment).
    const together = walk(i, kept);
    if (together.verdict !== "redundant") continue;
    const alone = walk(i, active);
    if (alone.verdict !== "redundant") continue;
    // With an approximated line on either side (see shadowed-line), "removing it changes nothing"
    // is not established: keep the line and say nothing.
    if (approx(i) || together.decidedBy.some(approx) || alone.decidedBy.some(approx)) continue;
    kept[i] = 0;
    out.push({ index: i, decidedBy: alone.decidedBy, fragmentsOnly: alone.fragmentsOnly });
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
        // IOS: a permit with ports also permits non-initial fragments (Cisco document 8014), so a
        // line for other ports can take over just those
        const named = r.decidedBy.map((j) => describe(acl.entries[j]!) + (r.fragmentsOnly.includes(j) ? " (its non-initial fragments)" : ""));
        // many deciders (a run of per-protocol denies above a final deny): the first two in full
        const deciders = named.length <= 3 ? named : [...named.slice(0, 2), `lines ${r.decidedBy.slice(2).map((j) => acl.entries[j]!.source.line).join(", ")}`];
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
