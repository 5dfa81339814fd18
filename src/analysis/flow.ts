/** `natlint flow`: concrete packets against one ACL, each with its action and deciding line. */
import { InputError } from "../core/errors.js";
import type { Device, Packet } from "../model/types.js";
import { evaluateAcl, type Verdict } from "../acl/evaluate.js";
import type { AclSets } from "../acl/sets.js";

/**
 * The verdict of each packet, in order. The compiled evaluator is far faster per packet but costs
 * a build superlinear in the ACL's size: it is used only for large batches (when `sets` is given
 * and there are at least 1,000 packets).
 */
export function flowVerdicts(device: Device, aclName: string, packets: readonly Packet[], sets?: AclSets): Verdict[] {
  const acl = device.acls.get(aclName);
  if (!acl) {
    const known = [...device.acls.keys()];
    throw new InputError(`ACL "${aclName}" is not defined in ${device.file}${known.length ? ` (defined: ${known.slice(0, 10).join(", ")}${known.length > 10 ? ", …" : ""})` : ""}`);
  }
  if (sets && packets.length >= 1000) {
    const c = sets.compile(acl);
    return packets.map((p) => c.evaluate(p));
  }
  return packets.map((p) => evaluateAcl(acl, p));
}
