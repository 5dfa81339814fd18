/**
 * One readable packet of a set (`HeaderSpace.witness`): field by field, the preferred value when
 * the set allows it, else a readable default, else the smallest value (addresses: the first host).
 */
import { TCP, type Packet } from "../model/types.js";
import { docAddr6 } from "../model/addr6.js";
import { pickValue6 } from "./inet6.js";
import type { Field, HeaderSpace, PSet } from "./index.js";

/**
 * Order in which fields are fixed: the address family first (IPv4 when the set allows it), then
 * protocol so later defaults can depend on it. Only the family's own address fields are fixed.
 */
const WITNESS_ORDER: readonly Field[] = ["family", "protocol", "fragment", "dst", "src", "dst6", "src6", "dstPort", "srcPort", "icmpType", "icmpCode", "tcpFlags", "tos"];

function defaults(f: Field, protocol: number | undefined, v6: boolean): number[] {
  switch (f) {
    case "protocol":
      return v6 ? [6, 17, 58] : [6, 17, 1];
    case "srcPort":
      return [1024];
    case "dstPort":
      return protocol === 17 ? [53] : [80];
    case "icmpType":
      return protocol === 1 && !v6 ? [8] : protocol === 58 && v6 ? [128] : [0];
    case "tcpFlags":
      return protocol === 6 ? [TCP.SYN, TCP.ACK, 0] : [0];
    case "src":
    case "dst":
      return [];
    default:
      return [0];
  }
}

/**
 * A concrete packet in `a`, or undefined when `a` is empty. Field by field, the value from
 * `prefer` is taken when some packet of `a` has it, else a readable default (IPv4; tcp/udp/icmp,
 * source port 1024, destination port 80/53, ICMP echo, SYN, not a fragment, tos 0), else the
 * smallest value — for addresses the first host (…1) when the set allows it. For an IPv6 packet
 * the preferred addresses are `prefer.v6`, else the preferred IPv4 ones inside 2001:db8::/96.
 */
export function witnessOf(hs: HeaderSpace, a: PSet, prefer?: Partial<Packet>): Packet | undefined {
  if (a === 0) return undefined;
  const bdd = hs.bdd;
  let cur = a;
  const vals = new Map<Field, number>();
  const v6: { src: bigint; dst: bigint } = { src: 0n, dst: 0n };
  for (const f of WITNESS_ORDER) {
    const family = vals.get("family");
    if (family !== undefined && (f === "src" || f === "dst") && family === 1) continue;
    if (f === "src6" || f === "dst6") {
      if (family !== 1) continue;
      const k = f === "src6" ? "src" : "dst";
      const pv = prefer?.v6?.[k] ?? (prefer?.[k] !== undefined ? docAddr6(prefer[k]!) : undefined);
      const r = pickValue6(bdd, hs.at6[f], cur, pv === undefined ? [] : [pv], (v) => hs.addrSet6(f, [{ addr: v, len: 128 }]));
      cur = r.set;
      v6[k] = r.value;
      continue;
    }
    const cands: number[] = [];
    const pv = f === "family" ? (prefer?.v6 ? 1 : undefined) : prefer?.[f as keyof Packet];
    if (typeof pv === "number" || typeof pv === "boolean") cands.push(typeof pv === "boolean" ? (pv ? 1 : 0) : pv);
    cands.push(...defaults(f, vals.get("protocol"), family === 1));
    let chosen = -1;
    const w = hs.width(f);
    const max = 2 ** w - 1;
    for (const c of cands) {
      if (!Number.isInteger(c) || c < 0 || c > max) continue;
      const t = bdd.and(cur, hs.eq(f, c));
      if (t !== 0) {
        cur = t;
        chosen = c;
        break;
      }
    }
    if (chosen < 0) {
      const isAddr = f === "src" || f === "dst";
      chosen = 0;
      for (let i = w - 1; i >= 0; i--) {
        const want = isAddr && i === 0;
        let t = bdd.and(cur, hs.bit(f, i, want));
        let bit = want;
        if (t === 0) {
          bit = !want;
          t = bdd.and(cur, hs.bit(f, i, bit));
        }
        cur = t;
        chosen = chosen * 2 + (bit ? 1 : 0);
      }
    }
    vals.set(f, chosen);
  }
  const v = (f: Field): number => vals.get(f) ?? 0;
  const p: Packet = {
    protocol: v("protocol"),
    src: v("src") >>> 0,
    dst: v("dst") >>> 0,
    srcPort: v("srcPort"),
    dstPort: v("dstPort"),
    icmpType: v("icmpType"),
    icmpCode: v("icmpCode"),
    tcpFlags: v("tcpFlags"),
    fragment: v("fragment") === 1,
    tos: v("tos"),
  };
  if (v("family") === 1) p.v6 = v6;
  return p;
}
