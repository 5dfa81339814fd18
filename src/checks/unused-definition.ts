/** An ACL or object-group that nothing references. */
import type { Check, RawFinding } from "./types.js";

export const check: Check = {
  id: "unused-definition",
  optionsSchema: { type: "object", additionalProperties: false, properties: {} },
  run({ device }) {
    const used = new Set<string>();
    for (const r of device.references) used.add(`${r.kind === "object" ? "object-group" : r.kind}\0${r.name}`);
    const out: RawFinding[] = [];
    for (const acl of device.acls.values()) {
      if (used.has(`acl\0${acl.name}`) || device.otherMentions.has(acl.name)) continue;
      out.push({ at: acl.source, acl: acl.name, message: `ACL ${acl.name} is defined but nothing references it`, data: { kind: "acl", name: acl.name } });
    }
    for (const g of device.objectGroups.values()) {
      if (used.has(`object-group\0${g.name}`) || device.otherMentions.has(g.name)) continue;
      const what = g.kind === "object-network" || g.kind === "object-service" ? "object" : "object-group";
      out.push({ at: g.source, message: `${what} ${g.name} is defined but nothing references it`, data: { kind: what, name: g.name } });
    }
    return out;
  },
};

