/**
 * ASA access-list entries (ASA command reference, `access-list extended`; ASA CLI guide "Guidelines for ACLs"):
 *   access-list NAME [line N] extended {permit|deny} PROTO SRC [SRCPORT] DST [DSTPORT|ICMP]
 *       [log [LEVEL] [interval S] | log disable | log default] [time-range T] [inactive]
 *   access-list NAME [line N] standard {permit|deny} {any|any4|host A|A MASK}
 * Addresses use netmasks (not wildcards).
 */
import { ANY, host, parseIp, rangeToWildcards, subnet } from "../../model/addr.js";
import { hasPorts, protocolName } from "../../model/ports.js";
import type { AddrSet, Ace, PortSet, Reference, ServiceTerm, SourceRef } from "../../model/types.js";
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
  v6: string[];
  /** Groups used whose content a nesting limit left incomplete. */
  limits: string[];
}

function addRef(st: AceState, kind: Reference["kind"], name: string): void {
  st.refs.push(st.ctx.ref(kind, name, st.src, "ace", st.context));
}

/** IPv6 address terms of the line; one combined note at the end. */
function noteV6(st: AceState, what: string): void {
  if (!st.v6.includes(what)) st.v6.push(what);
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

/** Addresses of a network object/group; an IPv6-only one is noted like an IPv6 literal. */
function netContent(st: AceState, name: string, what: string): AddrSet {
  const r = content(st, name, what);
  if (!r) return [];
  noteApprox(st, r.approx);
  if (r.pieces.length === 0 && r.v6.length > 0) noteV6(st, `${what} ${name}`);
  return addrsOf(r);
}

/** `any | any4 | any6 | host A | A MASK | IPv6/len | object O | object-group G | interface IF | range A B` */
export function parseAclAddr(st: AceState, cur: Cursor, what: string): AddrSet {
  const { ctx } = st;
  const tok = cur.next(`a ${what} address`);
  const lc = tok.toLowerCase();
  if (lc === "any" || lc === "any4") return [ANY];
  if (lc === "any6") {
    noteV6(st, "any6");
    return [];
  }
  if (lc === "host") {
    const a = cur.next("an address after host");
    if (isV6Token(ctx, a)) {
      noteV6(st, `host ${a}`);
      return [];
    }
    const ip = ipOrName(ctx, a);
    if (ip === undefined) throw new ParseError(`"${a}" after host is not an IPv4 address or a defined name`);
    return [host(ip)];
  }
  if (lc === "object") {
    const name = cur.next("an object name");
    addRef(st, "object", name);
    const d = ctx.defs.get(name);
    if (!d) return [];
    if (d.kind !== "object-network") throw new ParseError(`${name} is ${describeKind(d)}, not an object network`);
    return netContent(st, name, "object");
  }
  if (lc === "object-group") {
    const name = cur.next("an object-group name");
    addRef(st, "object-group", name);
    const d = ctx.defs.get(name);
    if (!d) return [];
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
      return [];
    }
    return [host(a.ip)];
  }
  if (lc === "range") {
    const a = ipOrName(ctx, cur.next("a start address after range"));
    const b = ipOrName(ctx, cur.next("an end address after range"));
    if (a === undefined || b === undefined || b < a) throw new ParseError(`invalid address range`);
    return rangeToWildcards(a, b);
  }
  if (lc === "fqdn") {
    const n = cur.next("a domain name");
    noteApprox(st, [`fqdn ${n} is resolved by DNS at run time; not modelled`]);
    return [];
  }
  if (isV6Token(ctx, tok)) {
    noteV6(st, tok);
    return [];
  }
  const ip = ipOrName(ctx, tok);
  if (ip === undefined) throw new ParseError(`"${tok}" is not a ${what} address (any, host A, A MASK, object, object-group, interface)`);
  const m = cur.peek();
  const mask = m === undefined ? undefined : parseIp(m);
  if (mask === undefined) throw new ParseError(`expected a netmask after ${tok} (ASA writes A MASK, not a wildcard)`);
  cur.skip();
  return [subnet(ip, mask)];
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
export function parseExtendedAce(ctx: AsaCtx, acl: string, toks: string[], src: SourceRef): Ace {
  const cur = new Cursor(toks);
  const action = cur.next("permit or deny").toLowerCase();
  if (action !== "permit" && action !== "deny") throw new ParseError(`expected permit or deny, found "${toks[0]}"`);
  const st: AceState = { ctx, src, context: `access-list ${acl}`, refs: [], approx: [], v6: [], limits: [] };
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
  const ace: Ace = { action, match: { src: srcAddrs, dst: dstAddrs, services }, source: src };
  parseOptions(st, cur, ace);
  finish(st, ace);
  return ace;
}

/** ASA standard ACLs match **destination** addresses (route maps, split tunnelling, OSPF). */
export function parseStandardAce(ctx: AsaCtx, acl: string, toks: string[], src: SourceRef): Ace {
  const cur = new Cursor(toks);
  const action = cur.next("permit or deny").toLowerCase();
  if (action !== "permit" && action !== "deny") throw new ParseError(`expected permit or deny, found "${toks[0]}"`);
  const st: AceState = { ctx, src, context: `access-list ${acl}`, refs: [], approx: [], v6: [], limits: [] };
  const tok = cur.peekKw();
  if (tok === "object" || tok === "object-group" || tok === "interface" || tok === "range" || tok === "fqdn")
    throw new ParseError(`standard ACL entries take any, host A or A MASK, not "${cur.peek()}"`);
  const dst = parseAclAddr(st, cur, "destination");
  const ace: Ace = { action, match: { src: [ANY], dst, services: [{ protocol: null }] }, source: src };
  parseOptions(st, cur, ace);
  finish(st, ace);
  return ace;
}

function finish(st: AceState, ace: Ace): void {
  if (st.refs.length > 0) ace.refs = st.refs;
  if (st.v6.length > 0)
    st.approx.unshift(`IPv6 is not modelled (${st.v6.join(", ")}): these addresses match no packet`);
  if (st.approx.length > 0) st.ctx.diag("unmodelled", st.src, st.approx.join("; "));
  if (st.limits.length > 0) st.ctx.diag("limit", st.src, incompleteUse(st.limits));
  if (st.approx.length > 0 || st.limits.length > 0) ace.match.approximate = [...st.approx, ...st.limits].join("; ");
}
