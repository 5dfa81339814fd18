/** An ACL, object-group, object, NAT pool, interface or time-range referenced but not defined. */
import type { Device, Reference } from "../model/types.js";
import { defineCheck, NO_OPTIONS } from "./define.js";
import { findInterface } from "../model/device.js";

function defined(device: Device, r: Reference): boolean {
  const n = r.name;
  switch (r.kind) {
    case "acl":
      return device.acls.has(n);
    case "object-group":
    case "object":
      return device.objectGroups.has(n);
    case "nat-pool":
      return device.natPools.has(n);
    case "interface":
      return findInterface(device, n) !== undefined;
    case "time-range":
      return device.timeRanges.has(n);
    case "route-map":
      return true; // route-maps are not modelled: never reported as undefined
  }
}

const WHAT: Record<Reference["kind"], string> = {
  acl: "ACL",
  "object-group": "object-group",
  object: "object",
  "nat-pool": "NAT pool",
  interface: "interface",
  "time-range": "time-range",
  "route-map": "route-map",
};

export const check = defineCheck({
  id: "undefined-reference",
  needs: [],
  optionsSchema: NO_OPTIONS,
  messages: { undefined: '{{what}} "{{name}}" is referenced by {{context}} but not defined{{consequence}}' },
  run({ device }, _options, report) {
    const seen = new Set<string>();
    for (const r of device.references) {
      if (defined(device, r)) continue;
      const key = `${r.kind}\0${r.name}\0${r.source.line}`;
      if (seen.has(key)) continue;
      seen.add(key);
      let consequence = "";
      if (r.kind === "acl" && r.use === "access-group")
        consequence = device.vendor === "ios" ? ": IOS permits all traffic through an interface whose ACL does not exist" : ": the access-group has no effect";
      else if (r.kind === "acl" && r.use === "nat") consequence = ": the NAT rule translates nothing";
      else if (r.kind === "object-group" || r.kind === "object") consequence = ": the line matches nothing";
      else if (r.kind === "nat-pool") consequence = ": the NAT rule translates nothing";
      report({
        at: r.source,
        messageId: "undefined",
        data: { what: WHAT[r.kind], name: r.name, context: r.context, consequence },
        details: { kind: r.kind, name: r.name },
      });
    }
  },
});
