/**
 * Seeded generators of config *text* for the scale benchmarks (bench/scale.ts, bench/fleet.ts):
 *
 * - `aclConfig(n, seed)`: an IOS edge router whose outside ACL has `n` lines shaped like a
 *   firewall-sized ACL after object-group expansion: runs of lines that differ only in one
 *   address (an expanded network group), host / subnet / non-contiguous wildcard addresses, port
 *   names, ranges, `gt`/`lt`/`neq`, `established`, ICMP types, IPsec lines (isakmp and
 *   non500-isakmp, pinned and open), remarks, a block list at the top, ~1 % duplicates and
 *   `deny ip any any log` last;
 * - `deviceConfig(bytes, seed)`: a device config of about `bytes` bytes: interfaces (VLAN
 *   sub-interfaces with descriptions and access-groups), many ACLs of the sizes real configs
 *   have (mostly 20–500 lines, some 1,000–2,000), object-groups, PAT, static routes, management
 *   lines — so a 100 MB config is many ordinary ACLs, not one enormous one;
 * - `flowLines(n, seed)`: flows in `natlint flow --flows` form around an ACL's addresses.
 *
 * Everything generated is configuration natlint models (no unknown commands), so the benchmarks
 * measure the analyses, not the reporting of unsupported lines.
 */
import { Gen as G } from "./random.js";


const ip = (a: number): string => `${(a >>> 24) & 255}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}`;
const wc = (len: number): string => ip(len === 0 ? 0xffffffff : (0xffffffff >>> len) >>> 0);
const net = (a: number, len: number): number => (len === 0 ? 0 : (a & ~((0xffffffff >>> len) >>> 0)) >>> 0);

const TCP_PORTS = ["www", "443", "22", "25", "smtp", "3389", "1433", "3306", "8080", "8443", "ftp", "telnet", "pop3", "143", "993", "995", "5432", "389", "636", "bgp"];
const UDP_PORTS = ["domain", "snmp", "ntp", "syslog", "tftp", "1812", "1813", "5060", "netbios-ns", "123"];
const ICMP_TYPES = ["echo", "echo-reply", "unreachable", "time-exceeded", "packet-too-big", "administratively-prohibited"];

/** The address pools of one generated site: servers in 10/8, client sites in 172.16/12. */
class Pools {
  readonly servers: number[];
  readonly sites: Array<[number, number]>;
  constructor(
    g: G,
    size: number,
    readonly peers: number[],
  ) {
    const servers = Math.max(40, Math.floor(size / 6));
    this.servers = Array.from({ length: servers }, (_, i) => (0x0a000000 + ((i * 2654435761) % 0xffffff)) >>> 0);
    const sites = Math.max(16, Math.floor(size / 40));
    this.sites = Array.from({ length: sites }, (_, i) => {
      const len = g.pick([16, 20, 22, 24, 24, 24, 26, 28]);
      return [net((0xac100000 + ((i * 40503) % 0xfffff) * 16) >>> 0, len), len] as [number, number];
    });
  }
  /** A host address inside one of the sites. */
  siteHost(g: G): string {
    const [a, len] = g.pick(this.sites);
    return ip((a | g.int(1, 2 ** (32 - len) - 2)) >>> 0);
  }
}

function addr(g: G, p: Pools, role: "src" | "dst"): string {
  const k = g.int(0, 99);
  if (role === "dst") {
    if (k < 60) return `host ${ip(g.pick(p.servers))}`;
    if (k < 85) {
      const len = g.pick([24, 25, 26, 27, 28, 29]);
      return `${ip(net(g.pick(p.servers), len))} ${wc(len)}`;
    }
    if (k < 90) return `${ip(net(g.pick(p.servers), 16) | g.int(1, 254))} 0.0.255.0`; // same host number in every /24 of a /16
    if (k < 97) return `${ip(g.pick(p.servers) & 0xff00ff00)} 0.255.0.255`; // non-contiguous
    return "any";
  }
  if (k < 38) return "any";
  if (k < 73) {
    const [a, len] = g.pick(p.sites);
    return len === 32 ? `host ${ip(a)}` : `${ip(a)} ${wc(len)}`;
  }
  if (k < 93) return `host ${p.siteHost(g)}`;
  return `${ip(g.pick(p.sites)[0] & 0xffff0000)} 0.0.${g.pick([3, 7, 15])}.255`; // non-contiguous
}

function portOp(g: G, names: readonly string[]): string {
  const k = g.int(0, 99);
  if (k < 70) return `eq ${g.pick(names)}`;
  if (k < 85) {
    const lo = g.pick([1024, 5000, 8000, 10000, 16384, 49152]);
    return `range ${lo} ${lo + g.int(1, 5000)}`;
  }
  if (k < 93) return `gt ${g.pick([1023, 1024, 8000, 32767])}`;
  if (k < 97) return `lt ${g.pick([1024, 512, 1000])}`;
  return `neq ${g.pick(names)}`;
}

