/** IOS NAT: `ip nat pool`, `ip nat inside source …` (Cisco IOS IP Addressing: NAT configuration guide; Cisco document 23820). */
import { formatIp, host, maskToPrefix, parseIp, prefixToMask, subnet } from "../../model/addr.js";
import { PROTO } from "../../model/ports.js";
import type { NatPool, NatRule, Reference, SourceRef } from "../../model/types.js";
import { parsePort } from "./ports.js";
import { Cursor, ParseError } from "../common/cursor.js";
import { diag, mention, type ParseState } from "./util.js";
import { canonicalInterface } from "./interface.js";

/** A pool given in the multi-line `ip nat pool NAME netmask M` + `address A B` form. */
export interface PendingPool {
  name: string;
  mask: number;
  prefixLength?: number;
  source: SourceRef;
  ranges: Array<{ start: number; end: number; source: SourceRef }>;
}

function ref(st: ParseState, r: Reference): void {
  st.dev.references.push(r);
}

/** `netmask M` | `prefix-length N` → mask. */
function parsePoolMask(cur: Cursor): { mask: number; prefixLength?: number } {
  const kw = cur.next("netmask or prefix-length").toLowerCase();
  if (kw === "netmask") {
    const mask = cur.ip("netmask");
    const p = maskToPrefix(mask);
    return p === undefined ? { mask } : { mask, prefixLength: p };
  }
  if (kw === "prefix-length") {
    const p = cur.int("prefix length", 1, 32);
    return { mask: prefixToMask(p), prefixLength: p };
  }
  throw new ParseError(`expected netmask or prefix-length, got "${cur.prev()}"`);
}

/** Trailing pool options: `type T`, `add-route`, `accounting L`, `arp-ping`. */
function poolOptions(cur: Cursor): void {
  while (!cur.done()) {
    const o = cur.next("option").toLowerCase();
    if (o === "type" || o === "accounting") cur.next(`value after "${o}"`);
    else if (o === "add-route" || o === "arp-ping" || o === "no-alias") continue;
    else throw new ParseError(`unexpected "${cur.prev()}" in ip nat pool`);
  }
}

function definePool(st: ParseState, name: string, start: number, end: number, mask: number, prefixLength: number | undefined, source: SourceRef): void {
  if (end < start) throw new ParseError(`ip nat pool ${name}: end address ${formatIp(end)} is below start address ${formatIp(start)} (IOS rejects the pool)`);
  if (((start & mask) >>> 0) !== ((end & mask) >>> 0))
    throw new ParseError(`ip nat pool ${name}: start ${formatIp(start)} and end ${formatIp(end)} are on different subnets for mask ${formatIp(mask)} (IOS rejects the pool)`);
  const pool: NatPool = { name, start, end, source };
  if (prefixLength !== undefined) pool.prefixLength = prefixLength;
  st.dev.natPools.set(name, pool);
}

/** `ip nat pool …`; returns a pending pool when the multi-line `address` form starts. */
function parsePool(st: ParseState, cur: Cursor, source: SourceRef): PendingPool | undefined {
  const name = cur.next("pool name");
  if (cur.peekKw() === "netmask" || cur.peekKw() === "prefix-length") {
    const m = parsePoolMask(cur);
    poolOptions(cur);
    const p: PendingPool = { name, mask: m.mask, source, ranges: [] };
    if (m.prefixLength !== undefined) p.prefixLength = m.prefixLength;
    return p;
  }
  const start = cur.ip("start address");
  const end = cur.ip("end address");
  const m = parsePoolMask(cur);
  poolOptions(cur);
  definePool(st, name, start, end, m.mask, m.prefixLength, source);
  return undefined;
}

/** A line inside the multi-line pool context: `address A B`. */
export function parsePoolLine(_st: ParseState, pool: PendingPool, toks: string[], source: SourceRef): void {
  const cur = new Cursor(toks);
  const kw = cur.next("address").toLowerCase();
  if (kw === "address") {
    const start = cur.ip("start address");
    const end = cur.ip("end address");
    if (!cur.done()) throw new ParseError(`unexpected "${cur.peek()}" after the address range`);
    pool.ranges.push({ start, end, source });
    return;
  }
  if (kw === "type") return;
  throw new ParseError(`expected "address START END" in ip nat pool ${pool.name}, got "${cur.prev()}"`);
}

/** Closes a multi-line pool: one NatPool spanning its (contiguous) ranges. */
export function finishPool(st: ParseState, pool: PendingPool): void {
  if (pool.ranges.length === 0) {
    diag(st, "unrecognized-syntax", pool.source, `ip nat pool ${pool.name} has no "address" lines`);
    return;
  }
  const rs = [...pool.ranges].sort((a, b) => a.start - b.start);
  const first = rs[0]!;
  let end = first.end;
  for (const r of rs.slice(1)) {
    if (r.start > end + 1) {
      diag(st, "unmodelled", r.source, `ip nat pool ${pool.name}: address range ${formatIp(r.start)}-${formatIp(r.end)} is not contiguous with the previous ones; modelled as one range ${formatIp(first.start)}-${formatIp(Math.max(end, r.end))}`);
    }
    end = Math.max(end, r.end);
  }
  try {
    definePool(st, pool.name, first.start, end, pool.mask, pool.prefixLength, pool.source);
  } catch (e) {
    diag(st, "unrecognized-syntax", pool.source, e instanceof Error ? e.message : String(e));
  }
}

