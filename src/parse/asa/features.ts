/**
 * ASA features that change ACL or NAT verdicts and are not modelled (yet): recorded in
 * `device.features` as the lines are read, and reported once each where they take effect.
 * Sources:
 * - Crypto maps: Cisco ASA Series VPN CLI Configuration Guide, "LAN-to-LAN IPsec VPNs" and
 *   "IPsec and ISAKMP" (`crypto map NAME interface IF`, `crypto ikev1|ikev2 enable IF`); Cisco ASA
 *   Series Command Reference, `sysopt connection permit-vpn` (on by default: traffic that arrives
 *   through a VPN tunnel bypasses the interface ACLs).
 * - Application inspection: Cisco ASA Series Firewall CLI Configuration Guide, "Getting Started
 *   with Application Layer Protocol Inspection" (inspection opens secondary connections, such as
 *   FTP data channels, and drops packets that violate the protocol); `inspect ipsec-pass-thru`
 *   ("IPsec Pass Through inspection": ESP flows of a session whose IKE it saw are permitted).
 * - `vpn-filter`: Cisco ASA VPN CLI Configuration Guide, "Group Policies" (an ACL that filters
 *   the traffic of the group's VPN sessions after decryption).
 * - `access-group … per-user-override`: Cisco ASA Firewall CLI Configuration Guide, "Access Rules"
 *   (downloaded per-user ACLs replace the interface ACL for that user's traffic).
 * - Policy-based routing (`policy-route route-map`, 9.4+): Cisco ASA General Operations CLI
 *   Configuration Guide, "Policy Based Routing".
 */
import type { SourceRef } from "../../model/types.js";
import type { AsaCtx } from "./context.js";

/** What the ASA reader collects for the features (beyond `device.features`). */
export interface AsaFeatureState {
  /** `no sysopt connection permit-vpn`: decrypted traffic is checked by the interface ACLs. */
  noPermitVpn?: SourceRef;
  vpnFilters: Array<{ policy: string; acl: string; source: SourceRef }>;
  perUserOverride: SourceRef[];
  contextSeen?: boolean;
}

export function newAsaFeatureState(): AsaFeatureState {
  return { vpnFilters: [], perUserOverride: [] };
}

/** A global `crypto …` line: crypto map entries and bindings, IKE enabled on an interface. */
export function cryptoLine(ctx: AsaCtx, toks: readonly string[], src: SourceRef): void {
  const f = ctx.dev.features;
  const k = toks.map((t) => t.toLowerCase());
  if (k[1] === "map" && toks[2] !== undefined) {
    const name = toks[2];
    if (k[3] === "interface" && toks[4] !== undefined) {
      f.cryptoMapBindings.push({ iface: toks[4], map: name, source: src });
      return;
    }
    if (!/^\d+$/.test(k[3] ?? "")) return;
    const seq = Number(k[3]);
    const list = f.cryptoMaps.get(name) ?? [];
    let entry = list.find((e) => e.seq === seq);
    if (!entry) {
      entry = { seq, peers: [], source: src };
      list.push(entry);
      f.cryptoMaps.set(name, list);
    }
    if (k[4] === "match" && k[5] === "address" && toks[6] !== undefined) entry.acl = toks[6];
    else if (k[4] === "set" && k[5] === "peer") entry.peers.push(...toks.slice(6));
    else if (k[4] === "ipsec-isakmp" && k[5] === "dynamic" && toks[6] !== undefined) entry.dynamic = toks[6];
    return;
  }
  if ((k[1] === "ikev1" || k[1] === "ikev2" || k[1] === "isakmp") && k[2] === "enable" && toks[3] !== undefined)
    f.ikeInterfaces.push({ iface: toks[3], version: k[1], source: src });
}

function list(xs: readonly string[], max = 5): string {
  const u = [...new Set(xs)];
  return u.length <= max ? u.join(", ") : `${u.slice(0, max).join(", ")} and ${u.length - max} more`;
}

/** Adds the diagnostics for the features recorded while reading. */
export function reportAsaFeatures(ctx: AsaCtx, fs: AsaFeatureState): void {
  const f = ctx.dev.features;
  for (const b of f.cryptoMapBindings) {
    const entries = f.cryptoMaps.get(b.map) ?? [];
    const acls = entries.flatMap((e) => (e.acl ? [e.acl] : []));
    const peers = entries.flatMap((e) => e.peers);
    const ike = f.ikeInterfaces.some((i) => i.iface === b.iface);
    const what = acls.length ? `traffic matched by its crypto ACL${acls.length > 1 ? "s" : ""} ${list(acls)}` : "the traffic its entries match";
    const to = peers.length ? ` to ${list(peers)}` : entries.some((e) => e.dynamic) ? " to dynamic peers" : "";
    const acl = fs.noPermitVpn
      ? `decrypted traffic is checked by the in ACL of ${b.iface} (no sysopt connection permit-vpn, line ${fs.noPermitVpn.line})`
      : `decrypted traffic from its peers bypasses the ACLs of ${b.iface} (sysopt connection permit-vpn is on by default)`;
    ctx.diag("unmodelled", b.source, `crypto map ${b.map} on ${b.iface}: ${what} leaves encrypted${to}, ${acl}; natlint does not model the encryption, so verdicts for that traffic may differ${ike ? ` (it models the ASA's own IKE on the address of ${b.iface}: udp 500/4500 there are held for it, not given to PAT clients)` : ""}`);
  }
  for (const sp of f.servicePolicies) {
    const pol = f.inspectPolicies.get(sp.policy);
    const engines = (pol?.classes ?? []).flatMap((c) => c.actions.filter((a) => a.startsWith("inspect ")).map((a) => a.slice(8).split(" ")[0]!));
    if (engines.length === 0) continue;
    const where = sp.iface ? `on ${sp.iface}` : "on every interface";
    if (engines.includes("ipsec-pass-thru"))
      ctx.diag("unmodelled", sp.source, `"inspect ipsec-pass-thru" (service-policy ${sp.policy}, ${where}) permits the ESP flows of IPsec sessions whose IKE it inspected, without an ACL line for them; natlint does not model inspection, so ESP verdicts may be permit where natlint says drop`);
    ctx.diag("note", sp.source, `application inspection (service-policy ${sp.policy} ${where}: inspect ${list(engines)}) opens secondary connections, such as FTP data or SIP media, that no ACL line permits, and drops packets that break the inspected protocols; natlint does not model inspection (the ACL verdicts it gives are exact for what the ACLs match)`);
  }
  for (const v of fs.vpnFilters)
    ctx.diag("unmodelled", v.source, `vpn-filter ${v.acl} (group-policy ${v.policy}) filters the traffic of this group's VPN sessions after decryption; natlint does not model VPN sessions`);
  for (const s of fs.perUserOverride)
    ctx.diag("unmodelled", s, `per-user-override: the ACLs downloaded for an authenticated user replace this interface ACL for that user's traffic; natlint evaluates the interface ACL`);
  for (const p of f.policyRoutes)
    ctx.diag("unmodelled", p.source, `policy-based routing (route-map ${p.routeMap} on ${p.iface}) can send traffic out of another interface than natlint assumes, so other ACLs and NAT rules may apply; route-maps are not evaluated`);
}
