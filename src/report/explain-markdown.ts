/**
 * `natlint explain --format markdown`: the explain result as GitHub-flavoured Markdown for a
 * pull-request comment or a job summary.
 *
 * Layout: a heading with the file, the PAT rule(s) and the notes (how clients, peer and profile
 * were chosen), a one-line verdict, the session table (client, flow, direction, inside,
 * translated, checkpoints, verdict — cells escaped like the lint Markdown report, so `|` cannot
 * break the table), and a Mermaid `sequenceDiagram` that GitHub renders:
 *
 * - participants, left to right: one per client, the ACL checkpoints that see the real
 *   (untranslated) packet, the PAT, the checkpoints that see the translated packet, the peer;
 * - per session, the packet hop by hop (outbound from the client, returns from the peer); the
 *   arrow leaving a checkpoint says which line permitted it; a drop is a `-x` arrow into the
 *   checkpoint (or the PAT when it has no port left) followed by a `Note` naming the line.
 *
 * The diagram shows at most `maxDiagramClients` clients (default 5) and says so when it leaves
 * some out; the table always lists every session. Output is deterministic.
 */
import type { ExplainResult } from "../analysis/explain.js";
import { escapeCell } from "./markdown.js";
import { visible } from "./text.js";
import { codeSpan } from "./markdown.js";

export interface ExplainMarkdownOptions {
  /** Clients drawn in the sequence diagram (default 5); the table lists all of them. */
  maxDiagramClients?: number;
}

type Session = ExplainResult["sessions"][number];
type Checkpoint = Session["checkpoints"][number];

export const EXPLAIN_MARKDOWN_MARKER = "<!-- natlint explain -->";

/** Inline code that survives backticks and `|` inside a table cell. */
const code = codeSpan;

function translatedText(t: Session["translated"]): string {
  if (t === null) return "(PAT exhausted)";
  if (t.port !== undefined) return `${t.ip}:${t.port}`;
  return `${t.ip}:{${(t.ports ?? []).map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`)).join(",")}}`;
}

function where(k: Checkpoint): string {
  if (k.feature) return `${k.feature.name} line ${k.feature.line}`;
  if (!k.defined) return "undefined ACL (permits all)";
  return k.line === null ? "implicit deny" : `line ${k.line}`;
}

function checkpointCell(k: Checkpoint): string {
  const head = escapeCell(`${k.interface} ${k.direction} ${k.acl} ${where(k)} ${k.action}`);
  const ports = k.portsTotal !== undefined && k.portsDenied ? escapeCell(` (${k.portsDenied}/${k.portsTotal} ports)`) : "";
  const src = k.source ? ` ${code(k.source)}` : "";
  const tr = k.timeRange ? escapeCell(` (time-range ${k.timeRange})`) : "";
  const cond = k.conditional !== undefined ? escapeCell(" (conditional)") : "";
  return head + ports + tr + cond + src;
}

function checkpointsCell(s: Session, vendor: ExplainResult["vendor"]): string {
  if (s.checkpoints.length === 0) return escapeCell(s.direction === "return" && vendor === "asa" ? "(stateful: not checked)" : "(no ACL)");
  return s.checkpoints.map(checkpointCell).join("<br>");
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

// ------------------------------------------------------------------------------ Mermaid

/**
 * Text for a Mermaid label or message, one line: every character Mermaid or the HTML it renders
 * labels into could read as markup (`<`, `>`, `&`, quotes, `#`, `;`, backticks) and `@`
 * (no mention from a diagram) as Mermaid entity codes (`#60;`), control characters as visible
 * escapes (./text.ts).
 */
