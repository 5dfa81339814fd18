/**
 * IOS interface configuration mode for the mode-aware reader: the interface commands, in
 * particular those whose first keyword is also a global command (`ip …`, `logging event`, `cdp
 * enable`, `service instance`, `crypto map NAME`, `clock rate`, …), so an unindented interface
 * body is not cut short. Sources: Cisco IOS Interface and Hardware Component Command Reference;
 * the IP Addressing, IP Routing, Security and QoS command references (interface-mode commands).
 */
import { simpleMode, type Mode, type Verdict } from "../common/reader.js";

/** First keywords that are only interface commands (or that interface mode takes first). */
const IFACE_WORDS = [
  "description", "shutdown", "duplex", "speed", "negotiation", "media-type", "mtu", "bandwidth", "delay", "keepalive",
  "encapsulation", "switchport", "channel-group", "channel-protocol", "load-interval", "carrier-delay", "dampening",
  "hold-queue", "fair-queue", "priority-queue", "random-detect", "rate-limit", "traffic-shape", "tx-ring-limit",
  "max-reserved-bandwidth", "custom-queue-list", "priority-group", "service-policy", "zone-member", "standby", "vrrp",
  "glbp", "tunnel", "isis", "clns", "ppp", "dialer", "dialer-group", "pppoe", "pppoe-client", "backup", "peer", "autodetect",
  "flowcontrol", "mdix", "wrr-queue", "srr-queue", "auto", "qos", "storm-control", "l2protocol-tunnel", "trust",
  "framing", "linecode", "crc", "cable-length", "invert", "compress", "multilink-group", "serial", "physical-layer",
  "nrzi-encoding", "dce-terminal-timing-enable", "pvc", "atm", "dsl", "cable", "pos", "xconnect", "bridge-group",
  "bridge-domain", "rewrite", "macsec", "mab", "access-session", "device-tracking", "source", "member", "vlan-id",
  "vlan-range", "mac-address", "arp", "nhrp", "umbrella", "nat64", "lisp", "ethernet", "frame-relay", "macro",
  "no-keepalive", "transmit-interface", "sync-restart-delay", "mpls", "bfd", "ssid", "station-role", "channel",
  "antenna", "power", "cts", "dot1x", "authentication", "lacp", "pagp", "port-security", "nameif", "security-level",
  "ipv6", "ip", "crypto", "snmp", "ntp", "cdp", "lldp", "logging", "spanning-tree", "udld", "mls", "clock", "service",
  "vrf", "mac", "multilink", "pppoe-session", "ip-address", "offset-list", "cpp", "evc", "shape", "mka", "network-clock", "synchronous", "h323-gateway", "bgp-policy", "medium", "ip-rewrite",
];

/** Second keywords of `ip …` that are interface commands. */
const IFACE_IP = new Set([
  "address", "access-group", "policy", "ospf", "mtu", "helper-address", "redirects", "unreachables", "proxy-arp",
  "route-cache", "directed-broadcast", "mroute-cache", "verify", "authentication", "summary-address", "hello-interval",
  "hold-time", "split-horizon", "rip", "bandwidth-percent", "accounting", "load-sharing", "unnumbered",
  "virtual-reassembly", "router", "irdp", "mask-reply", "information-reply", "local-proxy-arp", "sap", "security",
  "cgmp", "dvmrp", "rsvp", "rtp", "multicast", "ddns", "sticky-arp", "nhrp", "traffic-export", "header-compression",
  "lisp", "subscriber", "urpf", "tcp", "pim", "igmp", "flow", "nbar", "dhcp", "wccp", "inspect", "ips", "audit",
  "admission", "auth-proxy", "nat", "vrf", "arp", "eigrp", "cef", "pmtu", "gre", "urd",
]);
const GLOBAL_TCP = new Set(["synwait-time", "path-mtu-discovery", "intercept", "selective-ack", "timestamp", "window-size", "mss", "ecn", "queuemax"]);
const GLOBAL_PIM = new Set(["rp-address", "ssm", "bsr-candidate", "rp-candidate", "send-rp-announce", "send-rp-discovery", "autorp", "register-source", "spt-threshold", "accept-register", "vrf", "snooping"]);

/** `ip …` inside interface mode (undefined: not an interface command). */
export function ifaceIp(k: readonly string[]): boolean {
  const w = k[1];
  if (w === undefined || !IFACE_IP.has(w)) return false;
  switch (w) {
    case "nat":
      return k.length === 3 && (k[2] === "inside" || k[2] === "outside" || k[2] === "enable");
    case "inspect":
    case "ips":
    case "audit":
      return (k[3] === "in" || k[3] === "out") && k.length === 4;
    case "admission":
    case "auth-proxy":
      return k.length === 3 && !["name", "max-login-attempts", "max-nodata-conns", "inactivity-timer", "absolute-timer", "watch-list", "auth-proxy-banner", "consent", "virtual-ip", "proxy", "init-state-timer", "ratelimit"].includes(k[2]!);
    case "vrf":
      return k[2] === "forwarding" || k[2] === "receive" || k[2] === "sitemap";
    case "dhcp":
      return k[2] === "client" || (k[2] === "snooping" && (k[3] === "trust" || k[3] === "limit" || k[3] === "information")) || (k[2] === "relay" && k[4] === "trusted");
    case "tcp":
      return !GLOBAL_TCP.has(k[2] ?? "");
    case "pim":
      return !GLOBAL_PIM.has(k[2] ?? "");
    case "igmp":
      return k[2] !== "snooping" && k[2] !== "ssm-map" && k[2] !== "limit";
    case "flow":
      return k[2] === "ingress" || k[2] === "egress" || k[2] === "monitor";
    case "nbar":
      return k[2] === "protocol-discovery";
    case "wccp":
      return k.includes("redirect");
    case "arp":
      return k[2] === "inspection" && (k[3] === "trust" || k[3] === "limit");
    case "cef":
      return false;
    default:
      return true;
  }
}

