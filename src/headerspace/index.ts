/**
 * Exact packet sets ("header spaces") as BDDs over the IPv4 header fields the model knows.
 *
 * A `PSet` is a BDD handle of the shared manager: `none` = 0, `all` = 1; equal sets have equal
 * handles (canonical form), so `a === b` is set equality and `a === hs.none` is emptiness.
 *
 * Fields and widths (bits, most significant bit first inside a field so that prefixes and port
 * ranges stay small): protocol 8, src 32, dst 32, srcPort 16, dstPort 16, icmpType 8, icmpCode 8,
 * tcpFlags 6 (FIN..URG as in `TCP`), fragment 1, tos 8 — 135 variables. Every field is free in
 * every packet, so `count` counts e.g. the ICMP type of a TCP packet too (`udp any any eq 500`
 * has 2^(135-8-16) members).
 *
 * Variable order (top → bottom): dst, protocol, dstPort, srcPort, icmpType, icmpCode, tcpFlags,
 * fragment, tos, src. Why (measured with `bench/headerspace.ts --order …` on its generated 10k-line
 * ACLs: dst,src,service… took about 2× as long, protocol,dst,src,… about 5×; src first was on par
 * for shadow analysis but slower to build the evaluator):
 * - dst on top: it is the most selective field of interface ACLs (servers: `host X eq 80`), so a
 *   line's recursion in `and`/`or`/`diff` follows one short destination path.
 * - the service fields next, protocol first since port / ICMP / TCP-flag tests only exist under
 *   tcp/udp/sctp, icmp and tcp; fragment (the "layer-4 test ⇒ not a non-initial fragment" rule of
 *   src/acl/semantics.ts) and tos are single, rarely-split levels.
 * - src last: with nothing below it, every source predicate ends in the 0/1 terminals, so the
 *   source tries of a block list (`deny ip host B any` …), of site subnets and of `any` are shared
 *   by every line and every union instead of being copied under each destination/service path
 *   (with src in the middle, a 200-host block list was re-copied under every server).
 * Lines that do not test dst at all (`deny ip host B any`, `permit udp any any eq 123`) are the
 * bad case for any order with dst on top; src/acl/compile.ts keeps them in a separate union.
 *
 * IPv6: `family` (0 IPv4, 1 IPv6) on top, `dst6` after dst and `src6` after src (their bits
 * 32–127; the top words, bits 0–31, at the bottom of the order), 392 variables; the IPv4 encoding
 * is unchanged under family 0 (see ./inet6.ts).
 */
import { words6 } from "../model/addr6.js";
import type { AddrSet, AddrSet6, Packet, PortSet } from "../model/types.js";
import { Bdd } from "./bdd.js";
import { satCount } from "./count.js";
import { rangeCube } from "./range.js";
import { HI6, level6, PARTNER, prefixesCube, withV6, type Levels6 } from "./inet6.js";
import { witnessOf } from "./witness.js";

export type PSet = number;
export type Field = "protocol" | "src" | "dst" | "srcPort" | "dstPort" | "icmpType" | "icmpCode" | "tcpFlags" | "fragment" | "tos" | "family" | "src6" | "dst6";

/** Field ids (index into this list). */
export const FIELDS: readonly Field[] = ["protocol", "src", "dst", "srcPort", "dstPort", "icmpType", "icmpCode", "tcpFlags", "fragment", "tos", "family", "src6", "dst6"];

/**
 * A packet's values as the low-level walkers read them (`packetValues`, `levelField`): one slot
 * per field of at most 32 bits (slot = field id, family 10), src6 in slots 11–14 and dst6 in
 * 15–18 (32-bit words, most significant first).
 */
export const VALUE_SLOTS = 19;

export const FIELD_WIDTH: Readonly<Record<Field, number>> = {
  protocol: 8,
  src: 32,
  dst: 32,
  srcPort: 16,
  dstPort: 16,
  icmpType: 8,
  icmpCode: 8,
  tcpFlags: 6,
  fragment: 1,
  tos: 8,
  family: 1,
  src6: 128,
  dst6: 128,
};

