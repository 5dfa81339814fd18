/**
 * IOS named ports, ICMP/IGMP message names and ToS/DSCP/precedence names (IOS CLI help output; see docs/sources.md, "Port names").
 */
import { PROTO, parseProtocol, portOpSet, type PortOp } from "../../model/ports.js";
import type { PortSet } from "../../model/types.js";
import { ParseError, type Cursor } from "../common/cursor.js";

/** IOS TCP port names (IOS CLI `permit tcp any any eq ?` help, as reproduced by Cisco NetAcad ENSA). `syslog` is an alias of `cmd` (514). */
export const IOS_TCP_PORTS: Readonly<Record<string, number>> = {
  bgp: 179,
  chargen: 19,
  cmd: 514,
  daytime: 13,
  discard: 9,
  domain: 53,
  drip: 3949,
  echo: 7,
  exec: 512,
  finger: 79,
  ftp: 21,
  "ftp-data": 20,
  gopher: 70,
  hostname: 101,
  ident: 113,
  irc: 194,
  klogin: 543,
  kshell: 544,
  login: 513,
  lpd: 515,
  msrpc: 135,
  nntp: 119,
  "onep-plain": 15001,
  "onep-tls": 15002,
  "pim-auto-rp": 496,
  pop2: 109,
  pop3: 110,
  smtp: 25,
  sunrpc: 111,
  syslog: 514,
  tacacs: 49,
  talk: 517,
  telnet: 23,
  time: 37,
  uucp: 540,
  whois: 43,
  www: 80,
};

/** IOS UDP port names (IOS CLI `ip forward-protocol udp ?` help). */
export const IOS_UDP_PORTS: Readonly<Record<string, number>> = {
  biff: 512,
  bootpc: 68,
  bootps: 67,
  discard: 9,
  dnsix: 195,
  domain: 53,
  echo: 7,
  isakmp: 500,
  "mobile-ip": 434,
  nameserver: 42,
  "netbios-dgm": 138,
  "netbios-ns": 137,
  "netbios-ss": 139,
  "non500-isakmp": 4500,
  ntp: 123,
  "pim-auto-rp": 496,
  rip: 520,
  ripv6: 521,
  snmp: 161,
  snmptrap: 162,
  sunrpc: 111,
  syslog: 514,
  tacacs: 49,
  talk: 517,
  tftp: 69,
  time: 37,
  who: 513,
  xdmcp: 177,
};

/**
 * IOS protocol keywords (Cisco IOS Security Command Reference, `permit`/`deny` (IP): ahp, eigrp,
 * esp, gre, icmp, igmp, igrp (12.x), ip, ipinip, nos, ospf, pcp, pim, tcp, udp; sctp on IOS-XE), or
 * a number 0-255. The ASA spellings (`ah`, `ipsec`, `pptp`, `icmp6`, `snp`) are not IOS keywords.
 */
const IOS_PROTOCOLS = new Set(["ahp", "eigrp", "esp", "gre", "icmp", "igmp", "igrp", "ip", "ipinip", "nos", "ospf", "pcp", "pim", "tcp", "udp", "sctp"]);

export function iosProtocol(tok: string): number | null {
  const t = tok.toLowerCase();
  if (!/^\d+$/.test(t) && !IOS_PROTOCOLS.has(t)) {
    if (t === "ah") throw new ParseError(`"ah" is the ASA name of protocol 51: IOS writes "ahp" (or 51)`);
    throw new ParseError(`unknown protocol "${tok}"`);
  }
  const p = parseProtocol(t);
  if (p === undefined) throw new ParseError(`protocol ${tok} is out of range 0-255`);
  return p;
}

function own<T>(table: Readonly<Record<string, T>>, k: string): T | undefined {
  return Object.hasOwn(table, k) ? table[k] : undefined;
}

/** Is `tok` a port number or a port name of either table (used to decide whether `eq` takes another port)? */
export function looksLikePort(tok: string | undefined): boolean {
  if (tok === undefined) return false;
  const t = tok.toLowerCase();
  return /^\d+$/.test(t) || own(IOS_TCP_PORTS, t) !== undefined || own(IOS_UDP_PORTS, t) !== undefined;
}

function protoLabel(protocol: number): string {
  return protocol === PROTO.TCP ? "tcp" : protocol === PROTO.UDP ? "udp" : protocol === PROTO.SCTP ? "sctp" : String(protocol);
}

