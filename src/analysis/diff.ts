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
 * interface that applies a non-existent ACL passes all traffic on IOS (commonly documented; not
 * confirmed in a Cisco reference), and an ACL that is added or removed changes behaviour relative
 * to that. `diffDevices` compares every ACL of two versions of a device config that way.
 *
 * Two versions of one ACL are aligned line by line first (./diff-align.ts): only the region the
 * differing lines match can change action, so both versions are compared within each differing
 * line's match alone, and the lines outside them — most of a long ACL after a small edit — are
 * never compiled. The result is the same as comparing the whole ACLs (`opts.full`), set for set.
 */
import { hullsMayIntersect, matchHull, type CompiledAcl, type MatchHull } from "../acl/compile.js";
import type { AclSets } from "../acl/sets.js";
import type { PSet } from "../headerspace/index.js";
import type { Ace, Acl, Device, Packet, Vendor } from "../model/types.js";
import { InputError } from "../core/errors.js";
import { changedPairs, differingEntries, hullOf } from "./diff-align.js";
import { implicitVerdict, type Verdict } from "../acl/evaluate.js";

export type Action = "permit" | "deny";

/** What a version decides for a part: the action and its deciding line (none: the implicit deny, or a missing ACL's permit). */
export type Decision = Verdict;

/** One version's partition of the header space into (deciding line, packets) parts. */
interface Part {
  decision: Verdict;
  set: PSet;
  hull?: MatchHull;
}

/** A missing ACL passes everything. */
const MISSING: Decision = Object.freeze({ action: "permit", index: -1 });

export interface AclChange {
  witness: Packet;
  old: Decision;
  new: Decision;
  /** Only with an intent: whether this part lies inside it. */
  inIntent?: boolean;
  /** Number of packets in this part (IPv4 packets over their 135 header bits, IPv6 ones over their 327). */
  count: bigint;
}

export interface AclDiff {
  acl: string;
  status: "changed" | "added" | "removed" | "unchanged";
  changes: AclChange[];
}

function partsOf(sets: AclSets, acl: Acl | undefined): { parts: Part[]; permit: PSet } {
  const hs = sets.hs;
  if (acl === undefined) return { parts: [{ decision: MISSING, set: hs.all }], permit: hs.all };
  const c: CompiledAcl = sets.compile(acl);
  const parts: Part[] = [];
  for (const l of c.lines) {
    if (l.reach === hs.none) continue;
    parts.push({ decision: { action: l.ace.action, ace: l.ace, index: l.index }, set: l.reach, hull: matchHull(l.ace.match) });
  }
  let tail = c.implicit;
  // the platform's implicit lines (IOS IPv6: neighbor discovery), then the implicit deny
  for (const l of acl.implicitPermits ?? []) {
    const set = hs.and(tail, sets.match(l.match, "permit", acl.vendor));
    if (set === hs.none) continue;
    parts.push({ decision: implicitVerdict(l.text), set });
    tail = hs.diff(tail, set);
  }
  if (tail !== hs.none) parts.push({ decision: { action: "deny", index: -1 }, set: tail });
  return { parts, permit: c.permit };
}

/**
 * `opts.full`: compare the whole ACLs even when they align (the reference the aligned comparison
 * must equal; for tests and bench/diff.ts).
 */
