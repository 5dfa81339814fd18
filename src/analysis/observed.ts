/**
 * `explain --observed`: the sessions as the devices actually translated them. Observed NAT
 * translations (IOS `show ip nat translations`, ASA `show xlate`, joined with `show conn`) pin the
 * ports a device's PAT chose; connections an ASA shows from translated remote ports (`show conn`)
 * are followed from the port they arrived with; `show crypto isakmp sa` is compared with the
 * verdicts (an SA up for a client natlint drops means the observation and the config disagree).
 * Every ACL on the path is then checked against those ports.
 */
import { formatIp } from "../model/addr.js";
import { PROTO } from "../model/ports.js";
import type { Device } from "../model/types.js";
import type { AclSets } from "../acl/sets.js";
import { unknownProfile } from "../nat/profiles-remote.js";
import type { ObservedState } from "../parse/observed.js";
import { simulatePath } from "../sim/path.js";
import { headendPeer } from "../sim/remote.js";
import { flowsForPorts } from "../sim/sessions.js";
import type { PathHop, PathSession } from "../sim/path-types.js";
import { explainPath, pathResult, type PathExplainResult } from "./path-explain.js";
import type { LoadedPath } from "./path-file.js";

const IPSEC = new Set([500, 4500]);

/** Translations of IPsec ports, keyed `inside-ip:port`, with the clients and peers they name. */
export function observedPins(st: ObservedState): { pins: Map<string, { ip: number; port: number }>; clients: number[]; peers: number[] } {
  const pins = new Map<string, { ip: number; port: number }>();
  const clients: number[] = [];
  const peers: number[] = [];
  for (const t of st.translations) {
    if (t.protocol !== undefined && t.protocol !== PROTO.UDP) continue;
    if (t.local.port === undefined || t.global.port === undefined || !IPSEC.has(t.local.port)) continue;
    pins.set(`${t.local.ip}:${t.local.port}`, { ip: t.global.ip, port: t.global.port });
    if (!clients.includes(t.local.ip)) clients.push(t.local.ip);
    if (t.remote && !peers.includes(t.remote.ip)) peers.push(t.remote.ip);
  }
  // ASA: show conn names the peer of an inside client's IKE/NAT-T
  for (const c of st.conns) if (c.protocol === PROTO.UDP && c.inside.port !== undefined && pins.has(`${c.inside.ip}:${c.inside.port}`) && !peers.includes(c.outside.ip)) peers.push(c.outside.ip);
  return { pins, clients, peers };
}

/** What the observed IKE SAs say, next to the verdicts. */
function ikeNotes(st: ObservedState, r: PathExplainResult): string[] {
  const up = /^(QM_IDLE|MM_ACTIVE|AM_ACTIVE|READY|ACTIVE)$/i;
  const out: string[] = [];
  for (const sa of st.ikeSas) {
    const ends = sa.src !== undefined ? `${formatIp(sa.src)} ↔ ${formatIp(sa.dst)}` : formatIp(sa.dst);
    const done = up.test(sa.state);
    let text = `${st.file} line ${sa.source.line}: IKE SA ${ends} ${sa.state}${done ? "" : " (phase 1 did not complete)"}`;
    // every IKE session natlint sends from that address is dropped: the observation and the config disagree
    const addrs = new Set([formatIp(sa.dst), ...(sa.src !== undefined ? [formatIp(sa.src)] : [])]);
    const from = r.sessions.filter((s) => s.direction === "outbound" && s.flow === "IKE" && s.hops.some((h) => addrs.has(h.packet.src.ip)));
    if (done && from.length && from.every((s) => s.verdict === "drop")) text += `, although natlint drops the IKE of every client it sends from that address (${from.map((s) => `client ${s.client}`).join(", ")}): the observation predates the config, or something natlint does not model lets it through`;
    out.push(text);
  }
  for (const u of st.unread) out.push(`${st.file} line ${u.line} not read: "${u.text}"`);
  return out;
}

