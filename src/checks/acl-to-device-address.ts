/**
 * acl-to-device-address (ASA): an interface ACL line that only matches traffic to the ASA's own
 * addresses. Interface ACLs filter transit traffic; traffic to the box (IKE to a head-end ASA,
 * SSH, SNMP) is governed by control-plane ACLs (`access-group … control-plane`) and the
 * management access commands, so the line never matches (ASA configuration guide, "Access Rules").
 */
import { packetAddr } from "../model/packet.js";
import { asaToDeviceOnly } from "./scope.js";
import { defineCheck, NO_OPTIONS } from "./define.js";

export const check = defineCheck({
  id: "acl-to-device-address",
  needs: ["sets"],
  optionsSchema: NO_OPTIONS,
  messages: {
    toDevice:
      "{{acl}} is an interface ACL, but this line matches only traffic to the ASA itself{{dst}}: " +
      "interface ACLs filter transit traffic, traffic to the box is controlled by control-plane ACLs (access-group … control-plane) and management access, so this line never matches",
  },
  run({ device, sets }, _options, report) {
    const hs = sets.hs;
    if (device.vendor !== "asa") return;
    for (const acl of device.acls.values()) {
      const c = sets.compile(acl);
      for (const l of c.lines) {
        if (!asaToDeviceOnly(device, acl.name, l.match, hs)) continue;
        const w = hs.witness(l.match);
        report({ at: l.ace.source, acl: acl.name, messageId: "toDevice", data: { acl: acl.name, dst: w ? ` (${packetAddr(w, "dst")})` : "" } });
      }
    }
  },
});
