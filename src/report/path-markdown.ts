/**
 * `natlint explain --path … --format markdown` (and the head-end's view): the notes, a one-line
 * verdict, the session table (one column per hop, cells escaped as in the lint Markdown report)
 * and a Mermaid `sequenceDiagram` spanning the devices: participants are the clients, each hop
 * (device or NAT) and the peer; each session's packet goes hop by hop, a translation is named on
 * the arrow leaving the hop that made it, and a drop is a `-x` arrow into the dropping hop with a
 * `Note` naming the file and line. At most `maxDiagramClients` clients (default 5) are drawn; the
 * table lists every session. Output is deterministic.
 */
import type { PathExplainResult, PathSessionJson } from "../analysis/path-explain.js";
import { codeSpan, escapeCell } from "./markdown.js";
import { dropText, endpointText, hopCell } from "./path-table.js";

export const PATH_MARKDOWN_MARKER = "<!-- natlint explain --path -->";

function mm(s: string): string {
  return s
    .replace(/\r\n|\r|\n/g, " ")
    .replace(/[#;]/g, (c) => (c === "#" ? "#35;" : "#59;"))
    .trim();
}

function plural(n: number, w: string): string {
  return `${n} ${w}${n === 1 ? "" : "s"}`;
}

function diagram(r: PathExplainResult, maxClients: number): string[] {
  const clients = [...new Set(r.sessions.map((s) => s.client))].sort((a, b) => a - b);
  const shown = new Set(clients.slice(0, maxClients));
  const out = ["```mermaid", "sequenceDiagram"];
  for (const c of shown) out.push(`    participant C${c} as ${mm(`Client ${c} (${r.clients[c - 1] ?? ""})`)}`);
  for (const h of r.hops) out.push(`    participant H${h.hop} as ${mm(`${h.hop}. ${h.device}`)}`);
  out.push(`    participant Peer as ${mm(`Peer ${r.peer}`)}`);
  for (const s of r.sessions.filter((x) => shown.has(x.client))) {
    const label = `client ${s.client} ${s.flow}${s.remoteNat ? ` behind ${s.remoteNat}` : ""}${s.direction === "return" ? " reply" : ""}`;
    const ordered = s.hops;
    if (!ordered.length) {
      out.push(`    Note over C${s.client}: ${mm(`${label}: ${s.droppedAt?.detail ?? "no reply"}`)}`);
      continue;
    }
    // a reply the head-end sends itself starts at the head-end
    const own = s.direction === "return" && ordered[0]!.toDevice;
    let from = s.direction === "outbound" ? `C${s.client}` : own ? `H${ordered[0]!.hop}` : "Peer";
    let dropped = false;
    for (const h of own ? ordered.slice(1) : ordered) {
      const pkt = `${endpointText(h.packet.src)} → ${endpointText(h.packet.dst)}`;
      if (h.reached && h.verdict === "drop") {
        out.push(`    ${from}-xH${h.hop}: ${mm(`${label} ${pkt}`)}`);
        const d = s.droppedAt;
        const why = d?.acl ? `${d.acl} ${d.line === null ? "implicit deny" : `line ${d.line}`}${d.file ? ` (${d.file})` : ""}${d.source ? `: ${d.source.replace(/\s+/g, " ")}` : ""}` : (h.detail ?? "dropped");
        out.push(`    Note over H${h.hop}: ${mm(`dropped: ${why}`)}`);
        dropped = true;
        break;
      }
      out.push(`    ${from}->>H${h.hop}: ${mm(`${label} ${pkt}`)}`);
      from = `H${h.hop}`;
      if (h.toDevice && s.direction === "outbound") break;
    }
    if (!dropped && !(s.direction === "outbound" && ordered[ordered.length - 1]!.toDevice)) {
      const last = ordered[ordered.length - 1]!;
      const tr = last.translated ? ` (${last.translated.field === "source" ? "src" : "dst"} ${endpointText(last.translated.to)})` : "";
      out.push(`    ${from}->>${s.direction === "outbound" ? "Peer" : `C${s.client}`}: ${mm(`${label} permitted${tr}`)}`);
    }
  }
  if (clients.length > shown.size) out.push(`    Note over C${clients[0]},Peer: ${mm(`clients ${shown.size + 1}-${clients.length} are in the table only`)}`);
  out.push("```");
  return out;
}

export function formatPathMarkdown(r: PathExplainResult, opts: { maxDiagramClients?: number } = {}): string {
  const lines = [PATH_MARKDOWN_MARKER, `### natlint explain: ${codeSpan(r.path)}${r.remoteNat ? " (head-end, behind " + r.remoteNat.map(codeSpan).join(", ") + ")" : ""}`, ""];
  lines.push(`- hops: ${r.hops.map((h) => `${h.hop}. ${escapeCell(h.device)}${h.file ? ` ${codeSpan(h.file)}` : ""}`).join(" → ")} → peer ${escapeCell(r.peer)}`);
  for (const n of r.notes) lines.push(`- ${escapeCell(n)}`);
  if (!r.sessions.length) return lines.join("\n") + "\n";
  const dropped = r.sessions.filter((s) => s.verdict === "drop");
  const dc = [...new Set(dropped.map((s) => s.client))].sort((a, b) => a - b);
  const all = new Set(r.sessions.map((s) => s.client)).size;
  lines.push(
    "",
    dropped.length === 0 ? `**All ${plural(r.sessions.length, "session")} of ${plural(all, "client")} are permitted.**` : `**${plural(dropped.length, "session")} of ${r.sessions.length} dropped: client${dc.length === 1 ? "" : "s"} ${dc.join(", ")} of ${all}.**`,
    "",
  );
  const header = ["client", "flow", "direction", ...r.hops.map((h) => `${h.hop}. ${escapeCell(h.device)}`), "verdict"];
  lines.push(`| ${header.join(" | ")} |`, `|---:|---|---|${r.hops.map(() => "---|").join("")}---|`);
  for (const s of r.sessions) {
    const cells = r.hops.map((h) => {
      const x = s.hops.find((y) => y.hop === h.hop);
      return x ? escapeCell(hopCell(x)) : "";
    });
    const flow = `${s.flow}${s.carriedIn ? ` (in ${s.carriedIn})` : ""}${s.remoteNat ? ` behind ${s.remoteNat}` : ""}`;
    lines.push(`| ${s.client} | ${escapeCell(flow)} | ${s.direction} | ${cells.join(" | ")} | ${s.verdict === "permit" ? "✅ permit" : "❌ drop"} |`);
  }
  if (dropped.length) {
    lines.push("");
    for (const d of dropped) lines.push(`- ${escapeCell(dropText(d))}`);
  }
  lines.push("", ...diagram(r, Math.max(1, opts.maxDiagramClients ?? 5)));
  return lines.join("\n") + "\n";
}

export type { PathSessionJson };
