/**
 * ASA (and PIX / FWSM) command modes for the mode-aware reader (../common/reader.ts). Sources:
 * Cisco ASA Series Command Reference (per command: "Command Modes"), Cisco ASA General
 * Operations CLI Configuration Guide ("Using the CLI": command modes and prompts), Cisco ASA
 * Firewall and VPN CLI Configuration Guides (objects, NAT, service policies, crypto).
 *
 * Almost every ASA command that natlint models is global (`access-list`, `access-group`, `nat`,
 * `route`, `crypto map NAME SEQ …`); the modes it parses are `interface`, `object`,
 * `object-group`, `time-range`, and, for the features it reports, `policy-map`/`class` and
 * `group-policy … attributes`. An object's `nat (real,mapped) static|dynamic …` is an object
 * sub-command; `nat (real,mapped) [after-auto] source …` is global twice NAT.
 */
import { TEXT_UNTIL_QUIT, isIpv4, simpleMode, type Grammar, type Mode, type Verdict } from "../common/reader.js";

const open = (id: string, words: readonly string[] = [], children?: Record<string, Mode | ((k: readonly string[]) => Mode | Verdict)>): Mode =>
  simpleMode(id, words, children ? { children } : {});

const IFACE_WORDS = new Set([
  "nameif", "security-level", "shutdown", "description", "speed", "duplex", "vlan", "management-only", "channel-group",
  "lacp", "member-interface", "pppoe", "mac-address", "delay", "ospf", "authentication", "igmp", "pim", "multicast",
  "flowcontrol", "nve-only", "vni", "zone-member", "ddns", "dhcp", "dhcprelay", "policy-route", "bfd", "power",
  "switchport", "forward", "ipv6", "eigrp", "rip", "security-group", "cts", "port-channel", "media-type", "bridge-group",
  "redundant", "load-interval", "hello-interval", "hold-time", "split-horizon", "summary-address", "isis", "nat", "no",
]);

/**
 * `ipv6 …` commands that exist only in global configuration mode (Cisco ASA Series Command
 * Reference: `ipv6 access-list`, `ipv6 route`, `ipv6 icmp`, `ipv6 local pool`, `ipv6 router`,
 * `ipv6 prefix-list`, `ipv6 unicast-routing`, `ipv6 neighbor`): after `interface X` they leave
 * the interface even when written without indentation, as on the CLI.
 */
const GLOBAL_IPV6 = new Set(["access-list", "route", "icmp", "local", "router", "prefix-list", "unicast-routing", "neighbor"]);

function ifaceSub(k: readonly string[]): Verdict {
  const w = k[0]!;
  if (w === "ipv6" && GLOBAL_IPV6.has(k[1] ?? "")) return "no";
  // PIX 6 has the global forms `nameif HW NAME securityN` and `ip address NAMEIF A M`
  if (w === "ip") return k[1] === "address" && (isIpv4(k[2]) || k[2] === "dhcp" || k[2] === "pppoe") ? "yes" : "unknown";
  if (w === "nameif") return k.length === 2 ? "yes" : "unknown";
  if (w === "mtu") return k.length === 2 ? "yes" : "unknown";
  if (w === "nat") return "unknown";
  return IFACE_WORDS.has(w) ? "yes" : "unknown";
}
export const INTERFACE: Mode = { id: "interface", sub: ifaceSub };

/** `nat [(real,mapped)] static|dynamic …` inside `object network` (twice NAT has `source` instead). */
function objectNat(k: readonly string[]): boolean {
  const i = /^\(.*\)$/.test(k[1] ?? "") ? 2 : 1;
  return k[i] === "static" || k[i] === "dynamic";
}

export const OBJECT_NETWORK: Mode = simpleMode("object", ["host", "subnet", "range", "fqdn", "description"], {
  closed: true,
  also: (k) => (k[0] === "nat" && objectNat(k) ? "yes" : "unknown"),
});
export const OBJECT_SERVICE: Mode = simpleMode("object", ["service", "description"], { closed: true });
export const OBJECT_OTHER: Mode = simpleMode("object", ["description", "user", "user-group", "security-group", "host", "subnet", "range", "fqdn"], { closed: true });
export const OBJECT_GROUP: Mode = simpleMode(
  "object-group",
  ["network-object", "port-object", "service-object", "protocol-object", "icmp-object", "group-object", "description", "user", "user-group", "security-group"],
  { closed: true },
);
export const TIME_RANGE: Mode = simpleMode("time-range", ["absolute", "periodic"], { closed: true });

