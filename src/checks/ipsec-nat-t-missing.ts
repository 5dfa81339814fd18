/**
 * ipsec-nat-t-missing: an ACL line permits IKE (udp 500) to or from a peer, but the ACL denies
 * NAT-T (udp 4500) between the same addresses. Once IKE detects a NAT, both sides move to
 * udp 4500 (RFC 3947 §4, RFC 7296 §2.23; spec §6), so the tunnel never comes up behind a NAT.
 */
import { PROTO } from "../model/ports.js";
import type { PSet } from "../headerspace/index.js";
import { decidedBy, describePacket, EXAMPLE_PEER } from "./ipsec-source-port-pinned.js";
import { asaToDeviceOnly } from "./scope.js";
import type { Check, RawFinding } from "./types.js";

export const check: Check = {
  id: "ipsec-nat-t-missing",
  optionsSchema: { type: "object", additionalProperties: false, properties: {} },
  run({ device, hs }) {
    const out: RawFinding[] = [];
    const udp = hs.protocol(PROTO.UDP);
    const port = (f: "srcPort" | "dstPort", p: number) => hs.field(f, p, p);
    /** Forget both ports: what remains is the address pair (and the other header fields). */
    const pairs = (s: PSet) => hs.exists("srcPort", hs.exists("dstPort", s));
    for (const acl of device.acls.values()) {
      if (acl.type !== "extended") continue;
      const c = hs.compile(acl);
      const permitted = hs.and(c.permit, udp);
      // Address pairs with some NAT-T packet permitted: toward the peer's 4500 / from it.
      const natTo = pairs(hs.and(permitted, port("dstPort", 4500)));
      const natFrom = pairs(hs.and(permitted, port("srcPort", 4500)));
      for (const l of c.lines) {
        if (l.ace.action !== "permit") continue;
        if (asaToDeviceOnly(device, acl.name, l.match, hs)) continue; // never matches (acl-to-device-address)
        const ike = hs.and(l.reach, udp);
        // IKE toward the peer (destination port 500) and from it (source port 500, not to 500).
        const toPeer = hs.diff(pairs(hs.and(ike, port("dstPort", 500))), natTo);
        const fromPeer = hs.diff(pairs(hs.diff(hs.and(ike, port("srcPort", 500)), port("dstPort", 500))), natFrom);
        const missing = !hs.isEmpty(toPeer) ? hs.and(toPeer, port("dstPort", 4500)) : hs.and(fromPeer, port("srcPort", 4500));
        if (hs.isEmpty(missing)) continue;
        const w = hs.witness(missing, { src: EXAMPLE_PEER, srcPort: 4500, dstPort: 4500 })!;
        out.push({
          at: l.ace.source,
          acl: acl.name,
          message:
            `${acl.name} permits IKE (udp/500) here but no NAT-T (udp/4500) between the same addresses: e.g. ${describePacket(w)} is denied by ${decidedBy(hs, acl, w)}. ` +
            `Behind any NAT, IKE moves to udp/4500 after NAT detection, so the tunnel never comes up. Fix: permit udp/4500 wherever udp/500 is permitted`,
          data: { witness: describePacket(w) },
        });
      }
    }
    return out;
  },
};
