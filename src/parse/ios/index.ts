/**
 * Cisco IOS / IOS-XE configuration parser → vendor-independent `Device` model.
 *
 * The mode-aware reader (../common/reader.ts with the IOS tables in ./modes.ts) says which mode
 * each line belongs to, as the IOS CLI decides it (indentation is only a hint); this module turns
 * the lines of each mode into the model. Every line is parsed inside try/catch: a line that cannot
 * be understood becomes an `unrecognized-syntax` diagnostic and parsing goes on. Lines of features
 * that are not modelled are skipped, but their tokens are collected into `device.otherMentions`;
 * the features that change ACL or NAT verdicts are recorded in `device.features` and reported
 * (./features.ts).
 */
import { newDevice, type Acl, type Device, type Interface, type SourceRef } from "../../model/types.js";
import type { CryptoMapEntry, InspectClass } from "../../model/features.js";
import { getOrCreateAcl, getOrCreateAcl6, parseAclEntryLine, parseNumberedLine, resequence, setImplicitLines6 } from "./acl-lines.js";
import { finishPool, parseIpNat, parsePoolLine, type PendingPool } from "./nat.js";
import { openGroup, parseGroupLine, resolveGroups } from "./objects.js";
import { Cursor, ParseError, errorText } from "../common/cursor.js";
import { readLines, unclosedMessage, type ReadLine, type ReadOptions, type ReadStats } from "../common/reader.js";
import type { GroupLimits } from "../common/groups.js";
import { IOS_GRAMMAR } from "./modes.js";
import { canonicalInterface, interfaceLine, interfaceNames } from "./interface.js";
import { iosRoute } from "../common/routes.js";
import { reportIosFeatures } from "./features.js";
import { diag, ipv6Nat, mention, type ParseState, type RawGroup } from "./util.js";

export { IOS_TCP_PORTS, IOS_UDP_PORTS, ICMP_NAMES, parsePort } from "./ports.js";
export { canonicalInterface } from "./interface.js";

type Ctx =
  | { k: "acl"; acl: Acl }
  | { k: "group"; g: RawGroup }
  | { k: "iface"; ifaces: Interface[] }
  | { k: "pool"; pool: PendingPool }
  | { k: "crypto-map"; entry: CryptoMapEntry }
  | { k: "zone-pair"; pair: Device["features"]["zonePairs"][number] }
  | { k: "inspect-policy"; name: string }
  | { k: "inspect-class"; cls: { className: string; actions: string[]; source: SourceRef } }
  | { k: "class-map"; cls: InspectClass }
  | { k: "ezvpn"; name: string }
  /** Body of an unmodelled feature: tokens go to otherMentions. */
  | { k: "other" }
  /** Body that is neither modelled nor a source of mentions (rejected header, MAC ACL, time-range, certificate …). */
  | { k: "skip" };

const OTHER: Ctx = { k: "other" };
const SKIP: Ctx = { k: "skip" };

export interface IosParseOptions {
  /** Object-group nesting limits (defaults: `DEFAULT_GROUP_LIMITS` in ../common/groups.ts). */
  groupLimits?: Partial<GroupLimits>;
  /** Filled with the reader's counts (for telling a Cisco config from other files). */
  stats?: ReadStats;
  /** The reader's limits (line length). */
  read?: ReadOptions;
}

