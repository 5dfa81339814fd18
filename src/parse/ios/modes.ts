/**
 * IOS / IOS-XE command modes for the mode-aware reader (../common/reader.ts): which global
 * commands enter a mode, and which commands each mode has. Sources: Cisco IOS Configuration
 * Fundamentals Command Reference and Configuration Guide ("Cisco IOS CLI command modes"), the Cisco
 * IOS Security Command Reference (ACL, object-group, CBAC, zone-based firewall, crypto commands),
 * the Cisco IOS IP Addressing Services Command Reference (NAT, DHCP) and the interface command
 * references.
 *
 * The tables need not be complete: a command no table knows is placed by indentation. They must
 * know (1) every global command natlint models, so it leaves any mode whatever its indentation,
 * and (2) the interface commands whose first keyword is also a global command (`ip …`, `logging
 * event`, `cdp enable`, `service instance`, `crypto map NAME`, `clock rate`, …), so an
 * unindented interface body is not cut short.
 */
import { TEXT_UNTIL_QUIT, UNKNOWN_MODE, isIpv4, simpleMode, type Grammar, type Mode, type Verdict } from "../common/reader.js";
import { INTERFACE, ifaceIp } from "./modes-interface.js";

export { INTERFACE };

const open = (id: string, words: readonly string[] = [], children?: Record<string, Mode | ((k: readonly string[]) => Mode | Verdict)>): Mode =>
  simpleMode(id, words, children ? { children } : {});

// ---------------------------------------------------------------- modes natlint parses

const ACE_WORDS = ["permit", "deny", "remark", "evaluate", "dynamic", "statistics", "sequence"];
/** `ip access-list standard|extended NAME`: entries, remarks, sequence numbers. */
export const ACL: Mode = simpleMode("acl", ACE_WORDS, { closed: true, also: (k) => (/^\d+$/.test(k[0]!) ? "yes" : "unknown") });
/** MAC, ARP and role-based access lists (and IPv6 ones in EOS syntax): read (so their entries are not stray), not modelled. */
export const OTHER_ACL: Mode = simpleMode("other-acl", ACE_WORDS, { closed: true, also: (k) => (/^\d+$/.test(k[0]!) ? "yes" : "unknown") });

const PROTOCOL_WORDS = ["tcp", "udp", "tcp-udp", "icmp", "igmp", "igrp", "ipinip", "gre", "esp", "ahp", "eigrp", "ospf", "nos", "pim", "pcp", "sctp"];
/** `object-group network|service|protocol|fqdn|security NAME`. */
export const OBJECT_GROUP: Mode = simpleMode(
  "object-group",
  ["host", "range", "any", "group-object", "network-object", "protocol-object", "description", "include", "exclude", "security-group", "sgt", ...PROTOCOL_WORDS],
  { closed: true, also: (k) => (isIpv4(k[0]) || /^\d+$/.test(k[0]!) || k[0]!.includes("/") || (k[0] === "ip" && k.length === 1) ? "yes" : "unknown") },
);
/** The multi-line `ip nat pool NAME netmask M` form: `address START END`. */
export const NAT_POOL: Mode = simpleMode("nat-pool", ["address", "type"], { closed: true });
export const TIME_RANGE: Mode = simpleMode("time-range", ["absolute", "periodic"], { closed: true });

// ---------------------------------------------------------------- modes read for the features natlint reports

