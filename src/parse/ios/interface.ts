/**
 * IOS interfaces: names as the CLI reads them, `interface range`, and the interface commands
 * natlint models or reports. The CLI accepts any unambiguous abbreviation of an interface type
 * (`e0/0`, `gi0/1`, `loop99`) and prints the full name in the running-config (Cisco IOS Interface
 * and Hardware Component Command Reference, `interface`; Cisco IOS Configuration Fundamentals,
 * "Using the Cisco IOS Command-Line Interface": abbreviated commands); `interface range` applies
 * its commands to every interface of the range (Cisco IOS `interface range` command reference).
 */
import { parseCidr, parseIp } from "../../model/addr.js";
import { parseInterfaceAddress6 } from "../../model/addr6.js";
import type { Interface, SourceRef } from "../../model/types.js";
import { ParseError } from "../common/cursor.js";
import { diag, ipv6Nat, mention, type ParseState } from "./util.js";

/** Interface types, in the order an ambiguous abbreviation is tried (after the explicit table below). */
const TYPES = [
  "Ethernet", "FastEthernet", "GigabitEthernet", "TenGigabitEthernet", "TwentyFiveGigE", "FortyGigabitEthernet",
  "HundredGigE", "TwoGigabitEthernet", "FiveGigabitEthernet", "AppGigabitEthernet", "Loopback", "Tunnel", "Vlan",
  "Port-channel", "Serial", "Dialer", "Virtual-Template", "Virtual-Access", "BVI", "BDI", "Async", "ATM", "Multilink",
  "Null", "Cellular", "Wlan-GigabitEthernet", "Embedded-Service-Engine", "NVI", "VirtualPortGroup", "Group-Async",
  "MFR", "POS", "BRI", "Vif", "LISP", "nve", "Service-Engine", "Dot11Radio", "Virtual-Dot11Radio", "Wideband-Cable",
  "Integrated-Cable", "Modular-Cable", "Cable", "ucse", "Bluetooth", "Virtual-Ethernet", "Fddi", "TokenRing", "Hssi",
  "CTunnel", "Virtual-PPP", "Auto-Template", "Port-channel", "Pseudowire", "VASILeft", "VASIRight",
];
/** Abbreviations the CLI resolves although several types start with them (as `show` output abbreviates them). */
const ABBREV: Readonly<Record<string, string>> = {
  e: "Ethernet", et: "Ethernet", eth: "Ethernet", ether: "Ethernet",
  f: "FastEthernet", fa: "FastEthernet",
  g: "GigabitEthernet", gi: "GigabitEthernet", gig: "GigabitEthernet",
  te: "TenGigabitEthernet", ten: "TenGigabitEthernet",
  tw: "TwoGigabitEthernet", twe: "TwentyFiveGigE", fo: "FortyGigabitEthernet", hu: "HundredGigE",
  l: "Loopback", lo: "Loopback", tu: "Tunnel", vl: "Vlan", v: "Vlan", po: "Port-channel",
  s: "Serial", se: "Serial", d: "Dialer", di: "Dialer", vt: "Virtual-Template", mu: "Multilink", nu: "Null",
  ce: "Cellular", at: "ATM", as: "Async", vi: "Virtual-Access",
};

/** `gi0/1` → `GigabitEthernet0/1`; a name that is not an abbreviation is returned as written. */
export function canonicalInterface(name: string): string {
  const m = /^([A-Za-z][A-Za-z-]*?)(\d.*)?$/.exec(name);
  if (!m || m[2] === undefined) return name;
  const t = m[1]!.toLowerCase();
  const exact = TYPES.find((x) => x.toLowerCase() === t);
  if (exact) return exact + m[2];
  const abbrev = Object.hasOwn(ABBREV, t) ? ABBREV[t] : undefined;
  if (abbrev) return abbrev + m[2];
  const starts = [...new Set(TYPES.filter((x) => x.toLowerCase().startsWith(t)))];
  return starts.length === 1 ? starts[0]! + m[2] : name;
}

