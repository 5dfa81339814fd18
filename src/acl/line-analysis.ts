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
 * - blockers of a blocked line: first the earliest line covering it, among the lines matching all
 *   its sample packets (point queries); else the earlier lines that may overlap it (a lazy region
 *   query of the index), walked in order, each asked about the packets it shares with line i, the
 *   deciders taken off the remaining space in batches (bounded backward search: it stops soon
 *   after the line that covers the last of it), a line that decides a packet both match being a
 *   decider without a set test.
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
 * `LineAnalysis.deciders`: a line's deciders are found with its exact remaining space until that
 * has cost `nodes` new nodes; from then on they are taken off it in batches, the first of `batch`,
 * each next one twice as large (up to `batchMax`), the pending ones also after `idle` lines in a
 * row that decide nothing (the last decider may be behind). Same answers with any values (tests
 * set them to take the batched path from the first decider).
 * Measured on 100,000-line ACLs: bench/gen.ts's (a wide line under thousands of narrow ones)
 * 36 → 17 s; bench/random.ts's realistic one the same within noise (12.6–15.4 s, against
 * 13.4–16.0 s); batches from the first decider made the realistic one slower (16–17 s).
 */
export const DECIDER_TUNING = { nodes: 100000, batch: 16, batchMax: 256, idle: 32 };
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
   * The earlier lines that decide some of the packets of blocked line i, in order, up to the one
   * that covers the last of them (`last`); same definitions as a pass over the whole ACL.
   */
  deciders(i: number): { deciders: number[]; last: number } {
    const hs = this.space();
    const mi = this.match(i);
    let rem = mi;
    const out: number[] = [];
    const ix = this.index;
    // A line j decides some of line i's packets when a packet of both is matched by no line
    // before j. Shown by a packet (`meetPoint`), the decider is taken off the remaining space
    // later, in one union, when an exact test needs it; else, while the remaining space is cheap
    // (DECIDER_TUNING), j decides when it meets it and is taken off at once. Past that (a wide
    // line under many narrow ones) the packets both lines match are asked instead (a small set
    // when j is narrow; `uncovered`, with the earlier lines found so far shared, all before j),
    // and the deciders are taken off the remaining space in batches. The walk ends when nothing
    // remains, so it may test a few lines after the last decider (none of them decides
    // anything): the list and its end are those of a walk of sets.
    let pending: PSet[] = [];
    const known: number[] = [];
    const tune = DECIDER_TUNING;
    let batch = tune.batch;
    let idle = 0;
    const settle = (): void => {
      if (pending.length > 0) rem = hs.diff(rem, hs.union(pending));
      pending = [];
    };
    const start = hs.nodes;
    let exact = true;
    ix.eachOverlapping(i, 0, i, (j) => {
      const q = ix.meetPoint(i, j);
      const shown = q !== undefined && ix.first(q, 0, j) < 0;
      if (exact && hs.nodes - start > tune.nodes) exact = false;
      if (exact) {
        if (shown) {
          out.push(j);
          pending.push(this.match(j));
          return false;
        }
        settle();
        if (rem === 0) return true;
        const mj = this.match(j);
        if (mj === 0 || hs.disjoint(rem, mj)) return false;
        out.push(j);
        rem = hs.diff(rem, mj);
        return rem === 0;
      }
      if (!shown) {
        const mj = this.match(j);
        const piece = mj === 0 || hs.disjoint(rem, mj) ? 0 : hs.and(mi, mj);
        if (piece === 0 || this.uncovered(piece, j, known, 0, j) === 0) {
          if (pending.length === 0 || ++idle < tune.idle) return false;
          settle();
          idle = 0;
          return rem === 0;
        }
      }
      out.push(j);
      pending.push(this.match(j));
      idle = 0;
      if (pending.length < batch) return false;
      settle();
      batch = Math.min(2 * batch, tune.batchMax);
      return rem === 0;
    });
    settle();
    if (rem === 0) return { deciders: out, last: out[out.length - 1]! };
    throw new Error(`line analysis: line ${i} of ${this.acl.name} is not blocked by earlier lines`);
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
