/**
 * shadowed-line: an active ACL line that no packet can ever reach (first match wins).
 *
 * - `unmatchable`: the line's match is empty by itself (e.g. an empty object-group, `lt 0`,
 *   `fragments` with a layer-4 test on a protocol without ports… anything `aceMatches` never accepts).
 * - `blocked`: earlier lines match everything it matches. Blockers are named like this: the earliest
 *   earlier line whose match covers this line's match, when that line really decides some of these
 *   packets; otherwise a greedy cover among the earlier lines that decide some of them (the one
 *   covering most of what is still uncovered first, ties to the earlier line) until nothing is left.
 *   Only lines that actually decide part of the blocked line's packets are candidates, so a line
 *   that is itself shadowed is never named.
 */
import type { PSet } from "../headerspace/index.js";
import type { AclSets } from "../acl/sets.js";
import { LineAnalysis } from "../acl/line-analysis.js";
import type { Ace, Acl } from "../model/types.js";
import { defineCheck, NO_OPTIONS } from "./define.js";

export interface ShadowResult {
  /** Index in `acl.entries`. */
  index: number;
  reason: "unmatchable" | "blocked";
  /** Indices (in `acl.entries`) of the blocking lines, in ACL order. */
  blockers: number[];
  differentAction: boolean;
}

/**
 * Every active line of the ACL that can never match, with its blockers. The sets are those of
 * `LineAnalysis` (src/acl/line-analysis.ts: a private, bounded manager), not `sets`'.
 */
export function shadowedLines(sets: AclSets, acl: Acl): ShadowResult[] {
  const a = new LineAnalysis(acl, sets.hs.bdd.maxNodes); // the device's node budget holds here too
  const reach = a.reach();
  const out: ShadowResult[] = [];
  for (let i = 0; i < acl.entries.length; i++) {
    const ace = acl.entries[i]!;
    if (ace.inactive || reach.reachable[i]) continue;
    if (reach.empty[i]) {
      // A match that is empty only because part of it is not modelled (IPv6, fqdn: reported by
      // unrecognized-syntax) is unknown, not impossible: claiming "can never match" would be false.
      if (!ace.match.approximate) out.push({ index: i, reason: "unmatchable", blockers: [], differentAction: false });
      continue;
    }
    a.checkpoint();
    const blockers = findBlockers(a, i);
    // Soundness with lines that are only approximated (a ttl/option test analysed as always true,
    // IPv6/fqdn parts left out; each reported by unrecognized-syntax): the claim holds when the
    // named blockers, which together cover the line, are all exact and the line itself is exact.
    if (ace.match.approximate || blockers.some((b) => acl.entries[b]!.match.approximate)) continue;
    out.push({
      index: i,
      reason: "blocked",
      blockers,
      differentAction: blockers.some((b) => acl.entries[b]!.action !== ace.action),
    });
  }
  a.release();
  return out;
}