const PCLASS: Mode = simpleMode("policy-class", [], { also: (k) => (k[0] === "class" ? "no" : "unknown") });
/** `class type inspect C` inside `policy-map type inspect P`: inspect | pass | drop. */
export const INSPECT_CLASS: Mode = simpleMode("inspect-class", ["inspect", "pass", "drop", "police", "log", "urlfilter", "service-policy"], { also: (k) => (k[0] === "class" ? "no" : "unknown") });
export const POLICY_MAP: Mode = open("policy-map", ["description"], { class: (k) => (k.includes("inspect") && k[1] === "type" ? INSPECT_CLASS : PCLASS) });
export const INSPECT_POLICY_MAP: Mode = open("inspect-policy-map", ["description"], { class: () => INSPECT_CLASS });
export const CLASS_MAP: Mode = open("class-map", ["match", "description"]);
export const ZONE: Mode = open("zone", ["description"]);
export const ZONE_PAIR: Mode = open("zone-pair", ["service-policy", "description"]);
export const CRYPTO_MAP: Mode = open("crypto-map", ["set", "match", "reverse-route", "description", "qos", "dialer", "default"]);
const CERT_CHAIN: Mode = open("cert-chain", [], { certificate: TEXT_UNTIL_QUIT });
const PUBKEY_KEY: Mode = open("pubkey-key", ["address"], { "key-string": TEXT_UNTIL_QUIT });
const PUBKEY_CHAIN: Mode = open("pubkey-chain", [], { "named-key": PUBKEY_KEY, "addressed-key": PUBKEY_KEY });
const SSH_USER: Mode = open("ssh-pubkey-user", ["key-hash"], { "key-string": TEXT_UNTIL_QUIT });
const SSH_PUBKEY: Mode = open("ssh-pubkey", [], { username: SSH_USER, server: SSH_USER });
const ADDRESS_FAMILY: Mode = open("address-family");
const ROUTER: Mode = open("router", [], { "address-family": ADDRESS_FAMILY, "af-interface": ADDRESS_FAMILY, topology: ADDRESS_FAMILY, "service-family": ADDRESS_FAMILY });
const LINE: Mode = open("line", [
  "access-class", "logging", "login", "password", "transport", "exec-timeout", "privilege", "session-timeout", "stopbits",
  "speed", "flowcontrol", "exec", "history", "length", "width", "ipv6", "motd-banner", "exec-banner", "autocommand",
  "rotary", "modem", "absolute-timeout", "activation-character", "location", "authorization", "accounting", "databits",
  "parity", "terminal-type", "vacant-message", "notify", "international", "escape-character", "autoselect", "no",
  "session-limit", "lockable", "refuse-message", "disconnect-character", "telnet", "timeout", "data-character-bits",
]);
const KEY_CHAIN: Mode = open("key-chain", ["description"], { key: open("key", ["key-string", "accept-lifetime", "send-lifetime", "cryptographic-algorithm"]) });
const GENERIC = (id: string): Mode => open(id);
const IKEV2_KEYRING: Mode = open("ikev2-keyring", [], { peer: open("ikev2-peer", ["address", "pre-shared-key", "identity", "hostname", "description"]) });
const ARCHIVE: Mode = open("archive", ["path", "write-memory", "maximum", "time-period"], { log: open("archive-log") });
const CALL_HOME: Mode = open("call-home", [], { profile: open("call-home-profile") });
const VRF_DEF: Mode = open("vrf", ["rd", "route-target", "description", "vnet"], { "address-family": ADDRESS_FAMILY });
const POLICY_CONTROL: Mode = GENERIC("policy-control");

