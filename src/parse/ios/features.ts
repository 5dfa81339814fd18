/**
 * IOS features that change ACL or NAT verdicts and are not modelled (yet): each is reported once,
 * at the line where it takes effect, saying what it could change. Sources:
 * - CBAC: Cisco IOS Security Configuration Guide, "Configuring Context-Based Access Control":
 *   inspection creates temporary openings in the interface access lists for the return traffic of
 *   inspected sessions.
 * - Zone-based policy firewall: Cisco IOS Security Configuration Guide, "Zone-Based Policy
 *   Firewall": traffic between interfaces in different zones is dropped unless a zone-pair policy
 *   passes or inspects it; a zone member cannot talk to an interface that is in no zone.
 * - Crypto maps and tunnel protection: Cisco IOS Security Configuration Guide: Secure
 *   Connectivity, "Configuring Security for VPNs with IPsec"; Cisco document 23820 (PAT and
 *   IPsec on one router): the router terminates IKE (udp 500, 4500) on its own address.
 * - Policy routing: Cisco IOS IP Routing: Protocol-Independent Configuration Guide, "Policy-Based
 *   Routing". VRF-aware NAT: Cisco IOS IP Addressing: NAT Configuration Guide, "NAT Virtual
 *   Interface" / "VRF-aware NAT" (a NAT rule translates a VRF's traffic only when it names it).
 */
import { formatIp, parseIp } from "../../model/addr.js";
import type { Device } from "../../model/types.js";
import { diag, type ParseState } from "./util.js";

function list(xs: readonly string[], max = 4): string {
  const u = [...new Set(xs)];
  return u.length <= max ? u.join(", ") : `${u.slice(0, max).join(", ")} and ${u.length - max} more`;
}

function peerText(p: string): string {
  const ip = parseIp(p);
  return ip === undefined ? p : formatIp(ip);
}

/** Adds the `unmodelled` diagnostics for the stateful and IPsec features the file configures. */
export function reportIosFeatures(st: ParseState): void {
  const dev: Device = st.dev;
  const f = dev.features;
  for (const i of f.inspections) {
    const rule = f.inspectRules.get(i.name);
    const what = rule ? `the protocols rule ${i.name} inspects (${list(rule.protocols)})` : `the protocols inspection rule ${i.name} names (it is not defined in this file)`;
    const where = i.direction === "out" ? `entering ${i.iface} (its in ACL)` : `leaving ${i.iface} and entering the device's other interfaces`;
    diag(st, "unmodelled", i.source, `CBAC "ip inspect ${i.name} ${i.direction}" opens the ACLs for the return traffic of ${what}; return verdicts for traffic ${where} may be permit where natlint says drop (natlint evaluates the ACLs statelessly)`);
  }
  for (const z of f.zoneMembers) {
    const pairs = f.zonePairs.filter((p) => p.from === z.zone || p.to === z.zone);
    const pairText = pairs.length ? `zone-pair${pairs.length > 1 ? "s" : ""} ${list(pairs.map((p) => p.name))}` : "no zone-pair (so it is dropped)";
    diag(st, "unmodelled", z.source, `zone-based firewall: ${z.iface} is in zone ${z.zone}; traffic between it and other zones goes through ${pairText}, and traffic to interfaces in no zone is dropped; inspected sessions' return traffic is permitted; natlint evaluates only the ACLs, so verdicts through ${z.iface} may differ in both directions`);
  }
  for (const b of f.cryptoMapBindings) {
    const entries = f.cryptoMaps.get(b.map) ?? [];
    const acls = entries.flatMap((e) => (e.acl ? [e.acl] : []));
    const peers = entries.flatMap((e) => e.peers.map(peerText));
    const dyn = entries.some((e) => e.dynamic !== undefined);
    const what = acls.length ? `traffic matched by its crypto ACL${acls.length > 1 ? "s" : ""} ${list(acls)}` : "the traffic its entries match";
    const to = peers.length ? ` to ${list(peers)}` : dyn ? " to dynamic peers" : "";
    diag(st, "unmodelled", b.source, `crypto map ${b.map} on ${b.iface}: ${what} leaves encrypted${to} (the out ACL of ${b.iface} sees ESP or udp/4500, not the packet natlint evaluates), decrypted traffic is checked as it arrives, and the router runs IKE (udp 500/4500) on its own address, which its PAT of inside clients onto that address may collide with; natlint does not model IPsec`);
  }
  for (const t of f.tunnelProtection)
    diag(st, "unmodelled", t.source, `tunnel protection (IPsec profile ${t.profile}) on ${t.iface}: traffic routed into ${t.iface} leaves encrypted to the tunnel destination (ACLs on the physical interface see ESP or udp/4500, not the inner packets), and the router runs IKE on the tunnel source address; natlint does not model IPsec`);
  for (const p of f.policyRoutes)
    diag(st, "unmodelled", p.source, `policy routing (route-map ${p.routeMap} on ${p.iface}) can send traffic entering ${p.iface} out of another interface than natlint assumes, so other ACLs and NAT rules may apply; route-maps are not evaluated`);
  for (const v of f.vrfMembers) {
    const iface = dev.interfaces.find((i) => i.name === v.iface);
    if (!iface?.natRole) continue;
    diag(st, "unmodelled", v.source, `${v.iface} (ip nat ${iface.natRole}) is in VRF ${v.vrf}: a NAT rule translates VRF traffic only when it names the VRF ("vrf ${v.vrf}"), and routing between VRFs is not modelled; natlint treats ${v.iface} as in the global table`);
  }
}
