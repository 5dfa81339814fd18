/**
 * `object network|service` and `object-group network|service|protocol|icmp-type` definitions as
 * written (nesting is resolved in ./resolve.ts).
 */
import { host6, parseCidr6, parseIp6, rangeToPrefixes6 } from "../../model/addr6.js";
import type { Prefix6, SourceRef } from "../../model/types.js";
import { Cursor, ParseError } from "../common/cursor.js";
import {
  ipOrName,
  isV6Token,
  parsePortOp,
  parseServiceSpec,
  stripComment,
  subnetPiece,
  type AsaCtx,
  type GroupDef,
  type NetPiece,
  type PortProto,
} from "./context.js";
import { asaProtocol, icmpType } from "./names.js";

/** Starts (or re-enters) a definition. ASA re-enters an existing object when its name is repeated. */
export function openDef(ctx: AsaCtx, toks: string[], src: SourceRef): GroupDef | undefined {
  const cur = new Cursor(toks);
  const head = cur.take()!.toLowerCase(); // object | object-group
  let kindTok = cur.next("an object type").toLowerCase();
  if (head === "object-group" && kindTok === "group") kindTok = cur.next("an object-group type").toLowerCase(); // `object-group group network N`
  const name = cur.next("an object name");
  let kind: GroupDef["kind"];
  let portProto: PortProto | undefined;
  if (head === "object") {
    if (kindTok === "network") kind = "object-network";
    else if (kindTok === "service") kind = "object-service";
    else {
      ctx.diag("unmodelled", src, `object ${kindTok} ${name} is not modelled`);
      kind = "unmodelled";
    }
    cur.end();
  } else {
    if (kindTok === "network" || kindTok === "protocol" || kindTok === "icmp-type") kind = kindTok;
    else if (kindTok === "service") {
      kind = "service";
      const p = cur.peekKw();
      if (p === "tcp" || p === "udp" || p === "tcp-udp") {
        portProto = p;
        cur.skip();
      }
    } else {
      // user, security, local-user, …: identity-firewall groups
      ctx.diag("unmodelled", src, `object-group ${kindTok} ${name} is not modelled`);
      kind = "unmodelled";
    }
    if (kind !== "unmodelled") cur.end();
  }
  const existing = ctx.defs.get(name);
  if (existing && existing.kind === kind) {
    if (portProto && !existing.portProto) existing.portProto = portProto;
    return existing;
  }
  if (existing)
    ctx.diag(
      "unrecognized-syntax",
      src,
      `${head} ${kindTok} ${name}: the name is already used by ${describeKind(existing)} defined on line ${existing.source.line}; this definition replaces it`,
    );
  const def: GroupDef = { name, kind, source: src, pieces: [], services: [], members: [], approx: [], v6: [], pieces6: [] };
  if (portProto) def.portProto = portProto;
  ctx.defs.set(name, def);
  return def;
}

export function describeKind(d: GroupDef): string {
  switch (d.kind) {
    case "object-network":
      return "object network";
    case "object-service":
      return "object service";
    case "unmodelled":
      return "an unmodelled object";
    default:
      return `object-group ${d.kind}`;
  }
}

/** An IPv6 address or `name` alias of one. */
function ip6OrName(ctx: AsaCtx, tok: string): bigint | undefined {
  return parseIp6(tok) ?? ctx.names6.get(tok);
}

/**
 * The IPv6 prefixes of a `host`, `subnet` or plain network-object operand (`X:X::X`, `X:X::X/N`),
 * recorded in `def.pieces6` (and `def.v6`, for NAT, which does not model IPv6).
 */
function addV6(ctx: AsaCtx, def: GroupDef, tok: string, what: string, asHost: boolean): void {
  let ps: Prefix6[];
  if (tok.includes("/")) {
    const p = parseCidr6(tok);
    if (!p) throw new ParseError(`"${tok}" is not an IPv6 prefix`);
    ps = [p];
  } else {
    const a = ip6OrName(ctx, tok);
    if (a === undefined) throw new ParseError(`"${tok}" is not an IPv6 address`);
    if (!asHost) throw new ParseError(`IPv6 ${what} "${tok}" needs a prefix length (X:X::X/N)`);
    ps = [host6(a)];
  }
  def.pieces6.push(...ps);
  def.v6.push(`${what} ${tok}`);
}

