/**
 * Cisco ASA (and PIX / FWSM) running-config → vendor-independent `Device`.
 *
 * Two passes: the first reads every line in order (interfaces, names, objects and object-groups,
 * and collects access-list, access-group and NAT lines); the second resolves object-group nesting,
 * then parses ACL entries and NAT rules, which may refer to objects defined anywhere in the file.
 *
 * Nothing throws: each line is parsed on its own and a line that does not follow the grammar
 * becomes an `unrecognized-syntax` diagnostic. Lines of features the model does not cover
 * (crypto maps, class-maps, group-policies, ssh/http/telnet access, capture, …) are not parsed;
 * every token of them is added to `device.otherMentions` so that an ACL or object those features
 * use is never reported as unused.
 *
 * `access-group NAME global` is `device.globalAcl` (ASA applies the global ACL after the interface
 * ACLs, in the inbound direction of every interface).
 */
import { parseIp } from "../../model/addr.js";
import { newDevice, type Device, type Interface, type Reference, type SourceRef } from "../../model/types.js";
import { accessListLine, buildAccessLists, type AclItem, type AclLines, type RawAccessGroup } from "./access-list.js";
import { ParseError, tokenize } from "../common/cursor.js";
import type { GroupLimits } from "../common/groups.js";
import { isIpv6, type AsaCtx, type GroupDef } from "./context.js";
import { buildNat, type RawNat } from "./nat.js";
import { defLine, openDef } from "./objects.js";
import { buildObjectGroups } from "./resolve.js";

export { ASA_TCP_PORTS, ASA_UDP_PORTS, ASA_ICMP_TYPES, asaPort, asaProtocol } from "./names.js";

type Block =
  | { kind: "interface"; iface: Interface }
  | { kind: "def"; def: GroupDef | undefined }
  | { kind: "time-range" }
  | { kind: "other" }
  | { kind: "none" };

export interface AsaParseOptions {
  /** Object-group nesting limits (defaults: `DEFAULT_GROUP_LIMITS` in ../common/groups.ts). */
  groupLimits?: Partial<GroupLimits>;
}

export function parseAsa(text: string, file: string, options: AsaParseOptions = {}): Device {
  const dev = newDevice(file, "asa");
  const seenDiag = new Set<string>();
  const ctx: AsaCtx = {
    dev,
    names: new Map(),
    names6: new Set(),
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

  let lines = text.replace(/^\uFEFF/, "").split(/\r\n|\r|\n/);
  dev.lineCount = lines.length;
  // a config pasted with a common indentation: remove it so top-level commands are seen as such
  let margin = Infinity;
  for (const l of lines) if (l.trim() !== "") margin = Math.min(margin, /^[ \t]*/.exec(l)![0].length);
  if (!Number.isFinite(margin)) margin = 0;
  if (margin > 0) lines = lines.map((l) => l.slice(Math.min(margin, /^[ \t]*/.exec(l)![0].length)));
  const aclItems = new Map<string, AclItem[]>();
  const aclFirst = new Map<string, SourceRef>();
  const unmodelledAcl = new Set<string>();
  const accessGroups: RawAccessGroup[] = [];
  const nats: RawNat[] = [];
  let block: Block = { kind: "none" };

  const mention = (toks: readonly string[]): void => {
    for (const t of toks) dev.otherMentions.add(t);
  };

  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const trimmed = raw.trim();
    if (trimmed === "" || trimmed.startsWith("!") || trimmed.startsWith(":")) continue;
    const src: SourceRef = { file, line: i + 1, text: trimmed };
    const toks = tokenize(trimmed);
    const indented = /^\s/.test(raw);
    try {
      if (indented && block.kind !== "none") {
        subLine(ctx, block, toks, src, nats, mention);
        continue;
      }
      if (indented) {
        mention(toks);
        continue;
      }
      block = topLine(ctx, toks, src, { aclItems, aclFirst, unmodelledAcl, accessGroups, nats, mention });
    } catch (e) {
      ctx.diag(
        "unrecognized-syntax",
        src,
        e instanceof ParseError ? e.message : `internal error: ${(e as Error).message ?? String(e)}`,
      );
      if (!indented) block = { kind: "other" };
    }
  }

  // ASA gives a named interface security level 0 (100 when it is named "inside") unless set
  for (const ifc of dev.interfaces)
    if (ifc.nameif !== undefined && ifc.securityLevel === undefined) ifc.securityLevel = ifc.nameif === "inside" ? 100 : 0;

  // ---- pass 2
  try {
    buildObjectGroups(ctx);
  } catch (e) {
    ctx.diag("unrecognized-syntax", { file, line: 1, text: lines[0]?.trim() ?? "" }, `internal error: ${(e as Error).message}`);
  }
  buildAccessLists(ctx, { aclItems, aclFirst, unmodelledAcl, accessGroups, mention });
  buildNat(ctx, nats);
  dev.diagnostics.sort((a, b) => a.source.line - b.source.line);
  return dev;
}

