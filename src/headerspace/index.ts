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
 */
import { TCP, type AddrSet, type Packet, type PortSet } from "../model/types.js";
import { Bdd } from "./bdd.js";

export type PSet = number;
export type Field = "protocol" | "src" | "dst" | "srcPort" | "dstPort" | "icmpType" | "icmpCode" | "tcpFlags" | "fragment" | "tos";

/** Field ids (index into this list) used by the low-level walkers. */
export const FIELDS: readonly Field[] = ["protocol", "src", "dst", "srcPort", "dstPort", "icmpType", "icmpCode", "tcpFlags", "fragment", "tos"];

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
};

/** Default variable order, top first (see the file comment for the reasons). */
export const DEFAULT_ORDER: readonly Field[] = ["dst", "protocol", "dstPort", "srcPort", "icmpType", "icmpCode", "tcpFlags", "fragment", "tos", "src"];

/** Order in which `witness` fixes fields: protocol first so later defaults can depend on it. */
const WITNESS_ORDER: readonly Field[] = ["protocol", "fragment", "dst", "src", "dstPort", "srcPort", "icmpType", "icmpCode", "tcpFlags", "tos"];

const FIELD_ID: Readonly<Record<Field, number>> = Object.fromEntries(FIELDS.map((f, i) => [f, i])) as Record<Field, number>;

export interface HeaderSpaceOptions {
  /** Variable order, top first; must list every field once. For experiments (bench). */
  order?: readonly Field[];
}

export class HeaderSpace {
  readonly bdd: Bdd;
  readonly all: PSet = 1;
  readonly none: PSet = 0;
  readonly order: readonly Field[];
  /** Number of BDD variables (135). */
  readonly numVars: number;
  /** Per BDD level: the field id (index in FIELDS) and the bit position inside the field value. */
  readonly levelField: Uint8Array;
  readonly levelShift: Uint8Array;
  /** First level below the top field of the order (compile splits lines on testing it or not). */
  readonly topFieldEnd: number;
  /** First level of each field (by field id). */
  private readonly base: Int32Array;
  private readonly fieldCubes: Int32Array;
  private readonly scratch = new Uint32Array(FIELDS.length);

