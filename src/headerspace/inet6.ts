/**
 * IPv6 in the header space (./index.ts): three more fields, added without changing the IPv4 ones — `family` (1 bit:
 * 0 IPv4, 1 IPv6) above everything, `dst6` (128 bits) right after dst and `src6` (128) right after
 * src, 392 variables in all. The family test on top keeps the IPv4 and IPv6 halves of a mixed
 * ACL apart (each is the BDD it would be alone, under one node); under family 1 the IPv4 address
 * levels are free, so dst6 is the top of the IPv6 half as dst is of the IPv4 one, and a prefix is
 * a path from the field's top. An IPv4 packet leaves src6/dst6 free and an IPv6 one src/dst, as
 * an ICMP type is free in a TCP packet; `count` counts each family over its own fields only.
 *
 * The 128-bit address fields `src6` and `dst6` are BDD levels,
 * most significant bit first, so a prefix is one path of `len` nodes from the field's top and
 * the hosts of one /64 share their first 64 nodes (IPv6 ACLs are written in prefixes; IOS and ASA
 * have no IPv6 wildcards). Each 128-bit field is read from a packet as four 32-bit words
 * (`src/headerspace/index.ts`, value slots), so the per-packet walk stays on 32-bit numbers.
 */
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

/**
 * The packets whose 128-bit field starting at level `top` has the prefix `p`, followed by `cont`
 * (a set over the levels below the field). A prefix whose address has host bits set matches
 * nothing (as a wildcard with bits under the mask does for IPv4).
 */
export function prefixCube(bdd: Bdd, top: number, p: Prefix6, cont: number): number {
  const len = p.len;
  if (cont === 0 || !Number.isInteger(len) || len < 0 || len > 128 || p.addr < 0n || p.addr > MASK128) return 0;
  if (len < 128 && (p.addr & (MASK128 >> BigInt(len))) !== 0n) return 0;
  let r = cont;
  // bit i of the field (0 = most significant) is level top + i and bit 127 - i of the value
  let word = 0;
  for (let i = len - 1; i >= 0; i--) {
    if (i === len - 1 || i % 32 === 31) word = Number((p.addr >> BigInt(96 - 32 * Math.floor(i / 32))) & 0xffffffffn);
    const bit = (word >>> (31 - (i % 32))) & 1;
    r = bit ? bdd.mk(top + i, 0, r) : bdd.mk(top + i, r, 0);
  }
  return r;
}

/** Union of prefixes on the field at `top`, each followed by `cont`. */
export function prefixesCube(bdd: Bdd, top: number, set: AddrSet6, cont: number): number {
  let r = 0;
  for (const p of set) {
    const c = prefixCube(bdd, top, p, cont);
    r = r === 0 ? c : bdd.or(r, c);
    if (r === cont) break;
  }
  return r;
}

/**
 * One value of the 128-bit field at `top` in `cur`, and `cur` restricted to it: the first of
 * `prefer` that `cur` allows, else the "first host" (bits 0 from the top, the last bit 1 when the
 * set allows it: `2001:db8:1::1` for `2001:db8:1::/48`). `eq(v)` is the set field = v.
 */
export function pickValue6(bdd: Bdd, top: number, cur: number, prefer: readonly bigint[], eq: (v: bigint) => number): { value: bigint; set: number } {
  for (const v of prefer) {
    if (v < 0n || v > MASK128) continue;
    const t = bdd.and(cur, eq(v));
    if (t !== 0) return { value: v, set: t };
  }
  let value = 0n;
  for (let i = 0; i < 128; i++) {
    const want = i === 127;
    const lit = (b: boolean) => bdd.literal(top + i, b);
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
