/**
 * `natlint explain --path` and the head-end's view (`explain HEADEND --remote-nat`): per client,
 * flow and direction, the packet at every hop, every ACL checkpoint with its line, the verdict
 * and where it is dropped, as data for the table, JSON and Markdown reports.
 *
 * JSON: `{"sessions":[{"client","flow","direction","inside","verdict","droppedAt","hops":[{"device","file","translated","checkpoints":[…]}]}]}`
 * (`droppedAt` is `{file, acl, line}`, null when the session is permitted), with more keys.
 */
import { formatIp } from "../model/addr.js";
import { formatAddresses } from "../model/addr-list.js";
import { portCount } from "../model/ports.js";
import type { PortSet } from "../model/types.js";
import type { AclSets } from "../acl/sets.js";
import { checkpointLine, type CheckpointVerdict } from "../sim/checkpoints.js";
import { simulatePath } from "../sim/path.js";
import { remoteNatPath, type RemoteNat } from "../sim/remote.js";
import type { HopResult, PathHop, PathSession, WirePacket } from "../sim/path-types.js";
import type { FlowSpec } from "../sim/sessions.js";
import type { Device } from "../model/types.js";
import { checkpointJson, type ExplainCheckpoint } from "./explain.js";
import type { LoadedPath } from "./path-file.js";

/** An address and its port, or its port set as `[lo, hi]` ranges when a random PAT picked it. */
export type Endpoint = { ip: string; port?: number; ports?: Array<[number, number]> };

export interface PathHopJson {
  hop: number;
  device: string;
  /** The config file; null for a nat hop. */
  file: string | null;
  in: string | null;
  out: string | null;
  /** The packet as it arrives here. */
  packet: { protocol: "udp"; src: Endpoint; dst: Endpoint };
  /** What this hop translated (null: nothing). */
  translated: null | { field: "source" | "destination"; from: Endpoint; to: Endpoint; rule?: { line: number; source: string }; profile?: string; kept: boolean };
  checkpoints: Array<ExplainCheckpoint & { file: string }>;
  verdict: "permit" | "drop";
  /** The session got this far (every hop before permitted it). */
  reached: boolean;
  toDevice?: boolean;
  detail?: string;
  notes?: string[];
}

export interface PathSessionJson {
  client: number;
  flow: string;
  direction: "outbound" | "return";
  inside: { ip: string; port: number };
  peer: { ip: string; port: number };
  verdict: "permit" | "drop";
  /** Where it is dropped: the file, ACL and line (acl and line null when no ACL line drops it); null when permitted. */
  droppedAt: null | { file: string | null; device: string; hop: number; acl: string | null; line: number | null; source?: string; detail?: string };
  hops: PathHopJson[];
  carriedIn?: string;
  /** The remote NAT profile the client sits behind (head-end view). */
  remoteNat?: string;
}

export interface PathExplainResult {
  /** The path file, or the head-end's config (head-end view). */
  path: string;
  peer: string;
  clients: string[];
  hops: Array<{ hop: number; kind: "config" | "nat"; device: string; file: string | null; profile?: string; global?: string }>;
  /** How clients and peer were chosen; what the NATs and IKE do; assumptions. */
  notes: string[];
  sessions: PathSessionJson[];
  /** Head-end view: the remote NATs simulated. */
  remoteNat?: string[];
}

function endpoint(ip: number, ports: PortSet): Endpoint {
  if (portCount(ports) === 1) return { ip: formatIp(ip), port: ports[0]!.lo };
  return { ip: formatIp(ip), ports: ports.map((r) => [r.lo, r.hi] as [number, number]) };
}

function packetJson(w: WirePacket): PathHopJson["packet"] {
  return { protocol: "udp", src: endpoint(w.src, w.srcPorts), dst: endpoint(w.dst, w.dstPorts) };
}

function hopCheckpointJson(c: CheckpointVerdict, file: string): ExplainCheckpoint & { file: string } {
  return { file, ...checkpointJson(c) };
}

function hopJson(h: HopResult, direction: "outbound" | "return"): PathHopJson {
  // on the way back a hop undoes its translation: show it reversed
  const n = h.nat.find((x) => x.pat || x.before.ip !== x.after.ip) ?? h.nat[0];
  let translated: PathHopJson["translated"] = null;
  if (n) {
    const [from, to] = direction === "outbound" ? [n.before, n.after] : [n.after, n.before];
    const field = n.field === "src" ? (direction === "outbound" ? "source" : "destination") : direction === "outbound" ? "destination" : "source";
    translated = { field, from: endpoint(from.ip, from.ports), to: endpoint(to.ip, to.ports), ...(n.rule ? { rule: { line: n.rule.line, source: n.rule.text } } : {}), ...(n.profile ? { profile: n.profile } : {}), kept: n.kept };
  }
  const file = h.file ?? "";
  return {
    hop: h.hop + 1,
    device: h.device,
    file: h.file ?? null,
    in: h.in ?? null,
    out: h.out ?? null,
    packet: packetJson(h.arrives),
    translated,
    checkpoints: h.checkpoints.map((c) => hopCheckpointJson(c, file)),
    verdict: h.verdict,
    reached: h.reached,
    ...(h.toDevice ? { toDevice: true } : {}),
    ...(h.detail ? { detail: h.detail } : {}),
    ...(h.notes.length ? { notes: h.notes } : {}),
  };
}