export function parseIos(text: string, file: string, options: IosParseOptions = {}): Device {
  const dev = newDevice(file, "ios");
  const st: ParseState = { dev, groups: new Map(), fixups: [] };
  if (options.groupLimits) st.limits = options.groupLimits;
  const all = text.replace(/^\uFEFF/, "").split(/\r\n|\r|\n/);
  dev.lineCount = all.length > 0 && all[all.length - 1] === "" ? all.length - 1 : all.length;
  const ifaces = new Map<string, Interface>();
  /** ctxs[d] is the context of the mode at depth d + 1. */
  const ctxs: Ctx[] = [];

  const close = (c: Ctx): void => {
    try {
      if (c.k === "pool") finishPool(st, c.pool);
    } catch (e) {
      diag(st, "unrecognized-syntax", { file, line: dev.lineCount, text: "" }, `internal parser error: ${errorText(e)}`);
    }
  };

  const stats: ReadStats = options.stats ?? { commands: 0, known: 0, text: 0 };
  for (const l of readLines(text, IOS_GRAMMAR, stats, options.read)) {
    while (ctxs.length > l.depth) close(ctxs.pop()!);
    if (l.control) continue;
    const source: SourceRef = { file, line: l.line, text: l.text };
    if (l.reject) {
      diag(st, l.reject.kind, source, l.reject.message);
      if (l.opens) ctxs.push(SKIP);
      continue;
    }
    let opened: Ctx = SKIP;
    try {
      if (l.depth === 0) opened = top(st, l, source, ifaces);
      else opened = body(st, ctxs[l.depth - 1]!, l, source);
    } catch (e) {
      const msg = e instanceof ParseError ? e.message : `internal parser error: ${errorText(e)}`;
      diag(st, "unrecognized-syntax", source, msg);
    } finally {
      if (l.opens) ctxs.push(l.opens.endsText ? SKIP : opened);
    }
  }
  while (ctxs.length > 0) close(ctxs.pop()!);
  if (stats.unclosed) diag(st, "unrecognized-syntax", { file, line: stats.unclosed.line, text: stats.unclosed.text }, unclosedMessage(stats.unclosed));

  try {
    resolveGroups(st);
  } catch (e) {
    diag(st, "unrecognized-syntax", { file, line: 1, text: "" }, `internal parser error resolving object-groups: ${String(e)}`);
  }
  for (const f of st.fixups) {
    try {
      f.run();
    } catch (e) {
      // never a silently emptied operand: the line says so, and its verdicts are approximate
      const msg = `internal parser error: ${errorText(e)}`;
      diag(st, "unrecognized-syntax", f.ace.source, msg);
      f.ace.match.approximate = f.ace.match.approximate ? `${f.ace.match.approximate}; ${msg}` : msg;
    }
  }
  setImplicitLines6(dev);
  reportIosFeatures(st);
  dev.diagnostics.sort((a, b) => a.source.line - b.source.line);
  // IOS consults static translations before dynamic ones; keep file order within each kind.
  dev.natRules = [...dev.natRules.filter((r) => r.type === "static"), ...dev.natRules.filter((r) => r.type !== "static")];
  return dev;
}

