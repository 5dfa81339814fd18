/**
 * A first-match classifier for concrete packets that is cheap to build (no decision diagram, so
 * no build superlinear in the ACL): for each indexed header field the value range is cut at every
 * bound of the lines' tests on it, and each piece holds the bitset of the lines that may match a
 * packet whose field is there (an over-approximation read off the lines' plans: the first test on
 * the field of each conjunction, an address wildcard by its hull; the destination port once for
 * packets that are not non-initial fragments and once for those that are, each from the
 * conjunctions such a packet may match). A packet's piece is found by a table (a 16-bit field)
 * or a table of its top 16 bits and a search among the few pieces there. Its candidates are the
 * lines in all its pieces: a line narrow on the destination (at most 2^16 addresses) is found in
 * the list of its destination piece and kept when the other pieces' bitsets have it; the rest
 * lines are the AND of their own bitsets (only the words every piece has a line in). They are
 * tried in line order with the reference test (./evaluate.ts `planMatches`, run from flat code:
 * ./classify-code.ts), or none when the index decides the line exactly (one conjunction on the
 * family, protocol, prefixes and destination ports): the first that holds decides, then the
 * platform's implicit lines and the implicit deny, exactly as `evaluateAcl`.
 */
import { aceMatches, IMPLICIT_DENY, implicitVerdict, planMatches, plansOf, type Verdict } from "./evaluate.js";
import type { AcePlan, FieldTest } from "./semantics.js";
import { planCode, planExact, runCode } from "./classify-code.js";
import type { Acl, Packet } from "../model/types.js";

type Field = "protocol" | "src" | "dst" | "dstPort";
/** The indexed fields; the destination port twice, for packets that are not non-initial fragments and for those that are. */
const FIELDS: ReadonlyArray<{ field: Field; max: number; fragment?: 0 | 1 }> = [
  { field: "protocol", max: 255 },
  { field: "src", max: 0xffffffff },
  { field: "dst", max: 0xffffffff },
  { field: "dstPort", max: 65535, fragment: 0 },
  { field: "dstPort", max: 65535, fragment: 1 },
];

/** Past this many bitset words in all (4 bytes each), the ACL is not indexed (`classifier` gives undefined). */
const MAX_WORDS = 1 << 23;

/** The ranges of `field` a plan may match, or "all" (a conjunction does not test it). `[]`: the plan matches nothing. */
export function fieldRanges(plan: AcePlan, field: Field, fragment?: 0 | 1): Array<[number, number]> | "all" {
  const out: Array<[number, number]> = [];
  for (const c of plan) {
    // with `fragment`: only the conjunctions a packet with that fragment bit may match
    if (fragment !== undefined && c.tests.some((x) => x.field === "fragment" && x.value !== fragment)) continue;
    const t = c.tests.find((x) => x.field === field) as FieldTest | undefined;
    if (t === undefined) return "all";
    if (t.field === "protocol") out.push([t.value, t.value]);
    else if (t.field === "src" || t.field === "dst") for (const w of t.addrs) out.push([(w.addr & ~w.wildcard) >>> 0, (w.addr | w.wildcard) >>> 0]);
    else if (t.field === "dstPort") for (const r of t.ports) out.push([r.lo, r.hi]);
  }
  return out;
}

interface FieldIndex {
  field: Field;
  /** Start of each piece, ascending; the first is 0. */
  starts: Float64Array;
  /** The lines that may match in each piece: `words` bits per piece. */
  bits: Uint32Array;
  /**
   * The piece of each value (a field of at most 16 bits), or of each value's top 16 bits: the
   * piece of `hi << 16`, then (at 65536) the last piece; the piece of `v` is then searched
   * between those of its top 16 bits and the next.
   */
  table: Int32Array;
  /** `bits` of the lines that are not narrow on the destination (`Rest`), numbered among themselves. */
  restBits: Uint32Array;
  /** Which of a piece's `restBits` words are not zero: `ceil(words / 32)` words per piece (bit w: word w). */
  restSums: Uint32Array;
}

/** The lines not filed by destination (`narrow`): the line of each number among them, and the number of each line (-1: filed). */
interface Rest {
  lines: Int32Array;
  index: Int32Array;
  words: number;
}