function mm(s: string): string {
  return visible(s.replace(/\r\n|\r|\n/g, " "))
    .replace(/[#;<>&"'`@]/g, (c) => `#${c.charCodeAt(0)};`)
    .trim();
}

const cpKey = (k: Checkpoint) => `${k.interface}\0${k.direction}\0${k.acl}`;

function diagram(r: ExplainResult, maxClients: number): string[] {
  const clients = [...new Set(r.sessions.map((s) => s.client))].sort((a, b) => a - b);
  const shown = new Set(clients.slice(0, maxClients));
  const sessions = r.sessions.filter((s) => shown.has(s.client));
  // Checkpoint participants: real-side ones left of the PAT, translated-side ones right of it,
  // each side in order of first appearance.
  const real: Checkpoint[] = [];
  const translated: Checkpoint[] = [];
  const ids = new Map<string, string>();
  for (const s of sessions)
    for (const k of s.checkpoints) {
      if (ids.has(cpKey(k))) continue;
      ids.set(cpKey(k), "");
      (k.sees === "real" ? real : translated).push(k);
    }
  [...real, ...translated].forEach((k, i) => ids.set(cpKey(k), `K${i + 1}`));
  const cid = (c: number) => `C${c}`;
  const insideIp = new Map<number, string>();
  for (const s of sessions) if (!insideIp.has(s.client)) insideIp.set(s.client, s.inside.ip);
  const globals = [...new Set(r.nat.flatMap((n) => n.globals))];
  const peers = [...new Set(r.sessions.map((s) => s.peer.ip))];

  const out: string[] = ["```mermaid", "sequenceDiagram"];
  for (const c of shown) out.push(`    participant ${cid(c)} as ${mm(`Client ${c} (${insideIp.get(c)})`)}`);
  for (const k of real) out.push(`    participant ${ids.get(cpKey(k))} as ${mm(`${k.acl} (${k.interface} ${k.direction})`)}`);
  out.push(`    participant PAT as ${mm(globals.length ? `PAT ${globals.join(", ")}` : "PAT")}`);
  for (const k of translated) out.push(`    participant ${ids.get(cpKey(k))} as ${mm(`${k.acl} (${k.interface} ${k.direction})`)}`);
  out.push(`    participant Peer as ${mm(`Peer ${peers.join(", ")}`)}`);

  for (const s of sessions) {
    const label = `client ${s.client} ${s.flow}${s.direction === "return" ? " reply" : ""}`;
    const inside = `${s.inside.ip}:${s.inside.port}`;
    const outside = translatedText(s.translated);
    const peer = `${s.peer.ip}:${s.peer.port}`;
    const realCps = s.checkpoints.filter((k) => k.sees === "real");
    const transCps = s.checkpoints.filter((k) => k.sees === "translated");
    // Hops in travel order, each with the packet as it arrives there.
    type Hop = { id: string; cp?: Checkpoint; packet: string };
    const hops: Hop[] =
      s.direction === "outbound"
        ? [
            ...realCps.map((k) => ({ id: ids.get(cpKey(k))!, cp: k, packet: `${inside} → ${peer}` })),
            { id: "PAT", packet: `${inside} → ${peer}` },
            ...transCps.map((k) => ({ id: ids.get(cpKey(k))!, cp: k, packet: `${outside} → ${peer}` })),
            { id: "Peer", packet: `${outside} → ${peer}` },
          ]
        : [
            ...transCps.map((k) => ({ id: ids.get(cpKey(k))!, cp: k, packet: `${peer} → ${outside}` })),
            { id: "PAT", packet: `${peer} → ${outside}` },
            ...realCps.map((k) => ({ id: ids.get(cpKey(k))!, cp: k, packet: `${peer} → ${inside}` })),
            { id: cid(s.client), packet: `${peer} → ${inside}` },
          ];
    let from = s.direction === "outbound" ? cid(s.client) : "Peer";
    let text = `${label} ${hops[0]!.packet}`;
    let stopped = false;
    for (const h of hops) {
      const exhausted = h.id === "PAT" && s.translated === null;
      const denied = h.cp !== undefined && h.cp.action === "deny";
      if (denied || exhausted) {
        out.push(`    ${from}-x${h.id}: ${mm(text)}`);
        const src = h.cp?.source ? ` (${h.cp.source.replace(/\s+/g, " ")})` : "";
        const why = exhausted ? "no free port (PAT exhausted)" : `${h.cp!.acl} ${where(h.cp!)} deny${src}`;
        out.push(`    Note over ${h.id}: ${mm(`dropped: ${label}, ${why}`)}`);
        stopped = true;
        break;
      }
      out.push(`    ${from}->>${h.id}: ${mm(text)}`);
      from = h.id;
      if (h.cp) text = `permit (${where(h.cp)})`;
      else if (h.id === "PAT") text = s.direction === "outbound" ? `translated ${outside} → ${peer}` : `untranslated ${peer} → ${inside}`;
    }
    // A drop no checkpoint explains (the simulation's detail says why).
    if (!stopped && s.verdict === "drop") out.push(`    Note over ${from}: ${mm(`dropped: ${label}${s.detail ? `, ${s.detail}` : ""}`)}`);
  }
  if (clients.length > shown.size) out.push(`    Note over ${cid(clients[0]!)},Peer: ${mm(`clients ${shown.size + 1}-${clients.length} are in the table only`)}`);
  out.push("```");
  return out;
}

// ------------------------------------------------------------------------------ the report

export function formatExplainMarkdown(r: ExplainResult, opts: ExplainMarkdownOptions = {}): string {
  const maxClients = Math.max(1, opts.maxDiagramClients ?? 5);
  const lines: string[] = [EXPLAIN_MARKDOWN_MARKER, `### natlint explain: ${code(r.file)} (${r.vendor})`, ""];
  for (const n of r.nat)
    lines.push(
      `- PAT: line ${n.line} ${code(n.rule)} → ${escapeCell(n.globals.join(", "))} (profile ${code(n.profile)}; inside ${escapeCell(n.insideInterface ?? "?")}, outside ${escapeCell(n.outsideInterface ?? "?")})`,
    );
  for (const n of r.notes) lines.push(`- ${escapeCell(n)}`);
  if (r.sessions.length === 0) return lines.join("\n") + "\n";

  const dropped = r.sessions.filter((s) => s.verdict === "drop");
  const droppedClients = [...new Set(dropped.map((s) => s.client))].sort((a, b) => a - b);
  const allClients = new Set(r.sessions.map((s) => s.client)).size;
  lines.push(
    "",
    dropped.length === 0
      ? `**All ${plural(r.sessions.length, "session")} of ${plural(allClients, "client")} are permitted.**`
      : `**${plural(dropped.length, "session")} of ${r.sessions.length} dropped: client${droppedClients.length === 1 ? "" : "s"} ${droppedClients.join(", ")} of ${allClients}.**`,
    "",
    "| client | flow | direction | inside | translated | checkpoints | verdict |",
    "|---:|---|---|---|---|---|---|",
  );
  for (const s of r.sessions) {
    const inside = `${s.inside.ip}:${s.inside.port}`;
    const peer = `${s.peer.ip}:${s.peer.port}`;
    const tr = translatedText(s.translated);
    const translatedCell = s.direction === "outbound" ? `${tr} → ${peer}` : `${peer} → ${tr}`;
    lines.push(
      `| ${s.client} | ${escapeCell(s.flow)} | ${s.direction} | ${escapeCell(inside)} | ${escapeCell(translatedCell)} | ${checkpointsCell(s, r.vendor)} | ${s.verdict === "permit" ? "✅ permit" : s.verdict === "conditional" ? "❔ conditional" : "❌ drop"} |`,
    );
  }
  if (dropped.length) {
    lines.push("");
    for (const d of dropped) {
      const k = d.checkpoints.find((x) => x.action === "deny");
      lines.push(`- client ${d.client} ${escapeCell(d.flow)} ${d.direction}: ${escapeCell(d.detail ?? "dropped")}${k?.source ? ` — ${code(k.source)}` : ""}`);
    }
  }
  const conditional = r.sessions.filter((s) => s.verdict === "conditional");
  if (conditional.length) {
    lines.push("");
    for (const d of conditional) lines.push(`- client ${d.client} ${escapeCell(d.flow)} ${d.direction} to ${escapeCell(d.peer.ip)}: conditional: ${escapeCell(d.reason ?? "")}`);
  }
  lines.push("", ...diagram(r, maxClients));
  return lines.join("\n") + "\n";
}
