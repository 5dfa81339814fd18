/** A file that is not a Cisco IOS or ASA configuration: nothing in it was analysed. */
import { defineCheck, NO_OPTIONS } from "./define.js";

export const check = defineCheck({
  id: "unsupported-input",
  needs: [],
  optionsSchema: NO_OPTIONS,
  messages: { unsupported: "{{message}}" },
  run({ device }, _options, report) {
    for (const d of device.diagnostics) if (d.kind === "unsupported") report({ at: d.source, messageId: "unsupported", data: { message: d.message } });
  },
});
