/**
 * A seeded generator of random Capirca policies (for test/capirca.test.ts): naming definitions
 * (NETWORK.net, SERVICES.svc), .pol files with terms over addresses, ports, protocols, actions,
 * logging and comments, and flows aimed at the terms' edges. Only what Capirca's flow checker
 * (aclcheck) decides exactly is generated: it ignores address excludes, ICMP types and TCP options
 * ("established" is only a "possible" match), so those are left out (see the test's notes).
 */

// the benchmarks' seeded PRNG (mulberry32)
import { rng } from "../../bench/random.js";

export interface Flow {
  proto: string;
  src: string;
  sport: string;
  dst: string;
  dport: string;
}

export interface GenPolicy {
  name: string;
  /** The ACL name each generator writes. */
  acl: { cisco: string; ciscoasa?: string };
  targets: Array<"cisco" | "ciscoasa">;
  text: string;
  flows: Flow[];
}

export interface Generated {
  network: string;
  services: string;
  policies: GenPolicy[];
}

/** Ports that Capirca's generators print by name (IOS and ASA tables), and some that they do not. */
const TCP_PORTS = [7, 9, 13, 19, 20, 21, 22, 23, 25, 43, 49, 53, 70, 79, 80, 101, 109, 110, 111, 113, 119, 139, 143, 179, 194, 389, 443, 496, 512, 513, 514, 515, 517, 540, 543, 544, 636, 750, 1352, 1494, 1521, 1720, 1723, 2049, 2748, 5190, 5631, 8080, 8443];
const UDP_PORTS = [7, 9, 37, 42, 49, 53, 67, 68, 69, 111, 123, 137, 138, 161, 162, 177, 195, 434, 496, 500, 512, 513, 514, 517, 520, 750, 1645, 1646, 2049, 4500, 5510, 5632, 33434];
const BASES = ["10.0.0.0", "10.20.0.0", "172.16.0.0", "172.31.255.0", "192.168.1.0", "192.0.2.0", "198.51.100.0", "203.0.113.0"];
const PREFIXES = [8, 12, 16, 20, 24, 25, 28, 30, 31, 32];
const OTHER_PROTOS = ["esp", "ah", "gre", "igmp", "pim", "ospf"];

const ipToInt = (s: string): number => s.split(".").reduce((a, o) => a * 256 + Number(o), 0);
const intToIp = (n: number): string => [24, 16, 8, 0].map((s) => (n >>> s) & 255).join(".");

