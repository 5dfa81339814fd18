/**
 * Valid configuration that can change an ACL or NAT verdict and that natlint does not model (yet):
 * stateful inspection, IPsec, policy routing, outside NAT, fqdn objects, ACE conditions such as
 * `ttl`. Reported once per feature, at the line where it takes effect, saying what it could change.
 */
import { defineCheck, NO_OPTIONS } from "./define.js";

export const check = defineCheck({
  id: "unmodelled-feature",
  needs: [],
  optionsSchema: NO_OPTIONS,
  messages: { feature: "{{message}}" },
  run({ device }, _options, report) {
    for (const d of device.diagnostics) if (d.kind === "unmodelled") report({ at: d.source, messageId: "feature", data: { message: d.message } });
  },
});
