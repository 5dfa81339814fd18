/**
 * Who talks to whom in a simulation: the clients behind a PAT (from the config's DHCP ranges and
 * inside subnets); the peers are ./peers.ts.
 */
import { formatIp, maskToPrefix } from "../model/addr.js";
import { PROTO } from "../model/ports.js";
import { deviceAddresses, ifName } from "../model/device.js";
import { packet, type Device } from "../model/types.js";
import { natSelects, type PatSetup } from "../nat/setup.js";

/** TEST-NET-3 address used when no IPsec peer can be found in the ACLs. */
export const DEFAULT_PEER = 0xcb00710a; // 203.0.113.10

/**
 * Pick realistic client addresses: hosts of the inside interface's subnet that the NAT rule
 * translates, skipping the network and broadcast addresses, the device's own addresses and
 * DHCP-excluded ranges (`ip dhcp excluded-address`), in address order.
 */
export function pickClients(device: Device, setup: PatSetup, n: number, peer: number): { clients: number[]; note: string } {
  const own = deviceAddresses(device);
  const excluded = (a: number) => device.dhcpExcluded.some((r) => a >= r.start && a <= r.end);
  // Candidate host ranges, best first: DHCP ranges, the inside subnet, the NAT ACL's sources.
  const candidates: Array<{ first: number; last: number; why: string }> = [];
  const hosts = (base: number, size: number) => (size > 2 ? { first: base + 1, last: base + size - 2 } : { first: base, last: base + size - 1 });
  for (const r of device.dhcpRanges) candidates.push({ first: r.start, last: r.end, why: "addresses of the DHCP range" });
  const a = setup.insideIf?.addresses.find((x) => !x.secondary) ?? setup.insideIf?.addresses[0];
  if (a) candidates.push({ ...hosts((a.ip & a.mask) >>> 0, 2 ** (32 - (maskToPrefix(a.mask) ?? 24))), why: `hosts of ${ifName(setup.insideIf!)}'s subnet` });
  const selAcl = setup.rule.match.acl ? device.acls.get(setup.rule.match.acl) : undefined;
  for (const e of selAcl?.entries ?? []) {
    if (e.action !== "permit") continue;
    for (const w of e.match.src) candidates.push({ ...hosts(w.addr, w.wildcard + 1), why: `sources of NAT ACL ${selAcl!.name}` });
  }
  for (const w of setup.rule.match.realAddrs ?? []) candidates.push({ ...hosts(w.addr, w.wildcard + 1), why: "the NAT rule's real addresses" });
  for (const c of candidates) {
    const clients: number[] = [];
    // Bounded scan: at most 70,000 addresses per candidate range.
    for (let ip = c.first; ip <= c.last && clients.length < n && ip - c.first < 70000; ip++) {
      if (own.has(ip) || excluded(ip)) continue;
      const p = packet({ protocol: PROTO.UDP, src: ip >>> 0, dst: peer, srcPort: 500, dstPort: 500 });
      if (natSelects(device, setup.rule, p) === false) continue;
      clients.push(ip >>> 0);
    }
    if (clients.length === n) {
      const excl = device.dhcpExcluded.length ? ", after the DHCP-excluded addresses" : "";
      return { clients, note: `clients ${clients.map(formatIp).join(", ")} (first ${n} ${c.why} translated by the PAT${excl})` };
    }
  }
  const clients = Array.from({ length: n }, (_, i) => (0xc0a8640b + i) >>> 0); // 192.168.100.11…
  return { clients, note: `no inside subnet found for the PAT; using clients ${formatIp(clients[0]!)}…` };
}