/**
 * A port number or an IOS port name for `protocol` (6 tcp, 17 udp, 132 sctp: numbers only).
 * Throws a ParseError saying exactly what is wrong.
 */
export function parsePort(tok: string, protocol: number): number {
  const t = tok.toLowerCase();
  if (/^\d+$/.test(t)) {
    const n = Number(t);
    if (n > 65535) throw new ParseError(`port ${tok} out of range 0-65535`);
    return n;
  }
  const tcp = own(IOS_TCP_PORTS, t);
  const udp = own(IOS_UDP_PORTS, t);
  if (protocol === PROTO.TCP) {
    if (tcp !== undefined) return tcp;
    if (udp !== undefined) throw new ParseError(`port name "${tok}" is a UDP port name, not valid for tcp`);
  } else if (protocol === PROTO.UDP) {
    if (udp !== undefined) return udp;
    if (tcp !== undefined) throw new ParseError(`port name "${tok}" is a TCP port name, not valid for udp`);
  }
  throw new ParseError(`unknown port name "${tok}" for ${protoLabel(protocol)}`);
}

export const PORT_OPS: ReadonlySet<string> = new Set(["eq", "neq", "lt", "gt", "range"]);

/**
 * Optional `eq|neq|lt|gt|range` operator with its ports (cursor on the operator). `eq` and `neq`
 * take several ports; `lt`/`gt` are strict; `range` is inclusive (Cisco IOS Security Command Reference; "Named ACL Support for Noncontiguous Ports on an Access Control Entry").
 */
export function parsePortOp(cur: Cursor, protocol: number): PortSet | undefined {
  const op = cur.peekKw();
  if (op === undefined || !PORT_OPS.has(op)) return undefined;
  cur.skip();
  const ports: number[] = [];
  const one = (): number => parsePort(cur.next(`port after "${op}"`), protocol);
  if (op === "range") ports.push(one(), one());
  else if (op === "lt" || op === "gt") ports.push(one());
  else {
    ports.push(one());
    while (looksLikePort(cur.peek())) ports.push(one());
  }
  return portOpSet(op as PortOp, ports);
}

/** ICMP message names: type and, for the specific ones, code. */
export const ICMP_NAMES: Readonly<Record<string, { type: number; code?: number }>> = {
  "administratively-prohibited": { type: 3, code: 13 },
  "alternate-address": { type: 6 },
  "conversion-error": { type: 31 },
  "dod-host-prohibited": { type: 3, code: 10 },
  "dod-net-prohibited": { type: 3, code: 9 },
  echo: { type: 8 },
  "echo-reply": { type: 0 },
  "general-parameter-problem": { type: 12, code: 0 },
  "host-isolated": { type: 3, code: 8 },
  "host-precedence-unreachable": { type: 3, code: 14 },
  "host-redirect": { type: 5, code: 1 },
  "host-tos-redirect": { type: 5, code: 3 },
  "host-tos-unreachable": { type: 3, code: 12 },
  "host-unknown": { type: 3, code: 7 },
  "host-unreachable": { type: 3, code: 1 },
  "information-reply": { type: 16 },
  "information-request": { type: 15 },
  "mask-reply": { type: 18 },
  "mask-request": { type: 17 },
  "mobile-redirect": { type: 32 },
  "net-redirect": { type: 5, code: 0 },
  "net-tos-redirect": { type: 5, code: 2 },
  "net-tos-unreachable": { type: 3, code: 11 },
  "net-unreachable": { type: 3, code: 0 },
  "network-unknown": { type: 3, code: 6 },
  "no-room-for-option": { type: 12, code: 2 },
  "option-missing": { type: 12, code: 1 },
  "packet-too-big": { type: 3, code: 4 },
  "parameter-problem": { type: 12 },
  "port-unreachable": { type: 3, code: 3 },
  "precedence-unreachable": { type: 3, code: 15 },
  "protocol-unreachable": { type: 3, code: 2 },
  "reassembly-timeout": { type: 11, code: 1 },
  redirect: { type: 5 },
  "router-advertisement": { type: 9 },
  "router-solicitation": { type: 10 },
  "source-quench": { type: 4 },
  "source-route-failed": { type: 3, code: 5 },
  "time-exceeded": { type: 11 },
  "timestamp-reply": { type: 14 },
  "timestamp-request": { type: 13 },
  traceroute: { type: 30 },
  "ttl-exceeded": { type: 11, code: 0 },
  unreachable: { type: 3 },
};

