/**
 * Valid configuration natlint only notes: it does not change the IPv4 ACL and NAT verdicts natlint
 * gives, but the reader should know it was not analysed or was assumed (an interface address
 * learnt by DHCP, MAC access lists (and IPv6 ones in EOS syntax), application inspection's secondary connections).
 */
import { defineCheck, NO_OPTIONS } from "./define.js";

export const check = defineCheck({
  id: "config-note",
  needs: [],
  optionsSchema: NO_OPTIONS,
  messages: { note: "{{message}}" },
  run({ device }, _options, report) {
    for (const d of device.diagnostics) if (d.kind === "note") report({ at: d.source, messageId: "note", data: { message: d.message } });
  },
});
