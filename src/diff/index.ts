/**
 * Behavioural ACL diff and search over exact packet sets.
 *
 * `diffAcls` reports exactly the packets whose action (permit/deny) differs between two versions
 * of an ACL, split by the pair (deciding line in the old ACL, deciding line in the new ACL), and —
 * with an intent space — further into the part inside and the part outside the intent. Each change
 * carries one witness packet from its part (so the witness really changes action) and the exact
 * number of packets in it.
 *
 * A missing ACL (old or new `undefined`) behaves as "permit everything" with no deciding line: an
 * interface that applies a non-existent ACL is commonly documented to pass all traffic (spec §7.1,
 * "Applying a non-existent ACL"), and an ACL that is added or removed changes behaviour relative
 * to that.
 */
import { hullsMayIntersect, matchHull, type CompiledAcl, type MatchHull } from "../acl/compile.js";
import type { HeaderSpace, PSet } from "../headerspace/index.js";
import type { Acl, Packet } from "../model/types.js";
import { evaluateAcl } from "../acl/evaluate.js";

export type Action = "permit" | "deny";

export interface Decision {
  action: Action;
  /** Source line number of the deciding ACE; null for the implicit deny (or a missing ACL). */
  line: number | null;
}

export interface AclChange {
  witness: Packet;
  old: Decision;
  new: Decision;
  /** Only with an intent: whether this part lies inside it. */
  inIntent?: boolean;
  /** Number of packets in this part (over all 135 header bits). */
  count: bigint;
}

export interface AclDiff {
  acl: string;
  status: "changed" | "added" | "removed" | "unchanged";
  changes: AclChange[];
}

/** One version's partition of the header space into (deciding line, packets) parts. */
interface Part {
  /** Sort key: entry index, or +∞ for the implicit deny / missing ACL. */
  key: number;
  decision: Decision;
  set: PSet;
  hull?: MatchHull;
}

function partsOf(hs: HeaderSpace, acl: Acl | undefined): { parts: Part[]; permit: PSet } {
  if (acl === undefined) return { parts: [{ key: Infinity, decision: { action: "permit", line: null }, set: hs.all }], permit: hs.all };
  const c: CompiledAcl = hs.compile(acl);
  const parts: Part[] = [];
  for (const l of c.lines) {
    if (l.reach === hs.none) continue;
    parts.push({ key: l.index, decision: { action: l.ace.action, line: l.ace.source.line }, set: l.reach, hull: matchHull(l.ace.match) });
  }
  if (c.implicit !== hs.none) parts.push({ key: Infinity, decision: { action: "deny", line: null }, set: c.implicit });
  return { parts, permit: c.permit };
}

export function diffAcls(hs: HeaderSpace, oldAcl: Acl | undefined, newAcl: Acl | undefined, intent?: PSet): AclDiff {
  const name = newAcl?.name ?? oldAcl?.name;
  if (name === undefined) throw new Error("diffAcls: both ACL versions are missing");
  const status: AclDiff["status"] = oldAcl === undefined ? "added" : newAcl === undefined ? "removed" : "unchanged";
  const o = partsOf(hs, oldAcl);
  const n = partsOf(hs, newAcl);
  // Packets whose action differs: exactly the symmetric difference of the permit sets.
  const changed = hs.or(hs.diff(o.permit, n.permit), hs.diff(n.permit, o.permit));
  const changes: AclChange[] = [];
  if (changed !== hs.none) {
    for (const op of o.parts) {
      let rem = hs.and(op.set, changed);
      if (rem === hs.none) continue;
      for (const np of n.parts) {
        if (rem === hs.none) break;
        if (op.hull && np.hull && !hullsMayIntersect(op.hull, np.hull)) continue;
        const piece = hs.and(rem, np.set);
        if (piece === hs.none) continue;
        rem = hs.diff(rem, piece);
        const pieces: Array<[PSet, boolean | undefined]> =
          intent === undefined
            ? [[piece, undefined]]
            : [
                [hs.and(piece, intent), true],
                [hs.diff(piece, intent), false],
              ];
        for (const [set, inIntent] of pieces) {
          if (set === hs.none) continue;
          const change: AclChange = { witness: hs.witness(set)!, old: { ...op.decision }, new: { ...np.decision }, count: hs.count(set) };
          if (inIntent !== undefined) change.inIntent = inIntent;
          changes.push(change);
        }
      }
    }
  }
  // o.parts and n.parts are in line order with the implicit deny last, and the loops above emit
  // (old line, new line, inside-intent first) in that order already.
  return { acl: name, status: status === "unchanged" && changes.length > 0 ? "changed" : status, changes };
}

/**
 * A packet of `space` that the ACL gives `action`, with the line that decides it (null = implicit
 * deny), or undefined when there is none. `prefer` steers the witness (see `HeaderSpace.witness`).
 */
export function searchAcl(
  hs: HeaderSpace,
  acl: Acl,
  action: Action,
  space: PSet,
  prefer?: Partial<Packet>,
): { witness: Packet; line: number | null } | undefined {
  const c = hs.compile(acl);
  const hits = hs.and(space, action === "permit" ? c.permit : c.deny);
  const witness = hs.witness(hits, prefer);
  if (witness === undefined) return undefined;
  const v = evaluateAcl(acl, witness); // one packet: the linear evaluator (no compiled evaluator build)
  return { witness, line: v.ace ? v.ace.source.line : null };
}
