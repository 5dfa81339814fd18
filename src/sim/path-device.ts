/**
 * A path simulation as one device sees it: the sessions another hop translated, with this
 * device's checkpoints, in the shape of a device simulation, so the device's rules
 * (pat-drops-ipsec) report the pinned line on the device that drops them. Sessions this device
 * translated itself are left to its own simulation.
 */
import type { NatRule } from "../model/types.js";
import type { PatProfile } from "../nat/profiles.js";
import type { PatSetup } from "../nat/setup.js";
import type { DeviceSimulation, SessionTrace } from "./device.js";
import { verdictOf } from "./checkpoints.js";
import type { PathSession, PathSimulation } from "./path-types.js";

/** A stand-in PAT setup for the NAT(s) upstream of a device (the check reads only the traces). */
function upstreamSetup(profile: PatProfile, label: string): PatSetup {
  const rule: NatRule = { source: { file: label, line: 0, text: label }, type: "dynamic", pat: true, match: {}, mapped: { kind: "addresses", ranges: [] } };
  return { rule, insideIf: undefined, outsideIf: undefined, globals: [], profile, roundRobin: false, notes: [] };
}

/**
 * The traces of `sim` at hop `hop` for sessions a NAT before that hop translated.
 * `flowLabel` names a session's flow (e.g. `IKE behind windows-rras` in the head-end's view).
 */
export function deviceView(sim: PathSimulation, hop: number, profile: PatProfile, label: string, flowLabel: (s: PathSession) => string = (s) => s.flow): DeviceSimulation {
  const traces: SessionTrace[] = [];
  const outboundOf = new Map<string, PathSession>();
  for (const s of sim.sessions) if (s.direction === "outbound") outboundOf.set(`${s.client}\0${s.flow}\0${s.remoteNat ?? ""}`, s);
  for (const s of sim.sessions) {
    const r = s.hops.find((h) => h.hop === hop);
    if (!r) continue;
    const fwd = outboundOf.get(`${s.client}\0${s.flow}\0${s.remoteNat ?? ""}`)?.hops.find((h) => h.hop === hop);
    // translated before this device (not by its own PAT)
    if (!fwd?.arrives.translated) continue;
    const ip = s.direction === "outbound" ? r.arrives.src : r.arrives.dst;
    const ports = s.direction === "outbound" ? r.arrives.srcPorts : r.arrives.dstPorts;
    const certain = ports.length === 1 && ports[0]!.lo === ports[0]!.hi ? ports[0]!.lo : undefined;
    const v = r.detail ? { verdict: r.verdict, detail: r.detail } : verdictOf(r.checkpoints);
    traces.push({
      client: s.client,
      flow: flowLabel(s),
      direction: s.direction,
      inside: s.inside,
      translated: { ip, ports, ...(certain !== undefined ? { port: certain } : {}), kept: false },
      peer: s.peer,
      checkpoints: r.checkpoints,
      ...v,
      ...(s.carriedIn ? { carriedIn: s.carriedIn } : {}),
    });
  }
  const setup = upstreamSetup(profile, label);
  const clients = [...new Set(sim.sessions.map((s) => s.inside.ip))];
  return { setup, clients, peer: sim.sessions[0]?.peer.ip ?? 0, ownIke: [], sessions: [], traces, notes: sim.notes };
}
