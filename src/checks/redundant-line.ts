/**
 * redundant-line: a line that decides some packets (it is not shadowed — see shadowed-line), but
 * whose removal changes no packet's action: every packet it decides gets the same action from the
 * lines after it (spec §7.1: first match wins, implicit deny at the end). A deny that is redundant
 * only because of the implicit deny is not reported (see below).
 *
 * Lines are judged from the bottom up against the lines below them that are kept: a line found
 * redundant, shadowed or inactive is taken out before judging the lines above it. Shadowed lines
 * never decide anything, so taking them out changes nothing; and each redundant line is judged
 * with the lower redundant lines already gone. So all reported lines can be removed together
 * without changing the ACL's behaviour (two lines that each make the other redundant are not
 * both reported; the lower one is kept).
 *
 * For line i the packets it decides are followed into the lines below: walking the kept lines
 * j > i whose match overlaps it (prefiltered by address hulls and a destination /16 index), the
 * part of reach(i) that j would decide is `match(i) ∩ match(j)` minus what earlier lines (all
 * before i, and the overlaps already walked) take. The walk stops at the first line that would
 * decide some of them with the other action (not redundant — the common case, found quickly), or
 * when the walked lines cover all of reach(i). Nothing here materialises reach(i) or a permit set,
 * whose BDDs can be large (see src/acl/compile.ts).
 */
import { hullsMayIntersect, matchHull, type MatchHull } from "../acl/compile.js";
import type { HeaderSpace, PSet } from "../headerspace/index.js";
import type { Ace, Acl } from "../model/types.js";
import type { Check, RawFinding } from "./types.js";

export interface RedundantResult {
  /** Index in `acl.entries`. */
  index: number;
  /** Indices of the lines that would decide its packets instead, in ACL order. */
  decidedBy: number[];
  /** Part of its packets would fall through to the implicit deny. */
  implicitDeny: boolean;
}

/** Lines whose destination hull fixes the top 16 bits, bucketed by them; the others are "wide". */
class DstIndex {
  private readonly buckets = new Map<number, number[]>();
  private readonly wide: number[] = [];
  constructor(private readonly hulls: readonly MatchHull[]) {
    hulls.forEach((h, i) => {
      if (h.empty) return;
      if (h.dstMask >>> 16 === 0xffff) {
        const k = h.dstVal >>> 16;
        const b = this.buckets.get(k);
        if (b) b.push(i);
        else this.buckets.set(k, [i]);
      } else this.wide.push(i);
    });
  }
  /** Indices > i of lines that may overlap line i, ascending. */
  *after(i: number): Generator<number> {
    const h = this.hulls[i]!;
    const all = h.dstMask >>> 16 !== 0xffff;
    if (all) {
      for (let j = i + 1; j < this.hulls.length; j++) yield j;
      return;
    }
    const a = this.buckets.get(h.dstVal >>> 16) ?? [];
    const b = this.wide;
    let x = upper(a, i);
    let y = upper(b, i);
    while (x < a.length || y < b.length) {
      if (y >= b.length || (x < a.length && a[x]! < b[y]!)) yield a[x++]!;
      else yield b[y++]!;
    }
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

export function redundantLines(hs: HeaderSpace, acl: Acl): RedundantResult[] {
  const c = hs.compile(acl);
  const n = c.lines.length;
  const hulls = c.lines.map((l) => matchHull(l.ace.match));
  const index = new DstIndex(hulls);
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
    for (const j of index.after(i)) {
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
    // Walk ended with part of reach(i) left over: the implicit deny decides it.
    const implicitDeny = verdict === "open";
    // A deny whose packets would otherwise fall through to the implicit deny is kept: an explicit
    // `deny ip any any log` (or any deny relying on the implicit one) documents intent and logs;
    // reporting it would be a false alarm on nearly every ACL. Denies made redundant by later
    // explicit denies are still reported.
    if (verdict === "open") verdict = "needed";
    if (verdict === "redundant") {
      kept[i] = 0;
      out.push({ index: i, decidedBy, implicitDeny });
    }
  }
  return out.reverse();
}

function describe(ace: Ace): string {
  return `line ${ace.source.line} "${ace.source.text}"`;
}

export const check: Check<Record<string, never>> = {
  id: "redundant-line",
  optionsSchema: { type: "object", additionalProperties: false, properties: {} },
  run({ device, hs }) {
    const out: RawFinding[] = [];
    for (const acl of device.acls.values()) {
      for (const r of redundantLines(hs, acl)) {
        const ace = acl.entries[r.index]!;
        const deciders = r.decidedBy.map((j) => describe(acl.entries[j]!));
        if (r.implicitDeny) deciders.push("the implicit deny");
        const verb = ace.action === "permit" ? "permit" : "deny";
        out.push({
          at: ace.source,
          acl: acl.name,
          message: `${describe(ace)} is redundant: without it, ${deciders.join(" and ")} would ${verb} the same packets`,
          data: { decidedBy: r.decidedBy.map((j) => acl.entries[j]!.source.line), implicitDeny: r.implicitDeny },
        });
      }
    }
    return out;
  },
};