export function generate(seed: number, policies: number, flowsPer: number): Generated {
  const r = rng(seed);
  const int = (lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const chance = (p: number): boolean => r() < p;

  // ---- naming definitions
  const nets: Array<{ name: string; prefixes: Array<[number, number]>; text: string[] }> = [];
  for (let i = 0; i < 10; i++) {
    const prefixes: Array<[number, number]> = [];
    const text: string[] = [];
    for (let j = int(1, 3); j > 0; j--) {
      const len = pick(PREFIXES);
      const base = ipToInt(pick(BASES)) + int(0, 65535) * 256 + int(0, 255);
      const mask = len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
      const addr = (base & mask) >>> 0;
      prefixes.push([addr, len]);
      text.push(`${intToIp(addr)}/${len}`);
    }
    // a network may include another by name (Capirca resolves nested names)
    if (i > 0 && chance(0.2)) {
      const inner = nets[int(0, i - 1)]!;
      text.push(inner.name);
      prefixes.push(...inner.prefixes);
    }
    nets.push({ name: `NET${i}`, prefixes, text });
  }
  // the whole IPv4 space by name: Capirca prints it as "0.0.0.0 0.0.0.0" for ASA (a netmask, ASA's
  // any), which an old detector took for an IOS wildcard
  nets.push({ name: "ANY4", prefixes: [[0, 0]], text: ["0.0.0.0/0"] });
  const svcs: Array<{ name: string; protos: string[]; ranges: Array<[number, number]>; text: string[] }> = [];
  const mkService = (name: string, protos: string[]): void => {
    const ranges: Array<[number, number]> = [];
    const text: string[] = [];
    for (let j = Math.max(int(1, 3), protos.length); j > 0; j--) {
      // every protocol of the service gets a port (Capirca rejects a term whose protocol has none)
      const proto = j <= protos.length ? protos[j - 1]! : pick(protos);
      const table = proto === "tcp" ? TCP_PORTS : UDP_PORTS;
      let lo: number;
      let hi: number;
      if (chance(0.3)) {
        lo = chance(0.5) ? pick(table) : int(1, 65000);
        hi = Math.min(65535, lo + pick([1, 2, 10, 100, 1000, 64511]));
      } else lo = hi = pick(table);
      ranges.push([lo, hi]);
      text.push(`${lo === hi ? lo : `${lo}-${hi}`}/${proto}`);
    }
    svcs.push({ name, protos, ranges, text });
  };
  for (let i = 0; i < 6; i++) mkService(`TCP${i}`, ["tcp"]);
  for (let i = 0; i < 6; i++) mkService(`UDP${i}`, ["udp"]);
  for (let i = 0; i < 3; i++) mkService(`MIX${i}`, ["tcp", "udp"]);
  const network = nets.map((n) => `${n.name} = ${n.text.join("\n      ")}\n`).join("\n");
  const services = svcs.map((s) => `${s.name} = ${s.text.join("\n      ")}\n`).join("\n");

  // ---- policies
  const out: GenPolicy[] = [];
  for (let p = 0; p < policies; p++) {
    const standard = chance(0.15);
    const numbered = !standard && chance(0.25);
    const iosName = standard ? String(pick([int(1, 99), int(1300, 1999)])) : numbered ? String(pick([int(100, 199), int(2000, 2699)])) : `P${seed}-${p}`;
    const asaName = `A${seed}-${p}`;
    const lines = ["header {", `  target:: cisco ${iosName} ${standard ? "standard" : "extended"}`];
    if (!standard) lines.push(`  target:: ciscoasa ${asaName}`);
    lines.push("}");
    const used: { protos: Set<string>; nets: typeof nets; svcs: typeof svcs } = { protos: new Set(), nets: [], svcs: [] };
    for (let t = int(2, 10); t > 0; t--) {
      lines.push(`term t${t} {`);
      if (standard) {
        const n = pick(nets);
        used.nets.push(n);
        lines.push(`  address:: ${n.name}`);
      } else {
        const roll = r();
        const protos = roll < 0.3 ? ["tcp"] : roll < 0.55 ? ["udp"] : roll < 0.65 ? ["tcp", "udp"] : roll < 0.75 ? ["icmp"] : roll < 0.85 ? [] : [pick(OTHER_PROTOS), ...(chance(0.3) ? [pick(OTHER_PROTOS)] : [])];
        const uniq = [...new Set(protos)];
        for (const x of uniq) used.protos.add(x);
        for (const [kw, p_] of [["source-address", 0.6], ["destination-address", 0.6]] as const)
          if (chance(p_)) {
            const ns = [pick(nets), ...(chance(0.3) ? [pick(nets)] : [])];
            used.nets.push(...ns);
            lines.push(`  ${kw}:: ${[...new Set(ns.map((n) => n.name))].join(" ")}`);
          }
        if (uniq.length) lines.push(`  protocol:: ${uniq.join(" ")}`);
        const ported = uniq.length > 0 && uniq.every((x) => x === "tcp" || x === "udp");
        if (ported) {
          const fitting = svcs.filter((s) => uniq.every((x) => s.protos.includes(x)));
          for (const [kw, p_] of [["source-port", 0.2], ["destination-port", 0.65]] as const)
            if (chance(p_)) {
              const s = pick(fitting);
              used.svcs.push(s);
              lines.push(`  ${kw}:: ${s.name}`);
            }
        }
      }
      if (chance(0.15)) lines.push("  logging:: true");
      if (chance(0.2)) lines.push(`  comment:: "term ${t} of policy ${p}"`);
      lines.push(`  action:: ${pick(["accept", "accept", "deny", "reject"])}`, "}");
    }
    // flows at the terms' edges: addresses in and next to their prefixes, ports at range ends
    const flows: Flow[] = [];
    const addr = (): string => {
      if (used.nets.length && chance(0.75)) {
        const [a, len] = pick(pick(used.nets).prefixes);
        const size = len === 0 ? 2 ** 32 : 2 ** (32 - len);
        const off = pick([0, size - 1, int(0, size - 1), size, -1]);
        return intToIp(((a + off) >>> 0) % 2 ** 32);
      }
      return intToIp(ipToInt(pick(BASES)) + int(0, 65535));
    };
    const port = (): string => {
      if (used.svcs.length && chance(0.7)) {
        const [lo, hi] = pick(pick(used.svcs).ranges);
        return String(Math.max(0, Math.min(65535, pick([lo, hi, lo - 1, hi + 1, int(lo, hi)]))));
      }
      return String(int(0, 65535));
    };
    const protoPool = standard ? ["tcp", "udp", "icmp", "esp"] : [...used.protos, "tcp", "udp", "icmp", pick(OTHER_PROTOS)];
    for (let f = 0; f < flowsPer; f++) {
      const proto = pick(protoPool);
      const ported = proto === "tcp" || proto === "udp";
      flows.push({ proto, src: addr(), sport: ported ? port() : "any", dst: addr(), dport: ported ? port() : "any" });
    }
    const pol: GenPolicy = { name: `p${seed}-${p}`, acl: { cisco: iosName }, targets: standard ? ["cisco"] : ["cisco", "ciscoasa"], text: lines.join("\n") + "\n", flows };
    if (!standard) pol.acl.ciscoasa = asaName;
    out.push(pol);
  }
  return { network, services, policies: out };
}

/** A flow as `natlint flow` reads it. */
export function flowText(f: Flow): string {
  return f.sport === "any" ? `${f.proto} ${f.src} ${f.dst}` : `${f.proto} ${f.src} ${f.sport} ${f.dst} ${f.dport}`;
}

// ---- IPv6 and mixed policies (inet6 and mixed filters), for test/capirca6.test.ts

const BASES6 = ["2001:db8::", "2001:db8:1::", "2001:db8:ff00:10::", "2001:db8:abcd:12::", "fd00::", "fd12:3456:789a::"];
const PREFIXES6 = [32, 36, 40, 48, 56, 63, 64, 80, 96, 112, 120, 127, 128];
// gre, pim, igmp… are printed by name in IPv6 filters too, which IOS rejects (its IPv6 ACLs name
// only ahp, esp, hbh, icmp, ipv6, pcp, sctp, tcp, udp): pinned in test/capirca6.test.ts, not generated
const OTHER_PROTOS6 = ["esp", "ah", "ospf"];
const MASK128 = (1n << 128n) - 1n;

function ip6ToBig(s: string): bigint {
  const [head, tail] = s.split("::") as [string, string | undefined];
  const h = head ? head.split(":") : [];
  const t = tail ? tail.split(":") : [];
  const groups = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill("0"), ...t];
  return groups.reduce((a, g) => (a << 16n) | BigInt(parseInt(g, 16)), 0n);
}

