/** IOS IPv4 ACL entry grammar, `{permit|deny} …` (Cisco IOS Security Command Reference, `permit`/`deny` (IP); Batfish Cisco grammar); the lines around it are in ./acl-lines.ts. */
import { ANY, host, parseCidr, parseIp, wildcardOf } from "../../model/addr.js";
import { PROTO, hasPorts } from "../../model/ports.js";
import { type Ace, type Reference, type ServiceTerm, type SourceRef, type TosMatch, type Wildcard } from "../../model/types.js";
import { IGMP_NAMES, PORT_OPS, icmpName, iosProtocol, looksLikePort, parsePortOp, parseTosValue } from "./ports.js";
import { groupAddrs, groupServices } from "./objects.js";
import { Cursor, ParseError } from "../common/cursor.js";
import { bindOperand, diag, type ParseState } from "./util.js";
import { TcpOptions } from "./tcp-flags.js";

export type AclType = "standard" | "extended";

/** Numbered IPv4 ACL ranges (Catalyst 2960-XR configuration guide, ACL number table): standard 1–99, 1300–1999; extended 100–199, 2000–2699. */
export function aclTypeForNumber(n: number): AclType | undefined {
  if ((n >= 1 && n <= 99) || (n >= 1300 && n <= 1999)) return "standard";
  if ((n >= 100 && n <= 199) || (n >= 2000 && n <= 2699)) return "extended";
  return undefined;
}

/** Address operand: a concrete set, or an object-group resolved after the file is read. */
type AddrOperand = { set: Wildcard[] } | { group: string };

const OPTION_KEYWORDS = new Set([
  "established",
  "ack",
  "fin",
  "psh",
  "rst",
  "syn",
  "urg",
  "match-any",
  "match-all",
  "log",
  "log-input",
  "fragments",
  "dscp",
  "precedence",
  "tos",
  "time-range",
  "ttl",
  "option",
  "reflect",
  "packet-length",
]);

function parseAddr(cur: Cursor, what: "source" | "destination"): AddrOperand {
  const t = cur.peek();
  if (t === undefined) throw new ParseError(`expected ${what} address after "${cur.prev()}"`);
  const kw = t.toLowerCase();
  cur.skip();
  if (kw === "any") return { set: [ANY] };
  if (kw === "host") return { set: [host(cur.ip(`${what} host address after "host"`))] };
  if (kw === "object-group") return { group: cur.next(`object-group name for the ${what}`) };
  if (kw === "portgroup" || kw === "addrgroup") throw new ParseError(`"${t}" is NX-OS syntax, not IOS`);
  if (kw === "net-group" || kw === "port-group") throw new ParseError(`"${t}" is IOS XR syntax, not IOS (IOS object-group ACLs write "object-group NAME")`);
  if (t.includes("/")) {
    // A.B.C.D/N: not classic IOS, but unambiguous (IOS-XR/EOS style); accepted
    const w = parseCidr(t);
    if (!w) throw new ParseError(`invalid ${what} prefix "${t}"`);
    return { set: [w] };
  }
  const a = parseIp(t);
  if (a === undefined) throw new ParseError(`expected ${what} address (any, host A, A WILDCARD or object-group NAME), got "${t}"`);
  const wTok = cur.peek();
  if (wTok === undefined || !/^\d{1,3}(\.\d{1,3}){3}$/.test(wTok)) throw new ParseError(`expected wildcard after ${t}${wTok === undefined ? "" : `, got "${wTok}"`}`);
  const w = cur.ip(`wildcard after ${t}`);
  return { set: [wildcardOf(a, w)] };
}

export interface ParsedAce {
  ace: Ace;
  refs: Reference[];
}

/**
 * Parses `{permit|deny} …` (the cursor is on the action). Throws ParseError on anything it does not
 * understand. Object-group operands are filled in by fixups after the whole file is read.
 */