export function icmpName(tok: string | undefined): { type: number; code?: number } | undefined {
  if (tok === undefined) return undefined;
  return own(ICMP_NAMES, tok.toLowerCase());
}

/**
 * ICMPv6 message names of IOS IPv6 ACLs (`permit icmp SRC DST NAME` in an `ipv6 access-list`;
 * Cisco IOS IPv6 Command Reference, `permit (IPv6)`), with the types and codes of RFC 4443
 * (errors, echo), RFC 2710 (MLD), RFC 4861 (neighbor discovery), RFC 2894 (router renumbering)
 * and RFC 6275 (mobile IPv6).
 */
export const ICMP6_NAMES: Readonly<Record<string, { type: number; code?: number }>> = {
  "beyond-scope": { type: 1, code: 2 },
  "destination-unreachable": { type: 1 },
  "dhaad-reply": { type: 145 },
  "dhaad-request": { type: 144 },
  "echo-reply": { type: 129 },
  "echo-request": { type: 128 },
  header: { type: 4, code: 0 },
  "hop-limit": { type: 3, code: 0 },
  "mld-query": { type: 130 },
  "mld-reduction": { type: 132 },
  "mld-report": { type: 131 },
  "mpd-advertisement": { type: 147 },
  "mpd-solicitation": { type: 146 },
  "nd-na": { type: 136 },
  "nd-ns": { type: 135 },
  "next-header": { type: 4, code: 1 },
  "no-admin": { type: 1, code: 1 },
  "no-route": { type: 1, code: 0 },
  "packet-too-big": { type: 2 },
  "parameter-option": { type: 4, code: 2 },
  "parameter-problem": { type: 4 },
  "port-unreachable": { type: 1, code: 4 },
  "reassembly-timeout": { type: 3, code: 1 },
  redirect: { type: 137 },
  "renum-command": { type: 138, code: 0 },
  "renum-result": { type: 138, code: 1 },
  "renum-seq-number": { type: 138, code: 255 },
  "router-advertisement": { type: 134 },
  "router-renumbering": { type: 138 },
  "router-solicitation": { type: 133 },
  "time-exceeded": { type: 3 },
  unreachable: { type: 1 },
};

export function icmp6Name(tok: string | undefined): { type: number; code?: number } | undefined {
  if (tok === undefined) return undefined;
  return own(ICMP6_NAMES, tok.toLowerCase());
}

/** IGMP message names in IOS ACLs (matching on them is not modelled). */
export const IGMP_NAMES: ReadonlySet<string> = new Set([
  "dvmrp",
  "host-query",
  "host-report",
  "mtrace-response",
  "mtrace-route",
  "pim",
  "trace",
  "v2-leave",
  "v2-report",
  "v3-report",
]);

export const DSCP_NAMES: Readonly<Record<string, number>> = {
  default: 0,
  cs1: 8,
  af11: 10,
  af12: 12,
  af13: 14,
  cs2: 16,
  af21: 18,
  af22: 20,
  af23: 22,
  cs3: 24,
  af31: 26,
  af32: 28,
  af33: 30,
  cs4: 32,
  af41: 34,
  af42: 36,
  af43: 38,
  cs5: 40,
  ef: 46,
  cs6: 48,
  cs7: 56,
};

export const PRECEDENCE_NAMES: Readonly<Record<string, number>> = {
  routine: 0,
  priority: 1,
  immediate: 2,
  flash: 3,
  "flash-override": 4,
  critical: 5,
  internet: 6,
  network: 7,
};

export const TOS_NAMES: Readonly<Record<string, number>> = {
  normal: 0,
  "min-monetary-cost": 1,
  "max-reliability": 2,
  "max-throughput": 4,
  "min-delay": 8,
};

/** `dscp|precedence|tos` value: number (within range) or name. */
export function parseTosValue(kind: "dscp" | "precedence" | "tos", tok: string): number {
  const t = tok.toLowerCase();
  const max = kind === "dscp" ? 63 : kind === "precedence" ? 7 : 15;
  if (/^\d+$/.test(t)) {
    const n = Number(t);
    if (n > max) throw new ParseError(`${kind} value ${tok} out of range 0-${max}`);
    return n;
  }
  const table = kind === "dscp" ? DSCP_NAMES : kind === "precedence" ? PRECEDENCE_NAMES : TOS_NAMES;
  const v = own(table, t);
  if (v === undefined) throw new ParseError(`unknown ${kind} name "${tok}"`);
  return v;
}
