/**
 * Lines the device rejects or natlint cannot parse: a line in an ACL, NAT or object context that
 * does not follow the grammar, an ACL entry outside any ACL, an object-group nesting cycle, a
 * nesting limit natlint reached. (Valid configuration natlint does not model is `unmodelled-feature`;
 * what it only notes is `config-note`.)
 */
import { defineCheck, NO_OPTIONS } from "./define.js";

const KINDS = new Set(["unrecognized-syntax", "cycle", "limit"]);

export const check = defineCheck({
  id: "unrecognized-syntax",
  needs: [],
  optionsSchema: NO_OPTIONS,
  messages: { diagnostic: "{{message}}" },
  run({ device }, _options, report) {
    for (const d of device.diagnostics) if (KINDS.has(d.kind)) report({ at: d.source, messageId: "diagnostic", data: { message: d.message }, details: { kind: d.kind } });
  },
});
