/**
 * Some packet of a set, found in one root-to-terminal walk: the cheap witness the line analyses
 * (src/acl/line-analysis.ts) iterate on. `HeaderSpace.witness` picks a readable one for reports.
 */
import type { Packet } from "../model/types.js";
import { VALUE_SLOTS, type HeaderSpace, type PSet } from "./index.js";

/**
 * Some packet of `a` (undefined when empty): the walk takes the 0 branch whenever it is not empty.
 * The family bit decides the packet's kind: an IPv6 point carries its 128-bit addresses in `v6`
 * (read from the value slots, `VALUE_SLOTS`: src6 in 11–14, dst6 in 15–18, most significant first).
 */
export function anyPoint(hs: HeaderSpace, a: PSet): Packet | undefined {
  if (a === 0) return undefined;
  const ns = hs.bdd.nodes;
  const lf = hs.levelField;
  const ls = hs.levelShift;
  const vals = new Uint32Array(VALUE_SLOTS);
  let n = a;
  while (n > 1) {
    const v = ns[3 * n]!;
    const lo = ns[3 * n + 1]!;
    if (lo !== 0) n = lo;
    else {
      vals[lf[v]!] = vals[lf[v]!]! | (1 << ls[v]!);
      n = ns[3 * n + 2]!;
    }
  }
  const p: Packet = { protocol: vals[0]!, src: vals[1]!, dst: vals[2]!, srcPort: vals[3]!, dstPort: vals[4]!, icmpType: vals[5]!, icmpCode: vals[6]!, tcpFlags: vals[7]!, fragment: vals[8] === 1, tos: vals[9]! };
  if (vals[10] === 1) p.v6 = { src: words(vals, 11), dst: words(vals, 15) };
  return p;
}

function words(vals: Uint32Array, at: number): bigint {
  let x = 0n;
  for (let k = 0; k < 4; k++) x = (x << 32n) | BigInt(vals[at + k]!);
  return x;
}
