/**
 * acl-must-permit: a policy check for rule files. Every packet of `options.space` (a HEADERSPACE,
 * see src/headerspace/parse.ts) must be permitted by each selected ACL (selection: see
 * ./policy-select.ts). A violating ACL gets one finding, at the first line that denies part of the
 * space (or at the ACL's definition line when only the implicit deny does), with a witness packet.
 *
 * Example rule (rulesDirs/peer-ike-in.json):
 *   { "check": "acl-must-permit",
 *     "options": { "space": "udp 203.0.113.10 500 any any", "acls": { "interfaceRole": "outside", "direction": "in" } } }
 */
import { defineCheck } from "./define.js";
import { POLICY_MESSAGES, POLICY_OPTIONS_SCHEMA, runPolicy, validatePolicyOptions } from "./policy-select.js";

export const check = defineCheck({
  id: "acl-must-permit",
  needs: ["sets"],
  optionsSchema: POLICY_OPTIONS_SCHEMA,
  validateOptions: validatePolicyOptions,
  messages: POLICY_MESSAGES,
  run(ctx, options, report) {
    runPolicy("acl-must-permit", "permit", ctx, options, report);
  },
});
