/**
 * The one description of what an ACE matches. An ACE's match is a union of conjunctions of
 * single-field tests (`AcePlan`); the reference evaluator (./evaluate.ts) runs the tests on a
 * packet, the encoder (./sets.ts) builds the same tests as BDDs, so the two cannot drift. A
 * property test holds them equal on random ACEs and packets (test/headerspace.test.ts).
 *
 * What the tests encode (Cisco IOS and ASA, first-match ACLs):
 * - the protocol (`ip` tests none); ports only for tcp, udp and sctp (absent = any, `[]` = none);
 *   ICMP type/code only for icmp; `established` (ACK or RST set) and TCP flag tests only for tcp;
 * - fragments (simplified; see docs/semantics.md): a line with `fragments` matches only non-initial
 *   fragments; a service term that tests layer-4 information does not match a non-initial fragment
 *   (it carries no layer-4 header); a layer-3-only term matches every fragment;
 * - dscp/precedence/tos on the ToS byte (dscp = tos >> 2, precedence = tos >> 5, IOS `tos` =
 *   (tos >> 1) & 15).
 * An ACE with no source or no destination address, or an impossible ToS value, matches nothing.
 */
import { PROTO, hasPorts } from "../model/ports.js";
import { TCP, type AceMatch, type AddrSet, type PortSet, type ServiceTerm, type TosMatch } from "../model/types.js";

/** TCP flag test: every `set` bit 1 and every `clear` bit 0 (match-all), or at least one of them (`any`). */
export interface FlagTest {
  set: number;
  clear: number;
  any: boolean;
}

export type FieldTest =
  | { field: "protocol"; value: number }
  | { field: "src" | "dst"; addrs: AddrSet }
  | { field: "srcPort" | "dstPort"; ports: PortSet }
  | { field: "icmpType" | "icmpCode"; value: number }
  | { field: "tcpFlags"; flags: FlagTest }
  | { field: "fragment"; value: 0 | 1 }
  | { field: "tos"; tos: TosMatch };

/** Union of conjunctions: the ACE matches a packet when every test of some conjunction holds. `[]` matches nothing. */
export type AcePlan = ReadonlyArray<readonly FieldTest[]>;

/** `[lowBit, width]` of a ToS match inside the ToS byte. */
export function tosBits(kind: TosMatch["kind"]): [number, number] {
  return kind === "dscp" ? [2, 6] : kind === "precedence" ? [5, 3] : [1, 4];
}

/** Does the term look at layer-4 information (ports, ICMP type/code, TCP flags)? */
export function termHasL4(t: ServiceTerm): boolean {
  return (
    t.srcPorts !== undefined ||
    t.dstPorts !== undefined ||
    t.icmpType !== undefined ||
    t.icmpCode !== undefined ||
    t.established === true ||
    t.tcpFlags !== undefined
  );
}

function termTests(m: AceMatch, t: ServiceTerm): FieldTest[] {
  const out: FieldTest[] = [];
  const p = t.protocol;
  if (p !== null) out.push({ field: "protocol", value: p });
  out.push({ field: "src", addrs: m.src }, { field: "dst", addrs: m.dst });
  if (p !== null && hasPorts(p)) {
    if (t.srcPorts !== undefined) out.push({ field: "srcPort", ports: t.srcPorts });
    if (t.dstPorts !== undefined) out.push({ field: "dstPort", ports: t.dstPorts });
  }
  if (p === PROTO.ICMP) {
    if (t.icmpType !== undefined) out.push({ field: "icmpType", value: t.icmpType });
    if (t.icmpCode !== undefined) out.push({ field: "icmpCode", value: t.icmpCode });
  }
  if (p === PROTO.TCP) {
    if (t.established) out.push({ field: "tcpFlags", flags: { set: TCP.ACK | TCP.RST, clear: 0, any: true } });
    if (t.tcpFlags) out.push({ field: "tcpFlags", flags: { set: t.tcpFlags.set, clear: t.tcpFlags.clear, any: t.tcpFlags.any === true } });
  }
  if (m.fragments) out.push({ field: "fragment", value: 1 });
  else if (termHasL4(t)) out.push({ field: "fragment", value: 0 });
  if (m.tos) out.push({ field: "tos", tos: m.tos });
  return out;
}

const plans = new WeakMap<AceMatch, AcePlan>();

/** The plan of an ACE match (cached: model objects are not mutated after parsing). */
export function planOf(m: AceMatch): AcePlan {
  let plan = plans.get(m);
  if (plan === undefined) {
    const validTos = !m.tos || (Number.isInteger(m.tos.value) && m.tos.value >= 0 && m.tos.value < 2 ** tosBits(m.tos.kind)[1]);
    plan = m.src.length === 0 || m.dst.length === 0 || !validTos ? [] : m.services.map((t) => termTests(m, t));
    plans.set(m, plan);
  }
  return plan;
}