function cryptoGlobal(k: readonly string[]): Mode | Verdict {
  const w1 = k[1];
  const w2 = k[2];
  switch (w1) {
    case "map":
      if (k.length >= 4 && /^\d+$/.test(k[3]!)) return k.includes("dynamic") ? "yes" : CRYPTO_MAP;
      return "yes";
    case "dynamic-map":
      return k.length >= 4 ? CRYPTO_MAP : "yes";
    case "isakmp":
      if (w2 === "policy" || w2 === "profile" || w2 === "peer" || (w2 === "client" && k[3] === "configuration")) return GENERIC("crypto-isakmp");
      return "yes";
    case "ipsec":
      if (w2 === "transform-set" || w2 === "profile" || (w2 === "client" && k[3] === "ezvpn")) return GENERIC("crypto-ipsec");
      return "yes";
    case "ikev2":
      if (w2 === "keyring") return IKEV2_KEYRING;
      if (["proposal", "policy", "profile", "authorization", "client", "cluster", "redirect", "name-mangler"].includes(w2 ?? "")) return GENERIC("crypto-ikev2");
      return "yes";
    case "keyring":
      return GENERIC("crypto-keyring");
    case "pki":
    case "ca":
      if (w2 === "certificate" && k[3] === "chain") return CERT_CHAIN;
      if (w2 === "trustpoint" || w2 === "server" || w2 === "profile" || w2 === "trustpool" || (w2 === "certificate" && k[3] === "map")) return GENERIC("crypto-pki");
      return "yes";
    case "key":
      return w2 === "pubkey-chain" ? PUBKEY_CHAIN : "yes";
    case "gdoi":
    case "gkm":
      return GENERIC("crypto-gdoi");
    default:
      return "yes";
  }
}

/** Global `ip nat …` commands (interface mode has `ip nat inside|outside|enable`). */
function ipNatGlobal(k: readonly string[]): Mode | Verdict {
  const w2 = k[2];
  if (w2 === "inside" || w2 === "outside") return k.length >= 4 ? "yes" : "unknown";
  if (w2 === "pool") return k[4] === "netmask" || k[4] === "prefix-length" ? NAT_POOL : "yes";
  if (w2 === "enable") return "unknown";
  return w2 === undefined ? "unknown" : "yes";
}

/**
 * Second keywords of the global `ip …` commands. Only these are known globally: an `ip …` line no
 * table has (`ip mfib forwarding input`, an interface command) must not take a flat interface
 * body out of its interface, so it is placed by indentation.
 */
const GLOBAL_IP = new Set([
  "route", "domain", "domain-name", "domain-lookup", "domain-list", "name-server", "host", "hosts", "http", "ssh", "scp",
  "cef", "classless", "subnet-zero", "forward-protocol", "default-gateway", "default-network", "finger", "bootp",
  "source-route", "gratuitous-arps", "icmp", "options", "multicast-routing", "msdp", "prefix-list", "as-path",
  "community-list", "extcommunity-list", "local", "device", "flow-export", "flow-cache", "accounting-threshold",
  "accounting-list", "accounting-transits", "mobile", "routing", "reflexive-list", "telnet", "tftp", "ftp", "rcmd",
  "radius", "tacacs", "port-map", "urlfilter", "dns", "bgp-community", "identd", "rtcp", "slb", "alias", "mroute",
  "multicast", "trigger-authentication", "dhcp-server", "ospf", "sla", "vrf", "arp", "igmp", "wccp", "pim", "nbar",
  "tcp", "inspect", "ips", "audit", "admission", "auth-proxy", "flow", "dhcp", "nat", "access-list", "explicit-path",
  "flow-top-talkers", "ssh", "name", "igmp", "source-interface", "sdee", "host-list", "authentication",
]);

