/**
 * An ACL restricted to a cube of the header space (a protocol and address / port sets), for the
 * checks that ask a small question of a large ACL — the IPsec checks only care about udp 500/4500
 * and the PAT bands between a few endpoints (RFC 7296 section 2.23, RFC 3947/3948: IKE on udp 500,
 * NAT-T on udp 4500).
 *
 * `restrictAcl` keeps, in order, the lines whose match may intersect the cube — one cheap test per
 * line on its plan (./semantics.ts), no packet set built — and drops the others. Dropped lines
 * match no packet of the cube, so for every packet inside the cube first-match over the
 * restricted ACL gives the same action and (through `lines`) the same deciding line as over the
 * whole ACL. Anything built from the restricted ACL (`AclSets.compile`, per-line set queries) must
 * be intersected with `cubeSet` before it is read as a statement about the whole ACL: outside the
 * cube the restricted ACL means nothing.
 */
import type { HeaderSpace, PSet } from "../headerspace/index.js";
import type { Ace, Acl, AddrSet, Packet } from "../model/types.js";
import { cubeKey, cubeSet, mayMeet, packetInCube, type Cube } from "./cube.js";
import { aceMatches, evaluateAcl, IMPLICIT_DENY, implicitVerdict, plansOf, type Verdict } from "./evaluate.js";
import type { AclSets } from "./sets.js";
import { permitWithin } from "./compile.js";
import { CubeCofactor } from "../headerspace/cube-split.js";
import { fewBefore, firstMatchNear, lineIndexOf } from "./near-lines.js";

export { cubeSet, packetInCube, type Cube } from "./cube.js";

export interface RestrictedAcl {
  /** The kept lines as an ACL (same Ace objects, same order, same vendor and name). */
  readonly acl: Acl;
  /** `lines[k]` = index in the original ACL of the restricted ACL's line k. */
  readonly lines: readonly number[];
  readonly cube: Cube;
}

/** The lines of `acl` that may match a packet of `cube` (inactive lines never do). */
export function restrictAcl(acl: Acl, cube: Cube): RestrictedAcl {
  const plans = plansOf(acl);
  const lines: number[] = [];
  for (let i = 0; i < plans.length; i++) {
    const plan = plans[i];
    if (plan !== undefined && plan.some((c) => mayMeet(c, cube))) lines.push(i);
  }
  const entries = lines.map((i) => acl.entries[i]!);
  return { acl: { ...acl, entries }, lines, cube };
}

/**
 * Off only in the differential test (test/restrict-checks.test.ts): `restricted` then keeps every
 * line, `evaluateIn` / `evaluateNear` run the linear evaluator on the whole ACL and `nearAcl`
 * answers from the whole compiled ACL, so the checks compute as they did before restricting.
 */
export const restriction = { enabled: true };

const memo = new WeakMap<Acl, { entries: readonly Ace[]; length: number; byCube: Map<string, RestrictedAcl>; byLines: Map<string, Acl> }>();

/**
 * `restrictAcl`, memoised per ACL (by identity, while its entries are the same array: an edited
 * copy in a fix proof is another ACL) and cube, so every check and simulated packet asking about
 * the same cube shares one restricted ACL (and, through `AclSets.compile`'s cache, one compiled
 * one). With `restriction.enabled` off, the ACL itself with every line kept.
 */
export function restricted(acl: Acl, cube: Cube): RestrictedAcl {
  let m = memo.get(acl);
  if (m === undefined || m.entries !== acl.entries || m.length !== acl.entries.length)
    memo.set(acl, (m = { entries: acl.entries, length: acl.entries.length, byCube: new Map(), byLines: new Map() }));
  const key = (restriction.enabled ? "" : "whole:") + cubeKey(cube);
  let r = m.byCube.get(key);
  if (r === undefined) {
    if (!restriction.enabled) r = { acl, lines: acl.entries.map((_, i) => i), cube };
    else {
      r = restrictAcl(acl, cube);
      // cubes that keep the same lines share one ACL object (and so one compiled ACL)
      const lk = r.lines.join(",");
      const same = m.byLines.get(lk);
      if (same !== undefined) r = { ...r, acl: same };
      else m.byLines.set(lk, r.acl);
    }
    m.byCube.set(key, r);
  }
  return r;
}

