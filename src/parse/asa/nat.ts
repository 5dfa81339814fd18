/**
 * ASA NAT (ASA 8.4 configuration guides "Configuring Network Object NAT" and "Configuring Twice NAT"; ASA 8.3 migration guide).
 *
 * 8.3+:
 *   object network OBJ / nat [(real,mapped)] static  MAPPED|interface [service tcp|udp|sctp RP MP] [dns] …
 *   object network OBJ / nat [(real,mapped)] dynamic MAPPED [interface] | interface | pat-pool POOL [opts] [interface]
 *   nat [(real,mapped)] [N | line N | after-auto [N]] source static|dynamic REAL MAPPED…
 *       [destination static MAPPED_DST REAL_DST] [service REAL_SVC MAPPED_SVC] [inactive] [description …]
 * pre-8.3 (./nat-pre83.ts):
 *   nat (if) ID NET MASK | nat (if) ID access-list ACL   (ID 0 = identity / exemption)
 *   global (if) ID interface | IP | START-END [netmask M]
 *   static (real,mapped) [tcp|udp] MAPPED|interface [MPORT] REAL|access-list ACL [RPORT] [netmask M]
 *
 * Encoding in the model
 * - `realIf`/`mappedIf` are nameifs; `"any"` when the rule names no interface (or says `any`).
 * - Rules are in evaluation order: section 1 (manual/twice NAT, config order with `N` / `line N`
 *   insertion), section 2 (object NAT: static before dynamic, each by number of real addresses, then
 *   lowest real address, then object name), section 3 (`after-auto`).
 * - `inactive` twice-NAT rules are left out of `natRules` (they never translate).
 * - A twice-NAT destination is recorded as `match.dstAddrs` = the addresses real-side packets are
 *   sent to (MAPPED_DST); translating them to REAL_DST is not modelled (diagnostic when they differ).
 * - Dynamic with a mapped range (or a group with ranges) is dynamic NAT (`pat: false`); a host,
 *   inline address, subnet or `interface` is PAT; `pat-pool` is PAT with `patPool: true`. The
 *   PAT fallback of dynamic NAT (hosts in the group, trailing `interface`) is not modelled.
 * - Pre-8.3 identity/exemption (`nat (if) 0 …`) is a static rule whose mapped addresses equal the
 *   real ones. Exemptions, statics and policy NAT go in section 1 (config order), regular dynamic
 *   NAT in section 2 (most specific first).
 */
import { formatIp } from "../../model/addr.js";
import { NatSection, type NatMapped, type NatRule, type PatOptions, type SourceRef } from "../../model/types.js";
import { Cursor, ParseError } from "../common/cursor.js";
import {
  ANY_PIECE,
  ipOrName,
  isV6Token,
  pieceCount,
  piecesToAddrs,
  parseIfs,
  portToken,
  toRanges,
  type AsaCtx,
  type NetPiece,
  type Resolved,
} from "./context.js";
import { incompleteNote, incompleteUse } from "../common/groups.js";
import { Pre83Nat } from "./nat-pre83.js";
import { twiceNat } from "./nat-twice.js";
import { describeKind } from "./objects.js";
import { resolveDef } from "./resolve.js";

export interface RawNat {
  kind: "object" | "twice" | "pre83-nat" | "global" | "static";
  /** Tokens after the leading keyword (`nat`, `global`, `static`). */
  toks: string[];
  src: SourceRef;
  /** Object NAT: the owning `object network`. */
  obj?: string;
}

interface Net {
  pieces: NetPiece[];
  approx: string[];
  /** The name resolved to something (object, group, any, inline address). */
  known: boolean;
  name: string;
}




export class NatBuilder {
  sec1: Array<{ rule: NatRule; inactive: boolean }> = [];
  sec3: Array<{ rule: NatRule; inactive: boolean }> = [];
  objStatic: Array<{ rule: NatRule; name: string; pieces: NetPiece[] }> = [];
  objDynamic: Array<{ rule: NatRule; name: string; pieces: NetPiece[] }> = [];
  readonly pre83: Pre83Nat;

  constructor(readonly ctx: AsaCtx) {
    this.pre83 = new Pre83Nat(ctx, (m, mappedIf, src) => this.dynamicMapped(m, mappedIf, src));
  }

  ifRef(name: string, src: SourceRef, context: string): void {
    if (name !== "any") this.ctx.ref("interface", name, src, "nat", context);
  }

