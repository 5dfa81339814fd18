/**
 * ASA access-list entries (ASA command reference, `access-list extended`; ASA CLI guide "Guidelines for ACLs"):
 *   access-list NAME [line N] extended {permit|deny} PROTO SRC [SRCPORT] DST [DSTPORT|ICMP]
 *       [log [LEVEL] [interval S] | log disable | log default] [time-range T] [inactive]
 *   access-list NAME [line N] standard {permit|deny} {any|any4|host A|A MASK}
 * Addresses use netmasks (not wildcards). Extended ACLs are unified from ASA 9.0 (ASA CLI
 * configuration guide 9.x, "Guidelines for ACLs": mixed IPv4 and IPv6): `any` is every IPv4 and
 * IPv6 address, `any4` / `any6` one family, IPv6 `host X:X::X`, `X:X::X/N` and network objects and
 * groups with IPv6 members; before 9.0 `any` is IPv4 only and IPv6 has its own `ipv6 access-list`.
 */
import { ANY, host, parseIp, rangeToWildcards, subnet } from "../../model/addr.js";
import { ANY6, host6, parseCidr6, parseIp6, rangeToPrefixes6 } from "../../model/addr6.js";
import { hasPorts, protocolName } from "../../model/ports.js";
import type { AddrSet, AddrSet6, Ace, PortSet, Reference, ServiceTerm, SourceRef } from "../../model/types.js";
import { Cursor, ParseError } from "../common/cursor.js";
import { incompleteNote, incompleteUse } from "../common/groups.js";
import { ipOrName, isV6Token, parsePortOp, tableFor, type AsaCtx, type Resolved } from "./context.js";
import { describeKind } from "./objects.js";
import { addrsOf, groupPorts, resolveDef } from "./resolve.js";
import { ASA_ICMP_TYPES, asaProtocol, icmpType, LOG_LEVELS } from "./names.js";

/** Per-line state while an ACE is parsed. */
interface AceState {
  ctx: AsaCtx;
  src: SourceRef;
  context: string;
  refs: Reference[];
  approx: string[];
  /** Groups used whose content a nesting limit left incomplete. */
  limits: string[];
  /** The families the ACL filters: both (9.0+ unified), IPv4 (before 9.0, standard ACLs), IPv6 (`ipv6 access-list`). */
  family: "both" | "ipv4" | "ipv6";
}

/** An address operand: its IPv4 and IPv6 parts. */
interface Addrs {
  v4: AddrSet;
  v6: AddrSet6;
}

function addRef(st: AceState, kind: Reference["kind"], name: string): void {
  st.refs.push(st.ctx.ref(kind, name, st.src, "ace", st.context));
}

function noteApprox(st: AceState, reasons: readonly string[]): void {
  for (const r of reasons) if (!st.approx.includes(r)) st.approx.push(r);
}

/** The content of a group the line uses; notes it when a nesting limit left it incomplete. */
function content(st: AceState, name: string, what: string): Resolved | undefined {
  const r = resolveDef(st.ctx, name);
  if (r?.incomplete) {
    const note = incompleteNote(`${what} ${name}`, r.incomplete);
    if (!st.limits.includes(note)) st.limits.push(note);
  }
  return r;
}

/** Addresses of a network object/group, both families. */
function netContent(st: AceState, name: string, what: string): Addrs {
  const r = content(st, name, what);
  if (!r) return { v4: [], v6: [] };
  noteApprox(st, r.approx);
  return { v4: addrsOf(r), v6: r.pieces6 };
}

const v4 = (set: AddrSet): Addrs => ({ v4: set, v6: [] });
const v6 = (set: AddrSet6): Addrs => ({ v4: [], v6: set });

/** An IPv6 address or a `name` alias of one. */
function ip6OrName(ctx: AsaCtx, tok: string): bigint | undefined {
  return parseIp6(tok) ?? ctx.names6.get(tok);
}

