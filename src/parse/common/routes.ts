/**
 * Static routes, for the path simulation's choice of interfaces (connected subnets and static
 * routes are enough to follow IPsec sessions from one device to the next).
 *
 * - IOS (Cisco IOS IP Routing: Static Configuration Guide, "ip route"):
 *   `ip route [vrf NAME] PREFIX MASK {INTERFACE [NEXTHOP] | NEXTHOP} [DISTANCE] [name N] [permanent] [tag T] [track N]`.
 *   VRF routes are not in the global table and are left out; `dhcp` next hops are learnt at run
 *   time and left out.
 * - ASA (Cisco ASA General Operations CLI Configuration Guide, "Static and Default Routes"):
 *   `route IFNAME NETWORK MASK GATEWAY [DISTANCE] [track N | tunneled]`; names from `name` work
 *   for the addresses.
 *
 * A line of another shape is not read into the routes: the parsers keep it in `routesUnread`
 * (a single-device lint never used routes, so it raises no finding there), and a path that
 * routes through the device names it in its notes. What was read is only used to pick interfaces.
 */
import { parseIp } from "../../model/addr.js";
import type { SourceRef, StaticRoute } from "../../model/types.js";

const IP = /^\d{1,3}(?:\.\d{1,3}){3}$/;

/** `ip route …` tokens (including `ip route`); `iface` canonicalises an interface name. */
export function iosRoute(toks: readonly string[], source: SourceRef, iface: (name: string) => string): StaticRoute | undefined {
  let i = 2;
  if (toks[i]?.toLowerCase() === "vrf") return undefined;
  const prefix = IP.test(toks[i] ?? "") ? parseIp(toks[i]) : undefined;
  const mask = IP.test(toks[i + 1] ?? "") ? parseIp(toks[i + 1]) : undefined;
  if (prefix === undefined || mask === undefined) return undefined;
  i += 2;
  const a = toks[i];
  if (a === undefined) return undefined;
  if (IP.test(a)) return { prefix: (prefix & mask) >>> 0, mask, nextHop: parseIp(a)!, source };
  if (/^(dhcp|vrf|name|tag|track|permanent|multicast|global)$/i.test(a) || /^\d+$/.test(a)) return undefined;
  const route: StaticRoute = { prefix: (prefix & mask) >>> 0, mask, iface: iface(a), source };
  const nh = toks[i + 1];
  if (nh !== undefined && IP.test(nh)) route.nextHop = parseIp(nh)!;
  return route;
}

/** `route IFNAME NET MASK GATEWAY …` tokens; `names` resolves ASA `name` entries. */
export function asaRoute(toks: readonly string[], source: SourceRef, names: ReadonlyMap<string, number>): StaticRoute | undefined {
  const ifname = toks[1];
  const addr = (t: string | undefined) => (t === undefined ? undefined : IP.test(t) ? parseIp(t) : names.get(t));
  const net = addr(toks[2]);
  const mask = IP.test(toks[3] ?? "") ? parseIp(toks[3]) : undefined;
  const gw = addr(toks[4]);
  if (ifname === undefined || net === undefined || mask === undefined || gw === undefined) return undefined;
  return { prefix: (net & mask) >>> 0, mask, iface: ifname, nextHop: gw, source };
}
