/**
 * Packets as text and JSON (the one form every message and output uses), and the command-line
 * packet grammar: a flow (`natlint flow`, one concrete packet) and a HEADERSPACE (`diff --intent`,
 * `search`, policy rule options: a set of packets), which share their fields:
 *
 *   PROTO SRC SPORT DST DPORT      ports only for tcp, udp and sctp
 *   PROTO SRC DST                  e.g. `icmp any any`, `esp any 192.0.2.1`
 *
 * PROTO: a protocol name (tcp, udp, icmp, icmp6 — also icmpv6, ipv6-icmp —, esp, ahp, gre, …) or a
 * number 0-255; a header space also takes `ip` (any protocol, IPv4 and IPv6) and `ipv6` (any
 * protocol, IPv6 only). A flow has concrete values (`udp 192.0.2.2 1 203.0.113.10 500`,
 * `udp 2001:db8::10 500 2001:db8:1::1 500`; ICMP and ICMPv6 may add `TYPE [CODE]` after DST); a
 * header space takes `any` (every IPv4 and IPv6 address), `any4`, `any6`, `A.B.C.D`, `A.B.C.D/N`,
 * an IPv6 address or `X:X::X/N` (host bits ignored), and ports `any`, `N` or `N-M`. An IPv4
 * address makes the space IPv4 only, an IPv6 one IPv6 only (mixing them is an error). Fields a
 * header space does not mention (ICMP type, TCP flags, fragment, ToS) are unconstrained.
 */
import { ANY, formatIp, host, parseCidr, parseIp } from "./addr.js";
import { ANY6, formatIp6, host6, looksLikeIp6, parseCidr6, parseIp6 } from "./addr6.js";
import { PROTO, hasPorts, parseProtocol, protocolName } from "./ports.js";
import { TCP, packet, type AddrSet, type AddrSet6, type Packet, type PortSet } from "./types.js";

const FLAG_NAMES: Array<[number, string]> = [
  [TCP.SYN, "SYN"],
  [TCP.ACK, "ACK"],
  [TCP.FIN, "FIN"],
  [TCP.RST, "RST"],
  [TCP.PSH, "PSH"],
  [TCP.URG, "URG"],
];

/** A packet's source or destination address as text (IPv4 dotted quad, IPv6 RFC 5952). */
export function packetAddr(p: Packet, which: "src" | "dst"): string {
  return p.v6 ? formatIp6(p.v6[which]) : formatIp(p[which]);
}

/** ICMP type and code matter for the packet (ICMP in IPv4, ICMPv6 in IPv6). */
function isIcmp(p: Packet): boolean {
  return p.v6 ? p.protocol === PROTO.ICMP6 : p.protocol === PROTO.ICMP;
}

/** `tcp 198.51.100.1:1024 → 192.0.2.2:23 [SYN]`, `icmp 0.0.0.1 → 0.0.0.1 type 8 code 0`, `esp A → B`, `udp [2001:db8::1]:500 → [2001:db8::2]:500`. */
export function formatPacket(p: Packet): string {
  const name = protocolName(p.protocol);
  const src = packetAddr(p, "src");
  const dst = packetAddr(p, "dst");
  const port = (a: string, n: number) => (p.v6 ? `[${a}]:${n}` : `${a}:${n}`);
  let s: string;
  if (hasPorts(p.protocol)) s = `${name} ${port(src, p.srcPort)} → ${port(dst, p.dstPort)}`;
  else s = `${name} ${src} → ${dst}`;
  if (isIcmp(p)) s += ` type ${p.icmpType} code ${p.icmpCode}`;
  if (p.protocol === PROTO.TCP) {
    const flags = FLAG_NAMES.filter(([bit]) => (p.tcpFlags & bit) !== 0).map(([, n]) => n);
    s += ` [${flags.length ? flags.join(",") : "no flags"}]`;
  }
  if (p.fragment) s += " (non-initial fragment)";
  if (p.tos !== 0) s += ` tos-byte ${p.tos}`;
  return s;
}

/** A packet as JSON: the flow fields, plus ICMP/TCP details when they matter. */
export function packetJson(p: Packet): Record<string, string | number | boolean | null> {
  return {
    protocol: protocolName(p.protocol),
    src: packetAddr(p, "src"),
    srcPort: hasPorts(p.protocol) ? p.srcPort : null,
    dst: packetAddr(p, "dst"),
    dstPort: hasPorts(p.protocol) ? p.dstPort : null,
    ...(isIcmp(p) ? { icmpType: p.icmpType, icmpCode: p.icmpCode } : {}),
    ...(p.protocol === PROTO.TCP ? { tcpFlags: p.tcpFlags } : {}),
    ...(p.fragment ? { fragment: true } : {}),
    ...(p.tos ? { tos: p.tos } : {}),
  };
}

