/** Every config line inside an ACL, NAT or object context that the parser could not model. */
import { defineCheck, NO_OPTIONS } from "./define.js";

export const check = defineCheck({
  id: "unrecognized-syntax",
  needs: [],
  optionsSchema: NO_OPTIONS,
  messages: { diagnostic: "{{message}}" },
  run({ device }, _options, report) {
    for (const d of device.diagnostics) report({ at: d.source, messageId: "diagnostic", data: { message: d.message }, details: { kind: d.kind } });
  },
});
