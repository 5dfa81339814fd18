/**
 * Boxes and sample points of ACL lines, built from their plans (./semantics.ts) without any
 * packet set: the cheap geometry ./line-index.ts files and tests lines with.
 *
 * - A box per conjunction of a line's plan: protocol, address hulls (the bits every pattern of the
 *   operand fixes alike), port bounds, ICMP type and code, the fragment bit. A packet a line
 *   matches is in one of its boxes, and two lines whose boxes do not meet do not overlap.
 * - Sample points: concrete packets of a conjunction, its low corner (every value at the bottom of
 *   its test: the first address pattern's base, the first port range's low end…) and its high
 *   corner (the last pattern with every wildcard bit set, the last range's high end…), each kept
 *   only when the line's plan matches it. A line whose match contains another's matches every
 *   sample point of that one: a necessary condition tested before any set is built.
 */
import { popcount } from "../model/addr.js";
import { mask6 } from "../model/addr6.js";
import type { Packet, Prefix6, Wildcard } from "../model/types.js";
import { tosBits, type Conjunction } from "./semantics.js";

/** Box layout (Int32 per field): protocol (-1 any), src mask/value, dst mask/value, source and destination port bounds, ICMP type and code (-1 any), fragment (-1 any), family (0 IPv4, 1 IPv6), the IPv6 address hulls. */
export const B_PROTO = 0;
export const B_SMASK = 1;
export const B_SVAL = 2;
export const B_DMASK = 3;
export const B_DVAL = 4;
export const B_SPLO = 5;
export const B_SPHI = 6;
export const B_DPLO = 7;
export const B_DPHI = 8;
export const B_ITYPE = 9;
export const B_ICODE = 10;
export const B_FRAG = 11;
export const B_FAM = 12;
/** IPv6 boxes: the prefix every pattern of src6 (dst6) shares, as four 32-bit words (most significant first) and its length. */
export const B_S6 = 13;
export const B_S6LEN = 17;
export const B_D6 = 18;
export const B_D6LEN = 22;
export const STRIDE = 23;

/** An IOS wildcard pattern that can match (no address bit under the wildcard). */
export function validPattern(w: Wildcard): boolean {
  const a = w.addr;
  return a >>> 0 === a && ((a & w.wildcard) >>> 0) === 0;
}

/** An IPv6 address hull: the prefix every prefix of a set starts with (words most significant first). */
export interface Hull6 {
  words: readonly number[];
  len: number;
}
export const OPEN6: Hull6 = { words: [0, 0, 0, 0], len: 0 };
const OPEN4 = { mask: 0, val: 0 };
const MASK128 = (1n << 128n) - 1n;

/** The longest prefix every valid prefix of the set starts with (length 128 and no bits when none is valid: such an operand matches nothing). */
export function hull6(set: readonly Prefix6[]): Hull6 {
  let first: bigint | undefined;
  let len = 128;
  for (const x of set) {
    if (!Number.isInteger(x.len) || x.len < 0 || x.len > 128 || x.addr < 0n || x.addr > MASK128) return OPEN6; // not a prefix: no claim
    if ((x.addr & ~mask6(x.len) & MASK128) !== 0n) continue; // host bits set: matches nothing
    if (first === undefined) first = x.addr;
    const diff = first ^ x.addr;
    len = Math.min(len, x.len, diff === 0n ? 128 : 128 - diff.toString(2).length);
  }
  if (first === undefined) return { words: [0, 0, 0, 0], len: 128 };
  const a = first & mask6(len);
  return { words: [0, 1, 2, 3].map((k) => Number((a >> BigInt(96 - 32 * k)) & 0xffffffffn) | 0), len };
}

/** Do two prefixes (four words at `x[a…]` and `y[b…]`, lengths la and lb) agree on the bits both fix? */
export function prefixesMeet(x: ArrayLike<number>, a: number, la: number, y: ArrayLike<number>, b: number, lb: number): boolean {
  const l = Math.min(la, lb);
  for (let k = 0; k < 4 && 32 * k < l; k++) {
    const bits = Math.min(32, l - 32 * k);
    if (((x[a + k]! ^ y[b + k]!) & (bits === 32 ? -1 : ~(-1 >>> bits))) !== 0) return false;
  }
  return true;
}

/** Bits every valid pattern of the set fixes to the same value. */
export function hull(set: readonly Wildcard[]): { mask: number; val: number } {
  let mask = -1;
  let first: number | undefined;
  for (const w of set) {
    if (!validPattern(w)) continue;
    if (first === undefined) first = w.addr;
    mask &= ~w.wildcard & ~(w.addr ^ first);
  }
  return first === undefined ? { mask: -1, val: 0 } : { mask: mask | 0, val: first & mask };
}

