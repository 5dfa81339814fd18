/**
 * IOS features that change ACL or NAT verdicts: each is reported once, at the line where it takes
 * effect, saying what natlint models of it (src/sim/stateful.ts, src/sim/peers.ts) and what it
 * does not (a `note` when nothing natlint decides depends on the rest, else `unmodelled`). Sources:
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

/** CBAC rule protocols whose openings the simulation models (udp, and IKE/NAT-T by their PAM names). */
const MODELLED_CBAC = new Set(["udp", "isakmp", "non500-isakmp"]);

/** Adds the `unmodelled` diagnostics for the stateful and IPsec features the file configures. */
export function reportIosFeatures(st: ParseState): void {
  const dev: Device = st.dev;
  const f = dev.features;
  for (const i of f.inspections) {
    const rule = f.inspectRules.get(i.name);
    const head = `CBAC "ip inspect ${i.name} ${i.direction}" on ${i.iface}`;
    if (!rule) {
      diag(st, "unmodelled", i.source, `${head} names inspection rule ${i.name}, which this file does not define: what it inspects is not known, so the simulated IPsec replies it could open are "conditional"`);
      continue;
    }
    const ipsec = rule.protocols.filter((p) => MODELLED_CBAC.has(p));
    const other = rule.protocols.filter((p) => !MODELLED_CBAC.has(p));
    const modelled = ipsec.length
      ? `natlint models the temporary entries it opens for the replies of the simulated IPsec sessions (rule ${i.name} inspects ${list(ipsec)})`
      : `rule ${i.name} inspects no udp, so it opens nothing for the simulated IPsec sessions`;
    const rest = other.length ? `; its inspection of ${list(other)} (replies, secondary channels, timeouts) is not simulated, and the ACL tools (flow, search, diff) evaluate the ACLs without the entries it opens` : "";
    diag(st, "note", i.source, `${head}: ${modelled}${rest}`);
  }
  for (const ev of f.evaluates) {
    const reflected = [...new Set(f.reflects.filter((r) => r.name === ev.name).map((r) => `${r.acl} line ${r.source.line}`))];
    if (reflected.length)
      diag(st, "note", ev.source, `reflexive ACL: "evaluate ${ev.name}" in ${ev.acl} stands for the temporary entries that "reflect ${ev.name}" (${reflected.join(", ")}) creates for the return traffic of the sessions it permits; natlint models them for the simulated IPsec sessions, and the ACL tools (flow, search, diff) evaluate ${ev.acl} without them`);
    else diag(st, "unmodelled", ev.source, `reflexive ACL: "evaluate ${ev.name}" in ${ev.acl}: no "reflect ${ev.name}" line in this file creates its entries (they may come from a line natlint does not see); natlint evaluates ${ev.acl} without them, so return traffic may be permit where natlint says deny`);
  }
  for (const z of f.zoneMembers) {
    const pairs = f.zonePairs.filter((p) => p.from === z.zone || p.to === z.zone);
    const pairText = pairs.length ? `zone-pair${pairs.length > 1 ? "s" : ""} ${list(pairs.map((p) => p.name))}` : "no zone-pair, so traffic to other zones is dropped";
    diag(st, "note", z.source, `zone-based firewall: ${z.iface} is in zone ${z.zone} (${pairText}); natlint models the zones, zone-pairs and inspect policies for the simulated IPsec sessions (a class it cannot decide makes them "conditional"); traffic to and from the router itself (the self zone), parameter-maps and other protocols' inspection are not simulated, and the ACL tools (flow, search, diff) evaluate the ACLs only`);
  }
  // The self zone (Cisco IOS Security Configuration Guide, "Zone-Based Policy Firewall": the
  // router's own traffic; a zone-pair to or from `self` filters it) is not simulated: what it does to
  // the IKE the router terminates, or to anything else addressed to it, is not modelled.
  for (const p of f.zonePairs) {
    if (p.from !== "self" && p.to !== "self") continue;
    const dir = p.to === "self" ? `from zone ${p.from} to the router itself` : `from the router itself to zone ${p.to}`;
    diag(st, "unmodelled", p.source, `zone-based firewall: zone-pair ${p.name} filters traffic ${dir}${p.policy ? ` by policy ${p.policy}` : " (no service-policy)"}; natlint does not model the self zone, so traffic ${p.to === "self" ? "to" : "from"} the router (its own IKE and NAT-T, management) may be dropped or permitted whatever its ACLs say`);
  }
  for (const b of f.cryptoMapBindings) {
    const entries = f.cryptoMaps.get(b.map) ?? [];
    const acls = entries.flatMap((e) => (e.acl ? [e.acl] : []));
    const peers = entries.flatMap((e) => e.peers.map(peerText));
    const dyn = entries.some((e) => e.dynamic !== undefined);
    const what = acls.length ? `traffic matched by its crypto ACL${acls.length > 1 ? "s" : ""} ${list(acls)}` : "the traffic its entries match";
    const to = peers.length ? ` to ${list(peers)}` : dyn ? " to dynamic peers" : "";
    diag(st, "unmodelled", b.source, `crypto map ${b.map} on ${b.iface}: ${what} leaves encrypted${to} (the out ACL of ${b.iface} sees ESP or udp/4500, not the packet natlint evaluates), and decrypted traffic is checked as it arrives; natlint does not model the encryption (it models the router's own IKE on the address of ${b.iface}: udp 500/4500 there are held for it, not given to PAT clients)`);
  }
  for (const t of f.tunnelProtection)
    diag(st, "unmodelled", t.source, `tunnel protection (IPsec profile ${t.profile}) on ${t.iface}: traffic routed into ${t.iface} leaves encrypted to the tunnel destination (ACLs on the physical interface see ESP or udp/4500, not the inner packets); natlint does not model the encryption (it models the router's own IKE on the tunnel source: udp 500/4500 there are held for it, not given to PAT clients)`);
  for (const b of f.ezvpnBindings) {
    if (b.inside) continue;
    const c = f.ezvpnClients.get(b.name);
    const peers = c?.peers.map((p) => peerText(p.peer)) ?? [];
    diag(st, "unmodelled", b.source, `Easy VPN remote ${b.name} on ${b.iface}${peers.length ? ` (peer ${list(peers)})` : c ? "" : " (not defined in this file)"}: traffic from its inside interfaces leaves encrypted through the tunnel, which natlint does not model (it models the router's own IKE on the address of ${b.iface}: udp 500/4500 there are held for it, not given to PAT clients)`);
  }
  for (const p of f.policyRoutes)
    diag(st, "unmodelled", p.source, `policy routing (route-map ${p.routeMap} on ${p.iface}) can send traffic entering ${p.iface} out of another interface than natlint assumes, so other ACLs and NAT rules may apply; route-maps are not evaluated`);
  for (const v of f.vrfMembers) {
    const iface = dev.interfaces.find((i) => i.name === v.iface);
    if (!iface?.natRole) continue;
    diag(st, "unmodelled", v.source, `${v.iface} (ip nat ${iface.natRole}) is in VRF ${v.vrf}: a NAT rule translates VRF traffic only when it names the VRF ("vrf ${v.vrf}"), and routing between VRFs is not modelled; natlint treats ${v.iface} as in the global table`);
  }
}