function sessionJson(s: PathSession): PathSessionJson {
  const hops = s.hops.map((h) => hopJson(h, s.direction));
  let droppedAt: PathSessionJson["droppedAt"] = null;
  if (s.droppedAt) {
    const h = s.hops.find((x) => x.hop === s.droppedAt!.hop) ?? s.droppedAt.at;
    const cp = s.droppedAt.checkpoint;
    droppedAt = {
      file: h?.file ?? null,
      device: h?.device ?? "",
      hop: s.droppedAt.hop + 1,
      acl: cp ? cp.acl : null,
      line: cp ? checkpointLine(cp) : null,
      ...(cp?.ace ? { source: cp.ace.source.text } : {}),
      ...(s.droppedAt.detail ? { detail: s.droppedAt.detail } : {}),
    };
  }
  return {
    client: s.client,
    flow: s.flow,
    direction: s.direction,
    inside: { ip: formatIp(s.inside.ip), port: s.inside.port },
    peer: { ip: formatIp(s.peer.ip), port: s.peer.port },
    verdict: s.verdict,
    droppedAt,
    hops,
    ...(s.carriedIn ? { carriedIn: s.carriedIn.flow } : {}),
    ...(s.remoteNat ? { remoteNat: s.remoteNat } : {}),
  };
}

function hopsJson(hops: readonly PathHop[]): PathExplainResult["hops"] {
  return hops.map((h, i) =>
    h.kind === "config"
      ? { hop: i + 1, kind: "config" as const, device: h.device.hostname ?? h.device.file, file: h.device.file }
      : { hop: i + 1, kind: "nat" as const, device: h.label, file: null, profile: h.profile.id, global: formatIp(h.global) },
  );
}

/** The result of a simulation along `hops` (`file`: the path file or the device's config). */
export function pathResult(file: string, hops: readonly PathHop[], clients: readonly number[], peer: number, simNotes: readonly string[], sessions: readonly PathSession[]): PathExplainResult {
  const notes: string[] = [];
  for (const n of simNotes) if (!notes.includes(n)) notes.push(n);
  // what a hop could not decide (an unknown interface, no route) is worth saying once
  for (const s of sessions) for (const h of s.hops) for (const n of h.notes) if (/unknown|no route|not in /.test(n) && !notes.includes(`${h.device}: ${n}`)) notes.push(`${h.device}: ${n}`);
  return { path: file, peer: formatIp(peer), clients: clients.map(formatIp), hops: hopsJson(hops), notes, sessions: sessions.map(sessionJson) };
}

/** Sessions along a loaded path file; `pinned`: observed translations per hop. */
export function explainPath(p: LoadedPath, sets: AclSets, pinned?: ReadonlyMap<number, ReadonlyMap<string, { ip: number; port: number }>>): PathExplainResult {
  const sim = simulatePath({ hops: p.hops, clients: p.clients, peer: p.peer, flows: p.flows }, { sets, ...(p.profile !== undefined ? { profile: p.profile } : {}), ...(pinned ? { pinned } : {}) });
  return pathResult(p.file, p.hops, p.clients, p.peer, [...p.notes, ...sim.notes], sim.sessions);
}

export interface RemoteExplainInput {
  device: Device;
  nats: readonly RemoteNat[];
  clients: readonly number[];
  peer?: number;
  flows: readonly FlowSpec[];
  sets: AclSets;
  profile?: string;
}

/** The head-end's view: N clients behind one remote NAT of each profile arrive at the head-end. */
export function explainRemote(o: RemoteExplainInput): PathExplainResult {
  const notes: string[] = [`clients ${formatAddresses([...o.clients])} behind each remote NAT`];
  const sessions: PathSessionJson[] = [];
  let peer = 0;
  let hops: PathExplainResult["hops"] = [];
  for (const n of o.nats) {
    const r = remoteNatPath(o.device, n, { clients: o.clients, flows: o.flows, sets: o.sets, ...(o.peer !== undefined ? { peer: o.peer } : {}), ...(o.profile !== undefined ? { profile: o.profile } : {}) });
    peer = r.peer;
    if (!hops.length) hops = hopsJson(r.hops).map((h) => (h.kind === "nat" ? { hop: h.hop, kind: h.kind, device: "remote NAT", file: null } : h));
    for (const x of [...r.notes, ...r.sim.notes]) if (!notes.includes(x) && !(x.startsWith("a NAT is on the path") && notes.some((y) => y.startsWith("a NAT is on the path")))) notes.push(x);
    for (const s of r.sim.sessions) sessions.push(sessionJson(s));
  }
  return { path: o.device.file, peer: formatIp(peer), clients: o.clients.map(formatIp), hops, notes, sessions, remoteNat: o.nats.map((n) => n.id) };
}
