/**
 * Cisco ASA (and PIX / FWSM) running-config → vendor-independent `Device`.
 *
 * Two passes: the first reads every line in order with the mode it belongs to (the mode-aware
 * reader, ../common/reader.ts with the ASA tables in ./modes.ts: indentation is only a hint) —
 * interfaces, names, objects and object-groups, and collects access-list, access-group and NAT
 * lines; the second resolves object-group nesting, then parses ACL entries and NAT rules, which
 * may refer to objects defined anywhere in the file.
 *
 * Nothing throws: each line is parsed on its own and a line that does not follow the grammar
 * becomes an `unrecognized-syntax` diagnostic. Lines of features the model does not cover
 * (class-maps, tunnel-groups, ssh/http/telnet access, capture, …) are not parsed; every token of
 * them is added to `device.otherMentions` so that an ACL or object those features use is never
 * reported as unused. Crypto maps, inspection policies, VPN filters and policy routes are recorded
 * in `device.features` and reported where they take effect (./features.ts).
 *
 * `access-group NAME global` is `device.globalAcl` (ASA applies the global ACL after the interface
 * ACLs, in the inbound direction of every interface).
 */
import { parseIp } from "../../model/addr.js";
import { parseIp6 } from "../../model/addr6.js";
import { newDevice, type Device, type Interface, type Reference, type SourceRef } from "../../model/types.js";
import { accessListLine, buildAccessLists, type AclItem, type AclLines, type RawAccessGroup } from "./access-list.js";
import { asaRoute } from "../common/routes.js";
import { ParseError } from "../common/cursor.js";
import { readLines, unclosedMessage, type ReadOptions, type ReadStats } from "../common/reader.js";
import { ASA_GRAMMAR } from "./modes.js";
import { cryptoLine, newAsaFeatureState, reportAsaFeatures, type AsaFeatureState } from "./features.js";
import type { GroupLimits } from "../common/groups.js";
import { isIpv6, type AsaCtx, type GroupDef } from "./context.js";
import { buildNat, type RawNat } from "./nat.js";
import { defLine, openDef } from "./objects.js";
import { buildObjectGroups } from "./resolve.js";
import { interfaceLine, setNameif } from "./interface.js";

export { ASA_TCP_PORTS, ASA_UDP_PORTS, ASA_ICMP_TYPES, asaPort, asaProtocol } from "./names.js";

type Block =
  | { kind: "interface"; iface: Interface }
  | { kind: "def"; def: GroupDef | undefined }
  | { kind: "policy-map"; name: string }
  | { kind: "policy-class"; cls: { className: string; actions: string[]; source: SourceRef } }
  | { kind: "group-policy"; name: string }
  | { kind: "time-range" }
  | { kind: "skip" }
  | { kind: "other" };

const OTHER: Block = { kind: "other" };

export interface AsaParseOptions {
  /** Object-group nesting limits (defaults: `DEFAULT_GROUP_LIMITS` in ../common/groups.ts). */
  groupLimits?: Partial<GroupLimits>;
  /** Filled with the reader's counts (for telling a Cisco config from other files). */
  stats?: ReadStats;
  /** The reader's limits (line length). */
  read?: ReadOptions;
}