/** `any | any4 | any6 | host A | A MASK | IPv6/len | object O | object-group G | interface IF | range A B`: IPv4 and IPv6 parts. */
export function parseAclAddr(st: AceState, cur: Cursor, what: string): Addrs {
  const { ctx } = st;
  const tok = cur.next(`a ${what} address`);
  const lc = tok.toLowerCase();
  if (lc === "any") return st.family === "both" ? { v4: [ANY], v6: [ANY6] } : st.family === "ipv6" ? v6([ANY6]) : v4([ANY]);
  if (lc === "any4") return v4([ANY]);
  if (lc === "any6") return v6([ANY6]);
  if (lc === "host") {
    const a = cur.next("an address after host");
    if (isV6Token(ctx, a)) {
      const ip6 = ip6OrName(ctx, a);
      if (ip6 === undefined) throw new ParseError(`"${a}" after host is not an IPv6 address`);
      return v6([host6(ip6)]);
    }
    const ip = ipOrName(ctx, a);
    if (ip === undefined) throw new ParseError(`"${a}" after host is not an IPv4 address or a defined name`);
    return v4([host(ip)]);
  }
  if (lc === "object") {
    const name = cur.next("an object name");
    addRef(st, "object", name);
    const d = ctx.defs.get(name);
    if (!d) return v4([]);
    if (d.kind !== "object-network") throw new ParseError(`${name} is ${describeKind(d)}, not an object network`);
    return netContent(st, name, "object");
  }
  if (lc === "object-group") {
    const name = cur.next("an object-group name");
    addRef(st, "object-group", name);
    const d = ctx.defs.get(name);
    if (!d) return v4([]);
    if (d.kind !== "network") throw new ParseError(`${name} is ${describeKind(d)}, not a network object-group (${what})`);
    return netContent(st, name, "object-group");
  }
  if (lc === "interface") {
    const name = cur.next("an interface name");
    addRef(st, "interface", name);
    const ifc = ctx.ifaces.get(name);
    const a = ifc?.addresses.find((x) => !x.secondary);
    if (!a) {
      noteApprox(st, [`interface ${name} has no static IPv4 address; its address is not modelled`]);
      return v4([]);
    }
    return v4([host(a.ip)]);
  }
  if (lc === "range") {
    const at = cur.next("a start address after range");
    const bt = cur.next("an end address after range");
    if (isV6Token(ctx, at)) {
      const a6 = ip6OrName(ctx, at);
      const b6 = ip6OrName(ctx, bt);
      if (a6 === undefined || b6 === undefined || b6 < a6) throw new ParseError(`invalid IPv6 address range`);
      return v6(rangeToPrefixes6(a6, b6));
    }
    const a = ipOrName(ctx, at);
    const b = ipOrName(ctx, bt);
    if (a === undefined || b === undefined || b < a) throw new ParseError(`invalid address range`);
    return v4(rangeToWildcards(a, b));
  }
  if (lc === "fqdn") {
    const n = cur.next("a domain name");
    noteApprox(st, [`fqdn ${n} is resolved by DNS at run time; not modelled`]);
    return v4([]);
  }
  if (isV6Token(ctx, tok)) {
    const p = parseCidr6(tok);
    if (p) return v6([p]);
    if (ip6OrName(ctx, tok) !== undefined) throw new ParseError(`IPv6 address "${tok}" needs a prefix length (X:X::X/N) or "host ${tok}"`);
    throw new ParseError(`"${tok}" is not an IPv6 prefix`);
  }
  const ip = ipOrName(ctx, tok);
  if (ip === undefined) throw new ParseError(`"${tok}" is not a ${what} address (any, host A, A MASK, object, object-group, interface)`);
  const m = cur.peek();
  const mask = m === undefined ? undefined : parseIp(m);
  if (mask === undefined) throw new ParseError(`expected a netmask after ${tok} (ASA writes A MASK, not a wildcard)`);
  cur.skip();
  return v4([subnet(ip, mask)]);
}

const ADDR_KEYWORDS = new Set(["any", "any4", "any6", "host", "object", "object-group", "interface", "range", "fqdn"]);

