/**
 * Which lines of an ACL decide packets (reachability), which earlier lines block those that do
 * not, and which later lines would decide a line's packets without it — the questions of the
 * shadowed-line and redundant-line checks — in time near-linear in the ACL's length.
 *
 * No set of the whole ACL is built (the union of earlier lines of a long ACL with hosts, subnets,
 * non-contiguous wildcards and port ranges is inherently large). Everything is asked about one
 * line's own packets, driven by concrete packets:
 *
 * - reachability, one forward pass: the sample packets of line i (built from its plan,
 *   ./line-box.ts); the first earlier line matching one (an index lookup); none → line i decides that packet
 *   (reachable, with that packet as its witness); else the remaining space of line i loses that
 *   line's match and the next packet is taken from what remains — empty → line i is blocked.
 *   Each step removes one earlier line, so the loop ends; usually the first packet settles it.
 * - blockers of a blocked line (the shadowed-line check): first the earliest line covering it,
 *   among the lines matching all its sample packets (point queries); else a lazy greedy cover over
 *   the earlier lines that may overlap it (a region query of the index), ordered by bounds on the
 *   packets they share with line i and asked exactly only when on top, a line that decides a
 *   packet both match being a decider without a set test.
 * - redundancy, one backward pass: the witness of line i first (the later line that would decide
 *   it: another action, or none, and line i is needed — the common case, one lookup), then more
 *   packets of line i, each taking the line that decides it off line i's remaining space (a
 *   packet decided with the other action: needed — the final `deny ip any any` is found without
 *   walking every line above it), then for the others the exact walk over the later lines that
 *   may overlap line i.
 *
 * Packet sets live in a private header space whose node table is capped: it is dropped (all its
 * nodes are dead then) between lines when it grows past `NODE_CAP`, and released after each use,
 * so memory stays bounded whatever the ACL's length. Its addresses are coded by the atoms of the
 * ACL's address tests (./atoms.ts: a host in about 15 levels instead of 32 or 128).
 */
import { HeaderSpace, type PSet } from "../headerspace/index.js";
import { anyPoint } from "../headerspace/point.js";
import type { Acl, Packet } from "../model/types.js";
import { AddressAtoms } from "./atoms.js";
import { LineIndex } from "./line-index.js";
import { AclSets } from "./sets.js";

/** Nodes of the private manager before it is dropped at the next line (~100 MB of tables). */
export const NODE_CAP = 1 << 22;
/**
 * The private sets encode an ACL's addresses by the atoms of its address tests (./atoms.ts).
 * Same answers either way; tests switch it off to compare.
 */
export const ATOMS = { enabled: true };

/** Per line: decides some packet, match empty, and a packet it decides. */
interface Reach {
  reachable: Uint8Array;
  empty: Uint8Array;
  witness: Array<Packet | undefined>;
}

const reachMemo = new WeakMap<Acl, { entries: Acl["entries"]; reach: Reach }>();
/** The line index of an ACL (shadowed-line and redundant-line share it, as they share `reach`). */
const indexMemo = new WeakMap<Acl, { entries: Acl["entries"]; index: LineIndex }>();
function indexOf(acl: Acl): LineIndex {
  const hit = indexMemo.get(acl);
  if (hit !== undefined && hit.entries === acl.entries && hit.index.n === acl.entries.length) return hit.index;
  const index = new LineIndex(acl);
  indexMemo.set(acl, { entries: acl.entries, index });
  return index;
}

/**
 * A released private manager whose arrays the next one takes over (`HeaderSpace`'s `reuse`): a
 * manager dropped at `NODE_CAP` and started again would allocate and grow its tables anew, and
 * each such allocation of large buffers can start a full garbage collection of the JS heap.
 */
let spare: HeaderSpace | undefined;

/** Free the kept arrays (after each rule: other analyses need the memory, and a process that goes on does not hold them). */
export function dropSpareSets(): void {
  spare = undefined;
}

export class LineAnalysis {
  readonly index: LineIndex;
  private hs: HeaderSpace | undefined;
  private enc: AclSets | undefined;
  private sets: Int32Array;
  protected notFragment = -1;
  /** Counts of the private manager's nodes (`HeaderSpace.count`), kept while it lives. */
  private counts = new Map<number, bigint>();
  /** The ACL's address atoms, when its private sets are coded (`ATOMS`; found with the first set). */
  private atoms: AddressAtoms | undefined;

  /**
   * `budget`: the node budget of the analysis (`--max-bdd-nodes`, the device's `sets` budget):
   * the private manager is held to it (a line needing more throws `BddBudgetError`, so the rule
   * stops for the file with the limit note) and dropped between lines at half of it.
   */
  constructor(
    readonly acl: Acl,
    private readonly budget = Infinity,
  ) {
    this.index = indexOf(acl);
    this.sets = new Int32Array(acl.entries.length).fill(-1);
  }

