/**
 * An index of an ACL's lines for the two questions the line analyses ask most, answered without
 * building any packet set:
 * - point queries: the first line in a range of positions that matches one concrete packet
 *   (`first`), by the reference semantics of ./semantics.ts (`planMatches`);
 * - region queries: every line in a range of positions whose match may intersect another line's
 *   (`overlapping`): a superset, complete, in line order; the caller decides exactly.
 *
 * Lines are filed by their address patterns, tuple-space style: a pattern that fixes some whole
 * bytes of the destination (a host, a /24, `10.0.0.5 0.255.0.0`…) is filed under the set B of
 * those bytes and their value, and — for region queries from a pattern fixing a set F of bytes —
 * under every subset S of B, keyed by the bytes in S. Two patterns that intersect agree on every
 * bit both fix, so a pattern fixing F finds every line filed under B through the key on B ∩ F.
 * Lines none of whose destination patterns fixes a whole byte (`any`, a /12) are filed by their
 * source patterns; lines wide in both (`permit udp any any eq 123`) and mixed-family lines are
 * filed by service (./line-box.ts `WideLines`: protocol, destination port, fragment bit);
 * IPv6-only lines have tables of their own, by a 32-bit word of their prefixes. Region queries
 * are lazy (`eachOverlapping`: the caller stops when it has its answer).
 * Each line also has boxes (./line-box.ts; per conjunction of its plan: family, protocol, address
 * hulls — IPv4 masks, IPv6 common prefixes —, port and ICMP bounds, the fragment bit), a cheap
 * necessary condition for overlap, a bound on the packets two lines share (`meetCount`), a source
 * of packets both match (`meetPoint`); sample points (`points`), packets it matches.
 */
import type { AceMatch, Acl, AddrSet, Packet, Prefix6, Wildcard } from "../model/types.js";
import { planMatches, plansOf } from "./evaluate.js";
import { B_D6, B_D6LEN, B_DMASK, B_DPHI, B_DPLO, B_DVAL, B_FAM, B_FRAG, B_ICODE, B_ITYPE, B_PROTO, B_S6, B_S6LEN, B_SMASK, B_SPHI, B_SPLO, B_SVAL, boxMeetCount, hull, hull6, pointOf, prefixesMeet, pushBox, STRIDE, validPattern, WideLines } from "./line-box.js";
import type { AcePlan } from "./semantics.js";
import { fixedBytes, Tables } from "./line-tables.js";

/** Does the line match IPv6 packets (both IPv6 operands non-empty)? */
const has6 = (m: AceMatch): boolean => (m.src6?.length ?? 0) > 0 && (m.dst6?.length ?? 0) > 0;
/** Word k (bits 32k to 32k+31) of an IPv6 prefix as an IPv4-style pattern (two prefixes that meet agree there). */
function word6(p: Prefix6, k: number): Wildcard {
  const len = Math.max(0, Math.min(p.len - 32 * k, 32));
  const mask = len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
  return { addr: (wordOf(p.addr, k) & mask) >>> 0, wildcard: ~mask >>> 0 };
}
const wordOf = (a: bigint, k: number): number => Number((a >> BigInt(96 - 32 * k)) & 0xffffffffn);
/** First position in ascending `xs` with a value ≥ v. */
function lowerBound(xs: readonly number[], v: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const m = (lo + hi) >>> 1;
    if (xs[m]! < v) lo = m + 1;
    else hi = m;
  }
  return lo;
}

export class LineIndex {
  readonly n: number;
  /** The plan of each line; undefined for an inactive line (it never matches). */
  readonly plans: ReadonlyArray<AcePlan | undefined>;
  private readonly boxes: Int32Array;
  private readonly boxStart: Int32Array;
  /** The conjunction of its line's plan each box is of. */
  private readonly boxConj: Int32Array;
  private readonly byDst = new Tables();
  private readonly bySrc = new Tables();
  /** IPv6-only lines, filed the same way by 32-bit words of their prefixes (`word6`: [0] bits 0–31, [1] bits 32–63). */
  private readonly byDst6 = [new Tables(), new Tables()];
  private readonly bySrc6 = [new Tables(), new Tables()];
  /** The wide lines (see `WideLines`), filed once the boxes are built. */
  private readonly rest = new WideLines();
  private readonly restLines: number[] = [];
  private readonly seen: Int32Array;
  private stamp = 0;

