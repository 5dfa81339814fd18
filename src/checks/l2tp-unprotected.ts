/**
 * l2tp-unprotected: an inbound interface ACL permits L2TP (udp/1701) to a server in the clear.
 * L2TP/IPsec (RFC 3193, "Securing L2TP using IPsec") carries udp/1701 inside IPsec ESP (in
 * udp/4500 behind a NAT, RFC 3948): a protected client never sends it outside ESP, so a line that
 * names udp/1701 as its destination port only ever lets unprotected L2TP (PPP and its
 * authentication in clear text) reach the server. Only a line that names the port (`eq 1701`,
 * alone or among other `eq` ports) is an L2TP line; a range that happens to hold 1701 (`gt 1023`,
 * the ports a PAT picks) is not.
 */
import { formatPacket } from "../model/packet.js";
import { PROTO } from "../model/ports.js";
import { nearAcl, udpPortCubes } from "../acl/restrict.js";
import { defineCheck, NO_OPTIONS } from "./define.js";
import { asaToDeviceOnly, placements } from "./scope.js";
import { EXAMPLE_PEER } from "./witness.js";

const L2TP = 1701;

export const check = defineCheck({
  id: "l2tp-unprotected",
  needs: ["sets"],
  optionsSchema: NO_OPTIONS,
  messages: {
    clear:
      "{{acl}} lets L2TP (udp/1701) in without IPsec, e.g. {{packet}}: L2TP/IPsec carries udp/1701 inside ESP, so no protected client needs this line, and it lets unprotected L2TP (PPP and its passwords in clear text) reach the server. Fix: remove it and permit IKE (udp/500), NAT-T (udp/4500) and ESP instead",
  },
  run({ device, sets }, _options, report) {
    const hs = sets.hs;
    const l2tp = hs.and(hs.protocol(PROTO.UDP), hs.field("dstPort", L2TP, L2TP));
    for (const acl of device.acls.values()) {
      if (acl.type !== "extended") continue;
      const where = placements(device, acl.name);
      if (!where.some((b) => b.direction === "in" && !b.controlPlane)) continue;
      // asked of the ACL restricted to udp to 1701 (src/acl/restrict.ts): the same answers, from
      // the few lines that can touch the port
      const near = nearAcl(sets, acl, ...udpPortCubes(acl.vendor, "dstPort", L2TP));
      for (let index = 0; index < acl.entries.length; index++) {
        const e = acl.entries[index]!;
        if (e.action !== "permit" || e.inactive) continue;
        // a line that names 1701 as the destination port (not one that permits every udp port)
        // `eq 1701` (alone or among other eq ports), not a range that happens to hold it (gt 1023)
        const named = e.match.services.some((t) => t.protocol === PROTO.UDP && t.dstPorts !== undefined && t.dstPorts.some((r) => r.lo === L2TP && r.hi === L2TP));
        if (!named) continue;
        const reach = near.reachIn(index, l2tp);
        if (hs.isEmpty(reach) || asaToDeviceOnly(device, acl.name, sets.match(e.match, e.action, acl.vendor), hs)) continue;
        const w = hs.witness(reach, { src: EXAMPLE_PEER, srcPort: L2TP, dstPort: L2TP })!;
        report({ at: e.source, acl: acl.name, messageId: "clear", data: { acl: acl.name, packet: formatPacket(w) }, details: { witness: formatPacket(w) } });
      }
    }
  },
});
