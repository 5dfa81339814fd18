/**
 * The one description of what an ACE matches. An ACE's match is a union of conjunctions of
 * single-field tests (`AcePlan`); the reference evaluator (./evaluate.ts) runs the tests on a
 * packet, the encoder (./sets.ts) builds the same tests as BDDs, so the two cannot drift. A
 * property test holds them equal on random ACEs and packets (test/headerspace.test.ts).
 *
 * What the tests encode (Cisco IOS and ASA, first-match ACLs):
 * - the protocol (`ip` tests none); ports only for tcp, udp and sctp (absent = any, `[]` = none);
 *   ICMP type/code only for icmp; `established` (ACK or RST set) and TCP flag tests only for tcp;
 * - dscp/precedence/tos on the ToS byte (dscp = tos >> 2, precedence = tos >> 5, IOS `tos` =
 *   (tos >> 1) & 15);
 * - non-initial fragments, on IOS (Cisco IOS IP Configuration Guide, "Specifying IP Extended Access
 *   Lists with Fragment Control"; Cisco document 8014 "Access Control Lists and IP Fragments"):
 *   a line with `fragments` applies only to non-initial fragments; a line without it that has only
 *   layer-3 information applies to every packet; a line with layer-4 information (ports, ICMP type,
 *   TCP flags) applies to unfragmented packets and initial fragments as written, and to a
 *   non-initial fragment (which carries no layer-4 header) through its layer-3 part only: a
 *   `permit` whose layer-3 part matches permits the fragment, a `deny` does not apply to it (the
 *   next line is processed).
 * - on the ASA, fragments are reassembled (virtual reassembly) before the access rules see the
 *   packet (ASA configuration guide, `fragment` command), so the fragment bit is not tested.
 * - the address family: an ACE's IPv4 part (`src`, `dst`) matches only IPv4 packets and its IPv6
 *   part (`src6`, `dst6`) only IPv6 packets, each with the same service tests; ICMP type/code for
 *   icmp in IPv4 and ICMPv6 (58) in IPv6; an icmp term has no IPv6 part, and on the ASA an icmp6
 *   term no IPv4 part. IOS IPv6 ACLs are assumed to treat non-initial
 *   fragments as the IPv4 ones do (Cisco documents the rule for IPv4; not confirmed for IPv6).
 * A part with no source or no destination address, or an impossible ToS value, matches nothing.
 */
import { PROTO, hasPorts } from "../model/ports.js";
import { TCP, type AceMatch, type AddrSet, type AddrSet6, type PortSet, type ServiceTerm, type TosMatch, type Vendor } from "../model/types.js";

/** TCP flag test: every `set` bit 1 and every `clear` bit 0 (match-all), or at least one of them (`any`). */
export interface FlagTest {
  set: number;
  clear: number;
  any: boolean;
}

export type FieldTest =
  | { field: "family"; value: 0 | 1 }
  | { field: "protocol"; value: number }
  | { field: "src" | "dst"; addrs: AddrSet }
  | { field: "src6" | "dst6"; addrs: AddrSet6 }
  | { field: "srcPort" | "dstPort"; ports: PortSet }
  | { field: "icmpType" | "icmpCode"; value: number }
  | { field: "tcpFlags"; flags: FlagTest }
  | { field: "fragment"; value: 0 | 1 }
  | { field: "tos"; tos: TosMatch };

/** One conjunction of single-field tests, and the index of the service term it comes from. */
export interface Conjunction {
  term: number;
  tests: readonly FieldTest[];
}

/** Union of conjunctions: the ACE matches a packet when every test of some conjunction holds. `[]` matches nothing. */
export type AcePlan = readonly Conjunction[];

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

const IPV4: FieldTest = { field: "family", value: 0 };
const IPV6: FieldTest = { field: "family", value: 1 };
/** The protocol tests, one object a protocol number shared by every plan (plans are read only). */
const PROTOCOL_TESTS = new Map<number, FieldTest>();
function protocolTest(p: number): FieldTest {
  let t = PROTOCOL_TESTS.get(p);
  if (t === undefined) PROTOCOL_TESTS.set(p, (t = { field: "protocol", value: p }));
  return t;
}

