/**
 * The role of an ACL where it is applied, per packet: which end of an IKE/NAT-T packet may carry a
 * port a PAT picked. Decided from the config, not from the line's text (the same line is right on
 * a PAT router and wrong on a head-end).
 *
 * For an ACL applied `in` on an interface the near end of a packet is its destination, `out` its
 * source; the far end is the other one. The near end is:
 * - `own-ike`: an address the device terminates IKE on (./../sim/peers.ts): a head-end; its own
 *   port is 500/4500, the far end (remote peers and clients, often behind a PAT) is the PAT side.
 *   IOS outbound ACLs do not filter traffic the router sends itself (Cisco Consolidated Platform
 *   Configuration Guide, IOS 15.2(4)E, "Access lists that are applied to interfaces on a device do
 *   not filter traffic that originates from that device"), and ASA interface ACLs do not filter
 *   traffic to or from the ASA (only control-plane ACLs see it): such packets are `skip`.
 * - `published`: a host behind the device reached through static NAT (a VPN server, or a port
 *   forward of udp 500/4500): a head-end behind it; the far end is the PAT side.
 * - `pat-outside`: on the outside interface of this IOS device's PAT, every other near end (its PAT
 *   address, however the ACL writes it): its ports are the ones this PAT picks (the far end is the
 *   head-end, its port fixed).
 * - `pat-clients`: the real addresses of this device's PAT clients (IOS inside interfaces, and
 *   every ASA 8.3+ ACL, which matches real addresses and ports): real ports, never PAT-side; `skip`.
 * - `transit`: anything else: the side whose port the line leaves wider is taken as the PAT side
 *   (a head-end's own port is the fixed one); with equal port sets both readings must fail.
 */
import { host, subnet } from "../model/addr.js";
import { deviceAddresses } from "../model/device.js";
import type { Device, Wildcard } from "../model/types.js";
import type { HeaderSpace, PSet } from "../headerspace/index.js";
import { findInterface } from "../model/device.js";
import type { NatSetup } from "../nat/setup.js";
import { ownIkeEndpoints, ownPeers, type OwnIke } from "../sim/peers.js";
import type { Placement } from "./scope.js";

export type Role = "own-ike" | "published" | "pat-outside" | "pat-clients" | "transit" | "skip";

export interface RolePart {
  role: Role;
  /** The packets of this part: the near end's addresses, on the near field. */
  set: PSet;
  nearField: "src" | "dst";
  /** For `own-ike`: where the device terminates IKE. */
  ike?: OwnIke;
}

/** The device facts the roles need, computed once per device. */
export interface RoleFacts {
  own: Wildcard[];
  ike: Array<{ ip: number; at: OwnIke }>;
  /** Static peers of the device's own IKE (crypto map set peer, tunnel destination, Easy VPN peer). */
  staticPeers: Wildcard[];
  patGlobals: Wildcard[];
  clients: Wildcard[];
  /** Per udp port (500, 4500): hosts published by static NAT (their real and mapped addresses). */
  published(port: number): Wildcard[];
}

export function roleFacts(device: Device, nat: NatSetup): RoleFacts {
  const ike: RoleFacts["ike"] = [];
  for (const e of ownIkeEndpoints(device)) {
    if (e.ip !== undefined) ike.push({ ip: e.ip, at: e });
    else
      for (const s of nat.pats)
        if (s.rule.mapped.kind === "interface" && e.iface !== undefined && findInterface(device, s.rule.mapped.iface) === e.iface) ike.push({ ip: s.globals[0]!, at: e });
  }
  const clients: Wildcard[] = [];
  for (const i of nat.sides?.inside ?? []) for (const a of i.addresses) clients.push(subnet(a.ip, a.mask));
  for (const s of nat.pats) for (const w of s.rule.match.realAddrs ?? []) clients.push(w);
  const statics = device.natRules.filter((r) => r.type === "static");
  return {
    own: [...deviceAddresses(device)].map(host),
    ike,
    staticPeers: ownPeers(device).map((p) => host(p.ip)),
    patGlobals: [...new Set(nat.pats.flatMap((s) => s.globals))].map(host),
    clients,
    published(port) {
      const out: Wildcard[] = [];
      for (const r of statics) {
        if (r.match.protocol !== undefined && !(r.match.protocol === 17 && (r.mappedPort === port || r.match.realPort === port))) continue;
        out.push(...(r.match.realAddrs ?? []));
        if (r.mapped.kind === "addresses") for (const x of r.mapped.ranges) if (x.start === x.end) out.push(host(x.start));
        if (r.mapped.kind === "interface") {
          const ip = findInterface(device, r.mapped.iface)?.addresses[0]?.ip;
          if (ip !== undefined) out.push(host(ip));
        }
      }
      return out;
    },
  };
}

/** `roleParts`' address sets per device's facts (and header space). */
const roleSets = new WeakMap<RoleFacts, { hs: HeaderSpace; sets: Map<string, PSet> }>();

/**
 * The parts of the packets an ACL sees at one placement, by the role of their near end, for udp
 * port `port` (disjoint, in the order above).
 */
export function roleParts(device: Device, nat: NatSetup, facts: RoleFacts, hs: HeaderSpace, b: Placement, port: number): RolePart[] {
  const nearField = b.direction === "in" ? "dst" : "src";
  // the device's address lists as sets, built once per device and field (every ACL and flow asks)
  let built = roleSets.get(facts);
  if (built === undefined || built.hs !== hs) roleSets.set(facts, (built = { hs, sets: new Map() }));
  const memo = built.sets;
  const set = (key: string, ws: () => readonly Wildcard[]): PSet => {
    const k = `${nearField} ${key}`;
    let s = memo.get(k);
    if (s === undefined) memo.set(k, (s = hs.addrSet(nearField, [...ws()])));
    return s;
  };
  const parts: RolePart[] = [];
  let rest = hs.all;
  const take = (role: Role, s: PSet, ike?: OwnIke) => {
    const part = hs.and(rest, s);
    if (hs.isEmpty(part)) return;
    rest = hs.diff(rest, part);
    parts.push({ role, set: part, nearField, ...(ike ? { ike } : {}) });
  };
  const asa = device.vendor === "asa";
  const pat = nat.sides;
  const onPatOutside = !asa && b.iface !== undefined && pat !== undefined && pat.outside.has(b.iface);
  const onPatInside = !asa && b.iface !== undefined && pat !== undefined && pat.inside.has(b.iface);
  // the device's own packets: IOS out ACLs and ASA interface ACLs never see them
  if (asa && !b.controlPlane) take("skip", set("own", () => facts.own));
  if (!asa && b.direction === "out") {
    if (onPatOutside) take("pat-outside", set("pat", () => facts.patGlobals));
    take("skip", set("own", () => facts.own));
  }
  for (const k of facts.ike) take("own-ike", hs.addrSet(nearField, [host(k.ip)]), k.at);
  take("published", set(`published ${port}`, () => facts.published(port)));
  // on the outside of this IOS device's PAT, the near end is the PAT's (as the router's ACLs write it, often `any`)
  if (onPatOutside) take("pat-outside", hs.all);
  if ((asa && pat !== undefined) || onPatInside) take("pat-clients", set("clients", () => facts.clients));
  if (onPatInside) take("pat-clients", hs.all);
  take("transit", hs.all);
  return parts;
}

/** The static peers of the device's own IKE on the far field (their sessions use port 500/4500 themselves). */
export function staticPeerSet(facts: RoleFacts, hs: HeaderSpace, farField: "src" | "dst"): PSet {
  return hs.addrSet(farField, facts.staticPeers);
}
