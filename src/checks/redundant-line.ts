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
 * For line i the packets it decides are followed into the lines below (`LineRedundancy.walk`): first
 * the later line that would decide line i's witness packet (another action, or none: the line is
 * needed — the common case, one index lookup); then a few more of its packets, each with its
 * decider (one of the other action: needed); otherwise walking the kept lines j > i whose match
 * may overlap it (a region query of src/acl/line-index.ts), the part of reach(i) that j would
 * decide is `match(i) ∩ match(j)` minus what earlier lines (all before i, and the deciders already
 * walked) take. The walk stops at the first line that would decide some of them with the other
 * action, or when the walked lines cover all of reach(i). Nothing here materialises reach(i) or a
 * permit set, whose BDDs can be large (see src/acl/compile.ts).
 */
import type { AclSets } from "../acl/sets.js";
import { LineRedundancy } from "../acl/line-redundancy.js";
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
 * The lines to report, bottom up. The sets are those of `LineAnalysis` (src/acl/line-analysis.ts:
 * a private, bounded manager), not `sets'`; the walks are `LineRedundancy.walk` (src/acl/line-redundancy.ts).
 */
export function redundantLines(sets: AclSets, acl: Acl): RedundantResult[] {
  const a = new LineRedundancy(acl, sets.hs.bdd.maxNodes); // the device's node budget holds here too
  const reach = a.reach();
  const n = acl.entries.length;
  /** The lines of the "alone" reading: all active ones. */
  const active = new Uint8Array(n);
  /** The lines of the "together" reading: active, not shadowed, not found redundant so far. */
  const kept = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    active[i] = acl.entries[i]!.inactive ? 0 : 1;
    kept[i] = active[i] && reach.reachable[i] ? 1 : 0;
  }
  const approx = (j: number): boolean => acl.entries[j]!.match.approximate !== undefined;
  const out: RedundantResult[] = [];
  for (let i = n - 1; i >= 0; i--) {
    if (!kept[i]) continue;
    a.checkpoint();
    /** Earlier lines found covering parts of line i (shared by its two walks). */
    const known: number[] = [];
    // "open": part of reach(i) is left for the implicit deny — a permit is needed, and a deny
    // relying on the implicit one is kept too (see the file comment).
    const together = a.walk(i, kept, known);
    if (together.verdict !== "redundant") continue;
    const alone = a.walk(i, active, known);
    if (alone.verdict !== "redundant") continue;
    // With an approximated line on either side (see shadowed-line), "removing it changes nothing"
    // is not established: keep the line and say nothing.
    if (approx(i) || together.decidedBy.some(approx) || alone.decidedBy.some(approx)) continue;
    kept[i] = 0;
    out.push({ index: i, decidedBy: alone.decidedBy, fragmentsOnly: a.fragmentShares(i, alone.decidedBy) });
  }
  a.release();
  return out.reverse();
}

function describe(ace: Ace): string {
  return `line ${ace.source.line} "${ace.source.text}"`;
}

export const check = defineCheck({
  id: "redundant-line",
  needs: ["sets"],
  ownSets: true,
  optionsSchema: NO_OPTIONS,
  messages: { redundant: "{{line}} is redundant: without it, {{deciders}} would {{verb}} the same packets" },
  run({ device, sets, perAcl }, _options, report) {
    for (const acl of device.acls.values()) {
      // a function of the ACL's lines (and the node budget): the same for an unchanged copy
      for (const r of perAcl(acl, `redundant-line ${sets.hs.bdd.maxNodes}`, () => redundantLines(sets, acl))) {
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
