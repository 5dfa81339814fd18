/**
 * Cisco IOS / IOS-XE configuration parser → vendor-independent `Device` model.
 *
 * Line loop with IOS contexts: a context (ACL, object-group, interface, NAT pool, anything else)
 * starts at a non-indented line and ends at the next non-indented line, `exit` or `end`. `!` lines
 * are comments and, as on the IOS CLI, do not leave the sub-mode. Every line is parsed inside try/catch: a line that cannot be understood becomes an
 * `unrecognized-syntax` diagnostic and parsing goes on. Lines of features that are not modelled
 * are skipped, but their tokens are collected into `device.otherMentions`.
 */
import { parseCidr, parseIp } from "../../model/addr.js";
import { newDevice, type Acl, type Device, type Interface, type SourceRef } from "../../model/types.js";
import { getOrCreateAcl, parseAclEntryLine, parseNumberedLine, resequence } from "./acl-lines.js";
import { finishPool, parseIpNat, parsePoolLine, type PendingPool } from "./nat.js";
import { openGroup, parseGroupLine, resolveGroups } from "./objects.js";
import { Cursor, ParseError, errorText, tokenize } from "../common/cursor.js";
import type { GroupLimits } from "../common/groups.js";
import { diag, mention, type ParseState, type RawGroup } from "./util.js";

export { IOS_TCP_PORTS, IOS_UDP_PORTS, ICMP_NAMES, parsePort } from "./ports.js";

type Ctx =
  | { k: "none" }
  | { k: "acl"; acl: Acl }
  | { k: "group"; g: RawGroup }
  | { k: "iface"; iface: Interface }
  | { k: "pool"; pool: PendingPool }
  /** Body of an unmodelled feature: tokens go to otherMentions. */
  | { k: "other" }
  /** Body that is neither modelled nor a source of mentions (rejected header, IPv6 ACL, time-range …). */
  | { k: "skip" };

const NONE: Ctx = { k: "none" };

const BANNER_TYPES = new Set(["motd", "login", "exec", "incoming", "slip-ppp", "prompt-timeout", "config-save"]);
const IP_RE = /^\d{1,3}(\.\d{1,3}){3}(\/\d+)?$/;

/** Non-indented lines that still belong to the open context (config pasted without indentation). */
function continues(ctx: Ctx, kw: string): boolean {
  if (ctx.k === "acl") return kw === "permit" || kw === "deny" || kw === "remark" || kw === "evaluate" || /^\d+$/.test(kw);
  if (ctx.k === "group")
    return ["host", "range", "any", "group-object", "network-object", "protocol-object", "description", "tcp", "udp", "tcp-udp", "icmp"].includes(kw) || IP_RE.test(kw);
  if (ctx.k === "pool") return kw === "address";
  return false;
}


export interface IosParseOptions {
  /** Object-group nesting limits (defaults: `DEFAULT_GROUP_LIMITS` in ../common/groups.ts). */
  groupLimits?: Partial<GroupLimits>;
}

export function parseIos(text: string, file: string, options: IosParseOptions = {}): Device {
  const dev = newDevice(file, "ios");
  const st: ParseState = { dev, groups: new Map(), fixups: [] };
  if (options.groupLimits) st.limits = options.groupLimits;
  const lines = text.replace(/^\uFEFF/, "").split(/\r\n|\r|\n/);
  dev.lineCount = lines.length > 0 && lines[lines.length - 1] === "" ? lines.length - 1 : lines.length;
  const ifaces = new Map<string, Interface>();
  let ctx: Ctx = NONE;
  /** Delimiter of an open multi-line banner, or "@" for a macro body. */
  let textEnd: string | undefined;

  const close = (): void => {
    if (ctx.k === "pool") finishPool(st, ctx.pool);
    ctx = NONE;
  };

  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    if (textEnd !== undefined) {
      if (textEnd === "@" ? raw.trim() === "@" : raw.includes(textEnd)) textEnd = undefined;
      continue;
    }
    const text = raw.trim();
    if (text === "") continue;
    const source: SourceRef = { file, line: i + 1, text };
    const indented = /^\s/.test(raw);
    try {
      // `!` is a comment: like the IOS CLI, it does not leave the sub-mode (a following indented
      // line still belongs to the open ACL / interface / object-group).
      if (text.startsWith("!")) continue;
      const toks = tokenize(text);
      const kw = toks[0]!.toLowerCase();
      if (kw === "exit" || kw === "end") {
        close();
        continue;
      }
      if (ctx.k !== "none" && (indented || continues(ctx, kw))) {
        body(st, ctx, toks, source);
        continue;
      }
      close();
      if (kw === "banner") {
        textEnd = openBanner(text);
        continue;
      }
      if (kw === "macro" && toks[1]?.toLowerCase() === "name") {
        mention(st, toks);
        textEnd = "@";
        continue;
      }
      ctx = top(st, toks, source, ifaces);
    } catch (e) {
      const msg = e instanceof ParseError ? e.message : `internal parser error: ${e instanceof Error ? e.message : String(e)}`;
      diag(st, "unrecognized-syntax", source, msg);
    }
  }
  try {
    close();
  } catch (e) {
    diag(st, "unrecognized-syntax", { file, line: dev.lineCount, text: "" }, `internal parser error: ${String(e)}`);
  }

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
  // IOS consults static translations before dynamic ones; keep file order within each kind.
  dev.natRules = [...dev.natRules.filter((r) => r.type === "static"), ...dev.natRules.filter((r) => r.type !== "static")];
  return dev;
}