export function parseAsa(text: string, file: string, options: AsaParseOptions = {}): Device {
  const dev = newDevice(file, "asa");
  const seenDiag = new Set<string>();
  const ctx: AsaCtx = {
    dev,
    names: new Map(),
    names6: new Map(),
    defs: new Map(),
    ifaces: new Map(),
    diag(kind, source, message) {
      const k = `${kind}\u0000${source.line}\u0000${message}`;
      if (seenDiag.has(k)) return;
      seenDiag.add(k);
      dev.diagnostics.push({ kind, source, message });
    },
    ref(kind, name, source, use, context) {
      const r: Reference = { kind, name, source, use, context };
      dev.references.push(r);
      return r;
    },
  };
  if (options.groupLimits) ctx.limits = options.groupLimits;

  const lines = text.replace(/^\uFEFF/, "").split(/\r\n|\r|\n/);
  dev.lineCount = lines.length;
  const aclItems = new Map<string, AclItem[]>();
  const aclItems6 = new Map<string, AclItem[]>();
  const aclFirst = new Map<string, SourceRef>();
  const unmodelledAcl = new Set<string>();
  const accessGroups: RawAccessGroup[] = [];
  const nats: RawNat[] = [];
  const fs = newAsaFeatureState();
  /** blocks[d] is the block of the mode at depth d + 1. */
  const blocks: Block[] = [];

  const mention = (toks: readonly string[]): void => {
    for (const t of toks) dev.otherMentions.add(t);
  };

  const stats: ReadStats = options.stats ?? { commands: 0, known: 0, text: 0 };
  for (const l of readLines(text, ASA_GRAMMAR, stats, options.read)) {
    blocks.length = Math.min(blocks.length, l.depth);
    if (l.control) continue;
    const src: SourceRef = { file, line: l.line, text: l.text };
    if (l.reject) {
      ctx.diag(l.reject.kind, src, l.reject.message);
      if (l.opens) blocks.push({ kind: "skip" });
      continue;
    }
    const toks = l.toks;
    let opened: Block = OTHER;
    try {
      // `show access-list` output: an object-group entry's expansion, indented under it, with counters
      if (l.depth === 0 && l.indent > 0 && l.k[0] === "access-list" && /\(hitcnt=\d+\)|\s0x[0-9a-f]+$/i.test(l.text)) mention(toks);
      else if (l.depth === 0) opened = topLine(ctx, toks, src, { aclItems, aclItems6, aclFirst, unmodelledAcl, accessGroups, nats, mention, fs });
      else opened = subLine(ctx, blocks[l.depth - 1]!, toks, src, nats, mention, fs);
    } catch (e) {
      ctx.diag(
        "unrecognized-syntax",
        src,
        e instanceof ParseError ? e.message : `internal error: ${(e as Error).message ?? String(e)}`,
      );
    } finally {
      if (l.opens) blocks.push(l.opens.endsText ? { kind: "skip" } : opened);
    }
  }

  if (stats.unclosed) ctx.diag("unrecognized-syntax", { file, line: stats.unclosed.line, text: stats.unclosed.text }, unclosedMessage(stats.unclosed));

  // ASA gives a named interface security level 0 (100 when it is named "inside") unless set
  for (const ifc of dev.interfaces)
    if (ifc.nameif !== undefined && ifc.securityLevel === undefined) ifc.securityLevel = ifc.nameif === "inside" ? 100 : 0;

  // ---- pass 2
  try {
    buildObjectGroups(ctx);
  } catch (e) {
    ctx.diag("unrecognized-syntax", { file, line: 1, text: lines[0]?.trim() ?? "" }, `internal error: ${(e as Error).message}`);
  }
  buildAccessLists(ctx, { aclItems, aclItems6, aclFirst, unmodelledAcl, accessGroups, mention });
  buildNat(ctx, nats);
  reportAsaFeatures(ctx, fs);
  dev.diagnostics.sort((a, b) => a.source.line - b.source.line);
  return dev;
}

interface TopState extends AclLines {
  nats: RawNat[];
  fs: AsaFeatureState;
}