/** The interfaces an `interface …` line configures (several for `interface range`). */
export function interfaceNames(toks: readonly string[]): string[] {
  const a = toks[1];
  if (a === undefined) throw new ParseError("expected interface name");
  if (a.toLowerCase() === "range") {
    if (toks[2]?.toLowerCase() === "macro") return [];
    const out: string[] = [];
    for (const item of toks.slice(2).join(" ").split(",")) {
      const m = /^\s*([A-Za-z][A-Za-z-]*)\s*((?:\d+[/:.])*)(\d+)\s*(?:-\s*(\d+))?\s*$/.exec(item);
      if (!m) throw new ParseError(`interface range: cannot read "${item.trim()}"`);
      const lo = Number(m[3]);
      const hi = m[4] === undefined ? lo : Number(m[4]);
      if (hi < lo || hi - lo > 512) throw new ParseError(`interface range: "${item.trim()}" is not a range of at most 512 interfaces`);
      for (let n = lo; n <= hi; n++) out.push(canonicalInterface(`${m[1]}${m[2]}${n}`));
    }
    return out;
  }
  const b = toks[2];
  // `interface GigabitEthernet 0/1` is stored as GigabitEthernet0/1
  const name = b !== undefined && /^\d/.test(b) && !/\d$/.test(a) ? a + b : a;
  return [canonicalInterface(name)];
}

/** One line inside `interface …` (for every interface of a range). */
export function interfaceLine(st: ParseState, ifaces: readonly Interface[], toks: string[], source: SourceRef): void {
  for (const iface of ifaces) oneInterfaceLine(st, iface, toks, source);
}

function setAddress(iface: Interface, ip: number, mask: number, secondary: boolean): void {
  if (secondary) iface.addresses.push({ ip, mask, secondary: true });
  else {
    iface.addresses = iface.addresses.filter((a) => a.secondary);
    iface.addresses.unshift({ ip, mask });
  }
}