/** A path file's explanation with the observed state of its config hops. */
export function explainPathObserved(p: LoadedPath, observed: ReadonlyMap<number, ObservedState>, sets: AclSets): PathExplainResult {
  const pinned = new Map<number, Map<string, { ip: number; port: number }>>();
  let clients = p.clients;
  const notes: string[] = [];
  for (const [hop, st] of observed) {
    const o = observedPins(st);
    if (o.pins.size) {
      pinned.set(hop, o.pins);
      if (clients === p.clients && o.clients.length) {
        clients = o.clients;
        notes.push(`clients ${o.clients.map(formatIp).join(", ")} (from the translations observed in ${st.file})`);
      }
    }
  }
  const base = clients === p.clients ? p : { ...p, clients, notes: [...notes, ...p.notes.filter((n) => !n.startsWith("clients "))] };
  const r = explainPath(base, sets, pinned);
  for (const st of observed.values()) for (const n of ikeNotes(st, r)) r.notes.push(n);
  return r;
}

/**
 * One device with its observed state: the clients and ports its own PAT chose (translations), or
 * the translated ports sessions arrived with (ASA `show conn` of a device behind the NAT).
 */
export function explainDeviceObserved(device: Device, st: ObservedState, sets: AclSets, opts: { peer?: number; ports?: readonly number[] } = {}): PathExplainResult {
  const flows = flowsForPorts(opts.ports ?? [500, 4500]);
  const o = observedPins(st);
  const notes: string[] = [];
  let hops: PathHop[];
  let clients: number[];
  let peer: number;
  const pinned = new Map<number, Map<string, { ip: number; port: number }>>();
  if (o.pins.size) {
    hops = [{ kind: "config", device }];
    clients = o.clients;
    pinned.set(0, o.pins);
    peer = opts.peer ?? o.peers[0] ?? headendPeer(device).peer;
    notes.push(`clients ${clients.map(formatIp).join(", ")} and their translations observed in ${st.file}`, `peer ${formatIp(peer)}${opts.peer !== undefined ? " (given)" : o.peers.length ? ` (observed in ${st.file})` : " (from the ACLs)"}`);
  } else {
    // connections that arrived from translated ports (the device is behind the NAT): one client each,
    // with the flow of its destination port, from the address and port the device saw
    const arrivals = st.conns.filter((c) => c.protocol === PROTO.UDP && c.inside.port !== undefined && IPSEC.has(c.inside.port) && c.outside.port !== undefined);
    peer = opts.peer ?? arrivals[0]?.inside.ip ?? headendPeer(device).peer;
    const sessions: PathSession[] = [];
    const simNotes: string[] = [];
    arrivals.forEach((c, k) => {
      const port = c.inside.port!;
      const fixed = new Map([[`${c.outside.ip}:${port}`, { ip: c.outside.ip, port: c.outside.port! }]]);
      const hs: PathHop[] = [{ kind: "nat", profile: unknownProfile, global: c.outside.ip, label: `observed ports (${st.file})`, fixed }, { kind: "config", device }];
      const sim = simulatePath({ hops: hs, clients: [c.outside.ip], peer: c.inside.ip, flows: flowsForPorts([port]) }, { sets });
      for (const s of sim.sessions) sessions.push({ ...s, client: k + 1 });
      for (const n of sim.notes) if (!simNotes.includes(n)) simNotes.push(n);
      const out = sim.sessions.find((s) => s.direction === "outbound");
      if (out?.verdict === "drop") notes.push(`${st.file} line ${c.source.line}: the device shows this connection, although natlint drops it (${out.droppedAt?.detail ?? "dropped"}): the observation predates the config, or something natlint does not model lets it through`);
    });
    hops = [{ kind: "nat", profile: unknownProfile, global: arrivals[0]?.outside.ip ?? 0, label: `observed ports (${st.file})`, fixed: new Map() }, { kind: "config", device }];
    clients = arrivals.map((c) => c.outside.ip);
    notes.unshift(arrivals.length ? `${arrivals.length} IPsec connection${arrivals.length === 1 ? "" : "s"} observed in ${st.file} (show conn), each a client as the device saw it (address and source port)` : `${st.file} has no IPsec translation or connection: nothing to follow`);
    const r = pathResult(st.file, hops, clients, peer, [...notes, ...simNotes], sessions);
    for (const n of ikeNotes(st, r)) r.notes.push(n);
    return r;
  }
  const sim = simulatePath({ hops, clients, peer, flows }, { sets, pinned });
  const r = pathResult(st.file, hops, clients, peer, [...notes, ...sim.notes], sim.sessions);
  for (const n of ikeNotes(st, r)) r.notes.push(n);
  return r;
}