/** Parses a host, subnet or range body line of `object network` (or network-object): the IPv4 address, or undefined when it was IPv6 (recorded). */
function v4orV6(ctx: AsaCtx, def: GroupDef, tok: string, _src: SourceRef, what: string): number | undefined {
  if (isV6Token(ctx, tok)) {
    addV6(ctx, def, tok, what, what === "host");
    return undefined;
  }
  const ip = ipOrName(ctx, tok);
  if (ip === undefined) throw new ParseError(`"${tok}" is not an IPv4 address or a defined name`);
  return ip;
}

function mask(ctx: AsaCtx, tok: string | undefined, after: string): number {
  if (tok === undefined) throw new ParseError(`expected a netmask after ${after}`);
  const m = ipOrName(ctx, tok);
  if (m === undefined) throw new ParseError(`"${tok}" is not a netmask`);
  return m;
}

/** One body line of an `object …` / `object-group …` definition. Returns false if not handled. */
export function defLine(ctx: AsaCtx, def: GroupDef, rawToks: string[], src: SourceRef): void {
  const first = rawToks[0]!.toLowerCase();
  if (first === "description") return;
  if (def.kind === "unmodelled") return;
  const toks = stripComment(rawToks);
  if (toks.length === 0) return;
  const cur = new Cursor(toks);
  const kw = cur.take()!.toLowerCase();
  switch (def.kind) {
    case "object-network": {
      // A new address definition replaces the previous one — once the line is valid: the ASA
      // rejects a malformed line ("ERROR: % Invalid input detected") and keeps what the object had.
      const kept = { pieces: def.pieces, approx: def.approx, v6: def.v6, pieces6: def.pieces6 };
      if (kw === "host" || kw === "subnet" || kw === "range" || kw === "fqdn") {
        def.pieces = [];
        def.approx = [];
        def.v6 = [];
        def.pieces6 = [];
      }
      try {
        objectNetworkLine(ctx, def, kw, cur, rawToks, src);
      } catch (e) {
        Object.assign(def, kept);
        throw e;
      }
      return;
    }
    case "object-service": {
      if (kw !== "service") throw new ParseError(`object service ${def.name}: unknown command "${rawToks[0]}"`);
      def.services = parseServiceSpec(cur);
      return;
    }
    case "network": {
      if (kw === "group-object") {
        def.members.push(ctx.ref("object-group", cur.next("a group name"), src, "group-member", `object-group ${def.name}`));
        cur.end();
        return;
      }
      if (kw !== "network-object") throw new ParseError(`object-group network ${def.name}: unknown command "${rawToks[0]}"`);
      const t = cur.next("an address after network-object");
      const lt = t.toLowerCase();
      if (lt === "object") {
        def.members.push(ctx.ref("object", cur.next("an object name"), src, "group-member", `object-group ${def.name}`));
      } else if (lt === "host") {
        const a = cur.next("an address after host");
        const ip = v4orV6(ctx, def, a, src, "host");
        if (ip !== undefined) def.pieces.push({ type: "host", start: ip, end: ip });
      } else if (lt === "range") {
        const a = ipOrName(ctx, cur.next("a start address"));
        const b = ipOrName(ctx, cur.next("an end address"));
        if (a === undefined || b === undefined || b < a) throw new ParseError(`invalid address range`);
        def.pieces.push({ type: "range", start: a, end: b });
      } else {
        const ip = v4orV6(ctx, def, t, src, "network");
        if (ip !== undefined) def.pieces.push(subnetPiece(ip, mask(ctx, cur.take(), t)));
      }
      cur.end();
      return;
    }
    case "service": {
      if (kw === "group-object") {
        def.members.push(ctx.ref("object-group", cur.next("a group name"), src, "group-member", `object-group ${def.name}`));
        cur.end();
        return;
      }
      if (kw === "port-object") {
        if (!def.portProto)
          throw new ParseError(
            `object-group service ${def.name}: port-object needs a group protocol (object-group service ${def.name} tcp|udp|tcp-udp)`,
          );
        const protos = def.portProto === "tcp" ? [6] : def.portProto === "udp" ? [17] : [6, 17];
        const set = parsePortOp(cur, def.portProto);
        if (!set) throw new ParseError(`expected eq or range after port-object`);
        cur.end();
        for (const p of protos) def.services.push({ protocol: p, dstPorts: set });
        return;
      }
      if (kw === "service-object") {
        if (cur.peekKw() === "object") {
          cur.skip();
          def.members.push(ctx.ref("object", cur.next("an object name"), src, "group-member", `object-group ${def.name}`));
          cur.end();
          return;
        }
        def.services.push(...parseServiceSpec(cur));
        return;
      }
      throw new ParseError(`object-group service ${def.name}: unknown command "${rawToks[0]}"`);
    }
    case "protocol": {
      if (kw === "group-object") {
        def.members.push(ctx.ref("object-group", cur.next("a group name"), src, "group-member", `object-group ${def.name}`));
        cur.end();
        return;
      }
      if (kw !== "protocol-object") throw new ParseError(`object-group protocol ${def.name}: unknown command "${rawToks[0]}"`);
      const t = cur.next("a protocol");
      const p = asaProtocol(t);
      if (p === undefined) throw new ParseError(`unknown protocol "${t}"`);
      cur.end();
      def.services.push({ protocol: p });
      return;
    }
    case "icmp-type": {
      if (kw === "group-object") {
        def.members.push(ctx.ref("object-group", cur.next("a group name"), src, "group-member", `object-group ${def.name}`));
        cur.end();
        return;
      }
      if (kw !== "icmp-object") throw new ParseError(`object-group icmp-type ${def.name}: unknown command "${rawToks[0]}"`);
      const t = cur.next("an ICMP type");
      const ty = icmpType(t, 1);
      if (ty === undefined) throw new ParseError(`"${t}" is not an ICMP type`);
      cur.end();
      def.services.push({ protocol: 1, icmpType: ty });
      return;
    }
  }
}

