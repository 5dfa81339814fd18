/**
 * A HEADERSPACE as a packet set (the grammar is in src/model/packet.ts):
 *   PROTO SRC SPORT DST DPORT      e.g. `udp 10.0.0.0/8 any 192.0.2.1 500`
 *   PROTO SRC DST                  ports omitted (any), e.g. `icmp any any`, `esp any 192.0.2.1`
 * `any` is every IPv4 and IPv6 address; an address of one family makes the space that family's.
 */
import { parseSpaceSpec, type ParseResult, type SpaceSpec } from "../model/packet.js";
import type { HeaderSpace, PSet } from "./index.js";

/**
 * The packets of a space spec. A space that gives ports means those flows: their packets that
 * carry the ports (not non-initial fragments), and their non-initial fragments, which carry no
 * layer-4 header and so belong to the flow by protocol and addresses alone — the packets an IOS
 * permit line with the same fields lets through (Cisco document 8014, "Access Control Lists and IP
 * Fragments"). A space without ports takes every packet of the protocol and addresses.
 */
export function specSet(spec: SpaceSpec, hs: HeaderSpace): PSet {
  const v4 = hs.and(hs.family(4), hs.and(hs.addrSet("src", spec.src), hs.addrSet("dst", spec.dst)));
  const v6 = hs.and(hs.family(6), hs.and(hs.addrSet6("src6", spec.src6), hs.addrSet6("dst6", spec.dst6)));
  const l3 = hs.and(hs.protocol(spec.protocol), hs.or(v4, v6));
  if (spec.srcPorts === undefined && spec.dstPorts === undefined) return l3;
  let ported = hs.and(l3, hs.eq("fragment", 0));
  if (spec.srcPorts !== undefined) ported = hs.and(ported, hs.portSet("srcPort", spec.srcPorts));
  if (spec.dstPorts !== undefined) ported = hs.and(ported, hs.portSet("dstPort", spec.dstPorts));
  return hs.or(ported, hs.and(l3, hs.eq("fragment", 1)));
}

export function parseHeaderSpace(text: string, hs: HeaderSpace): ParseResult<PSet> {
  const spec = parseSpaceSpec(text);
  return "error" in spec ? spec : specSet(spec, hs);
}
