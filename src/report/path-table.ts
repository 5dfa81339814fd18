/** The terminal table of `natlint explain --path` and of the head-end's view (`--remote-nat`): one column per hop. */
import type { Endpoint, PathExplainResult, PathHopJson, PathSessionJson } from "../analysis/path-explain.js";
import { styler } from "./style.js";
import { table } from "./table.js";

/** `192.0.2.2:1024`, `192.0.2.2:{1024-65535}`. */
export function endpointText(e: Endpoint): string {
  if (e.port !== undefined) return `${e.ip}:${e.port}`;
  return `${e.ip}:{${(e.ports ?? []).map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`)).join(",")}}`;
}

/** `IF in ACL line N permit (3/511 ports)`. */
export function checkpointText(k: PathHopJson["checkpoints"][number]): string {
  const where = k.defined ? (k.line === null ? "implicit deny" : `line ${k.line}`) : "(undefined ACL)";
  return `${k.interface} ${k.direction} ${k.acl} ${where} ${k.action}${k.portsTotal !== undefined && k.portsDenied ? ` (${k.portsDenied}/${k.portsTotal} ports)` : ""}`;
}

/** What one hop did to the session, in a few words. */
export function hopCell(h: PathHopJson): string {
  const parts: string[] = [];
  if (h.translated) parts.push(`${h.translated.field === "source" ? "src" : "dst"} → ${endpointText(h.translated.to)}${h.translated.rule ? ` (NAT line ${h.translated.rule.line})` : h.translated.profile ? ` (${h.translated.profile})` : ""}`);
  for (const k of h.checkpoints) parts.push(checkpointText(k));
  if (h.detail) parts.push(h.detail);
  if (h.toDevice && !h.checkpoints.length) parts.push("for the device: not filtered");
  if (!parts.length) parts.push(h.notes?.some((n) => n.startsWith("stateful")) ? "stateful: not checked" : "no ACL");
  return `${h.reached ? "" : "(not reached) "}${parts.join("; ")}`;
}

/** Where a session is dropped, for the lines under the table. */
export function dropText(s: PathSessionJson): string {
  const d = s.droppedAt!;
  const where = d.file ? ` on ${d.device} (${d.file})` : d.device ? ` on ${d.device}` : "";
  // a detail that does not name the ACL (a drop for some of the ports a random NAT may pick) gets its line
  const line = d.acl && !(d.detail ?? "").includes(d.acl) ? ` (${d.acl} ${d.line === null ? "implicit deny" : `line ${d.line}`})` : "";
  return `client ${s.client} ${s.flow}${s.remoteNat ? ` behind ${s.remoteNat}` : ""} ${s.direction}: ${d.detail ?? "dropped"}${line}${where}${d.source ? ` — "${d.source}"` : ""}`;
}

export function formatPathTable(r: PathExplainResult, colour: boolean): string {
  const c = styler(colour);
  const lines = [`${r.remoteNat ? "head-end" : "path"} ${r.path}: clients ${r.clients.join(", ")} → peer ${r.peer}`];
  lines.push(`hops: ${r.hops.map((h) => `${h.hop} ${h.device}${h.file ? ` (${h.file})` : ""}`).join(", ")}`);
  for (const n of r.notes) lines.push(`note: ${n}`);
  const groups = r.remoteNat ? r.remoteNat.map((n) => ({ label: `remote NAT ${n}`, sessions: r.sessions.filter((s) => s.remoteNat === n) })) : [{ label: "", sessions: r.sessions }];
  for (const g of groups) {
    if (!g.sessions.length) continue;
    const hopCount = g.sessions.reduce((m, s) => Math.max(m, s.hops.length), r.hops.length);
    const header = ["client", "flow", "direction", "from", ...Array.from({ length: hopCount }, (_, i) => `${i + 1} ${r.hops[i]?.device ?? ""}`.trim()), "verdict"];
    const rows = g.sessions.map((s) => {
      // a return travels the hops backwards: put each hop under its column
      const cells = Array.from({ length: hopCount }, (_, i) => {
        const h = s.hops.find((x) => x.hop === i + 1);
        return h ? hopCell(h) : "";
      });
      const from = s.direction === "outbound" ? `${s.inside.ip}:${s.inside.port}` : `${s.peer.ip}:${s.peer.port}`;
      return [String(s.client), s.carriedIn ? `${s.flow} (in ${s.carriedIn})` : s.flow, s.direction, from, ...cells, s.verdict === "permit" ? c("green", "permit") : c("red", "drop")];
    });
    if (g.label) lines.push("", g.label);
    lines.push("", table(header, rows));
  }
  const drops = r.sessions.filter((s) => s.verdict === "drop");
  if (drops.length) {
    lines.push("");
    for (const d of drops) lines.push(dropText(d));
  }
  return lines.join("\n") + "\n";
}