function ipGlobal(k: readonly string[]): Mode | Verdict {
  const w1 = k[1];
  const w2 = k[2];
  switch (w1) {
    case undefined:
      return "unknown";
    case "access-list":
      if (w2 === "standard" || w2 === "extended") return ACL;
      if (w2 === "role-based") return OTHER_ACL;
      if (w2 === "resequence" || w2 === "logging" || w2 === "log-update" || w2 === "persistent" || w2 === "helper" || w2 === "match-local-traffic") return "yes";
      if (w2 === "fqdn") return "yes";
      return k.length === 3 ? ACL : "yes";
    case "nat":
      return ipNatGlobal(k);
    case "vrf":
      return w2 === "forwarding" || w2 === "receive" ? "unknown" : GENERIC("ip-vrf");
    case "dhcp":
      if (w2 === "pool") return GENERIC("dhcp-pool");
      return ifaceIp(k) ? "unknown" : "yes";
    case "sla":
      return w2 === "responder" || w2 === "schedule" || w2 === "reaction-configuration" || w2 === "enable" || w2 === "logging" ? "yes" : GENERIC("ip-sla");
    case "explicit-path":
      return GENERIC("explicit-path");
    case "ssh":
      return w2 === "pubkey-chain" ? SSH_PUBKEY : "yes";
    case "flow-top-talkers":
      return GENERIC("flow-top-talkers");
    case "ips":
      if (w2 === "signature-category" || w2 === "event-action-rules") return GENERIC("ips-config");
      return ifaceIp(k) ? "unknown" : "yes";
    case "inspect":
    case "audit":
    case "admission":
    case "auth-proxy":
    case "wccp":
    case "pim":
    case "igmp":
    case "flow":
    case "nbar":
    case "tcp":
    case "arp":
      return ifaceIp(k) ? "unknown" : "yes";
    default:
      return GLOBAL_IP.has(w1) ? "yes" : "unknown";
  }
}

function ipv6Global(k: readonly string[]): Mode | Verdict {
  const w1 = k[1];
  if (w1 === "access-list") {
    // `ipv6 access-list NAME` (IOS); `… standard|extended NAME` is EOS syntax; the rest are settings
    if (k.length === 3 && k[2] !== "log-update" && k[2] !== "cache") return ACL;
    return k[2] === "standard" || k[2] === "extended" ? OTHER_ACL : "yes";
  }
  if (w1 === "dhcp" && k[2] === "pool") return GENERIC("ipv6-dhcp-pool");
  if (w1 === "router") return ROUTER;
  if (w1 === "prefix-list" || w1 === "route" || w1 === "unicast-routing" || w1 === "cef" || w1 === "general-prefix" || w1 === "local" || w1 === "host" || w1 === "icmp" || w1 === "source-route" || w1 === "multicast-routing" || w1 === "hop-limit" || w1 === "neighbor") return "yes";
  return "unknown";
}

/** Global commands that take no sub-mode (and are not interface commands). */
const GLOBAL_WORDS = new Set([
  "hostname", "version", "access-list", "alias", "boot", "boot-start-marker", "boot-end-marker", "building", "current",
  "card", "chat-script", "config-register", "diagnostic", "dialer-list", "enable", "errdisable", "exception", "file",
  "hw-module", "license", "memory-size", "memory", "menu", "monitor", "multilink", "netconf-yang", "restconf", "ntp",
  "parser", "platform", "port-channel", "privilege", "process-max-time", "radius-server", "rmon", "scheduler", "secure",
  "security", "service", "snmp-server", "snmp", "system", "tacacs-server", "tftp-server", "udld", "upgrade", "username",
  "vtp", "warm-reboot", "wsma", "logging", "login", "cdp", "lldp", "clock", "mls", "mpls", "spanning-tree", "power",
  "dot1x", "authentication", "ccm-manager", "mgcp", "sccp", "stcapp", "energywise", "auto", "qos", "vstack", "ptp",
  "fhrp", "bfd", "cts", "ethernet", "nat64", "lacp", "banner", "macro", "aaa", "radius", "tacacs", "ldap", "dot11",
  "event", "device-tracking", "archive", "call-home", "control-plane", "redundancy", "vlan", "track", "key", "vrf",
  "router", "line", "class-map", "policy-map", "zone", "zone-pair", "parameter-map", "route-map", "time-range",
  "object-group", "interface", "mac", "flow", "template", "controller", "voice", "voice-card", "voice-port",
  "dial-peer", "telephony-service", "ephone", "ephone-dn", "sip-ua", "gatekeeper", "gateway", "application", "dspfarm",
  "vpdn", "vpdn-group", "bba-group", "l2tp-class", "pseudowire-class", "service-template", "subscriber", "table-map",
  "kron", "transceiver", "stackwise-virtual", "alarm-profile", "bfd-template", "webvpn", "performance", "l2vpn",
  "bridge", "ipc", "username", "crypto", "ip", "ipv6", "bridge-domain", "segment-routing", "srr-queue", "wism",
  "alarm", "do", "write", "mka", "configure", "conf",
]);

