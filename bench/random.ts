/**
 * Seeded generators shared by the headerspace property tests and the benchmark:
 * - `randomMatch` / `randomPacket`: adversarial ACE matches (non-contiguous wildcards, every port
 *   operator, icmp, established, tcp flags, fragments, tos) and packets biased to hit them;
 * - `realisticAcl`: interface-ACL-shaped lists (host/subnet entries, port ranges, multi-term
 *   object-group-like services, some denies, a few duplicates) for the benchmark.
 */
import { portOpSet, type PortOp } from "../src/model/ports.js";
import type { Ace, AceMatch, Acl, AddrSet, Packet, PortSet, ServiceTerm, Wildcard } from "../src/model/types.js";

/** mulberry32 */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Gen {
  readonly r: () => number;
  constructor(seed: number) {
    this.r = rng(seed);
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.r() * (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.r() < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.r() * xs.length)]!;
  }
  u32(): number {
    return (this.int(0, 0xffff) * 0x10000 + this.int(0, 0xffff)) >>> 0;
  }
}

// ------------------------------------------------------------------ adversarial (tests)

const BASES = [0x0a000001, 0x0a000100, 0xc0000201, 0xc0a80a0a, 0xffffffff, 0x00000000, 0x0a0a0a0a];
const PORTS = [0, 1, 22, 23, 79, 80, 81, 443, 500, 1023, 1024, 4500, 65534, 65535];
const PROTOS = [6, 6, 17, 17, 1, 132, 47, 50, 0, 255];

function randomWildcard(g: Gen): Wildcard {
  const base = g.chance(0.8) ? g.pick(BASES) : g.u32();
  const k = g.int(0, 5);
  let wc: number;
  if (k === 0) wc = 0;
  else if (k === 1) wc = 0xffffffff;
  else if (k <= 3) {
    const len = g.int(0, 32);
    wc = len === 0 ? 0xffffffff : len === 32 ? 0 : (0xffffffff >>> len) >>> 0;
  } else wc = (g.u32() & g.u32() & g.u32()) >>> 0; // sparse non-contiguous
  // rarely a malformed pattern (addr bits under the wildcard): matches nothing in aceMatches
  return { addr: g.chance(0.03) ? base >>> 0 : (base & ~wc) >>> 0, wildcard: wc >>> 0 };
}

function randomAddrSet(g: Gen): AddrSet {
  const n = g.chance(0.05) ? 0 : g.chance(0.8) ? 1 : g.int(2, 3);
  return Array.from({ length: n }, () => randomWildcard(g));
}

function randomPorts(g: Gen): PortSet | undefined {
  if (g.chance(0.4)) return undefined;
  if (g.chance(0.03)) return [];
  const op = g.pick<PortOp>(["eq", "eq", "neq", "lt", "gt", "range"]);
  const a = g.pick(PORTS);
  const b = g.pick(PORTS);
  return portOpSet(op, op === "range" ? [a, b] : op === "eq" || op === "neq" ? [a, ...(g.chance(0.3) ? [b] : [])] : [a]);
}

function randomTerm(g: Gen): ServiceTerm {
  const protocol = g.chance(0.2) ? null : g.pick(PROTOS);
  const t: ServiceTerm = { protocol };
  // Also put port/icmp/flag tests on protocols that ignore them (they still count as layer-4
  // tests for the fragment rule in aceMatches).
  const l4 = protocol === 6 || protocol === 17 || protocol === 132 || g.chance(0.1);
  if (l4) {
    const s = randomPorts(g);
    const d = randomPorts(g);
    if (s) t.srcPorts = s;
    if (d) t.dstPorts = d;
  }
  if (protocol === 1 || g.chance(0.05)) {
    if (g.chance(0.5)) t.icmpType = g.pick([0, 3, 8, 11]);
    if (g.chance(0.3)) t.icmpCode = g.pick([0, 1, 4]);
  }
  if (protocol === 6 || g.chance(0.05)) {
    if (g.chance(0.2)) t.established = true;
    if (g.chance(0.2)) t.tcpFlags = { set: g.int(0, 63) & g.int(0, 63), clear: g.int(0, 63) & g.int(0, 63), any: g.chance(0.4) };
  }
  return t;
}

export function randomMatch(g: Gen): AceMatch {
  const n = g.chance(0.05) ? 0 : g.chance(0.8) ? 1 : g.int(2, 3);
  const m: AceMatch = { src: randomAddrSet(g), dst: randomAddrSet(g), services: Array.from({ length: n }, () => randomTerm(g)) };
  if (g.chance(0.15)) m.fragments = true;
  if (g.chance(0.12)) {
    const kind = g.pick(["dscp", "precedence", "tos"] as const);
    m.tos = { kind, value: g.int(0, kind === "dscp" ? 63 : kind === "precedence" ? 7 : 15) };
  }
  return m;
}

