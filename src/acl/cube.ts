/**
 * A cube of the header space (a protocol, address, port and ICMP type sets) and the cheap test
 * whether a line's plan may meet it (./restrict.ts keeps those lines of an ACL, in order).
 */
import type { HeaderSpace, PSet } from "../headerspace/index.js";
import { inAddrSet } from "../model/addr.js";
import { inAddrSet6, mask6 } from "../model/addr6.js";
import { inPorts } from "../model/ports.js";
import type { AddrSet, AddrSet6, Packet, PortSet, Prefix6, Wildcard } from "../model/types.js";
import type { Conjunction } from "./semantics.js";

/** A cube: every field left out is unconstrained. */
export interface Cube {
  protocol?: number;
  src?: AddrSet;
  dst?: AddrSet;
  /** IPv6 prefixes; a cube with them holds IPv6 packets only. */
  src6?: AddrSet6;
  dst6?: AddrSet6;
  srcPort?: PortSet;
  dstPort?: PortSet;
  /** ICMP (ICMPv6) types: a line testing another type, or a packet with another type, is outside. */
  icmpTypes?: readonly number[];
  /**
   * 1: non-initial fragments only, 0: the other packets only. On IOS a permit line with ports
   * permits the non-initial fragments its layer-3 part matches, whatever the cube's ports: a cube
   * of udp to one port keeps every such line unless it leaves those fragments out.
   */
  fragment?: 0 | 1;
}

/** Two wildcard patterns share an address (they agree on every bit both of them fix). */
function patternsMeet(a: Wildcard, b: Wildcard): boolean {
  return ((a.addr ^ b.addr) & ~a.wildcard & ~b.wildcard) === 0;
}

/** Two IPv6 prefixes share an address (one holds the other). A prefix with host bits set matches nothing; it counts as meeting (the line is kept: keeping is always safe). */
function prefixesMeet(a: Prefix6, b: Prefix6): boolean {
  return ((a.addr ^ b.addr) & mask6(Math.min(a.len, b.len))) === 0n;
}

const addrsMeet = (a: AddrSet, b: AddrSet): boolean => a.some((x) => b.some((y) => patternsMeet(x, y)));
const addrs6Meet = (a: AddrSet6, b: AddrSet6): boolean => a.some((x) => b.some((y) => prefixesMeet(x, y)));
const portsMeet = (a: PortSet, b: PortSet): boolean => a.some((x) => b.some((y) => x.lo <= y.hi && y.lo <= x.hi));

/** May the conjunction hold for some packet of the cube? (Tests on other fields count as satisfiable.) */
export function mayMeet(conj: Conjunction, cube: Cube): boolean {
  for (const t of conj.tests) {
    switch (t.field) {
      case "family":
        if ((cube.src6 !== undefined || cube.dst6 !== undefined) && t.value === 0) return false;
        break;
      case "protocol":
        if (cube.protocol !== undefined && t.value !== cube.protocol) return false;
        break;
      case "src":
      case "dst": {
        const c = cube[t.field];
        if (c !== undefined && !addrsMeet(t.addrs, c)) return false;
        break;
      }
      case "src6":
      case "dst6": {
        const c = cube[t.field];
        if (c !== undefined && !addrs6Meet(t.addrs, c)) return false;
        break;
      }
      case "srcPort":
      case "dstPort": {
        const c = cube[t.field];
        if (c !== undefined && !portsMeet(t.ports, c)) return false;
        break;
      }
      case "icmpType":
        if (cube.icmpTypes !== undefined && !cube.icmpTypes.includes(t.value)) return false;
        break;
      case "fragment":
        if (cube.fragment !== undefined && t.value !== cube.fragment) return false;
        break;
      default:
        break;
    }
  }
  return true;
}

const prefixKey = (s: AddrSet6 | undefined): string | null => (s === undefined ? null : s.map((p) => `${p.addr.toString(16)}/${p.len}`).join(","));

/** A key of the cube's content (the restricted ACLs are memoised by it). */
export const cubeKey = (c: Cube): string =>
  JSON.stringify([c.protocol ?? null, c.src ?? null, c.dst ?? null, c.srcPort ?? null, c.dstPort ?? null, c.fragment ?? null, prefixKey(c.src6), prefixKey(c.dst6), c.icmpTypes ?? null]);

/** The cube as a packet set. */
export function cubeSet(hs: HeaderSpace, cube: Cube): PSet {
  let r: PSet = hs.all;
  if (cube.protocol !== undefined) r = hs.and(r, hs.protocol(cube.protocol));
  if (cube.src !== undefined) r = hs.and(r, hs.addrSet("src", cube.src));
  if (cube.dst !== undefined) r = hs.and(r, hs.addrSet("dst", cube.dst));
  if (cube.src6 !== undefined || cube.dst6 !== undefined) r = hs.and(r, hs.family(6));
  if (cube.src6 !== undefined) r = hs.and(r, hs.addrSet6("src6", cube.src6));
  if (cube.dst6 !== undefined) r = hs.and(r, hs.addrSet6("dst6", cube.dst6));
  if (cube.srcPort !== undefined) r = hs.and(r, hs.portSet("srcPort", cube.srcPort));
  if (cube.dstPort !== undefined) r = hs.and(r, hs.portSet("dstPort", cube.dstPort));
  if (cube.icmpTypes !== undefined) r = hs.and(r, hs.union(cube.icmpTypes.map((t) => hs.eq("icmpType", t))));
  if (cube.fragment !== undefined) r = hs.and(r, hs.field("fragment", cube.fragment, cube.fragment));
  return r;
}

/** Is the packet inside the cube? (An IPv6 packet is not, for a cube that constrains IPv4 addresses, and an IPv4 one not for IPv6 prefixes.) */
export function packetInCube(cube: Cube, p: Packet): boolean {
  if (cube.protocol !== undefined && p.protocol !== cube.protocol) return false;
  if (cube.src !== undefined && (p.v6 !== undefined || !inAddrSet(cube.src, p.src))) return false;
  if (cube.dst !== undefined && (p.v6 !== undefined || !inAddrSet(cube.dst, p.dst))) return false;
  if (cube.src6 !== undefined && (p.v6 === undefined || !inAddrSet6(cube.src6, p.v6.src))) return false;
  if (cube.dst6 !== undefined && (p.v6 === undefined || !inAddrSet6(cube.dst6, p.v6.dst))) return false;
  if (cube.srcPort !== undefined && !inPorts(cube.srcPort, p.srcPort)) return false;
  if (cube.dstPort !== undefined && !inPorts(cube.dstPort, p.dstPort)) return false;
  if (cube.icmpTypes !== undefined && !cube.icmpTypes.includes(p.icmpType)) return false;
  if (cube.fragment !== undefined && (p.fragment ? 1 : 0) !== cube.fragment) return false;
  return true;
}