  constructor(readonly acl: Acl) {
    const n = acl.entries.length;
    this.n = n;
    this.plans = plansOf(acl);
    this.seen = new Int32Array(n);
    this.boxStart = new Int32Array(n + 1);
    const boxes: number[] = [];
    const conjOf: number[] = [];
    for (let i = 0; i < n; i++) {
      this.boxStart[i] = boxes.length / STRIDE;
      const plan = this.plans[i];
      if (plan === undefined || plan.length === 0) continue;
      const m = acl.entries[i]!.match;
      // A line that matches IPv6 packets (both IPv6 operands non-empty): its IPv6 boxes constrain
      // the IPv6 addresses only (an IPv6 packet has src = dst = 0), its IPv4 ones the IPv4 ones.
      if (has6(m)) {
        const [s, d, s6, d6] = [hull(m.src), hull(m.dst), hull6(m.src6!), hull6(m.dst6!)];
        plan.forEach((conj, c) => pushBox(boxes, conj, s, d, s6, d6) && conjOf.push(c));
        // a mixed line (IPv4 and IPv6 operands) must be found by packets of both families; else
        // the word that tells lines apart: bits 32–63 when every prefix fixes some of them
        const k = (ps: Prefix6[]) => (ps.every((x) => x.len >= 40) ? 1 : 0);
        const [kd, ks] = [k(m.dst6!), k(m.src6!)];
        const [dsts6, srcs6] = [m.dst6!.map((x) => word6(x, kd)), m.src6!.map((x) => word6(x, ks))];
        if (m.src.length > 0 && m.dst.length > 0) this.restLines.push(i);
        else if (dsts6.every((w) => fixedBytes(w) !== 0)) for (const w of dsts6) this.byDst6[kd]!.add(i, w);
        else if (srcs6.every((w) => fixedBytes(w) !== 0)) for (const w of srcs6) this.bySrc6[ks]!.add(i, w);
        else this.restLines.push(i);
        continue;
      }
      const s = hull(m.src);
      const d = hull(m.dst);
      plan.forEach((conj, c) => pushBox(boxes, conj, s, d) && conjOf.push(c));
      const dsts = m.dst.filter(validPattern);
      const srcs = m.src.filter(validPattern);
      if (dsts.length === 0 || srcs.length === 0) continue; // matches nothing: never a candidate
      if (dsts.every((w) => fixedBytes(w) !== 0)) for (const w of dsts) this.byDst.add(i, w);
      else if (srcs.every((w) => fixedBytes(w) !== 0)) for (const w of srcs) this.bySrc.add(i, w);
      else this.restLines.push(i);
    }
    this.boxStart[n] = boxes.length / STRIDE;
    this.boxes = Int32Array.from(boxes);
    this.boxConj = Int32Array.from(conjOf);
    for (const i of this.restLines) this.rest.add(i, this.boxes, this.boxStart[i]!, this.boxStart[i + 1]!);
  }

  private lastPacket: Packet | undefined;
  private readonly lastWords = new Int32Array(8);
  /** An IPv6 packet's source and destination as eight 32-bit words (of the last packet asked: queries ask one packet many times). */
  private words6(p: Packet): Int32Array {
    if (p !== this.lastPacket) {
      for (let k = 0; k < 4; k++) {
        this.lastWords[k] = wordOf(p.v6!.src, k);
        this.lastWords[4 + k] = wordOf(p.v6!.dst, k);
      }
      this.lastPacket = p;
    }
    return this.lastWords;
  }