  /** The private header space (created on first use). */
  space(): HeaderSpace {
    if (this.hs === undefined) {
      const reuse = spare;
      spare = undefined;
      this.hs = new HeaderSpace(reuse !== undefined ? { reuse } : {});
      if (this.budget < this.hs.bdd.maxNodes) this.hs.bdd.maxNodes = this.budget;
      this.atoms ??= ATOMS.enabled ? AddressAtoms.of(this.acl) : undefined;
      this.enc = new AclSets(this.hs, this.atoms);
      this.notFragment = this.hs.eq("fragment", 0);
    }
    return this.hs;
  }

  /** A safe point (no set held): drop the manager when it has grown past the cap. */
  checkpoint(): void {
    if (this.hs !== undefined && this.hs.nodes > Math.min(NODE_CAP, this.budget / 2)) this.release();
  }

  /** Free the private manager (the next set built starts a new one). */
  release(): void {
    // its arrays serve the next private manager (this analysis's or the next one's)
    if (this.hs !== undefined && (spare === undefined || spare.bdd.nodes.length < this.hs.bdd.nodes.length)) spare = this.hs;
    this.hs = undefined;
    this.enc = undefined;
    this.counts = new Map();
    this.sets.fill(-1);
  }

  /** Number of packets of a set of the private manager (`HeaderSpace.count`, memoised). */
  count(x: PSet): bigint {
    if (this.counts.size > 1 << 20) this.counts = new Map();
    const hs = this.space();
    return this.atoms ? this.atoms.count(hs, x, this.counts) : hs.count(x, this.counts);
  }

  /** Some packet of a set of the private manager (`anyPoint`, a coded address decoded from its atom). */
  protected pointIn(x: PSet): Packet {
    const p = anyPoint(this.hs!, x)!;
    return this.atoms ? this.atoms.decode(p) : p;
  }

  /** The exact set line j matches (none for an inactive line), in the private manager. */
  match(j: number): PSet {
    const hs = this.space();
    let s = this.sets[j]!;
    if (s < 0) {
      const e = this.acl.entries[j]!;
      s = e.inactive ? hs.none : this.enc!.match(e.match, e.action, this.acl.vendor);
      this.sets[j] = s;
    }
    return s;
  }

  /** Reachability of every line (memoised per ACL: shadowed-line and redundant-line share it). */
  reach(): Reach {
    const hit = reachMemo.get(this.acl);
    if (hit !== undefined && hit.entries === this.acl.entries) return hit.reach;
    const n = this.acl.entries.length;
    const reach: Reach = { reachable: new Uint8Array(n), empty: new Uint8Array(n), witness: new Array<Packet | undefined>(n) };
    const ix = this.index;
    for (let i = 0; i < n; i++) {
      if (ix.plans[i] === undefined) continue; // inactive
      this.checkpoint();
      // the sample points of the line first (./line-box.ts): one no earlier line matches is a
      // packet line i decides, found without building a set
      const free = ix.points(i).find((q) => ix.first(q, 0, i) < 0);
      if (free !== undefined) {
        reach.reachable[i] = 1;
        reach.witness[i] = free;
        continue;
      }
      let p = ix.point(i);
      let r = -1;
      if (p === undefined) {
        r = this.match(i);
        if (r === 0) {
          reach.empty[i] = 1;
          continue;
        }
        p = this.pointIn(r);
      }
      for (;;) {
        const j = ix.first(p, 0, i);
        if (j < 0) {
          reach.reachable[i] = 1;
          reach.witness[i] = p;
          break;
        }
        const hs = this.space();
        if (r < 0) r = this.match(i);
        r = hs.diff(r, this.match(j));
        if (r === 0) break;
        p = this.pointIn(r);
      }
    }
    reachMemo.set(this.acl, { entries: this.acl.entries, reach });
    return reach;
  }

  /**
   * X ⊆ the union of the active lines before i, by packets: a packet of X no earlier line matches
   * disproves it; else that line's match leaves X. `known` carries the earlier lines found for i.
   * `within`: a line whose match contains X; a known line whose boxes do not meet its boxes is
   * disjoint from X and skipped without a set operation.
   */
  coveredBefore(x: PSet, i: number, known: number[], within = -1): boolean {
    return this.uncovered(x, i, known, 0, within) === 0;
  }

  /**
   * What of X is left outside the earlier lines `coveredBefore` finds (none when it holds; else a
   * set holding a packet no line before i matches), with the known lines from `from` on applied.
   */
  protected uncovered(x: PSet, i: number, known: number[], from: number, within = -1): PSet {
    const hs = this.space();
    for (let k = from; k < known.length && x !== 0; k++) {
      const j = known[k]!;
      if (within < 0 || this.index.boxesMeet(j, within)) x = hs.diff(x, this.match(j));
    }
    while (x !== 0) {
      const j = this.index.first(this.pointIn(x), 0, i);
      if (j < 0) return x;
      known.push(j);
      x = hs.diff(x, this.match(j));
    }
    return 0;
  }
}
