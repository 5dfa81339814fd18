/**
 * acl-to-device-address (ASA): an interface ACL line that only matches traffic to the ASA's own
 * addresses. Interface ACLs filter transit traffic; traffic to the box (IKE to a head-end ASA,
 * SSH, SNMP) is governed by control-plane ACLs (`access-group … control-plane`) and the
 * management access commands, so the line never matches. Spec §5.3.
 */
import { formatIp } from "../model/addr.js";
import { asaToDeviceOnly } from "./scope.js";
import type { Check, RawFinding } from "./types.js";

export const check: Check = {
  id: "acl-to-device-address",
  optionsSchema: { type: "object", additionalProperties: false, properties: {} },
  run({ device, hs }) {
    const out: RawFinding[] = [];
    if (device.vendor !== "asa") return out;
    for (const acl of device.acls.values()) {
      const c = hs.compile(acl);
      for (const l of c.lines) {
        if (!asaToDeviceOnly(device, acl.name, l.match, hs)) continue;
        const w = hs.witness(l.match);
        out.push({
          at: l.ace.source,
          acl: acl.name,
          message:
            `${acl.name} is an interface ACL, but this line matches only traffic to the ASA itself${w ? ` (${formatIp(w.dst)})` : ""}: ` +
            `interface ACLs filter transit traffic, traffic to the box is controlled by control-plane ACLs (access-group … control-plane) and management access, so this line never matches`,
        });
      }
    }
    return out;
  },
};