// ------------------------------------------------------------------------------ grammar

export type ParseResult<T> = T | { error: string };

const SPACE_SYNTAX = `expected "PROTO SRC SPORT DST DPORT" or "PROTO SRC DST"`;

function tokens(text: string): string[] {
  // trim and \s are the same white space: after a trim only the empty text splits into ""
  const t = text.trim();
  return t === "" ? [] : t.split(/\s+/);
}

const DIGITS = /^\d+$/;

function flowAddr(v6: boolean, tok: string | undefined): number | bigint | undefined {
  return v6 ? parseIp6(tok) : parseIp(tok);
}

/**
 * A set of packets given by its header fields (absent ports: any port): the IPv4 packets from
 * `src` to `dst` and the IPv6 packets from `src6` to `dst6` (`[]`: none of that family).
 */
export interface SpaceSpec {
  /** null: any protocol (`ip`, `ipv6`). */
  protocol: number | null;
  src: AddrSet;
  dst: AddrSet;
  src6: AddrSet6;
  dst6: AddrSet6;
  srcPorts?: PortSet;
  dstPorts?: PortSet;
}

/** A header-space address: its IPv4 and IPv6 parts. */
function spaceAddr(tok: string): { v4: AddrSet; v6: AddrSet6 } | string {
  const lc = tok.toLowerCase();
  if (lc === "any") return { v4: [ANY], v6: [ANY6] };
  if (lc === "any4") return { v4: [ANY], v6: [] };
  if (lc === "any6") return { v4: [], v6: [ANY6] };
  if (looksLikeIp6(tok)) {
    if (tok.includes("/")) {
      const p = parseCidr6(tok);
      return p ? { v4: [], v6: [p] } : `address "${tok}" is not a valid IPv6 prefix X:X::X/N (N 0-128)`;
    }
    const a = parseIp6(tok);
    return a !== undefined ? { v4: [], v6: [host6(a)] } : `address "${tok}" is not a valid IPv6 address`;
  }
  if (tok.includes("/")) {
    const w = parseCidr(tok);
    return w ? { v4: [w], v6: [] } : `address "${tok}" is not a valid A.B.C.D/N prefix (N 0-32)`;
  }
  const ip = parseIp(tok);
  return ip !== undefined ? { v4: [host(ip)], v6: [] } : `address "${tok}": expected any, any4, any6, A.B.C.D, A.B.C.D/N, an IPv6 address or X:X::X/N`;
}

/** Protocol of a flow or header space: the vendors' names, and the IPv6 spellings (`ipv6` for any protocol in a space). */
function spaceProtocol(tok: string | undefined): number | null | "ipv6" | undefined {
  const t = tok?.toLowerCase();
  if (t === "ipv6") return "ipv6";
  if (t === "icmpv6" || t === "ipv6-icmp") return PROTO.ICMP6;
  return parseProtocol(t);
}

/** undefined = any */
function spacePort(tok: string): PortSet | undefined | string {
  if (tok.toLowerCase() === "any") return undefined;
  const m = /^(\d+)(?:-(\d+))?$/.exec(tok);
  if (!m) return `"${tok}": expected any, N or N-M`;
  const lo = Number(m[1]);
  const hi = m[2] === undefined ? lo : Number(m[2]);
  if (lo > 65535 || hi > 65535) return `"${tok}" is out of range 0-65535`;
  if (lo > hi) return `range "${tok}" is empty (start > end)`;
  return [{ lo, hi }];
}