export function parseAce(st: ParseState, type: AclType, cur: Cursor, source: SourceRef, aclName: string): ParsedAce {
  const actionTok = cur.next("permit or deny").toLowerCase();
  if (actionTok !== "permit" && actionTok !== "deny") throw new ParseError(`expected permit or deny, got "${actionTok}"`);
  const action = actionTok;
  const refs: Reference[] = [];
  const ogRef = (name: string): void => {
    refs.push({ kind: "object-group", name, source, use: "ace", context: "ACE" });
  };
  const ace: Ace = { action, match: { src: [], dst: [ANY], services: [{ protocol: null }] }, source };

  if (type === "standard") {
    const t = cur.next("source address");
    const kw = t.toLowerCase();
    if (kw === "any") ace.match.src = [ANY];
    else if (kw === "host") ace.match.src = [host(cur.ip('address after "host"'))];
    else {
      const a = parseIp(t);
      if (a === undefined) throw new ParseError(`expected source address of standard ACL ${aclName} (any, host A or A [WILDCARD]), got "${t}"`);
      const w = cur.peek();
      if (w !== undefined && /^\d{1,3}(\.\d{1,3}){3}$/.test(w)) ace.match.src = [wildcardOf(a, cur.ip(`wildcard after ${t}`))];
      else ace.match.src = [host(a)];
    }
    while (!cur.done()) {
      const o = cur.next("option").toLowerCase();
      if (o === "log" || o === "log-input") {
        ace.log = true;
        if (!cur.done() && !OPTION_KEYWORDS.has(cur.peekKw() ?? "")) cur.skip();
      } else if (o === "fragments") {
        ace.match.fragments = true;
      } else {
        throw new ParseError(`unexpected "${o}" in standard ACL entry (only source address and log are allowed)`);
      }
    }
    return { ace, refs };
  }

  // extended
  let protocol: number | null = null;
  let protoGroup: string | undefined;
  const protoTok = cur.next("protocol");
  if (protoTok.toLowerCase() === "object-group") {
    protoGroup = cur.next("service object-group name");
    ogRef(protoGroup);
  } else {
    protocol = iosProtocol(protoTok);
  }
  const ports = protocol !== null && hasPorts(protocol);
  const src = parseAddr(cur, "source");
  if ("group" in src) ogRef(src.group);
  const srcPorts = ports ? parsePortOp(cur, protocol!) : undefined;
  if (!ports && PORT_OPS.has(cur.peekKw() ?? ""))
    throw new ParseError(`port operator "${cur.peek()}" is only valid for tcp, udp or sctp`);
  const dst = parseAddr(cur, "destination");
  if ("group" in dst) ogRef(dst.group);
  const dstPorts = ports ? parsePortOp(cur, protocol!) : undefined;
  if (!ports && PORT_OPS.has(cur.peekKw() ?? ""))
    throw new ParseError(`port operator "${cur.peek()}" is only valid for tcp, udp or sctp`);

  const term: ServiceTerm = { protocol };
  if (srcPorts) term.srcPorts = srcPorts;
  if (dstPorts) term.dstPorts = dstPorts;
  const approx: string[] = [];

  if (protocol === PROTO.ICMP) {
    const t = cur.peek();
    if (t !== undefined && /^\d+$/.test(t)) {
      term.icmpType = cur.int("ICMP type", 0, 255);
      const c = cur.peek();
      if (c !== undefined && /^\d+$/.test(c)) term.icmpCode = cur.int("ICMP code", 0, 255);
    } else {
      const n = icmpName(t);
      if (n) {
        cur.skip();
        term.icmpType = n.type;
        if (n.code !== undefined) term.icmpCode = n.code;
      } else if (t !== undefined && !OPTION_KEYWORDS.has(t.toLowerCase()) && !/^[+-]/.test(t)) {
        throw new ParseError(`unknown ICMP message name "${t}"`);
      }
    }
  } else if (protocol === PROTO.IGMP) {
    const t = cur.peekKw();
    if (t !== undefined && (/^\d+$/.test(t) || IGMP_NAMES.has(t))) {
      cur.skip();
      approx.push(`igmp type ${t}`);
    }
  }

  const tcp = new TcpOptions(term);
  let tos: TosMatch | undefined;
  while (!cur.done()) {
    const raw = cur.next("option");
    const o = raw.toLowerCase();
    if (tcp.take(o, cur)) continue;
    switch (o) {
      case "log":
      case "log-input":
        ace.log = true;
        if (!cur.done() && !OPTION_KEYWORDS.has(cur.peekKw() ?? "")) cur.skip(); // log tag (cookie)
        break;
      case "fragments":
        ace.match.fragments = true;
        break;
      case "dscp":
      case "precedence":
      case "tos": {
        const v = parseTosValue(o, cur.next(`value after "${o}"`));
        if (tos === undefined) tos = { kind: o, value: v };
        else if (tos.kind !== o || tos.value !== v) approx.push(`${o} ${v} (only the ${tos.kind} match is modelled)`);
        break;
      }
      case "time-range": {
        const name = cur.next("time-range name");
        ace.timeRange = name;
        refs.push({ kind: "time-range", name, source, use: "ace", context: "ACE" });
        break;
      }
      case "ttl":
      case "packet-length": {
        const op = cur.next(`operator after "${o}"`).toLowerCase();
        if (!PORT_OPS.has(op)) throw new ParseError(`expected eq, neq, lt, gt or range after "${o}", got "${op}"`);
        const a = cur.int(`${o} value`, 0, 65535);
        let text = `${o} ${op} ${a}`;
        if (op === "range") text += ` ${cur.int(`${o} value`, 0, 65535)}`;
        else if (op === "eq" || op === "neq") while (/^\d+$/.test(cur.peek() ?? "")) text += ` ${cur.next("value")}`;
        approx.push(text);
        break;
      }
      case "option":
        approx.push(`option ${cur.next('IP option name or number after "option"')}`);
        break;
      case "reflect": {
        const name = cur.next("reflexive ACL name");
        st.dev.otherMentions.add(name);
        if (cur.accept("timeout")) cur.int("timeout", 0, 2147483);
        // the entry itself is exact; its temporary return entries matter where `evaluate NAME` stands (reported there)
        st.dev.features.reflects.push({ acl: aclName, name, source });
        break;
      }
      case "portgroup":
      case "addrgroup":
        throw new ParseError(`"${raw}" is NX-OS syntax, not IOS`);
      case "port-group":
        throw new ParseError(`"${raw}" is IOS XR syntax, not IOS (IOS object-group ACLs write "object-group NAME")`);
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
    diag(st, "unmodelled", source, `match on ${approx.join(", ")} is not modelled (ACL ${aclName}); the entry is analysed as if that condition always held`);
  }

  bindOperand(st, ace, src, (g) => groupAddrs(st, g, source, ace), (v) => (ace.match.src = v));
  bindOperand(st, ace, dst, (g) => groupAddrs(st, g, source, ace), (v) => (ace.match.dst = v));
  if (protoGroup === undefined) ace.match.services = [term];
  else {
    const g = protoGroup;
    ace.match.services = [];
    st.fixups.push({ ace, run: () => (ace.match.services = groupServices(st, g, source, ace)) });
  }
  return { ace, refs };
}