const IFACE_IPV6 = new Set([
  "address", "enable", "nd", "ospf", "mtu", "traffic-filter", "redirects", "unreachables", "verify", "rip", "eigrp", "mld",
  "tcp", "inspect", "virtual-reassembly", "flow", "policy", "router", "unnumbered", "hello-interval", "summary-address",
  "authentication", "destination-guard", "snooping", "dhcp", "pim", "nat", "link-local", "crypto", "source-guard", "ra",
]);

function ifaceSub(k: readonly string[]): Mode | Verdict {
  const w = k[0]!;
  const w1 = k[1];
  switch (w) {
    case "ip":
      return ifaceIp(k) ? "yes" : "unknown";
    case "ipv6":
      return w1 !== undefined && IFACE_IPV6.has(w1) && !(w1 === "dhcp" && k[2] === "pool") && !(w1 === "pim" && k[2] === "rp-address") ? "yes" : "unknown";
    case "crypto":
      return (w1 === "map" && (k.length === 3 || k[3] === "redundancy")) || (w1 === "ipsec" && (k[2] === "client" || k[2] === "df-bit")) || w1 === "engine" ? "yes" : "unknown";
    case "logging":
      return w1 === "event" ? "yes" : "unknown";
    case "cdp":
      return w1 === "enable" || w1 === "tlv" ? "yes" : "unknown";
    case "lldp":
      return w1 === "transmit" || w1 === "receive" || w1 === "tlv-select" || w1 === "med-tlv-select" ? "yes" : "unknown";
    case "ntp":
      return w1 === "disable" || w1 === "broadcast" || w1 === "multicast" ? "yes" : "unknown";
    case "snmp":
      return w1 === "trap" || w1 === "ifindex" ? "yes" : "unknown";
    case "spanning-tree":
      return ["mode", "extend", "loopguard", "uplinkfast", "backbonefast", "etherchannel", "pathcost", "logging"].includes(w1 ?? "") || k.includes("default") || (w1 === "mst" && k[2] === "configuration") ? "unknown" : "yes";
    case "udld":
      return w1 === "port" ? "yes" : "unknown";
    case "mls":
      return w1 === "qos" && ["trust", "cos", "vlan-based", "dscp-mutation"].includes(k[2] ?? "") ? "yes" : "unknown";
    case "clock":
      return w1 === "rate" || w1 === "source" ? "yes" : "unknown";
    case "service":
      return w1 === "instance" ? SERVICE_INSTANCE : "unknown";
    case "vrf":
      return w1 === "forwarding" ? "yes" : "unknown";
    case "mac":
      return w1 === "access-group" ? "yes" : "unknown";
    case "multilink":
      return w1 === "group" ? "yes" : "unknown";
    case "power":
      return w1 === "inline" || w1 === "efficient-ethernet" ? "yes" : "unknown";
    case "dot1x":
      return w1 === "system-auth-control" || w1 === "critical" ? "unknown" : "yes";
    case "authentication":
      return w1 === "mac-move" || w1 === "critical" ? "unknown" : "yes";
    case "lacp":
      return w1 === "system-priority" ? "unknown" : "yes";
    case "frame-relay":
      return w1 === "switching" ? "unknown" : w1 === "interface-dlci" ? SERVICE_INSTANCE : "yes";
    case "pvc":
      return SERVICE_INSTANCE;
    case "vrrp":
      return k[2] === "address-family" ? SERVICE_INSTANCE : "yes";
    case "mpls":
      return w1 === "ldp" && ["router-id", "explicit-null", "session", "graceful-restart", "label", "neighbor", "password", "advertise-labels", "logging", "holdtime", "nsr"].includes(k[2] ?? "") ? "unknown" : "yes";
    case "bfd":
      return w1 === "slow-timers" || w1 === "map" ? "unknown" : "yes";
    case "cts":
      return w1 === "manual" || w1 === "dot1x" ? SERVICE_INSTANCE : "unknown";
    case "macro":
      return w1 === "name" || w1 === "global" ? "unknown" : "yes";
  }
  return IFACE_SET.has(w) ? "yes" : "unknown";
}
const IFACE_SET = new Set(IFACE_WORDS);
const SERVICE_INSTANCE: Mode = simpleMode("interface-sub", []);
/** `interface NAME` (and `interface range …`). */
export const INTERFACE: Mode = { id: "interface", sub: ifaceSub };

