/**
 * The head-end's view without a path file: N clients behind one remote NAT of a given profile
 * arrive at the head-end (a two-hop path: the NAT, then the head-end's config). Used by
 * `explain HEADEND --remote-nat` and, through the `remoteNat` setting, by lint.
 */
import { formatIp, parseIp } from "../model/addr.js";
import { boundAcl, ifName } from "../model/device.js";
import { inPorts, PROTO } from "../model/ports.js";
import type { Device, Interface } from "../model/types.js";
import { findProfile } from "../nat/profiles-remote.js";
import type { PatProfile } from "../nat/profiles.js";
import { DEFAULT_PEER } from "./endpoints.js";
import { simulatePath, type PathOptions } from "./path.js";
import { deviceView } from "./path-device.js";
import { ownerOf, routeTo } from "./route.js";
import type { DeviceSimulation } from "./device.js";
import type { PathHop, PathSimulation } from "./path-types.js";
import type { FlowSpec } from "./sessions.js";

/** Where the remote NAT's outside address is, unless given (TEST-NET-2, RFC 5737). */
export const DEFAULT_REMOTE_GLOBAL = 0xc63364c8; // 198.51.100.200
/** The first client behind a remote NAT, unless given (the others follow). */
export const DEFAULT_REMOTE_INSIDE = 0xc0a8010b; // 192.168.1.11

export interface RemoteNat {
  /** As written: `windows-rras`, `cgnat:256`, `unknown@203.0.113.7`. */
  id: string;
  profile: PatProfile;
  global: number;
}

/** `PROFILE` or `PROFILE@A.B.C.D`; undefined with the problem when it is not one. */
export function parseRemoteNat(text: string): RemoteNat | { error: string } {
  const [id, at, ...rest] = text.split("@");
  const profile = id ? findProfile(id) : undefined;
  if (!profile || rest.length) return { error: `"${text}" is not a NAT profile (PROFILE or PROFILE@ADDRESS)` };
  const global = at === undefined ? DEFAULT_REMOTE_GLOBAL : parseIp(at);
  if (global === undefined) return { error: `"${text}": "${at}" is not an IPv4 address` };
  return { id: text, profile, global };
}

/**
 * The address clients connect to: `peer`, else the first host address an `in` ACL permits udp
 * 500/4500 to (the device's own or a server's behind it), else the address of the interface the
 * default route leaves by.
 */
export function headendPeer(device: Device, peer?: number): { peer: number; via?: Interface; note: string } {
  if (peer !== undefined) return { peer, note: `peer ${formatIp(peer)} (given)` };
  for (const i of device.interfaces) {
    const name = boundAcl(i, "in");
    const acl = name ? device.acls.get(name) : undefined;
    for (const e of acl?.entries ?? []) {
      if (e.action !== "permit") continue;
      const ipsec = e.match.services.some((t) => t.protocol === PROTO.UDP && (inPorts(t.dstPorts, 500) || inPorts(t.dstPorts, 4500)) && t.dstPorts !== undefined);
      const h = e.match.dst.find((w) => w.wildcard === 0);
      if (ipsec && h) return { peer: h.addr, via: i, note: `peer ${formatIp(h.addr)} (from ${acl!.name} line ${e.source.line} on ${ifName(i)})` };
    }
  }
  const def = routeTo(device, 0x08080808);
  const a = def?.iface.addresses[0];
  if (def && a) return { peer: a.ip, via: def.iface, note: `peer ${formatIp(a.ip)} (the address of ${ifName(def.iface)}, where the default route leaves)` };
  return { peer: DEFAULT_PEER, note: `no IPsec peer found in the ACLs; using ${formatIp(DEFAULT_PEER)}` };
}

export interface RemoteOptions extends PathOptions {
  clients: readonly number[];
  peer?: number;
  flows: readonly FlowSpec[];
}

/** One remote NAT's sessions to the head-end, as a path simulation; `notes` say what was chosen. */
export function remoteNatPath(device: Device, nat: RemoteNat, o: RemoteOptions): { sim: PathSimulation; hops: PathHop[]; peer: number; notes: string[] } {
  const pk = headendPeer(device, o.peer);
  const notes = [pk.note];
  // the interface the clients arrive on: the route back to the NAT, else where the peer is
  let inName: string | undefined;
  if (!routeTo(device, nat.global)) {
    const i = ownerOf(device, pk.peer) ?? pk.via;
    if (i) {
      inName = i.name;
      notes.push(`no route to ${formatIp(nat.global)}: the clients are taken to arrive on ${ifName(i)} (${ownerOf(device, pk.peer) ? "it holds the peer address" : "its in ACL permits IKE to the peer"})`);
    }
  }
  const hops: PathHop[] = [
    { kind: "nat", profile: nat.profile, global: nat.global, label: `remote ${nat.profile.id} NAT ${formatIp(nat.global)}` },
    { kind: "config", device, ...(inName !== undefined ? { in: inName } : {}) },
  ];
  const sim = simulatePath({ hops, clients: o.clients, peer: pk.peer, flows: o.flows, remoteNat: nat.id }, o);
  return { sim, hops, peer: pk.peer, notes };
}

/** The client addresses behind a remote NAT: N from `first`. */
export function remoteClients(n: number, first = DEFAULT_REMOTE_INSIDE): number[] {
  return Array.from({ length: n }, (_, i) => (first + i) >>> 0);
}

/** The remote NATs' sessions as the head-end's own simulations (for pat-drops-ipsec). */
export function remoteNatSimulations(device: Device, nats: readonly RemoteNat[], o: RemoteOptions): DeviceSimulation[] {
  return nats.map((n) => {
    const { sim } = remoteNatPath(device, n, o);
    return deviceView(sim, 1, n.profile, `remote ${n.id} NAT`, (s) => `${s.flow} behind ${n.id}`);
  });
}