/** One ACL body line (without leading space). */
function aceLine(g: G, p: Pools): string {
  const act = g.chance(0.05) ? "deny  " : "permit";
  const k = g.int(0, 99);
  const src = addr(g, p, "src");
  let dst = addr(g, p, "dst");
  if (src === "any" && dst === "any") dst = `host ${ip(g.pick(p.servers))}`; // no any-to-any lines

  if (k < 50) return `${act} tcp ${src} ${dst} ${portOp(g, TCP_PORTS)}`;
  if (k < 58) return `${act} tcp ${src} ${portOp(g, TCP_PORTS)} ${dst}`; // by source port (replies)
  if (k < 62) return `permit tcp ${dst} ${src} established`;
  if (k < 77) return `${act} udp ${src} ${dst} ${portOp(g, UDP_PORTS)}`;
  if (k < 84) return `${act} icmp ${src} ${dst} ${g.pick(ICMP_TYPES)}`;
  if (k < 88) {
    const peer = ip(g.pick(p.peers));
    const h = `host ${ip(g.pick(p.servers))}`;
    return g.pick([`permit udp host ${peer} eq isakmp ${h} eq isakmp`, `permit udp host ${peer} ${h} eq isakmp`, `permit udp host ${peer} ${h} eq non500-isakmp`, `permit esp host ${peer} ${h}`]);
  }
  if (k < 90) return `${act} gre ${src} ${dst}`;
  if (k < 93) return `${act} ip ${src} ${dst}`;
  if (k < 95 && g.chance(0.1)) return `deny   tcp any any eq ${g.pick(["135", "139", "445"])} log`;
  if (k < 95) return `${act} tcp ${src} ${dst} ${portOp(g, TCP_PORTS)}`;
  return `${act} tcp ${src} ${dst} ${portOp(g, TCP_PORTS)} log`;
}

/** `n` lines of an extended ACL body, each with its leading space. */
export function aclBody(g: G, p: Pools, n: number): string[] {
  const out: string[] = [];
  const block = Math.min(200, Math.floor(n / 50));
  for (let i = 0; i < block; i++) out.push(g.chance(0.7) ? ` deny   ip host ${ip((0xc6000000 + g.int(0, 0x1ffff)) >>> 0)} any` : ` deny   ip ${ip(net((0x64400000 + g.int(0, 0x3fffff)) >>> 0, 24))} 0.0.0.255 any`);
  while (out.length < n - 1) {
    const k = g.int(0, 99);
    if (k < 2) out.push(` remark ${g.pick(["web farm", "partner VPN", "monitoring", "change CHG", "legacy"])}${g.int(1, 9999)}`);
    else if (k < 3 && out.length > block + 10) out.push(out[g.int(block, out.length - 1)]!);
    else if (k < 25) {
      // an expanded network object-group: one service and destination, several sources
      const rest = aceLine(g, p);
      const m = /^(\S+\s+\S+) (any|host \S+|\S+ \S+) (.*)$/.exec(rest);
      const run = g.int(2, 12);
      for (let j = 0; j < run && out.length < n - 1; j++) {
        if (!m) out.push(` ${rest}`);
        else out.push(` ${m[1]} host ${p.siteHost(g)} ${m[3]}`);
      }
    } else out.push(` ${aceLine(g, p)}`);
  }
  out.push(" deny   ip any any log");
  return out;
}

/** An IOS edge router (PAT on the outside) whose outside `in` ACL has `n` lines. */
export function aclConfig(n: number, seed = 1): string {
  const g = new G(seed);
  const p = new Pools(g, n, [0xcb00710a, 0xcb00710b, 0xc6336401, 0xc6336402]);
  const lines = [
    "hostname edge-bench",
    "!",
    "interface GigabitEthernet0/0",
    " description inside",
    " ip address 192.168.100.1 255.255.255.0",
    " ip nat inside",
    "!",
    "interface GigabitEthernet0/1",
    " description outside",
    " ip address 192.0.2.2 255.255.255.252",
    " ip nat outside",
    " ip access-group EDGE-IN in",
    "!",
    "ip access-list standard NAT-INSIDE",
    " permit 192.168.100.0 0.0.0.255",
    "ip nat inside source list NAT-INSIDE interface GigabitEthernet0/1 overload",
    "ip route 0.0.0.0 0.0.0.0 192.0.2.1",
    "!",
    "ip access-list extended EDGE-IN",
    ...aclBody(g, p, n),
    "!",
    "end",
  ];
  return lines.join("\n") + "\n";
}

const ACL_SIZES = [20, 20, 30, 50, 50, 80, 100, 150, 200, 300, 500, 1000, 2000];

/**
 * A device config of about `bytes` bytes. Its parts keep their proportions at every size: per
 * "block" of the config, VLAN sub-interfaces, one ACL (size from `ACL_SIZES`) applied on them,
 * object-groups, static routes; a fixed head and tail. Without `fit` a config can end up to a
 * 2,000-line ACL longer than `bytes` (the 1/10/100 MB inputs of bench/scale.ts, kept as they were);
 * with it, within a few KB.
 */