/** Can the token start an ACL address? */
function isAddrStart(ctx: AsaCtx, tok: string | undefined): boolean {
  if (tok === undefined) return false;
  return ADDR_KEYWORDS.has(tok.toLowerCase()) || ipOrName(ctx, tok) !== undefined || isV6Token(ctx, tok);
}

/** What the protocol position said. */
interface ProtoSpec {
  /** Protocols whose ports/types the rest of the line may restrict. */
  base: Array<number | null>;
  /** Complete service terms (object service / service object-group): no port operators follow. */
  complete?: ServiceTerm[];
  /** Undefined object-group: unknown protocol, parse port operators leniently. */
  lenient?: boolean;
}

function parseProtoSpec(st: AceState, cur: Cursor): ProtoSpec {
  const { ctx } = st;
  const tok = cur.next("a protocol");
  const lc = tok.toLowerCase();
  if (lc === "object") {
    const name = cur.next("a service object name");
    const d = ctx.defs.get(name);
    if (!d) {
      // Batfish accepts inline protocol / icmp-TYPE names here; anything else is an undefined object.
      const p = asaProtocol(name);
      if (p !== undefined) return { base: [], complete: [{ protocol: p }] };
      const icmp = /^icmp-(.+)$/i.exec(name);
      const ty = icmp ? ASA_ICMP_TYPES.get(icmp[1]!.toLowerCase()) : undefined;
      if (ty !== undefined) return { base: [], complete: [{ protocol: 1, icmpType: ty }] };
      addRef(st, "object", name);
      return { base: [], complete: [] };
    }
    addRef(st, "object", name);
    if (d.kind !== "object-service") throw new ParseError(`${name} is ${describeKind(d)}, not an object service`);
    return { base: [], complete: content(st, name, "object")?.services ?? [] };
  }
  if (lc === "object-group") {
    const name = cur.next("an object-group name");
    addRef(st, "object-group", name);
    const d = ctx.defs.get(name);
    if (!d) return { base: [], complete: [], lenient: true };
    const r = content(st, name, "object-group");
    if (d.kind === "protocol") {
      const ps: Array<number | null> = [];
      for (const t of r?.services ?? []) if (!ps.includes(t.protocol)) ps.push(t.protocol);
      return { base: ps };
    }
    if (d.kind === "service" && !d.portProto) return { base: [], complete: r?.services ?? [] };
    if (d.kind === "service")
      throw new ParseError(`object-group ${name} is a ${d.portProto} port-object group; it cannot stand for the protocol`);
    throw new ParseError(`${name} is ${describeKind(d)}; expected a protocol or service object-group`);
  }
  const p = asaProtocol(lc);
  if (p === undefined) throw new ParseError(`unknown protocol "${tok}"`);
  return { base: [p] };
}

/** Port restriction for one protocol (undefined = any port). */
type PortFn = (protocol: number) => PortSet | undefined;

/** Parses a port operator or a port-object group at the cursor, if there is one. */
function tryPortSpec(st: AceState, cur: Cursor, spec: ProtoSpec, where: "source" | "destination"): PortFn | undefined {
  const { ctx } = st;
  const portable = spec.base.filter((p) => hasPorts(p));
  const op = cur.peekKw();
  if (op === "range" && ipOrName(ctx, cur.peek(1)) !== undefined) return undefined; // address range
  if (portable.length === 0 && !spec.lenient) {
    if (op === "eq" || op === "neq" || op === "lt" || op === "gt" || op === "range")
      throw new ParseError(
        `port operator "${op}" needs protocol tcp, udp or sctp (protocol is ${spec.base.map(protocolName).join(", ") || "none"})`,
      );
    return undefined;
  }
  const table = tableFor(spec.lenient ? [6, 17] : portable);
  const set = parsePortOp(cur, table);
  if (set) return () => set;
  if (op === "object-group") {
    const name = cur.peek(1);
    const d = name === undefined ? undefined : ctx.defs.get(name);
    // An undefined group is a port group after the destination (nothing else can follow there),
    // and after the source only when a destination address still follows it.
    if (name !== undefined && !d && (where === "destination" || isAddrStart(ctx, cur.peek(2)))) {
      cur.skip();
      cur.skip();
      addRef(st, "object-group", name);
      return () => [];
    }
    if (d && d.kind === "service" && d.portProto) {
      cur.skip();
      cur.skip();
      addRef(st, "object-group", d.name);
      const r = content(st, d.name, "object-group");
      return (p) => groupPorts(r, p);
    }
  }
  return undefined;
}