/**
 * Keyword options that may trail an `ip nat inside source` rule. Housekeeping ones change nothing
 * natlint models; the others change what is translated or which port is picked, and are reported.
 */
const FLAG_OPTIONS = new Set(["extendable", "no-alias", "no-payload", "forced", "add-route", "stateless"]);
const VALUE_OPTIONS = new Set(["redundancy", "mapping-id"]);
const UNMODELLED_FLAGS = new Set(["reversible", "match-in-vrf", "oer"]);
const UNMODELLED_VALUES = new Set(["vrf", "portmap"]);

interface Trailing {
  overload: boolean;
  /** Options that change the translation but are not modelled, as written (`vrf BLUE`). */
  unmodelled: string[];
  /** A static rule's `route-map NAME` (a reference, and not modelled). */
  routeMap?: string;
}

function trailing(cur: Cursor, isStatic: boolean): Trailing {
  const t: Trailing = { overload: false, unmodelled: [] };
  while (!cur.done()) {
    const raw = cur.next("option");
    const o = raw.toLowerCase();
    if (o === "overload" && !isStatic) t.overload = true;
    else if (FLAG_OPTIONS.has(o)) continue;
    else if (VALUE_OPTIONS.has(o)) cur.next(`value after "${o}"`);
    else if (UNMODELLED_FLAGS.has(o)) t.unmodelled.push(raw);
    else if (UNMODELLED_VALUES.has(o) || (isStatic && o === "route-map")) {
      const v = cur.next(`value after "${o}"`);
      if (o === "route-map") t.routeMap = v;
      t.unmodelled.push(`${raw} ${v}`);
    }
    else throw new ParseError(`unexpected "${raw}" in ip nat inside source`);
  }
  return t;
}

function reportUnmodelled(st: ParseState, source: SourceRef, t: Trailing): void {
  if (t.unmodelled.length)
    diag(st, "unmodelled", source, `${t.unmodelled.map((u) => `"${u}"`).join(", ")} on this NAT rule ${t.unmodelled.length > 1 ? "are" : "is"} not modelled: the rule is analysed as if ${t.unmodelled.length > 1 ? "they were" : "it were"} absent`);
}

function parseInsideSource(st: ParseState, cur: Cursor, source: SourceRef): void {
  const ctx = "ip nat inside source";
  const kind = cur.next("list, route-map or static").toLowerCase();
  if (kind === "list" || kind === "route-map") {
    const name = cur.next(kind === "list" ? "ACL name or number" : "route-map name");
    const target = cur.next("interface or pool").toLowerCase();
    let mapped: NatRule["mapped"];
    const refs: Reference[] = [];
    if (target === "interface") {
      const iface = canonicalInterface(cur.next("interface name"));
      mapped = { kind: "interface", iface };
      refs.push({ kind: "interface", name: iface, source, use: "nat", context: ctx });
    } else if (target === "pool") {
      const pool = cur.next("pool name");
      mapped = { kind: "pool", pool };
      refs.push({ kind: "nat-pool", name: pool, source, use: "nat", context: ctx });
    } else throw new ParseError(`expected interface or pool after "${kind} ${name}", got "${cur.prev()}"`);
    const t = trailing(cur, false);
    reportUnmodelled(st, source, t);
    const rule: NatRule = { source, type: "dynamic", pat: t.overload, match: {}, mapped };
    if (kind === "list") {
      rule.match.acl = name;
      refs.unshift({ kind: "acl", name, source, use: "nat", context: ctx });
    } else {
      rule.match.routeMap = name;
      refs.unshift({ kind: "route-map", name, source, use: "nat", context: ctx });
      diag(st, "unmodelled", source, `route-map ${name} selects what this rule translates; route-maps are not evaluated, so every inside client is taken as translated`);
    }
    st.dev.natRules.push(rule);
    for (const r of refs) ref(st, r);
    return;
  }
  if (kind !== "static") throw new ParseError(`expected list, route-map or static after "${ctx}", got "${cur.prev()}"`);

  const refs: Reference[] = [];
  const rule: NatRule = { source, type: "static", pat: false, match: {}, mapped: { kind: "addresses", ranges: [] } };
  const p = cur.peekKw();
  if (p === "tcp" || p === "udp") {
    cur.skip();
    const protocol = p === "tcp" ? PROTO.TCP : PROTO.UDP;
    const local = cur.ip("local address");
    const lport = parsePort(cur.next("local port"), protocol);
    rule.match = { realAddrs: [host(local)], protocol, realPort: lport };
    if (cur.accept("interface")) {
      const iface = canonicalInterface(cur.next("interface name"));
      rule.mapped = { kind: "interface", iface };
      refs.push({ kind: "interface", name: iface, source, use: "nat", context: ctx });
    } else {
      const g = cur.ip("global address or interface");
      rule.mapped = { kind: "addresses", ranges: [{ start: g, end: g }] };
    }
    rule.mappedPort = parsePort(cur.next("global port"), protocol);
  } else if (p === "network") {
    cur.skip();
    const local = cur.ip("local network");
    const global = cur.ip("global network");
    const m = cur.next("netmask or /prefix");
    let mask: number | undefined;
    if (/^\/\d+$/.test(m) && Number(m.slice(1)) <= 32) mask = prefixToMask(Number(m.slice(1)));
    else mask = parseIp(m);
    if (mask === undefined) throw new ParseError(`expected netmask or /prefix after the global network, got "${m}"`);
    rule.match = { realAddrs: [subnet(local, mask)] };
    const g = (global & mask) >>> 0;
    rule.mapped = { kind: "addresses", ranges: [{ start: g, end: (g | ~mask) >>> 0 }] };
  } else {
    if (p === "esp") {
      cur.skip();
      rule.match.protocol = PROTO.ESP;
    }
    const local = cur.ip("local address");
    rule.match.realAddrs = [host(local)];
    if (cur.accept("interface")) {
      const iface = canonicalInterface(cur.next("interface name"));
      rule.mapped = { kind: "interface", iface };
      refs.push({ kind: "interface", name: iface, source, use: "nat", context: ctx });
    } else {
      const g = cur.ip("global address");
      rule.mapped = { kind: "addresses", ranges: [{ start: g, end: g }] };
    }
  }
  const t = trailing(cur, true);
  reportUnmodelled(st, source, t);
  if (t.routeMap !== undefined) {
    rule.match.routeMap = t.routeMap;
    refs.push({ kind: "route-map", name: t.routeMap, source, use: "nat", context: ctx });
  }
  st.dev.natRules.push(rule);
  for (const r of refs) ref(st, r);
}

