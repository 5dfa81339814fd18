/**
 * `natlint explain`: every client's IKE and NAT-T session through a device, outbound and return,
 * with each ACL checkpoint in the vendor's order of operations and the verdict, as data for the
 * table, JSON and Markdown reports.
 */
import { formatIp } from "../model/addr.js";
import { ifName } from "../model/device.js";
import type { Device, Vendor } from "../model/types.js";
import type { AclSets } from "../acl/sets.js";
import type { NatSetup } from "../nat/setup.js";
import { checkpointLine, type CheckpointVerdict } from "../sim/checkpoints.js";
import { simulateDevice, type DeviceSimulation } from "../sim/device.js";
import { flowsForPorts } from "../sim/sessions.js";
import { L2TP_NOTE, translatedJson, type TranslatedJson } from "./simulate.js";

export interface ExplainCheckpoint {
  interface: string;
  direction: "in" | "out";
  acl: string;
  line: number | null;
  action: "permit" | "deny";
  sees: "real" | "translated";
  source?: string;
  defined: boolean;
  portsDenied?: number;
  portsTotal?: number;
  timeRange?: string;
  fallThroughFrom?: string;
  /** A stateful feature decided here (CBAC or reflexive entries for the reply, or the zone-based firewall itself): its line and what it is; `line`/`source` are then the feature's. */
  feature?: { name: string; line: number; source: string; what: string };
  /** When a feature decided instead of the ACL's lines: what the lines alone decide (`aclLine` null: the implicit deny). */
  aclAction?: "permit" | "deny";
  aclLine?: number | null;
  /** "zone-pair" for the zone-based firewall between two interfaces (not an ACL). */
  kind?: "zone-pair";
  /** Why this checkpoint's effect is not decided (the session is `conditional`). */
  conditional?: string;
}

export interface ExplainSession {
  client: number;
  flow: string;
  direction: "outbound" | "return";
  inside: { ip: string; port: number };
  translated: TranslatedJson;
  peer: { ip: string; port: number };
  checkpoints: ExplainCheckpoint[];
  /** `conditional`: a feature's effect on the session is not decided by the config; `reason` says why (no error is raised on it). */
  verdict: "permit" | "drop" | "conditional";
  detail?: string;
  reason?: string;
  /** The PAT rule this session went through: its line (see `nat`). */
  patRule: number;
  /** A flow carried inside another (L2TP in NAT-T): its packets and verdicts are the carrier's. */
  carriedIn?: string;
}

export interface ExplainResult {
  file: string;
  vendor: Vendor;
  /** How clients, peer, interfaces and profile were chosen, and assumptions. */
  notes: string[];
  nat: Array<{ line: number; rule: string; profile: string; globals: string[]; insideInterface: string | null; outsideInterface: string | null; peers: string[]; ownIke: Array<{ ip: string; line: number; what: string }> }>;
  sessions: ExplainSession[];
}

export interface ExplainInput {
  device: Device;
  nat: NatSetup;
  sets: AclSets;
  clients: number;
  peer?: number;
  /** Real source ports each client opens (default IKE 500 and NAT-T 4500; 1701 is L2TP inside NAT-T). */
  ports?: readonly number[];
}

export function explainDevice(o: ExplainInput): ExplainResult {
  const { device } = o;
  const sims: DeviceSimulation[] = simulateDevice(device, o.nat, {
    clients: o.clients,
    sets: o.sets,
    ...(o.peer !== undefined ? { peer: o.peer } : {}),
    ...(o.ports ? { flows: flowsForPorts(o.ports) } : {}),
  });
  const notes: string[] = [];
  if (sims.length === 0) notes.push("no PAT (dynamic NAT with overload) in this config: nothing to simulate");
  const rules = new Set(sims.map((s) => s.setup)).size;
  if (rules > 1) notes.push(`${rules} PAT rules; sessions are listed for each`);
  if (sims.length > rules) notes.push(`several peers: each peer is simulated on its own (its own PAT table), and sessions are listed per peer`);
  for (const s of sims) for (const n of s.notes) if (!notes.includes(n)) notes.push(n);
  const sessions: ExplainSession[] = [];
  for (const s of sims)
    for (const t of s.traces)
      sessions.push({
        client: t.client,
        flow: t.flow,
        direction: t.direction,
        inside: { ip: formatIp(t.inside.ip), port: t.inside.port },
        translated: translatedJson(t.translated),
        peer: { ip: formatIp(t.peer.ip), port: t.peer.port },
        checkpoints: t.checkpoints.map(checkpointJson),
        verdict: t.verdict,
        ...(t.detail ? { detail: t.detail } : {}),
        ...(t.verdict === "conditional" && t.detail ? { reason: t.detail } : {}),
        patRule: s.setup.rule.source.line,
        ...(t.carriedIn ? { carriedIn: t.carriedIn.flow } : {}),
      });
  if (sessions.some((s) => s.checkpoints.some((c) => c.timeRange))) notes.push("some verdicts depend on a time-range: they hold only while it is active");
  if (sessions.some((s) => s.carriedIn)) notes.push(L2TP_NOTE);
  if (sessions.some((s) => s.verdict === "conditional")) notes.push("some verdicts are conditional: a stateful feature's effect on them is not decided by the config (each says why); no finding is raised on them");
  return {
    file: device.file,
    vendor: device.vendor,
    notes,
    nat: [...new Set(sims.map((s) => s.setup))].map((setup) => {
      const mine = sims.filter((s) => s.setup === setup);
      return {
        line: setup.rule.source.line,
        rule: setup.rule.source.text,
        profile: setup.profile.id,
        globals: setup.globals.slice(0, 8).map(formatIp),
        insideInterface: setup.insideIf ? ifName(setup.insideIf) : null,
        outsideInterface: setup.outsideIf ? ifName(setup.outsideIf) : null,
        peers: mine.map((s) => formatIp(s.peer)),
        ownIke: (mine[0]?.ownIke ?? []).map((o) => ({ ip: formatIp(o.ip), line: o.at.source.line, what: o.at.what })),
      };
    }),
    sessions,
  };
}

/** One checkpoint as explain's JSON gives it (also each hop's checkpoints in `explain --path`). */
export function checkpointJson(c: CheckpointVerdict): ExplainCheckpoint {
  return {
    interface: c.interface,
    direction: c.direction,
    acl: c.acl,
    line: checkpointLine(c),
    action: c.action,
    sees: c.sees,
    ...(c.ace ? { source: c.ace.source.text } : {}),
    defined: c.defined,
    ...(c.portsTotal !== undefined ? { portsDenied: c.portsDenied!, portsTotal: c.portsTotal } : {}),
    ...(c.timeRange ? { timeRange: c.timeRange } : {}),
    ...(c.fallThroughFrom ? { fallThroughFrom: c.fallThroughFrom } : {}),
    ...(c.feature ? { feature: { name: c.feature.name, line: c.feature.source.line, source: c.feature.source.text, what: c.feature.what }, source: c.feature.source.text } : {}),
    ...(c.aclAction ? { aclAction: c.aclAction, aclLine: c.aclAce ? c.aclAce.source.line : null } : {}),
    ...(c.kind === "zone-pair" ? { kind: "zone-pair" as const } : {}),
    ...(c.conditional !== undefined ? { conditional: c.conditional } : {}),
  };
}
