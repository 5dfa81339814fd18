/** Where an ACL is applied, and what that implies for the packets it can see. */
import { subnet, host } from "../model/addr.js";
import type { Device, Interface, PortSet } from "../model/types.js";
import { normalizePorts } from "../model/ports.js";
import { patSetups } from "../sim/ipsec.js";
import type { HeaderSpace, PSet } from "../headerspace/index.js";
import { bindingsOf, deviceAddresses } from "../model/device.js";

export function bindings(device: Device, acl: string): Array<{ iface: Interface | undefined; direction: "in" | "out"; controlPlane: boolean }> {
  return bindingsOf(device, acl).map((b) => ({ iface: b.iface, direction: b.group.direction, controlPlane: !!b.group.controlPlane }));
}

/**
 * Sources that reach this ACL untranslated: when the ACL is applied only inbound on interfaces,
 * the subnets connected to those interfaces (their hosts send with their own ports; no PAT sits
 * between them and this ACL). undefined when the ACL is applied elsewhere or nowhere.
 */
export function connectedSources(device: Device, acl: string, hs: HeaderSpace): PSet | undefined {
  const b = bindings(device, acl);
  if (b.length === 0 || b.some((x) => x.direction !== "in" || x.controlPlane || x.iface === undefined)) return undefined;
  const nets = b.flatMap((x) => x.iface!.addresses.map((a) => subnet(a.ip, a.mask)));
  return nets.length ? hs.addrSet("src", nets) : undefined;
}

/** The device's own interface addresses as a set on `field`. */
export function ownAddresses(device: Device, hs: HeaderSpace, field: "src" | "dst"): PSet {
  return hs.addrSet(field, [...deviceAddresses(device)].map(host));
}

/**
 * ASA (spec §5.3): traffic to the ASA itself is filtered by control-plane ACLs, not by interface
 * ACLs, so an interface-ACL line whose every destination is one of the ASA's own addresses never
 * matches. Returns true for such a line of an ACL applied as an interface ACL.
 */
export function asaToDeviceOnly(device: Device, aclName: string, match: PSet, hs: HeaderSpace): boolean {
  if (device.vendor !== "asa" || hs.isEmpty(match)) return false;
  const b = bindings(device, aclName);
  if (b.length === 0 || b.some((x) => x.controlPlane)) return false;
  return hs.subset(match, ownAddresses(device, hs, "dst"));
}

/** Where this device's own PATs sit: their inside and outside interfaces, addresses and ports. */
export interface PatSides {
  inside: Set<Interface>;
  outside: Set<Interface>;
  /** The PATs' global addresses and the outside interfaces' own addresses. */
  addresses: number[];
  /** Ports this device's PAT may give a session from real port `q` (union over its PAT rules). */
  ownPorts(q: number): PortSet;
}

/** `profile`: the run's --profile override, so "this device's own ports" follow it too. */
export function patSides(device: Device, profile?: string): PatSides | undefined {
  const setups = patSetups(device, profile);
  if (setups.length === 0) return undefined;
  const inside = new Set<Interface>();
  const outside = new Set<Interface>();
  for (const s of setups) {
    if (s.insideIf) inside.add(s.insideIf);
    if (s.outsideIf) outside.add(s.outsideIf);
  }
  // IOS: every `ip nat inside` interface feeds the PAT.
  for (const i of device.interfaces) if (device.vendor === "ios" && i.natRole === "inside") inside.add(i);
  const addresses = [...new Set([...setups.flatMap((s) => s.globals), ...[...outside].flatMap((i) => i.addresses.map((a) => a.ip))])];
  return {
    inside,
    outside,
    addresses,
    ownPorts: (q) => normalizePorts(setups.map((s) => s.profile.bands[s.profile.bandFor(q)]!)),
  };
}