function oneInterfaceLine(st: ParseState, iface: Interface, toks: string[], source: SourceRef): void {
  const k = toks.map((t) => t.toLowerCase());
  const neg = k[0] === "no";
  const c = neg ? k.slice(1) : k;
  const t = neg ? toks.slice(1) : toks;
  const f = st.dev.features;
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
      setAddress(iface, ip, ~cidr.wildcard >>> 0, c[3] === "secondary");
      return;
    }
    const ip = parseIp(t[2]);
    if (ip === undefined) {
      if (c[2] === "dhcp" || c[2] === "negotiated" || c[2] === "pool") {
        mention(st, toks);
        diag(st, "note", source, `${iface.name} learns its address at run time ("ip address ${c[2]}"): natlint does not know it; where it needs it (a PAT onto ${iface.name}, the device's own addresses) it infers one from the ACLs or uses a stand-in, and explain says which`);
        return;
      }
      throw new ParseError(`expected an address, dhcp or negotiated after "ip address", got "${t[2] ?? "end of line"}"`);
    }
    const mask = parseIp(t[3]);
    if (mask === undefined) throw new ParseError(`expected subnet mask after ${t[2]}${t[3] === undefined ? "" : `, got "${t[3]}"`}`);
    setAddress(iface, ip, mask, c[4] === "secondary");
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
  if (c[0] === "ipv6" && c[1] === "address" && !neg) {
    // Cisco IOS IPv6 Command Reference, `ipv6 address {X:X::X/N [eui-64 | anycast] | X:X::X link-local | autoconfig | dhcp}`
    const a = parseInterfaceAddress6(t[2], c[3]);
    if (a) (iface.addresses6 ??= []).push(a);
    return;
  }
  if (c[0] === "ipv6" && c[1] === "traffic-filter") {
    // Cisco IOS IPv6 Command Reference, `ipv6 traffic-filter access-list-name {in | out}`
    const name = t[2];
    if (name === undefined) throw new ParseError(`expected an IPv6 ACL name after "ipv6 traffic-filter"`);
    const dir = c[3];
    if (dir !== "in" && dir !== "out") {
      if (neg && dir === undefined) return;
      throw new ParseError(`expected in or out after "ipv6 traffic-filter ${name}"${dir === undefined ? "" : `, got "${t[3]}"`}`);
    }
    iface.ipv6Filters = (iface.ipv6Filters ?? []).filter((g) => g.direction !== dir);
    if (neg) return;
    iface.ipv6Filters.push({ acl: name, direction: dir, source, family: "ipv6" });
    st.dev.references.push({ kind: "acl", name, source, use: "access-group", context: "ipv6 traffic-filter" });
    return;
  }
  if (c[0] === "nat64" || c[0] === "nat66" || (c[0] === "ipv6" && c[1] === "nat")) {
    if (neg) mention(st, toks);
    else ipv6Nat(st, toks, source);
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
      if (!neg) diag(st, "unmodelled", source, `NAT Virtual Interface ("ip nat enable" on ${iface.name}) is not modelled: its NAT rules ("ip nat source") are ignored, so translated addresses and ports may differ from what natlint simulates`);
      return;
    }
    mention(st, toks);
    return;
  }
  mention(st, toks);
  if (neg) return;
  // features natlint reads and reports (./features.ts), recorded for the analyses that will model them
  if (c[0] === "ip" && (c[1] === "inspect" || c[1] === "ips" || c[1] === "audit") && (c[3] === "in" || c[3] === "out")) {
    if (c[1] === "inspect") f.inspections.push({ iface: iface.name, name: t[2]!, direction: c[3], source });
    else diag(st, "unmodelled", source, `intrusion prevention ("ip ${c[1]} ${t[2]} ${c[3]}" on ${iface.name}) can drop packets the ACLs permit; natlint does not model it`);
  } else if (c[0] === "ipv6" && c[1] === "inspect" && (c[3] === "in" || c[3] === "out"))
    // IPv6 CBAC (Cisco IOS IPv6 Command Reference, `ipv6 inspect`): natlint simulates IPv4 sessions only
    diag(st, "unmodelled", source, `IPv6 stateful inspection ("ipv6 inspect ${t[2]} ${c[3]}" on ${iface.name}) is not modelled: the return traffic it lets through ${iface.name}'s IPv6 ACLs is not simulated`);
  else if (c[0] === "zone-member" && c[1] === "security" && t[2] !== undefined) f.zoneMembers.push({ iface: iface.name, zone: t[2], source });
  else if (c[0] === "crypto" && c[1] === "map" && t[2] !== undefined) f.cryptoMapBindings.push({ iface: iface.name, map: t[2], source });
  else if (c[0] === "tunnel" && c[1] === "protection" && c[2] === "ipsec" && c[3] === "profile" && t[4] !== undefined) f.tunnelProtection.push({ iface: iface.name, profile: t[4], source });
  else if (c[0] === "tunnel" && (c[1] === "source" || c[1] === "destination" || c[1] === "mode") && t[2] !== undefined) tunnelLine(st, iface, c, t, source);
  else if (c[0] === "crypto" && c[1] === "ipsec" && c[2] === "client" && c[3] === "ezvpn" && t[4] !== undefined)
    f.ezvpnBindings.push({ iface: iface.name, name: t[4], inside: c[5] === "inside", source });
  else if (c[0] === "ip" && c[1] === "policy" && c[2] === "route-map" && t[3] !== undefined) f.policyRoutes.push({ iface: iface.name, routeMap: t[3], source });
  else if ((c[0] === "ip" && c[1] === "vrf" && c[2] === "forwarding" && t[3] !== undefined) || (c[0] === "vrf" && c[1] === "forwarding" && t[2] !== undefined))
    f.vrfMembers.push({ iface: iface.name, vrf: c[0] === "ip" ? t[3]! : t[2]!, source });
  else if (c[0] === "ip" && (c[1] === "admission" || c[1] === "auth-proxy") && t[2] !== undefined)
    diag(st, "unmodelled", source, `authentication proxy ("ip ${c[1]} ${t[2]}" on ${iface.name}): after a user authenticates, the entries downloaded for them permit traffic the interface ACL denies; natlint does not model them`);
}

/** `tunnel source IF|A.B.C.D`, `tunnel destination A.B.C.D|HOST`, `tunnel mode …` (Cisco IOS Interface and Hardware Component Command Reference). */
function tunnelLine(st: ParseState, iface: Interface, c: readonly string[], t: readonly string[], source: SourceRef): void {
  const ends = st.dev.features.tunnels.get(iface.name) ?? {};
  st.dev.features.tunnels.set(iface.name, ends);
  const v = t[2]!;
  if (c[1] === "mode") ends.mode = t.slice(2).join(" ").toLowerCase();
  else if (c[1] === "source") {
    const ip = parseIp(v);
    ends.source = ip !== undefined ? { ip, ref: source } : { iface: canonicalInterface(v), ref: source };
  } else {
    const ip = parseIp(v);
    ends.destination = { ...(ip !== undefined ? { ip } : {}), text: v, ref: source };
  }
}
