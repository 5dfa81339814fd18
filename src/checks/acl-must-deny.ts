/**
 * acl-must-deny: a policy check for rule files. No packet of `options.space` (a HEADERSPACE, see
 * src/headerspace/parse.ts) may be permitted by a selected ACL (selection: see ./policy-select.ts).
 * A violating ACL gets one finding, at the first line that permits part of the space, with a
 * witness packet. On IOS an access-group naming an undefined ACL permits everything, so such a
 * binding is reported at the access-group line.
 *
 * Example rule (rulesDirs/no-telnet-from-outside.json):
 *   { "check": "acl-must-deny",
 *     "options": { "space": "tcp any any any 23", "acls": { "interfaceRole": "outside", "direction": "in" } } }
 */
import { defineCheck } from "./define.js";
import { POLICY_MESSAGES, POLICY_OPTIONS_SCHEMA, runPolicy, validatePolicyOptions } from "./policy-select.js";

export const check = defineCheck({
  id: "acl-must-deny",
  needs: ["sets"],
  optionsSchema: POLICY_OPTIONS_SCHEMA,
  validateOptions: validatePolicyOptions,
  messages: POLICY_MESSAGES,
  run(ctx, options, report) {
    runPolicy("acl-must-deny", "deny", ctx, options, report);
  },
});
