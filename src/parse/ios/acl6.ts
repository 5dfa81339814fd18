/**
 * IOS / IOS-XE IPv6 ACL entries, the lines of `ipv6 access-list NAME` (Cisco IOS IPv6 Command
 * Reference, `permit (IPv6)` / `deny (IPv6)`; Cisco IOS XE Security Configuration Guide, "IPv6
 * Access Control Lists" and "IPv6 Object Groups for ACLs"):
 *
 *   [sequence N] {permit|deny} PROTO SRC [OP PORT…] DST [OP PORT…] [ICMP-TYPE [CODE] | ICMP-MESSAGE]
 *       [established] [ack|fin|psh|rst|syn|urg…] [dscp V] [fragments] [log|log-input]
 *       [time-range NAME] [sequence N] [reflect NAME [timeout S]]
 *       [routing] [routing-type N] [dest-option] [dest-option-type T] [hbh] [mobility]
 *       [mobility-type T] [flow-label V] [undetermined-transport]
 *
 * PROTO: ahp, esp, icmp (ICMPv6), ipv6 (any), pcp, sctp, tcp, udp, hbh, a number 0-255, or
 * `object-group NAME` (a v6-service group). SRC/DST: any, host X:X::X, X:X::X/N, object-group NAME
 * (a v6-network group), auth. Extension-header matches (routing, routing-type, dest-option[-type],
 * hbh, mobility[-type], auth, undetermined-transport) and flow-label are not modelled: the line
 * gets an unmodelled-feature finding and is analysed as if the condition always held.
 */
import { ANY6, host6, looksLikeIp6, parseCidr6, parseIp6 } from "../../model/addr6.js";
import { PROTO, hasPorts } from "../../model/ports.js";
import { type Ace, type AddrSet6, type Reference, type ServiceTerm, type SourceRef, type TosMatch } from "../../model/types.js";
import { Cursor, ParseError } from "../common/cursor.js";
import { PORT_OPS, icmp6Name, looksLikePort, parsePortOp, parseTosValue } from "./ports.js";
import { groupAddrs6, groupServices } from "./objects.js";
import { bindOperand, diag, type ParseState } from "./util.js";
import { TcpOptions } from "./tcp-flags.js";
import type { ParsedAce } from "./acl.js";

/** Protocol keywords of IPv6 ACLs (Cisco IOS IPv6 Command Reference, `permit (IPv6)`); `ipv6` is any protocol. */
const PROTOCOLS6: Readonly<Record<string, number | null>> = { ahp: 51, esp: 50, icmp: PROTO.ICMP6, ipv6: null, pcp: 108, sctp: PROTO.SCTP, tcp: PROTO.TCP, udp: PROTO.UDP };


/** Options after the addresses, for telling a log cookie from the next keyword. */
const OPTIONS6 = new Set([
  "established", "ack", "fin", "psh", "rst", "syn", "urg", "match-any", "match-all", "log", "log-input", "fragments", "dscp",
  "time-range", "sequence", "reflect", "routing", "routing-type", "dest-option", "dest-option-type", "hbh", "mobility",
  "mobility-type", "flow-label", "undetermined-transport",
]);

/** Extension-header and flow-label matches: not modelled (the packet model has no extension headers). */
const UNMODELLED_FLAG = new Set(["routing", "dest-option", "hbh", "mobility", "undetermined-transport"]);
const UNMODELLED_ARG = new Set(["routing-type", "dest-option-type", "mobility-type", "flow-label"]);

type Addr6Operand = { set: AddrSet6 } | { group: string };

function parseAddr6(cur: Cursor, what: "source" | "destination", approx: string[]): Addr6Operand {
  const t = cur.next(`${what} address`);
  const kw = t.toLowerCase();
  if (kw === "any") return { set: [ANY6] };
  if (kw === "host") {
    const a = cur.next(`${what} host address after "host"`);
    const v = parseIp6(a);
    if (v === undefined) throw new ParseError(`"${a}" after host is not an IPv6 address`);
    return { set: [host6(v)] };
  }
  if (kw === "object-group") return { group: cur.next(`v6-network object-group name for the ${what}`) };
  if (kw === "auth") {
    approx.push(`auth (the authentication header) as the ${what}`);
    return { set: [ANY6] };
  }
  if (looksLikeIp6(t)) {
    const p = parseCidr6(t);
    if (p) return { set: [p] };
    if (parseIp6(t) !== undefined) throw new ParseError(`IPv6 ${what} "${t}" needs a prefix length (X:X::X/N) or "host ${t}"`);
    throw new ParseError(`invalid IPv6 ${what} prefix "${t}"`);
  }
  if (/^\d{1,3}(\.\d{1,3}){3}(\/\d+)?$/.test(t)) throw new ParseError(`"${t}" is an IPv4 address: an ipv6 access-list matches IPv6 addresses (IPv4 goes in an ip access-list)`);
  throw new ParseError(`expected ${what} address (any, host X:X::X, X:X::X/N or object-group NAME), got "${t}"`);
}

/** `PROTO` of an IPv6 entry: null is any (`ipv6`). */
function protocol6(tok: string, approx: string[]): number | null {
  const t = tok.toLowerCase();
  if (Object.hasOwn(PROTOCOLS6, t)) return PROTOCOLS6[t]!;
  if (t === "hbh") {
    approx.push("hbh (a hop-by-hop options header)");
    return null;
  }
  if (/^\d+$/.test(t)) {
    const n = Number(t);
    if (n > 255) throw new ParseError(`protocol ${tok} is out of range 0-255`);
    return n;
  }
  throw new ParseError(`"${tok}" is not an IPv6 ACL protocol (ahp, esp, icmp, ipv6, pcp, sctp, tcp, udp, hbh, or a number 0-255)`);
}

