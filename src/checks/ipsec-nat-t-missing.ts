/**
 * ipsec-nat-t-missing: an ACL line permits IKE (udp 500) to or from a peer, but the ACL denies
 * NAT-T (udp 4500) between the same addresses. Once IKE detects a NAT, both sides move to
 * udp 4500 (RFC 3947 §4, RFC 7296 §2.23), so the tunnel never comes up behind a NAT.
 */
import { PROTO, inPorts } from "../model/ports.js";
import { formatPacket } from "../model/packet.js";
import type { Ace } from "../model/types.js";
import type { PSet } from "../headerspace/index.js";
import { defineCheck, NO_OPTIONS } from "./define.js";
import { asaToDeviceOnly, placements } from "./scope.js";
import { decidedBy, EXAMPLE_PEER } from "./witness.js";

/** Can the line match udp with port 500 on one side? (model-level filter before the set queries) */
function mayMatchIke(ace: Ace): boolean {
  return ace.match.services.some((t) => (t.protocol === PROTO.UDP || t.protocol === null) && (inPorts(t.dstPorts, 500) || inPorts(t.srcPorts, 500)));
}

export const check = defineCheck({
  id: "ipsec-nat-t-missing",
  needs: ["sets", "nat"],
  optionsSchema: NO_OPTIONS,
  messages: {
    missing:
      "{{acl}} permits IKE (udp/500) here but no NAT-T (udp/4500) between the same addresses: e.g. {{packet}} is denied by {{by}}. " +
      "Behind any NAT, IKE moves to udp/4500 after NAT detection, so the tunnel never comes up. Fix: permit udp/4500 wherever udp/500 is permitted",
  },
  run({ device, sets, nat }, _options, report) {
    const hs = sets.hs;
    const udp = hs.protocol(PROTO.UDP);
    const port = (f: "srcPort" | "dstPort", p: number) => hs.field(f, p, p);
    /** Forget both ports: what remains is the address pair (and the other header fields). */
    const pairs = (s: PSet) => hs.exists("srcPort", hs.exists("dstPort", s));
    const ikeTo = hs.and(udp, port("dstPort", 500));
    const ikeFrom = hs.diff(hs.and(udp, port("srcPort", 500)), port("dstPort", 500));
    const pat = nat.sides;
    for (const acl of device.acls.values()) {
      if (acl.type !== "extended") continue;
      const candidates = acl.entries.flatMap((e, index) => (e.action === "permit" && !e.inactive && mayMatchIke(e) ? [index] : []));
      if (candidates.length === 0) continue;
      const c = sets.compile(acl);
      // On the outside of this device's PAT the local end is always the router or the PAT address:
      // the source of what leaves (out), the destination of what arrives (in). Other address pairs
      // (e.g. the ISP gateway in a /30 written as the source) never carry this device's IPsec.
      const where = placements(device, acl.name);
      let local: PSet = hs.all;
      if (pat && where.length > 0 && where.every((b) => b.iface !== undefined && pat.outside.has(b.iface))) {
        const hosts = pat.addresses.map((a) => ({ addr: a, wildcard: 0 }));
        if (where.every((b) => b.direction === "out")) local = hs.addrSet("src", hosts);
        else if (where.every((b) => b.direction === "in")) local = hs.addrSet("dst", hosts);
      }
      // Address pairs with some NAT-T packet permitted: toward the peer's 4500 / from it.
      const natTo = pairs(c.permitIn(hs.and(udp, port("dstPort", 4500))));
      const natFrom = pairs(c.permitIn(hs.and(udp, port("srcPort", 4500))));
      for (const index of candidates) {
        const l = c.lines[index]!;
        if (asaToDeviceOnly(device, acl.name, l.match, hs)) continue; // never matches (acl-to-device-address)
        // IKE toward the peer (destination port 500) and from it (source port 500, not to 500).
        const toPeer = hs.diff(pairs(c.reachIn(l.index, hs.and(ikeTo, local))), natTo);
        const missing = !hs.isEmpty(toPeer)
          ? hs.and(toPeer, port("dstPort", 4500))
          : hs.and(hs.diff(pairs(c.reachIn(l.index, hs.and(ikeFrom, local))), natFrom), port("srcPort", 4500));
        if (hs.isEmpty(missing)) continue;
        const w = hs.witness(missing, { src: EXAMPLE_PEER, srcPort: 4500, dstPort: 4500 })!;
        report({
          at: l.ace.source,
          acl: acl.name,
          messageId: "missing",
          data: { acl: acl.name, packet: formatPacket(w), by: decidedBy(acl, w) },
          details: { witness: formatPacket(w) },
        });
      }
    }
  },
});
