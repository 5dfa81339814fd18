/**
 * The lines a first-match pass of `diff` has passed within a region (./diff-align.ts
 * `localParts`), kept as unions in layers so that adding a line does not walk the whole union.
 *
 * The variable order tests the source address last (../headerspace/index.ts `DEFAULT_ORDER`).
 * A line with a specific source and wide other fields (`permit ip host A any`, `permit tcp host A
 * any established`) tests little above the source, so its union with the lines before it walks
 * every path of their union down to the source levels: in a wide region of a long ACL (`permit ip
 * any 10.1.2.0 0.0.0.255`, met by 3,500 lines of a 100,000-line ACL, 8,500 of them with a
 * specific source over its two halves and both versions) those unions took 23 s of the region's
 * 36 s. Such a line is u ∧ s, u over the other fields (its protocol, ports, flags: "upper") and s
 * over the source; the lines with the same u are kept as u ∧ (the union of their s), a union of
 * source sets only (in the 100,000-line comparison a region's pass has at most 170 different u,
 * 5 in its `permit ip any host B` region, where it has thousands of such lines).
 *
 * Layers:
 *  - `spec`: the lines whose own match tests the top field of the order (the destination), as
 *    compileAcl keeps them (../acl/compile.ts): each compact where one union with the others
 *    would copy the structure of one field into every path of the other;
 *  - one layer per upper part u of the other lines that are u ∧ s with a specific source;
 *  - `wide`: the rest.
 * The union of the layers is the union of the lines passed: the same sets, only made otherwise.
 */
import type { HeaderSpace, PSet } from "../headerspace/index.js";
import { FIELDS, type Field } from "../headerspace/index.js";

/** The fields other than the IPv4 source (a line's "upper" part is its match with the source forgotten). */
const NOT_SRC: readonly Field[] = FIELDS.filter((f) => f !== "src");

/** The layers at one point of the pass (a part keeps those before its line). Immutable. */
export interface Passed {
  readonly wide: PSet;
  readonly spec: PSet;
  /** Each source layer as one set: u ∧ (the union of its lines' sources). */
  readonly bySource: readonly PSet[];
}

interface SourceLayer {
  upper: PSet;
  sources: PSet;
  /** upper ∧ sources, or -1 until it is asked for again after a change. */
  set: PSet;
}

const NOTHING_PASSED: Passed = Object.freeze({ wide: 0, spec: 0, bySource: Object.freeze([]) as readonly PSet[] });

export class PassedLines {
  private wide: PSet = 0;
  private spec: PSet = 0;
  private readonly layers: SourceLayer[] = [];
  private readonly byUpper = new Map<PSet, SourceLayer>();
  /** The layers' sets as of the last change (shared by the parts made since). */
  private sets: PSet[] | undefined = [];
  private snap: Passed | undefined = NOTHING_PASSED;

  constructor(private readonly hs: HeaderSpace) {}

  /** Line match `m` (within the region) joins the union; `own`: its match over the whole space. */
  add(m: PSet, own: PSet): void {
    const hs = this.hs;
    this.snap = undefined;
    if (hs.testsTop(own)) {
      this.spec = hs.or(this.spec, m);
      return;
    }
    const upper = hs.exists("src", m);
    if (upper !== m) {
      let source = m;
      for (const f of NOT_SRC) source = hs.exists(f, source);
      if (hs.and(upper, source) === m) {
        let l = this.byUpper.get(upper);
        if (l === undefined) {
          l = { upper, sources: 0, set: -1 };
          this.byUpper.set(upper, l);
          this.layers.push(l);
        }
        l.sources = hs.or(l.sources, source);
        l.set = -1;
        this.sets = undefined;
        return;
      }
    }
    this.wide = hs.or(this.wide, m);
  }

  /** The layers now. */
  passed(): Passed {
    if (this.snap === undefined) {
      const hs = this.hs;
      this.sets ??= this.layers.map((l) => (l.set >= 0 ? l.set : (l.set = hs.and(l.upper, l.sources))));
      this.snap = { wide: this.wide, spec: this.spec, bySource: this.sets };
    }
    return this.snap;
  }
}

/** x minus the source layers of `p` (each asked first whether it meets x: most do not). */
export function outsideSources(hs: HeaderSpace, x: PSet, p: Passed): PSet {
  const bdd = hs.bdd;
  const ls = p.bySource;
  for (let k = 0; k < ls.length && x !== 0; k++) if (!bdd.disjoint(x, ls[k]!)) x = bdd.diff(x, ls[k]!);
  return x;
}

/** x ⊆ the union of the lines passed (builds x minus the source layers that meet it, then an inclusion test). */
export function coveredBy(hs: HeaderSpace, x: PSet, p: Passed): boolean {
  const rest = outsideSources(hs, x, p);
  return rest === 0 || hs.bdd.diffLeq(rest, p.wide, p.spec);
}

/** x minus the union of the lines passed. */
export function outside(hs: HeaderSpace, x: PSet, p: Passed): PSet {
  const bdd = hs.bdd;
  return bdd.diff(bdd.diff(outsideSources(hs, x, p), p.wide), p.spec);
}
