/** Client address lists as users write them: `A`, `A-B`, `A/N` (its hosts), comma-separated. */
import { formatIp, parseIp, prefixToMask } from "./addr.js";

/** The most addresses one list may name (a path simulates each). */
export const MAX_ADDRESSES = 65535;

/** One item: its first and last address, or the problem. */
export function parseAddressItem(text: string): { start: number; end: number } | { error: string } {
  const t = text.trim();
  const range = /^([\d.]+)-([\d.]+)$/.exec(t);
  if (range) {
    const a = parseIp(range[1]);
    const b = parseIp(range[2]);
    if (a === undefined || b === undefined) return { error: `"${t}" is not an address range (A.B.C.D-E.F.G.H)` };
    if (b < a) return { error: `"${t}": the range ends before it starts` };
    return { start: a, end: b };
  }
  const cidr = /^([\d.]+)\/(\d+)$/.exec(t);
  if (cidr) {
    const a = parseIp(cidr[1]);
    const n = Number(cidr[2]);
    if (a === undefined || n > 32) return { error: `"${t}" is not a subnet (A.B.C.D/N)` };
    const mask = prefixToMask(n);
    const base = (a & mask) >>> 0;
    const last = (base | ~mask) >>> 0;
    // the hosts of the subnet: not its network and broadcast addresses (below /31)
    return n < 31 ? { start: base + 1, end: last - 1 } : { start: base, end: last };
  }
  const ip = parseIp(t);
  return ip === undefined ? { error: `"${t}" is not an IPv4 address, range (A-B) or subnet (A/N)` } : { start: ip, end: ip };
}

/** Every address the items name, in order, each once; more than `limit` is an error (never cut silently). */
export function expandAddresses(items: readonly string[], limit = MAX_ADDRESSES): number[] | { error: string } {
  const out: number[] = [];
  const seen = new Set<number>();
  for (const it of items) {
    const r = parseAddressItem(it);
    if ("error" in r) return r;
    for (let a = r.start; a <= r.end; a++) {
      if (seen.has(a)) continue;
      if (out.length >= limit) return { error: `more than ${limit} addresses (one client each): name fewer` };
      seen.add(a);
      out.push(a >>> 0);
    }
  }
  return out;
}

/** `192.168.11.22,192.168.11.20` or `10.0.0.1-10.0.0.9` (also mixed, and subnets). */
export function parseAddressList(text: string, limit = MAX_ADDRESSES): number[] | { error: string } {
  const items = text.split(",").filter((s) => s.trim() !== "");
  if (!items.length) return { error: "no address given" };
  return expandAddresses(items, limit);
}

export function formatAddresses(ips: readonly number[]): string {
  if (ips.length > 2 && ips.every((x, i) => i === 0 || x === ips[i - 1]! + 1)) return `${formatIp(ips[0]!)}-${formatIp(ips[ips.length - 1]!)}`;
  return ips.map(formatIp).join(", ");
}
