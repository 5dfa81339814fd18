/** An ACL or object-group that nothing references. */
import { defineCheck, NO_OPTIONS } from "./define.js";

export const check = defineCheck({
  id: "unused-definition",
  needs: [],
  optionsSchema: NO_OPTIONS,
  messages: {
    acl: "ACL {{name}} is defined but nothing references it",
    group: "{{what}} {{name}} is defined but nothing references it",
  },
  run({ device }, _options, report) {
    const used = new Set<string>();
    for (const r of device.references) used.add(`${r.kind === "object" ? "object-group" : r.kind}\0${r.name}`);
    for (const acl of device.acls.values()) {
      if (used.has(`acl\0${acl.name}`) || device.otherMentions.has(acl.name)) continue;
      report({ at: acl.source, acl: acl.name, messageId: "acl", data: { name: acl.name }, details: { kind: "acl", name: acl.name } });
    }
    for (const g of device.objectGroups.values()) {
      if (used.has(`object-group\0${g.name}`) || device.otherMentions.has(g.name)) continue;
      const what = g.kind === "object-network" || g.kind === "object-service" ? "object" : "object-group";
      report({ at: g.source, messageId: "group", data: { what, name: g.name }, details: { kind: what, name: g.name } });
    }
  },
});
