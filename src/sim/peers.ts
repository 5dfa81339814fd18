/**
 * Who the device and its clients run IKE with, from the config:
 *
 * - The device's own IKE endpoints: IOS `crypto map NAME` on an interface (Cisco IOS Security
 *   Configuration Guide: Secure Connectivity, "Configuring Security for VPNs with IPsec": the router
 *   negotiates IKE on the interface's address), `tunnel protection ipsec profile` (IKE on the
 *   tunnel source), an Easy VPN remote's outside interface (`crypto ipsec client ezvpn NAME` on it:
 *   Cisco "Cisco Easy VPN Remote" configuration guide); ASA `crypto ikev1|ikev2 enable IF` and
 *   `crypto map NAME interface IF` (Cisco ASA Series VPN CLI Configuration Guide, "IPsec and
 *   ISAKMP"). The device holds udp/500 and udp/4500 on those addresses (IKE moves to 4500 behind a
 *   NAT, RFC 3947 §4, RFC 7296 §2.23), so its PAT cannot give them to a client (Cisco document 23820,
 *   "Configuring PAT to allow IPsec LAN-to-LAN tunnels": the router's own IKE on its PAT address).
 * - The device's own peers: `set peer` of the crypto maps it applies, the `tunnel destination` of
 *   its protected tunnels, the `peer` of its Easy VPN remotes.
 * - The clients' peers: every host address an ACL permit line matches with udp 500 or 4500, on
 *   either side, that is not the device's, its PAT's, a client's or one of its own peers.
 */
import { formatIp, inSubnet, parseIp } from "../model/addr.js";
import { PROTO, inPorts } from "../model/ports.js";
import { deviceAddresses, findInterface } from "../model/device.js";
import type { Device, Interface, PortSet, ServiceTerm, SourceRef } from "../model/types.js";
import type { PatSides } from "../nat/setup.js";

/** Where the device itself terminates IKE. */
export interface OwnIke {
  /** The interface whose address IKE runs on (undefined: an address written without one). */
  iface: Interface | undefined;
  /** The address, when the config gives it (an interface learning its address by DHCP has none). */
  ip: number | undefined;
  /** `crypto map VPN on GigabitEthernet0/1`, … */
  what: string;
  source: SourceRef;
}

function ifaceAddress(i: Interface | undefined): number | undefined {
  return i?.addresses.find((a) => !a.secondary)?.ip ?? i?.addresses[0]?.ip;
}

/** Every place the device runs IKE itself, in config order. */
export function ownIkeEndpoints(device: Device): OwnIke[] {
  const f = device.features;
  const out: OwnIke[] = [];
  const add = (iface: Interface | undefined, ip: number | undefined, what: string, source: SourceRef) => {
    if (iface === undefined && ip === undefined) return;
    out.push({ iface, ip: ip ?? ifaceAddress(iface), what, source });
  };
  for (const b of f.cryptoMapBindings) add(findInterface(device, b.iface), undefined, `crypto map ${b.map} on ${b.iface}`, b.source);
  if (device.vendor === "ios") {
    for (const t of f.tunnelProtection) {
      const ends = f.tunnels.get(t.iface);
      const src = ends?.source;
      if (!src) continue;
      const i = src.iface !== undefined ? findInterface(device, src.iface) : undefined;
      add(i, src.ip, `tunnel protection on ${t.iface} (tunnel source ${src.iface ?? formatIp(src.ip!)})`, t.source);
    }
    for (const b of f.ezvpnBindings) if (!b.inside) add(findInterface(device, b.iface), undefined, `Easy VPN remote ${b.name} on ${b.iface}`, b.source);
  } else {
    for (const k of f.ikeInterfaces) add(findInterface(device, k.iface), undefined, `crypto ${k.version} enable ${k.iface}`, k.source);
  }
  return out;
}

/** A peer of the device's own IKE. */
export interface OwnPeer {
  ip: number;
  what: string;
  source: SourceRef;
}

