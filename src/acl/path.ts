/**
 * ACL checkpoints: evaluating a packet against the ACL bound to an interface in a direction.
 * The order in which checkpoints are visited (IOS order of operations) lives in src/sim/ipsec.ts.
 */
import type { Ace, Device, Interface, Packet } from "../model/types.js";
import { evaluateAcl } from "./match.js";

export interface CheckpointResult {
  interface: string;
  direction: "in" | "out";
  acl: string;
  /** Source line of the deciding ACE; null for the implicit deny or an undefined ACL. */
  line: number | null;
  action: "permit" | "deny";
  ace?: Ace;
  /** False when the bound ACL is not defined (IOS then permits everything, spec §7.1 [R][?]). */
  defined: boolean;
  packet: Packet;
}

/** The interface's display name: ASA nameif when present, else the interface name. */
export function ifName(i: Interface): string {
  return i.nameif ?? i.name;
}

export function boundAcl(i: Interface, direction: "in" | "out"): string | undefined {
  return i.accessGroups.find((g) => g.direction === direction && !g.controlPlane)?.acl;
}

/** Evaluate `p` at interface `i` in `direction`; undefined when no ACL is bound there. */
export function checkpoint(device: Device, i: Interface, direction: "in" | "out", p: Packet): CheckpointResult | undefined {
  const name = boundAcl(i, direction);
  if (name === undefined) return undefined;
  const acl = device.acls.get(name);
  if (!acl) return { interface: ifName(i), direction, acl: name, line: null, action: "permit", defined: false, packet: p };
  const v = evaluateAcl(acl, p);
  return {
    interface: ifName(i),
    direction,
    acl: name,
    line: v.ace ? v.ace.source.line : null,
    action: v.action,
    ...(v.ace ? { ace: v.ace } : {}),
    defined: true,
    packet: p,
  };
}