function findBlockers(a: LineAnalysis, index: number): number[] {
  const hs = a.space();
  const target = a.match(index);
  // The common case first (a duplicate, a host under an earlier subnet): the earliest line
  // covering the whole match is the only blocker when it decides some of it, i.e. when the
  // lines before it do not cover the match (then it is the last decider below). Subset tests
  // build no nodes; the cover test is driven by packets. A line covering the match matches
  // every sample point of it (LineIndex.points): the candidates are the lines matching the
  // first point, in order (point queries of the index), tested on the other points before any
  // set of theirs is built.
  const ix = a.index;
  // the earlier lines that may overlap the target (a region query), asked once for both uses below
  let near: number[] | undefined;
  const overlapping = (): number[] => (near ??= ix.overlapping(index, 0, index));
  const pts = ix.points(index);
  if (pts.length > 0) {
    for (let from = 0; ; ) {
      const j = ix.first(pts[0]!, from, index);
      if (j < 0) break;
      from = j + 1;
      if (!pts.every((p) => ix.matches(j, p)) || !hs.subset(target, a.match(j))) continue;
      if (!a.coveredBefore(target, j, [])) return [j];
      break;
    }
  } else {
    for (const j of overlapping()) {
      if (!hs.subset(target, a.match(j))) continue;
      if (!a.coveredBefore(target, j, [])) return [j];
      break;
    }
  }
  // No single line covers the match and decides some of it: the earliest covering line would
  // have been found above. Greedy cover by the earlier lines that decide some of the target's
  // packets (their union covers the match: the reach sets of the lines before `index` partition
  // everything those lines match), the one covering most of what is still uncovered first, ties
  // to the earlier line. Lazy greedy over every earlier line that may overlap the target (a
  // region query of the index): a line's overlap with the uncovered part only shrinks, so a stale
  // count is an upper bound and only the top entry needs refreshing; the first bounds are those of
  // the lines' boxes (LineIndex.meetCount: no set built; exact for most lines). The entry on top is
  // taken once its count is exact and it decides some of the target (a packet of both that no
  // line before it matches: their meet point, else `coveredBefore`); one that decides nothing is
  // dropped. So the choice is the one exact counts over the deciding lines make, and the deciders
  // the cover does not need are never asked about (a wide line under thousands of narrow lines,
  // blocked by two wide ones).
  const decides = (j: number): boolean => {
    const q = ix.meetPoint(index, j);
    if (q !== undefined && ix.first(q, 0, j) < 0) return true;
    return !a.coveredBefore(hs.and(target, a.match(j)), j, []);
  };
  let remaining: PSet = target;
  const chosen: number[] = [];
  const queue = overlapping().map((j) => ({ j, n: ix.meetCount(index, j) }));
  const order = (x: { j: number; n: bigint }, y: { j: number; n: bigint }): number => (x.n === y.n ? x.j - y.j : x.n > y.n ? -1 : 1);
  queue.sort(order);
  while (remaining !== hs.none && queue.length > 0) {
    const top = queue[0]!;
    const fresh = a.count(hs.and(remaining, a.match(top.j)));
    if (fresh !== top.n) {
      // smaller now: back into its place in the sorted queue
      top.n = fresh;
      let lo = 1;
      let hi = queue.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (order(queue[mid]!, top) < 0) lo = mid + 1;
        else hi = mid;
      }
      queue.copyWithin(0, 1, lo);
      queue[lo - 1] = top;
      continue;
    }
    queue.shift();
    if (fresh === 0n) break;
    if (!decides(top.j)) continue;
    chosen.push(top.j);
    remaining = hs.diff(remaining, a.match(top.j));
  }
  if (remaining !== hs.none) throw new Error(`line analysis: line ${index} of ${a.acl.name} is not blocked by earlier lines`);
  return chosen.sort((x, y) => x - y);
}

function describe(ace: Ace): string {
  return `line ${ace.source.line} "${ace.source.text}"`;
}

export const check = defineCheck({
  id: "shadowed-line",
  needs: ["sets"],
  ownSets: true,
  optionsSchema: NO_OPTIONS,
  messages: { shadowed: "{{line}} can never match: {{why}}" },
  run({ device, sets, perAcl }, _options, report) {
    for (const acl of device.acls.values()) {
      // a function of the ACL's lines (and the node budget): the same for an unchanged copy
      for (const s of perAcl(acl, `shadowed-line ${sets.hs.bdd.maxNodes}`, () => shadowedLines(sets, acl))) {
        const ace = acl.entries[s.index]!;
        const blockingLines = s.blockers.map((b) => acl.entries[b]!.source.line);
        let why: string;
        if (s.reason === "unmatchable") {
          why = "its match is empty on its own (e.g. an empty object-group or an impossible port/flag test)";
        } else {
          const names = s.blockers.map((b) => {
            const e = acl.entries[b]!;
            return `${describe(e)}${e.action !== ace.action ? " (opposite action)" : ""}`;
          });
          why = s.blockers.length === 1 ? `blocked by ${names[0]}` : `blocked by lines together: ${names.join(", ")}`;
        }
        report({
          at: ace.source,
          acl: acl.name,
          messageId: "shadowed",
          data: { line: describe(ace), why },
          details: { reason: s.reason, blockingLines, differentAction: s.differentAction },
          // Deleting a line no packet reaches changes nothing; it is the fix only when the lines that
          // block it take its packets with the same action (else the line may be meant to come first).
          ...(s.reason === "blocked" && !s.differentAction
            ? { remedy: { describe: "delete this line (the lines before it decide its packets the same way)", edits: [{ kind: "delete" as const, acl: acl.name, ace }], intent: { change: "none" as const } } }
            : {}),
        });
      }
    }
  },
});
