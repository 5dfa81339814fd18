/** Where an ACL is applied, and what that implies for the packets it can see. */
import { subnet, host } from "../model/addr.js";
import { host6, prefix6 } from "../model/addr6.js";
import type { Device, Interface } from "../model/types.js";
import type { HeaderSpace, PSet } from "../headerspace/index.js";
import { bindingsOf, deviceAddresses } from "../model/device.js";

export interface Placement {
  /** undefined for the ASA global ACL. */
  iface: Interface | undefined;
  direction: "in" | "out";
  controlPlane: boolean;
}

export function placements(device: Device, acl: string): Placement[] {
  return bindingsOf(device, acl).map((b) => ({ iface: b.iface, direction: b.group.direction, controlPlane: !!b.group.controlPlane }));
}

/**
 * Sources that reach this ACL untranslated: when the ACL is applied only inbound on interfaces,
 * the subnets connected to those interfaces (their hosts send with their own ports; no PAT sits
 * between them and this ACL). undefined when the ACL is applied elsewhere or nowhere.
 */
export function connectedSources(device: Device, acl: string, hs: HeaderSpace): PSet | undefined {
  const b = placements(device, acl);
  if (b.length === 0 || b.some((x) => x.direction !== "in" || x.controlPlane || x.iface === undefined)) return undefined;
  const nets = b.flatMap((x) => x.iface!.addresses.map((a) => subnet(a.ip, a.mask)));
  // and the IPv6 subnets (`ipv6 address X:X::X/N`): IPv6 packets from them (an IPv4 address test
  // leaves IPv6 packets out of nothing, so the family bit keeps the two parts apart)
  const nets6 = b.flatMap((x) => (x.iface!.addresses6 ?? []).map((a) => prefix6(a.ip, a.len)));
  const v4 = nets.length ? hs.addrSet("src", nets) : undefined;
  if (nets6.length === 0) return v4;
  const v6 = hs.and(hs.family(6), hs.addrSet6("src6", nets6));
  return v4 === undefined ? v6 : hs.or(hs.and(hs.family(4), v4), v6);
}

/** The device's own interface addresses as a set on `field`. */
export function ownAddresses(device: Device, hs: HeaderSpace, field: "src" | "dst"): PSet {
  const v4 = hs.addrSet(field, [...deviceAddresses(device)].map(host));
  const own6 = device.interfaces.flatMap((i) => (i.addresses6 ?? []).filter((a) => !a.eui64).map((a) => host6(a.ip)));
  return own6.length === 0 ? v4 : hs.or(hs.and(hs.family(4), v4), hs.and(hs.family(6), hs.addrSet6(field === "src" ? "src6" : "dst6", own6)));
}

/**
 * ASA (ASA configuration guide, "Access Rules": interface ACLs filter transit traffic; traffic to
 * the box is governed by control-plane ACLs and management access): an interface-ACL line whose
 * every destination is one of the ASA's own addresses never matches. Returns true for such a line
 * of an ACL applied as an interface ACL.
 */
export function asaToDeviceOnly(device: Device, aclName: string, match: PSet, hs: HeaderSpace): boolean {
  // its inputs, as a memo key, are asaToDeviceKey's: keep the two together
  if (device.vendor !== "asa" || hs.isEmpty(match)) return false;
  const b = placements(device, aclName);
  if (b.length === 0 || b.some((x) => x.controlPlane)) return false;
  return hs.subset(match, ownAddresses(device, hs, "dst"));
}

/** What `asaToDeviceOnly` reads of the device besides the line, as a key (for results kept per ACL). */
export function asaToDeviceKey(device: Device, aclName: string): string {
  if (device.vendor !== "asa") return "";
  const b = placements(device, aclName);
  if (b.length === 0 || b.some((x) => x.controlPlane)) return "not an interface ACL";
  const own6 = device.interfaces.flatMap((i) => (i.addresses6 ?? []).filter((a) => !a.eui64).map((a) => String(a.ip)));
  return `own ${[...deviceAddresses(device)].join(",")} ${own6.join(",")}`;
}