/** A HEADERSPACE (see the file comment). */
export function parseSpaceSpec(text: string): ParseResult<SpaceSpec> {
  const toks = tokens(text);
  if (toks.length === 0) return { error: `empty header space: ${SPACE_SYNTAX}` };
  const proto = spaceProtocol(toks[0]);
  if (proto === undefined) {
    return { error: `unknown protocol "${toks[0]}": use a name (tcp, udp, icmp, icmp6, esp, ahp, gre, …), a number 0-255, ip or ipv6` };
  }
  const protocol = proto === "ipv6" ? null : proto;
  let srcTok: string;
  let dstTok: string;
  let sportTok = "any";
  let dportTok = "any";
  if (toks.length === 3) [, srcTok, dstTok] = toks as [string, string, string];
  else if (toks.length === 5) [, srcTok, sportTok, dstTok, dportTok] = toks as [string, string, string, string, string];
  else return { error: `"${text.trim()}" has ${toks.length} fields: ${SPACE_SYNTAX}` };
  const src = spaceAddr(srcTok);
  if (typeof src === "string") return { error: `source ${src}` };
  const dst = spaceAddr(dstTok);
  if (typeof dst === "string") return { error: `destination ${dst}` };
  // a family fixed by one address (or by `ipv6`) is the space's: `2001:db8::/32 any` is IPv6 only
  const only4 = src.v6.length === 0 || dst.v6.length === 0;
  const only6 = src.v4.length === 0 || dst.v4.length === 0 || proto === "ipv6";
  if (only4 && only6) return { error: `"${srcTok}" and "${dstTok}" are of different address families${proto === "ipv6" ? " (or IPv4 with ipv6)" : ""}: a space is IPv4, IPv6 or both (any)` };
  const srcPorts = spacePort(sportTok);
  if (typeof srcPorts === "string") return { error: `source port ${srcPorts}` };
  const dstPorts = spacePort(dportTok);
  if (typeof dstPorts === "string") return { error: `destination port ${dstPorts}` };
  if ((srcPorts !== undefined || dstPorts !== undefined) && (protocol === null || !hasPorts(protocol))) {
    return { error: `ports apply only to tcp, udp and sctp, not "${toks[0]}"; write "${toks[0]} SRC DST" or use any for the ports` };
  }
  return {
    protocol,
    src: only6 ? [] : src.v4,
    dst: only6 ? [] : dst.v4,
    src6: only4 ? [] : src.v6,
    dst6: only4 ? [] : dst.v6,
    ...(srcPorts ? { srcPorts } : {}),
    ...(dstPorts ? { dstPorts } : {}),
  };
}

/** A flow: one concrete packet (see the file comment). */
export function parseFlow(text: string): ParseResult<Packet> {
  const t = tokens(text);
  const proto = spaceProtocol(t[0]);
  if (proto === undefined || proto === null || proto === "ipv6") return { error: `"${t[0] ?? ""}": expected a protocol name or number (not ip)` };
  const ported = hasPorts(proto);
  const want = ported ? 5 : 3;
  const v6 = t[1] !== undefined && looksLikeIp6(t[1]);
  const family = v6 ? "IPv6" : "IPv4";
  const src = flowAddr(v6, t[1]);
  if (src === undefined) return { error: `"${t[1] ?? ""}": expected a source IPv4 or IPv6 address` };
  let i = 2;
  let srcPort = 0;
  if (ported) {
    srcPort = Number(t[2]);
    if (!DIGITS.test(t[2] ?? "") || srcPort > 65535) return { error: `"${t[2] ?? ""}": expected a source port 0-65535` };
    i = 3;
  }
  const dst = flowAddr(v6, t[i]);
  if (dst === undefined) return { error: `"${t[i] ?? ""}": expected a destination ${family} address${v6 !== looksLikeIp6(t[i] ?? "") ? ` (the source is ${family})` : ""}` };
  let dstPort = 0;
  let icmpType = 0;
  let icmpCode = 0;
  if (ported) {
    dstPort = Number(t[i + 1]);
    if (!DIGITS.test(t[i + 1] ?? "") || dstPort > 65535) return { error: `"${t[i + 1] ?? ""}": expected a destination port 0-65535` };
    if (t.length > want) return { error: `unexpected "${t[want]}" after the destination port` };
  } else if ((proto === PROTO.ICMP || (v6 && proto === PROTO.ICMP6)) && t.length > 3) {
    icmpType = Number(t[3]);
    icmpCode = Number(t[4] ?? 0);
    if (!/^\d+$/.test(t[3]!) || icmpType > 255 || !/^\d+$/.test(t[4] ?? "0") || icmpCode > 255 || t.length > 5)
      return { error: `ICMP flows are "${t[0]!.toLowerCase()} SRC DST [TYPE [CODE]]"` };
  } else if (t.length > want) return { error: `${protocolName(proto)} has no ports: write "${protocolName(proto)} SRC DST"` };
  if (typeof src === "bigint" || typeof dst === "bigint") return packet({ protocol: proto, src: 0, dst: 0, srcPort, dstPort, icmpType, icmpCode, v6: { src: src as bigint, dst: dst as bigint } });
  // packet()'s fields in its key order, without its spread (a million flows a second)
  return { srcPort, dstPort, icmpType, icmpCode, tcpFlags: 0, fragment: false, tos: 0, protocol: proto, src, dst };
}
