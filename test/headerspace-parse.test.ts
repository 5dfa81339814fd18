/** The HEADERSPACE syntax: PROTO SRC SPORT DST DPORT, or PROTO SRC DST. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { HeaderSpace } from "../src/headerspace/index.js";
import { parseHeaderSpace } from "../src/headerspace/parse.js";
import { parseIp } from "../src/model/addr.js";
import { parseIp6 } from "../src/model/addr6.js";
import { packet } from "../src/model/types.js";

const hs = new HeaderSpace();
const ip = (s: string): number => parseIp(s)!;
const set = (text: string): number => {
  const r = parseHeaderSpace(text, hs);
  if (typeof r !== "number") throw new Error(`${text}: ${r.error}`);
  return r;
};
const error = (text: string): string => {
  const r = parseHeaderSpace(text, hs);
  if (typeof r === "number") throw new Error(`${text} parsed`);
  return r.error;
};

/** The flows of a ported space: packets with the ports, and non-initial fragments by layer 3 alone. */
const flows = (l3: number, l4: number): number => hs.or(hs.and(hs.and(l3, l4), hs.eq("fragment", 0)), hs.and(l3, hs.eq("fragment", 1)));

test("five fields: protocol, prefixes, hosts, ports and ranges", () => {
  const s = set("udp 10.0.0.0/8 any 192.0.2.1 500");
  // an IPv4 address makes the space IPv4 only
  assert.is(s, flows(hs.and(hs.family(4), hs.and(hs.and(hs.protocol(17), hs.addrSet("src", [{ addr: ip("10.0.0.0"), wildcard: 0xffffff }])), hs.addrSet("dst", [{ addr: ip("192.0.2.1"), wildcard: 0 }]))), hs.field("dstPort", 500, 500)));
  assert.ok(hs.contains(s, packet({ protocol: 17, src: ip("10.9.8.7"), dst: ip("192.0.2.1"), srcPort: 9, dstPort: 53, fragment: true })), "a non-initial fragment of the flow");
  assert.ok(hs.contains(s, packet({ protocol: 17, src: ip("10.9.8.7"), dst: ip("192.0.2.1"), srcPort: 4500, dstPort: 500 })));
  assert.not.ok(hs.contains(s, packet({ protocol: 17, src: ip("11.0.0.1"), dst: ip("192.0.2.1"), dstPort: 500 })));
  assert.is(set("tcp any 1024-65535 any 443"), flows(hs.protocol(6), hs.and(hs.field("srcPort", 1024, 65535), hs.field("dstPort", 443, 443))));
  assert.is(set("TCP ANY any ANY any"), hs.protocol(6));
  assert.is(set("6 any any any any"), hs.protocol(6));
  assert.is(set("ip any any"), hs.all);
  assert.is(set("ip any any any any"), hs.all);
  // udp to port 500 (protocol, port and fragment bit fixed) plus every non-initial udp fragment
  // (any is both families: IPv4 packets over their 135 bits, IPv6 ones over their 327)
  const both = (k: number) => (1n << BigInt(135 - k)) + (1n << BigInt(327 - k));
  assert.is(hs.count(set("udp any any any 500")), both(8 + 16 + 1) + both(8 + 1));
  // host bits of a prefix are ignored, as for IOS wildcards
  assert.is(set("ip 10.1.2.3/24 any"), set("ip 10.1.2.0/24 any"));
});

test("three fields for protocols without ports", () => {
  assert.is(set("icmp any any"), hs.protocol(1));
  assert.is(set("esp 198.51.100.7 any"), hs.and(hs.family(4), hs.and(hs.protocol(50), hs.addrSet("src", [{ addr: ip("198.51.100.7"), wildcard: 0 }]))));
  assert.is(set("  gre   any   203.0.113.0/24  "), hs.and(hs.family(4), hs.and(hs.protocol(47), hs.addrSet("dst", [{ addr: ip("203.0.113.0"), wildcard: 255 }]))));
  assert.is(set("udp any any"), hs.protocol(17));
  assert.is(set("icmp any any any any"), hs.protocol(1), "ports may be written as any");
});

test("IPv6: addresses, prefixes, any4/any6, ipv6 and icmp6; one family per space", () => {
  const a6 = (s: string) => parseIp6(s)!;
  const v6 = (src: string, sp: number, dst: string, dp: number, protocol = 17) => packet({ protocol, src: 0, dst: 0, srcPort: sp, dstPort: dp, v6: { src: a6(src), dst: a6(dst) } });
  const s = set("udp 2001:db8::10 500 2001:db8:1::/48 500");
  assert.ok(hs.subset(s, hs.family(6)), "an IPv6 address makes the space IPv6 only");
  assert.ok(hs.contains(s, v6("2001:db8::10", 500, "2001:db8:1:ffff::9", 500)));
  assert.not.ok(hs.contains(s, v6("2001:db8::11", 500, "2001:db8:1::1", 500)));
  assert.not.ok(hs.contains(s, v6("2001:db8::10", 500, "2001:db8:2::1", 500)));
  assert.is(set("ipv6 any any"), hs.family(6));
  assert.is(set("ip any6 any"), hs.family(6));
  assert.is(set("ip any4 any4"), hs.family(4));
  assert.is(set("ipv6 2001:db8::/32 any"), hs.and(hs.family(6), hs.addrSet6("src6", [{ addr: a6("2001:db8::"), len: 32 }])));
  assert.is(set("icmp6 any6 any6"), hs.and(hs.family(6), hs.protocol(58)));
  assert.is(set("icmpv6 any6 any6"), set("ipv6-icmp any6 any6"));
  assert.is(set("ipv6 2001:db8::1/32 any"), set("ipv6 2001:db8::/32 any"), "host bits of a prefix are ignored");
  assert.is(hs.count(set("ipv6 2001:db8::/32 any")), 1n << BigInt(327 - 32));
  assert.match(error("tcp 10.0.0.1 any 2001:db8::1 80"), /different address families/);
  assert.match(error("ipv6 10.0.0.0/8 any"), /different address families/);
  assert.match(error("tcp 2001:db8::/129 any any 80"), /not a valid IPv6 prefix/);
  assert.match(error("tcp 2001:db8:::1 any any 80"), /not a valid IPv6 address/);
});

test("clear errors", () => {
  assert.match(error(""), /empty header space/);
  assert.match(error("tcpp any any"), /unknown protocol "tcpp"/);
  assert.match(error("256 any any"), /unknown protocol "256"/);
  assert.match(error("tcp any any 80"), /has 4 fields: expected "PROTO SRC SPORT DST DPORT" or "PROTO SRC DST"/);
  assert.match(error("tcp 10.0.0.300 any any 80"), /source address "10.0.0.300"/);
  assert.match(error("tcp any any 10.0.0.0/33 80"), /destination address "10.0.0.0\/33" is not a valid A.B.C.D\/N prefix/);
  assert.match(error("tcp any any any 70000"), /destination port "70000" is out of range/);
  assert.match(error("tcp any 600-500 any any"), /source port range "600-500" is empty/);
  assert.match(error("tcp any eq any 80"), /source port "eq": expected any, N or N-M/);
  assert.match(error("icmp any 1 any 2"), /ports apply only to tcp, udp and sctp, not "icmp"/);
  assert.match(error("ip any any any 80"), /ports apply only to tcp, udp and sctp, not "ip"/);
});

test.run();