function addrNear(g: Gen, set: AddrSet): number {
  const w = set.length > 0 && g.chance(0.8) ? g.pick(set) : undefined;
  if (!w) return g.chance(0.5) ? g.pick(BASES) : g.u32();
  const v = (w.addr | (g.u32() & w.wildcard)) >>> 0;
  return g.chance(0.1) ? (v ^ (1 << g.int(0, 31))) >>> 0 : v; // sometimes just outside
}

function portNear(g: Gen, set: PortSet | undefined): number {
  if (set && set.length > 0 && g.chance(0.6)) {
    const r = g.pick(set);
    const p = g.pick([r.lo, r.hi, r.lo - 1, r.hi + 1, g.int(r.lo, r.hi)]);
    return Math.min(65535, Math.max(0, p));
  }
  return g.chance(0.7) ? g.pick(PORTS) : g.int(0, 65535);
}

/** A packet biased towards the values `m` tests (and their edges). */
export function randomPacket(g: Gen, m?: AceMatch): Packet {
  const t = m && m.services.length > 0 && g.chance(0.85) ? g.pick(m.services) : undefined;
  const protocol = t && t.protocol !== null && g.chance(0.85) ? t.protocol : g.pick(PROTOS);
  let tos = g.int(0, 255);
  if (m?.tos && g.chance(0.6)) {
    const { kind, value } = m.tos;
    tos = kind === "dscp" ? (value << 2) | (tos & 3) : kind === "precedence" ? (value << 5) | (tos & 31) : (tos & 0xe1) | (value << 1);
  }
  return {
    protocol,
    src: addrNear(g, m?.src ?? []),
    dst: addrNear(g, m?.dst ?? []),
    srcPort: portNear(g, t?.srcPorts),
    dstPort: portNear(g, t?.dstPorts),
    icmpType: t?.icmpType !== undefined && g.chance(0.7) ? t.icmpType : g.pick([0, 3, 8, 11, g.int(0, 255)]),
    icmpCode: t?.icmpCode !== undefined && g.chance(0.7) ? t.icmpCode : g.pick([0, 1, 4, g.int(0, 255)]),
    tcpFlags: g.int(0, 63),
    fragment: m?.fragments ? g.chance(0.7) : g.chance(0.25),
    tos,
  };
}

let lineNo = 0;
export function ace(action: "permit" | "deny", match: AceMatch, text = "", line?: number): Ace {
  const n = line ?? ++lineNo;
  return { action, match, source: { file: "gen.cfg", line: n, text: text || `${action} #${n}` } };
}

export function randomAcl(g: Gen, name: string, n: number): Acl {
  const entries: Ace[] = [];
  for (let i = 0; i < n; i++) {
    const e = ace(g.chance(0.5) ? "permit" : "deny", randomMatch(g), "", 10 * (i + 1));
    if (g.chance(0.05)) e.inactive = true;
    entries.push(e);
  }
  return { name, type: "extended", source: { file: "gen.cfg", line: 1, text: `ip access-list extended ${name}` }, entries, remarks: [], vendor: "ios" };
}

// ------------------------------------------------------------------ realistic (bench)

const ANY: Wildcard = { addr: 0, wildcard: 0xffffffff };
const hostW = (a: number): Wildcard => ({ addr: a >>> 0, wildcard: 0 });
const netW = (a: number, len: number): Wildcard => {
  const wc = len === 0 ? 0xffffffff : (0xffffffff >>> len) >>> 0;
  return { addr: (a & ~wc) >>> 0, wildcard: wc };
};
const tcp = (p: number, hi = p): ServiceTerm => ({ protocol: 6, dstPorts: [{ lo: p, hi }] });
const udp = (p: number, hi = p): ServiceTerm => ({ protocol: 17, dstPorts: [{ lo: p, hi }] });

/**
 * An interface ACL of `n` lines shaped like real edge/datacenter ACLs:
 * - a block list at the top: `deny ip <bad host or /24> any` (~2 %, at most 200 lines);
 * - the body: `permit|deny <svc> <src> <dst>` with destinations mostly servers (host 70 %,
 *   /24 20 %, a two-host group 10 %), sources any (40 %) / a site subnet /16–/26 (40 %) / a site
 *   host (20 %), services a single tcp/udp port, a port range, `established`, icmp, ip, or an
 *   object-group-like multi-term service (15 %); ~10 % denies;
 * - sprinkled through the body (~2 %): service-wide lines (`permit udp any any eq 123`,
 *   `permit icmp any any ttl-exceeded`, `deny tcp any any eq 445`) and source-wide lines
 *   (`permit ip <site> any`, `deny ip <host> any`);
 * - ~1 % exact duplicates of earlier lines (shadowed), and `deny ip any any` last.
 */
