/** Output of `natlint diff`, `natlint search` and `natlint flow`: text and the JSON contracts. */
import type { DeviceDiff } from "../analysis/diff.js";
import type { SearchHit } from "../analysis/search.js";
import { verdictLine, type Verdict } from "../acl/evaluate.js";
import { formatPacket, packetJson } from "../model/packet.js";
import { table } from "./table.js";

function decisionText(d: Verdict): string {
  const line = verdictLine(d);
  return `${d.action} (${line === null ? (d.implicit ? `implicit ${d.implicit}` : "implicit deny") : `line ${line}`})`;
}

/** `diff --format json`: `{old, new, intent?, acls: [{acl, status, changes: [{witness, old, new, inIntent?, packets}]}]}`. */
export function formatDiffJson(d: DeviceDiff, intent?: string): string {
  const decision = (v: Verdict) => ({ action: v.action, line: verdictLine(v), ...(v.implicit ? { implicit: v.implicit } : {}) });
  const json = {
    old: d.old,
    new: d.new,
    ...(intent !== undefined ? { intent } : {}),
    acls: d.acls.map((a) => ({
      acl: a.acl,
      status: a.status,
      changes: a.changes.map((c) => ({
        witness: packetJson(c.witness),
        old: decision(c.old),
        new: decision(c.new),
        ...(c.inIntent !== undefined ? { inIntent: c.inIntent } : {}),
        packets: c.count.toString(),
      })),
    })),
  };
  return JSON.stringify(json, null, 2) + "\n";
}

export function formatDiffText(d: DeviceDiff, withIntent: boolean): string {
  const lines: string[] = [];
  for (const a of d.acls) {
    lines.push(`ACL ${a.acl}: ${a.status}${a.changes.length ? `, ${a.changes.length} changed packet set${a.changes.length === 1 ? "" : "s"}` : ""}`);
    if (a.changes.length) {
      const rows = a.changes.map((c) => [formatPacket(c.witness), decisionText(c.old), decisionText(c.new), ...(withIntent ? [c.inIntent ? "inside" : "OUTSIDE"] : [])]);
      lines.push(table(["witness", "old", "new", ...(withIntent ? ["intent"] : [])], rows).replace(/^/gm, "  "));
    }
  }
  if (d.acls.length === 0) lines.push("no ACLs in either file");
  lines.push("", d.outsideIntent ? (withIntent ? "changes outside the intent" : "the ACLs changed") : withIntent ? "all changes are inside the intent" : "no change");
  return lines.join("\n") + "\n";
}

export interface SearchReport {
  acl: string;
  action: "permit" | "deny";
  space: string;
  hit: SearchHit | undefined;
}

/** `search --format json`: `{acl, action, space, found, witness, line, source?}`. */
export function formatSearchJson(r: SearchReport): string {
  const src = r.hit?.verdict.ace?.source.text;
  const implicit = r.hit?.verdict.implicit;
  const json = { acl: r.acl, action: r.action, space: r.space, found: !!r.hit, witness: r.hit ? packetJson(r.hit.witness) : null, line: r.hit ? verdictLine(r.hit.verdict) : null, ...(src ? { source: src } : {}), ...(implicit ? { implicit } : {}) };
  return JSON.stringify(json, null, 2) + "\n";
}

export function formatSearchText(r: SearchReport): string {
  if (!r.hit) return `none: no packet in "${r.space}" is ${r.action === "permit" ? "permitted" : "denied"} by ${r.acl}\n`;
  const ace = r.hit.verdict.ace;
  return `${r.action}: ${formatPacket(r.hit.witness)} (${r.acl} ${ace ? `line ${ace.source.line}: ${ace.source.text}` : r.hit.verdict.implicit ? `implicit ${r.hit.verdict.implicit}` : "implicit deny"})\n`;
}

/** One flow's outcome: the action and the deciding line (null: decided after the written lines) with its text. */
export interface FlowOutcome {
  action: "permit" | "deny";
  line: number | null;
  source?: string;
  /** A line the platform adds decided it (IOS IPv6: `permit icmp any any nd-na`). */
  implicit?: string;
}

export interface FlowReport {
  acl: string;
  /** The flows as written, in input order. */
  flows: readonly string[];
  results: readonly FlowOutcome[];
  /** Several flows (`--flows FILE`): the batch JSON shape. */
  batch: boolean;
}

export function outcomeJson(r: FlowOutcome): FlowOutcome {
  return { action: r.action, line: r.line, ...(r.source !== undefined ? { source: r.source } : {}), ...(r.implicit !== undefined ? { implicit: r.implicit } : {}) };
}

/** `flow --format json`: `{acl, action, line, source?}`, batch `{acl, results: [{flow, action, line, source?}]}`. */
export function formatFlowJson(r: FlowReport): string {
  const json = r.batch ? { acl: r.acl, results: r.results.map((x, i) => ({ flow: r.flows[i]!, ...outcomeJson(x) })) } : { acl: r.acl, ...outcomeJson(r.results[0]!) };
  return JSON.stringify(json, null, 2) + "\n";
}

/** `permit (ACL line 10: permit udp any any eq 500)` and a newline: one flow's text after the flow. */
export function outcomeText(acl: string, x: FlowOutcome): string {
  const by = x.line === null ? (x.implicit ? `implicit ${x.implicit}` : "implicit deny") : `line ${x.line}: ${x.source}`;
  return `${x.action} (${acl} ${by})\n`;
}

export function formatFlowText(r: FlowReport): string {
  return r.results.map((x, i) => `${r.batch ? `${r.flows[i]}  ` : ""}${outcomeText(r.acl, x)}`).join("");
}
