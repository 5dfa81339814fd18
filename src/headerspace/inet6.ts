/**
 * IPv6 in the header space (./index.ts): three more fields, added without changing the IPv4 ones —
 * `family` (1 bit: 0 IPv4, 1 IPv6) above everything, `dst6` (128 bits) with dst and `src6` (128)
 * with src, 392 variables in all. The family test on top keeps the IPv4 and IPv6 halves of a mixed
 * ACL apart (each is the BDD it would be alone, under one node); under family 1 the IPv4 address
 * levels are free, so dst6 is the top of the IPv6 half as dst is of the IPv4 one. An IPv4 packet
 * leaves src6/dst6 free and an IPv6 one src/dst, as an ICMP type is free in a TCP packet; `count`
 * counts each family over its own fields only.
 *
 * Where the 128 bits go (`level6`): bits 32–127 of each address, most significant first, at the
 * field's place (right after dst, right after src); bits 0–31, the top word, at the bottom of the
 * order, below every other field (src6's, then dst6's). The lines of one IPv6 ACL mostly share the
 * top word (the organisation's allocation, 2001:db8::/32 in the examples): at the bottom it is one
 * path ending in 1 that every line's BDD shares, as the source tries of IPv4 are (./index.ts),
 * instead of 32 more levels copied into every line and walked by every operation. The bits that
 * tell lines apart (subnets, hosts) stay on top. Measured with `bench/ipv6.ts` (10,000 lines;
 * the line analyses then used this layout, and the bench's later runs reused the reachability
 * pass): blocker search 686–698 → 490–494 ms, redundant-line 347–410 → 308–310 ms; moving the
 * interface ID (bits 64–127) down as well was slower when hosts have varied interface IDs (a
 * host's bits then sit under every field of its line). The line analyses now code addresses by
 * the ACL's atoms (src/acl/atoms.ts); this layout is that of the device's sets (compile, the
 * IPsec checks, search, diff, the fix proofs). IOS and ASA have no IPv6 wildcards, so every
 * address test is a prefix: one path, in two pieces; a line's builder lays the top word first
 * when its test has one (`commonTopWord`). Each 128-bit field is read from a packet as four 32-bit words
 * (./index.ts, value slots), so the per-packet walk stays on 32-bit numbers.
 */
import { validPrefix6 } from "../model/addr6.js";
import type { AddrSet6, Prefix6 } from "../model/types.js";
import type { Bdd } from "./bdd.js";
import type { Field } from "./index.js";

/** The IPv6 fields, inserted into an order that lists only the IPv4 ones. */
const V6_FIELDS: readonly Field[] = ["family", "src6", "dst6"];
/** The IPv6 partner of an address field (placed right after it). */
export const PARTNER: Partial<Record<Field, Field>> = { src: "src6", dst: "dst6" };

/** `order` with the IPv6 fields added where they go (family on top, src6/dst6 after src/dst), unless it lists them. */
export function withV6(order: readonly Field[]): readonly Field[] {
  if (V6_FIELDS.some((f) => order.includes(f))) return order;
  const out: Field[] = ["family"];
  for (const f of order) {
    out.push(f);
    const p = PARTNER[f];
    if (p) out.push(p);
  }
  return out;
}

const MASK128 = (1n << 128n) - 1n;

/** Bits 0–31 (the top word) of an IPv6 address field sit at the bottom of the variable order, the rest (32–127) at the field's place. */
export const HI6 = 32;

/**
 * Where the bits of one 128-bit field are: bit i (0 = most significant) is level `hi + i` for
 * i < HI6 (the top word, below every other field) and `lo + i - HI6` otherwise.
 */
export interface Levels6 {
  lo: number;
  hi: number;
}

/** The level of bit i (0 = most significant) of a 128-bit field. */
export function level6(at: Levels6, i: number): number {
  return i < HI6 ? at.hi + i : at.lo + i - HI6;
}


const bitOf = (i: number, word: number): number => (word >>> (31 - (i % 32))) & 1;

/** The first `len` bits of the top word `top` (levels at.hi …, at the bottom of the order), ending in `cont` (a set over the levels below them). */
export function topWordPath(bdd: Bdd, at: Levels6, top: number, len: number, cont: number): number {
  let r = cont;
  for (let i = Math.min(len, HI6) - 1; i >= 0 && r !== 0; i--) r = bitOf(i, top) ? bdd.mk(at.hi + i, 0, r) : bdd.mk(at.hi + i, r, 0);
  return r;
}