export type { NetPiece };

/** The address definition line of `object network NAME` (host, subnet, range, fqdn). */
function objectNetworkLine(ctx: AsaCtx, def: GroupDef, kw: string, cur: Cursor, rawToks: string[], src: SourceRef): void {
  if (kw === "host") {
    const t = cur.next("an address after host");
    const ip = v4orV6(ctx, def, t, src, "host");
    if (ip !== undefined) def.pieces.push({ type: "host", start: ip, end: ip });
  } else if (kw === "subnet") {
    const t = cur.next("an address after subnet");
    const ip = v4orV6(ctx, def, t, src, "subnet");
    if (ip !== undefined) def.pieces.push(subnetPiece(ip, mask(ctx, cur.take(), t)));
  } else if (kw === "range") {
    const a = cur.next("a start address after range");
    const b = cur.next("an end address after range");
    if (isV6Token(ctx, a)) {
      const ia6 = ip6OrName(ctx, a);
      const ib6 = ip6OrName(ctx, b);
      if (ia6 === undefined || ib6 === undefined || ib6 < ia6) throw new ParseError(`range ${a} ${b}: not an IPv6 range`);
      def.pieces6.push(...rangeToPrefixes6(ia6, ib6));
      def.v6.push(`range ${a} ${b}`);
      cur.end();
      return;
    }
    const ia = v4orV6(ctx, def, a, src, "range");
    if (ia !== undefined) {
      const ib = ipOrName(ctx, b);
      if (ib === undefined) throw new ParseError(`"${b}" is not an IPv4 address`);
      if (ib < ia) throw new ParseError(`range ${a} ${b}: end is below start`);
      def.pieces.push(ia === ib ? { type: "host", start: ia, end: ia } : { type: "range", start: ia, end: ib });
    }
  } else if (kw === "fqdn") {
    let t = cur.next("a domain name after fqdn");
    if ((t === "v4" || t === "v6") && cur.peek() !== undefined) t = cur.take()!;
    const msg = `fqdn ${t} is resolved by DNS at run time; its addresses are not modelled`;
    def.approx.push(msg);
    ctx.diag("unmodelled", src, `object network ${def.name}: ${msg}`);
    return;
  } else throw new ParseError(`object network ${def.name}: unknown command "${rawToks[0]}"`);
  cur.end();
}
