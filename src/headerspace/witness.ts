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

/** The values to try for field f, in order: the preferred one, then the readable defaults (those that fit the field). */
function candidates(f: Field, w: number, prefer: Partial<Packet> | undefined, vals: ReadonlyMap<Field, number>): number[] {
  const cands: number[] = [];
  const pv = f === "family" ? (prefer?.v6 ? 1 : undefined) : prefer?.[f as keyof Packet];
  if (typeof pv === "number" || typeof pv === "boolean") cands.push(typeof pv === "boolean" ? (pv ? 1 : 0) : pv);
  cands.push(...defaults(f, vals.get("protocol"), vals.get("family") === 1));
  const max = 2 ** w - 1;
  return cands.filter((c) => Number.isInteger(c) && c >= 0 && c <= max);
}

/** The IPv4 packet of the chosen values (fields not chosen: 0). */
function packetOf(vals: ReadonlyMap<Field, number>): Packet {
  const v = (f: Field): number => vals.get(f) ?? 0;
  return {
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
}

/** How a witness search restricts its set: to a value of a field, a bit, an IPv6 address. */
interface Chooser {
  /** Restrict to field f = c if some packet has it (true), else leave the set as it is. */
  value(f: Field, c: number): boolean;
  /** Restrict to bit i of field f = b if some packet has it (true), else to the other value. */
  bit(f: Field, i: number, b: boolean): boolean;
  /** Choose an IPv6 address (its value); undefined: this chooser does not (the caller asks the definition). */
  addr6?(f: "src6" | "dst6", prefer: bigint | undefined): bigint;
}

/**
 * The field values of the witness, field by field in `WITNESS_ORDER` (see `witnessBySets`);
 * undefined when an IPv6 address is to be chosen and `c` cannot.
 */
function choose(hs: HeaderSpace, prefer: Partial<Packet> | undefined, c: Chooser): { vals: Map<Field, number>; v6: { src: bigint; dst: bigint } } | undefined {
  const vals = new Map<Field, number>();
  const v6 = { src: 0n, dst: 0n };
  for (const f of WITNESS_ORDER) {
    const family = vals.get("family");
    if (family === 1 && (f === "src" || f === "dst")) continue;
    if (f === "src6" || f === "dst6") {
      if (family !== 1) continue;
      if (c.addr6 === undefined) return undefined;
      const k = f === "src6" ? "src" : "dst";
      v6[k] = c.addr6(f, prefer?.v6?.[k] ?? (prefer?.[k] !== undefined ? docAddr6(prefer[k]!) : undefined));
      continue;
    }
    const w = hs.width(f);
    let chosen = candidates(f, w, prefer, vals).find((x) => c.value(f, x)) ?? -1;
    if (chosen < 0) {
      const isAddr = f === "src" || f === "dst";
      chosen = 0;
      for (let i = w - 1; i >= 0; i--) {
        const want = isAddr && i === 0;
        chosen = chosen * 2 + ((c.bit(f, i, want) ? want : !want) ? 1 : 0);
      }
    }
    vals.set(f, chosen);
  }
  return { vals, v6 };
}

/**
 * A concrete packet in `a`, or undefined when `a` is empty. Field by field, the value from
 * `prefer` is taken when some packet of `a` has it, else a readable default (IPv4; tcp/udp/icmp,
 * source port 1024, destination port 80/53, ICMP echo, SYN, not a fragment, tos 0), else the
 * smallest value — for addresses the first host (…1) when the set allows it. For an IPv6 packet
 * the preferred addresses are `prefer.v6`, else the preferred IPv4 ones inside 2001:db8::/96.
 * This is the definition, by set operations: each value tried is intersected with the set.
 * `witnessOf` gives the same packet without building a set.
 */
export function witnessBySets(hs: HeaderSpace, a: PSet, prefer?: Partial<Packet>): Packet | undefined {
  if (a === 0) return undefined;
  const bdd = hs.bdd;
  let cur = a;
  /** Narrow the set to t unless t is empty. */
  const narrow = (t: number): boolean => {
    if (t === 0) return false;
    cur = t;
    return true;
  };
  const r = choose(hs, prefer, {
    value: (f, c) => narrow(bdd.and(cur, hs.eq(f, c))),
    bit: (f, i, b) => {
      if (narrow(bdd.and(cur, hs.bit(f, i, b)))) return true;
      cur = bdd.and(cur, hs.bit(f, i, !b));
      return false;
    },
    addr6: (f, pv) => {
      const x = pickValue6(bdd, hs.at6[f], cur, pv === undefined ? [] : [pv], (v) => hs.addrSet6(f, [{ addr: v, len: 128 }]));
      cur = x.set;
      return x.value;
    },
  })!;
  const p = packetOf(r.vals);
  if (r.vals.get("family") === 1) p.v6 = r.v6;
  return p;
}

/**
 * A set of node numbers for one search, as stamps of a generation in an array kept from one
 * search to the next: starting a search is an increment, not a new `Set`, and a lookup is an
 * array read (a witness search over a set of thousands of nodes spent most of its time in `Set`
 * lookups). 16-bit stamps (the array is as long as the largest manager searched: 2 bytes a node),
 * cleared every 65,535 searches.
 */
export class NodeMarks {
  private stamp = new Uint16Array(0);
  private gen = 0;
  /** Start an empty set, for the nodes of a manager of `size` nodes. */
  begin(size: number): void {
    if (this.stamp.length < size) this.stamp = new Uint16Array(Math.max(size, 2 * this.stamp.length));
    if (++this.gen === 0x10000) {
      this.stamp.fill(0);
      this.gen = 1;
    }
  }
  has(n: number): boolean {
    return this.stamp[n] === this.gen;
  }
  add(n: number): void {
    this.stamp[n] = this.gen;
  }
  delete(n: number): void {
    this.stamp[n] = 0;
  }
}

/** The dead nodes of `witnessOf`'s searches and the nodes its walks to a field's entries have seen. */
const deadMarks = new NodeMarks();
const seenMarks = new NodeMarks();

/**
 * Does `a` have a packet with every level `req` fixes (0 or 1; -1 free)? A depth-first search for
 * a path to the 1 terminal that follows the fixed levels (a level the BDD skips allows both values);
 * `dead` holds the nodes known to have none, so a search visits each node once. Nodes it finds
 * dead are also pushed on `found`.
 */
function reachesOne(hs: HeaderSpace, n: number, req: Int8Array, dead: NodeMarks, found: number[]): boolean {
  if (n < 2) return n === 1;
  if (dead.has(n)) return false;
  const bdd = hs.bdd;
  const r = req[bdd.varOf(n)]!;
  const ok = r === 0 ? reachesOne(hs, bdd.lowOf(n), req, dead, found) : r === 1 ? reachesOne(hs, bdd.highOf(n), req, dead, found) : reachesOne(hs, bdd.lowOf(n), req, dead, found) || reachesOne(hs, bdd.highOf(n), req, dead, found);
  if (!ok) {
    dead.add(n);
    found.push(n);
  }
  return ok;
}

/**
 * `witnessBySets`'s packet, found without building a set: the values chosen so far are levels fixed
 * in `req`, and a value is possible when a path of the set follows them (`reachesOne`). Each
 * intersection of the definition copies the part of the set above the field's levels (all of it
 * for the fragment bit, near the bottom of the order); a search stops at its first path. An IPv6
 * packet (family 1 chosen) is left to the definition.
 *
 * The dead nodes are kept from one search to the next: fixed levels are only ever added, so a node
 * with no path stays so, except after a value tried and given up. Whether a node has a path
 * depends only on the fixed levels from its own down, so a failed try at levels up to L forgets
 * only the dead nodes at those levels and above: each node is searched about once, not once per
 * value tried.
 */
export function witnessOf(hs: HeaderSpace, a: PSet, prefer?: Partial<Packet>): Packet | undefined {
  if (a === 0) return undefined;
  const req = new Int8Array(hs.numVars).fill(-1);
  const bdd = hs.bdd;
  const dead = deadMarks;
  dead.begin(bdd.size);
  const found: number[] = [];
  // The nodes where paths following the fixed levels enter the field being chosen (or the 1
  // terminal): a value tried fixes levels of that field only, so its searches start there, not
  // again from the top through every free field above it.
  let field: Field | undefined;
  let entry: number[] = [];
  const entries = (f: Field): number[] => {
    if (f === field) return entry;
    field = f;
    let lo = hs.numVars;
    for (let b = 0; b < hs.width(f); b++) lo = Math.min(lo, hs.level(f, b));
    const seen = seenMarks;
    seen.begin(bdd.size);
    const out: number[] = [];
    const visit = (n: number): void => {
      if (n === 0 || seen.has(n)) return;
      seen.add(n);
      if (n === 1 || bdd.varOf(n) >= lo) {
        out.push(n);
        return;
      }
      const r = req[bdd.varOf(n)]!;
      if (r !== 1) visit(bdd.lowOf(n));
      if (r !== 0) visit(bdd.highOf(n));
    };
    visit(a);
    return (entry = out);
  };
  /** Is the set possible with the levels fixed now (a try of field f fixing levels up to `top`)? If not, the dead nodes down to `top` are forgotten. */
  const possible = (f: Field, top: number): boolean => {
    found.length = 0;
    for (const n of entries(f)) if (reachesOne(hs, n, req, dead, found)) return true;
    for (const n of found) if (bdd.varOf(n) <= top) dead.delete(n);
    return false;
  };
  const r = choose(hs, prefer, {
    value: (f, c) => {
      const w = hs.width(f);
      let top = 0;
      for (let b = 0; b < w; b++) {
        const at = hs.level(f, b);
        req[at] = Math.floor(c / 2 ** b) % 2;
        if (at > top) top = at;
      }
      if (possible(f, top)) return true;
      for (let b = 0; b < w; b++) req[hs.level(f, b)] = -1;
      return false;
    },
    bit: (f, i, b) => {
      const at = hs.level(f, i);
      req[at] = b ? 1 : 0;
      if (possible(f, at)) return true;
      req[at] = b ? 0 : 1;
      return false;
    },
  });
  return r === undefined ? witnessBySets(hs, a, prefer) : packetOf(r.vals);
}
