/**
 * The details each built-in rule puts on its findings (`Finding.details`; the JSON formats write
 * them after the fixed keys). A library user narrows them with `RuleDetails[ruleId]`.
 */
import type { FindingDetails } from "../core/finding.js";
import type { Fix } from "../model/edits.js";

/** A rule that can repair its finding carries either a proven fix or why none is offered. */
interface Fixable {
  fix?: Fix;
  noFix?: string;
}

export interface RuleDetails {
  "pat-drops-ipsec": {
    sessions: Array<{ client: number; peer: string; flow: string; direction: "outbound" | "return"; translatedPort: string; acl: string; line: number | null }>;
  } & Fixable;
  "ipsec-source-port-pinned": { witnesses: Array<{ packet: string; deniedBy: string; patSide: "source" | "destination" }> } & Fixable;
  "ipsec-nat-t-missing": { witness: string } & Fixable;
  "shadowed-line": { reason: "blocked" | "unmatchable"; blockingLines: number[]; differentAction: boolean } & Fixable;
  "redundant-line": { decidedBy: number[] } & Fixable;
  "no-any-any-permit": { protocols: string[] };
  "undefined-reference": { kind: string; name: string };
  "unused-definition": { kind: string; name: string };
  "unrecognized-syntax": { kind: string };
}

/** The details type of a rule id (any rule's details for ids natlint does not ship). */
export type DetailsOf<R extends string> = R extends keyof RuleDetails ? RuleDetails[R] : FindingDetails;