/** The index in the restricted ACL of original line `index`, -1 when it was dropped (it matches nothing of the cube). */
export function restrictedIndex(r: RestrictedAcl, index: number): number {
  const ls = r.lines;
  let lo = 0;
  let hi = ls.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = ls[mid]!;
    if (v === index) return mid;
    if (v < index) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/**
 * `evaluateAcl(acl, p)` read from the ACL restricted to `cube` when the packet lies in it (the
 * same action and deciding line; `index` is the line's index in `acl`), through a line index of
 * the restricted ACL (the first matching line among those filed under the packet's addresses);
 * else from the whole ACL.
 */
export function evaluateIn(acl: Acl, cube: Cube, p: Packet): Verdict {
  if (!restriction.enabled || !packetInCube(cube, p)) return evaluateAcl(acl, p);
  const r = restricted(acl, cube);
  const ix = lineIndexOf(r);
  const k = ix.first(p, 0, ix.n);
  if (k >= 0) {
    const e = r.acl.entries[k]!;
    return { action: e.action, ace: e, index: r.lines[k]! };
  }
  for (const l of acl.implicitPermits ?? []) if (aceMatches(l.match, p, "permit", acl.vendor)) return implicitVerdict(l.text);
  return IMPLICIT_DENY;
}

/** The cube of udp packets whose `field` is `port` (and, if given, of that fragment kind). */
export function udpPortCube(field: "srcPort" | "dstPort", port: number, fragment?: 0 | 1): Cube {
  return { protocol: 17, [field]: [{ lo: port, hi: port }], ...(fragment !== undefined ? { fragment } : {}) };
}

/**
 * The cubes covering every udp packet whose `field` is `port`, for an ACL of `vendor`. On IOS,
 * whole packets and non-initial fragments apart: a permit line with ports permits the fragments
 * its addresses match whatever their ports, so every such line meets the fragments (one cube for
 * every port: `fragments` lines aside, nothing tests their ports). The ASA reassembles fragments
 * before its ACLs and tests no fragment bit: one cube.
 */
export function udpPortCubes(vendor: string, field: "srcPort" | "dstPort", port: number, wholeOnly = false): Cube[] {
  if (wholeOnly) return [udpPortCube(field, port, 0)];
  return vendor === "asa" ? [udpPortCube(field, port)] : [udpPortCube(field, port, 0), { protocol: 17, fragment: 1 }];
}

/**
 * Does some line of the (IOS) ACL test udp ports of non-initial fragments (`fragments` with
 * ports, which IOS itself refuses)? Without one, what the ACL does with a non-initial udp
 * fragment depends on its addresses only, not on the ports it carries.
 */
function fragmentPortsTested(acl: Acl): boolean {
  return acl.entries.some((e) => e.match.fragments === true && e.match.services.some((t) => t.srcPorts !== undefined || t.dstPorts !== undefined));
}

/**
 * Does the ACL decide every non-initial udp fragment by its addresses alone (an IOS ACL without a
 * `fragments` line on ports)? A check whose answer the fragments then cannot change may ask about
 * whole packets only (`udpPortCubes(…, wholeOnly)`). Off with `restriction.enabled`, so the
 * differential test compares against the questions asked in full.
 */
export function fragmentsByAddress(acl: Acl): boolean {
  return restriction.enabled && acl.vendor !== "asa" && !fragmentPortsTested(acl);
}

/** udp to or from IKE / NAT-T (RFC 7296 section 2.23, RFC 3948): the ports the IPsec checks and simulations ask about. */
const NEAR_PORTS: readonly number[] = [500, 4500];

/**
 * `evaluateAcl(acl, p)`, for a udp packet to (else from) port 500 or 4500 read from the ACL
 * restricted to udp with that port (the packets of the IPsec checks and simulated sessions: one
 * restriction per ACL and port serves them all), else from the whole ACL.
 */
export function evaluateNear(acl: Acl, p: Packet): Verdict {
  if (p.protocol !== 17) return evaluateAcl(acl, p);
  const frag = p.fragment ? 1 : 0;
  if (NEAR_PORTS.includes(p.dstPort)) return evaluateIn(acl, udpPortCube("dstPort", p.dstPort, frag), p);
  if (NEAR_PORTS.includes(p.srcPort)) return evaluateIn(acl, udpPortCube("srcPort", p.srcPort, frag), p);
  return evaluateAcl(acl, p);
}

/** Set questions of an ACL within a union of disjoint cubes, asked of its restrictions' compiled forms. */
export interface NearAcl {
  /** permit ∩ `set`, for `set` inside the cubes (as `CompiledAcl.permitIn` of the whole ACL). */
  permitIn(set: PSet): PSet;
  /** What line `index` (of the whole ACL) decides of `set`, for `set` inside the cubes (as `CompiledAcl.reachIn`). */
  reachIn(index: number, set: PSet): PSet;
  /** `permitIn(set)` for IPv4 packets inside `around` (with addresses), from the lines filed under those addresses (`firstMatchNear`) when the ACL is asked in one cube. */
  permitNear(set: PSet, around: Cube & { src: AddrSet; dst: AddrSet }): PSet;
}

/**
 * What each line of a restricted ACL decides of one set, in one forward pass advanced as far as
 * asked: the union of the earlier lines' matches within the set (two layers, as in ./compile.ts)
 * grows line by line, and a line's reach is its match within the set minus that union. Lines are
 * asked in increasing order (the checks walk their candidates in order); a line behind the pass
 * is answered by the compiled ACL.
 */
class ReachPass {
  private pos = 0;
  private readonly union = [0, 0];
  /** When the set is a cube (a question's protocol and ports), the pass is made of the lines' restrictions to it (../headerspace/cube-split.ts). */
  private readonly cof: CubeCofactor | undefined;
  constructor(
    private readonly hs: HeaderSpace,
    private readonly matches: () => readonly PSet[],
    readonly set: PSet,
  ) {
    this.cof = CubeCofactor.of(hs.bdd, set);
  }
  private part(m: PSet): PSet {
    return this.cof !== undefined ? this.cof.restrict(m) : this.hs.bdd.and(m, this.set);
  }
  /** line k's reach within the set, or undefined when the pass is beyond it */
  at(k: number): PSet | undefined {
    if (k < this.pos) return undefined;
    const bdd = this.hs.bdd;
    const m = this.matches();
    // the lines up to k joined as a balanced tree per layer, then to the union: one union grown
    // line by line copies its levels under every line's addresses
    const layers: PSet[][] = [[], []];
    for (; this.pos < k; this.pos++) {
      const part = this.part(m[this.pos]!);
      if (part !== 0) layers[this.hs.testsTop(part) ? 1 : 0]!.push(part);
    }
    for (let t = 0; t < 2; t++) if (layers[t]!.length > 0) this.union[t] = bdd.or(this.union[t]!, balancedUnion(bdd, layers[t]!, 0, layers[t]!.length));
    const part = this.part(m[k]!);
    const r = part === 0 ? 0 : bdd.diff(bdd.diff(part, this.union[0]!), this.union[1]!);
    return this.cof !== undefined ? this.cof.lift(r) : r;
  }
}

/** The union of sets[lo .. hi), as a balanced tree. */
function balancedUnion(bdd: HeaderSpace["bdd"], sets: readonly PSet[], lo: number, hi: number): PSet {
  if (hi - lo === 1) return sets[lo]!;
  const mid = (lo + hi) >> 1;
  return bdd.or(balancedUnion(bdd, sets, lo, mid), balancedUnion(bdd, sets, mid, hi));
}

/** Sets a part keeps a forward pass for; past them, `reachIn` asks the compiled ACL (each pass costs a walk over the lines). */
const PASSES = 4;

/**
 * permit ∩ cube per packet-set manager (`AclSets`: a set is a node of one manager), restricted
 * ACL and cube: asked once, whichever check or flow asks.
 */
const permitted = new WeakMap<AclSets, WeakMap<Acl, Map<string, PSet>>>();

/** `permitNear` asks the cube's permit set (built once) for a question that would look at over a `wide`-th of the lines, and once its questions have looked at `lines` times the lines. */
export const NEAR_TUNING = { wide: 4, lines: 32 };

/**
 * The ACL restricted to each of `cubes` (pairwise disjoint); a set is split along the cubes and
 * each part asked of its own restriction: `permitIn` as what the restriction permits of its
 * whole cube (one forward pass, computed once per restricted ACL and cube) ∩ the part, `reachIn`
 * from a forward pass per asked set (./compile.ts's prefix unions, built only for a line behind
 * the pass or past `PASSES` sets, through the `AclSets` cache). The answers equal the whole
 * ACL's for sets inside the cubes, and mean nothing outside them. With `restriction.enabled` off,
 * the compiled whole ACL answers.
 */
export function nearAcl(sets: AclSets, acl: Acl, ...cubes: Cube[]): NearAcl {
  const hs = sets.hs;
  if (!restriction.enabled) {
    const c = sets.compile(acl);
    return { permitIn: (set) => c.permitIn(set), reachIn: (index, set) => c.reachIn(index, set), permitNear: (set) => c.permitIn(set) };
  }
  let implicitSet: PSet | undefined;
  const implicit = (): PSet => (implicitSet ??= hs.union((acl.implicitPermits ?? []).map((l) => sets.match(l.match, "permit", acl.vendor))));
  const parts = cubes.map((cube) => {
    const r = restricted(acl, cube);
    let ms: PSet[] | undefined;
    const matches = (): PSet[] => (ms ??= r.acl.entries.map((e) => (e.inactive ? 0 : sets.match(e.match, e.action, acl.vendor))));
    const whole = cubeSet(hs, cube);
    let byAcl = permitted.get(sets);
    if (byAcl === undefined) permitted.set(sets, (byAcl = new WeakMap()));
    let byCube = byAcl.get(r.acl);
    if (byCube === undefined) byAcl.set(r.acl, (byCube = new Map()));
    const key = cubeKey(cube);
    const permit = (): PSet => {
      let p = byCube.get(key);
      if (p === undefined) {
        const m = matches();
        const lines = r.acl.entries.map((ace, i) => ({ ace, match: m[i]! }));
        byCube.set(key, (p = permitWithin(hs, lines, implicit(), whole)));
      }
      return p;
    };
    const passes: ReachPass[] = [];
    const reach = (k: number, s: PSet): PSet => {
      const few = fewBefore(lineIndexOf(r), k);
      if (few !== undefined) {
        // line k's reach from the few earlier lines that may overlap it (./line-index.ts): the
        // others match nothing of its packets
        const m = matches();
        const part = hs.and(m[k]!, s);
        if (part === hs.none) return part;
        let taken: PSet = hs.none;
        for (const j of few) taken = hs.or(taken, hs.and(m[j]!, part));
        return hs.diff(part, taken);
      }
      let pass = passes.find((x) => x.set === s);
      if (pass === undefined && passes.length < PASSES) passes.push((pass = new ReachPass(hs, matches, s)));
      return pass?.at(k) ?? sets.compile(r.acl).reachIn(k, s);
    };
    return { r, reach, set: cubes.length === 1 ? hs.all : whole, permit };
  });
  const each = (set: PSet, f: (p: (typeof parts)[number], s: PSet) => PSet): PSet => {
    let out: PSet = hs.none;
    for (const p of parts) {
      const s = hs.and(set, p.set);
      if (!hs.isEmpty(s)) out = hs.or(out, f(p, s));
    }
    return out;
  };
  const permitIn = (set: PSet): PSet => each(set, (p, s) => hs.and(p.permit(), s));
  const work = { lines: 0 };
  return {
    permitIn,
    permitNear: (set, around) => {
      const r = parts.length === 1 ? parts[0]!.r : undefined;
      const n = r?.acl.entries.length ?? 0;
      const near = r !== undefined && work.lines <= NEAR_TUNING.lines * n ? firstMatchNear(sets, acl, r, set, around, n / NEAR_TUNING.wide, work, implicit) : undefined;
      return near ?? permitIn(set);
    },
    reachIn: (index, set) =>
      each(set, (p, s) => {
        const k = restrictedIndex(p.r, index);
        return k < 0 ? hs.none : p.reach(k, s);
      }),
  };
}
