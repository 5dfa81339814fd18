/** Lookups on a Device that several stages need: interfaces by name, the device's own addresses. */
import type { Device, Interface } from "./types.js";

/**
 * ASA `access-group NAME global` is stored as an access-group of this pseudo interface
 * (name and nameif "global"): see src/parse/asa/index.ts.
 */
export const GLOBAL_ACL_INTERFACE = "global";

export function isGlobalAclInterface(i: Interface): boolean {
  return i.name === GLOBAL_ACL_INTERFACE && i.nameif === GLOBAL_ACL_INTERFACE;
}

export function globalAclInterface(device: Device): Interface | undefined {
  return device.interfaces.find(isGlobalAclInterface);
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