/** Push the box of a conjunction (none when it has an empty port set: it matches nothing); whether one was pushed. */
export function pushBox(out: number[], conj: Conjunction, s: { mask: number; val: number }, d: { mask: number; val: number }, s6: Hull6 = OPEN6, d6: Hull6 = OPEN6): boolean {
  let proto = -1;
  let spLo = 0;
  let spHi = 65535;
  let dpLo = 0;
  let dpHi = 65535;
  let itype = -1;
  let icode = -1;
  let frag = -1;
  let fam = 0;
  for (const t of conj.tests) {
    switch (t.field) {
      case "family":
        fam = t.value;
        break;
      case "protocol":
        proto = t.value;
        break;
      case "srcPort":
      case "dstPort": {
        let lo = 65536;
        let hi = -1;
        for (const r of t.ports) {
          if (r.lo > r.hi) continue;
          lo = Math.min(lo, r.lo);
          hi = Math.max(hi, r.hi);
        }
        if (hi < 0) return false; // an empty port set: the conjunction matches nothing
        if (t.field === "srcPort") [spLo, spHi] = [Math.max(spLo, lo), Math.min(spHi, hi)];
        else [dpLo, dpHi] = [Math.max(dpLo, lo), Math.min(dpHi, hi)];
        break;
      }
      case "icmpType":
        itype = t.value;
        break;
      case "icmpCode":
        icode = t.value;
        break;
      case "fragment":
        frag = t.value;
        break;
      default:
        break;
    }
  }
  // an IPv6 box leaves the IPv4 addresses free and an IPv4 box the IPv6 ones
  const [s4, d4] = fam === 1 ? [OPEN4, OPEN4] : [s, d];
  const [x6, y6] = fam === 1 ? [s6, d6] : [OPEN6, OPEN6];
  out.push(proto, s4.mask, s4.val, d4.mask, d4.val, spLo, spHi, dpLo, dpHi, itype, icode, frag, fam, ...x6.words, x6.len, ...y6.words, y6.len);
  return true;
}

const inRange = (v: number, max: number): boolean => Number.isInteger(v) && v >= 0 && v <= max;

/**
 * A packet satisfying every test of the conjunction, with every field in its width: its low
 * corner, or its high corner when `high`; undefined if none is found this way.
 */
export function pointOf(conj: Conjunction, high = false): Packet | undefined {
  const p: Packet = { protocol: high ? 255 : 0, src: 0, dst: 0, srcPort: 0, dstPort: 0, icmpType: 0, icmpCode: 0, tcpFlags: 0, fragment: false, tos: high ? 255 : 0 };
  const flags: Array<{ set: number; clear: number; any: boolean }> = [];
  let v6 = false;
  let src6 = 0n;
  let dst6 = 0n;
  const pick = <T>(xs: readonly T[], ok: (x: T) => boolean = () => true): T | undefined => (high ? xs.findLast(ok) : xs.find(ok));
  for (const t of conj.tests) {
    switch (t.field) {
      case "family":
        v6 = t.value === 1;
        break;
      case "protocol":
        if (!inRange(t.value, 255)) return undefined;
        p.protocol = t.value;
        break;
      case "src":
      case "dst": {
        const w = pick(t.addrs, validPattern);
        if (w === undefined) return undefined;
        p[t.field] = (high ? w.addr | w.wildcard : w.addr) >>> 0;
        break;
      }
      case "src6":
      case "dst6": {
        const x = pick(t.addrs);
        if (x === undefined) return undefined;
        const a = high ? x.addr | (~mask6(x.len) & ((1n << 128n) - 1n)) : x.addr;
        if (t.field === "src6") src6 = a;
        else dst6 = a;
        break;
      }
      case "srcPort":
      case "dstPort": {
        const r = pick(t.ports, (x) => x.lo <= x.hi && x.hi >= 0 && x.lo <= 65535);
        if (r === undefined) return undefined;
        p[t.field] = high ? Math.min(65535, r.hi) : Math.max(0, r.lo);
        break;
      }
      case "icmpType":
      case "icmpCode":
        if (!inRange(t.value, 255)) return undefined;
        p[t.field] = t.value;
        break;
      case "tcpFlags":
        flags.push(t.flags);
        break;
      case "fragment":
        p.fragment = t.value === 1;
        break;
      case "tos": {
        const [low, width] = tosBits(t.tos.kind);
        if (!inRange(t.tos.value, 2 ** width - 1)) return undefined;
        const field = (2 ** width - 1) << low;
        p.tos = (t.tos.value << low) | (high ? ~field & 0xff : 0);
        break;
      }
    }
  }
  if (flags.length > 0) {
    const ok = (f: number): boolean => flags.every((x) => (x.any ? (f & x.set) !== 0 || (~f & x.clear) !== 0 : (f & x.set) === x.set && (f & x.clear) === 0));
    let f = high ? 63 : 0;
    for (; f >= 0 && f < 64 && !ok(f); f += high ? -1 : 1);
    if (f < 0 || f === 64) return undefined;
    p.tcpFlags = f;
  }
  if (v6) p.v6 = { src: src6, dst: dst6 };
  return p;
}


/**
 * An upper bound on the packets two boxes share, counted as `HeaderSpace.count` counts them
 * (an IPv4 packet as an assignment of its 135 header bits, an IPv6 one of its 327): exact when
 * both boxes are exactly their conjunctions' sets (one address pattern per operand, one port
 * range…), larger otherwise; 0 when they do not meet. `bx[x…]` and `bx[y…]` are the boxes.
 */
