/** `natlint flow`: concrete packets against one ACL, each with its action and deciding line. */
import { InputError } from "../core/errors.js";
import type { Acl, Device, Packet } from "../model/types.js";
import { evaluateAcl, type Verdict } from "../acl/evaluate.js";
import { classifier } from "../acl/classify.js";
import type { AclSets } from "../acl/sets.js";

/**
 * The verdict of each packet, in order. The batch evaluators (`aclJudge`) are far faster per
 * packet but cost a build first: they are used only for large batches (when `sets` is given and
 * there are at least 1,000 packets).
 */
export function flowVerdicts(device: Device, aclName: string, packets: readonly Packet[], sets?: AclSets): Verdict[] {
  const acl = flowAcl(device, aclName);
  packets.forEach((p, i) => {
    const why = flowFamilyError(acl, p);
    if (why) throw new InputError(`flow ${i + 1}: ${why}`);
  });
  const judge = aclJudge(acl, sets && packets.length >= COMPILED_BATCH ? sets : undefined);
  return packets.map(judge);
}

/** Batches of at least this many packets are judged by the compiled evaluator. */
export const COMPILED_BATCH = 1000;

/** The ACL flows are judged against; an InputError naming the defined ACLs when there is none of that name. */
export function flowAcl(device: Device, aclName: string): Acl {
  const acl = device.acls.get(aclName);
  if (acl) return acl;
  const known = [...device.acls.keys()];
  throw new InputError(`ACL "${aclName}" is not defined in ${device.file}${known.length ? ` (defined: ${known.slice(0, 10).join(", ")}${known.length > 10 ? ", …" : ""})` : ""}`);
}

/**
 * One packet's verdict, for a batch when `sets` is given: the line-index classifier
 * (../acl/classify.ts, built in time linear in the ACL's tests), else when its index would be too
 * large the compiled evaluator; without `sets` the reference evaluator. All give the same verdicts.
 */
export function aclJudge(acl: Acl, sets?: AclSets): (p: Packet) => Verdict {
  if (sets) {
    const fast = classifier(acl);
    if (fast) return fast;
    const c = sets.compile(acl);
    return (p) => c.evaluate(p);
  }
  return (p) => evaluateAcl(acl, p);
}

/**
 * Why the ACL cannot judge the packet, or undefined: an IPv4 ACL never sees IPv6 packets (IOS
 * filters them with `ipv6 traffic-filter`, an ASA before 9.0 with `ipv6 access-list`), nor an
 * IPv6 ACL IPv4 ones. ASA 9.0+ unified ACLs see both.
 */
export function flowFamilyError(acl: Acl, p: Packet): string | undefined {
  if (acl.family === "both") return undefined;
  const v6 = p.v6 !== undefined;
  if (v6 && acl.family !== "ipv6") return `an IPv6 flow, but ${acl.name} is an IPv4 ACL, which never sees IPv6 packets`;
  if (!v6 && acl.family === "ipv6") return `an IPv4 flow, but ${acl.name} is an IPv6 ACL, which never sees IPv4 packets`;
  return undefined;
}