/** `class NAME` inside a policy-map: the actions on that class (`inspect ftp`, `set connection …`). */
export const POLICY_CLASS: Mode = simpleMode("policy-class", ["inspect", "set", "police", "priority", "shape", "user-statistics", "ips", "csc", "flow-export", "sfr", "cxsc", "quality-of-service"], {
  // `service-policy CHILD` nests a policy; `service-policy NAME global|interface IF` is global
  also: (k) => (k[0] === "class" || k[0] === "parameters" ? "no" : k[0] === "service-policy" && k.length === 2 ? "yes" : "unknown"),
});
const PARAMETERS: Mode = simpleMode("policy-parameters", [], { also: (k) => (k[0] === "class" || k[0] === "match" ? "no" : "unknown") });
const MATCH_ACTIONS: Mode = simpleMode("policy-match", ["drop-connection", "drop", "reset", "log", "mask", "rate-limit"], { also: (k) => (k[0] === "class" || k[0] === "match" || k[0] === "parameters" ? "no" : "unknown") });
export const POLICY_MAP: Mode = open("policy-map", ["description"], { class: POLICY_CLASS, parameters: PARAMETERS, match: MATCH_ACTIONS });
const CLASS_MAP: Mode = open("class-map", ["match", "description"]);
const CERT_CHAIN: Mode = open("cert-chain", [], { certificate: TEXT_UNTIL_QUIT });
const WEBVPN: Mode = open("webvpn");
export const GROUP_POLICY: Mode = open("group-policy", ["vpn-filter", "split-tunnel-policy", "split-tunnel-network-list", "vpn-tunnel-protocol", "dns-server", "default-domain", "address-pools", "banner", "wins-server"], { webvpn: WEBVPN });
const GENERIC = (id: string): Mode => open(id);
const ROUTER: Mode = open("router", [], { "address-family": GENERIC("address-family") });
const DNS_GROUP: Mode = open("dns-server-group", ["name-server", "domain-name", "timeout", "retries", "expire-entry-timer", "poll-timer"]);
const CALL_HOME: Mode = open("call-home", [], { profile: GENERIC("call-home-profile") });

function cryptoGlobal(k: readonly string[]): Mode | Verdict {
  const w1 = k[1];
  const w2 = k[2];
  if ((w1 === "ikev1" || w1 === "ikev2" || w1 === "isakmp") && w2 === "policy") return k.length === 4 ? GENERIC("crypto-policy") : "yes";
  if (w1 === "ipsec" && ((w2 === "ikev2" && k[3] === "ipsec-proposal") || w2 === "profile")) return GENERIC("crypto-ipsec");
  if (w1 === "ca") {
    if (w2 === "certificate" && k[3] === "chain") return CERT_CHAIN;
    if (w2 === "trustpoint" || w2 === "trustpool" || (w2 === "certificate" && k[3] === "map") || w2 === "server" || w2 === "profile") return GENERIC("crypto-ca");
  }
  return "yes";
}

/** Global commands without a sub-mode. */
const GLOBAL_WORDS = new Set([
  "asa", "pix", "fwsm", "ngfw", "hostname", "domain-name", "enable", "passwd", "names", "name", "access-list",
  "access-group", "nat", "global", "static", "route", "same-security-traffic", "pager", "logging", "mtu", "icmp", "asdm",
  "arp", "timeout", "user-identity", "aaa", "http", "ssh", "telnet", "console", "snmp-server", "sysopt", "ntp", "ssl",
  "threat-detection", "service-policy", "prompt", "jumbo-frame", "cryptochecksum:", "terminal", "dhcpd", "dhcprelay",
  "failover", "monitor-interface", "boot", "firewall", "xlate", "ftp", "clock", "banner", "management-access",
  "vpn-sessiondb", "vpdn", "virtual", "ip", "ipv6", "mac-address", "mode", "admin-context", "object-group-search",
  "dynamic-filter", "conduit", "outbound", "apply", "fixup", "pdm", "floodguard", "tftp-server", "smtp-server",
  "vpngroup", "isakmp", "ca", "auth-prompt", "url-server", "filter", "established", "nameif", "fragment", "shun",
  "wccp", "multicast-routing", "prefix-list", "license", "service", "flow-export", "crashinfo", "asp", "checkheaps",
  "coredump", "zone", "dhcp-client", "password-policy", "service-module", "username", "group-policy", "tunnel-group",
  "dns", "crypto", "vpn-addr-assign", "no-shutdown", "quota", "tcp-map", "regex", "setroute", "cpu", "memory",
  "environment", "hpm", "snort", "app-agent", "ipsec", "pki", "http-server", "telemetry", "rest-api", "ldap", "eigrp",
  "rip", "mac-learn", "ntp-server", "webvpn", "object", "object-group", "interface", "time-range", "class-map",
  "policy-map", "router", "route-map", "call-home", "context", "aaa-server", "dynamic-access-policy-record",
  "priority-queue", "sla", "track", "vpn", "event", "cluster", "tls-proxy", "phone-proxy", "ctl-file",
  "media-termination", "uc-ime", "scansafe", "nve", "ddns", "bfd", "failover", "l2tp", "user-statistics",
]);

