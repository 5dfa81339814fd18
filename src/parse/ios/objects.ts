/**
 * IOS object-groups (network, service, protocol; IPv6: v6-network, v6-service — Cisco IOS XE
 * "IPv6 Object Groups for ACLs"): entries, nesting resolution, lookup for ACEs.
 */
import { ANY, host, maskToPrefix, parseCidr, parseIp, prefixToMask, rangeToWildcards, subnet } from "../../model/addr.js";
import { ANY6, host6, parseCidr6, parseIp6, rangeToPrefixes6 } from "../../model/addr6.js";
import { PROTO, parseProtocol, portOpSet } from "../../model/ports.js";
import type { Ace, AddrSet, AddrSet6, ObjectGroup, ObjectGroupKind, Prefix6, Reference, ServiceTerm, SourceRef, Wildcard } from "../../model/types.js";
import { GroupResolver, incompleteNote, incompleteUse, limitMessage, type GroupGraph } from "../common/groups.js";
import { defineLazy } from "../common/lazy.js";
import { icmp6Name, icmpName, iosProtocol, looksLikePort, parsePort, parsePortOp } from "./ports.js";
import { Cursor, ParseError } from "../common/cursor.js";
import { diag, type ParseState, type RawGroup } from "./util.js";

/** The object-group kinds we model, by IOS keyword. */
const MODELLED: Readonly<Record<string, ObjectGroupKind>> = { network: "network", service: "service", protocol: "protocol", "v6-network": "v6-network", "v6-service": "v6-service" };

/**
 * `object-group KIND NAME`: returns the group to fill, or undefined for kinds we do not model
 * (the caller then skips the body).
 */
export function openGroup(st: ParseState, toks: string[], source: SourceRef): RawGroup | undefined {
  const cur = new Cursor(toks, 1);
  const kindTok = cur.next("object-group type (network, service)").toLowerCase();
  if (kindTok === "port" || (kindTok === "network" && (cur.peekKw() === "ipv4" || cur.peekKw() === "ipv6") && cur.peek(1) !== undefined))
    throw new ParseError(`"object-group ${kindTok}${kindTok === "network" ? ` ${cur.peek()}` : ""} …" is IOS XR syntax, not IOS: IOS object-groups are "object-group network|service NAME"`);
  const kind = Object.hasOwn(MODELLED, kindTok) ? MODELLED[kindTok] : undefined;
  if (kind === undefined) {
    const what = kindTok === "ip" ? `ip ${cur.peek() ?? ""}`.trim() : kindTok;
    diag(st, "unmodelled", source, `object-group ${what} is not modelled; its entries are ignored`);
    // Still defined: lines using it are reported as approximate, not as undefined references.
    const name = kindTok === "ip" ? toks[3] : toks[2];
    if (name !== undefined && !st.dev.objectGroups.has(name)) st.dev.objectGroups.set(name, { name, kind: "network", source, unmodelled: `object-group ${what}` });
    return undefined;
  }
  const name = cur.next("object-group name");
  const existing = st.groups.get(name);
  if (existing) {
    if (existing.kind !== kind) throw new ParseError(`object-group ${name} is already defined as a ${existing.kind} group (line ${existing.source.line})`);
    return existing; // re-entering a group adds to it
  }
  const g: RawGroup = { name, kind, source, addrs: [], addrs6: [], services: [], nested: [] };
  st.groups.set(name, g);
  const og: ObjectGroup = { name, kind, source };
  st.dev.objectGroups.set(name, og);
  return g;
}

function groupObject(st: ParseState, g: RawGroup, cur: Cursor, source: SourceRef): void {
  const name = cur.next("object-group name after group-object");
  const ref: Reference = { kind: "object-group", name, source, use: "group-member", context: "group-object" };
  g.nested.push(ref);
  st.dev.references.push(ref);
}

