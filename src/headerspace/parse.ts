/**
 * A HEADERSPACE as a packet set (the grammar is in src/model/packet.ts):
 *   PROTO SRC SPORT DST DPORT      e.g. `udp 10.0.0.0/8 any 192.0.2.1 500`
 *   PROTO SRC DST                  ports omitted (any), e.g. `icmp any any`, `esp any 192.0.2.1`
 */
import { parseSpaceSpec, type ParseResult, type SpaceSpec } from "../model/packet.js";
import type { HeaderSpace, PSet } from "./index.js";

/** The packets of a space spec. */
export function specSet(spec: SpaceSpec, hs: HeaderSpace): PSet {
  let r = hs.protocol(spec.protocol);
  r = hs.and(r, hs.addrSet("src", spec.src));
  r = hs.and(r, hs.addrSet("dst", spec.dst));
  if (spec.srcPorts !== undefined) r = hs.and(r, hs.portSet("srcPort", spec.srcPorts));
  if (spec.dstPorts !== undefined) r = hs.and(r, hs.portSet("dstPort", spec.dstPorts));
  return r;
}

export function parseHeaderSpace(text: string, hs: HeaderSpace): ParseResult<PSet> {
  const spec = parseSpaceSpec(text);
  return "error" in spec ? spec : specSet(spec, hs);
}