  constructor(options: HeaderSpaceOptions = {}) {
    const order = options.order ?? DEFAULT_ORDER;
    if (order.length !== FIELDS.length || new Set(order).size !== FIELDS.length || !order.every((f) => f in FIELD_WIDTH)) {
      throw new Error(`variable order must list each of ${FIELDS.join(", ")} once`);
    }
    this.order = [...order];
    this.topFieldEnd = FIELD_WIDTH[order[0]!];
    this.numVars = FIELDS.reduce((s, f) => s + FIELD_WIDTH[f], 0);
    this.bdd = new Bdd(this.numVars);
    this.levelField = new Uint8Array(this.numVars);
    this.levelShift = new Uint8Array(this.numVars);
    this.base = new Int32Array(FIELDS.length);
    let level = 0;
    for (const f of order) {
      const id = FIELD_ID[f];
      const w = FIELD_WIDTH[f];
      this.base[id] = level;
      for (let i = 0; i < w; i++) {
        this.levelField[level + i] = id;
        this.levelShift[level + i] = w - 1 - i; // MSB first
      }
      level += w;
    }
    this.fieldCubes = new Int32Array(FIELDS.length);
    for (const f of FIELDS) {
      const vs: number[] = [];
      for (let i = 0; i < FIELD_WIDTH[f]; i++) vs.push(this.base[FIELD_ID[f]]! + i);
      this.fieldCubes[FIELD_ID[f]] = this.bdd.cube(vs);
    }
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
    return this.base[FIELD_ID[f]]! + FIELD_WIDTH[f] - 1 - bit;
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
    const max = 2 ** w - 1;
    lo = Math.max(0, Math.ceil(lo));
    hi = Math.min(max, Math.floor(hi));
    if (!(lo <= hi) || cont === 0) return 0;
    const bdd = this.bdd;
    const top = this.base[FIELD_ID[f]]!;
    const rec = (i: number, lo: number, hi: number): number => {
      const size = 2 ** (w - i);
      if (lo === 0 && hi === size - 1) return cont;
      const half = size / 2;
      if (hi < half) return bdd.mk(top + i, rec(i + 1, lo, hi), 0);
      if (lo >= half) return bdd.mk(top + i, 0, rec(i + 1, lo - half, hi - half));
      return bdd.mk(top + i, rec(i + 1, lo, half - 1), rec(i + 1, 0, hi - half));
    };
    return rec(0, lo, hi);
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

  /** Field values of a packet by field id (uint32; fragment 0/1). */
  packetValues(p: Packet, out: Uint32Array = new Uint32Array(FIELDS.length)): Uint32Array {
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

  /**
   * A concrete packet in `a`, or undefined when `a` is empty. Field by field (protocol first), the
   * value from `prefer` is taken when some packet of `a` has it, else a readable default (tcp/udp/
   * icmp, source port 1024, destination port 80/53, ICMP echo, SYN, not a fragment, tos 0), else
   * the smallest value — for addresses the first host (…1) when the set allows it.
   */
  witness(a: PSet, prefer?: Partial<Packet>): Packet | undefined {
    if (a === 0) return undefined;
    const bdd = this.bdd;
    let cur = a;
    const vals = new Map<Field, number>();
    for (const f of WITNESS_ORDER) {
      const cands: number[] = [];
      const pv = prefer?.[f];
      if (pv !== undefined) cands.push(typeof pv === "boolean" ? (pv ? 1 : 0) : pv);
      cands.push(...witnessDefaults(f, vals.get("protocol")));
      let chosen = -1;
      const max = 2 ** FIELD_WIDTH[f] - 1;
      for (const c of cands) {
        if (!Number.isInteger(c) || c < 0 || c > max) continue;
        const t = bdd.and(cur, this.eq(f, c));
        if (t !== 0) {
          cur = t;
          chosen = c;
          break;
        }
      }
      if (chosen < 0) {
        const w = FIELD_WIDTH[f];
        const isAddr = f === "src" || f === "dst";
        chosen = 0;
        for (let i = w - 1; i >= 0; i--) {
          const want = isAddr && i === 0;
          let t = bdd.and(cur, this.bit(f, i, want));
          let bit = want;
          if (t === 0) {
            bit = !want;
            t = bdd.and(cur, this.bit(f, i, bit));
          }
          cur = t;
          chosen = chosen * 2 + (bit ? 1 : 0);
        }
      }
      vals.set(f, chosen);
    }
    const v = (f: Field): number => vals.get(f) ?? 0;
    return {
      protocol: v("protocol"),
      src: v("src") >>> 0,
      dst: v("dst") >>> 0,
      srcPort: v("srcPort"),
      dstPort: v("dstPort"),
      icmpType: v("icmpType"),
      icmpCode: v("icmpCode"),
      tcpFlags: v("tcpFlags"),
      fragment: v("fragment") === 1,
      tos: v("tos"),
    };
  }

  /** Number of packets (assignments of all 135 header bits) in the set. */
  count(a: PSet): bigint {
    return this.bdd.satCount(a);
  }

  /** Nodes allocated by the manager so far (a memory/cost indicator). */
  get nodes(): number {
    return this.bdd.size;
  }
}

function witnessDefaults(f: Field, protocol: number | undefined): number[] {
  switch (f) {
    case "protocol":
      return [6, 17, 1];
    case "srcPort":
      return [1024];
    case "dstPort":
      return protocol === 17 ? [53] : [80];
    case "icmpType":
      return protocol === 1 ? [8] : [0];
    case "tcpFlags":
      return protocol === 6 ? [TCP.SYN, TCP.ACK, 0] : [0];
    case "src":
    case "dst":
      return [];
    default:
      return [0];
  }
}
