/**
 * Packet sets in words, for proofs: the values of protocol, addresses and ports a set covers
 * (`udp 192.0.2.2:1-499,501-511 → 203.0.113.10:500`), and whether those values describe the set
 * exactly (a box) or only bound it.
 */
import { formatIp } from "../model/addr.js";
import { formatPrefix6 } from "../model/addr6.js";
import type { Prefix6 } from "../model/types.js";
import { protocolName } from "../model/ports.js";
import type { Field, HeaderSpace, PSet } from "../headerspace/index.js";
import { fieldIntervals } from "../headerspace/intervals.js";

const BOX: readonly Field[] = ["protocol", "src", "srcPort", "dst", "dstPort"];

/** The values field `f` takes in `set`, as inclusive ranges (at most `max`, then truncated). */
export function fieldRanges(hs: HeaderSpace, set: PSet, f: Field, max = 16): { ranges: Array<[number, number]>; truncated: boolean } {
  let proj = set;
  for (const g of hs.order) if (g !== f) proj = hs.exists(g, proj);
  return fieldIntervals(hs, proj, f, max);
}

function addrText(rs: Array<[number, number]>): string {
  if (rs.length === 1 && rs[0]![0] === 0 && rs[0]![1] === 0xffffffff) return "any";
  return rs
    .map(([a, b]) => {
      if (a === b) return formatIp(a);
      const n = b - a + 1;
      const len = 32 - Math.log2(n);
      return Number.isInteger(len) && a % n === 0 ? `${formatIp(a)}/${len}` : `${formatIp(a)}-${formatIp(b)}`;
    })
    .join(",");
}