export function realisticAcl(seed: number, n: number, name = `BENCH_${n}`): Acl {
  const g = new Gen(seed);
  const servers = Math.max(50, Math.floor(n / 5));
  const sites = Math.max(20, Math.floor(n / 50));
  const serverAddr = (i: number): number => (0x0a000000 + ((i * 2654435761) % 0xffffff)) >>> 0; // in 10/8
  const sitePool = Array.from({ length: sites }, (_, i) => netW(0xac100000 + ((i * 40503) % 0xfffff) * 16, g.pick([16, 20, 22, 24, 24, 24, 26])));
  const svcGroups: ServiceTerm[][] = [
    [tcp(80), tcp(443)],
    [udp(53), tcp(53)],
    [udp(500), udp(4500), { protocol: 50 }],
    [tcp(8000, 8099), tcp(8443)],
  ];
  const service = (): ServiceTerm[] => {
    if (g.chance(0.15)) return g.pick(svcGroups);
    const k = g.int(0, 24);
    if (k <= 12) return [tcp(g.pick([22, 25, 80, 443, 3389, 1433, 3306, 8080]))];
    if (k <= 15) {
      const lo = g.pick([1024, 5000, 10000, 49152]);
      return [g.chance(0.5) ? tcp(lo, lo + g.int(1, 5000)) : udp(lo, lo + g.int(1, 5000))];
    }
    if (k <= 18) return [udp(g.pick([53, 161, 514]))];
    if (k <= 20) return [{ protocol: 6, established: true }];
    if (k <= 22) return [{ protocol: 1, icmpType: g.pick([0, 8]) }];
    if (k === 23) return [{ protocol: 47 }];
    return [{ protocol: null }];
  };

  // Service-wide lines use services the body does not (so they do not shadow half of it), as in
  // a maintained ACL; source-wide lines do shadow the later lines of their site.
  const wide = (): AceMatch => {
    switch (g.int(0, 4)) {
      case 0:
        return { src: [ANY], dst: [ANY], services: [udp(123)] };
      case 1:
        return { src: [ANY], dst: [ANY], services: [{ protocol: 1, icmpType: g.pick([3, 11]) }] };
      case 2:
        return { src: [ANY], dst: [ANY], services: [tcp(g.pick([135, 139, 445]))] };
      case 3:
        return { src: [g.pick(sitePool)], dst: [ANY], services: [{ protocol: null }] };
      default:
        return { src: [hostW(g.u32())], dst: [ANY], services: [{ protocol: null }] };
    }
  };
  const entries: Ace[] = [];
  const badBlock = Math.min(200, Math.floor(n / 50));
  for (let i = 0; i < n; i++) {
    const line = 10 * (i + 1);
    const text = `line ${line}`;
    if (i === n - 1) {
      entries.push(ace("deny", { src: [ANY], dst: [ANY], services: [{ protocol: null }] }, text, line));
    } else if (i < badBlock) {
      entries.push(ace("deny", { src: [g.chance(0.7) ? hostW(g.u32()) : netW(g.u32(), 24)], dst: [ANY], services: [{ protocol: null }] }, text, line));
    } else if (entries.length > badBlock + 10 && g.chance(0.01)) {
      const prev = entries[g.int(badBlock, entries.length - 1)]!;
      entries.push(ace(prev.action, { ...prev.match }, text, line));
    } else if (g.chance(0.02)) {
      entries.push(ace(g.chance(0.7) ? "permit" : "deny", wide(), text, line));
    } else {
      const dstK = g.int(0, 9);
      const dst: AddrSet =
        dstK < 7
          ? [hostW(serverAddr(g.int(0, servers - 1)))]
          : dstK < 9
            ? [netW(serverAddr(g.int(0, servers - 1)), 24)]
            : [hostW(serverAddr(g.int(0, servers - 1))), hostW(serverAddr(g.int(0, servers - 1)))];
      const srcK = g.int(0, 9);
      const src: AddrSet = srcK < 4 ? [ANY] : srcK < 8 ? [g.pick(sitePool)] : [hostW(g.pick(sitePool).addr | g.int(1, 62))];
      entries.push(ace(g.chance(0.1) ? "deny" : "permit", { src, dst, services: service() }, text, line));
    }
  }
  return { name, type: "extended", source: { file: "bench.cfg", line: 1, text: `ip access-list extended ${name}` }, entries, remarks: [], vendor: "ios" };
}

/** Packets drawn around a realistic ACL's values: mostly hit some line, some miss everything. */
export function flowsFor(acl: Acl, seed: number, count: number): Packet[] {
  const g = new Gen(seed);
  const out: Packet[] = [];
  for (let i = 0; i < count; i++) {
    const e = g.pick(acl.entries);
    out.push(randomPacket(g, e.match));
  }
  return out;
}
