/**
 * The addresses of one ACL by the intervals its address tests cut (atomic predicates, Yang and
 * Lam, "Real-time verification of network properties using atomic predicates", ICNP 2013), for
 * the line analyses' private sets (./line-analysis.ts).
 *
 * The starts and ends of every prefix the ACL's lines test on a field cut the field's values into
 * at most 2n + 1 intervals, the atoms; every prefix of the ACL is then a run of consecutive atoms.
 * A set of the ACL's lines only depends on the atom each address lies in, so the analysis encodes
 * an address by its atom's number, in the first `bits` levels of the field's place, and leaves
 * the field's other levels free: a host costs about 15 levels in a 10,000-line ACL instead of 32
 * (IPv4) or 128 (IPv6), and a line's prefix is a range of atom numbers.
 *
 * IPv6 ACLs test prefixes only (IOS, ASA). An IPv4 wildcard with a gap (0.0.255.0) is a union of
 * intervals, one per value of the wildcard bits above the gap: a field is coded when its
 * wildcards make at most 256 intervals each and few in all; else it keeps its 32 bits.
 *
 * Same answers: the encoding maps each real set of the ACL's lines one to one onto a coded set,
 * and `and`, `or`, `diff`, emptiness and inclusion commute with it. A coded point is decoded to
 * the first address of its atoms (a packet of the real set), and `count` weighs each atom number
 * by the atom's size, so counts are those of the real sets. An address test that is not the
 * ACL's own would not be a run of atoms: `cube` refuses it.
 */
import type { HeaderSpace, PSet } from "../headerspace/index.js";
import { rangeCube } from "../headerspace/range.js";
import { popcount } from "../model/addr.js";
import { validPrefix6 } from "../model/addr6.js";
import type { Acl, AddrSet, AddrSet6, Packet, Prefix6 } from "../model/types.js";
import { planOf } from "./semantics.js";

type Field = "src" | "dst" | "src6" | "dst6";
const SPACE6 = 1n << 128n;
const SPACE4 = 2 ** 32;
/** Intervals a wildcard may make (gap bits), and all of a field's tests (× their number, + slack). */
const MAX_GAP_BITS = 8;
const MAX_INTERVALS_PER_TEST = 4;

/** The interval [start, end) of a valid IPv6 prefix, else undefined (it matches nothing). */
function interval6(p: Prefix6): [bigint, bigint] | undefined {
  return validPrefix6(p) ? [p.addr, p.addr + (1n << BigInt(128 - p.len))] : undefined;
}

/** The bits of an IPv4 wildcard above its lowest run of ones (the gaps: 0.0.255.0 has 8), or -1 when the test matches nothing (an address bit under the wildcard). */
function gapMask(addr: number, wildcard: number): number {
  const wc = wildcard >>> 0;
  if (addr >>> 0 !== addr || ((addr & wc) >>> 0) !== 0) return -1;
  const low = wc === 0xffffffff ? wc : ((wc ^ (wc + 1)) >>> 1) >>> 0; // the trailing ones
  return (wc & ~low) >>> 0;
}

/** The intervals of an IPv4 wildcard test, in order, as [start, end) pairs pushed onto `out` (none when it matches nothing). */
function intervals4(addr: number, wildcard: number, out: number[]): void {
  const gaps = gapMask(addr, wildcard);
  if (gaps < 0) return;
  const wc = wildcard >>> 0;
  const block = ((wc ^ gaps) >>> 0) + 1;
  // the subsets of the gap bits in increasing order (sub - gaps) & gaps
  let sub = 0;
  do {
    const lo = (addr | sub) >>> 0;
    out.push(lo, lo + block);
    sub = ((sub - gaps) & gaps) >>> 0;
  } while (sub !== 0);
}

/** One field's atoms: `starts[k]` is the first value of atom k (starts[0] = 0). */
class FieldAtoms<T extends number | bigint> {
  readonly bits: number;

  constructor(
    readonly starts: readonly T[],
    private readonly space: T,
    readonly diff: (a: T, b: T) => bigint,
  ) {
    this.bits = Math.ceil(Math.log2(starts.length));
  }