  /** The content of a network object/group the rule uses; a `limit` diagnostic when it is incomplete. */
  content(name: string, what: string, src: SourceRef): Resolved | undefined {
    const r = resolveDef(this.ctx, name);
    if (r?.incomplete) this.ctx.diag("limit", src, incompleteUse([incompleteNote(`${what} ${name}`, r.incomplete)]));
    return r;
  }

  /** Object, object-group, `any`, inline IPv4 or IPv6 literal used by a NAT rule. */
  net(tok: string, src: SourceRef, context: string, inline: boolean): Net {
    const { ctx } = this;
    if (tok.toLowerCase() === "any") return { pieces: [ANY_PIECE], approx: [], known: true, name: tok };
    const d = ctx.defs.get(tok);
    if (d) {
      if (d.kind !== "object-network" && d.kind !== "network")
        throw new ParseError(`${tok} is ${describeKind(d)}, not a network object or group`);
      ctx.ref(d.kind === "network" ? "object-group" : "object", tok, src, "nat", context);
      const r = this.content(tok, d.kind === "network" ? "object-group" : "object", src);
      const approx = [...(r?.approx ?? [])];
      if (r && r.pieces.length === 0 && r.v6.length > 0) approx.push(`IPv6 ${tok} is not modelled`);
      return { pieces: r?.pieces ?? [], approx, known: true, name: tok };
    }
    if (inline) {
      const ip = ipOrName(ctx, tok);
      if (ip !== undefined) return { pieces: [{ type: "host", start: ip, end: ip }], approx: [], known: true, name: tok };
      if (isV6Token(ctx, tok)) return { pieces: [], approx: [`IPv6 address ${tok} is not modelled`], known: true, name: tok };
    }
    ctx.ref("object", tok, src, "nat", context);
    return { pieces: [], approx: [], known: false, name: tok };
  }

  /** Dynamic NAT/PAT mapped side (see the header comment). */
  dynamicMapped(
    m: { pieces: NetPiece[]; patPool: boolean; ifFallback: boolean; ifaceOnly: boolean },
    mappedIf: string,
    src: SourceRef,
  ): { mapped: NatMapped; pat: boolean } {
    if (m.ifaceOnly) return { mapped: { kind: "interface", iface: mappedIf }, pat: true };
    if (m.patPool) return { mapped: { kind: "addresses", ranges: toRanges(m.pieces), patPool: true }, pat: true };
    if (m.pieces.length === 0 && m.ifFallback) return { mapped: { kind: "interface", iface: mappedIf }, pat: true };
    const ranges = m.pieces.filter((p) => p.type === "range");
    const hosts = m.pieces.filter((p) => p.type === "host");
    const subnets = m.pieces.filter((p) => p.type === "subnet");
    if (ranges.length > 0) {
      if (hosts.length > 0 || m.ifFallback) {
        const fb = [...hosts.map((h) => formatIp(h.start)), ...(m.ifFallback ? [`interface ${mappedIf}`] : [])].join(", ");
        this.ctx.diag(
          "unmodelled",
          src,
          `dynamic NAT falls back to PAT on ${fb} once its pool is exhausted; the fallback is not modelled`,
        );
      }
      return { mapped: { kind: "addresses", ranges: toRanges([...ranges, ...subnets]) }, pat: false };
    }
    if (subnets.length > 0)
      this.ctx.diag(
        "unmodelled",
        src,
        `ASA does not accept a subnet as the mapped address of dynamic NAT/PAT (use a range, a host or pat-pool); modelled as PAT over the subnet`,
      );
    return { mapped: { kind: "addresses", ranges: toRanges([...hosts, ...subnets]) }, pat: true };
  }

  /** A dynamic rule's mapped side and PAT options (object and twice NAT): parsed, recorded on `rule`. */
  dynamicRule(rule: NatRule, cur: Cursor, src: SourceRef, context: string, mappedIf: string, approx: string[]): void {
    const d = this.dynamicSpec(cur, src, context);
    for (const a of d.approx) approx.push(a);
    const { mapped, pat } = this.dynamicMapped(d, mappedIf, src);
    rule.mapped = mapped;
    rule.pat = pat;
    if (Object.keys(d.opts).length > 0) rule.patOptions = d.opts;
  }