/** ICMP type/code or `object-group ICMP-GROUP` after the destination. */
function tryIcmpSpec(st: AceState, cur: Cursor, protocol: number): ServiceTerm[] | undefined {
  const t = cur.peek();
  if (t === undefined) return undefined;
  if (t.toLowerCase() === "object-group") {
    const name = cur.peek(1);
    const d = name === undefined ? undefined : st.ctx.defs.get(name);
    if (name !== undefined && (!d || d.kind === "icmp-type")) {
      cur.skip();
      cur.skip();
      addRef(st, "object-group", name);
      if (!d) return [];
      const terms = content(st, name, "object-group")?.services ?? [];
      return terms.map((x) => ({ ...x, protocol }));
    }
    return undefined;
  }
  const ty = icmpType(t, protocol);
  if (ty === undefined) return undefined;
  cur.skip();
  const term: ServiceTerm = { protocol, icmpType: ty };
  const c = cur.peek();
  if (c !== undefined && /^\d+$/.test(c)) {
    if (Number(c) > 255) throw new ParseError(`ICMP code ${c} is out of range 0-255`);
    cur.skip();
    term.icmpCode = Number(c);
  }
  return [term];
}

/** Trailing `log …`, `time-range T`, `inactive`. */
function parseOptions(st: AceState, cur: Cursor, ace: Ace): void {
  while (!cur.done()) {
    const t = cur.take()!;
    const lc = t.toLowerCase();
    if (lc === "log") {
      ace.log = true;
      const n = cur.peekKw();
      if (n === "disable") {
        cur.skip();
        ace.log = false;
        continue;
      }
      if (n === "default") {
        cur.skip();
        continue;
      }
      if (n !== undefined && (LOG_LEVELS.has(n) || /^[0-7]$/.test(n))) cur.skip();
      if (cur.accept("interval")) {
        const s = cur.next("seconds after interval");
        if (!/^\d+$/.test(s)) throw new ParseError(`"${s}" is not a log interval`);
      }
    } else if (lc === "time-range") {
      const name = cur.next("a time-range name");
      ace.timeRange = name;
      addRef(st, "time-range", name);
    } else if (lc === "inactive") {
      ace.inactive = true;
    } else throw new ParseError(`unexpected "${t}"`);
  }
}