function globalCmd(k: readonly string[]): Mode | Verdict {
  const w = k[0]!;
  const w1 = k[1];
  if (w.startsWith("cryptochecksum:")) return "yes";
  switch (w) {
    case "service":
      return ["password-recovery", "resetinbound", "resetoutside", "call-home", "sw-reset-button", "module", "internal"].includes(w1 ?? "") ? "yes" : "unknown";
    case "interface":
      return w1 === undefined ? "unknown" : INTERFACE;
    case "object":
      if (w1 === "network") return OBJECT_NETWORK;
      if (w1 === "service") return OBJECT_SERVICE;
      return w1 === undefined ? "unknown" : OBJECT_OTHER;
    case "object-group":
      return w1 === undefined ? "unknown" : OBJECT_GROUP;
    case "time-range":
      return w1 === undefined ? "unknown" : TIME_RANGE;
    case "class-map":
      return CLASS_MAP;
    case "policy-map":
      return POLICY_MAP;
    case "crypto":
      return cryptoGlobal(k);
    case "group-policy":
      return k[2] === "attributes" ? GROUP_POLICY : "yes";
    case "tunnel-group":
      return k[2]?.endsWith("-attributes") ? GENERIC("tunnel-group") : "yes";
    case "username":
      return k[2] === "attributes" ? GENERIC("username") : "yes";
    case "aaa-server":
      return k[2] === "protocol" || k[3] === "host" ? GENERIC("aaa-server") : "yes";
    case "dns":
      return w1 === "server-group" ? DNS_GROUP : "yes";
    case "webvpn":
      return WEBVPN;
    case "router":
      return ROUTER;
    case "call-home":
      return CALL_HOME;
    case "ipv6":
      return w1 === "router" ? ROUTER : "yes";
    case "failover":
      return w1 === "group" ? GENERIC("failover-group") : "yes";
    case "license":
      return w1 === "smart" && k.length === 2 ? GENERIC("license") : "yes";
    case "event":
      return w1 === "manager" && k[2] === "applet" ? GENERIC("eem-applet") : "yes";
    case "vpn":
      return w1 === "load-balancing" ? GENERIC("vpn-lb") : "yes";
    case "ddns":
      return w1 === "update" && k[2] === "method" ? GENERIC("ddns") : "yes";
    case "cluster":
      return w1 === "group" ? GENERIC("cluster") : "yes";
    case "scansafe":
      return w1 === "general-options" ? GENERIC("scansafe") : "yes";
    case "sla":
      return w1 === "monitor" && /^\d+$/.test(k[2] ?? "") && k.length === 3 ? GENERIC("sla") : "yes";
    case "ldap":
      return w1 === "attribute-map" ? GENERIC("ldap-map") : "yes";
    case "context":
    case "route-map":
    case "dynamic-access-policy-record":
    case "priority-queue":
    case "tls-proxy":
    case "phone-proxy":
    case "ctl-file":
    case "media-termination":
    case "uc-ime":
    case "nve":
    case "track":
    case "tcp-map":
      return w1 === undefined ? "yes" : GENERIC(w);
  }
  return GLOBAL_WORDS.has(w) ? "yes" : "unknown";
}

export const ASA_GRAMMAR: Grammar = {
  global: globalCmd,
  comment: (t) => t.startsWith("!") || t.startsWith(":"),
};