export function diffAcls(sets: AclSets, oldAcl: Acl | undefined, newAcl: Acl | undefined, intent?: PSet, opts: { full?: boolean } = {}): AclDiff {
  const hs = sets.hs;
  const name = newAcl?.name ?? oldAcl?.name;
  if (name === undefined) throw new Error("diffAcls: both ACL versions are missing");
  const status: AclDiff["status"] = oldAcl === undefined ? "added" : newAcl === undefined ? "removed" : "unchanged";
  const domain = hs.or(sets.domain(oldAcl ?? newAcl!), sets.domain(newAcl ?? oldAcl!));
  const changes: AclChange[] = [];
  // the changes' sets share sub-diagrams: each one's count is computed once
  const counted = new Map<number, bigint>();
  const emit = (old: Decision, nw: Decision, piece: PSet): void => {
    const pieces: Array<[PSet, boolean | undefined]> =
      intent === undefined
        ? [[piece, undefined]]
        : [
            [hs.and(piece, intent), true],
            [hs.diff(piece, intent), false],
          ];
    for (const [set, inIntent] of pieces) {
      if (set === hs.none) continue;
      const change: AclChange = { witness: hs.witness(set)!, old, new: nw, count: hs.count(set, counted) };
      if (inIntent !== undefined) change.inIntent = inIntent;
      changes.push(change);
    }
  };
  const differing = opts.full !== true && oldAcl !== undefined && newAcl !== undefined ? differingEntries(oldAcl, newAcl) : undefined;
  if (differing !== undefined) {
    // aligned: only the differing entries' regions can change (./diff-align.ts)
    for (const p of changedPairs(sets, oldAcl!, newAcl!, differing, domain)) emit(p.old, p.new, p.set);
  } else {
    const o = partsOf(sets, oldAcl);
    const n = partsOf(sets, newAcl);
    // Packets whose action differs: exactly the symmetric difference of the permit sets, among the
    // packets the ACL filters (a missing version takes the other's family: an IPv4 ACL added to an
    // interface changes nothing for IPv6).
    const changed = hs.and(domain, hs.or(hs.diff(o.permit, n.permit), hs.diff(n.permit, o.permit)));
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
          emit(op.decision, np.decision, piece);
        }
      }
    }
  }
  // both ways emit (old line, new line, inside-intent first) in line order, the implicit parts
  // last: o.parts and n.parts are in that order, and changedPairs sorts its pairs so.
  return { acl: name, status: status === "unchanged" && changes.length > 0 ? "changed" : status, changes };
}

export interface DeviceDiff {
  old: string;
  new: string;
  acls: AclDiff[];
  /** Something changed outside the intent (anything, without an intent). */
  outsideIntent: boolean;
}

/**
 * Every ACL of two versions of a device (or only `acl`), in the order they appear (old first,
 * then those only in new). An ACL only in one version is compared with "permit everything".
 */
export function diffDevices(sets: AclSets, oldDev: Device, newDev: Device, opts: { acl?: string; intent?: PSet; full?: boolean } = {}): DeviceDiff {
  const names = [...new Set([...oldDev.acls.keys(), ...newDev.acls.keys()])];
  if (opts.acl !== undefined && !names.includes(opts.acl)) throw new InputError(`ACL "${opts.acl}" is in neither ${oldDev.file} nor ${newDev.file}`);
  const selected = opts.acl !== undefined ? [opts.acl] : names;
  const acls = selected.map((n) => diffAcls(sets, oldDev.acls.get(n), newDev.acls.get(n), opts.intent, { full: opts.full === true }));
  const outsideIntent = acls.some((d) => d.status === "added" || d.status === "removed" || d.changes.some((c) => c.inIntent !== true));
  return { old: oldDev.file, new: newDev.file, acls, outsideIntent };
}

/** permit ∩ `region` of an entry list, first match wins (inactive entries never match). */
function permitWithin(sets: AclSets, vendor: Vendor, entries: readonly Ace[], region: PSet, hulls: readonly MatchHull[]): PSet {
  const hs = sets.hs;
  let rem = region;
  let acc: PSet = hs.none;
  for (const e of entries) {
    if (rem === hs.none) break;
    if (e.inactive) continue;
    const h = hullOf(e.match);
    if (!hulls.some((x) => hullsMayIntersect(x, h))) continue;
    const m = hs.and(sets.match(e.match, e.action, vendor), rem);
    if (m === hs.none) continue;
    if (e.action === "permit") acc = hs.or(acc, m);
    rem = hs.diff(rem, m);
  }
  return acc;
}

/**
 * The packets whose action differs between two entry lists of one ACL that differ only by the
 * `differing` entries (every other entry is in both, in the same order): a packet outside the
 * union of their matches (the region) is matched by none of them, so the same entry decides it in
 * both lists. `gained`: deny → permit; `lost`: permit → deny. Cost: set operations within
 * `region` only, so a proof for one edited line of a long ACL stays cheap.
 */
export function regionDiff(sets: AclSets, vendor: Vendor, oldEntries: readonly Ace[], newEntries: readonly Ace[], differing: readonly Ace[]): { gained: PSet; lost: PSet } {
  const hs = sets.hs;
  let region: PSet = hs.none;
  for (const e of differing) region = hs.or(region, sets.match(e.match, e.action, vendor));
  const hulls = differing.map((e) => hullOf(e.match));
  const o = permitWithin(sets, vendor, oldEntries, region, hulls);
  const n = permitWithin(sets, vendor, newEntries, region, hulls);
  return { gained: hs.diff(n, o), lost: hs.diff(o, n) };
}