/** `banner TYPE DELIM…`: returns the delimiter when the banner continues on the next lines. */
function openBanner(text: string): string | undefined {
  let rest = text.replace(/^banner\s*/i, "");
  const t = /^(\S+)\s*([\s\S]*)$/.exec(rest);
  if (t && BANNER_TYPES.has(t[1]!.toLowerCase())) rest = t[2]!;
  if (rest === "") return undefined;
  const delim = rest.startsWith("^C") ? "^C" : rest[0]!;
  return rest.slice(delim.length).includes(delim) ? undefined : delim;
}

function interfaceName(toks: string[]): string {
  const a = toks[1];
  if (a === undefined) throw new ParseError("expected interface name");
  const b = toks[2];
  // `interface GigabitEthernet 0/1` is stored as GigabitEthernet0/1
  return b !== undefined && /^\d/.test(b) && !/\d$/.test(a) ? a + b : a;
}

/** A non-indented line: opens the next context. */
function top(st: ParseState, toks: string[], source: SourceRef, ifaces: Map<string, Interface>): Ctx {
  const dev = st.dev;
  const kw = toks[0]!.toLowerCase();
  const k1 = toks[1]?.toLowerCase();
  const k2 = toks[2]?.toLowerCase();
  switch (kw) {
    case "hostname":
      if (toks[1] !== undefined) dev.hostname = toks[1];
      return NONE;
    case "version":
      if (toks[1] !== undefined) dev.version = toks[1];
      return NONE;
    case "access-list":
      parseNumberedLine(st, toks, source);
      return NONE;
    case "object-group": {
      const g = openGroup(st, toks, source);
      return g ? { k: "group", g } : { k: "skip" };
    }
    case "interface": {
      const name = interfaceName(toks);
      let iface = ifaces.get(name);
      if (!iface) {
        iface = { name, addresses: [], accessGroups: [], source };
        ifaces.set(name, iface);
        dev.interfaces.push(iface);
      }
      return { k: "iface", iface };
    }
    case "time-range":
      if (toks[1] !== undefined && !dev.timeRanges.has(toks[1])) dev.timeRanges.set(toks[1], source);
      return { k: "skip" };
    case "ipv6":
    case "mac":
      if (k1 === "access-list") {
        // One finding for the whole ACL (its entries are skipped with it): natlint models IPv4 only.
        diag(st, "unmodelled", source, `${kw === "ipv6" ? "IPv6" : "MAC"} access-list ${toks[2] ?? ""} is not modelled (natlint analyses IPv4 ACLs); its entries are skipped`);
        return { k: "skip" };
      }
      break;
    case "no":
      if (k1 === "access-list" && toks[2] !== undefined && /^\d+$/.test(toks[2]) && toks.length === 3) {
        dev.acls.delete(toks[2]);
        return NONE;
      }
      if (k1 === "ip" && k2 === "access-list" && (toks[3] === "standard" || toks[3] === "extended") && toks[4] !== undefined) {
        dev.acls.delete(toks[4]);
        return NONE;
      }
      break;
    case "ip":
      if (k1 === "access-list") return ipAccessList(st, toks, source);
      if (k1 === "nat") {
        const pool = parseIpNat(st, toks, source);
        return pool ? { k: "pool", pool } : NONE;
      }
      if (k1 === "dhcp" && k2 === "excluded-address") {
        dhcpExcluded(st, toks);
        return NONE;
      }
      break;
  }
  mention(st, toks);
  return { k: "other" };
}

const ACL_GLOBALS = new Set(["logging", "log-update", "persistent", "role-based", "helper", "fqdn", "match-local-traffic"]);

