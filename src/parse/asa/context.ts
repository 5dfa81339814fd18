/**
 * State shared by the ASA parser modules and the small grammar pieces used in several places
 * (port operators, service specifications, addresses). The cursor is ../common/cursor.ts.
 */
import { host, parseIp, rangeToWildcards, subnet } from "../../model/addr.js";
import { hasPorts, portOpSet, type PortOp } from "../../model/ports.js";
import type {
  AddrSet,
  Device,
  DiagnosticKind,
  Interface,
  ObjectGroupKind,
  PortSet,
  Reference,
  ReferenceKind,
  ReferenceUse,
  Prefix6,
  ServiceTerm,
  SourceRef,
  Wildcard,
} from "../../model/types.js";
import { ParseError, type Cursor } from "../common/cursor.js";
import type { GroupLimits, LimitCut } from "../common/groups.js";
import { asaPort, asaProtocol, icmpType, PORT_OPS, type PortTable } from "./names.js";

/** One address piece of a network object or group, kept so NAT can tell hosts from ranges. */
export interface NetPiece {
  type: "host" | "subnet" | "range";
  start: number;
  end: number;
  /** subnet: the exact pattern (a netmask is not required to be contiguous by the parser). */
  w?: Wildcard;
}

export type PortProto = "tcp" | "udp" | "tcp-udp";

/** An `object …` or `object-group …` definition as written (nested members unresolved). */
export interface GroupDef {
  name: string;
  kind: ObjectGroupKind | "unmodelled";
  /** `object-group service NAME tcp|udp|tcp-udp` (a port-object group). */
  portProto?: PortProto;
  source: SourceRef;
  /** Direct network content (network kinds). */
  pieces: NetPiece[];
  /** Direct service content (service/protocol/icmp-type kinds). */
  services: ServiceTerm[];
  /** Nested groups/objects (group-object, network-object object, service-object object). */
  members: Reference[];
  /** Why the IPv4 content is not exact (fqdn); propagated to users of the group. */
  approx: string[];
  /** IPv6 members as written (for NAT, which does not model IPv6). */
  v6: string[];
  /** Direct IPv6 network content (network kinds). */
  pieces6: Prefix6[];
}

/** A group with nesting expanded. */
export interface Resolved {
  pieces: NetPiece[];
  services: ServiceTerm[];
  approx: string[];
  v6: string[];
  pieces6: Prefix6[];
  /** A nesting limit left part of the content out (the first such cut); the users are approximate. */
  incomplete?: LimitCut;
}

/** Object-group nesting, resolved once for the file and expanded per group on demand. */
export interface AsaGroups {
  /** The expanded content of a definition (shared by the groups of one nesting cycle). */
  resolve(name: string): Resolved | undefined;
}

export interface AsaCtx {
  dev: Device;
  /** `name A NAME` aliases (IPv4). */
  names: Map<string, number>;
  /** `name X:X::X NAME` aliases of IPv6 addresses. */
  names6: Map<string, bigint>;
  defs: Map<string, GroupDef>;
  /** Set by `buildObjectGroups` (./resolve.ts). */
  groups?: AsaGroups;
  /** Why resolving the nesting failed (an internal error), if it did. */
  groupsError?: string;
  /** Object-group nesting limits (defaults: `DEFAULT_GROUP_LIMITS`). */
  limits?: Partial<GroupLimits>;
  /** Interfaces by nameif. */
  ifaces: Map<string, Interface>;
  diag(kind: DiagnosticKind, source: SourceRef, message: string): void;
  /** Records a reference in `device.references` and returns it. */
  ref(kind: ReferenceKind, name: string, source: SourceRef, use: ReferenceUse, context: string): Reference;
}

export function isIpv6(tok: string): boolean {
  return tok.includes(":") && /^[0-9a-fA-F:.]+(\/\d{1,3})?$/.test(tok);
}

/** IPv4 literal or `name` alias; undefined otherwise. */
export function ipOrName(ctx: AsaCtx, tok: string | undefined): number | undefined {
  if (tok === undefined) return undefined;
  return parseIp(tok) ?? ctx.names.get(tok);
}

/** Is the token an IPv6 literal/prefix or an alias of one? */
export function isV6Token(ctx: AsaCtx, tok: string): boolean {
  return isIpv6(tok) || ctx.names6.has(tok);
}

export function pieceWildcards(p: NetPiece): Wildcard[] {
  if (p.type === "host") return [host(p.start)];
  if (p.type === "subnet") return [p.w ?? subnet(p.start, 0)];
  return rangeToWildcards(p.start, p.end);
}

export function piecesToAddrs(ps: readonly NetPiece[]): AddrSet {
  const out: AddrSet = [];
  const seen = new Set<string>();
  for (const p of ps)
    for (const w of pieceWildcards(p)) {
      const k = `${w.addr}/${w.wildcard}`;
      if (!seen.has(k)) {
        seen.add(k);
        out.push(w);
      }
    }
  return out;
}

export function subnetPiece(addr: number, mask: number): NetPiece {
  const w = subnet(addr, mask);
  if (w.wildcard === 0) return { type: "host", start: w.addr, end: w.addr };
  return { type: "subnet", start: w.addr, end: (w.addr | w.wildcard) >>> 0, w };
}