/** RFC 5952-ish text (Capirca and natlint both read any valid form). */
function bigToIp6(n: bigint): string {
  const g: string[] = [];
  for (let i = 7; i >= 0; i--) g.push(((n >> BigInt(16 * i)) & 0xffffn).toString(16));
  // compress the longest run of zero groups
  let best = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (g[i] !== "0") {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === "0") j++;
    if (j - i > bestLen && j - i > 1) [best, bestLen] = [i, j - i];
    i = j;
  }
  if (best < 0) return g.join(":");
  return `${g.slice(0, best).join(":")}::${g.slice(best + bestLen).join(":")}`;
}

/** A policy generated by generate6: `family` inet6 (cisco only) or mixed (cisco, and ciscoasa rendered per family). */
export interface GenPolicy6 {
  name: string;
  family: "inet6" | "mixed";
  /** The ACL names: cisco's IPv4 and IPv6 ACLs (mixed: NAME and ipv6-NAME), the ASA's unified one. */
  acl: { cisco4?: string; cisco6: string; ciscoasa?: string };
  targets: Array<"cisco" | "ciscoasa">;
  text: string;
  flows: Flow[];
}

/**
 * Random inet6 and mixed policies over IPv6, IPv4 and dual-stack networks. IPv6 flows never use
 * `icmp` and IPv4 flows never `icmpv6`: aclcheck does not look at the address family of a
 * protocol, the generators do (icmp is not rendered in IPv6 filters, icmpv6 not in IPv4 ones).
 * Policies with the ciscoasa target have no icmpv6 term (the ASA generator prints "icmpv6", which
 * is not an ASA keyword: see the pinned bugs in the test).
 */