/** The parsed entry and the sequence number written after it (`… sequence N`), if any. */
export interface ParsedAce6 extends ParsedAce {
  seq?: number;
}

/** Parses `{permit|deny} …` of an IPv6 ACL (the cursor is on the action). Throws ParseError on anything else. */
export function parseAce6(st: ParseState, cur: Cursor, source: SourceRef, aclName: string): ParsedAce6 {
  const action = cur.next("permit or deny").toLowerCase();
  if (action !== "permit" && action !== "deny") throw new ParseError(`expected permit or deny, got "${action}"`);
  const refs: Reference[] = [];
  const ogRef = (name: string): void => {
    refs.push({ kind: "object-group", name, source, use: "ace", context: "ACE" });
  };
  const approx: string[] = [];
  const ace: Ace = { action, match: { src: [], dst: [], src6: [], dst6: [], services: [] }, source };
  let protocol: number | null = null;
  let svcGroup: string | undefined;
  const pt = cur.next("protocol");
  if (pt.toLowerCase() === "object-group") {
    svcGroup = cur.next("v6-service object-group name");
    ogRef(svcGroup);
  } else protocol = protocol6(pt, approx);
  const ports = protocol !== null && hasPorts(protocol);
  const opCheck = (): void => {
    if (!ports && PORT_OPS.has(cur.peekKw() ?? "")) throw new ParseError(`port operator "${cur.peek()}" is only valid for tcp, udp or sctp`);
  };
  const src = parseAddr6(cur, "source", approx);
  if ("group" in src) ogRef(src.group);
  const srcPorts = ports ? parsePortOp(cur, protocol!) : undefined;
  opCheck();
  const dst = parseAddr6(cur, "destination", approx);
  if ("group" in dst) ogRef(dst.group);
  const dstPorts = ports ? parsePortOp(cur, protocol!) : undefined;
  opCheck();
  const term: ServiceTerm = { protocol };
  if (srcPorts) term.srcPorts = srcPorts;
  if (dstPorts) term.dstPorts = dstPorts;
  if (protocol === PROTO.ICMP6) {
    const t = cur.peek();
    if (t !== undefined && /^\d+$/.test(t)) {
      term.icmpType = cur.int("ICMPv6 type", 0, 255);
      if (/^\d+$/.test(cur.peek() ?? "")) term.icmpCode = cur.int("ICMPv6 code", 0, 255);
    } else {
      const n = icmp6Name(t);
      if (n) {
        cur.skip();
        term.icmpType = n.type;
        if (n.code !== undefined) term.icmpCode = n.code;
      } else if (t !== undefined && !OPTIONS6.has(t.toLowerCase())) throw new ParseError(`unknown ICMPv6 message name "${t}"`);
    }
  }
  let seq: number | undefined;
  const tcp = new TcpOptions(term);
  let tos: TosMatch | undefined;
  while (!cur.done()) {
    const raw = cur.next("option");
    const o = raw.toLowerCase();
    if (tcp.take(o, cur)) continue;
    if (UNMODELLED_FLAG.has(o)) {
      approx.push(o);
      continue;
    }
    if (UNMODELLED_ARG.has(o)) {
      approx.push(`${o} ${cur.next(`value after "${o}"`)}`);
      continue;
    }
    switch (o) {
      case "log":
      case "log-input":
        ace.log = true;
        if (!cur.done() && !OPTIONS6.has(cur.peekKw() ?? "")) cur.skip(); // log tag (cookie)
        break;
      case "fragments":
        if (srcPorts || dstPorts) throw new ParseError(`"fragments" cannot follow a port match (IOS: only entries without ports take it)`);
        ace.match.fragments = true;
        break;
      case "dscp":
        tos = { kind: "dscp", value: parseTosValue("dscp", cur.next('value after "dscp"')) };
        break;
      case "time-range": {
        const name = cur.next("time-range name");
        ace.timeRange = name;
        refs.push({ kind: "time-range", name, source, use: "ace", context: "ACE" });
        break;
      }
      case "sequence":
        seq = cur.int("sequence number", 1, 4294967295);
        break;
      case "reflect": {
        const name = cur.next("reflexive ACL name");
        st.dev.otherMentions.add(name);
        if (cur.accept("timeout")) cur.int("timeout", 0, 2147483);
        st.dev.features.reflects.push({ acl: aclName, name, source });
        break;
      }
      default: {
        const hint = ports && looksLikePort(raw) ? " (a port needs an operator: eq, neq, lt, gt or range)" : "";
        throw new ParseError(`unexpected "${raw}" after "${cur.toks[cur.i - 2] ?? ""}"${hint}`);
      }
    }
  }
  tcp.finish();
  if (tos) ace.match.tos = tos;
  if (approx.length > 0) {
    ace.match.approximate = approx.join("; ");
    diag(st, "unmodelled", source, `match on ${approx.join(", ")} is not modelled (IPv6 ACL ${aclName}): natlint's packets carry no IPv6 extension headers or flow label; the entry is analysed as if that condition always held`);
  }
  bindOperand(st, ace, src, (g) => groupAddrs6(st, g, source, ace), (v) => (ace.match.src6 = v));
  bindOperand(st, ace, dst, (g) => groupAddrs6(st, g, source, ace), (v) => (ace.match.dst6 = v));
  if (svcGroup === undefined) ace.match.services = [term];
  else {
    const g = svcGroup;
    st.fixups.push({ ace, run: () => (ace.match.services = groupServices(st, g, source, ace, "v6-service")) });
  }
  return seq === undefined ? { ace, refs } : { ace, refs, seq };
}