/** Default variable order of the IPv4 fields, top first (see the file comment for the reasons); the IPv6 fields are inserted. */
export const DEFAULT_ORDER: readonly Field[] = ["dst", "protocol", "dstPort", "srcPort", "icmpType", "icmpCode", "tcpFlags", "fragment", "tos", "src"];

const FIELD_ID: Readonly<Record<Field, number>> = Object.fromEntries(FIELDS.map((f, i) => [f, i])) as Record<Field, number>;

export interface HeaderSpaceOptions {
  /** Variable order, top first; must list every field once (or every IPv4 field: the IPv6 ones are then inserted). For experiments (bench). */
  order?: readonly Field[];
  /** A header space of the same order whose sets are all dead: its manager's arrays are reused (`Bdd`'s `reuse`). */
  reuse?: HeaderSpace;
}

export class HeaderSpace {
  readonly bdd: Bdd;
  readonly all: PSet = 1;
  readonly none: PSet = 0;
  readonly order: readonly Field[];
  /** Number of BDD variables (392). */
  readonly numVars: number;
  /** Per BDD level: the value slot (`VALUE_SLOTS`) and the bit position inside the slot's value. */
  readonly levelField: Uint8Array;
  readonly levelShift: Uint8Array;
  /**
   * First level below the top field of the order and its IPv6 partner (dst, dst6): compile
   * splits lines on testing it or not (`testsTop`).
   */
  readonly topFieldEnd: number;
  /** First level of each field (by field id); of a 128-bit field, that of its bit HI6. */
  private readonly base: Int32Array;
  /** The levels of src6 and dst6 (./inet6.ts `Levels6`). */
  readonly at6: Readonly<Record<"src6" | "dst6", Levels6>>;
  private readonly fieldCubes: Int32Array;
  private readonly scratch = new Uint32Array(VALUE_SLOTS);
  private readonly familyLevel: number;

  constructor(options: HeaderSpaceOptions = {}) {
    const order = withV6(options.order ?? DEFAULT_ORDER);
    if (order.length !== FIELDS.length || new Set(order).size !== FIELDS.length || !order.every((f) => f in FIELD_WIDTH)) {
      throw new Error(`variable order must list each of ${FIELDS.join(", ")} once`);
    }
    this.order = [...order];
    this.numVars = FIELDS.reduce((s, f) => s + FIELD_WIDTH[f], 0);
    this.bdd = new Bdd(this.numVars, undefined, options.reuse !== undefined && options.reuse.order.join() === this.order.join() ? options.reuse.bdd : undefined);
    this.levelField = new Uint8Array(this.numVars);
    this.levelShift = new Uint8Array(this.numVars);
    this.base = new Int32Array(FIELDS.length);
    // the fields in order (a 128-bit one with its bits HI6–127), then the top words of src6, dst6
    const placed = (f: Field): number => (FIELD_WIDTH[f] === 128 ? 128 - HI6 : FIELD_WIDTH[f]);
    let level = 0;
    for (const f of order) {
      this.base[FIELD_ID[f]] = level;
      level += placed(f);
    }
    this.at6 = {
      src6: { lo: this.base[FIELD_ID.src6]!, hi: level },
      dst6: { lo: this.base[FIELD_ID.dst6]!, hi: level + HI6 },
    };
    for (const f of FIELDS) {
      const w = FIELD_WIDTH[f];
      for (let i = 0; i < w; i++) {
        const at = w === 128 ? level6(this.at6[f as "src6" | "dst6"], i) : this.base[FIELD_ID[f]]! + i;
        this.levelField[at] = w === 128 ? (f === "src6" ? 11 : 15) + Math.floor(i / 32) : FIELD_ID[f];
        this.levelShift[at] = (w - 1 - i) % 32;
      }
    }
    const top = order.findIndex((f) => f !== "family");
    const partner = PARTNER[order[top]!];
    this.topFieldEnd = order.slice(0, top + (partner !== undefined && order[top + 1] === partner ? 2 : 1)).reduce((n, f) => n + placed(f), 0);
    this.familyLevel = this.base[FIELD_ID.family]!;
    this.fieldCubes = new Int32Array(FIELDS.length);
    for (const f of FIELDS) this.fieldCubes[FIELD_ID[f]] = this.bdd.cube(Array.from({ length: FIELD_WIDTH[f] }, (_, bit) => this.level(f, bit)));
  }