export function generate6(seed: number, policies: number, flowsPer: number): { network: string; services: string; policies: GenPolicy6[] } {
  const r = rng(seed * 7919 + 6);
  const int = (lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const chance = (p: number): boolean => r() < p;
  const big = (bits: number): bigint => {
    let x = 0n;
    for (let i = 0; i < bits; i += 16) x = (x << 16n) | BigInt(int(0, 65535));
    return x & ((1n << BigInt(bits)) - 1n);
  };

  type Net = { name: string; p4: Array<[number, number]>; p6: Array<[bigint, number]>; text: string[] };
  const nets: Net[] = [];
  for (let i = 0; i < 12; i++) {
    const net: Net = { name: `NET${i}`, p4: [], p6: [], text: [] };
    const kind = i % 3; // 0: IPv6 only, 1: dual stack, 2: IPv4 only
    for (let j = int(1, 3); j > 0; j--) {
      if (kind === 0 || (kind === 1 && j % 2 === 1)) {
        const len = pick(PREFIXES6);
        const base = ip6ToBig(pick(BASES6)) | (big(96) & ((1n << 96n) - 1n));
        const mask = len === 0 ? 0n : (MASK128 << BigInt(128 - len)) & MASK128;
        const a = base & mask;
        net.p6.push([a, len]);
        net.text.push(`${bigToIp6(a)}/${len}`);
      } else {
        const len = pick(PREFIXES);
        const b = ipToInt(pick(BASES)) + int(0, 65535) * 256 + int(0, 255);
        const a = (b & ((0xffffffff << (32 - len)) >>> 0)) >>> 0;
        net.p4.push([a, len]);
        net.text.push(`${intToIp(a)}/${len}`);
      }
    }
    if (i > 0 && chance(0.2)) {
      const inner = nets[int(0, i - 1)]!;
      net.text.push(inner.name);
      net.p4.push(...inner.p4);
      net.p6.push(...inner.p6);
    }
    nets.push(net);
  }
  nets.push({ name: "ANY6", p4: [], p6: [[0n, 0]], text: ["::/0"] });
  const svcs: Array<{ name: string; protos: string[]; ranges: Array<[number, number]>; text: string[] }> = [];
  for (const [name, protos] of [["TCP0", ["tcp"]], ["TCP1", ["tcp"]], ["TCP2", ["tcp"]], ["UDP0", ["udp"]], ["UDP1", ["udp"]], ["MIX0", ["tcp", "udp"]]] as const) {
    const ranges: Array<[number, number]> = [];
    const text: string[] = [];
    for (let j = Math.max(int(1, 3), protos.length); j > 0; j--) {
      const proto = j <= protos.length ? protos[j - 1]! : pick(protos);
      const table = proto === "tcp" ? TCP_PORTS : UDP_PORTS;
      let lo = pick(table);
      let hi = lo;
      if (chance(0.3)) hi = Math.min(65535, (lo = chance(0.5) ? lo : int(1, 65000)) + pick([1, 2, 10, 100, 1000]));
      ranges.push([lo, hi]);
      text.push(`${lo === hi ? lo : `${lo}-${hi}`}/${proto}`);
    }
    svcs.push({ name, protos: [...protos], ranges, text });
  }
  const network = nets.map((n) => `${n.name} = ${n.text.join("\n      ")}\n`).join("\n");
  const services = svcs.map((s) => `${s.name} = ${s.text.join("\n      ")}\n`).join("\n");

  const out: GenPolicy6[] = [];
  for (let p = 0; p < policies; p++) {
    const family = chance(0.5) ? "inet6" : "mixed";
    const asa = family === "mixed";
    const name = `Q${seed}-${p}`;
    const lines = ["header {", `  target:: cisco ${name} ${family}`];
    if (asa) lines.push(`  target:: ciscoasa A${name}`);
    lines.push("}");
    const used: { protos: Set<string>; nets: Net[]; svcs: typeof svcs } = { protos: new Set(), nets: [], svcs: [] };
    for (let t = int(2, 10); t > 0; t--) {
      lines.push(`term t${t} {`);
      const roll = r();
      const icmp = asa ? "icmp" : pick(["icmp", "icmpv6"]);
      const protos = roll < 0.3 ? ["tcp"] : roll < 0.55 ? ["udp"] : roll < 0.65 ? ["tcp", "udp"] : roll < 0.75 ? [icmp] : roll < 0.85 ? [] : [pick(OTHER_PROTOS6)];
      for (const x of protos) used.protos.add(x);
      for (const kw of ["source-address", "destination-address"])
        if (chance(0.6)) {
          const ns = [pick(nets), ...(chance(0.3) ? [pick(nets)] : [])];
          used.nets.push(...ns);
          lines.push(`  ${kw}:: ${[...new Set(ns.map((n) => n.name))].join(" ")}`);
        }
      if (protos.length) lines.push(`  protocol:: ${protos.join(" ")}`);
      if (protos.length > 0 && protos.every((x) => x === "tcp" || x === "udp")) {
        const fitting = svcs.filter((s) => protos.every((x) => s.protos.includes(x)));
        for (const [kw, p_] of [["source-port", 0.2], ["destination-port", 0.65]] as const)
          if (chance(p_)) {
            const s = pick(fitting);
            used.svcs.push(s);
            lines.push(`  ${kw}:: ${s.name}`);
          }
      }
      if (chance(0.15)) lines.push("  logging:: true");
      lines.push(`  action:: ${pick(["accept", "accept", "deny", "reject"])}`, "}");
    }
    const flows: Flow[] = [];
    const addr = (v6: boolean): string => {
      const pool = used.nets.filter((n) => (v6 ? n.p6 : n.p4).length > 0);
      if (v6) {
        if (pool.length && chance(0.75)) {
          const [a, len] = pick(pick(pool).p6);
          const size = 1n << BigInt(128 - len);
          const off = pick([0n, size - 1n, big(128) % size, size, -1n]);
          return bigToIp6((((a + off) % (1n << 128n)) + (1n << 128n)) % (1n << 128n));
        }
        return bigToIp6(ip6ToBig(pick(BASES6)) | big(32));
      }
      if (pool.length && chance(0.75)) {
        const [a, len] = pick(pick(pool).p4);
        const size = 2 ** (32 - len);
        return intToIp(((a + pick([0, size - 1, int(0, size - 1), size, -1])) >>> 0) % 2 ** 32);
      }
      return intToIp(ipToInt(pick(BASES)) + int(0, 65535));
    };
    const port = (): string => {
      if (used.svcs.length && chance(0.7)) {
        const [lo, hi] = pick(pick(used.svcs).ranges);
        return String(Math.max(0, Math.min(65535, pick([lo, hi, lo - 1, hi + 1, int(lo, hi)]))));
      }
      return String(int(0, 65535));
    };
    for (let f = 0; f < flowsPer; f++) {
      const v6 = family === "inet6" || chance(0.6);
      const pool = [...used.protos, "tcp", "udp", v6 ? "icmpv6" : "icmp", pick(OTHER_PROTOS6)].filter((x) => x !== (v6 ? "icmp" : "icmpv6"));
      const proto = pick(pool);
      const ported = proto === "tcp" || proto === "udp";
      flows.push({ proto, src: addr(v6), sport: ported ? port() : "any", dst: addr(v6), dport: ported ? port() : "any" });
    }
    const pol: GenPolicy6 = { name: `q${seed}-${p}`, family, acl: { cisco6: family === "mixed" ? `ipv6-${name}` : name }, targets: asa ? ["cisco", "ciscoasa"] : ["cisco"], text: lines.join("\n") + "\n", flows };
    if (family === "mixed") pol.acl.cisco4 = name;
    if (asa) pol.acl.ciscoasa = `A${name}`;
    out.push(pol);
  }
  return { network, services, policies: out };
}

/** Is the flow an IPv6 one? */
export const isV6Flow = (f: Flow): boolean => f.src.includes(":");
