/**
 * The redundancy questions of an ACL's lines (the redundant-line check): would the later lines of a
 * reading decide every packet line i decides, with its action? On the sets and the index of
 * `LineAnalysis` (./line-analysis.ts), which also has the file's account of the method.
 */
import type { PSet } from "../headerspace/index.js";
import { LineAnalysis } from "./line-analysis.js";

/**
 * `LineRedundancy.probe`: at most `steps` packets of a line are taken before its walk over the
 * later lines; in the walk, at most `shownBatch` deciders shown by a packet wait to be taken off
 * the rest. Same answers with any values (tests set 0, 1 and unbounded steps, batches of 1 and 2).
 */
export const PROBE = { steps: 64, shownBatch: 64 };

export class LineRedundancy extends LineAnalysis {
  /** `fragmentShares`: the deciders before the one asked about (cleared after each use). */
  private deciderMask: Uint8Array | undefined;
  /**
   * Packets before the walk: the packets of reach(i) taken one at a time, as the reachability pass
   * does. A packet no earlier line matches whose decider in the reading (the first later line
   * matching it) has the other action, or is none, shows line i is not redundant; the walk would
   * say so too, at a line it reaches only after every overlapping line before it — the final
   * `deny ip any any` of a long ACL. Otherwise the line that took the packet (an earlier one, or
   * the later decider `d` of the same action) leaves the remaining space. True: not redundant;
   * false: the packets ran out (every one decided with the same action) or `PROBE.steps` did.
   */
  private probe(i: number, reading: Uint8Array, known: number[], d: number): boolean {
    const hs = this.space();
    const n = this.acl.entries.length;
    const action = this.acl.entries[i]!.action;
    const ix = this.index;
    let rem = hs.diff(this.match(i), this.match(d));
    for (let step = 0; rem !== 0 && step < PROBE.steps; step++) {
      const p = this.pointIn(rem);
      let j = ix.first(p, 0, i);
      if (j >= 0) known.push(j);
      else {
        j = ix.first(p, i + 1, n, reading);
        if (j < 0 || this.acl.entries[j]!.action !== action) return true;
      }
      rem = hs.diff(rem, this.match(j));
    }
    return false;
  }

  /**
   * Follow the packets line i decides into the later lines of a reading (`reading[j]` 1 = line j
   * is there): "redundant" with the lines that would decide them, "needed" at the first one that
   * would decide some with the other action, "open" when some are left for the implicit deny.
   */
  walk(i: number, reading: Uint8Array, known: number[]): { verdict: "redundant" | "needed" | "open"; decidedBy: number[] } {
    const entries = this.acl.entries;
    const action = entries[i]!.action;
    const decidedBy: number[] = [];
    // The witness first: a packet line i decides, and the later line that would decide it.
    const ix = this.index;
    const w = this.reach().witness[i]!;
    const d = ix.first(w, i + 1, entries.length, reading);
    if (d < 0) return { verdict: "open", decidedBy };
    if (entries[d]!.action !== action) return { verdict: "needed", decidedBy };
    // Then a packet line i shares with each later line of the other action (`meetPoint`): one no
    // line before i matches, whose decider without line i has the other action, shows line i is
    // needed — the walk below would stop there too (at that line or before) — without a set.
    let other = false;
    ix.eachOverlapping(i, i + 1, entries.length, (j) => {
      if (reading[j] === 0 || entries[j]!.action === action) return false;
      const q = ix.meetPoint(i, j);
      if (q === undefined || ix.first(q, 0, i) >= 0) return false;
      const dq = ix.first(q, i + 1, entries.length, reading);
      return (other = dq >= 0 && entries[dq]!.action !== action);
    });
    if (other) return { verdict: "needed", decidedBy };
    // sets from here on only (a walk settled by packets above builds no manager)
    if (this.probe(i, reading, known, d)) return { verdict: "needed", decidedBy };
    const hs = this.space();
    const mi = this.match(i);
    /** match(i) minus the deciders found and the matches of known[0 .. applied): what is left to cover. */
    let rest: PSet = mi;
    let applied = 0;
    let verdict: "redundant" | "needed" | "open" = "open";
    // Deciders of line i's action shown by a packet (`meetPoint`: one no line before i matches,
    // and no line of the reading between i and j) are taken off the rest later, in one union: a
    // wide line under hundreds of narrow ones would otherwise cost a diff of its large rest per
    // decider. A shown packet is in the rest, so a walk of sets would not have stopped before j
    // either; the rest is settled before every set test and at the end. A line of the other action
    // is not asked: the pass above asked its meet point, and one shown would have made line i
    // needed there.
    let pending: PSet[] = [];
    const settle = (): void => {
      if (pending.length === 0) return;
      rest = this.uncovered(hs.diff(rest, hs.union(pending)), i, known, applied);
      applied = known.length;
      pending = [];
    };
    ix.eachOverlapping(i, i + 1, entries.length, (j) => {
      if (reading[j] === 0) return false;
      const q = entries[j]!.action === action ? ix.meetPoint(i, j) : undefined;
      const shown = q !== undefined && ix.first(q, 0, i) < 0 && ix.first(q, i + 1, j, reading) < 0;
      if (shown) {
        decidedBy.push(j);
        pending.push(this.match(j));
        if (pending.length < PROBE.shownBatch) return false;
      }
      settle();
      if (rest === 0) {
        verdict = "redundant";
        return true;
      }
      if (shown) return false;
      const mj = this.match(j);
      // packets of reach(i) that j would decide: its part of the rest minus everything before line i
      // (the known lines applied to `rest` are not asked again)
      const piece = mj === 0 ? 0 : hs.and(rest, mj);
      if (piece === 0 || this.uncovered(piece, i, known, applied, j) === 0) return false;
      if (entries[j]!.action !== action) {
        verdict = "needed";
        return true;
      }
      decidedBy.push(j);
      // the rest of reach(i) covered by earlier lines? (the known lines applied once each)
      rest = this.uncovered(hs.diff(rest, mj), i, known, applied);
      applied = known.length;
      if (rest !== 0) return false;
      verdict = "redundant";
      return true;
    });
    if (verdict === "open") {
      settle();
      if (rest === 0) verdict = "redundant";
    }
    return { verdict, decidedBy };
  }

  /**
   * Those of the deciders of line i (a redundant walk's `decidedBy`, in order) whose share is only
   * non-initial fragments: their part of match(i) that no decider before them takes (packets
   * earlier lines take included: a share holding a first fragment is not "only fragments").
   */
  fragmentShares(i: number, decidedBy: readonly number[]): number[] {
    const hs = this.space();
    const ix = this.index;
    const mi = this.match(i);
    const out: number[] = [];
    const before = (this.deciderMask ??= new Uint8Array(this.acl.entries.length));
    /** The parts of decidedBy[0 .. upTo) taken into `seen`. */
    let seen: PSet = 0;
    let upTo = 0;
    for (let k = 0; k < decidedBy.length; k++) {
      const j = decidedBy[k]!;
      // a whole packet both lines match that no decider before j matches: j's share holds it
      const q = ix.meetPoint(i, j, true);
      if (q === undefined || q.fragment || ix.first(q, i + 1, j, before) >= 0) {
        for (; upTo < k; upTo++) seen = hs.or(seen, hs.and(mi, this.match(decidedBy[upTo]!)));
        if (hs.and(hs.diff(hs.and(mi, this.match(j)), seen), this.notFragment) === 0) out.push(j);
      }
      before[j] = 1;
    }
    for (const j of decidedBy) before[j] = 0;
    return out;
  }
}