/** Bits HI6 … len-1 of the (valid) prefix `p` at the field's place, wrapped around `r`. */
function wrapBelowTop(bdd: Bdd, at: Levels6, p: Prefix6, r: number): number {
  // bit i of the field (i ≥ HI6) is level at.lo + i - HI6 and bit 127 - i of the value
  let word = 0;
  for (let i = p.len - 1; i >= HI6 && r !== 0; i--) {
    if (i === p.len - 1 || i % 32 === 31) word = Number((p.addr >> BigInt(96 - 32 * Math.floor(i / 32))) & 0xffffffffn);
    r = bitOf(i, word) ? bdd.mk(at.lo + i - HI6, 0, r) : bdd.mk(at.lo + i - HI6, r, 0);
  }
  return r;
}

/**
 * The packets whose 128-bit field (at `at`) has the prefix `p`, and `cont`: a set over the fields
 * below the field's place in the order. The top word's bits lie below `cont`, so they are built
 * first (a path ending in 1), joined with `cont`, and the other bits are wrapped around that. A
 * prefix whose address has host bits set matches nothing.
 */
export function prefixCube(bdd: Bdd, at: Levels6, p: Prefix6, cont: number): number {
  if (cont === 0 || !validPrefix6(p)) return 0;
  const r = bdd.and(cont, topWordPath(bdd, at, Number(p.addr >> 96n), p.len, 1));
  return r === 0 ? 0 : wrapBelowTop(bdd, at, p, r);
}

/** Union of `one(p)` over the prefixes of `set` (each at most `cont`: it stops once that is reached). */
function unionOf(bdd: Bdd, set: AddrSet6, cont: number, one: (p: Prefix6) => number): number {
  let r = 0;
  for (const p of set) {
    const c = one(p);
    r = r === 0 ? c : bdd.or(r, c);
    if (r === cont) break;
  }
  return r;
}

/** Union of prefixes on the field at `at`, each with `cont`. */
export function prefixesCube(bdd: Bdd, at: Levels6, set: AddrSet6, cont: number): number {
  return unionOf(bdd, set, cont, (p) => prefixCube(bdd, at, p, cont));
}

/**
 * The top word every prefix of `set` has, when each is a valid prefix of 32 bits or more (the
 * usual IPv6 ACL line: its hosts and subnets inside one allocation); else undefined. A line's
 * builder (src/acl/sets.ts) then lays that word's path first, at the bottom, and the rest of each
 * prefix (`prefixesAbove`) around what it builds above, so no set is copied to join them.
 */
export function commonTopWord(set: AddrSet6): number | undefined {
  let top: number | undefined;
  for (const p of set) {
    if (p.len < HI6 || !validPrefix6(p)) return undefined;
    const t = Number(p.addr >> 96n);
    if (top !== undefined && t !== top) return undefined;
    top = t;
  }
  return top;
}

/** Union of the prefixes of `set` (of one top word, `commonTopWord`) around `cont`, whose bottom already holds that word's path. */
export function prefixesAbove(bdd: Bdd, at: Levels6, set: AddrSet6, cont: number): number {
  return unionOf(bdd, set, cont, (p) => wrapBelowTop(bdd, at, p, cont));
}

/**
 * One value of the 128-bit field at `at` in `cur`, and `cur` restricted to it: the first of
 * `prefer` that `cur` allows, else the "first host" (bits 0 from the top, the last bit 1 when the
 * set allows it: `2001:db8:1::1` for `2001:db8:1::/48`). `eq(v)` is the set field = v.
 */
export function pickValue6(bdd: Bdd, at: Levels6, cur: number, prefer: readonly bigint[], eq: (v: bigint) => number): { value: bigint; set: number } {
  for (const v of prefer) {
    if (v < 0n || v > MASK128) continue;
    const t = bdd.and(cur, eq(v));
    if (t !== 0) return { value: v, set: t };
  }
  let value = 0n;
  for (let i = 0; i < 128; i++) {
    const want = i === 127;
    const lit = (b: boolean) => bdd.literal(level6(at, i), b);
    let t = bdd.and(cur, lit(want));
    let bit = want;
    if (t === 0) {
      bit = !want;
      t = bdd.and(cur, lit(bit));
    }
    cur = t;
    value = (value << 1n) | (bit ? 1n : 0n);
  }
  return { value, set: cur };
}