/** The device's own IKE peers: crypto map `set peer` (maps it applies), protected tunnels' destinations, Easy VPN `peer`. */
export function ownPeers(device: Device): OwnPeer[] {
  const f = device.features;
  const out: OwnPeer[] = [];
  const bound = new Set(f.cryptoMapBindings.map((b) => b.map));
  for (const [name, entries] of f.cryptoMaps) {
    if (!bound.has(name)) continue;
    for (const e of entries)
      for (const p of e.peers) {
        const ip = parseIp(p);
        if (ip !== undefined) out.push({ ip, what: `crypto map ${name} ${e.seq} set peer`, source: e.source });
      }
  }
  for (const t of f.tunnelProtection) {
    const d = f.tunnels.get(t.iface)?.destination;
    if (d?.ip !== undefined) out.push({ ip: d.ip, what: `tunnel destination of ${t.iface}`, source: d.ref });
  }
  const ez = new Set(f.ezvpnBindings.filter((b) => !b.inside).map((b) => b.name));
  for (const [name, c] of f.ezvpnClients) {
    if (!ez.has(name)) continue;
    for (const p of c.peers) {
      const ip = parseIp(p.peer);
      if (ip !== undefined) out.push({ ip, what: `Easy VPN remote ${name} peer`, source: p.source });
    }
  }
  return out;
}

/** A peer the clients behind the PAT may run IKE with, and the first line that names it. */
export interface ClientPeer {
  ip: number;
  source: SourceRef;
  acl: string;
}

/** At most this many peers are simulated per PAT (lowest addresses first); the output says when more were found. */
export const MAX_PEERS = 64;

/**
 * The hosts ACL permit lines match with udp 500 or 4500 (on either side), sorted by address, that
 * are none of the device's addresses, PAT addresses, the addresses of subnets behind the device
 * (every interface that is not a PAT outside: its clients and servers), nor its own IKE peers.
 * Independent of line order: the set is the same whatever order the lines come in.
 */
export function clientPeers(device: Device, sides: PatSides | undefined, globals: readonly number[]): ClientPeer[] {
  const own = deviceAddresses(device);
  for (const g of globals) own.add(g);
  for (const p of ownPeers(device)) own.add(p.ip);
  const behind = device.interfaces.filter((i) => !(sides?.outside.has(i) ?? false));
  const isBehind = (ip: number) => behind.some((i) => i.addresses.some((a) => a.mask !== 0xffffffff && inSubnet(ip, a.ip, a.mask)));
  const realOf = (ip: number) => (sides ? [...sides.inside].some((i) => i.addresses.some((a) => inSubnet(ip, a.ip, a.mask))) : false);
  const found = new Map<number, ClientPeer>();
  const has = (s: PortSet | undefined) => s !== undefined && (inPorts(s, 500) || inPorts(s, 4500));
  // a udp term that names port 500 or 4500 on a side, or matches every udp port
  const ipsec = (t: ServiceTerm) => t.protocol === PROTO.UDP && (has(t.srcPorts) || has(t.dstPorts) || (t.srcPorts === undefined && t.dstPorts === undefined));
  for (const acl of device.acls.values()) {
    if (acl.type !== "extended") continue;
    for (const e of acl.entries) {
      if (e.action !== "permit" || e.inactive) continue;
      if (!e.match.services.some(ipsec)) continue;
      for (const w of [...e.match.src, ...e.match.dst]) {
        if (w.wildcard !== 0 || own.has(w.addr) || isBehind(w.addr) || realOf(w.addr)) continue;
        const prev = found.get(w.addr);
        // the first naming line in file order, so the note does not depend on ACL order
        if (!prev || e.source.line < prev.source.line) found.set(w.addr, { ip: w.addr, source: e.source, acl: acl.name });
      }
    }
  }
  return [...found.values()].sort((a, b) => a.ip - b.ip);
}

/** `udp/500 and udp/4500 on 192.0.2.2 are the device's own IKE: crypto map VPN on GigabitEthernet0/1, line 30` */
export function ownIkeText(e: OwnIke, ip: number): string {
  return `udp/500 and udp/4500 on ${formatIp(ip)} are the device's own IKE: ${e.what}, line ${e.source.line}`;
}

/** Is `ip` one of the device's own IKE addresses? (for the PAT's interface without a static address, `patIf`/`patGlobal` stand in for it) */
export function ownIkeAt(ends: readonly OwnIke[], ip: number, patIf?: Interface, patGlobal?: number): OwnIke | undefined {
  return ends.find((e) => e.ip === ip || (e.ip === undefined && e.iface !== undefined && e.iface === patIf && patGlobal === ip));
}