function buildIndex(field: Field, max: number, fragment: 0 | 1 | undefined, plans: ReadonlyArray<AcePlan | undefined>, words: number, rest: Rest): FieldIndex {
  const all = new Uint32Array(words);
  const events: Array<{ at: number; line: number; d: number }> = [];
  plans.forEach((plan, line) => {
    if (plan === undefined) return;
    const rs = fieldRanges(plan, field, fragment);
    if (rs === "all") all[line >>> 5]! |= 1 << (line & 31);
    else
      for (const [lo, hi] of rs) {
        if (lo > hi) continue;
        events.push({ at: lo, line, d: 1 });
        if (hi < max) events.push({ at: hi + 1, line, d: -1 });
      }
  });
  events.sort((a, b) => a.at - b.at);
  const points = [0, ...new Set(events.map((e) => e.at))].filter((v, i, a) => i === 0 || v !== a[i - 1]);
  const starts = Float64Array.from(points);
  const bits = new Uint32Array(points.length * words);
  const count = new Int32Array(plans.length);
  const cur = Uint32Array.from(all);
  // the same for the rest lines, by their numbers among themselves
  const rw = rest.words;
  const restBits = new Uint32Array(points.length * rw);
  const restCur = new Uint32Array(rw);
  for (let j = 0; j < rest.lines.length; j++) {
    const line = rest.lines[j]!;
    if (all[line >>> 5]! & (1 << (line & 31))) restCur[j >>> 5]! |= 1 << (j & 31);
  }
  let e = 0;
  for (let k = 0; k < points.length; k++) {
    for (; e < events.length && events[e]!.at === points[k]; e++) {
      const { line, d } = events[e]!;
      count[line]! += d;
      const j = rest.index[line]!;
      if (count[line]! > 0) {
        cur[line >>> 5]! |= 1 << (line & 31);
        if (j >= 0) restCur[j >>> 5]! |= 1 << (j & 31);
      } else if (!(all[line >>> 5]! & (1 << (line & 31)))) {
        cur[line >>> 5]! &= ~(1 << (line & 31));
        if (j >= 0) restCur[j >>> 5]! &= ~(1 << (j & 31));
      }
    }
    bits.set(cur, k * words);
    restBits.set(restCur, k * rw);
  }
  return { field, starts, bits, table: pieceTable(starts, max), restBits, restSums: wordSums(restBits, rw) };
}

/** Per piece of `words` words, the bitset of its words that are not zero. */
function wordSums(bits: Uint32Array, words: number): Uint32Array {
  const pieces = bits.length / words;
  const swords = Math.ceil(words / 32);
  const sums = new Uint32Array(pieces * swords);
  for (let k = 0; k < pieces; k++)
    for (let w = 0; w < words; w++) if (bits[k * words + w] !== 0) sums[k * swords + (w >>> 5)]! |= 1 << (w & 31);
  return sums;
}

/** A line whose destination ranges span at most this many addresses in all is narrow: found from the destination's piece. */
const NARROW = 1 << 16;
/** Past this many entries in the narrow lines' lists, none is narrow. */
const MAX_NARROW = 1 << 22;

/** The narrow lines (`NARROW`; `none`: none is) and which are the rest. */
function splitNarrow(plans: ReadonlyArray<AcePlan | undefined>, none: boolean): { narrow: Array<Array<[number, number]> | undefined>; rest: Rest } {
  const narrow: Array<Array<[number, number]> | undefined> = plans.map((plan) => {
    if (plan === undefined || none) return undefined;
    const rs = fieldRanges(plan, "dst");
    if (rs === "all") return undefined;
    let n = 0;
    for (const [lo, hi] of rs) if (hi >= lo) n += hi - lo + 1;
    return n <= NARROW ? rs : undefined;
  });
  const index = new Int32Array(plans.length).fill(-1);
  const lines: number[] = [];
  plans.forEach((plan, i) => {
    if (plan !== undefined && narrow[i] === undefined) index[i] = lines.push(i) - 1;
  });
  return { narrow, rest: { lines: Int32Array.from(lines), index, words: Math.max(1, Math.ceil(lines.length / 32)) } };
}

