/**
 * Simulating N IPsec clients behind a device's PAT and following each session through the
 * device's ACL checkpoints in the vendor's order of operations.
 *
 * IOS (Cisco "NAT Order of Operation", doc 6209): outbound, the inside interface's `in` ACL sees
 * the real source, then NAT inside→outside, then the outside interface's `out` ACL sees the
 * translated source; return, the outside interface's `in` ACL sees the translated destination
 * before un-NAT (NAT outside→inside runs after the input ACL), then the inside interface's `out`
 * ACL sees the real destination. IOS interface ACLs are stateless: replies are checked.
 *
 * ASA 8.3+ (ASA 8.3 migration guide: "real IP addresses in access lists"; ASA configuration
 * guide, "Access Rules for Returning Traffic"): interface ACLs match real addresses and ports
 * (before NAT on the way out), and return traffic of a permitted connection is not checked.
 */
import { formatIp } from "../model/addr.js";
import { protocolName } from "../model/ports.js";
import { packet, type Device } from "../model/types.js";
import type { AclSets } from "../acl/sets.js";
import { PatTable, type Translation } from "../nat/pat.js";
import { staticReservations, type NatSetup, type PatSetup } from "../nat/setup.js";
import { asaInbound, evalCheckpoint, verdictOf, type CheckpointVerdict } from "./checkpoints.js";
import { pickClients, pickPeer } from "./endpoints.js";
import { IPSEC_FLOWS, simulatePat, wirePorts, type FlowSpec, type PatSession } from "./sessions.js";

export interface SessionTrace {
  client: number;
  flow: string;
  direction: "outbound" | "return";
  inside: { ip: number; port: number };
  translated: Translation | undefined;
  peer: { ip: number; port: number };
  checkpoints: CheckpointVerdict[];
  verdict: "permit" | "drop";
  /** Why: "PAT exhausted", "drop for 2 of 511 ports", … */
  detail?: string;
  /** A flow carried inside another (L2TP in NAT-T): its packets, and so its verdicts, are the carrier's. */
  carriedIn?: { flow: string; port: number };
}

export interface DeviceSimulation {
  setup: PatSetup;
  clients: number[];
  peer: number;
  sessions: PatSession[];
  traces: SessionTrace[];
  notes: string[];
}

/** Follow every session of `sessions` through the device in its vendor's order of operations. */
export function traceSessions(device: Device, setup: PatSetup, sessions: PatSession[], sets?: AclSets): SessionTrace[] {
  const traces: SessionTrace[] = [];
  const ios = device.vendor === "ios";
  for (const s of sessions) {
    const t = s.translated;
    const wire = wirePorts(s);
    const real = packet({ protocol: s.protocol, src: s.inside.ip, dst: s.peer.ip, srcPort: wire.inside, dstPort: wire.peer });
    const out: CheckpointVerdict[] = [];
    const add = (c: CheckpointVerdict | undefined) => {
      if (c) out.push(c);
      return !c || c.action === "permit";
    };
    // Outbound.
    let ok = true;
    if (setup.insideIf) {
      if (ios) ok = add(evalCheckpoint(device, sets, setup.insideIf, "in", real, "real"));
      else for (const c of asaInbound(device, sets, setup.insideIf, real)) ok = add(c);
    }
    if (ok && t && setup.outsideIf) {
      if (ios) {
        const xp = { ...real, src: t.ip, srcPort: t.port ?? t.ports[0]!.lo };
        add(evalCheckpoint(device, sets, setup.outsideIf, "out", xp, "translated", { field: "srcPort", ports: t.ports }));
      } else add(evalCheckpoint(device, sets, setup.outsideIf, "out", real, "real"));
    }
    let v = t ? verdictOf(out) : { verdict: "drop" as const, detail: "PAT exhausted: no free port on any global address" };
    traces.push({ client: s.client, flow: s.flow, direction: "outbound", inside: s.inside, translated: t, peer: s.peer, checkpoints: out, ...v, ...(s.carriedIn ? { carriedIn: s.carriedIn } : {}) });

    // Return: only IOS checks replies (stateless ACLs); the ASA passes them by connection state.
    const back: CheckpointVerdict[] = [];
    const addB = (c: CheckpointVerdict | undefined) => {
      if (c) back.push(c);
      return !c || c.action === "permit";
    };
    if (t && ios) {
      const xr = packet({ protocol: s.protocol, src: s.peer.ip, dst: t.ip, srcPort: wire.peer, dstPort: t.port ?? t.ports[0]!.lo });
      ok = setup.outsideIf ? addB(evalCheckpoint(device, sets, setup.outsideIf, "in", xr, "translated", { field: "dstPort", ports: t.ports })) : true;
      if (ok && setup.insideIf) {
        const rr = packet({ protocol: s.protocol, src: s.peer.ip, dst: s.inside.ip, srcPort: wire.peer, dstPort: wire.inside });
        addB(evalCheckpoint(device, sets, setup.insideIf, "out", rr, "real"));
      }
    }
    v = t ? verdictOf(back) : { verdict: "drop" as const, detail: "PAT exhausted: no translation" };
    traces.push({ client: s.client, flow: s.flow, direction: "return", inside: s.inside, translated: t, peer: s.peer, checkpoints: back, ...v, ...(s.carriedIn ? { carriedIn: s.carriedIn } : {}) });
  }
  return traces;
}

export interface DeviceSimulationOptions {
  clients: number;
  /** The peer to simulate; undefined: picked from the ACLs. */
  peer?: number;
  flows?: readonly FlowSpec[];
  /** Packet sets for exact verdicts over port sets (random PAT profiles); without them one example port is evaluated. */
  sets?: AclSets;
}

/** Everything `explain` shows and `pat-drops-ipsec` reasons about, for each PAT rule of the device. */
export function simulateDevice(device: Device, nat: NatSetup, opts: DeviceSimulationOptions): DeviceSimulation[] {
  const out: DeviceSimulation[] = [];
  for (const setup of nat.pats) {
    const notes = [...setup.notes];
    const pk = opts.peer !== undefined ? { peer: opts.peer, note: `peer ${formatIp(opts.peer)} (from --peer)` } : pickPeer(device, setup);
    const cl = pickClients(device, setup, opts.clients, pk.peer);
    notes.unshift(cl.note, pk.note);
    const table = new PatTable(setup.profile, setup.globals, { roundRobin: setup.roundRobin });
    for (const r of staticReservations(device, setup)) {
      table.reserve(r.protocol, r.ip, r.port);
      notes.push(`${protocolName(r.protocol)}/${r.port} on ${formatIp(r.ip)} is held by the static NAT on line ${r.line}: the PAT cannot give it to a client`);
    }
    const sessions = simulatePat(table, cl.clients, opts.flows ?? IPSEC_FLOWS, pk.peer);
    const traces = traceSessions(device, setup, sessions, opts.sets);
    out.push({ setup, clients: cl.clients, peer: pk.peer, sessions, traces, notes });
  }
  return out;
}
