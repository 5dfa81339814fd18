/** Lookups on a Device that several stages need: interfaces by name, ACL bindings, own addresses. */
import type { AccessGroup, Device, Interface } from "./types.js";

/** The interface's display name: ASA nameif when present, else the interface name. */
export function ifName(i: Interface): string {
  return i.nameif ?? i.name;
}

/** An interface by its name or ASA nameif, case-insensitively (as configs refer to them). */
export function findInterface(device: Device, name: string): Interface | undefined {
  const n = name.toLowerCase();
  return device.interfaces.find((i) => i.name.toLowerCase() === n || i.nameif?.toLowerCase() === n);
}

/** Every address configured on the device's interfaces. */
export function deviceAddresses(device: Device): Set<number> {
  const s = new Set<number>();
  for (const i of device.interfaces) for (const a of i.addresses) s.add(a.ip);
  return s;
}

/**
 * One place an ACL is applied: an interface's access-group, or the ASA global ACL (`iface`
 * undefined), which applies inbound on every interface after the interface's own ACL.
 */
export interface AclBinding {
  group: AccessGroup;
  /** undefined for the ASA global ACL. */
  iface: Interface | undefined;
}

/** Every access-group of the device: interfaces in config order (IPv4 access-groups, then IOS IPv6 traffic filters), then the global ACL. */
export function aclBindings(device: Device): AclBinding[] {
  const out: AclBinding[] = [];
  for (const iface of device.interfaces) {
    for (const group of iface.accessGroups) out.push({ group, iface });
    for (const group of iface.ipv6Filters ?? []) out.push({ group, iface });
  }
  if (device.globalAcl) out.push({ group: device.globalAcl, iface: undefined });
  return out;
}

/** Where one ACL is applied. */
export function bindingsOf(device: Device, acl: string): AclBinding[] {
  return aclBindings(device).filter((b) => b.group.acl === acl);
}

/** `GigabitEthernet0/1 out`, `outside in`, or `global` for the ASA global ACL. */
export function bindingLabel(b: AclBinding): string {
  return b.iface ? `${ifName(b.iface)} ${b.group.direction}` : "global";
}

/** The (IPv4 or ASA unified) ACL an interface applies in a direction (control-plane ACLs filter traffic to the box, not through it). */
export function boundAcl(i: Interface, direction: "in" | "out"): string | undefined {
  return i.accessGroups.find((g) => g.direction === direction && !g.controlPlane)?.acl;
}