/** For each piece of the destination index, the narrow lines there in order (from `at[k]` to `at[k + 1]` of `lines`), or undefined when there would be too many. */
function narrowLists(dst: FieldIndex, narrow: ReadonlyArray<Array<[number, number]> | undefined>, maxNarrow: number): { at: Int32Array; lines: Int32Array } | undefined {
  const pieces = dst.starts.length;
  const find = (v: number): number => {
    let lo = 0;
    let hi = pieces - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (dst.starts[mid]! <= v) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  const spans: number[] = []; // line, first piece, last piece
  const count = new Int32Array(pieces + 1);
  let total = 0;
  narrow.forEach((rs, line) => {
    if (rs === undefined) return;
    const ks = new Set<number>();
    for (const [lo, hi] of rs) if (hi >= lo) for (let k = find(lo), last = find(hi); k <= last; k++) ks.add(k);
    total += ks.size;
    if (total > maxNarrow) return;
    for (const k of ks) {
      spans.push(line, k);
      count[k + 1]!++;
    }
  });
  if (total > maxNarrow) return undefined;
  for (let k = 0; k < pieces; k++) count[k + 1]! += count[k]!;
  const lines = new Int32Array(total);
  const fill = count.slice(0, pieces);
  for (let x = 0; x < spans.length; x += 2) lines[fill[spans[x + 1]!]!++] = spans[x]!; // lines in order: pushed in line order
  return { at: count, lines };
}

/** A 32-bit field's `FieldIndex.table` is by the top this many bits of a value. */
const TOP_BITS = 16;

/** `FieldIndex.table`: a value's piece (a field of at most 16 bits) or its top 16 bits' (see there). */
function pieceTable(starts: Float64Array, max: number): Int32Array {
  const direct = max <= 0xffff;
  const step = direct ? 1 : 2 ** (32 - TOP_BITS);
  const table = new Int32Array(direct ? max + 1 : (1 << TOP_BITS) + 1);
  // piece k holds the entries t with starts[k] <= t * step < starts[k + 1]
  for (let k = 1; k < starts.length; k++) table.fill(k, Math.ceil(starts[k]! / step), k + 1 < starts.length ? Math.ceil(starts[k + 1]! / step) : table.length);
  if (!direct) table[1 << TOP_BITS] = starts.length - 1;
  return table;
}

/** The piece of `v` (a whole number 0 to 2^32 − 1) in a 32-bit field: searched between the pieces of its top bits and the next. */
function piece32(ix: FieldIndex, v: number): number {
  const starts = ix.starts;
  const top = v >>> (32 - TOP_BITS);
  let lo = ix.table[top]!;
  let hi = ix.table[top + 1]!;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (starts[mid]! <= v) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The classifier of an ACL (same verdicts as `evaluateAcl`), or undefined when its index would be too large (`maxNarrow`: `MAX_NARROW`, for tests). */
export function classifier(acl: Acl, maxNarrow = MAX_NARROW): ((p: Packet) => Verdict) | undefined {
  const plans = plansOf(acl);
  const es = acl.entries;
  const words = Math.max(1, Math.ceil(es.length / 32));
  // the lines narrow on the destination are found from its piece's list, the rest from bitsets
  // (all of them when the lists would be too long)
  let indexes: FieldIndex[] = [];
  let lists: { at: Int32Array; lines: Int32Array } | undefined;
  let rest: Rest | undefined;
  for (const none of [false, true]) {
    const split = splitNarrow(plans, none);
    rest = split.rest;
    indexes = [];
    let total = 0;
    for (const { field, max, fragment } of FIELDS) {
      const ix = buildIndex(field, max, fragment, plans, words, rest);
      total += ix.bits.length + ix.restBits.length;
      if (total > MAX_WORDS) return undefined;
      indexes.push(ix);
    }
    lists = narrowLists(indexes[2]!, split.narrow, maxNarrow);
    if (lists !== undefined) break;
  }
  if (lists === undefined || rest === undefined) return undefined;
  const verdicts: Verdict[] = es.map((e, i) => Object.freeze({ action: e.action, ace: e, index: i }));
  const [proto, src, dst, port0, port1] = indexes as [FieldIndex, FieldIndex, FieldIndex, FieldIndex, FieldIndex];
  const implicit = acl.implicitPermits ?? [];
  // each line's plan as code (./classify-code.ts), from at[i] to at[i + 1]; -1: judged by planMatches
  const codes: number[] = [];
  const at = new Int32Array(es.length + 1);
  for (let i = 0; i < es.length; i++) {
    at[i] = codes.length;
    const plan = plans[i];
    if (plan !== undefined && !planCode(plan, codes)) {
      codes.length = at[i]!;
      at[i] = -1;
    }
  }
  at[es.length] = codes.length;
  const code = Float64Array.from(codes);
  const end = (i: number): number => {
    for (let j = i + 1; ; j++) if (at[j]! >= 0) return at[j]!;
  };
  const ends = Int32Array.from(es, (_e, i) => end(i));
  const exact = Uint8Array.from(plans, (plan) => (plan !== undefined && planExact(plan) ? 1 : 0));
  // after the written lines; every line in order (the reference evaluator's loop)
  const after = (p: Packet): Verdict => {
    for (const l of implicit) if (aceMatches(l.match, p, "permit", acl.vendor)) return implicitVerdict(l.text);
    return IMPLICIT_DENY;
  };
  const linear = (p: Packet): Verdict => {
    for (let i = 0; i < plans.length; i++) if (plans[i] !== undefined && planMatches(plans[i]!, p)) return verdicts[i]!;
    return after(p);
  };
  const [pb, sb] = [proto.bits, src.bits];
  const [pr, sr, dr] = [proto.restBits, src.restBits, dst.restBits];
  const [prs, srs, drs] = [proto.restSums, src.restSums, dst.restSums];
  const { at: nAt, lines: nLines } = lists;
  const rLines = rest.lines;
  const rw = rest.words;
  const rsw = Math.ceil(rw / 32);
  const none = es.length;
  /** Does line i (a candidate) match? */
  const matches = (i: number, p: Packet, v4: boolean): boolean => {
    if (v4 && exact[i] === 1) return true;
    const from = at[i]!;
    return from >= 0 ? runCode(code, from, ends[i]!, p) : planMatches(plans[i]!, p);
  };
  /** The position in `nLines` of the next narrow line from `x` that is a candidate in the other fields' pieces, or `to`. */
  const nextNarrow = (x: number, to: number, a: number, b: number, tb: Uint32Array, d: number): number => {
    for (; x < to; x++) {
      const i = nLines[x]!;
      const w = i >>> 5;
      if ((sb[b * words + w]! & pb[a * words + w]! & tb[d * words + w]! & (1 << (i & 31))) !== 0) return x;
    }
    return to;
  };
  return (p: Packet): Verdict => {
    const dport = p.fragment ? port1 : port0;
    const a = proto.table[p.protocol];
    const d = dport.table[p.dstPort];
    if (a === undefined || d === undefined || p.src >>> 0 !== p.src || p.dst >>> 0 !== p.dst) return linear(p); // a field out of its range: not indexed
    // an IPv4 packet: its candidate lines with an exact index match it
    const v4 = !p.v6;
    const b = piece32(src, p.src);
    const c = piece32(dst, p.dst);
    const tb = dport.bits;
    const tr = dport.restBits;
    const trs = dport.restSums;
    // the narrow lines of the destination's piece and the rest lines, merged in line order
    const ne = nAt[c + 1]!;
    let nx = nextNarrow(nAt[c]!, ne, a, b, tb, d);
    let n = nx < ne ? nLines[nx]! : none;
    for (let s = 0; s < rsw; s++) {
      let sm = trs[d * rsw + s]! & drs[c * rsw + s]! & srs[b * rsw + s]! & prs[a * rsw + s]!;
      while (sm !== 0) {
        const lowS = sm & -sm;
        sm ^= lowS;
        const w = s * 32 + 31 - Math.clz32(lowS);
        let m = tr[d * rw + w]! & dr[c * rw + w]!;
        if (m === 0) continue;
        m &= sr[b * rw + w]! & pr[a * rw + w]!;
        while (m !== 0) {
          const low = m & -m;
          const i = rLines[w * 32 + 31 - Math.clz32(low)]!;
          for (; n < i; nx = nextNarrow(nx + 1, ne, a, b, tb, d), n = nx < ne ? nLines[nx]! : none) if (matches(n, p, v4)) return verdicts[n]!;
          if (matches(i, p, v4)) return verdicts[i]!;
          m ^= low;
        }
      }
    }
    for (; n < none; nx = nextNarrow(nx + 1, ne, a, b, tb, d), n = nx < ne ? nLines[nx]! : none) if (matches(n, p, v4)) return verdicts[n]!;
    return after(p);
  };
}
