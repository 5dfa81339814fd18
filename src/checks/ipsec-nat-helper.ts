/**
 * ipsec-nat-helper: an IPsec pass-through or "helper" on a NAT device that breaks more than one
 * client to the same peer — reported where it is configured, with the source of the behaviour,
 * only when this device's PAT really puts two or more simulated clients behind one address toward
 * one peer. IPsec NAT traversal needs no helper on the NAT (RFC 3947, RFC 3948; RFC 3715 lists
 * what breaks IPsec through NATs, fixed IKE ports among it).
 *
 * - IOS `ip nat service list ACL IKE preserve-port` (Cisco IOS 12.2(15)T feature guide "NAT
 *   Support for IPsec ESP — Phase II", "Enabling Preserve Port"): IKE from the hosts the ACL
 *   matches keeps source port 500. Behind one PAT address only one of them can hold port 500
 *   toward a peer; how IOS handles a second one is not documented (natlint: one at a time).
 * - ASA `inspect ipsec-pass-thru` (Cisco ASA Series Firewall CLI Configuration Guide, "IPsec Pass
 *   Through Inspection": it opens ESP and AH for IKE udp/500 connections, and "NAT and non-NAT
 *   traffic is permitted. However, PAT is not supported"): the ESP it passes cannot be told apart
 *   behind one PAT address; clients behind this ASA's PAT need NAT-T (udp/4500) instead.
 */
import { formatIp } from "../model/addr.js";
import { PROTO } from "../model/ports.js";
import { packet } from "../model/types.js";
import { evaluateNear } from "../acl/restrict.js";
import { defineCheck, NO_OPTIONS } from "./define.js";

export const check = defineCheck({
  id: "ipsec-nat-helper",
  needs: ["simulation"],
  optionsSchema: NO_OPTIONS,
  messages: {
    preservePort:
      "IKE preserve-port keeps source port 500 for the IKE of every host {{acl}} matches, and behind the PAT address {{global}} only one of them can hold port 500 toward peer {{peer}}: clients {{clients}} collide, so one connects at a time (Cisco IOS 12.2(15)T, NAT Support for IPsec ESP — Phase II, Enabling Preserve Port; how IOS treats the second client is not documented). Fix: remove it: NAT-T (RFC 3947, RFC 3948) needs no helper",
    passThru:
      "inspect ipsec-pass-thru does not support PAT (Cisco ASA Firewall CLI configuration guide, IPsec Pass Through Inspection: \"NAT and non-NAT traffic is permitted. However, PAT is not supported\"), and this ASA PATs clients {{clients}} onto {{global}} toward peer {{peer}}: the ESP it opens for them cannot be told apart behind one address. Clients behind the PAT need NAT-T (udp/4500), which needs no helper; without NAT-T only one of them works at a time",
  },
  run({ device, simulation }, _options, report) {
    const sims = simulation().filter((s) => s.clients.length >= 2);
    if (!sims.length) return;
    for (const svc of device.features.natServices ?? []) {
      if (!/\bike\b/i.test(svc.what) || !/preserve-port/i.test(svc.what)) continue;
      const acl = svc.acl !== undefined ? device.acls.get(svc.acl) : undefined;
      for (const sim of sims) {
        const hit = sim.clients.filter((c) => !acl || evaluateNear(acl, packet({ protocol: PROTO.UDP, src: c, dst: sim.peer, srcPort: 500, dstPort: 500 })).action === "permit");
        if (hit.length < 2) continue;
        const idx = hit.map((c) => sim.clients.indexOf(c) + 1);
        report({
          at: svc.source,
          messageId: "preservePort",
          data: { acl: svc.acl ?? "the service", global: formatIp(sim.setup.globals[0] ?? 0), peer: formatIp(sim.peer), clients: idx.join(", ") },
          details: { clients: idx.length, peer: formatIp(sim.peer) },
        });
        break;
      }
    }
    if (device.vendor !== "asa") return;
    const f = device.features;
    for (const sp of f.servicePolicies) {
      const pol = f.inspectPolicies.get(sp.policy);
      const engines = (pol?.classes ?? []).flatMap((c) => c.actions.filter((a) => a.startsWith("inspect ")).map((a) => a.slice(8).split(" ")[0]!));
      if (!engines.includes("ipsec-pass-thru")) continue;
      // where it applies: every interface (global), or the PATs whose inside or outside is this interface
      const applies = sims.filter((s) => sp.iface === undefined || [s.setup.insideIf, s.setup.outsideIf].some((i) => i && (i.nameif ?? i.name).toLowerCase() === sp.iface!.toLowerCase()));
      const sim = applies[0];
      if (!sim) continue;
      report({
        at: sp.source,
        messageId: "passThru",
        data: { global: formatIp(sim.setup.globals[0] ?? 0), peer: formatIp(sim.peer), clients: sim.clients.map((_, i) => i + 1).join(", ") },
        details: { clients: sim.clients.length, peer: formatIp(sim.peer) },
      });
    }
  },
});