export const ANY_PIECE: NetPiece = { type: "subnet", start: 0, end: 0xffffffff, w: { addr: 0, wildcard: 0xffffffff } };

/** `(real_ifc,mapped_ifc)` of a NAT rule. */
export function parseIfs(tok: string | undefined): { realIf: string; mappedIf: string } | undefined {
  if (tok === undefined) return undefined;
  const m = /^\(([^,()\s]+),([^,()\s]+)\)$/.exec(tok);
  if (!m) return undefined;
  return { realIf: m[1]!, mappedIf: m[2]! };
}

/** The address ranges of pieces (a NAT rule's mapped side). */
export function toRanges(ps: readonly NetPiece[]): Array<{ start: number; end: number }> {
  return ps.map((p) => ({ start: p.start, end: p.end }));
}

/** Number of addresses covered by pieces (used for NAT specificity). */
export function pieceCount(ps: readonly NetPiece[]): number {
  let n = 0;
  for (const p of ps) n += p.end - p.start + 1;
  return n;
}

/** The name table for a set of protocols (tcp only → TCP names; udp only → UDP names; else either). */
export function tableFor(protocols: ReadonlyArray<number | null>): PortTable {
  const tcp = protocols.includes(6) || protocols.includes(132);
  const udp = protocols.includes(17);
  if (tcp && !udp) return "tcp";
  if (udp && !tcp) return "udp";
  return "tcp-udp";
}

const TABLE_LABEL: Record<PortTable, string> = { tcp: "TCP", udp: "UDP", "tcp-udp": "TCP or UDP" };

export function portToken(tok: string, table: PortTable): number {
  const p = asaPort(tok, table);
  if (p === undefined) {
    if (/^\d+$/.test(tok)) throw new ParseError(`port ${tok} is out of range 0-65535`);
    if (tok.toLowerCase() === "non500-isakmp")
      throw new ParseError(`"non500-isakmp" is an IOS port name; ASA has no such keyword (write 4500)`);
    throw new ParseError(`"${tok}" is not an ASA ${TABLE_LABEL[table]} port name`);
  }
  return p;
}

/** Parses `eq P | neq P | lt P | gt P | range A B` when the cursor is on an operator. */
export function parsePortOp(cur: Cursor, table: PortTable): PortSet | undefined {
  const op = cur.peekKw();
  if (op === undefined || !PORT_OPS.has(op)) return undefined;
  cur.skip();
  if (op === "range") {
    const a = portToken(cur.next("a port after range"), table);
    const b = portToken(cur.next("a second port after range"), table);
    return portOpSet("range", [a, b]);
  }
  const p = portToken(cur.next(`a port after ${op}`), table);
  return portOpSet(op as PortOp, [p]);
}

/**
 * `PROTO [source OP P] [[destination] OP P]`, `icmp [TYPE [CODE]]`, `tcp-udp …` — the body of
 * `service …` (object service) and `service-object …` (service object-group).
 */
export function parseServiceSpec(cur: Cursor): ServiceTerm[] {
  const tok = cur.next("a protocol");
  const lc = tok.toLowerCase();
  let protocols: Array<number | null>;
  if (lc === "tcp-udp") protocols = [6, 17];
  else {
    const p = asaProtocol(lc);
    if (p === undefined) throw new ParseError(`unknown protocol "${tok}"`);
    protocols = [p];
  }
  const p0 = protocols[0]!;
  if (protocols.length === 1 && (p0 === 1 || p0 === 58)) {
    const term: ServiceTerm = { protocol: p0 };
    const t = cur.peek();
    if (t !== undefined) {
      const ty = icmpType(t, p0);
      if (ty === undefined) throw new ParseError(`"${t}" is not an ICMP type`);
      cur.skip();
      term.icmpType = ty;
      const c = cur.peek();
      if (c !== undefined) {
        if (!/^\d+$/.test(c) || Number(c) > 255) throw new ParseError(`"${c}" is not an ICMP code`);
        cur.skip();
        term.icmpCode = Number(c);
      }
    }
    cur.end();
    return [term];
  }
  let srcPorts: PortSet | undefined;
  let dstPorts: PortSet | undefined;
  if (protocols.some((p) => hasPorts(p))) {
    const table = tableFor(protocols);
    if (cur.accept("source")) {
      srcPorts = parsePortOp(cur, table);
      if (!srcPorts) throw new ParseError(`expected a port operator (eq, neq, lt, gt, range) after "source"`);
    }
    if (cur.accept("destination")) {
      dstPorts = parsePortOp(cur, table);
      if (!dstPorts) throw new ParseError(`expected a port operator (eq, neq, lt, gt, range) after "destination"`);
    } else dstPorts = parsePortOp(cur, table); // "destination" is optional on entry
  }
  cur.end();
  return protocols.map((p) => {
    const t: ServiceTerm = { protocol: p };
    if (srcPorts) t.srcPorts = srcPorts;
    if (dstPorts) t.dstPorts = dstPorts;
    return t;
  });
}

/** Drops a trailing ` ! comment` (only used where `!` cannot be part of the syntax). */
export function stripComment(toks: string[]): string[] {
  const i = toks.findIndex((t) => t.startsWith("!"));
  return i < 0 ? toks : toks.slice(0, i);
}