export function deviceConfig(bytes: number, seed = 1, opts: { fit?: boolean } = {}): string {
  const g = new G(seed);
  const p = new Pools(g, 2000, [0xcb00710a, 0xcb00710b, 0xc6336401]);
  const out: string[] = [
    `hostname dc-bench-${seed}`,
    "!",
    "service timestamps debug datetime msec",
    "service password-encryption",
    "no ip domain lookup",
    "ip domain name example.net",
    "logging buffered 64000",
    "!",
    "interface Loopback0",
    ` ip address 10.255.${seed & 255}.1 255.255.255.255`,
    "!",
    "interface GigabitEthernet0/0",
    " description uplink",
    " ip address 192.0.2.2 255.255.255.252",
    " ip nat outside",
    " ip access-group EDGE-IN in",
    "!",
    "interface GigabitEthernet0/1",
    " description trunk to access switches",
    " no ip address",
    "!",
    "ip access-list standard NAT-INSIDE",
    " permit 192.168.0.0 0.0.255.255",
    "ip nat inside source list NAT-INSIDE interface GigabitEthernet0/0 overload",
    "ip access-list extended EDGE-IN",
    ...aclBody(g, p, 300),
    "!",
  ];
  let size = out.reduce((s, l) => s + l.length + 1, 0);
  const tail = ["ip route 0.0.0.0 0.0.0.0 192.0.2.1", "ntp server 10.255.0.1", "snmp-server community s3cret RO 10", "access-list 10 permit 10.255.0.0 0.0.255.255", "line vty 0 4", " access-class 10 in", " transport input ssh", "!", "end"];
  const tailSize = tail.reduce((s, l) => s + l.length + 1, 0);
  let vlan = 100;
  let acl = 0;
  const push = (l: string): void => {
    out.push(l);
    size += l.length + 1;
  };
  while (size + tailSize < bytes) {
    // `fit`: only ACL sizes whose lines (about 45 bytes each) fit in what is left, so a config is
    // about `bytes` long rather than up to a 2,000-line ACL longer (the fleet's 50 KB configs)
    const room = (bytes - size - tailSize) / 45;
    const sizes = opts.fit ? ACL_SIZES.filter((n) => n <= room) : ACL_SIZES;
    const name = `VLAN-ACL-${++acl}`;
    const ifs = g.int(1, 4);
    for (let i = 0; i < ifs; i++) {
      const v = vlan++;
      push(`interface GigabitEthernet0/1.${v}`);
      push(` description vlan ${v} ${g.pick(["users", "voice", "printers", "servers", "guests", "cameras"])}`);
      push(` encapsulation dot1Q ${v}`);
      push(` ip address 192.168.${v % 250}.${(v >> 8) % 200 || 1} 255.255.255.0`);
      push(" ip nat inside");
      push(` ip access-group ${name} in`);
      push("!");
    }
    const og = `SRV-${acl}`;
    push(`object-group network ${og}`);
    for (let i = g.int(2, 8); i > 0; i--) push(` host ${ip(g.pick(p.servers))}`);
    push(`ip access-list extended ${name}`);
    push(` permit tcp any object-group ${og} eq 443`);
    for (const l of aclBody(g, p, g.pick(sizes.length > 0 ? sizes : ACL_SIZES.slice(0, 1)))) push(l);
    push("!");
    for (let i = g.int(2, 10); i > 0; i--) push(`ip route ${ip(net(g.pick(p.servers), 24))} 255.255.255.0 192.168.${vlan % 250}.254`);
  }
  for (const l of tail) out.push(l);
  return out.join("\n") + "\n";
}

/** `n` flows (`natlint flow --flows` lines) around the addresses of `aclConfig(·, seed)`. */
export function flowLines(n: number, seed = 1): string[] {
  const g = new G(seed + 1000);
  const p = new Pools(new G(seed), 1000, [0xcb00710a]);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const k = g.int(0, 9);
    const src = k < 5 ? p.siteHost(g) : ip((0xc6000000 + g.int(0, 0xffffff)) >>> 0);
    const dst = ip(g.chance(0.8) ? g.pick(p.servers) : (0x0a000000 + g.int(0, 0xffffff)) >>> 0);
    if (k < 6) out.push(`tcp ${src} ${g.int(1024, 65535)} ${dst} ${g.pick([80, 443, 22, 25, 3389, 8080, 8443, 1433])}`);
    else if (k < 9) out.push(`udp ${src} ${g.pick([500, 4500, 1024, 33000])} ${dst} ${g.pick([53, 123, 161, 500, 4500])}`);
    else out.push(`icmp ${src} ${dst} ${g.pick([0, 3, 8, 11])}`);
  }
  return out;
}