export function boxMeetCount(bx: ArrayLike<number>, x: number, y: number): bigint {
  if (bx[x + B_FAM] !== bx[y + B_FAM]) return 0n;
  let bits = 0;
  const fixed = (o: number, w: number): boolean => {
    const a = bx[x + o]!;
    const b = bx[y + o]!;
    if (a >= 0 && b >= 0 && a !== b) return false;
    if (a < 0 && b < 0) bits += w;
    return true;
  };
  if (!fixed(B_PROTO, 8) || !fixed(B_ITYPE, 8) || !fixed(B_ICODE, 8) || !fixed(B_FRAG, 1)) return 0n;
  if (bx[x + B_FAM] === 1) {
    for (const [a, l] of [
      [B_S6, B_S6LEN],
      [B_D6, B_D6LEN],
    ] as const) {
      if (!prefixesMeet(bx, x + a, bx[x + l]!, bx, y + a, bx[y + l]!)) return 0n;
      bits += 128 - Math.max(bx[x + l]!, bx[y + l]!);
    }
  } else {
    for (const [m, v] of [
      [B_SMASK, B_SVAL],
      [B_DMASK, B_DVAL],
    ] as const) {
      const both = bx[x + m]! & bx[y + m]!;
      if (((bx[x + v]! ^ bx[y + v]!) & both) !== 0) return 0n;
      bits += 32 - popcount(bx[x + m]! | bx[y + m]!);
    }
  }
  const sp = Math.min(bx[x + B_SPHI]!, bx[y + B_SPHI]!) - Math.max(bx[x + B_SPLO]!, bx[y + B_SPLO]!) + 1;
  const dp = Math.min(bx[x + B_DPHI]!, bx[y + B_DPHI]!) - Math.max(bx[x + B_DPLO]!, bx[y + B_DPLO]!) + 1;
  if (sp <= 0 || dp <= 0) return 0n;
  // tcpFlags (6 bits) and tos (8) are not in the box
  return (BigInt(sp) * BigInt(dp)) << BigInt(bits + 14);
}

/**
 * The wide lines (no whole address byte fixed on either side, and the mixed-family ones) by
 * service, so that a query does not scan all of them: a line is filed under each of its boxes'
 * (protocol, destination port when the box fixes one, fragment bit) keys, or in `any` when a box
 * has no protocol. A packet looks at the keys it can meet (its port or none, its fragment bit or
 * either); a region query at every key of the protocols of the querying line.
 */
export class WideLines {
  private readonly byKey = new Map<number, number[]>();
  /** Protocol → the lists filed under it. */
  private readonly byProto = new Map<number, number[][]>();
  private readonly any: number[] = [];
  /** Every list (for a querying line with a box of any protocol). */
  private readonly all: number[][] = [this.any];

  /** File line `line`, whose boxes are `boxes[from, to)` (box indices). */
  add(line: number, boxes: ArrayLike<number>, from: number, to: number): void {
    for (let k = from; k < to; k++) {
      const o = k * STRIDE;
      const proto = boxes[o + B_PROTO]!;
      if (proto < 0) {
        push(this.any, line);
        continue;
      }
      const port = boxes[o + B_DPLO] === boxes[o + B_DPHI] ? boxes[o + B_DPLO]! : -1;
      const key = wideKey(proto, port, boxes[o + B_FRAG]!);
      let l = this.byKey.get(key);
      if (l === undefined) {
        this.byKey.set(key, (l = []));
        this.all.push(l);
        const ls = this.byProto.get(proto);
        if (ls === undefined) this.byProto.set(proto, [l]);
        else ls.push(l);
      }
      push(l, line);
    }
  }

  /** The lists a packet must look at. */
  point(p: Packet, out: number[][]): void {
    const f = p.fragment ? 1 : 0;
    for (const port of [p.dstPort, -1]) {
      for (const fr of [f, -1]) {
        const l = this.byKey.get(wideKey(p.protocol, port, fr));
        if (l !== undefined) out.push(l);
      }
    }
    out.push(this.any);
  }

  /** The lists a line with boxes `boxes[from, to)` must look at. */
  region(boxes: ArrayLike<number>, from: number, to: number, out: number[][]): void {
    const protos = new Set<number>();
    for (let k = from; k < to; k++) protos.add(boxes[k * STRIDE + B_PROTO]!);
    if (protos.has(-1)) {
      for (const l of this.all) out.push(l);
      return;
    }
    for (const p of protos) for (const l of this.byProto.get(p) ?? []) out.push(l);
    out.push(this.any);
  }
}

/** (protocol, destination port or -1, fragment bit or -1) as one number. */
const wideKey = (proto: number, port: number, frag: number): number => ((proto * 65537 + port + 1) * 3 + frag + 1);
const push = (l: number[], line: number): void => {
  if (l[l.length - 1] !== line) l.push(line);
};
