/** The terminal table of `natlint explain` (`natlint simulate` writes its own: ./simulate.ts). */
import type { ExplainResult } from "../analysis/explain.js";
import type { TranslatedJson } from "../analysis/simulate.js";
import { styler } from "./style.js";
import { table } from "./table.js";

/** `192.0.2.2:1024`, `192.0.2.2:{1024-65535}`, or `exhausted` text. */
function translated(t: TranslatedJson, exhausted: string): string {
  if (t === null) return exhausted;
  if (t.port !== undefined) return `${t.ip}:${t.port}`;
  return `${t.ip}:{${(t.ports ?? []).map(([lo, hi]) => (lo === hi ? `${lo}` : `${lo}-${hi}`)).join(",")}}`;
}

/** The explain result as the terminal table (`natlint explain`). */
export function formatExplainTable(r: ExplainResult, colour: boolean): string {
  const c = styler(colour);
  const lines: string[] = [`${r.file} (${r.vendor})`];
  for (const n of r.nat) lines.push(`PAT: line ${n.line} "${n.rule}" → ${n.globals.join(", ")} (profile ${n.profile}; inside ${n.insideInterface ?? "?"}, outside ${n.outsideInterface ?? "?"})`);
  for (const n of r.notes) lines.push(`note: ${n}`);
  if (r.sessions.length === 0) return lines.join("\n") + "\n";
  const tport = (s: ExplainResult["sessions"][number]) => translated(s.translated, "(exhausted)");
  const row = (s: ExplainResult["sessions"][number]) => [
    String(s.client),
    s.carriedIn ? `${s.flow} (in ${s.carriedIn})` : s.flow,
    s.direction,
    s.direction === "outbound" ? `${s.inside.ip}:${s.inside.port}` : `${s.peer.ip}:${s.peer.port}`,
    s.direction === "outbound" ? `${tport(s)} → ${s.peer.ip}:${s.peer.port}` : `→ ${tport(s)} → ${s.inside.ip}:${s.inside.port}`,
    s.checkpoints.length === 0
      ? s.direction === "return" && r.vendor === "asa"
        ? "(stateful: not checked)"
        : "(no ACL)"
      : s.checkpoints
          .map((k) => `${k.interface} ${k.direction} ${k.acl} ${k.feature ? `${k.feature.name} line ${k.feature.line}` : k.defined ? (k.line === null ? "implicit deny" : `line ${k.line}`) : "(undefined ACL)"} ${k.action}${k.conditional !== undefined ? "?" : ""}${k.portsTotal !== undefined && k.portsDenied ? ` (${k.portsDenied}/${k.portsTotal} ports)` : ""}`)
          .join("; "),
    s.verdict === "permit" ? c("green", "permit") : s.verdict === "conditional" ? c("yellow", "conditional") : c("red", "drop"),
  ];
  const header = ["client", "flow", "direction", "from", "translated", "checkpoints", "verdict"];
  // One block per PAT rule (labelled with its line and interfaces when there are several) and peer.
  for (const n of r.nat) {
    const peers = n.peers.length ? n.peers : [...new Set(r.sessions.filter((s) => s.patRule === n.line).map((s) => s.peer.ip))];
    for (const peer of peers) {
      const sessions = r.sessions.filter((s) => s.patRule === n.line && s.peer.ip === peer);
      const label = [r.nat.length > 1 ? `PAT rule line ${n.line} (inside ${n.insideInterface ?? "?"}, outside ${n.outsideInterface ?? "?"}): "${n.rule}"` : "", peers.length > 1 ? `peer ${peer}` : ""].filter(Boolean).join(", ");
      if (label) lines.push("", label);
      lines.push("", table(header, sessions.map(row)));
    }
  }
  const drops = r.sessions.filter((s) => s.verdict === "drop");
  if (drops.length) {
    lines.push("");
    for (const d of drops) {
      const k = d.checkpoints.find((x) => x.action === "deny");
      lines.push(`client ${d.client} ${d.flow} ${d.direction}: ${d.detail ?? "dropped"}${k?.source ? ` — "${k.source}"` : ""}`);
    }
  }
  const conditional = r.sessions.filter((s) => s.verdict === "conditional");
  if (conditional.length) {
    lines.push("");
    for (const d of conditional) lines.push(`client ${d.client} ${d.flow} ${d.direction} to ${d.peer.ip}: conditional: ${d.reason ?? ""}`);
  }
  return lines.join("\n") + "\n";
}

