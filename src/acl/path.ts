/**
 * Which ACL an interface applies in a direction. Evaluating packets at these checkpoints, in the
 * vendor's order of operations, lives in src/sim/ipsec.ts.
 */
import type { Interface } from "../model/types.js";

/** The interface's display name: ASA nameif when present, else the interface name. */
export function ifName(i: Interface): string {
  return i.nameif ?? i.name;
}

export function boundAcl(i: Interface, direction: "in" | "out"): string | undefined {
  return i.accessGroups.find((g) => g.direction === direction && !g.controlPlane)?.acl;
}
