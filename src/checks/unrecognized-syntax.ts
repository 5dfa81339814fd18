/** Every config line inside an ACL, NAT or object context that the parser could not model. */
import type { Check } from "./types.js";

const EMPTY = { type: "object", additionalProperties: false, properties: {} } as const;

export const check: Check = {
  id: "unrecognized-syntax",
  optionsSchema: EMPTY,
  run({ device }) {
    return device.diagnostics.map((d) => ({ at: d.source, message: d.message, data: { kind: d.kind } }));
  },
};