function parseNetworkAddr(cur: Cursor): Wildcard[] {
  const t = cur.next("address");
  const kw = t.toLowerCase();
  if (kw === "host") return [host(cur.ip('address after "host"'))];
  if (kw === "any") return [ANY];
  if (kw === "range") {
    const a = cur.ip('start address after "range"');
    const b = cur.ip("end address of the range");
    if (b < a) throw new ParseError(`range end ${cur.prev()} is below its start`);
    return rangeToWildcards(a, b);
  }
  if (t.includes("/")) {
    const w = parseCidr(t);
    if (!w) throw new ParseError(`invalid prefix "${t}"`);
    return [w];
  }
  const a = parseIp(t);
  if (a === undefined) throw new ParseError(`expected host, range, any, group-object or an address, got "${t}"`);
  const m = cur.next(`subnet mask or /prefix after ${t}`);
  if (/^\/\d+$/.test(m)) {
    const len = Number(m.slice(1));
    if (len > 32) throw new ParseError(`prefix length ${m} out of range`);
    return [subnet(a, prefixToMask(len))];
  }
  const mask = parseIp(m);
  if (mask === undefined) throw new ParseError(`expected subnet mask after ${t}, got "${m}"`);
  if (maskToPrefix(mask) === undefined)
    throw new ParseError(`"${m}" is not a subnet mask (object-group network entries take A.B.C.D MASK, not a wildcard)`);
  return [subnet(a, mask)];
}

/** `host X:X::X`, `X:X::X/N`, `range A B`, `any` in a v6-network group. */
function parseNetworkAddr6(cur: Cursor): Prefix6[] {
  const t = cur.next("address");
  const kw = t.toLowerCase();
  const ip6 = (what: string): bigint => {
    const a = cur.next(what);
    const v = parseIp6(a);
    if (v === undefined) throw new ParseError(`"${a}" is not an IPv6 address`);
    return v;
  };
  if (kw === "host") return [host6(ip6('address after "host"'))];
  if (kw === "any") return [ANY6];
  if (kw === "range") {
    const a = ip6('start address after "range"');
    const b = ip6("end address of the range");
    if (b < a) throw new ParseError(`range end ${cur.prev()} is below its start`);
    return rangeToPrefixes6(a, b);
  }
  const p = parseCidr6(t);
  if (p) return [p];
  if (parseIp6(t) !== undefined) throw new ParseError(`"${t}" needs a prefix length (X:X::X/N) or "host ${t}"`);
  throw new ParseError(`expected host, range, any, group-object or an IPv6 prefix X:X::X/N, got "${t}"`);
}

/** One line inside an object-group context. */
export function parseGroupLine(st: ParseState, g: RawGroup, toks: string[], source: SourceRef): void {
  const cur = new Cursor(toks);
  const kw = cur.peekKw();
  if (kw === "description") return;
  if (kw === "group-object") {
    cur.skip();
    groupObject(st, g, cur, source);
  } else if (g.kind === "network") {
    if (kw === "network-object") cur.skip(); // ASA-style spelling, accepted
    g.addrs.push(...parseNetworkAddr(cur));
  } else if (g.kind === "v6-network") {
    if (kw === "network-object") cur.skip();
    g.addrs6.push(...parseNetworkAddr6(cur));
  } else if (g.kind === "protocol") {
    if (kw === "protocol-object") cur.skip();
    g.services.push({ protocol: iosProtocol(cur.next("protocol")) });
  } else {
    g.services.push(...parseServiceEntry(cur, g.kind === "v6-service"));
  }
  if (!cur.done()) throw new ParseError(`unexpected "${cur.peek()}" after "${cur.prev()}"`);
}