function portText(rs: Array<[number, number]>): string {
  if (rs.length === 1 && rs[0]![0] === 0 && rs[0]![1] === 65535) return "any";
  return rs.map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`)).join(",");
}

export interface SetWords {
  protocol: string;
  src: string;
  srcPorts: string;
  dst: string;
  dstPorts: string;
  /** The five values describe the set exactly (it is their product, other header fields free or as in the set). */
  exact: boolean;
  count: bigint;
}

/**
 * The words of a set: of its IPv4 packets and of its IPv6 packets (`udp 2001:db8::/32:500 →
 * …`), joined field by field when it has both.
 */
export function describeSet(hs: HeaderSpace, set: PSet): SetWords {
  const v4 = hs.and(set, hs.family(4));
  const v6 = hs.and(set, hs.family(6));
  if (v6 === hs.none) return describeFamily(hs, set, false);
  if (v4 === hs.none) return describeFamily(hs, set, true);
  const a = describeFamily(hs, v4, false);
  const b = describeFamily(hs, v6, true);
  const join = (x: string, y: string) => (x === y ? x : `${x},${y}`);
  return {
    protocol: join(a.protocol, b.protocol),
    src: join(a.src, b.src),
    srcPorts: join(a.srcPorts, b.srcPorts),
    dst: join(a.dst, b.dst),
    dstPorts: join(a.dstPorts, b.dstPorts),
    exact: false,
    count: a.count + b.count,
  };
}

/** The IPv6 prefixes field f (src6/dst6) takes in `proj` (a set over f alone), merged where they are siblings (at most `max`). */
function prefixes6(hs: HeaderSpace, proj: PSet, f: "src6" | "dst6", max = 16): { text: string; cover: PSet; truncated: boolean } {
  const out: Prefix6[] = [];
  let truncated = false;
  let cover: PSet = hs.none;
  const rec = (p: Prefix6): void => {
    if (truncated) return;
    const cube = hs.addrSet6(f, [p]);
    const part = hs.and(proj, cube);
    if (part === hs.none) return;
    if (part === cube) {
      if (out.length >= max) truncated = true;
      else {
        out.push(p);
        cover = hs.or(cover, cube);
      }
      return;
    }
    const bit = 1n << BigInt(127 - p.len);
    rec({ addr: p.addr, len: p.len + 1 });
    rec({ addr: p.addr | bit, len: p.len + 1 });
  };
  rec({ addr: 0n, len: 0 });
  const text = out.length === 1 && out[0]!.len === 0 ? "any" : out.map(formatPrefix6).join(",");
  return { text: text + (truncated ? ",…" : ""), cover, truncated };
}

function describeFamily(hs: HeaderSpace, set: PSet, v6: boolean): SetWords {
  if (v6) {
    // the IPv4 address fields are free in IPv6 packets: forget them, and describe src6/dst6
    const box6: readonly Field[] = ["protocol", "src6", "srcPort", "dst6", "dstPort"];
    let five = set;
    for (const g of hs.order) if (!box6.includes(g)) five = hs.exists(g, five);
    const proj = (f: Field) => {
      let p = five;
      for (const g of box6) if (g !== f) p = hs.exists(g, p);
      return p;
    };
    const proto = fieldIntervals(hs, proj("protocol"), "protocol");
    const [sp, dp] = [fieldIntervals(hs, proj("srcPort"), "srcPort"), fieldIntervals(hs, proj("dstPort"), "dstPort")];
    const src = prefixes6(hs, proj("src6"), "src6");
    const dst = prefixes6(hs, proj("dst6"), "dst6");
    let box: PSet = hs.and(hs.family(6), hs.and(src.cover, dst.cover));
    for (const [f, v] of [["protocol", proto], ["srcPort", sp], ["dstPort", dp]] as const) {
      let u: PSet = hs.none;
      for (const [a, b] of v.ranges) u = hs.or(u, hs.field(f, a, b));
      box = hs.and(box, u);
    }
    let rest = set;
    for (const f of [...box6, "src", "dst", "family"] as const) rest = hs.exists(f, rest);
    const truncated = [proto, sp, dp, src, dst].some((x) => x.truncated);
    return {
      protocol: protoWords(proto.ranges),
      src: src.text,
      srcPorts: portText(sp.ranges) + (sp.truncated ? ",…" : ""),
      dst: dst.text,
      dstPorts: portText(dp.ranges) + (dp.truncated ? ",…" : ""),
      exact: !truncated && hs.and(box, rest) === set,
      count: hs.count(set),
    };
  }
  // forget the fields the words leave out once, then each of the five in turn
  let five = set;
  for (const g of hs.order) if (!BOX.includes(g)) five = hs.exists(g, five);
  const r = (f: Field) => {
    let proj = five;
    for (const g of BOX) if (g !== f) proj = hs.exists(g, proj);
    return fieldIntervals(hs, proj, f);
  };
  const proto = r("protocol");
  const [src, sp, dst, dp] = [r("src"), r("srcPort"), r("dst"), r("dstPort")];
  let box: PSet = hs.all;
  for (const [f, v] of [["protocol", proto], ["src", src], ["srcPort", sp], ["dst", dst], ["dstPort", dp]] as const) {
    let u: PSet = hs.none;
    for (const [a, b] of v.ranges) u = hs.or(u, hs.field(f, a, b));
    box = hs.and(box, u);
  }
  let rest = set;
  for (const f of BOX) rest = hs.exists(f, rest);
  const truncated = [proto, src, sp, dst, dp].some((x) => x.truncated);
  return {
    protocol: protoWords(proto.ranges),
    src: addrText(src.ranges) + (src.truncated ? ",…" : ""),
    srcPorts: portText(sp.ranges) + (sp.truncated ? ",…" : ""),
    dst: addrText(dst.ranges) + (dst.truncated ? ",…" : ""),
    dstPorts: portText(dp.ranges) + (dp.truncated ? ",…" : ""),
    exact: !truncated && hs.and(box, rest) === set,
    count: hs.count(set),
  };
}

function protoWords(ranges: Array<[number, number]>): string {
  return ranges.length === 1 && ranges[0]![0] === 0 && ranges[0]![1] === 255 ? "ip" : ranges.flatMap(([a, b]) => Array.from({ length: b - a + 1 }, (_, i) => protocolName(a + i))).join(",");
}

/** `udp 192.0.2.2:1-511 → 203.0.113.10:500` (ports left out when any, or for protocols without ports). */
export function wordsText(w: SetWords): string {
  const ports = w.protocol === "udp" || w.protocol === "tcp" || w.protocol === "sctp";
  const end = (a: string, p: string) => (ports && p !== "any" ? (a.includes(":") ? `[${a}]:${p}` : `${a}:${p}`) : a);
  return `${w.exact ? "" : "packets within "}${w.protocol} ${end(w.src, w.srcPorts)} → ${end(w.dst, w.dstPorts)}`;
}