  /** Does line j's box contain the packet (a necessary condition for matching it)? */
  private inBox(j: number, p: Packet): boolean {
    const bx = this.boxes;
    const frag = p.fragment ? 1 : 0;
    const fam = p.v6 ? 1 : 0;
    const w6 = fam === 1 ? this.words6(p) : undefined;
    for (let k = this.boxStart[j]!, e = this.boxStart[j + 1]!; k < e; k++) {
      const o = k * STRIDE;
      if (bx[o + B_FAM] !== fam) continue;
      if (w6 !== undefined && (!prefixesMeet(bx, o + B_S6, bx[o + B_S6LEN]!, w6, 0, 128) || !prefixesMeet(bx, o + B_D6, bx[o + B_D6LEN]!, w6, 4, 128))) continue;
      const pr = bx[o + B_PROTO]!;
      if (pr >= 0 && pr !== p.protocol) continue;
      if (((p.dst ^ bx[o + B_DVAL]!) & bx[o + B_DMASK]!) !== 0) continue;
      if (((p.src ^ bx[o + B_SVAL]!) & bx[o + B_SMASK]!) !== 0) continue;
      if (p.dstPort < bx[o + B_DPLO]! || p.dstPort > bx[o + B_DPHI]! || p.srcPort < bx[o + B_SPLO]! || p.srcPort > bx[o + B_SPHI]!) continue;
      const fr = bx[o + B_FRAG]!;
      if (fr >= 0 && fr !== frag) continue;
      const it = bx[o + B_ITYPE]!;
      if (it >= 0 && it !== p.icmpType) continue;
      const ic = bx[o + B_ICODE]!;
      if (ic >= 0 && ic !== p.icmpCode) continue;
      return true;
    }
    return false;
  }

  /** Does line j match the packet (exactly; inactive lines match nothing)? */
  matches(j: number, p: Packet): boolean {
    const plan = this.plans[j];
    return plan !== undefined && this.inBox(j, p) && planMatches(plan, p);
  }

  /** The first line in [from, to) that matches `p`, among those `reading` keeps (every active line when omitted); -1 when none. */
  first(p: Packet, from: number, to: number, reading?: Uint8Array): number {
    let best = to;
    const scan = (list: readonly number[]): void => {
      for (let k = lowerBound(list, from); k < list.length; k++) {
        const j = list[k]!;
        if (j >= best) return;
        if (reading !== undefined && reading[j] === 0) continue;
        if (this.matches(j, p)) {
          best = j;
          return;
        }
      }
    };
    const lists: number[][] = [];
    if (p.v6) {
      for (const k of [0, 1]) for (const [a, t] of [[p.v6.dst, this.byDst6[k]!], [p.v6.src, this.bySrc6[k]!]] as const) t.lists(wordOf(a, k), 15, lists);
    } else {
      this.byDst.lists(p.dst, 15, lists);
      this.bySrc.lists(p.src, 15, lists);
    }
    this.rest.point(p, lists);
    for (const l of lists) scan(l);
    return best < to ? best : -1;
  }

  /** Every line in [from, to) whose match may intersect line i's (a superset of those that do, ascending; inactive and empty lines left out). Complete: see the file comment. */
  overlapping(i: number, from: number, to: number): number[] {
    const out: number[] = [];
    this.eachOverlapping(i, from, to, (j) => out.push(j) < 0);
    return out;
  }

  /** Lists (ascending) holding every IPv4 line that may match a packet from `src` to `dst`: those filed under them, and the wide lines. */
  addressLists(src: AddrSet, dst: AddrSet, out: number[][]): void {
    this.filedUnder(src, dst, out);
    out.push(this.restLines);
  }

  /** The lists of the IPv4 lines filed under address patterns that may meet `dst` (by destination) or `src` (by source). */
  private filedUnder(src: AddrSet, dst: AddrSet, out: number[][]): void {
    for (const w of dst) if (validPattern(w)) this.byDst.lists(w.addr, fixedBytes(w), out);
    for (const w of src) if (validPattern(w)) this.bySrc.lists(w.addr, fixedBytes(w), out);
  }