/** Global commands that enter a mode natlint does not parse (its lines are only mentions). */
const GLOBAL_MODES = new Set([
  "router", "line", "class-map", "parameter-map", "route-map", "track", "control-plane", "redundancy", "template",
  "controller", "voice", "voice-card", "voice-port", "dial-peer", "telephony-service", "ephone", "ephone-dn", "sip-ua",
  "gatekeeper", "gateway", "application", "dspfarm", "vpdn-group", "bba-group", "l2tp-class", "pseudowire-class",
  "service-template", "table-map", "kron", "transceiver", "stackwise-virtual", "alarm-profile", "bfd-template", "webvpn",
  "flow", "l2vpn", "bridge-domain", "segment-routing",
]);

function globalCmd(k: readonly string[]): Mode | Verdict {
  const w = k[0]!;
  const w1 = k[1];
  switch (w) {
    case "interface":
      return w1 === undefined ? "unknown" : INTERFACE;
    case "ip":
      return ipGlobal(k);
    case "ipv6":
      return ipv6Global(k);
    case "mac":
    case "arp":
      return w1 === "access-list" ? OTHER_ACL : "yes";
    case "object-group":
      return w1 === undefined ? "unknown" : OBJECT_GROUP;
    case "time-range":
      return w1 === undefined ? "unknown" : TIME_RANGE;
    case "policy-map":
      if (w1 === "type" && k[2] === "inspect") return INSPECT_POLICY_MAP;
      if (w1 === "type" && k[2] === "control") return POLICY_CONTROL;
      return POLICY_MAP;
    case "class-map":
      return CLASS_MAP;
    case "zone":
      return w1 === "security" ? ZONE : "yes";
    case "zone-pair":
      return ZONE_PAIR;
    case "crypto":
      return cryptoGlobal(k);
    case "router":
      return ROUTER;
    case "line":
      return LINE;
    case "key":
      return w1 === "chain" ? KEY_CHAIN : "yes";
    case "vrf":
      return w1 === "definition" ? VRF_DEF : "yes";
    case "vlan":
      return w1 !== undefined && (/^\d/.test(w1) || w1 === "access-map" || w1 === "configuration" || w1 === "group") && k[1] !== "internal" ? GENERIC("vlan") : "yes";
    case "archive":
      return ARCHIVE;
    case "call-home":
      return CALL_HOME;
    case "aaa":
      return (w1 === "group" && k[2] === "server") || (w1 === "server" && k[2] === "radius") || w1 === "attribute" ? GENERIC("aaa-group") : "yes";
    case "radius":
    case "tacacs":
    case "ldap":
      return w1 === "server" || w1 === "attribute" ? GENERIC("aaa-server") : "yes";
    case "event":
      return w1 === "manager" && (k[2] === "applet" || k[2] === "policy") ? GENERIC("eem-applet") : "yes";
    case "spanning-tree":
      return w1 === "mst" && k[2] === "configuration" ? GENERIC("mst") : "yes";
    case "device-tracking":
      return w1 === "policy" ? GENERIC("device-tracking") : "yes";
    case "dot11":
      return w1 === "ssid" ? GENERIC("dot11-ssid") : "yes";
    case "monitor":
      return w1 === "session" && k.includes("type") ? GENERIC("monitor") : "yes";
    case "ethernet":
      return w1 === "cfm" && (k[2] === "domain" || k[2] === "service") ? GENERIC("cfm") : "yes";
    case "performance":
      return GENERIC("performance");
    case "mka":
      return w1 === "policy" ? GENERIC("mka-policy") : "yes";
    case "service":
      return "yes";
  }
  if (GLOBAL_MODES.has(w)) return GENERIC(w);
  return GLOBAL_WORDS.has(w) ? "yes" : "unknown";
}

