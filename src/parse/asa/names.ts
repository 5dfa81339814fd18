/**
 * ASA keyword tables: port names (separate TCP and UDP tables), ICMP type names, protocol names
 * that only ASA knows, syslog levels. Checked entry by entry against the Cisco ASA General
 * Operations CLI Configuration Guide (9.x), appendix "Addresses, Protocols, and Ports": tables
 * "Protocols and Applications", "Port Literal Values" (TCP and UDP ports) and "ICMP Types"; the
 * FWSM 2.3 command reference ("Port and Protocol Values") for the older names. natlint accepts the
 * names of every version (vxlan is 9.4+).
 */
import { parseProtocol } from "../../model/ports.js";

/** ASA TCP port names. 514 is both `cmd` ("similar to exec except that cmd has automatic authentication") and `rsh`; the running-config prints `rsh`. */
export const ASA_TCP_PORTS: ReadonlyMap<string, number> = new Map([
  ["aol", 5190],
  ["bgp", 179],
  ["chargen", 19],
  ["cifs", 3020],
  ["citrix-ica", 1494],
  ["cmd", 514],
  ["ctiqbe", 2748],
  ["daytime", 13],
  ["discard", 9],
  ["domain", 53],
  ["echo", 7],
  ["exec", 512],
  ["finger", 79],
  ["ftp", 21],
  ["ftp-data", 20],
  ["gopher", 70],
  ["h323", 1720],
  ["hostname", 101],
  ["http", 80],
  ["www", 80],
  ["https", 443],
  ["ident", 113],
  ["imap4", 143],
  ["irc", 194],
  ["kerberos", 750],
  ["klogin", 543],
  ["kshell", 544],
  ["ldap", 389],
  ["ldaps", 636],
  ["login", 513],
  ["lotusnotes", 1352],
  ["lpd", 515],
  ["netbios-ssn", 139],
  ["nfs", 2049],
  ["nntp", 119],
  ["pcanywhere-data", 5631],
  ["pim-auto-rp", 496],
  ["pop2", 109],
  ["pop3", 110],
  ["pptp", 1723],
  ["rsh", 514],
  ["rtsp", 554],
  ["sip", 5060],
  ["smtp", 25],
  ["sqlnet", 1521],
  ["ssh", 22],
  ["sunrpc", 111],
  ["tacacs", 49],
  ["talk", 517],
  ["telnet", 23],
  ["uucp", 540],
  ["whois", 43],
]);

/**
 * ASA UDP port names (same table). `isakmp` is 500; there is no `non500-isakmp` on ASA.
 * Gotchas: radius 1645 / radius-acct 1646 (not 1812/1813), kerberos 750.
 */
export const ASA_UDP_PORTS: ReadonlyMap<string, number> = new Map([
  ["biff", 512],
  ["bootpc", 68],
  ["bootps", 67],
  ["cifs", 3020],
  ["discard", 9],
  ["dnsix", 195],
  ["domain", 53],
  ["echo", 7],
  ["http", 80],
  ["www", 80],
  ["isakmp", 500],
  ["kerberos", 750],
  ["mobile-ip", 434],
  ["nameserver", 42],
  ["netbios-dgm", 138],
  ["netbios-ns", 137],
  ["nfs", 2049],
  ["ntp", 123],
  ["pcanywhere-status", 5632],
  ["pim-auto-rp", 496],
  ["radius", 1645],
  ["radius-acct", 1646],
  ["rip", 520],
  ["secureid-udp", 5510],
  ["sip", 5060],
  ["snmp", 161],
  ["snmptrap", 162],
  ["sunrpc", 111],
  ["syslog", 514],
  ["tacacs", 49],
  ["talk", 517],
  ["tftp", 69],
  ["time", 37],
  ["vxlan", 4789],
  ["who", 513],
  ["xdmcp", 177],
]);

/** Which name table a port token is looked up in. `tcp-udp`: a name from either table. */
export type PortTable = "tcp" | "udp" | "tcp-udp";

/** Port token (number or name) → number; undefined when it is neither. */
export function asaPort(tok: string, table: PortTable): number | undefined {
  if (/^\d+$/.test(tok)) {
    const n = Number(tok);
    return n <= 65535 ? n : undefined;
  }
  const t = tok.toLowerCase();
  if (table === "tcp") return ASA_TCP_PORTS.get(t);
  if (table === "udp") return ASA_UDP_PORTS.get(t);
  return ASA_TCP_PORTS.get(t) ?? ASA_UDP_PORTS.get(t);
}

/** ICMP (IPv4) type names accepted by ASA ACLs, `icmp-object` and `service icmp`. */
export const ASA_ICMP_TYPES: ReadonlyMap<string, number> = new Map([
  ["echo-reply", 0],
  ["unreachable", 3],
  ["source-quench", 4],
  ["redirect", 5],
  ["alternate-address", 6],
  ["echo", 8],
  ["router-advertisement", 9],
  ["router-solicitation", 10],
  ["time-exceeded", 11],
  ["parameter-problem", 12],
  ["timestamp-request", 13],
  ["timestamp-reply", 14],
  ["information-request", 15],
  ["information-reply", 16],
  ["mask-request", 17],
  ["mask-reply", 18],
  ["traceroute", 30],
  ["conversion-error", 31],
  ["mobile-redirect", 32],
]);

/** ICMPv6 type names (`icmp6`); only parsed so the line is understood — IPv6 is not modelled. */
export const ASA_ICMP6_TYPES: ReadonlyMap<string, number> = new Map([
  ["unreachable", 1],
  ["packet-too-big", 2],
  ["time-exceeded", 3],
  ["parameter-problem", 4],
  ["echo", 128],
  ["echo-reply", 129],
  ["membership-query", 130],
  ["membership-report", 131],
  ["membership-reduction", 132],
  ["router-solicitation", 133],
  ["router-advertisement", 134],
  ["neighbor-solicitation", 135],
  ["neighbor-advertisement", 136],
  ["neighbor-redirect", 137],
  ["router-renumbering", 138],
]);

/** ICMP type token (name or 0..255) for protocol 1 or 58; undefined when not a type. */
export function icmpType(tok: string, protocol: number): number | undefined {
  if (/^\d+$/.test(tok)) {
    const n = Number(tok);
    return n <= 255 ? n : undefined;
  }
  return (protocol === 58 ? ASA_ICMP6_TYPES : ASA_ICMP_TYPES).get(tok.toLowerCase());
}

/** ASA protocol keyword → number (`ip` → null). Adds the ASA aliases `ipsec` (esp) and `pptp` (gre). */
export function asaProtocol(tok: string | undefined): number | null | undefined {
  if (tok === undefined) return undefined;
  const t = tok.toLowerCase();
  if (t === "ahp") return undefined; // the IOS spelling; ASA writes "ah"
  if (t === "ipsec") return 50;
  if (t === "pptp") return 47;
  return parseProtocol(t);
}

/** Syslog levels accepted after `log`. */
export const LOG_LEVELS: ReadonlySet<string> = new Set([
  "emergencies",
  "alerts",
  "critical",
  "errors",
  "warnings",
  "notifications",
  "informational",
  "debugging",
]);

export const PORT_OPS: ReadonlySet<string> = new Set(["eq", "neq", "lt", "gt", "range"]);
