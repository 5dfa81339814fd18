/** Shared by the checks that show an example packet: a readable witness and the line deciding it. */
import { evaluateNear } from "../acl/restrict.js";
import type { HeaderSpace, PSet } from "../headerspace/index.js";
import type { Acl, Packet } from "../model/types.js";

/** A readable address for witnesses when any address would do (TEST-NET-2). */
export const EXAMPLE_PEER = 0xc6336417; // 198.51.100.23
/** A second readable address, for the other end of a witness (TEST-NET-2). */
export const EXAMPLE_HOST = 0xc6336418; // 198.51.100.24
/** Readable addresses to try, in order, when the set has no EXAMPLE_PEER (the device may sit in TEST-NET-2): TEST-NET-2, -3, -1 (RFC 5737). */
const READABLE = [EXAMPLE_PEER, 0xcb007117 /* 203.0.113.23 */, 0xc0000217 /* 192.0.2.23 */, EXAMPLE_HOST];

/** The first readable address some packet of `set ∩ within` has in `field`, undefined when none has (no set built from `set`). */
function readableIn(hs: HeaderSpace, set: PSet, field: "src" | "dst", avoid?: number, within: PSet = hs.all): number | undefined {
  for (const a of READABLE) if (a !== avoid && !hs.disjoint(set, hs.and(within, hs.eq(field, a)))) return a;
  return undefined;
}

/** The first readable address some packet of `set` has in `field`, so that a witness is not 0.0.0.1 when the set excludes the usual one. */
export function readableAddress(hs: HeaderSpace, set: PSet, field: "src" | "dst", avoid?: number): number {
  return readableIn(hs, set, field, avoid) ?? (field === "src" ? EXAMPLE_PEER : EXAMPLE_HOST);
}

/**
 * A readable packet of non-empty `set`: its source the first readable address some packet has
 * (`readableAddress`), its destination the first readable one among those packets, the other
 * fields from `prefer` where the set allows them (`HeaderSpace.witness`).
 *
 * `settled`: the packet has the readable source and destination that were found. Then every
 * subset S of `set` holding the packet has this same packet as its readable witness: each value
 * tried before the chosen one finds nothing in `set`, so nothing in S, and the chosen one finds
 * the packet in S. A check can then test one packet (is it in S?) instead of building S.
 */
export function readableWitness(hs: HeaderSpace, set: PSet, prefer: Partial<Packet>): { packet: Packet; settled: boolean } {
  const src = readableIn(hs, set, "src");
  const s = src ?? EXAMPLE_PEER;
  const dst = readableIn(hs, set, "dst", s, hs.eq("src", s));
  const packet = hs.witness(set, { ...prefer, src: s, dst: dst ?? EXAMPLE_HOST })!;
  return { packet, settled: (src === undefined || packet.src === src) && (dst === undefined || packet.dst === dst) };
}

/**
 * The line that decides one witness packet. The linear reference evaluator (building the compiled
 * evaluator only pays off for many packets: it is superlinear in the ACL's size), over the ACL
 * restricted to udp to or from 500 / 4500 when the packet is such (src/acl/restrict.ts): the same
 * line, from the few lines that can match it.
 */
export function decidedBy(acl: Acl, p: Packet): string {
  const v = evaluateNear(acl, p);
  return v.ace ? `line ${v.ace.source.line}` : "the implicit deny";
}