const BANNER_TYPES = new Set(["motd", "login", "exec", "incoming", "slip-ppp", "prompt-timeout", "config-save"]);

/** `banner TYPE DELIM…` continues on the next lines up to its closing delimiter; `macro name X` up to `@`. */
function textBlock(trimmed: string, k: readonly string[]): ((line: string) => boolean) | undefined {
  if (k[0] === "macro" && k[1] === "name") return (l) => l === "@";
  if (k[0] !== "banner") return undefined;
  let rest = trimmed.replace(/^banner\s*/i, "");
  const t = /^(\S+)\s*([\s\S]*)$/.exec(rest);
  if (t && BANNER_TYPES.has(t[1]!.toLowerCase())) rest = t[2]!;
  if (rest === "") return undefined;
  const delim = rest.startsWith("^C") ? "^C" : rest[0]!;
  if (rest.slice(delim.length).includes(delim)) return undefined;
  return (l) => l.includes(delim);
}

/** `t` is an abbreviation of `word` at least `min` characters long. */
function abbrev(t: string | undefined, word: string, min: number): boolean {
  return t !== undefined && t.length >= min && t.length < word.length && word.startsWith(t.toLowerCase());
}

/**
 * The abbreviations hand-written lab configs use for the commands natlint models (`int e0/1`,
 * `no shut`, `desc …`, `ip add …`, `ip nat ins`); the CLI accepts any unambiguous prefix of a
 * keyword (Cisco IOS Configuration Fundamentals, "Using the Cisco IOS Command-Line Interface":
 * abbreviated commands), and prints the full keyword in the running-config.
 */
function expand(toks: string[]): string[] {
  const first = toks[0]!.toLowerCase();
  const i = first === "no" ? 1 : 0;
  const w = toks[i];
  if (w === undefined || !/^(?:int|shu|des|ip$)/i.test(w)) return toks;
  const out = [...toks];
  if (abbrev(w, "interface", 3)) out[i] = "interface";
  else if (abbrev(w, "shutdown", 4)) out[i] = "shutdown";
  else if (abbrev(w, "description", 4)) out[i] = "description";
  else if (w?.toLowerCase() === "ip") {
    if (abbrev(out[i + 1], "address", 3)) out[i + 1] = "address";
    else if (out[i + 1]?.toLowerCase() === "nat") {
      if (abbrev(out[i + 2], "inside", 3)) out[i + 2] = "inside";
      else if (abbrev(out[i + 2], "outside", 3)) out[i + 2] = "outside";
    } else if (abbrev(out[i + 1], "access-group", 8)) out[i + 1] = "access-group";
  }
  return out;
}

/** Global one-liners no mode has: they leave any mode, however indented (see `Grammar.decisive`). */
const DECISIVE = new Set(["access-list", "hostname", "version", "banner", "boot", "boot-start-marker", "boot-end-marker", "enable", "username", "aaa", "snmp-server", "tacacs-server", "radius-server", "building", "current", "end", "config-register", "alias", "privilege", "scheduler"]);
const DECISIVE_IP = new Set(["nat", "access-list", "route", "dhcp", "inspect", "domain", "domain-name", "domain-lookup", "name-server", "http", "ssh", "scp", "classless", "subnet-zero", "host", "forward-protocol", "default-gateway", "prefix-list", "community-list", "as-path", "sla", "local", "flow-export", "multicast-routing", "routing"]);

function decisive(k: readonly string[]): boolean {
  if (k[0] === "ip") return DECISIVE_IP.has(k[1] ?? "");
  return DECISIVE.has(k[0]!);
}

export const IOS_GRAMMAR: Grammar = {
  global: globalCmd,
  comment: (t) => t.startsWith("!"),
  textBlock,
  expand,
  decisive,
};

export { UNKNOWN_MODE };