  /** Parses `MAPPED [interface] | interface | pat-pool POOL [opts] [interface]` for a dynamic rule. */
  dynamicSpec(cur: Cursor, src: SourceRef, context: string) {
    let patPool = false;
    let ifFallback = false;
    let ifaceOnly = false;
    let pieces: NetPiece[] = [];
    let approx: string[] = [];
    const opts: PatOptions = {};
    const t = cur.next("the mapped address (object, interface or pat-pool)");
    const lc = t.toLowerCase();
    if (lc === "interface") ifaceOnly = true;
    else if (lc === "pat-pool") {
      patPool = true;
      const pool = cur.next("a PAT pool object after pat-pool");
      if (pool.toLowerCase() === "interface") {
        ifaceOnly = true;
      } else {
        const n = this.net(pool, src, context, false);
        pieces = n.pieces;
        approx = n.approx;
      }
    } else {
      const n = this.net(t, src, context, true);
      pieces = n.pieces;
      approx = n.approx;
    }
    // PAT options and interface fallback
    for (;;) {
      const k = cur.peekKw();
      if (k === "round-robin") opts.roundRobin = true;
      else if (k === "extended") opts.extended = true;
      else if (k === "flat") opts.flat = true;
      else if (k === "include-reserve") opts.includeReserve = true;
      else if (k === "block-allocation") opts.blockAllocation = true;
      else if (k === "interface" && !ifaceOnly) ifFallback = true;
      else if (k === "ipv6") {
        /* IPv6 interface address */
      } else break;
      cur.skip();
    }
    if (!patPool && (opts.roundRobin || opts.extended || opts.flat || opts.includeReserve || opts.blockAllocation))
      throw new ParseError(`round-robin, extended, flat, include-reserve and block-allocation are pat-pool options`);
    if (opts.includeReserve && !opts.flat) throw new ParseError(`include-reserve needs flat`);
    return { patPool, ifFallback, ifaceOnly, pieces, approx, opts };
  }

  /** `nat …` inside `object network OBJ`. */
  objectNat(raw: RawNat): void {
    const { ctx } = this;
    const objName = raw.obj!;
    const context = `object network ${objName} nat`;
    const cur = new Cursor(raw.toks);
    const ifs = parseIfs(cur.peek());
    if (ifs) cur.skip();
    else if (cur.peek()?.startsWith("(")) throw new ParseError(`expected (real_ifc,mapped_ifc), found "${cur.peek()}"`);
    const realIf = ifs?.realIf ?? "any";
    const mappedIf = ifs?.mappedIf ?? "any";
    ctx.ref("object", objName, raw.src, "nat", context); // the object is used by its own NAT rule
    this.ifRef(realIf, raw.src, context);
    this.ifRef(mappedIf, raw.src, context);
    const type = cur.next("static or dynamic").toLowerCase();
    if (type !== "static" && type !== "dynamic") throw new ParseError(`expected static or dynamic, found "${cur.prev()}"`);
    const own = this.content(objName, "object", raw.src);
    const realPieces = own?.pieces ?? [];
    const approx = [...(own?.approx ?? [])];
    if (own && realPieces.length === 0 && own.v6.length > 0) approx.push(`IPv6 object ${objName} is not modelled`);
    const rule: NatRule = {
      source: raw.src,
      type,
      pat: false,
      match: { realAddrs: piecesToAddrs(realPieces) },
      mapped: { kind: "addresses", ranges: [] },
      realIf,
      mappedIf,
      section: NatSection.Auto,
    };
    if (type === "static") {
      const t = cur.next("the mapped address (object, address or interface)");
      if (t.toLowerCase() === "interface") rule.mapped = { kind: "interface", iface: mappedIf };
      else {
        const ip = this.ctx.defs.has(t) ? undefined : ipOrName(ctx, t);
        if (ip !== undefined) rule.mapped = { kind: "addresses", ranges: inlineStatic(ip, realPieces) };
        else {
          const n = this.net(t, raw.src, context, true);
          for (const a of n.approx) approx.push(a);
          rule.mapped = { kind: "addresses", ranges: toRanges(n.pieces) };
        }
      }
      this.staticFlags(cur, rule);
      this.objStatic.push({ rule, name: objName, pieces: realPieces });
    } else {
      this.dynamicRule(rule, cur, raw.src, context, mappedIf, approx);
      this.commonFlags(cur);
      this.objDynamic.push({ rule, name: objName, pieces: realPieces });
    }
    if (approx.length > 0) ctx.diag("unmodelled", raw.src, [...new Set(approx)].join("; "));
  }