  /** The atom holding value a. */
  atomOf(a: T): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.starts[mid]! <= a) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** The atoms of [lo, end): a run [first, last], which it is for the ACL's own tests. */
  run(lo: T, end: T): [number, number] {
    const first = this.atomOf(lo);
    const last = end >= this.space ? this.starts.length - 1 : this.atomOf(end) - 1;
    if (this.starts[first] !== lo || (end < this.space && this.starts[last + 1] !== end)) {
      throw new Error(`atoms: the address test at ${lo.toString(16)} is not one of the ACL's (its ends are not atom bounds)`);
    }
    return [first, last];
  }

  /** Values of the atoms first … last (clamped to the atoms there are). */
  weight(first: number, last: number): bigint {
    const n = this.starts.length;
    if (first >= n) return 0n;
    return this.diff(last + 1 >= n ? this.space : this.starts[last + 1]!, this.starts[first]!);
  }
}

/** Sorted, each once, from 0 up to (not with) the end of the space. */
function starts4(cuts: number[]): number[] {
  const a = Float64Array.from(cuts).sort();
  const out = [0];
  for (const c of a) if (c !== out[out.length - 1] && c < SPACE4) out.push(c);
  return out;
}

function starts6(cuts: bigint[]): bigint[] {
  // sorted, then each once (a Set of bigints hashes badly: V8 hashes a bigint by its low digit)
  cuts.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const out = [0n];
  for (const c of cuts) if (c !== out[out.length - 1] && c < SPACE6) out.push(c);
  return out;
}

/** Per ACL (shadowed-line and redundant-line share them, as they share the line index). */
const memo = new WeakMap<Acl, { entries: Acl["entries"]; atoms: AddressAtoms }>();

export class AddressAtoms {
  private readonly fields: Partial<Record<Field, FieldAtoms<number> | FieldAtoms<bigint>>>;

  private constructor(fields: Partial<Record<Field, FieldAtoms<number> | FieldAtoms<bigint>>>) {
    this.fields = fields;
  }

  /** The atoms of an ACL's address fields (a field whose wildcards make too many intervals is not coded). */
  static of(acl: Acl): AddressAtoms {
    const hit = memo.get(acl);
    if (hit !== undefined && hit.entries === acl.entries) return hit.atoms;
    // first how many intervals each IPv4 field's wildcards make (a field with too many keeps its bits)
    const tests: Record<Field, number> = { src: 0, dst: 0, src6: 0, dst6: 0 };
    const intervals = { src: 0, dst: 0 };
    const cuts6: Record<"src6" | "dst6", bigint[]> = { src6: [], dst6: [] };
    for (const e of acl.entries) {
      for (const conj of planOf(e.match, e.action, acl.vendor)) {
        for (const t of conj.tests) {
          if (t.field === "src6" || t.field === "dst6") {
            tests[t.field]++;
            for (const p of t.addrs) {
              const iv = interval6(p);
              if (iv) cuts6[t.field].push(iv[0], iv[1]);
            }
          } else if (t.field === "src" || t.field === "dst") {
            tests[t.field]++;
            for (const w of t.addrs) {
              const g = gapMask(w.addr, w.wildcard);
              if (g >= 0) intervals[t.field] += popcount(g) > MAX_GAP_BITS ? Infinity : 2 ** popcount(g);
            }
          }
        }
      }
    }
    const coded4 = (["src", "dst"] as const).filter((f) => tests[f] > 0 && intervals[f] <= MAX_INTERVALS_PER_TEST * tests[f] + 512);
    const cuts4: Record<"src" | "dst", number[]> = { src: [], dst: [] };
    if (coded4.length > 0) {
      for (const e of acl.entries) {
        for (const conj of planOf(e.match, e.action, acl.vendor)) {
          for (const t of conj.tests) if ((t.field === "src" || t.field === "dst") && coded4.includes(t.field)) for (const w of t.addrs) intervals4(w.addr, w.wildcard, cuts4[t.field]);
        }
      }
    }
    const fields: Partial<Record<Field, FieldAtoms<number> | FieldAtoms<bigint>>> = {};
    for (const f of coded4) fields[f] = new FieldAtoms(starts4(cuts4[f]), SPACE4, (a, b) => BigInt(a - b));
    for (const f of ["src6", "dst6"] as const) if (tests[f] > 0) fields[f] = new FieldAtoms(starts6(cuts6[f]), SPACE6, (a, b) => a - b);
    const atoms = new AddressAtoms(fields);
    memo.set(acl, { entries: acl.entries, atoms });
    return atoms;
  }

