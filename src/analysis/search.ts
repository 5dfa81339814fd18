/** Finding one packet of a header space that an ACL permits (or denies), with its deciding line. */
import type { PSet } from "../headerspace/index.js";
import type { AclSets } from "../acl/sets.js";
import { evaluateAcl, type Verdict } from "../acl/evaluate.js";
import type { Acl, Packet } from "../model/types.js";

export interface SearchHit {
  witness: Packet;
  verdict: Verdict;
}

/**
 * A packet of `space` that the ACL gives `action`, with the line that decides it, or undefined
 * when there is none. `prefer` steers the witness (see `HeaderSpace.witness`).
 */
export function searchAcl(sets: AclSets, acl: Acl, action: "permit" | "deny", space: PSet, prefer?: Partial<Packet>): SearchHit | undefined {
  const hs = sets.hs;
  const c = sets.compile(acl);
  // only the packets the ACL filters: an IPv4 ACL denies no IPv6 packet, it never sees one
  const hits = hs.and(hs.and(space, sets.domain(acl)), action === "permit" ? c.permit : c.deny);
  const witness = hs.witness(hits, prefer);
  if (witness === undefined) return undefined;
  // one packet: the linear evaluator (no compiled evaluator build)
  return { witness, verdict: evaluateAcl(acl, witness) };
}