/** `ip nat` sub-commands that are valid but do not affect the model. */
const NAT_SETTINGS = new Set(["translation", "log", "create", "stateful", "switchover", "sip-sbc", "helper", "piggyback-support", "redundancy", "host", "name"]);
/** `ip nat` settings that change which port or address a translation gets, or how many there may be. */
const NAT_ALLOCATION_SETTINGS = new Set(["settings", "limit", "portmap"]);
/** `ip nat` sub-commands that translate traffic but are not modelled. */
const NAT_UNMODELLED = new Set(["outside", "enable", "service", "source", "destination"]);

/** A top-level `ip nat …` line. Returns a pending pool when a multi-line pool definition starts. */
export function parseIpNat(st: ParseState, toks: string[], source: SourceRef): PendingPool | undefined {
  const cur = new Cursor(toks, 2);
  const sub = cur.next("inside, outside or pool after ip nat").toLowerCase();
  if (sub === "pool") return parsePool(st, cur, source);
  if (sub === "inside") {
    const dir = cur.next("source").toLowerCase();
    if (dir === "source") {
      parseInsideSource(st, cur, source);
      return undefined;
    }
    if (dir === "destination") {
      mention(st, toks);
      diag(st, "unmodelled", source, `"ip nat inside destination" (destination NAT / TCP load distribution) is not modelled`);
      return undefined;
    }
    throw new ParseError(`expected source or destination after "ip nat inside", got "${cur.prev()}"`);
  }
  if (NAT_UNMODELLED.has(sub)) {
    mention(st, toks);
    if (sub === "service") {
      const k = toks.map((t) => t.toLowerCase());
      const l = k.indexOf("list");
      const acl = l > 0 ? toks[l + 1] : undefined;
      const what = (l > 0 ? toks.slice(l + 2) : toks.slice(3)).join(" ");
      (st.dev.features.natServices ??= []).push({ ...(acl !== undefined ? { acl } : {}), what, source });
    }
    const what =
      sub === "outside"
        ? `"ip nat outside ${cur.peek() ?? ""}" (outside NAT) is not modelled`
        : sub === "enable" || sub === "source"
          ? `NAT Virtual Interface ("ip nat ${sub}") is not modelled; its rules are ignored`
          : `"ip nat ${sub}" is not modelled`;
    diag(st, "unmodelled", source, what);
    return undefined;
  }
  if (NAT_ALLOCATION_SETTINGS.has(sub) || (sub === "translation" && cur.peek()?.toLowerCase() === "max-entries")) {
    mention(st, toks);
    diag(st, "unmodelled", source, `"${toks.slice(0, 4).join(" ")}" changes PAT allocation or its limits and is not modelled: simulated ports assume the default allocation`);
    return undefined;
  }
  if (NAT_SETTINGS.has(sub)) {
    mention(st, toks);
    return undefined;
  }
  throw new ParseError(`unknown ip nat command "${cur.prev()}"`);
}
