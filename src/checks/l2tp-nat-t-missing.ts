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
import { fragmentsByAddress, nearAcl, udpPortCubes } from "../acl/restrict.js";
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
    const toPort = (p: number) => hs.and(udp, hs.field("dstPort", p, p));
    const pairs = (s: PSet) => hs.exists("srcPort", hs.exists("dstPort", s));
    for (const acl of device.acls.values()) {
      if (acl.type !== "extended") continue;
      if (!placements(device, acl.name).some((b) => b.direction === "in" && !b.controlPlane)) continue;
      // Each question is asked of the ACL restricted to udp to its port (src/acl/restrict.ts): the
      // same answers, from the few lines that can touch the port. On IOS, non-initial fragments
      // are left out when the ACL decides them by address only (no `fragments` line with ports):
      // the fragments permitted to 1701 and to 4500 then have the same address pairs, so they add
      // nothing to what is missing.
      const whole = fragmentsByAddress(acl);
      const to = (p: number) => (whole ? hs.and(toPort(p), hs.field("fragment", 0, 0)) : toPort(p));
      const near = (p: number) => nearAcl(sets, acl, ...udpPortCubes(acl.vendor, "dstPort", p, whole));
      const l2tp = pairs(near(1701).permitIn(to(1701)));
      if (hs.isEmpty(l2tp)) continue;
      // the address pairs L2TP reaches and NAT-T does not
      const lacking = hs.diff(l2tp, pairs(near(4500).permitIn(to(4500))));
      if (hs.isEmpty(lacking)) continue;
      const ikeAcl = near(500);
      for (let index = 0; index < acl.entries.length; index++) {
        const e = acl.entries[index]!;
        if (e.action !== "permit" || e.inactive) continue;
        if (!e.match.services.some((t) => (t.protocol === PROTO.UDP || t.protocol === null) && inPorts(t.dstPorts, 500))) continue;
        if (asaToDeviceOnly(device, acl.name, sets.match(e.match, e.action, acl.vendor), hs)) continue;
        // what the line's own match would miss bounds what its reach misses (no pass over the
        // lines above it when that is nothing)
        if (hs.disjoint(pairs(hs.and(sets.match(e.match, e.action, acl.vendor), to(500))), lacking)) continue;
        const missing = hs.and(hs.and(pairs(ikeAcl.reachIn(index, to(500))), lacking), to(4500));
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