  /** Is field f coded (else it keeps its bits)? */
  coded(f: Field): boolean {
    return this.fields[f] !== undefined;
  }

  /** Levels of field f's atom number (most significant first; 0 for an uncoded field or one atom). */
  bits(f: Field): number {
    return this.fields[f]?.bits ?? 0;
  }

  /** The first level of field f's place (its atom number starts there). */
  private static top(hs: HeaderSpace, f: Field): number {
    return f === "src6" || f === "dst6" ? hs.at6[f].lo : hs.level(f, 31);
  }

  /** The coded set of the address test `set` on a coded field f, followed by `cont` (a set over the fields below f's place). */
  cube(hs: HeaderSpace, f: Field, set: AddrSet | AddrSet6, cont: PSet): PSet {
    if (cont === 0) return 0;
    const runs: Array<[number, number]> = [];
    if (f === "src6" || f === "dst6") {
      const fa = this.fields[f] as FieldAtoms<bigint>;
      for (const p of set as AddrSet6) {
        const iv = interval6(p);
        if (iv) runs.push(fa.run(iv[0], iv[1]));
      }
    } else {
      const fa = this.fields[f] as FieldAtoms<number>;
      const ivs: number[] = [];
      for (const w of set as AddrSet) intervals4(w.addr, w.wildcard, ivs);
      for (let k = 0; k < ivs.length; k += 2) runs.push(fa.run(ivs[k]!, ivs[k + 1]!));
    }
    runs.sort((a, b) => a[0] - b[0]);
    const bdd = hs.bdd;
    const top = AddressAtoms.top(hs, f);
    const b = this.bits(f);
    let r = 0;
    for (let k = 0; k < runs.length; ) {
      let [lo, hi] = runs[k++]!;
      while (k < runs.length && runs[k]![0] <= hi + 1) hi = Math.max(hi, runs[k++]![1]);
      const c = rangeCube(bdd, top, b, lo, hi, cont);
      r = r === 0 ? c : bdd.or(r, c);
    }
    return r;
  }

  /** The packet of the real set for a coded point: each coded address the first of its atom. */
  decode(p: Packet): Packet {
    /** Atom k of field f, checked against the atoms there are. */
    const atom = <T extends number | bigint>(f: Field, fa: FieldAtoms<T>, k: number): T => {
      const a = fa.starts[k];
      if (a === undefined) throw new Error(`atoms: a point with atom ${k} of ${fa.starts.length} on ${f}`);
      return a;
    };
    const out: Packet = { ...p };
    if (p.v6 === undefined) {
      for (const f of ["src", "dst"] as const) {
        const fa = this.fields[f] as FieldAtoms<number> | undefined;
        // the atom number is the top `bits` bits of the 32-bit value
        if (fa) out[f] = atom(f, fa, fa.bits === 0 ? 0 : p[f] >>> (32 - fa.bits));
      }
      return out;
    }
    const v6 = { ...p.v6 };
    for (const [f, k] of [["src6", "src"], ["dst6", "dst"]] as const) {
      const fa = this.fields[f] as FieldAtoms<bigint> | undefined;
      // bits 32 … 32 + bits - 1 of the 128-bit value
      if (fa) v6[k] = atom(f, fa, fa.bits === 0 ? 0 : Number((v6[k] >> BigInt(96 - fa.bits)) & ((1n << BigInt(fa.bits)) - 1n)));
    }
    out.v6 = v6;
    return out;
  }

  /**
   * Packets of a coded set, as `HeaderSpace.count` counts the real one (each family over its own
   * fields), each atom number weighed by its atom's size and a coded field's other levels
   * (always free in a coded set) counted once. `memo`: kept while the manager lives.
   */
  count(hs: HeaderSpace, x: PSet, memo: Map<number, bigint>): bigint {
    const v4 = this.weighted(hs, hs.bdd.and(x, hs.family(4)), ["src", "dst"], memo, 0) >> 256n;
    return v4 + (this.weighted(hs, hs.bdd.and(x, hs.family(6)), ["src6", "dst6"], memo, 512) >> 64n);
  }

