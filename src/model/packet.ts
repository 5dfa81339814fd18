/**
 * Packets as text and JSON (the one form every message and output uses), and the command-line
 * packet grammar: a flow (`natlint flow`, one concrete packet) and a HEADERSPACE (`diff --intent`,
 * `search`, policy rule options: a set of packets), which share their fields:
 *
 *   PROTO SRC SPORT DST DPORT      ports only for tcp, udp and sctp
 *   PROTO SRC DST                  e.g. `icmp any any`, `esp any 192.0.2.1`
 *
 * PROTO: a protocol name (tcp, udp, icmp, esp, ahp, gre, …) or a number 0-255; a header space
 * also takes `ip` (any protocol). A flow has concrete values (`udp 192.0.2.2 1 203.0.113.10 500`;
 * ICMP may add `TYPE [CODE]` after DST); a header space takes `any`, `A.B.C.D`, `A.B.C.D/N`
 * (host bits ignored) and ports `any`, `N` or `N-M`. Fields a header space does not mention (ICMP
 * type, TCP flags, fragment, ToS) are unconstrained.
 */
import { ANY, formatIp, host, parseCidr, parseIp } from "./addr.js";
import { PROTO, hasPorts, parseProtocol, protocolName } from "./ports.js";
import { TCP, packet, type AddrSet, type Packet, type PortSet } from "./types.js";

const FLAG_NAMES: Array<[number, string]> = [
  [TCP.SYN, "SYN"],
  [TCP.ACK, "ACK"],
  [TCP.FIN, "FIN"],
  [TCP.RST, "RST"],
  [TCP.PSH, "PSH"],
  [TCP.URG, "URG"],
];

/** `tcp 198.51.100.1:1024 → 192.0.2.2:23 [SYN]`, `icmp 0.0.0.1 → 0.0.0.1 type 8 code 0`, `esp A → B`. */
export function formatPacket(p: Packet): string {
  const name = protocolName(p.protocol);
  let s: string;
  if (hasPorts(p.protocol)) s = `${name} ${formatIp(p.src)}:${p.srcPort} → ${formatIp(p.dst)}:${p.dstPort}`;
  else s = `${name} ${formatIp(p.src)} → ${formatIp(p.dst)}`;
  if (p.protocol === PROTO.ICMP) s += ` type ${p.icmpType} code ${p.icmpCode}`;
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
    src: formatIp(p.src),
    srcPort: hasPorts(p.protocol) ? p.srcPort : null,
    dst: formatIp(p.dst),
    dstPort: hasPorts(p.protocol) ? p.dstPort : null,
    ...(p.protocol === PROTO.ICMP ? { icmpType: p.icmpType, icmpCode: p.icmpCode } : {}),
    ...(p.protocol === PROTO.TCP ? { tcpFlags: p.tcpFlags } : {}),
    ...(p.fragment ? { fragment: true } : {}),
    ...(p.tos ? { tos: p.tos } : {}),
  };
}

// ------------------------------------------------------------------------------ grammar

export type ParseResult<T> = T | { error: string };

const SPACE_SYNTAX = `expected "PROTO SRC SPORT DST DPORT" or "PROTO SRC DST"`;

function tokens(text: string): string[] {
  return text.trim().split(/\s+/).filter((t) => t !== "");
}

/** A set of packets given by its header fields (absent ports: any port). */
export interface SpaceSpec {
  /** null: any protocol (`ip`). */
  protocol: number | null;
  src: AddrSet;
  dst: AddrSet;
  srcPorts?: PortSet;
  dstPorts?: PortSet;
}

function spaceAddr(tok: string): AddrSet | string {
  if (tok.toLowerCase() === "any") return [ANY];
  if (tok.includes("/")) {
    const w = parseCidr(tok);
    return w ? [w] : `address "${tok}" is not a valid A.B.C.D/N prefix (N 0-32)`;
  }
  const ip = parseIp(tok);
  return ip !== undefined ? [host(ip)] : `address "${tok}": expected any, A.B.C.D or A.B.C.D/N`;
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
  const protocol = parseProtocol(toks[0]);
  if (protocol === undefined) {
    return { error: `unknown protocol "${toks[0]}": use a name (tcp, udp, icmp, esp, ahp, gre, …), a number 0-255, or ip` };
  }
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
  const srcPorts = spacePort(sportTok);
  if (typeof srcPorts === "string") return { error: `source port ${srcPorts}` };
  const dstPorts = spacePort(dportTok);
  if (typeof dstPorts === "string") return { error: `destination port ${dstPorts}` };
  if ((srcPorts !== undefined || dstPorts !== undefined) && (protocol === null || !hasPorts(protocol))) {
    return { error: `ports apply only to tcp, udp and sctp, not "${toks[0]}"; write "${toks[0]} SRC DST" or use any for the ports` };
  }
  return { protocol, src, dst, ...(srcPorts ? { srcPorts } : {}), ...(dstPorts ? { dstPorts } : {}) };
}

/** A flow: one concrete packet (see the file comment). */
export function parseFlow(text: string): ParseResult<Packet> {
  const t = tokens(text);
  const proto = parseProtocol(t[0]);
  if (proto === undefined || proto === null) return { error: `"${t[0] ?? ""}": expected a protocol name or number (not ip)` };
  const ported = hasPorts(proto);
  const want = ported ? 5 : 3;
  const src = parseIp(t[1]);
  if (src === undefined) return { error: `"${t[1] ?? ""}": expected a source IPv4 address` };
  let i = 2;
  let srcPort = 0;
  if (ported) {
    srcPort = Number(t[2]);
    if (!/^\d+$/.test(t[2] ?? "") || srcPort > 65535) return { error: `"${t[2] ?? ""}": expected a source port 0-65535` };
    i = 3;
  }
  const dst = parseIp(t[i]);
  if (dst === undefined) return { error: `"${t[i] ?? ""}": expected a destination IPv4 address` };
  let dstPort = 0;
  let icmpType = 0;
  let icmpCode = 0;
  if (ported) {
    dstPort = Number(t[i + 1]);
    if (!/^\d+$/.test(t[i + 1] ?? "") || dstPort > 65535) return { error: `"${t[i + 1] ?? ""}": expected a destination port 0-65535` };
    if (t.length > want) return { error: `unexpected "${t[want]}" after the destination port` };
  } else if (proto === PROTO.ICMP && t.length > 3) {
    icmpType = Number(t[3]);
    icmpCode = Number(t[4] ?? 0);
    if (!/^\d+$/.test(t[3]!) || icmpType > 255 || !/^\d+$/.test(t[4] ?? "0") || icmpCode > 255 || t.length > 5)
      return { error: `ICMP flows are "icmp SRC DST [TYPE [CODE]]"` };
  } else if (t.length > want) return { error: `${protocolName(proto)} has no ports: write "${protocolName(proto)} SRC DST"` };
  return packet({ protocol: proto, src, dst, srcPort, dstPort, icmpType, icmpCode });
}
