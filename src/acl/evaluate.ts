/**
 * The reference evaluator: first match of one concrete packet against an ACL, by the tests of
 * ./semantics.ts. The packet-set encoder (./sets.ts) builds the same tests as BDDs.
 */
import { inAddrSet } from "../model/addr.js";
import { inAddrSet6 } from "../model/addr6.js";
import { inPorts } from "../model/ports.js";
import type { Ace, AceMatch, Acl, Packet, ServiceTerm, Vendor } from "../model/types.js";
import { planOf, tosBits, type AcePlan, type FieldTest, type FlagTest } from "./semantics.js";

export { termHasL4 } from "./semantics.js";

function flagsHold(f: FlagTest, flags: number): boolean {
  if (f.any) return (flags & f.set) !== 0 || (~flags & f.clear) !== 0;
  return (flags & f.set) === f.set && (flags & f.clear) === 0;
}

function holds(t: FieldTest, p: Packet): boolean {
  switch (t.field) {
    case "family":
      return (p.v6 ? 1 : 0) === t.value;
    case "src6":
      return p.v6 !== undefined && inAddrSet6(t.addrs, p.v6.src);
    case "dst6":
      return p.v6 !== undefined && inAddrSet6(t.addrs, p.v6.dst);
    case "protocol":
      return p.protocol === t.value;
    case "src":
      return inAddrSet(t.addrs, p.src);
    case "dst":
      return inAddrSet(t.addrs, p.dst);
    case "srcPort":
      return inPorts(t.ports, p.srcPort);
    case "dstPort":
      return inPorts(t.ports, p.dstPort);
    case "icmpType":
      return p.icmpType === t.value;
    case "icmpCode":
      return p.icmpCode === t.value;
    case "tcpFlags":
      return flagsHold(t.flags, p.tcpFlags);
    case "fragment":
      return (p.fragment ? 1 : 0) === t.value;
    case "tos": {
      const [low, width] = tosBits(t.tos.kind);
      return ((p.tos >> low) & (2 ** width - 1)) === t.tos.value;
    }
  }
}

/** Does some conjunction of the plan hold for the packet? */
export function planMatches(plan: AcePlan, p: Packet): boolean {
  for (let c = 0; c < plan.length; c++) {
    const tests = plan[c]!.tests;
    let all = true;
    for (let k = 0; k < tests.length; k++)
      if (!holds(tests[k]!, p)) {
        all = false;
        break;
      }
    if (all) return true;
  }
  return false;
}

/** Does a line with this match and action, in a `vendor` ACL, match the packet? */
export function aceMatches(m: AceMatch, p: Packet, action: "permit" | "deny" = "permit", vendor: Vendor = "ios"): boolean {
  return planMatches(planOf(m, action, vendor), p);
}

/** The plans of an ACL's lines (none for inactive lines), cached per ACL: the evaluator's hot loop then skips the per-line plan lookups. */
const aclPlans = new WeakMap<Acl, { entries: readonly Ace[]; length: number; plans: Array<AcePlan | undefined> }>();
export function plansOf(acl: Acl): ReadonlyArray<AcePlan | undefined> {
  const hit = aclPlans.get(acl);
  if (hit !== undefined && hit.entries === acl.entries && hit.length === acl.entries.length) return hit.plans;
  const vendor = acl.vendor ?? "ios";
  const plans = acl.entries.map((e) => (e.inactive ? undefined : planOf(e.match, e.action, vendor)));
  aclPlans.set(acl, { entries: acl.entries, length: acl.entries.length, plans });
  return plans;
}

/** The outcome of an ACL for one packet (or one packet set): the action and the deciding line. */
export interface Verdict {
  readonly action: "permit" | "deny";
  /** The deciding line; undefined = decided after the written lines (the implicit deny, or `implicit`). */
  readonly ace?: Ace;
  /** Index of the deciding line in `acl.entries`, -1 after the written lines. */
  readonly index: number;
  /** A line the platform adds decided it (`Acl.implicitPermits`: `permit icmp any any nd-na`). */
  readonly implicit?: string;
}

export const IMPLICIT_DENY: Verdict = Object.freeze({ action: "deny", index: -1 });

/** The verdict of an implicit line of the ACL (`Acl.implicitPermits`). */
export function implicitVerdict(text: string): Verdict {
  return Object.freeze({ action: "permit", index: -1, implicit: text });
}

/** First match wins; `inactive` lines never match; the platform's implicit lines, then the implicit deny, at the end. */
export function evaluateAcl(acl: Acl, p: Packet): Verdict {
  const es = acl.entries;
  const plans = plansOf(acl);
  for (let i = 0; i < es.length; i++) {
    const plan = plans[i];
    if (plan !== undefined && planMatches(plan, p)) {
      const e = es[i]!;
      return { action: e.action, ace: e, index: i };
    }
  }
  for (const l of acl.implicitPermits ?? []) if (aceMatches(l.match, p, "permit", acl.vendor)) return implicitVerdict(l.text);
  return IMPLICIT_DENY;
}

/** The source line number of a verdict's deciding line; null for the implicit deny. */
export function verdictLine(v: Verdict): number | null {
  return v.ace ? v.ace.source.line : null;
}

/** The service term of a line that matches the packet (the first one), if any. */
export function matchingTerm(ace: Ace, p: Packet, vendor: Vendor = "ios"): ServiceTerm | undefined {
  for (const c of planOf(ace.match, ace.action, vendor)) if (c.tests.every((t) => holds(t, p))) return ace.match.services[c.term];
  return undefined;
}
