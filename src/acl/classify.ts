/**
 * A first-match classifier for concrete packets that is cheap to build (no decision diagram, so
 * no build superlinear in the ACL): for each indexed header field the value range is cut at every
 * bound of the lines' tests on it, and each piece holds the bitset of the lines that may match a
 * packet whose field is there (an over-approximation read off the lines' plans: the first test on
 * the field of each conjunction, an address wildcard by its hull). A packet's candidates are the
 * AND of its pieces' bitsets, tried in line order with the reference test (./evaluate.ts
 * `planMatches`): the first that holds decides, then the platform's implicit lines and the
 * implicit deny, exactly as `evaluateAcl`.
 */
import { aceMatches, IMPLICIT_DENY, implicitVerdict, planMatches, plansOf, type Verdict } from "./evaluate.js";
import type { AcePlan, FieldTest } from "./semantics.js";
import type { Acl, Packet } from "../model/types.js";

type Field = "protocol" | "src" | "dst" | "dstPort";
const FIELDS: ReadonlyArray<{ field: Field; max: number }> = [
  { field: "protocol", max: 255 },
  { field: "src", max: 0xffffffff },
  { field: "dst", max: 0xffffffff },
  { field: "dstPort", max: 65535 },
];

/** Past this many bitset words in all (4 bytes each), the ACL is not indexed (`classifier` gives undefined). */
const MAX_WORDS = 1 << 23;

/** The ranges of `field` a plan may match, or "all" (a conjunction does not test it). `[]`: the plan matches nothing. */
export function fieldRanges(plan: AcePlan, field: Field): Array<[number, number]> | "all" {
  const out: Array<[number, number]> = [];
  for (const c of plan) {
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
}

function buildIndex(field: Field, max: number, plans: ReadonlyArray<AcePlan | undefined>, words: number): FieldIndex {
  const all = new Uint32Array(words);
  const events: Array<{ at: number; line: number; d: number }> = [];
  plans.forEach((plan, line) => {
    if (plan === undefined) return;
    const rs = fieldRanges(plan, field);
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
  let e = 0;
  for (let k = 0; k < points.length; k++) {
    for (; e < events.length && events[e]!.at === points[k]; e++) {
      const { line, d } = events[e]!;
      count[line]! += d;
      if (count[line]! > 0) cur[line >>> 5]! |= 1 << (line & 31);
      else if (!(all[line >>> 5]! & (1 << (line & 31)))) cur[line >>> 5]! &= ~(1 << (line & 31));
    }
    bits.set(cur, k * words);
  }
  return { field, starts, bits };
}

/** The piece of `v` in `starts` (the last start ≤ v). */
function piece(starts: Float64Array, v: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (starts[mid]! <= v) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The classifier of an ACL (same verdicts as `evaluateAcl`), or undefined when its index would be too large. */
export function classifier(acl: Acl): ((p: Packet) => Verdict) | undefined {
  const plans = plansOf(acl);
  const es = acl.entries;
  const words = Math.max(1, Math.ceil(es.length / 32));
  const indexes: FieldIndex[] = [];
  let total = 0;
  for (const { field, max } of FIELDS) {
    const ix = buildIndex(field, max, plans, words);
    total += ix.bits.length;
    if (total > MAX_WORDS) return undefined;
    indexes.push(ix);
  }
  const verdicts: Verdict[] = es.map((e, i) => Object.freeze({ action: e.action, ace: e, index: i }));
  const [proto, src, dst, dport] = indexes as [FieldIndex, FieldIndex, FieldIndex, FieldIndex];
  const implicit = acl.implicitPermits ?? [];
  return (p: Packet): Verdict => {
    const a = piece(proto.starts, p.protocol) * words;
    const b = piece(src.starts, p.src) * words;
    const c = piece(dst.starts, p.dst) * words;
    const d = piece(dport.starts, p.dstPort) * words;
    for (let w = 0; w < words; w++) {
      let m = proto.bits[a + w]! & src.bits[b + w]! & dst.bits[c + w]! & dport.bits[d + w]!;
      while (m !== 0) {
        const low = m & -m;
        const i = w * 32 + 31 - Math.clz32(low);
        if (planMatches(plans[i]!, p)) return verdicts[i]!;
        m ^= low;
      }
    }
    for (const l of implicit) if (aceMatches(l.match, p, "permit", acl.vendor)) return implicitVerdict(l.text);
    return IMPLICIT_DENY;
  };
}