/** A global command (depth 0): one-liners, and the headers of the modes natlint parses. */
function top(st: ParseState, l: ReadLine, source: SourceRef, ifaces: Map<string, Interface>): Ctx {
  const dev = st.dev;
  const toks = l.toks;
  const k = l.k;
  const kw = k[0]!;
  const k1 = k[1];
  const k2 = k[2];
  if (l.negated) return negated(st, l);
  if (/^\d+$/.test(kw) && (k1 === "permit" || k1 === "deny"))
    throw new ParseError(`"${kw} ${k1}" outside any access list: IOS rejects it in global configuration mode, and it filters nothing (a sequenced entry belongs under "ip access-list extended NAME")`);
  switch (kw) {
    case "hostname":
      if (toks[1] !== undefined) dev.hostname = toks[1];
      return SKIP;
    case "version":
      if (toks[1] !== undefined) dev.version = toks[1];
      return SKIP;
    case "building":
    case "current":
      return SKIP; // `show running-config` header lines
    case "banner":
      return SKIP; // its text is not configuration (the reader skips the lines after it)
    case "access-list":
      parseNumberedLine(st, toks, source);
      return SKIP;
    case "object-group": {
      const g = openGroup(st, toks, source);
      return g ? { k: "group", g } : SKIP;
    }
    case "interface": {
      const list: Interface[] = [];
      for (const name of interfaceNames(toks)) {
        let iface = ifaces.get(name);
        if (!iface) {
          iface = { name, addresses: [], accessGroups: [], source };
          ifaces.set(name, iface);
          dev.interfaces.push(iface);
        }
        list.push(iface);
      }
      if (list.length === 0) mention(st, toks);
      return list.length ? { k: "iface", ifaces: list } : OTHER;
    }
    case "time-range":
      if (toks[1] !== undefined && !dev.timeRanges.has(toks[1])) dev.timeRanges.set(toks[1], source);
      return SKIP;
    case "nat64":
    case "nat66":
      ipv6Nat(st, toks, source);
      return SKIP;
    case "ipv6":
      if (k1 === "nat") {
        ipv6Nat(st, toks, source);
        return SKIP;
      }
      if (k1 === "access-list") {
        if (toks.length === 3 && k2 !== "log-update" && k2 !== "cache") {
          const acl = getOrCreateAcl6(st, toks[2]!, source);
          return acl ? { k: "acl", acl } : SKIP;
        }
        if (k2 !== "standard" && k2 !== "extended") return SKIP; // ipv6 access-list log-update … (settings)
        // EOS syntax (IOS has no standard/extended IPv6 ACLs): one note for the whole ACL
        diag(st, "note", source, `IPv6 access-list ${toks[3] ?? ""} is written in Arista EOS syntax ("ipv6 access-list ${k2} NAME"), which IOS rejects: not analysed; its entries are skipped`);
        return SKIP;
      }
      break;
    case "mac":
      if (k1 === "access-list") {
        // One note for the whole ACL (its entries are skipped with it): natlint models IP ACLs.
        diag(st, "note", source, `MAC access-list ${toks[2] === "extended" || toks[2] === "standard" ? (toks[3] ?? "") : (toks[2] ?? "")} is not analysed (natlint models IPv4 and IPv6 ACLs); its entries are skipped`);
        return SKIP;
      }
      break;
    case "permit":
    case "deny":
      throw new ParseError(`"${kw}" outside any access list: IOS rejects it in global configuration mode, and it filters nothing (an ACL entry belongs under "ip access-list extended NAME" or after "access-list N")`);
    case "ip":
      if (k1 === "access-list") return ipAccessList(st, toks, source);
      if (k1 === "nat") {
        const pool = parseIpNat(st, toks, source);
        return pool ? { k: "pool", pool } : SKIP;
      }
      if (k1 === "route") {
        mention(st, toks);
        const r = iosRoute(toks, source, canonicalInterface);
        if (r) (dev.routes ??= []).push(r);
        else (dev.routesUnread ??= []).push(source);
        return SKIP;
      }
      if (k1 === "dhcp" && k2 === "excluded-address") {
        dhcpExcluded(st, toks);
        return SKIP;
      }
      if (k1 === "inspect" && k2 === "name" && toks[3] !== undefined && toks[4] !== undefined) {
        mention(st, toks);
        const r = dev.features.inspectRules.get(toks[3]) ?? { protocols: [], source };
        r.protocols.push(k[4]!);
        dev.features.inspectRules.set(toks[3], r);
        return SKIP;
      }
      break;
    case "zone":
      if (k1 === "security" && toks[2] !== undefined) dev.features.zones.set(toks[2], source);
      return SKIP;
    case "zone-pair": {
      mention(st, toks);
      const cur = new Cursor(toks, 1);
      cur.accept("security");
      const name = cur.next("zone-pair name");
      let from = "";
      let to = "";
      while (!cur.done()) {
        const w = cur.next("source or destination").toLowerCase();
        if (w === "source") from = cur.next("source zone");
        else if (w === "destination") to = cur.next("destination zone");
      }
      const pair = { name, from, to, source };
      dev.features.zonePairs.push(pair);
      return { k: "zone-pair", pair };
    }
    case "policy-map":
      mention(st, toks);
      if (k1 === "type" && k2 === "inspect" && toks[3] !== undefined) {
        const name = toks[toks.length - 1]!;
        if (!dev.features.inspectPolicies.has(name)) dev.features.inspectPolicies.set(name, { classes: [], source });
        return { k: "inspect-policy", name };
      }
      return OTHER;
    case "class-map": {
      mention(st, toks);
      // Cisco IOS Security Configuration Guide, "Zone-Based Policy Firewall": class-map type inspect
      if (k1 !== "type" || k2 !== "inspect") return OTHER;
      let i = 3;
      let matchAny = false;
      if (k[i] === "match-any" || k[i] === "match-all") matchAny = k[i++] === "match-any";
      const name = toks[i];
      if (name === undefined) return OTHER;
      const cls: InspectClass = { matchAny, matches: [], source };
      dev.features.inspectClasses.set(name, cls);
      return { k: "class-map", cls };
    }
    case "crypto":
      if (k1 === "ipsec" && k2 === "client" && k[3] === "ezvpn" && toks[4] !== undefined) {
        mention(st, toks);
        if (!dev.features.ezvpnClients.has(toks[4])) dev.features.ezvpnClients.set(toks[4], { peers: [], source });
        return { k: "ezvpn", name: toks[4] };
      }
      if (k1 === "map" && toks[2] !== undefined && /^\d+$/.test(toks[3] ?? "")) {
        mention(st, toks);
        const entry: CryptoMapEntry = { seq: Number(toks[3]), peers: [], source };
        const d = k.indexOf("dynamic");
        if (d > 0 && toks[d + 1] !== undefined) entry.dynamic = toks[d + 1]!;
        const list = dev.features.cryptoMaps.get(toks[2]) ?? [];
        list.push(entry);
        dev.features.cryptoMaps.set(toks[2], list);
        return { k: "crypto-map", entry };
      }
      break;
  }
  mention(st, toks);
  return OTHER;
}

/** A global `no …` line. */
function negated(st: ParseState, l: ReadLine): Ctx {
  const toks = l.toks;
  const k = l.k;
  if (k[0] === "access-list" && toks[2] !== undefined && /^\d+$/.test(toks[2]) && toks.length === 3) st.dev.acls.delete(toks[2]);
  else if (k[0] === "ip" && k[1] === "access-list" && (k[2] === "standard" || k[2] === "extended") && toks[4] !== undefined) st.dev.acls.delete(toks[4]);
  else if (k[0] === "ipv6" && k[1] === "access-list" && toks.length === 4) {
    if (st.dev.acls.get(toks[3]!)?.family === "ipv6") st.dev.acls.delete(toks[3]!);
  }
  else mention(st, toks);
  return SKIP;
}