/** `tcp|udp|tcp-udp [source OP P…] [OP P…]`, `icmp [TYPE [CODE]|NAME]`, `PROTOCOL` (v6: icmp is ICMPv6, ipv6 any protocol). */
function parseServiceEntry(cur: Cursor, v6 = false): ServiceTerm[] {
  const t = cur.next("service");
  const kw = t.toLowerCase();
  if (kw === "tcp" || kw === "udp" || kw === "tcp-udp" || kw === "sctp") {
    const protos = kw === "tcp-udp" ? [PROTO.TCP, PROTO.UDP] : [kw === "tcp" ? PROTO.TCP : kw === "udp" ? PROTO.UDP : PROTO.SCTP];
    const start = cur.i;
    let end = start;
    const out: ServiceTerm[] = [];
    for (const p of protos) {
      cur.i = start;
      const term: ServiceTerm = { protocol: p };
      if (cur.accept("source")) {
        const s = parsePortOp(cur, p);
        if (!s) throw new ParseError(`expected eq, neq, lt, gt or range after "source"${cur.peek() === undefined ? "" : `, got "${cur.peek()}"`}`);
        term.srcPorts = s;
      }
      const d = parsePortOp(cur, p);
      if (d) term.dstPorts = d;
      else if (looksLikePort(cur.peek())) term.dstPorts = portOpSet("eq", [parsePort(cur.next("port"), p)]); // `tcp 80` = eq 80
      out.push(term);
      end = cur.i;
    }
    cur.i = end;
    return out;
  }
  if (v6 && kw === "ipv6") return [{ protocol: null }];
  if (kw === "icmp") {
    const term: ServiceTerm = { protocol: v6 ? PROTO.ICMP6 : PROTO.ICMP };
    const n = cur.peek();
    if (n !== undefined && /^\d+$/.test(n)) {
      term.icmpType = cur.int("ICMP type", 0, 255);
      if (/^\d+$/.test(cur.peek() ?? "")) term.icmpCode = cur.int("ICMP code", 0, 255);
    } else if (n !== undefined) {
      const named = v6 ? icmp6Name(n) : icmpName(n);
      if (!named) throw new ParseError(`unknown ICMP message name "${n}"`);
      cur.skip();
      term.icmpType = named.type;
      if (named.code !== undefined) term.icmpCode = named.code;
    }
    return [term];
  }
  const p = parseProtocol(t);
  if (p === undefined) throw new ParseError(`expected tcp, udp, tcp-udp, icmp, a protocol name or number, or group-object, got "${t}"`);
  return [{ protocol: p }];
}

/**
 * Expands nested groups into `ObjectGroup.addrs` / `.services` (shared resolver, IOS policy):
 * depth-first in file order, the group-object that closes a loop is refused (IOS refuses it), so
 * a group's content is what it has without the looping edge; one `cycle` diagnostic per cycle.
 * Repeated entries are kept. Content is expanded when first read; the nesting limits leave out
 * references with a `limit` diagnostic, and lines using the groups concerned are approximate.
 */
export function resolveGroups(st: ParseState): void {
  const list = [...st.groups.values()];
  const index = new Map<string, number>();
  list.forEach((g, i) => index.set(g.name, i));
  const reported = new Set<string>();
  const graph: GroupGraph = {
    count: list.length,
    source: (i) => list[i]!.source,
    refs: (i) => list[i]!.nested,
    weight: (i) => list[i]!.addrs.length + list[i]!.addrs6.length + list[i]!.services.length,
    target: (i, ref) => {
      const g = list[i]!;
      const child = st.groups.get(ref.name);
      if (!child) return undefined; // undefined: empty, reported by undefined-reference
      const compatible = child.kind === g.kind || ((g.kind === "service" || g.kind === "v6-service") && child.kind === "protocol");
      if (!compatible) {
        diag(st, "unrecognized-syntax", ref.source, `group-object ${ref.name} is a ${child.kind} group and cannot be nested in ${g.kind} group ${g.name}`);
        return undefined;
      }
      return index.get(ref.name);
    },
  };
  const resolver = new GroupResolver(graph, {
    cycles: "refuse-closing-reference",
    repeats: "every-path",
    ...(st.limits ? { limits: st.limits } : {}),
    onCycle: (c) => {
      if (c.policy !== "refuse-closing-reference") return;
      const cycle = c.path.map((i) => list[i]!.name);
      const key = [...new Set(cycle)].sort().join("\u0000");
      if (reported.has(key)) return;
      reported.add(key);
      diag(st, "cycle", list[c.path[0]!]!.source, `object-group nesting cycle: ${cycle.join(" -> ")}`);
    },
    onLimit: (cut) => diag(st, "limit", cut.ref.source, limitMessage(cut, `object-group ${list[cut.from]!.name}`, `group-object ${cut.ref.name}`)),
  });
  st.incomplete = (name) => {
    const i = index.get(name);
    return i === undefined ? undefined : resolver.incomplete(i);
  };
  list.forEach((g, i) => {
    const og = st.dev.objectGroups.get(g.name);
    if (!og) return;
    if (g.kind === "network")
      defineLazy(og, "addrs", () => {
        const out: AddrSet = [];
        for (const n of resolver.expand(i)) for (const a of list[n]!.addrs) out.push(a);
        return out;
      });
    else if (g.kind === "v6-network")
      defineLazy(og, "addrs6", () => {
        const out: AddrSet6 = [];
        for (const n of resolver.expand(i)) for (const a of list[n]!.addrs6) out.push(a);
        return out;
      });
    else
      defineLazy(og, "services", () => {
        const out: ServiceTerm[] = [];
        for (const n of resolver.expand(i)) for (const t of list[n]!.services) out.push(t);
        return out;
      });
    if (g.nested.length > 0) og.members = g.nested;
  });
}