function topLine(ctx: AsaCtx, toks: string[], src: SourceRef, st: TopState): Block {
  const dev = ctx.dev;
  // Keywords are matched as the running-config prints them (lower case), so `show` output such
  // as `NAT from any:… to any:…` (show xlate) is not mistaken for a command.
  const kw = toks[0]!;
  const k1 = toks[1]?.toLowerCase();
  if (/^(?:ASA|PIX|FWSM)$/.test(kw) && k1 === "version" && toks[2]) {
    dev.version = toks[2];
    return OTHER;
  }
  if (kw === "NGFW" && k1 === "version") {
    // FTD: its version numbers are not ASA version numbers (FTD 6.7 runs ASA 9.15 code)
    ctx.diag("unmodelled", src, `Firepower Threat Defense (NGFW Version ${toks[2] ?? "?"}): the ASA version is unknown`);
    return OTHER;
  }
  if (kw.toLowerCase() === "no") {
    const k = toks.map((t) => t.toLowerCase());
    if (k[1] === "sysopt" && k[2] === "connection" && k[3] === "permit-vpn") st.fs.noPermitVpn = src;
    st.mention(toks);
    return OTHER;
  }
  switch (kw) {
    case "hostname":
      if (toks[1]) dev.hostname = toks[1];
      return OTHER;
    case "names":
    case "banner":
      return OTHER; // a banner's text names nothing
    case "name": {
      // name ADDRESS NAME [description …]
      const a = toks[1];
      const n = toks[2];
      if (a === undefined || n === undefined) throw new ParseError(`name: expected "name ADDRESS NAME"`);
      const ip = parseIp(a);
      if (ip !== undefined) ctx.names.set(n, ip);
      else if (isIpv6(a) && parseIp6(a) !== undefined) ctx.names6.set(n, parseIp6(a)!);
      else throw new ParseError(`name: "${a}" is not an address`);
      return OTHER;
    }
    case "interface": {
      const name = toks.slice(1).join(" ");
      if (!name) break;
      // PIX 6: `interface ethernet0 auto` — hardware settings on one line
      const hw = toks[1]!;
      let iface = dev.interfaces.find((x) => x.name === hw);
      if (!iface) {
        iface = { name: hw, addresses: [], accessGroups: [], source: src };
        dev.interfaces.push(iface);
      }
      if (toks.length > 2) st.mention(toks.slice(2));
      return { kind: "interface", iface };
    }
    case "nameif": {
      // PIX 6: nameif HW NAME securityN
      const hw = toks[1];
      const n = toks[2];
      if (hw && n) {
        let iface = dev.interfaces.find((x) => x.name === hw);
        if (!iface) {
          iface = { name: hw, addresses: [], accessGroups: [], source: src };
          dev.interfaces.push(iface);
        }
        setNameif(ctx, iface, n);
        const sec = /^security(\d+)$/i.exec(toks[3] ?? "");
        if (sec) iface.securityLevel = Number(sec[1]);
        return OTHER;
      }
      break;
    }
    case "ip":
      // PIX 6: ip address NAMEIF A M
      if (k1 === "address" && toks[2] && parseIp(toks[3]) !== undefined) {
        const iface = ctx.ifaces.get(toks[2]);
        const ip = parseIp(toks[3])!;
        const m = parseIp(toks[4]);
        if (iface && m !== undefined) {
          iface.addresses = [{ ip, mask: m }];
          return OTHER;
        }
      }
      break;
    case "object":
    case "object-group": {
      const def = openDef(ctx, toks, src);
      return { kind: "def", def };
    }
    case "access-list":
      accessListLine(ctx, toks, src, st);
      return OTHER;
    case "ipv6":
      if (k1 === "access-list") {
        accessListLine(ctx, toks.slice(1), src, st, true);
        return OTHER;
      }
      break;
    case "access-group":
      st.accessGroups.push({ toks, src });
      if (toks.some((t) => t.toLowerCase() === "per-user-override")) st.fs.perUserOverride.push(src);
      return OTHER;
    case "nat": {
      const p = toks[1] ?? "";
      // pre-8.3: nat (if) ID …  (one interface, then a number, then not "source")
      if (/^\([^,()]+\)$/.test(p) && /^\d+$/.test(toks[2] ?? "") && toks[3]?.toLowerCase() !== "source")
        st.nats.push({ kind: "pre83-nat", toks: toks.slice(1), src });
      else st.nats.push({ kind: "twice", toks: toks.slice(1), src });
      return OTHER;
    }
    case "global":
      st.nats.push({ kind: "global", toks: toks.slice(1), src });
      return OTHER;
    case "static":
      st.nats.push({ kind: "static", toks: toks.slice(1), src });
      return OTHER;
    case "dhcpd": {
      // dhcpd address START-END IFNAME: the range the clients' addresses come from
      const m = toks[1] === "address" ? /^([\d.]+)-([\d.]+)$/.exec(toks[2] ?? "") : null;
      const a = m ? parseIp(m[1]) : undefined;
      const b = m ? parseIp(m[2]) : undefined;
      if (a !== undefined && b !== undefined && a <= b) dev.dhcpRanges.push({ start: a, end: b });
      break;
    }
    case "conduit":
      // PIX 6 access control that predates access-groups
      ctx.diag("unmodelled", src, "conduit (PIX 6 access control that permits inbound traffic without an access-group) is not modelled: verdicts may be permit where natlint says drop");
      break;
    case "outbound":
    case "apply":
      // PIX 5/6 outbound lists
      ctx.diag("unmodelled", src, `"${kw}" (PIX outbound list) filters outbound traffic and is not modelled: verdicts may be drop where natlint says permit`);
      break;
    case "permit":
    case "deny":
      throw new ParseError(`"${kw}" outside any access list: the ASA rejects it, and it filters nothing (ACL entries are "access-list NAME extended ${kw} …")`);
    case "crypto":
      cryptoLine(ctx, toks, src);
      break;
    case "sysopt":
      break;
    case "service-policy":
      if (toks[1] !== undefined) {
        const sp: (typeof dev.features.servicePolicies)[number] = { policy: toks[1], source: src };
        if (toks[2]?.toLowerCase() === "interface" && toks[3] !== undefined) sp.iface = toks[3];
        dev.features.servicePolicies.push(sp);
      }
      break;
    case "policy-map": {
      st.mention(toks);
      const name = toks[toks.length - 1]!;
      if (toks.length === 2 && !dev.features.inspectPolicies.has(name)) dev.features.inspectPolicies.set(name, { classes: [], source: src });
      return toks.length === 2 ? { kind: "policy-map", name } : OTHER;
    }
    case "group-policy":
      st.mention(toks);
      return toks[2]?.toLowerCase() === "attributes" && toks[1] !== undefined ? { kind: "group-policy", name: toks[1] } : OTHER;
    case "context":
      if (!st.fs.contextSeen) {
        st.fs.contextSeen = true;
        ctx.diag("note", src, `multi-context system configuration: each security context's ACLs and NAT are in its own configuration ("config-url"), which natlint reads as a separate file`);
      }
      break;
    case "route": {
      const r = asaRoute(toks, src, ctx.names);
      if (r) (dev.routes ??= []).push(r);
      else (dev.routesUnread ??= []).push(src);
      break;
    }
    case "time-range":
      if (toks[1]) {
        if (!dev.timeRanges.has(toks[1])) dev.timeRanges.set(toks[1], src);
        return { kind: "time-range" };
      }
      break;
  }
  st.mention(toks);
  return { kind: "other" };
}