const ACL_GLOBALS = new Set(["logging", "log-update", "persistent", "role-based", "helper", "fqdn", "match-local-traffic"]);

function ipAccessList(st: ParseState, toks: string[], source: SourceRef): Ctx {
  const cur = new Cursor(toks, 2);
  const type = cur.next("standard or extended").toLowerCase();
  if (type === "standard" || type === "extended") {
    const name = cur.next("ACL name");
    const acl = getOrCreateAcl(st, name, type, source);
    return acl ? { k: "acl", acl } : SKIP;
  }
  if (type === "resequence") {
    resequence(st, toks, source);
    return SKIP;
  }
  if (type === "role-based") {
    diag(st, "note", source, `role-based access list ${toks[3] ?? ""} (Cisco TrustSec SGACL) is not analysed: it filters by security group tag, which natlint does not model`);
    return SKIP;
  }
  if (ACL_GLOBALS.has(type)) return SKIP;
  if (cur.done()) {
    // `ip access-list NAME` (IOS-XR/EOS style, no type): taken as a named extended ACL
    const acl = getOrCreateAcl(st, cur.prev(), "extended", source);
    return acl ? { k: "acl", acl } : SKIP;
  }
  throw new ParseError(`expected standard or extended after "ip access-list", got "${cur.prev()}"`);
}

function dhcpExcluded(st: ParseState, toks: string[]): void {
  const cur = new Cursor(toks, 3);
  if (cur.accept("vrf")) cur.next("vrf name");
  const a = cur.ip("start address");
  const b = cur.done() ? a : cur.ip("end address");
  if (b < a) throw new ParseError(`excluded-address range ends before it starts`);
  st.dev.dhcpExcluded.push({ start: a, end: b });
}

/** A line inside a mode; returns the context of the nested mode it opens, if it opens one. */
function body(st: ParseState, ctx: Ctx, l: ReadLine, source: SourceRef): Ctx {
  const toks = l.toks;
  switch (ctx.k) {
    case "acl":
      parseAclEntryLine(st, ctx.acl, toks, source);
      return SKIP;
    case "group":
      parseGroupLine(st, ctx.g, toks, source);
      return SKIP;
    case "pool":
      parsePoolLine(st, ctx.pool, toks, source);
      return SKIP;
    case "iface":
      interfaceLine(st, ctx.ifaces, toks, source);
      return OTHER;
    case "crypto-map": {
      mention(st, toks);
      const k = l.k;
      if (l.negated) return SKIP;
      if (k[0] === "set" && k[1] === "peer" && toks[2] !== undefined) ctx.entry.peers.push(toks[2]);
      else if (k[0] === "match" && k[1] === "address" && toks[2] !== undefined) ctx.entry.acl = toks[2];
      return OTHER;
    }
    case "zone-pair":
      mention(st, toks);
      if (l.k[0] === "service-policy" && toks.length >= 4) ctx.pair.policy = toks[toks.length - 1]!;
      return OTHER;
    case "inspect-policy": {
      mention(st, toks);
      if (l.k[0] !== "class") return OTHER;
      const cls = { className: toks[toks.length - 1]!, actions: [] as string[], source };
      st.dev.features.inspectPolicies.get(ctx.name)?.classes.push(cls);
      return { k: "inspect-class", cls };
    }
    case "class-map": {
      mention(st, toks);
      if (l.negated || l.k[0] !== "match") return OTHER;
      let i = 1;
      const negated = l.k[1] === "not";
      if (negated) i++;
      const w = l.k[i];
      const m = (kind: "protocol" | "access-group" | "class-map" | "other", value: string) => ctx.cls.matches.push({ kind, value, negated, source });
      if (w === "protocol" && toks[i + 1] !== undefined) m("protocol", l.k[i + 1]!);
      else if (w === "access-group" && l.k[i + 1] === "name" && toks[i + 2] !== undefined) m("access-group", toks[i + 2]!);
      else if (w === "access-group" && toks[i + 1] !== undefined) m("access-group", toks[i + 1]!);
      else if (w === "class-map" && toks[i + 1] !== undefined) m("class-map", toks[i + 1]!);
      else m("other", toks.slice(i).join(" "));
      return OTHER;
    }
    case "ezvpn": {
      mention(st, toks);
      if (!l.negated && l.k[0] === "peer" && toks[1] !== undefined) st.dev.features.ezvpnClients.get(ctx.name)?.peers.push({ peer: toks[1], source });
      return OTHER;
    }
    case "inspect-class":
      mention(st, toks);
      ctx.cls.actions.push(l.k[0]!);
      return OTHER;
    case "other":
      mention(st, toks);
      return OTHER;
    case "skip":
      return SKIP;
  }
}
