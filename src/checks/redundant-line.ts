/**
 * redundant-line: a line that decides some packets (it is not shadowed — see shadowed-line), but
 * whose removal changes no packet's action: every packet it decides gets the same action from the
 * lines after it, or from the implicit deny (spec §7.1: first match wins, implicit deny at the end).
 *
 * Lines are judged from the bottom up, and a line found redundant (or shadowed, or inactive) is
 * taken out before judging the lines above it. So the reported lines can all be removed together
 * without changing the ACL's behaviour — two lines that each make the other redundant are not
 * both reported (the lower one is kept).
 */
import { hullsMayIntersect, matchHull } from "../acl/compile.js";
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

export function redundantLines(hs: HeaderSpace, acl: Acl): RedundantResult[] {
  const c = hs.compile(acl);
  const hulls = c.lines.map((l) => matchHull(l.ace.match));
  /** Permit set of the ACL made of the kept lines below the current one (+ implicit deny). */
  let permitBelow: PSet = hs.none;
  /** Kept lines below the current one, bottom first. */
  const kept: number[] = [];
  const out: RedundantResult[] = [];
  for (let i = c.lines.length - 1; i >= 0; i--) {
    const l = c.lines[i]!;
    if (l.ace.inactive || l.reach === hs.none) continue;
    const same = l.ace.action === "permit" ? hs.subset(l.reach, permitBelow) : hs.disjoint(l.reach, permitBelow);
    if (same) {
      let rem = l.reach;
      const decidedBy: number[] = [];
      for (let k = kept.length - 1; k >= 0 && rem !== hs.none; k--) {
        const j = kept[k]!;
        const m = c.lines[j]!.match;
        if (!hullsMayIntersect(hulls[i]!, hulls[j]!) || hs.disjoint(rem, m)) continue;
        decidedBy.push(j);
        rem = hs.diff(rem, m);
      }
      out.push({ index: i, decidedBy, implicitDeny: rem !== hs.none });
      continue;
    }
    permitBelow = l.ace.action === "permit" ? hs.or(permitBelow, l.match) : hs.diff(permitBelow, l.match);
    kept.push(i);
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
