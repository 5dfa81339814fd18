/**
 * Simulating N IPsec clients behind each PAT of a device, to every peer they may talk to, and
 * following each session through the device (./trace.ts). The device's own IKE holds udp/500 and
 * udp/4500 on its address (./peers.ts): when that address is the PAT's, those ports are reserved
 * before allocation, as static port forwards are.
 */
import { formatIp, inSubnet } from "../model/addr.js";
import { protocolName, PROTO } from "../model/ports.js";
import { findInterface } from "../model/device.js";
import type { Device } from "../model/types.js";
import type { AclSets } from "../acl/sets.js";
import { PatTable } from "../nat/pat.js";
import { staticReservations, type NatSetup, type PatSetup } from "../nat/setup.js";
import { DEFAULT_PEER, pickClients } from "./endpoints.js";
import { clientPeers, MAX_PEERS, ownIkeAt, ownIkeEndpoints, ownIkeText, ownPeers, type OwnIke } from "./peers.js";
import { IPSEC_FLOWS, simulatePat, type FlowSpec, type PatSession } from "./sessions.js";
import { traceSessions, type SessionTrace } from "./trace.js";

export { traceSessions, type SessionTrace } from "./trace.js";

export interface DeviceSimulation {
  setup: PatSetup;
  clients: number[];
  peer: number;
  sessions: PatSession[];
  traces: SessionTrace[];
  notes: string[];
  /** The device's own IKE on this PAT's addresses (its ports are reserved): the address and where it is configured. */
  ownIke: Array<{ ip: number; at: OwnIke }>;
}

export interface DeviceSimulationOptions {
  clients: number;
  /** The peer to simulate (`--peer`); undefined: every peer the config names. */
  peer?: number;
  /** The peers to simulate (config `peers`); wins over `peer`. */
  peers?: readonly number[];
  /** Client addresses (config `inside`): the first `clients` of them; undefined: picked from the config. */
  inside?: readonly number[];
  flows?: readonly FlowSpec[];
  /** Packet sets for exact verdicts over port sets (random PAT profiles); without them one example port is evaluated. */
  sets?: AclSets;
}

/** Stand-in peers (RFC 5737) when the config names none: the first that is none of the device's own IKE peers, addresses or connected subnets. */
const STAND_INS = [DEFAULT_PEER, 0xc633640a /* 198.51.100.10 */, 0xc000020a /* 192.0.2.10 */, 0xcb0071c8 /* 203.0.113.200 */];

function standInPeer(device: Device, setup: PatSetup): number {
  const own = new Set([...ownPeers(device).map((p) => p.ip), ...setup.globals]);
  const taken = (ip: number) => own.has(ip) || device.interfaces.some((i) => i.addresses.some((a) => inSubnet(ip, a.ip, a.mask)));
  return STAND_INS.find((ip) => !taken(ip)) ?? DEFAULT_PEER;
}

/** The peers to simulate for one PAT, with the note saying where they come from. */
function peersFor(device: Device, nat: NatSetup, setup: PatSetup, opts: DeviceSimulationOptions): Array<{ peer: number; note: string }> {
  if (opts.peers?.length) return [...new Set(opts.peers)].sort((a, b) => a - b).map((p) => ({ peer: p, note: `peer ${formatIp(p)} (from the config's peers)` }));
  if (opts.peer !== undefined) return [{ peer: opts.peer, note: `peer ${formatIp(opts.peer)} (from --peer)` }];
  const found = clientPeers(device, nat.sides, setup.globals);
  if (found.length === 0) {
    const peer = standInPeer(device, setup);
    return [{ peer, note: `no IPsec peer of the clients found in the ACLs; using ${formatIp(peer)}` }];
  }
  return found.slice(0, MAX_PEERS).map((p) => ({ peer: p.ip, note: `peer ${formatIp(p.ip)} (from ${p.acl} line ${p.source.line})` }));
}

/** Everything `explain` shows and `pat-drops-ipsec` reasons about: for each PAT rule of the device, one simulation per peer. */
export function simulateDevice(device: Device, nat: NatSetup, opts: DeviceSimulationOptions): DeviceSimulation[] {
  const out: DeviceSimulation[] = [];
  const ends = ownIkeEndpoints(device);
  const own = ownPeers(device);
  for (const setup of nat.pats) {
    const patIf = setup.rule.mapped.kind === "interface" ? findInterface(device, setup.rule.mapped.iface) : undefined;
    const ownIke: DeviceSimulation["ownIke"] = [];
    for (const g of setup.globals) {
      const at = ownIkeAt(ends, g, patIf, setup.globals[0]);
      if (at) ownIke.push({ ip: g, at });
    }
    const common: string[] = [];
    for (const o of ownIke) common.push(`${ownIkeText(o.at, o.ip)}: the PAT cannot give them to a client, so every client leaves from a translated port`);
    if (!opts.peers?.length && opts.peer === undefined) {
      for (const p of own) common.push(`peer ${formatIp(p.ip)} is the device's own IKE peer (${p.what}, line ${p.source.line}): its IKE runs from the device's address, not from the clients behind the PAT; clients are not simulated to it`);
      const all = clientPeers(device, nat.sides, setup.globals);
      if (all.length > MAX_PEERS) common.push(`${all.length} peers found in the ACLs: the ${MAX_PEERS} lowest addresses are simulated`);
    }
    for (const pk of peersFor(device, nat, setup, opts)) {
      const notes = [...setup.notes];
      const cl = opts.inside?.length
        ? { clients: opts.inside.slice(0, opts.clients), note: `clients ${opts.inside.slice(0, opts.clients).map(formatIp).join(", ")} (from the config's inside)${opts.inside.length < opts.clients ? `: only ${opts.inside.length} addresses for ${opts.clients} clients` : ""}` }
        : pickClients(device, setup, opts.clients, pk.peer);
      notes.unshift(cl.note, pk.note);
      const table = new PatTable(setup.profile, setup.globals, { roundRobin: setup.roundRobin });
      for (const r of staticReservations(device, setup)) {
        table.reserve(r.protocol, r.ip, r.port);
        notes.push(`${protocolName(r.protocol)}/${r.port} on ${formatIp(r.ip)} is held by the static NAT on line ${r.line}: the PAT cannot give it to a client`);
      }
      for (const o of ownIke) for (const port of [500, 4500]) table.reserve(PROTO.UDP, o.ip, port);
      notes.push(...common);
      const sessions = simulatePat(table, cl.clients, opts.flows ?? IPSEC_FLOWS, pk.peer);
      const traces = traceSessions(device, setup, sessions, opts.sets);
      out.push({ setup, clients: cl.clients, peer: pk.peer, sessions, traces, notes, ownIke });
    }
  }
  return out;
}