function approximate(ace: Ace | undefined, why: string): void {
  if (ace && !ace.match.approximate?.split("; ").includes(why)) ace.match.approximate = ace.match.approximate ? `${ace.match.approximate}; ${why}` : why;
}

/** A line using a group natlint does not model: it matches nothing in the analysis, and says so. */
function unmodelledUse(st: ParseState, g: ObjectGroup, source: SourceRef, ace: Ace | undefined): [] {
  const why = `uses ${g.unmodelled} ${g.name}, which natlint does not model`;
  if (ace) ace.match.approximate = ace.match.approximate ? `${ace.match.approximate}; ${why}` : why;
  diag(st, "unmodelled", source, `this line ${why}: it is analysed as matching no packet`);
  return [];
}

/**
 * A line using a group whose content is incomplete (a nesting limit) or unknown (its resolution
 * failed): approximate, never a false "can never match" — and said on the line.
 */
function checkComplete(st: ParseState, name: string, source: SourceRef, ace: Ace | undefined): boolean {
  if (!st.incomplete) {
    approximate(ace, `object-group ${name} could not be resolved (internal parser error)`);
    return false;
  }
  const cut = st.incomplete(name);
  if (cut) {
    const note = incompleteNote(`object-group ${name}`, cut);
    if (!ace?.match.approximate?.split("; ").includes(note)) diag(st, "limit", source, incompleteUse([note]));
    approximate(ace, note);
  }
  return true;
}

/** Resolved addresses of a network group for an ACE operand (undefined group → empty set). */
export function groupAddrs(st: ParseState, name: string, source: SourceRef, ace?: Ace): AddrSet {
  const g = st.dev.objectGroups.get(name);
  if (!g) return [];
  if (g.unmodelled) return unmodelledUse(st, g, source, ace);
  if (g.kind !== "network") {
    diag(st, "unrecognized-syntax", source, `object-group ${name} is a ${g.kind} group, used here as ${g.kind === "v6-network" ? "an IPv4 address (an ip access-list takes network groups)" : "an address"}`);
    return [];
  }
  if (!checkComplete(st, name, source, ace)) return [];
  return g.addrs ?? [];
}

/** Resolved addresses of a v6-network group for an IPv6 ACE operand (undefined group → empty set). */
export function groupAddrs6(st: ParseState, name: string, source: SourceRef, ace?: Ace): AddrSet6 {
  const g = st.dev.objectGroups.get(name);
  if (!g) return [];
  if (g.unmodelled) return unmodelledUse(st, g, source, ace);
  if (g.kind !== "v6-network") {
    diag(st, "unrecognized-syntax", source, `object-group ${name} is a ${g.kind} group, used here as an IPv6 address (an ipv6 access-list takes v6-network groups)`);
    return [];
  }
  if (!checkComplete(st, name, source, ace)) return [];
  return g.addrs6 ?? [];
}

/** Resolved services of a service/protocol group (`v6-service`/protocol in an IPv6 ACL) used as an ACE protocol (undefined group → nothing). */
export function groupServices(st: ParseState, name: string, source: SourceRef, ace?: Ace, kind: "service" | "v6-service" = "service"): ServiceTerm[] {
  const g = st.dev.objectGroups.get(name);
  if (!g) return [];
  if (g.unmodelled) return unmodelledUse(st, g, source, ace);
  if (g.kind !== kind && g.kind !== "protocol") {
    diag(st, "unrecognized-syntax", source, `object-group ${name} is a ${g.kind} group, used here as a protocol/service${kind === "v6-service" ? " of an IPv6 ACL (v6-service or protocol groups)" : ""}`);
    return [];
  }
  if (!checkComplete(st, name, source, ace)) return [];
  return g.services ?? [];
}
