/**
 * The details each built-in rule puts on its findings (`Finding.details`; the JSON formats write
 * them after the fixed keys). A library user narrows them with `RuleDetails[ruleId]`.
 */
import type { FindingDetails } from "../core/finding.js";

/**
 * One edit of a proven fix: replace lines `line`..`endLine` (1-based, inclusive; `endLine`
 * defaults to `line`) with `text` (lines joined by "\n"; "" removes them). An edit with
 * `insert: true` puts `text` before `line` instead of replacing it.
 */
export interface FixEdit {
  line: number;
  endLine?: number;
  text: string;
  insert?: boolean;
}

/** A fix a finding offers (the language server turns `edits` into a code action). */
export interface FixDetail {
  /** What the fix does, as a code action's title. */
  title?: string;
  edits: FixEdit[];
}

export interface RuleDetails {
  "pat-drops-ipsec": {
    sessions: Array<{ client: number; flow: string; direction: "outbound" | "return"; translatedPort: string; acl: string; line: number | null }>;
    /** The suggested replacement lines (text), or a proven fix with edits. */
    fix: string[] | FixDetail;
  };
  "ipsec-source-port-pinned": { witnesses: Array<{ packet: string; deniedBy: string; patSide: "source" | "destination" }> };
  "ipsec-nat-t-missing": { witness: string };
  "shadowed-line": { reason: "blocked" | "unmatchable"; blockingLines: number[]; differentAction: boolean };
  "redundant-line": { decidedBy: number[] };
  "no-any-any-permit": { protocols: string[] };
  "undefined-reference": { kind: string; name: string };
  "unused-definition": { kind: string; name: string };
  "unrecognized-syntax": { kind: string };
}

/** The details type of a rule id (any rule's details for ids natlint does not ship). */
export type DetailsOf<R extends string> = R extends keyof RuleDetails ? RuleDetails[R] : FindingDetails;