  // ---------------------------------------------------------------- set algebra

  and(a: PSet, b: PSet): PSet {
    return this.bdd.and(a, b);
  }
  or(a: PSet, b: PSet): PSet {
    return this.bdd.or(a, b);
  }
  not(a: PSet): PSet {
    return this.bdd.not(a);
  }
  /** a minus b */
  diff(a: PSet, b: PSet): PSet {
    return this.bdd.diff(a, b);
  }
  isEmpty(a: PSet): boolean {
    return a === 0;
  }
  /** a ⊆ b */
  subset(a: PSet, b: PSet): boolean {
    return this.bdd.leq(a, b);
  }
  /** a ∩ b = ∅ (no nodes built) */
  disjoint(a: PSet, b: PSet): boolean {
    return this.bdd.disjoint(a, b);
  }
  /** Union of many sets (balanced, so large unions stay cheap). */
  union(sets: readonly PSet[]): PSet {
    if (sets.length === 0) return 0;
    let layer = [...sets];
    while (layer.length > 1) {
      const next: PSet[] = [];
      for (let i = 0; i < layer.length; i += 2) next.push(i + 1 < layer.length ? this.bdd.or(layer[i]!, layer[i + 1]!) : layer[i]!);
      layer = next;
    }
    return layer[0]!;
  }

  // ---------------------------------------------------------------- constructors

  /** Field level of bit `bit` (0 = least significant) of field `f`. */
  level(f: Field, bit: number): number {
    const w = FIELD_WIDTH[f];
    return w === 128 ? level6(this.at6[f as "src6" | "dst6"], w - 1 - bit) : this.base[FIELD_ID[f]]! + w - 1 - bit;
  }

  /** Packets whose field `f` has bit `bit` equal to `value`. */
  bit(f: Field, bit: number, value: boolean): PSet {
    return this.bdd.literal(this.level(f, bit), value);
  }

  /** Packets whose field `f` is in [lo, hi] (clamped to the field's range; empty when lo > hi). */
  field(f: Field, lo: number, hi: number): PSet {
    return this.range(f, lo, hi, 1);
  }

  /**
   * [lo, hi] on field f, followed by `cont` (a set over the fields below f in the variable order):
   * built top-down by splitting the interval at each bit, so it is at most two partial paths — no
   * intermediate sets.
   */
  range(f: Field, lo: number, hi: number, cont: PSet): PSet {
    const w = FIELD_WIDTH[f];
    if (w > 32) throw new RangeError(`range on the ${w}-bit field ${f}: use addrs6`);
    const max = 2 ** w - 1;
    lo = Math.max(0, Math.ceil(lo));
    hi = Math.min(max, Math.floor(hi));
    if (!(lo <= hi) || cont === 0) return 0;
    return rangeCube(this.bdd, this.base[FIELD_ID[f]]!, w, lo, hi, cont);
  }

  /** field = value */
  eq(f: Field, value: number): PSet {
    return this.range(f, value, value, 1);
  }

  /**
   * Union of IOS wildcard patterns. A pattern matches ip when `(ip & ~wildcard) >>> 0 === addr`
   * (src/model/addr.ts `matchesWildcard`), so a pattern whose `addr` has a bit set under the
   * wildcard (or is not a uint32) matches nothing — mirrored here.
   */
  addrSet(f: "src" | "dst", set: AddrSet): PSet {
    return this.addrs(f, set, 1);
  }

