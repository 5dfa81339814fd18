/** IPv4 address, mask, wildcard and range helpers shared by every vendor parser. */
import type { AddrSet, Wildcard } from "./types.js";

/** The grammar `parseIp` reads. */
export const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/**
 * Parses dotted-quad IPv4 (four groups of one to three decimal digits, each at most 255); returns
 * undefined for anything else. A character scan (no regular expression: `flow --flows` parses a
 * million of them), the grammar of `IPV4`.
 */
export function parseIp(s: string | undefined): number | undefined {
  if (s === undefined) return undefined;
  const n = s.length;
  if (n < 7 || n > 15) return undefined;
  let v = 0;
  let i = 0;
  for (let part = 0; part < 4; part++) {
    if (part > 0) {
      if (s.charCodeAt(i) !== 0x2e) return undefined;
      i++;
    }
    let o = 0;
    const from = i;
    for (; i < n && i - from < 4; i++) {
      const c = s.charCodeAt(i) - 0x30;
      if (c < 0 || c > 9) break;
      o = o * 10 + c;
    }
    const digits = i - from;
    if (digits === 0 || digits > 3 || o > 255) return undefined;
    v = v * 256 + o;
  }
  return i === n ? v >>> 0 : undefined;
}

export function formatIp(v: number): string {
  return `${v >>> 24}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`;
}

/** Netmask for a prefix length 0..32. */
export function prefixToMask(len: number): number {
  return len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
}

/** Prefix length of a contiguous netmask, or undefined when the mask is not contiguous. */
export function maskToPrefix(mask: number): number | undefined {
  const inv = ~mask >>> 0;
  if ((inv & (inv + 1)) !== 0) return undefined;
  let n = 0;
  for (let m = mask >>> 0; m & 0x80000000; m = (m << 1) >>> 0) n++;
  return n;
}

export function wildcardOf(addr: number, wildcard: number): Wildcard {
  return { addr: (addr & ~wildcard) >>> 0, wildcard: wildcard >>> 0 };
}

/** A subnet given with a netmask (ASA, IOS object-group, ip nat pool). */
export function subnet(addr: number, mask: number): Wildcard {
  return wildcardOf(addr, ~mask >>> 0);
}

export function host(addr: number): Wildcard {
  return { addr: addr >>> 0, wildcard: 0 };
}

export const ANY: Wildcard = { addr: 0, wildcard: 0xffffffff };

export function matchesWildcard(w: Wildcard, ip: number): boolean {
  return ((ip & ~w.wildcard) >>> 0) === w.addr;
}

export function inAddrSet(set: AddrSet, ip: number): boolean {
  for (const w of set) if (matchesWildcard(w, ip)) return true;
  return false;
}

/** Exact decomposition of an inclusive address range into aligned prefixes. */
export function rangeToWildcards(start: number, end: number): Wildcard[] {
  const out: Wildcard[] = [];
  let s = start >>> 0;
  const e = end >>> 0;
  while (s <= e) {
    // largest block aligned at s that fits in [s, e]
    let size = 1;
    while (size < 2 ** 32) {
      const next = size * 2;
      if (s % next !== 0 || s + next - 1 > e) break;
      size = next;
    }
    out.push({ addr: s, wildcard: (size - 1) >>> 0 });
    s = s + size;
    if (s > 0xffffffff) break;
  }
  return out;
}

/** "A.B.C.D/N" → wildcard, or undefined. */
export function parseCidr(s: string): Wildcard | undefined {
  const slash = s.indexOf("/");
  if (slash < 0) return undefined;
  const ip = parseIp(s.slice(0, slash));
  const len = Number(s.slice(slash + 1));
  if (ip === undefined || !Number.isInteger(len) || len < 0 || len > 32 || s.slice(slash + 1) === "") return undefined;
  return subnet(ip, prefixToMask(len));
}

/** Human form of a wildcard pattern in IOS syntax: `any`, `host A`, or `A W`. */
export function formatWildcard(w: Wildcard): string {
  if (w.wildcard === 0xffffffff) return "any";
  if (w.wildcard === 0) return `host ${formatIp(w.addr)}`;
  return `${formatIp(w.addr)} ${formatIp(w.wildcard)}`;
}

/** Does the subnet (ip/mask) contain `addr`? */
export function inSubnet(addr: number, ip: number, mask: number): boolean {
  return ((addr & mask) >>> 0) === ((ip & mask) >>> 0);
}

/** Set bits of a 32-bit number (the free bits of a wildcard: it matches 2^popcount addresses). */
export function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}
