/** Rendering model values back into the vendor's ACL syntax (for suggested fixes). */
import { formatIp, formatWildcard, maskToPrefix } from "./addr.js";
import type { AddrSet, PortSet, Vendor } from "./types.js";

const IOS_UDP_NAMES: Record<number, string> = { 500: "isakmp", 4500: "non500-isakmp" };
const ASA_UDP_NAMES: Record<number, string> = { 500: "isakmp" };

/** A UDP port as the vendor names it in the IPsec context (`isakmp`, IOS `non500-isakmp`). */
export function udpPortWord(vendor: Vendor, port: number): string {
  return (vendor === "ios" ? IOS_UDP_NAMES : ASA_UDP_NAMES)[port] ?? String(port);
}

/** One address operand (`any`, `host A`, `A WILDCARD` / ASA `A MASK`), or undefined when the set needs several. */
export function renderAddr(vendor: Vendor, set: AddrSet): string | undefined {
  if (set.length !== 1) return undefined;
  const w = set[0]!;
  if (vendor === "ios") return formatWildcard(w);
  if (w.wildcard === 0xffffffff) return "any";
  if (w.wildcard === 0) return `host ${formatIp(w.addr)}`;
  const mask = ~w.wildcard >>> 0;
  return maskToPrefix(mask) === undefined ? undefined : `${formatIp(w.addr)} ${formatIp(mask)}`;
}

/**
 * UDP port operators that together match `set` (`eq isakmp non500-isakmp`, `range 500 4500`,
 * `gt 1023`); `[""]` for any port. Several operators when one cannot express the set.
 */
export function renderUdpPortOps(vendor: Vendor, set: PortSet | undefined): string[] {
  if (set === undefined || (set.length === 1 && set[0]!.lo === 0 && set[0]!.hi === 65535)) return [""];
  const word = (p: number) => udpPortWord(vendor, p);
  if (set.every((r) => r.lo === r.hi) && (vendor === "ios" || set.length === 1)) return [`eq ${set.map((r) => word(r.lo)).join(" ")}`];
  return set.map((r) => (r.lo === r.hi ? `eq ${word(r.lo)}` : r.lo === 0 ? `lt ${r.hi + 1}` : r.hi === 65535 ? `gt ${r.lo - 1}` : `range ${word(r.lo)} ${word(r.hi)}`));
}

/** `500 (isakmp)`, `500-4500`, `1-511,1024-65535` for messages. */
export function describeUdpPorts(vendor: Vendor, set: PortSet | undefined): string {
  if (set === undefined) return "any port";
  const parts = set.map((r) => (r.lo === r.hi ? `${r.lo}` : `${r.lo}-${r.hi}`));
  const text = parts.join(",");
  if (set.length === 1 && set[0]!.lo === set[0]!.hi) {
    const w = udpPortWord(vendor, set[0]!.lo);
    return w === text ? text : `${text} (${w})`;
  }
  return text;
}