  /** `set` on field f followed by `cont` (a set over the fields below f in the variable order). */
  addrs(f: "src" | "dst", set: AddrSet, cont: PSet): PSet {
    // a long list (an expanded object-group) as a balanced union: one grown pattern by pattern
    // rebuilds its whole BDD at each of them
    if (set.length > 8) return this.union(set.map((w) => this.wildcardCube(f, w.addr, w.wildcard, cont)));
    let r = 0;
    for (const w of set) {
      r = r === 0 ? this.wildcardCube(f, w.addr, w.wildcard, cont) : this.bdd.or(r, this.wildcardCube(f, w.addr, w.wildcard, cont));
      if (r === cont) break;
    }
    return r;
  }

  private wildcardCube(f: "src" | "dst", addr: number, wildcard: number, cont: PSet): PSet {
    const wc = wildcard >>> 0;
    if (addr >>> 0 !== addr || ((addr & wc) >>> 0) !== 0 || cont === 0) return 0;
    const bdd = this.bdd;
    const top = this.base[FIELD_ID[f]]!;
    let cube = cont;
    for (let i = 0; i < 32; i++) {
      if ((wc >>> i) & 1) continue;
      const v = top + 31 - i;
      cube = (addr >>> i) & 1 ? bdd.mk(v, 0, cube) : bdd.mk(v, cube, 0);
    }
    return cube;
  }

  /** Union of IPv6 prefixes on src6/dst6 (a field test: the family is not constrained). */
  addrSet6(f: "src6" | "dst6", set: AddrSet6): PSet {
    return this.addrs6(f, set, 1);
  }

  /** `set` on the 128-bit field f followed by `cont` (a set over the fields below f in the variable order). */
  addrs6(f: "src6" | "dst6", set: AddrSet6, cont: PSet): PSet {
    return prefixesCube(this.bdd, this.at6[f], set, cont);
  }

  /** The IPv4 packets (4) or the IPv6 packets (6). */
  family(v: 4 | 6): PSet {
    return this.bdd.literal(this.familyLevel, v === 6);
  }

  /**
   * Does the set test the top address field (dst on IPv4, dst6 on IPv6) right below its family
   * test? (compile keeps the lines that do and the lines that do not in two unions.)
   */
  testsTop(a: PSet): boolean {
    if (a <= 1) return false;
    const ns = this.bdd.nodes;
    const end = this.topFieldEnd;
    if (ns[3 * a] !== this.familyLevel) return ns[3 * a]! < end;
    const lo = ns[3 * a + 1]!;
    const hi = ns[3 * a + 2]!;
    return (lo > 1 && ns[3 * lo]! < end) || (hi > 1 && ns[3 * hi]! < end);
  }

  /** Bits of field f. */
  width(f: Field): number {
    return FIELD_WIDTH[f];
  }

  /** Union of inclusive port ranges; `[]` is empty. */
  portSet(f: "srcPort" | "dstPort", set: PortSet): PSet {
    return this.ports(f, set, 1);
  }

  /** `set` on field f followed by `cont` (a set over the fields below f in the variable order). */
  ports(f: "srcPort" | "dstPort", set: PortSet, cont: PSet): PSet {
    let r = 0;
    for (const p of set) r = r === 0 ? this.range(f, p.lo, p.hi, cont) : this.bdd.or(r, this.range(f, p.lo, p.hi, cont));
    return r;
  }

  /** protocol = p; `null` (IOS `ip`) is every protocol. */
  protocol(p: number | null): PSet {
    return p === null ? 1 : this.eq("protocol", p);
  }