/** Turns `permit|deny …` (after `extended`) into an Ace. Throws ParseError on bad syntax. */
export function parseExtendedAce(ctx: AsaCtx, acl: string, toks: string[], src: SourceRef, family: AceState["family"] = "both"): Ace {
  const cur = new Cursor(toks);
  const action = cur.next("permit or deny").toLowerCase();
  if (action !== "permit" && action !== "deny") throw new ParseError(`expected permit or deny, found "${toks[0]}"`);
  const st: AceState = { ctx, src, context: `${family === "ipv6" ? "ipv6 " : ""}access-list ${acl}`, refs: [], approx: [], limits: [], family };
  const spec = parseProtoSpec(st, cur);
  const srcAddrs = parseAclAddr(st, cur, "source");
  const srcPorts = spec.complete && !spec.lenient ? undefined : tryPortSpec(st, cur, spec, "source");
  const dstAddrs = parseAclAddr(st, cur, "destination");
  let services: ServiceTerm[];
  if (spec.complete) {
    if (!spec.lenient) {
      const op = cur.peekKw();
      if (op === "eq" || op === "neq" || op === "lt" || op === "gt" || op === "range")
        throw new ParseError(`port operator "${op}" is not allowed after a service object/object-group protocol`);
    } else if (!tryPortSpec(st, cur, spec, "destination")) tryIcmpSpec(st, cur, 1); // undefined group: skip what follows
    services = spec.complete;
  } else {
    const icmpOnly = spec.base.length > 0 && spec.base.every((p) => p === 1 || p === 58);
    let icmp: ServiceTerm[] | undefined;
    let dstPorts: PortFn | undefined;
    if (icmpOnly && spec.base.length === 1) icmp = tryIcmpSpec(st, cur, spec.base[0]!);
    else dstPorts = tryPortSpec(st, cur, spec, "destination");
    services = [];
    for (const p of spec.base) {
      if (icmp && (p === 1 || p === 58)) {
        for (const t of icmp) services.push(t);
        continue;
      }
      const term: ServiceTerm = { protocol: p };
      if (p !== null && hasPorts(p)) {
        const s = srcPorts?.(p);
        const d = dstPorts?.(p);
        if (s) term.srcPorts = s;
        if (d) term.dstPorts = d;
      } else if (srcPorts || dstPorts) {
        noteApprox(st, [`port operator ignored for protocol ${protocolName(p)}`]);
      }
      services.push(term);
    }
  }
  if (family === "ipv6" && (srcAddrs.v4.length > 0 || dstAddrs.v4.length > 0)) throw new ParseError(`an ipv6 access-list takes IPv6 addresses (any, host X:X::X, X:X::X/N)`);
  if (family === "ipv4" && (srcAddrs.v6.length > 0 || dstAddrs.v6.length > 0) && ctx.dev.version !== undefined)
    throw new ParseError(`IPv6 addresses in an access-list need ASA 9.0 or later (unified ACLs; this is ${ctx.dev.version}: use "ipv6 access-list")`);
  const match: Ace["match"] = { src: srcAddrs.v4, dst: dstAddrs.v4, services };
  // the IPv6 part: both addresses IPv6 (a line mixing an IPv4 and an IPv6 address matches nothing)
  if (srcAddrs.v6.length > 0 && dstAddrs.v6.length > 0) {
    match.src6 = srcAddrs.v6;
    match.dst6 = dstAddrs.v6;
  }
  const ace: Ace = { action, match, source: src };
  parseOptions(st, cur, ace);
  finish(st, ace);
  return ace;
}

/** ASA standard ACLs match **destination** addresses (route maps, split tunnelling, OSPF). */
export function parseStandardAce(ctx: AsaCtx, acl: string, toks: string[], src: SourceRef): Ace {
  const cur = new Cursor(toks);
  const action = cur.next("permit or deny").toLowerCase();
  if (action !== "permit" && action !== "deny") throw new ParseError(`expected permit or deny, found "${toks[0]}"`);
  const st: AceState = { ctx, src, context: `access-list ${acl}`, refs: [], approx: [], limits: [], family: "ipv4" };
  const tok = cur.peekKw();
  if (tok === "object" || tok === "object-group" || tok === "interface" || tok === "range" || tok === "fqdn")
    throw new ParseError(`standard ACL entries take any, host A or A MASK, not "${cur.peek()}"`);
  const dst = parseAclAddr(st, cur, "destination");
  if (dst.v6.length > 0) throw new ParseError(`standard ACLs are IPv4 only (ASA CLI configuration guide, "Guidelines for ACLs")`);
  const ace: Ace = { action, match: { src: [ANY], dst: dst.v4, services: [{ protocol: null }] }, source: src };
  parseOptions(st, cur, ace);
  finish(st, ace);
  return ace;
}

function finish(st: AceState, ace: Ace): void {
  if (st.refs.length > 0) ace.refs = st.refs;
  if (st.approx.length > 0) st.ctx.diag("unmodelled", st.src, st.approx.join("; "));
  if (st.limits.length > 0) st.ctx.diag("limit", st.src, incompleteUse(st.limits));
  if (st.approx.length > 0 || st.limits.length > 0) ace.match.approximate = [...st.approx, ...st.limits].join("; ");
}