function subLine(
  ctx: AsaCtx,
  block: Block,
  toks: string[],
  src: SourceRef,
  nats: RawNat[],
  mention: (toks: readonly string[]) => void,
  fs: AsaFeatureState,
): Block {
  const kw = toks[0]!.toLowerCase();
  switch (block.kind) {
    case "interface":
      interfaceLine(ctx, block.iface, kw, toks, src, mention);
      return OTHER;
    case "def": {
      const def = block.def;
      if (!def) return OTHER;
      if (def.kind === "object-network" && kw === "nat") {
        nats.push({ kind: "object", toks: toks.slice(1), src, obj: def.name });
        return OTHER;
      }
      try {
        defLine(ctx, def, toks, src);
      } catch (e) {
        if (e instanceof ParseError) throw e;
        throw new ParseError(`internal error: ${(e as Error).message}`);
      }
      return OTHER;
    }
    case "policy-map": {
      mention(toks);
      if (kw !== "class" || toks[1] === undefined) return OTHER;
      const cls = { className: toks[1], actions: [] as string[], source: src };
      ctx.dev.features.inspectPolicies.get(block.name)?.classes.push(cls);
      return { kind: "policy-class", cls };
    }
    case "policy-class":
      mention(toks);
      block.cls.actions.push(toks.map((t) => t.toLowerCase()).join(" "));
      return OTHER;
    case "group-policy":
      mention(toks);
      if (kw === "vpn-filter" && toks[1]?.toLowerCase() === "value" && toks[2] !== undefined) fs.vpnFilters.push({ policy: block.name, acl: toks[2], source: src });
      return OTHER;
    case "time-range":
    case "skip":
      return { kind: "skip" };
    case "other":
      mention(toks);
      return OTHER;
  }
}
