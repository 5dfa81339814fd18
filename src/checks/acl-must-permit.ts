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
import type { Check } from "./types.js";
import { POLICY_OPTIONS_SCHEMA, runPolicy, validatePolicyOptions, type PolicyOptions } from "./policy-select.js";

export const check: Check<PolicyOptions> & { validateOptions(options: PolicyOptions): string | undefined } = {
  id: "acl-must-permit",
  optionsSchema: POLICY_OPTIONS_SCHEMA,
  validateOptions: validatePolicyOptions,
  run(ctx, options) {
    return runPolicy("acl-must-permit", "permit", ctx, options);
  },
};