  /** Per header space and family (`key`): the kind of each level (built once, not per count). */
  private readonly layouts = new WeakMap<HeaderSpace, Map<number, { kind: Uint8Array; region: Map<number, FieldAtoms<number> | FieldAtoms<bigint>> }>>();

  private layout(hs: HeaderSpace, coded: readonly Field[], key: number): { kind: Uint8Array; region: Map<number, FieldAtoms<number> | FieldAtoms<bigint>> } {
    let byKey = this.layouts.get(hs);
    if (byKey === undefined) this.layouts.set(hs, (byKey = new Map()));
    const hit = byKey.get(key);
    if (hit !== undefined) return hit;
    // each level: 0 a plain bit, 1 a free level of a coded field (never tested), 2 the first of a field's atom number
    const kind = new Uint8Array(hs.numVars);
    const region = new Map<number, FieldAtoms<number> | FieldAtoms<bigint>>();
    for (const f of coded) {
      const fa = this.fields[f];
      // one atom (no test but ::/0 or any): nothing coded, the field's levels are plain bits
      if (fa === undefined || fa.bits === 0) continue;
      const w = f === "src6" || f === "dst6" ? 128 : 32;
      for (let i = 0; i < w; i++) kind[hs.level(f, i)] = 1;
      const top = AddressAtoms.top(hs, f);
      for (let j = 0; j < fa.bits; j++) kind[top + j] = 0;
      kind[top] = 2;
      region.set(top, fa);
    }
    const l = { kind, region };
    byKey.set(key, l);
    return l;
  }

  /** Weighted assignments of every level, the fields `coded` by their atoms (memo keys offset by `key`). */
  private weighted(hs: HeaderSpace, x: PSet, coded: readonly Field[], memo: Map<number, bigint>, key: number): bigint {
    const nv = hs.numVars;
    const { kind, region } = this.layout(hs, coded, key);
    const ns = hs.bdd.nodes;
    const varOf = (n: number): number => (n <= 1 ? nv : ns[3 * n]!);
    const regionMemo = new Map<string, bigint>();
    /** Weighted assignments of the levels from L on, in node n (var(n) ≥ L). */
    const at = (n: number, L: number): bigint => {
      if (n === 0) return 0n;
      if (L === nv) return 1n;
      const mk = n * 1024 + key + L;
      const hit = memo.get(mk);
      if (hit !== undefined) return hit;
      const v = varOf(n);
      let r: bigint;
      const fa = kind[L] === 2 ? region.get(L)! : undefined;
      if (fa !== undefined) {
        const b = fa.bits;
        const walk = (m: number, d: number, p: number): bigint => {
          const vm = varOf(m);
          if (vm >= L + b) return fa.weight(p * 2 ** (b - d), (p + 1) * 2 ** (b - d) - 1) * at(m, L + b);
          const k = `${m}:${d}:${p}`;
          const h = regionMemo.get(k);
          if (h !== undefined) return h;
          const s = vm === L + d ? walk(ns[3 * m + 1]!, d + 1, 2 * p) + walk(ns[3 * m + 2]!, d + 1, 2 * p + 1) : walk(m, d + 1, 2 * p) + walk(m, d + 1, 2 * p + 1);
          regionMemo.set(k, s);
          return s;
        };
        r = walk(n, 0, 0);
      } else if (v === L) {
        if (kind[L] === 1) throw new Error(`atoms: a coded set tests level ${L}, a free level of its address field`);
        r = at(ns[3 * n + 1]!, L + 1) + at(ns[3 * n + 2]!, L + 1);
      } else {
        // levels L … t-1 are free: plain ones count twice, free levels of a coded field once
        let t = L;
        let plain = 0n;
        while (t < v && kind[t] !== 2) {
          if (kind[t] === 0) plain++;
          t++;
        }
        r = at(n, t) << plain;
      }
      memo.set(mk, r);
      return r;
    };
    return at(x, 0);
  }
}