/** The layer-3 tests of a term (family, protocol, addresses, ToS) and its layer-4 tests. */
function termTests(m: AceMatch, t: ServiceTerm, v6: boolean): { l3: FieldTest[]; l4: FieldTest[] } {
  const l3: FieldTest[] = [v6 ? IPV6 : IPV4];
  const l4: FieldTest[] = [];
  const p = t.protocol;
  if (p !== null) l3.push(protocolTest(p));
  if (v6) l3.push({ field: "src6", addrs: m.src6! }, { field: "dst6", addrs: m.dst6! });
  else l3.push({ field: "src", addrs: m.src }, { field: "dst", addrs: m.dst });
  if (m.tos) l3.push({ field: "tos", tos: m.tos });
  if (p !== null && hasPorts(p)) {
    if (t.srcPorts !== undefined) l4.push({ field: "srcPort", ports: t.srcPorts });
    if (t.dstPorts !== undefined) l4.push({ field: "dstPort", ports: t.dstPorts });
  }
  if (p === PROTO.ICMP || (v6 && p === PROTO.ICMP6)) {
    if (t.icmpType !== undefined) l4.push({ field: "icmpType", value: t.icmpType });
    if (t.icmpCode !== undefined) l4.push({ field: "icmpCode", value: t.icmpCode });
  }
  if (p === PROTO.TCP) {
    if (t.established) l4.push({ field: "tcpFlags", flags: { set: TCP.ACK | TCP.RST, clear: 0, any: true } });
    if (t.tcpFlags) l4.push({ field: "tcpFlags", flags: { set: t.tcpFlags.set, clear: t.tcpFlags.clear, any: t.tcpFlags.any === true } });
  }
  return { l3, l4 };
}

const NON_INITIAL: FieldTest = { field: "fragment", value: 1 };
const NOT_FRAGMENT: FieldTest = { field: "fragment", value: 0 };

function conjunctions(m: AceMatch, action: "permit" | "deny", vendor: Vendor, v6: boolean, out: Conjunction[]): void {
  m.services.forEach((t, term) => {
    // ICMP is an IPv4 protocol and ICMPv6 an IPv6 one: an ASA unified line `permit icmp any any`
    // matches IPv4 packets only, `permit icmp6 any any` IPv6 ones (ASA: icmp6 for IPv6 traffic)
    if ((v6 && t.protocol === PROTO.ICMP) || (!v6 && vendor === "asa" && t.protocol === PROTO.ICMP6)) return;
    const { l3, l4 } = termTests(m, t, v6);
    // each kept array made by `concat`, as long as its tests (a spread or a pushed array keeps room
    // for more: with the plan's own array below, 38 MB of the 100,000-line ACL's 91 MB of plans)
    if (vendor === "asa") out.push({ term, tests: l3.concat(l4) });
    else if (m.fragments) out.push({ term, tests: l3.concat(l4, NON_INITIAL) });
    else if (l4.length === 0) out.push({ term, tests: l3.concat() });
    else {
      out.push({ term, tests: l3.concat(l4, NOT_FRAGMENT) });
      if (action === "permit") out.push({ term, tests: l3.concat(NON_INITIAL) });
    }
  });
}

/**
 * A match's plans by the kind of its line: an ASA line's (either action), an IOS permit's or deny's.
 * A small object, not a `Map` (about 160 bytes of heap less a line: 16 MB of the plans of a
 * 100,000-line ACL, which every full garbage collection marks).
 */
interface PlansOf {
  asa?: AcePlan;
  permit?: AcePlan;
  deny?: AcePlan;
}
const plans = new WeakMap<AceMatch, PlansOf>();

/**
 * The plan of an ACE match for a line with `action` in a `vendor` ACL (cached: model objects are
 * not mutated after parsing).
 */
export function planOf(m: AceMatch, action: "permit" | "deny" = "permit", vendor: Vendor = "ios"): AcePlan {
  let byKind = plans.get(m);
  if (!byKind) plans.set(m, (byKind = {}));
  const key = vendor === "asa" ? "asa" : action;
  let plan = byKind[key];
  if (plan === undefined) {
    const validTos = !m.tos || (Number.isInteger(m.tos.value) && m.tos.value >= 0 && m.tos.value < 2 ** tosBits(m.tos.kind)[1]);
    const out: Conjunction[] = [];
    if (validTos && m.src.length > 0 && m.dst.length > 0) conjunctions(m, action, vendor, false, out);
    if (validTos && m.src6 !== undefined && m.dst6 !== undefined && m.src6.length > 0 && m.dst6.length > 0) conjunctions(m, action, vendor, true, out);
    plan = out.concat(); // as long as its conjunctions (see above)
    byKind[key] = plan;
  }
  return plan;
}
