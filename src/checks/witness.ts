/** Shared by the checks that show an example packet: a readable witness and the line deciding it. */
import { evaluateAcl } from "../acl/evaluate.js";
import type { Acl, Packet } from "../model/types.js";

/** A readable address for witnesses when any address would do (TEST-NET-2). */
export const EXAMPLE_PEER = 0xc6336417; // 198.51.100.23
/** A second readable address, for the other end of a witness (TEST-NET-2). */
export const EXAMPLE_HOST = 0xc6336418; // 198.51.100.24

/**
 * The line that decides one witness packet. The linear reference evaluator: building the compiled
 * evaluator only pays off for many packets (it is superlinear in the ACL's size).
 */
export function decidedBy(acl: Acl, p: Packet): string {
  const v = evaluateAcl(acl, p);
  return v.ace ? `line ${v.ace.source.line}` : "the implicit deny";
}
