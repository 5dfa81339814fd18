/**
 * Which interface a device sends a packet out of, from its connected subnets and static routes
 * (longest prefix first; a connected subnet wins over a static route of the same length, as its
 * administrative distance 0 beats a static route's 1: Cisco IOS IP Routing Configuration Guide,
 * "administrative distance"). A static route with only a next hop is resolved through the
 * connected subnet that holds the next hop (recursive lookup, at most four steps). Dynamic
 * routing protocols are not read: a path hop can name its interfaces (`in`, `out`) instead.
 */
import { formatIp, maskToPrefix } from "../model/addr.js";
import { findInterface, ifName } from "../model/device.js";
import type { Device, Interface, StaticRoute } from "../model/types.js";

export interface RouteChoice {
  iface: Interface;
  /** How it was chosen, for the explanation: `connected 192.0.2.0/24`, `ip route 0.0.0.0/0 (line 40)`. */
  why: string;
}

function up(i: Interface): boolean {
  return !i.shutdown && i.addresses.length > 0;
}

function connected(device: Device, ip: number): { iface: Interface; prefix: number; why: string } | undefined {
  let best: { iface: Interface; prefix: number; why: string } | undefined;
  for (const i of device.interfaces) {
    if (!up(i)) continue;
    for (const a of i.addresses) {
      const len = maskToPrefix(a.mask) ?? 0;
      if (((ip ^ a.ip) & a.mask) >>> 0 !== 0) continue;
      if (!best || len > best.prefix) best = { iface: i, prefix: len, why: `connected ${formatIp((a.ip & a.mask) >>> 0)}/${len} on ${ifName(i)}` };
    }
  }
  return best;
}

function routeText(r: StaticRoute): string {
  return `route ${formatIp(r.prefix)}/${maskToPrefix(r.mask) ?? "?"} (line ${r.source.line})`;
}

/** The interface a packet to `ip` leaves by, or undefined (no route, or a route to Null0). */
export function routeTo(device: Device, ip: number, depth = 0): RouteChoice | undefined {
  const c = connected(device, ip);
  let best: StaticRoute | undefined;
  let bestLen = -1;
  for (const r of device.routes ?? []) {
    if (((ip ^ r.prefix) & r.mask) >>> 0 !== 0) continue;
    const len = maskToPrefix(r.mask) ?? 0;
    if (len > bestLen) {
      best = r;
      bestLen = len;
    }
  }
  if (c && c.prefix >= bestLen) return { iface: c.iface, why: c.why };
  if (!best) return undefined;
  if (best.iface !== undefined) {
    const i = findInterface(device, best.iface);
    return i && !i.shutdown ? { iface: i, why: `${routeText(best)} via ${ifName(i)}` } : undefined;
  }
  if (best.nextHop === undefined || depth >= 4) return undefined;
  const via = routeTo(device, best.nextHop, depth + 1);
  return via ? { iface: via.iface, why: `${routeText(best)} via ${formatIp(best.nextHop)} on ${ifName(via.iface)}` } : undefined;
}

/** The interface that owns `ip` (the packet is for the device itself). */
export function ownerOf(device: Device, ip: number): Interface | undefined {
  return device.interfaces.find((i) => i.addresses.some((a) => a.ip === ip));
}