  /**
   * `visit` on the lines of `overlapping(i, from, to)`, in ascending order, until it returns
   * true. Lazy: the candidate lists are merged window by window (windows of positions doubling
   * in width), so a caller that stops early does not pay for the rest of a long ACL. Not
   * reentrant (`visit` must not start another region query).
   */
  eachOverlapping(i: number, from: number, to: number, visit: (j: number) => boolean): void {
    const m = this.acl.entries[i]!.match;
    const lists: number[][] = [];
    this.filedUnder(m.src, m.dst, lists);
    if (has6(m)) {
      for (const k of [0, 1]) for (const [ps, t] of [[m.dst6!, this.byDst6[k]!], [m.src6!, this.bySrc6[k]!]] as const) for (const x of ps) t.lists(word6(x, k).addr, fixedBytes(word6(x, k)), lists);
    }
    this.rest.region(this.boxes, this.boxStart[i]!, this.boxStart[i + 1]!, lists);
    const pos = lists.map((l) => lowerBound(l, from));
    const stamp = ++this.stamp;
    const buf: number[] = [];
    for (let lo = from, width = 256; lo < to; lo += width, width *= 2) {
      const hi = Math.min(to, lo + width);
      buf.length = 0;
      for (let k = 0; k < lists.length; k++) {
        const l = lists[k]!;
        let q = pos[k]!;
        for (; q < l.length; q++) {
          const j = l[q]!;
          if (j >= hi) break;
          if (this.seen[j] === stamp) continue;
          this.seen[j] = stamp;
          if (this.boxesMeet(i, j)) buf.push(j);
        }
        pos[k] = q;
      }
      if (buf.length > 1) buf.sort((x, y) => x - y);
      for (const j of buf) if (visit(j)) return;
    }
  }

  /** May lines i and j overlap (some pair of their boxes intersects)? */
  boxesMeet(i: number, j: number): boolean {
    const bx = this.boxes;
    for (let a = this.boxStart[i]!, ae = this.boxStart[i + 1]!; a < ae; a++) {
      const x = a * STRIDE;
      for (let b = this.boxStart[j]!, be = this.boxStart[j + 1]!; b < be; b++) {
        const y = b * STRIDE;
        if (bx[x + B_FAM] !== bx[y + B_FAM]) continue;
        if (bx[x + B_FAM] === 1 && (!prefixesMeet(bx, x + B_S6, bx[x + B_S6LEN]!, bx, y + B_S6, bx[y + B_S6LEN]!) || !prefixesMeet(bx, x + B_D6, bx[x + B_D6LEN]!, bx, y + B_D6, bx[y + B_D6LEN]!))) continue;
        const pa = bx[x + B_PROTO]!;
        const pb = bx[y + B_PROTO]!;
        if (pa >= 0 && pb >= 0 && pa !== pb) continue;
        if (((bx[x + B_DVAL]! ^ bx[y + B_DVAL]!) & bx[x + B_DMASK]! & bx[y + B_DMASK]!) !== 0) continue;
        if (((bx[x + B_SVAL]! ^ bx[y + B_SVAL]!) & bx[x + B_SMASK]! & bx[y + B_SMASK]!) !== 0) continue;
        if (bx[x + B_DPLO]! > bx[y + B_DPHI]! || bx[y + B_DPLO]! > bx[x + B_DPHI]!) continue;
        if (bx[x + B_SPLO]! > bx[y + B_SPHI]! || bx[y + B_SPLO]! > bx[x + B_SPHI]!) continue;
        const fa = bx[x + B_FRAG]!;
        const fb = bx[y + B_FRAG]!;
        if (fa >= 0 && fb >= 0 && fa !== fb) continue;
        const ta = bx[x + B_ITYPE]!;
        const tb = bx[y + B_ITYPE]!;
        if (ta >= 0 && tb >= 0 && ta !== tb) continue;
        const ca = bx[x + B_ICODE]!;
        const cb = bx[y + B_ICODE]!;
        if (ca >= 0 && cb >= 0 && ca !== cb) continue;
        return true;
      }
    }
    return false;
  }