interface TopState extends AclLines {
  nats: RawNat[];
}

function topLine(ctx: AsaCtx, toks: string[], src: SourceRef, st: TopState): Block {
  const dev = ctx.dev;
  // Keywords are matched as the running-config prints them (lower case), so `show` output such
  // as `NAT from any:… to any:…` (show xlate) is not mistaken for a command.
  const kw = toks[0]!;
  const k1 = toks[1]?.toLowerCase();
  if (/^(?:ASA|PIX|FWSM)$/.test(kw) && k1 === "version" && toks[2]) {
    dev.version = toks[2];
    return { kind: "none" };
  }
  if (kw === "NGFW" && k1 === "version") {
    // FTD: its version numbers are not ASA version numbers (FTD 6.7 runs ASA 9.15 code)
    ctx.diag("unmodelled", src, `Firepower Threat Defense (NGFW Version ${toks[2] ?? "?"}): the ASA version is unknown`);
    return { kind: "none" };
  }
  switch (kw) {
    case "hostname":
      if (toks[1]) dev.hostname = toks[1];
      return { kind: "none" };
    case "names":
      return { kind: "none" };
    case "name": {
      // name ADDRESS NAME [description …]
      const a = toks[1];
      const n = toks[2];
      if (a === undefined || n === undefined) throw new ParseError(`name: expected "name ADDRESS NAME"`);
      const ip = parseIp(a);
      if (ip !== undefined) ctx.names.set(n, ip);
      else if (isIpv6(a)) ctx.names6.add(n);
      else throw new ParseError(`name: "${a}" is not an address`);
      return { kind: "none" };
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
        return { kind: "none" };
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
          return { kind: "none" };
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
      return { kind: "none" };
    case "access-group":
      st.accessGroups.push({ toks, src });
      return { kind: "none" };
    case "nat": {
      const p = toks[1] ?? "";
      // pre-8.3: nat (if) ID …  (one interface, then a number, then not "source")
      if (/^\([^,()]+\)$/.test(p) && /^\d+$/.test(toks[2] ?? "") && toks[3]?.toLowerCase() !== "source")
        st.nats.push({ kind: "pre83-nat", toks: toks.slice(1), src });
      else st.nats.push({ kind: "twice", toks: toks.slice(1), src });
      return { kind: "none" };
    }
    case "global":
      st.nats.push({ kind: "global", toks: toks.slice(1), src });
      return { kind: "none" };
    case "static":
      st.nats.push({ kind: "static", toks: toks.slice(1), src });
      return { kind: "none" };
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
      ctx.diag("unmodelled", src, "conduit (PIX 6 access control) is not modelled");
      break;
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

function setNameif(ctx: AsaCtx, iface: Interface, n: string): void {
  if (iface.nameif && ctx.ifaces.get(iface.nameif) === iface) ctx.ifaces.delete(iface.nameif);
  iface.nameif = n;
  ctx.ifaces.set(n, iface);
}

function subLine(
  ctx: AsaCtx,
  block: Block,
  toks: string[],
  src: SourceRef,
  nats: RawNat[],
  mention: (toks: readonly string[]) => void,
): void {
  switch (block.kind) {
    case "interface": {
      const iface = block.iface;
      const kw = toks[0]!.toLowerCase();
      if (kw === "nameif" && toks[1]) setNameif(ctx, iface, toks[1]);
      else if (kw === "security-level" && /^\d+$/.test(toks[1] ?? "")) iface.securityLevel = Number(toks[1]);
      else if (kw === "shutdown") iface.shutdown = true;
      else if (kw === "ip" && toks[1]?.toLowerCase() === "address") {
        const ip = parseIp(toks[2]);
        const m = parseIp(toks[3]);
        if (ip !== undefined && m !== undefined) iface.addresses = [{ ip, mask: m }]; // `standby B` is the failover peer
        else if (ip !== undefined) throw new ParseError(`interface ${iface.name}: expected a netmask after ip address ${toks[2]}`);
        // dhcp / pppoe: address learnt at run time
      } else if (kw === "no" && toks[1]?.toLowerCase() === "nameif") {
        if (iface.nameif && ctx.ifaces.get(iface.nameif) === iface) ctx.ifaces.delete(iface.nameif);
        delete iface.nameif;
      } else if (kw === "no" && toks[1]?.toLowerCase() === "shutdown") delete iface.shutdown;
      else if (kw !== "description") mention(toks);
      return;
    }
    case "def": {
      const def = block.def;
      if (!def) return;
      if (def.kind === "object-network" && toks[0]!.toLowerCase() === "nat") {
        nats.push({ kind: "object", toks: toks.slice(1), src, obj: def.name });
        return;
      }
      try {
        defLine(ctx, def, toks, src);
      } catch (e) {
        if (e instanceof ParseError) throw e;
        throw new ParseError(`internal error: ${(e as Error).message}`);
      }
      return;
    }
    case "time-range":
      return;
    default:
      mention(toks);
  }
}
