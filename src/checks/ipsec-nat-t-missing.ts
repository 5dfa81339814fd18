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
    const p500 = (f: "srcPort" | "dstPort") => hs.field(f, 500, 500);
    const to4500 = (s: PSet, f: "srcPort" | "dstPort") => hs.setField(s, f, 4500, 4500);
    for (const acl of device.acls.values()) {
      if (acl.type !== "extended") continue;
      const c = hs.compile(acl);
      for (const l of c.lines) {
        if (l.ace.action !== "permit") continue;
        if (asaToDeviceOnly(device, acl.name, l.match, hs)) continue; // never matches (acl-to-device-address)
        const ike = hs.and(l.reach, udp);
        // Toward the peer: destination port 500 → 4500 (and a source port of 500 moves to 4500 too).
        const toPeer = hs.and(ike, p500("dstPort"));
        const fromPeer = hs.diff(hs.and(ike, p500("srcPort")), p500("dstPort"));
        if (hs.isEmpty(toPeer) && hs.isEmpty(fromPeer)) continue;
        const bothPorts = hs.and(toPeer, p500("srcPort"));
        const natT = hs.or(
          hs.or(to4500(to4500(bothPorts, "srcPort"), "dstPort"), to4500(hs.diff(toPeer, p500("srcPort")), "dstPort")),
          to4500(fromPeer, "srcPort"),
        );
        const missing = hs.diff(natT, c.permit);
        if (hs.isEmpty(missing)) continue;
        const w = hs.witness(missing, { src: EXAMPLE_PEER, srcPort: 4500, dstPort: 4500 })!;
        out.push({
          at: l.ace.source,
          acl: acl.name,
          message:
            `${acl.name} permits IKE (udp/500) here but not NAT-T (udp/4500) between the same addresses: e.g. ${describePacket(w)} is denied by ${decidedBy(hs, acl, w)}. ` +
            `Behind any NAT, IKE moves to udp/4500 after NAT detection, so the tunnel never comes up. Fix: permit udp/4500 wherever udp/500 is permitted`,
          data: { witness: describePacket(w) },
        });
      }
    }
    return out;
  },
};