  /** `width` bits of the ToS byte from `lowBit` up equal `value` (dscp, precedence and IOS tos are such slices). */
  tosBits(lowBit: number, width: number, value: number): PSet {
    if (!Number.isInteger(value) || value < 0 || value >= 2 ** width) return 0;
    let r = 1;
    for (let i = 0; i < width; i++) r = this.bdd.and(r, this.bit("tos", lowBit + i, ((value >> i) & 1) === 1));
    return r;
  }

  /** Packets whose TCP flag bit `mask` (one bit) is `value`; bits beyond the 6 modelled are always 0. */
  tcpFlag(mask: number, value: boolean): PSet {
    for (let b = 0; b < 6; b++) if (mask === 1 << b) return this.bit("tcpFlags", b, value);
    return value ? 0 : 1;
  }

  /**
   * `upper` with its 1-terminal replaced by `lower`: their conjunction, when every variable of
   * `upper` lies above every variable of `lower` (the caller guarantees it).
   */
  stack(upper: PSet, lower: PSet): PSet {
    return this.bdd.stack(upper, lower);
  }

  // ---------------------------------------------------------------- projections

  /** ∃f. a — forget field f. */
  exists(f: Field, a: PSet): PSet {
    return this.bdd.exists(a, this.fieldCubes[FIELD_ID[f]]!);
  }

  /** The packets of `a` with field f rewritten to any value in [lo, hi]. */
  setField(a: PSet, f: Field, lo: number, hi: number): PSet {
    return this.bdd.and(this.exists(f, a), this.field(f, lo, hi));
  }

  // ---------------------------------------------------------------- packets

  /** A packet's values by value slot (`VALUE_SLOTS`: uint32; fragment and family 0/1). */
  packetValues(p: Packet, out: Uint32Array = new Uint32Array(VALUE_SLOTS)): Uint32Array {
    out[0] = p.protocol;
    out[1] = p.src;
    out[2] = p.dst;
    out[3] = p.srcPort;
    out[4] = p.dstPort;
    out[5] = p.icmpType;
    out[6] = p.icmpCode;
    out[7] = p.tcpFlags;
    out[8] = p.fragment ? 1 : 0;
    out[9] = p.tos;
    if (p.v6) {
      out[10] = 1;
      out.set(words6(p.v6.src), 11);
      out.set(words6(p.v6.dst), 15);
    } else out.fill(0, 10, VALUE_SLOTS);
    return out;
  }

  /** Is the packet in the set? (Field values are read modulo their width.) */
  contains(a: PSet, p: Packet): boolean {
    const vals = this.packetValues(p, this.scratch);
    const ns = this.bdd.nodes;
    const lf = this.levelField;
    const ls = this.levelShift;
    let n = a;
    while (n > 1) {
      const v = ns[3 * n]!;
      n = ns[3 * n + 1 + ((vals[lf[v]!]! >>> ls[v]!) & 1)]!;
    }
    return n === 1;
  }

  /** A concrete packet in `a` (readable: see ./witness.ts), or undefined when `a` is empty. */
  witness(a: PSet, prefer?: Partial<Packet>): Packet | undefined {
    return witnessOf(this, a, prefer);
  }

  /**
   * Number of packets in the set: IPv4 packets as assignments of their 135 header bits, IPv6
   * packets of their 327 (the other family's address fields do not count). `memo`: see
   * `satCount` (./count.ts; valid for this manager only).
   */
  count(a: PSet, memo?: Map<number, bigint>): bigint {
    const bdd = this.bdd;
    const v4 = satCount(bdd, bdd.and(a, this.family(4)), memo) >> BigInt(FIELD_WIDTH.src6 + FIELD_WIDTH.dst6);
    const v6 = satCount(bdd, bdd.and(a, this.family(6)), memo) >> BigInt(FIELD_WIDTH.src + FIELD_WIDTH.dst);
    return v4 + v6;
  }

  /** Nodes allocated by the manager so far (a memory/cost indicator). */
  get nodes(): number {
    return this.bdd.size;
  }
}