function ipAccessList(st: ParseState, toks: string[], source: SourceRef): Ctx {
  const cur = new Cursor(toks, 2);
  const type = cur.next("standard or extended").toLowerCase();
  if (type === "standard" || type === "extended") {
    const name = cur.next("ACL name");
    const acl = getOrCreateAcl(st, name, type, source);
    return acl ? { k: "acl", acl } : { k: "skip" };
  }
  if (type === "resequence") {
    resequence(st, toks, source);
    return NONE;
  }
  if (ACL_GLOBALS.has(type)) return { k: "skip" };
  if (cur.done()) {
    // `ip access-list NAME` (IOS-XR/EOS style, no type): taken as a named extended ACL
    const acl = getOrCreateAcl(st, cur.prev(), "extended", source);
    return acl ? { k: "acl", acl } : { k: "skip" };
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

/** An indented line inside a context. */
function body(st: ParseState, ctx: Ctx, toks: string[], source: SourceRef): void {
  switch (ctx.k) {
    case "acl":
      parseAclEntryLine(st, ctx.acl, toks, source);
      return;
    case "group":
      parseGroupLine(st, ctx.g, toks, source);
      return;
    case "pool":
      parsePoolLine(st, ctx.pool, toks, source);
      return;
    case "iface":
      interfaceLine(st, ctx.iface, toks, source);
      return;
    case "other":
      mention(st, toks);
      return;
    case "skip":
    case "none":
      return;
  }
}

function interfaceLine(st: ParseState, iface: Interface, toks: string[], source: SourceRef): void {
  const k = toks.map((t) => t.toLowerCase());
  const neg = k[0] === "no";
  const c = neg ? k.slice(1) : k;
  const t = neg ? toks.slice(1) : toks;
  if (c[0] === "shutdown" && c.length === 1) {
    if (neg) delete iface.shutdown;
    else iface.shutdown = true;
    return;
  }
  if (c[0] === "ip" && c[1] === "address") {
    if (neg) {
      iface.addresses = [];
      return;
    }
    const cidr = t[2]?.includes("/") ? parseCidr(t[2]) : undefined;
    if (cidr) {
      // `ip address A/N` (accepted by some IOS-XE releases and by Batfish)
      const ip = parseIp(t[2]!.slice(0, t[2]!.indexOf("/")))!;
      const mask = ~cidr.wildcard >>> 0;
      if (c[3] === "secondary") iface.addresses.push({ ip, mask, secondary: true });
      else {
        iface.addresses = iface.addresses.filter((a) => a.secondary);
        iface.addresses.unshift({ ip, mask });
      }
      return;
    }
    const ip = parseIp(t[2]);
    if (ip === undefined) {
      if (c[2] === "dhcp" || c[2] === "negotiated" || c[2] === "pool" || c[2] === "unnumbered") {
        mention(st, toks);
        return;
      }
      throw new ParseError(`expected an address, dhcp or negotiated after "ip address", got "${t[2] ?? "end of line"}"`);
    }
    const mask = parseIp(t[3]);
    if (mask === undefined) throw new ParseError(`expected subnet mask after ${t[2]}${t[3] === undefined ? "" : `, got "${t[3]}"`}`);
    const secondary = c[4] === "secondary";
    if (secondary) iface.addresses.push({ ip, mask, secondary: true });
    else {
      iface.addresses = iface.addresses.filter((a) => a.secondary);
      iface.addresses.unshift({ ip, mask });
    }
    return;
  }
  if (c[0] === "ip" && c[1] === "access-group") {
    const name = t[2];
    if (name === undefined) throw new ParseError(`expected ACL name or number after "ip access-group"`);
    const dir = c[3];
    if (dir !== "in" && dir !== "out") {
      if (neg && dir === undefined) return;
      throw new ParseError(`expected in or out after "ip access-group ${name}"${dir === undefined ? "" : `, got "${t[3]}"`}`);
    }
    iface.accessGroups = iface.accessGroups.filter((g) => g.direction !== dir);
    if (neg) return;
    iface.accessGroups.push({ acl: name, direction: dir, source });
    st.dev.references.push({ kind: "acl", name, source, use: "access-group", context: "ip access-group" });
    return;
  }
  if (c[0] === "ip" && c[1] === "nat") {
    if (c[2] === "inside" || c[2] === "outside") {
      if (neg) {
        if (iface.natRole === c[2]) delete iface.natRole;
      } else iface.natRole = c[2];
      return;
    }
    if (c[2] === "enable") {
      if (!neg) diag(st, "unmodelled", source, `NAT Virtual Interface ("ip nat enable" on ${iface.name}) is not modelled`);
      return;
    }
    mention(st, toks);
    return;
  }
  mention(st, toks);
}
