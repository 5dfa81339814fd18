/**
 * IPv6 addresses and prefixes (RFC 4291 §2.2 text forms; RFC 5952 for the canonical output form):
 * 128-bit values as `bigint`, prefixes as `{ addr, len }` with the host bits cleared.
 */
import type { AddrSet6, InterfaceAddress6, Prefix6 } from "./types.js";

const MAX = (1n << 128n) - 1n;
const HEX16 = /^[0-9a-fA-F]{1,4}$/;
const V4_TAIL = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** The 16-bit groups of one side of `::`, or undefined when one is not a group (an embedded IPv4 tail counts as two). */
function groups(part: string, allowV4Tail: boolean): number[] | undefined {
  if (part === "") return [];
  const out: number[] = [];
  const fields = part.split(":");
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!;
    if (i === fields.length - 1 && allowV4Tail && f.includes(".")) {
      const m = V4_TAIL.exec(f);
      if (!m) return undefined;
      const o = m.slice(1, 5).map(Number);
      if (o.some((x) => x > 255)) return undefined;
      out.push(o[0]! * 256 + o[1]!, o[2]! * 256 + o[3]!);
      continue;
    }
    if (!HEX16.test(f)) return undefined;
    out.push(parseInt(f, 16));
  }
  return out;
}

/** Parses an IPv6 address (`2001:db8::1`, `::`, `::ffff:192.0.2.1`); undefined for anything else (zones, prefixes). */
export function parseIp6(s: string | undefined): bigint | undefined {
  if (s === undefined || !s.includes(":") || s.length > 45) return undefined;
  const dbl = s.indexOf("::");
  let gs: number[];
  if (dbl >= 0) {
    if (s.indexOf("::", dbl + 1) >= 0) return undefined;
    const head = groups(s.slice(0, dbl), false);
    const tail = groups(s.slice(dbl + 2), true);
    if (!head || !tail || head.length + tail.length > 7) return undefined;
    gs = [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  } else {
    const all = groups(s, true);
    if (!all || all.length !== 8) return undefined;
    gs = all;
  }
  let v = 0n;
  for (const g of gs) v = (v << 16n) | BigInt(g);
  return v;
}

/** RFC 5952 text: lower case, leading zeros dropped, the longest run of two or more zero groups (the first of equals) as `::`. */
export function formatIp6(v: bigint): string {
  const gs: number[] = [];
  for (let i = 7; i >= 0; i--) gs.push(Number((v >> BigInt(i * 16)) & 0xffffn));
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (gs[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && gs[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = gs.map((g) => g.toString(16));
  if (best < 0) return hex.join(":");
  return `${hex.slice(0, best).join(":")}::${hex.slice(best + bestLen).join(":")}`;
}

/** The netmask of a prefix length 0..128 as a 128-bit value. */
export function mask6(len: number): bigint {
  return len <= 0 ? 0n : (MAX << BigInt(128 - len)) & MAX;
}

/** `addr/len` with the host bits cleared (as the IOS and ASA CLIs store a prefix). */
export function prefix6(addr: bigint, len: number): Prefix6 {
  return { addr: addr & mask6(len), len };
}

export function host6(addr: bigint): Prefix6 {
  return { addr, len: 128 };
}

export const ANY6: Prefix6 = { addr: 0n, len: 0 };

/** `A/N` (N 0..128) → prefix, or undefined. */
export function parseCidr6(s: string): Prefix6 | undefined {
  const slash = s.indexOf("/");
  if (slash < 0) return undefined;
  const a = parseIp6(s.slice(0, slash));
  const lenText = s.slice(slash + 1);
  const len = Number(lenText);
  if (a === undefined || !/^\d{1,3}$/.test(lenText) || len > 128) return undefined;
  return prefix6(a, len);
}

/**
 * The address of `ipv6 address X:X::X/N [eui-64 | anycast | standby …]` (Cisco IOS IPv6 Command
 * Reference, `ipv6 address`; ASA command reference, `ipv6 address`): the address and its subnet's
 * prefix length. undefined for what names no global subnet (`X:X::X link-local`, `autoconfig`,
 * `dhcp`, a fe80::/10 address) or is not an address.
 */
export function parseInterfaceAddress6(tok: string | undefined, next: string | undefined): InterfaceAddress6 | undefined {
  const slash = tok?.indexOf("/") ?? -1;
  if (tok === undefined || slash < 0 || next === "link-local") return undefined;
  const ip = parseIp6(tok.slice(0, slash));
  const p = parseCidr6(tok);
  if (ip === undefined || p === undefined || (ip >> 118n) === 0x3fan) return undefined;
  return next === "eui-64" ? { ip: p.addr, len: p.len, eui64: true } : { ip, len: p.len };
}

/** Does the token look like an IPv6 address or prefix (as opposed to a name or an IPv4 address)? */
export function looksLikeIp6(tok: string): boolean {
  return tok.includes(":") && /^[0-9a-fA-F:.]+(\/\d{1,3})?$/.test(tok);
}

/** Is `p` a prefix: a length 0–128 and an address of 128 bits with no bit under the length? (Else it matches nothing: `inPrefix6` never holds, as a wildcard with bits under the mask matches nothing for IPv4.) */
export function validPrefix6(p: Prefix6): boolean {
  return Number.isInteger(p.len) && p.len >= 0 && p.len <= 128 && p.addr >= 0n && p.addr <= MAX && (p.addr & ~mask6(p.len) & MAX) === 0n;
}

export function inPrefix6(p: Prefix6, ip: bigint): boolean {
  return (ip & mask6(p.len)) === p.addr;
}

export function inAddrSet6(set: AddrSet6, ip: bigint): boolean {
  for (const p of set) if (inPrefix6(p, ip)) return true;
  return false;
}

/** `2001:db8::/32`, or the address alone for a /128. */
export function formatPrefix6(p: Prefix6): string {
  return p.len === 128 ? formatIp6(p.addr) : `${formatIp6(p.addr)}/${p.len}`;
}

/** Exact decomposition of an inclusive address range into aligned prefixes (ASA `range` of IPv6 addresses). */
export function rangeToPrefixes6(start: bigint, end: bigint): Prefix6[] {
  const out: Prefix6[] = [];
  let s = start;
  while (s <= end) {
    let len = 128;
    while (len > 0) {
      const size = 1n << BigInt(129 - len);
      if (s % size !== 0n || s + size - 1n > end) break;
      len--;
    }
    out.push({ addr: s, len });
    s += 1n << BigInt(128 - len);
    if (s > MAX) break;
  }
  return out;
}

/** The four 32-bit words of a 128-bit value, most significant first. */
export function words6(v: bigint): [number, number, number, number] {
  return [Number((v >> 96n) & 0xffffffffn), Number((v >> 64n) & 0xffffffffn), Number((v >> 32n) & 0xffffffffn), Number(v & 0xffffffffn)];
}

/** The 128-bit value of four 32-bit words, most significant first. */
export function fromWords6(w: readonly number[]): bigint {
  let v = 0n;
  for (let i = 0; i < 4; i++) v = (v << 32n) | BigInt((w[i] ?? 0) >>> 0);
  return v;
}

/** An IPv4 address inside the documentation prefix 2001:db8::/96 (RFC 3849): readable IPv6 stand-ins for IPv4 examples. */
export function docAddr6(v4: number): bigint {
  return (0x20010db8n << 96n) | BigInt(v4 >>> 0);
}
