/**
 * l2tp-nat-t-missing: an inbound ACL accepts L2TP (udp/1701) and IKE (udp/500) for a server but
 * not NAT-T (udp/4500): the L2TP/IPsec server cannot be reached by a client behind a NAT. After
 * NAT detection IKE and ESP move to udp/4500 (RFC 3947 §4, RFC 7296 §2.23, RFC 3948), and
 * L2TP/IPsec (RFC 3193) carries L2TP inside that flow, so every client behind a home router, a
 * hotel, a Windows RRAS server or a carrier-grade NAT fails. Reported on the IKE line (where the
 * NAT-T line goes), as an error: ipsec-nat-t-missing yields to it there.
 */
import { formatIp } from "../model/addr.js";
import { formatPacket } from "../model/packet.js";
import { inPorts, PROTO } from "../model/ports.js";
import type { PSet } from "../headerspace/index.js";
import { defineCheck, NO_OPTIONS } from "./define.js";
import { natTRemedy } from "./ipsec-nat-t-missing.js";
import { asaToDeviceOnly, placements } from "./scope.js";
import { decidedBy, EXAMPLE_PEER } from "./witness.js";

export const check = defineCheck({
  id: "l2tp-nat-t-missing",
  needs: ["sets"],
  optionsSchema: NO_OPTIONS,
  messages: {
    missing:
      "{{acl}} accepts L2TP (udp/1701) and IKE (udp/500, this line) for {{server}} but not NAT-T (udp/4500): e.g. {{packet}} is denied by {{by}}. An L2TP/IPsec client behind a NAT (a home router, a hotel, Windows RRAS, a carrier-grade NAT) moves IKE and ESP to udp/4500 after NAT detection and carries L2TP inside it, so it never connects. Fix: permit udp/4500 wherever udp/500 is permitted",
  },
  run({ device, sets }, _options, report) {
    const hs = sets.hs;
    const udp = hs.protocol(PROTO.UDP);
    const to = (p: number) => hs.and(udp, hs.field("dstPort", p, p));
    const pairs = (s: PSet) => hs.exists("srcPort", hs.exists("dstPort", s));
    for (const acl of device.acls.values()) {
      if (acl.type !== "extended") continue;
      if (!placements(device, acl.name).some((b) => b.direction === "in" && !b.controlPlane)) continue;
      const c = sets.compile(acl);
      const l2tp = pairs(c.permitIn(to(1701)));
      if (hs.isEmpty(l2tp)) continue;
      const natT = pairs(c.permitIn(to(4500)));
      for (const l of c.lines) {
        const e = l.ace;
        if (e.action !== "permit" || e.inactive) continue;
        if (!e.match.services.some((t) => (t.protocol === PROTO.UDP || t.protocol === null) && inPorts(t.dstPorts, 500))) continue;
        if (asaToDeviceOnly(device, acl.name, l.match, hs)) continue;
        const ike = pairs(c.reachIn(l.index, to(500)));
        const missing = hs.and(hs.diff(hs.and(ike, l2tp), natT), to(4500));
        if (hs.isEmpty(missing)) continue;
        const w = hs.witness(missing, { src: EXAMPLE_PEER, srcPort: 4500, dstPort: 4500 })!;
        const server = formatIp(w.dst);
        report({
          at: e.source,
          acl: acl.name,
          messageId: "missing",
          data: { acl: acl.name, server, packet: formatPacket(w), by: decidedBy(acl, w) },
          details: { witness: formatPacket(w) },
          remedy: natTRemedy(device, acl.name, e, true),
        });
      }
    }
  },
});