  /** An upper bound on the packets lines i and j both match (`HeaderSpace.count` units; see `boxMeetCount`). */
  meetCount(i: number, j: number): bigint {
    let n = 0n;
    for (let a = this.boxStart[i]!, ae = this.boxStart[i + 1]!; a < ae; a++) for (let b = this.boxStart[j]!, be = this.boxStart[j + 1]!; b < be; b++) n += boxMeetCount(this.boxes, a * STRIDE, b * STRIDE);
    return n;
  }

  /**
   * A packet lines i and j both match, built from a pair of their boxes that meet (the values
   * both allow, the rest from line i's or line j's sample point) and checked against both plans;
   * undefined when none is found this way. `whole`: not a non-initial fragment.
   */
  meetPoint(i: number, j: number, whole = false): Packet | undefined {
    const pi = this.plans[i];
    const pj = this.plans[j];
    if (pi === undefined || pj === undefined) return undefined;
    const bx = this.boxes;
    for (let a = this.boxStart[i]!, ae = this.boxStart[i + 1]!; a < ae; a++) {
      const x = a * STRIDE;
      for (let b = this.boxStart[j]!, be = this.boxStart[j + 1]!; b < be; b++) {
        const y = b * STRIDE;
        if (boxMeetCount(bx, x, y) === 0n || (whole && (bx[x + B_FRAG] === 1 || bx[y + B_FRAG] === 1))) continue;
        const one = (o: number): number => (bx[x + o]! >= 0 ? bx[x + o]! : bx[y + o]! >= 0 ? bx[y + o]! : 0);
        const met: Partial<Packet> = {
          protocol: one(B_PROTO),
          src: (bx[x + B_SVAL]! | bx[y + B_SVAL]!) >>> 0,
          dst: (bx[x + B_DVAL]! | bx[y + B_DVAL]!) >>> 0,
          srcPort: Math.max(bx[x + B_SPLO]!, bx[y + B_SPLO]!),
          dstPort: Math.max(bx[x + B_DPLO]!, bx[y + B_DPLO]!),
          icmpType: one(B_ITYPE),
          icmpCode: one(B_ICODE),
          fragment: one(B_FRAG) === 1,
        };
        if (bx[x + B_FAM] === 1) {
          const longer = (o: number, l: number): bigint => {
            const z = bx[x + l]! >= bx[y + l]! ? x : y;
            let v = 0n;
            for (let k = 0; k < 4; k++) v = (v << 32n) | BigInt(bx[z + o + k]! >>> 0);
            return v;
          };
          met.v6 = { src: longer(B_S6, B_S6LEN), dst: longer(B_D6, B_D6LEN) };
        }
        // the fields boxes leave out (TCP flags, ToS) from line i's sample point, else from line j's
        for (let t = 0; t < 2; t++) {
          const base = pointOf(t === 0 ? pi[this.boxConj[a]!]! : pj[this.boxConj[b]!]!);
          if (base === undefined) continue;
          const q: Packet = { ...base, ...met };
          if (planMatches(pi, q) && planMatches(pj, q)) return q;
        }
      }
    }
    return undefined;
  }

  /**
   * Some packet line i matches, built from its plan without a packet set (the first conjunction
   * that yields one, checked against the plan); undefined when none is found this way (the match
   * may then be empty: the caller asks the exact set).
   */
  point(i: number): Packet | undefined {
    const plan = this.plans[i];
    if (plan === undefined) return undefined;
    for (const conj of plan) {
      const p = pointOf(conj);
      if (p !== undefined && planMatches(plan, p)) return p;
    }
    return undefined;
  }

  /**
   * Packets line i matches, built from its plan (./line-box.ts: the low and high corner of each
   * conjunction, those the plan matches): a line whose match contains line i's matches them all.
   */
  points(i: number): Packet[] {
    const plan = this.plans[i];
    const out: Packet[] = [];
    if (plan === undefined) return out;
    for (const conj of plan) {
      for (const high of [false, true]) {
        const p = pointOf(conj, high);
        if (p !== undefined && planMatches(plan, p)) out.push(p);
      }
    }
    return out;
  }
}