  /** Object static NAT trailing keywords, including `service PROTO REAL MAPPED`. */
  staticFlags(cur: Cursor, rule: NatRule): void {
    while (!cur.done()) {
      const k = cur.peekKw();
      if (k === "service") {
        cur.skip();
        const p = cur.next("tcp, udp or sctp after service").toLowerCase();
        const protocol = p === "tcp" ? 6 : p === "udp" ? 17 : p === "sctp" ? 132 : undefined;
        if (protocol === undefined) throw new ParseError(`service needs tcp, udp or sctp, found "${p}"`);
        const table = protocol === 17 ? "udp" : "tcp";
        rule.match.protocol = protocol;
        rule.match.realPort = portToken(cur.next("the real port"), table);
        rule.mappedPort = portToken(cur.next("the mapped port"), table);
        continue;
      }
      if (!this.flag(cur)) throw new ParseError(`unexpected "${cur.peek()}"`);
    }
  }

  commonFlags(cur: Cursor): void {
    while (!cur.done()) if (!this.flag(cur)) throw new ParseError(`unexpected "${cur.peek()}"`);
  }

  /** Keywords that change nothing the model represents. Consumes and returns true when known. */
  flag(cur: Cursor): boolean {
    const k = cur.peekKw();
    if (
      k === "dns" ||
      k === "no-proxy-arp" ||
      k === "route-lookup" ||
      k === "net-to-net" ||
      k === "unidirectional" ||
      k === "ipv6"
    ) {
      cur.skip();
      return true;
    }
    return false;
  }

  rules(): NatRule[] {
    interface Item {
      rule: NatRule;
      name?: string;
      pieces: NetPiece[];
    }
    // ASA section 2 order: number of real addresses, then lowest real address, then name
    const sorted = (items: Item[]): NatRule[] =>
      items
        .map((x) => {
          let low = 2 ** 32;
          for (const p of x.pieces) low = Math.min(low, p.start);
          return { x, count: pieceCount(x.pieces), low, name: x.name ?? "" };
        })
        .sort((a, b) => a.count - b.count || a.low - b.low || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
        .map((k) => k.x.rule);
    return [
      ...this.sec1.filter((x) => !x.inactive).map((x) => x.rule),
      ...this.pre83.sec1,
      ...sorted(this.objStatic),
      ...sorted(this.objDynamic),
      ...sorted(this.pre83.sec2),
      ...this.sec3.filter((x) => !x.inactive).map((x) => x.rule),
    ];
  }
}


/** Static object NAT to an inline address: the mapped block has the real object's size (same mask). */
function inlineStatic(ip: number, real: readonly NetPiece[]): Array<{ start: number; end: number }> {
  const only = real.length === 1 ? real[0]! : undefined;
  if (!only) return [{ start: ip, end: ip }];
  if (only.type === "subnet" && only.w) {
    const start = (ip & ~only.w.wildcard) >>> 0;
    return [{ start, end: (start | only.w.wildcard) >>> 0 }];
  }
  const size = only.end - only.start;
  return [{ start: ip, end: Math.min(0xffffffff, ip + size) }];
}

/** Builds `device.natRules` from the collected NAT lines. Each line is parsed on its own; errors become diagnostics. */
export function buildNat(ctx: AsaCtx, raws: readonly RawNat[]): void {
  const b = new NatBuilder(ctx);
  for (const raw of raws) {
    try {
      if (raw.kind === "object") b.objectNat(raw);
      else if (raw.kind === "twice") twiceNat(b, raw);
      else if (raw.kind === "pre83-nat") b.pre83.nat(raw);
      else if (raw.kind === "global") b.pre83.global(raw);
      else b.pre83.staticLine(raw);
    } catch (e) {
      const what = raw.kind === "object" ? `object network ${raw.obj} nat` : raw.kind === "pre83-nat" || raw.kind === "twice" ? "nat" : raw.kind;
      ctx.diag("unrecognized-syntax", raw.src, `${what}: ${e instanceof ParseError ? e.message : `internal error: ${(e as Error).message}`}`);
    }
  }
  try {
    b.pre83.finish();
  } catch (e) {
    ctx.diag("unrecognized-syntax", raws[0]?.src ?? { file: ctx.dev.file, line: 1, text: "" }, `nat: internal error: ${(e as Error).message}`);
  }
  ctx.dev.natRules = b.rules();
}
