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
import { checkpointLine } from "../sim/checkpoints.js";
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
}

export interface ExplainSession {
  client: number;
  flow: string;
  direction: "outbound" | "return";
  inside: { ip: string; port: number };
  translated: TranslatedJson;
  peer: { ip: string; port: number };
  checkpoints: ExplainCheckpoint[];
  verdict: "permit" | "drop";
  detail?: string;
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
  nat: Array<{ line: number; rule: string; profile: string; globals: string[]; insideInterface: string | null; outsideInterface: string | null }>;
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
  if (sims.length > 1) notes.push(`${sims.length} PAT rules; sessions are listed for each`);
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
        checkpoints: t.checkpoints.map((c) => ({
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
        })),
        verdict: t.verdict,
        ...(t.detail ? { detail: t.detail } : {}),
        patRule: s.setup.rule.source.line,
        ...(t.carriedIn ? { carriedIn: t.carriedIn.flow } : {}),
      });
  if (sessions.some((s) => s.checkpoints.some((c) => c.timeRange))) notes.push("some verdicts depend on a time-range: they hold only while it is active");
  if (sessions.some((s) => s.carriedIn)) notes.push(L2TP_NOTE);
  return {
    file: device.file,
    vendor: device.vendor,
    notes,
    nat: sims.map((s) => ({
      line: s.setup.rule.source.line,
      rule: s.setup.rule.source.text,
      profile: s.setup.profile.id,
      globals: s.setup.globals.slice(0, 8).map(formatIp),
      insideInterface: s.setup.insideIf ? ifName(s.setup.insideIf) : null,
      outsideInterface: s.setup.outsideIf ? ifName(s.setup.outsideIf) : null,
    })),
    sessions,
  };
}
