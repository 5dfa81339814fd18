import { readFileSync } from "node:fs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { evaluateAcl } from "../src/acl/evaluate.js";
import { inAddrSet, parseIp } from "../src/model/addr.js";
import { parseIp6 } from "../src/model/addr6.js";
import { packet, type Acl, type Device, type Packet } from "../src/model/types.js";
import { parseAsa } from "../src/parse/asa/index.js";

const ip = (s: string): number => parseIp(s)!;
const parse = (body: string): Device => parseAsa(`ASA Version 9.12(4)\n!\n${body}\n`, "t.cfg");
const acl = (d: Device, name: string): Acl => {
  const a = d.acls.get(name);
  if (!a) throw new Error(`no ACL ${name}`);
  return a;
};
const udp = (src: string, sp: number, dst: string, dp: number): Packet =>
  packet({ protocol: 17, src: ip(src), dst: ip(dst), srcPort: sp, dstPort: dp });
const tcp = (src: string, sp: number, dst: string, dp: number): Packet =>
  packet({ protocol: 6, src: ip(src), dst: ip(dst), srcPort: sp, dstPort: dp });
const verdict = (d: Device, name: string, p: Packet): string => evaluateAcl(acl(d, name), p).action;
const unrecognized = (d: Device) => d.diagnostics.filter((x) => x.kind === "unrecognized-syntax");
/** Line number of the first line containing `s` in a `parse()` body (header is 2 lines). */
const lineOf = (body: string, s: string): number => body.split("\n").findIndex((l) => l.includes(s)) + 3;
const fixture = (name: string): string => readFileSync(new URL(`./fixtures/parse-asa/${name}`, import.meta.url), "utf8");

test("header: vendor, version, hostname, line count", () => {
  const d = parseAsa("ASA Version 9.12(4)\n!\nhostname fw1\n", "x.cfg");
  assert.is(d.vendor, "asa");
  assert.is(d.version, "9.12(4)");
  assert.is(d.hostname, "fw1");
  assert.is(d.file, "x.cfg");
  assert.is(d.lineCount, 4);
  assert.is(parseAsa("PIX Version 6.3(5)\n", "p").version, "6.3(5)");
});

test("interfaces: nameif, security-level, ip address with standby, shutdown, defaults", () => {
  const d = parse(`interface GigabitEthernet0/0
 nameif outside
 security-level 0
 ip address 198.51.100.2 255.255.255.248 standby 198.51.100.3
interface GigabitEthernet0/1
 nameif inside
 ip address 10.0.0.1 255.255.255.0
interface GigabitEthernet0/2
 nameif dmz
 shutdown
interface GigabitEthernet0/3
 no nameif
 no security-level
 no ip address`);
  const [o, i, z, n] = d.interfaces;
  assert.equal(o!.addresses, [{ ip: ip("198.51.100.2"), mask: ip("255.255.255.248") }]);
  assert.is(o!.nameif, "outside");
  assert.is(o!.securityLevel, 0);
  assert.is(i!.securityLevel, 100, "inside defaults to 100");
  assert.is(z!.securityLevel, 0, "other names default to 0");
  assert.is(z!.shutdown, true);
  assert.is(n!.nameif, undefined);
  assert.is(n!.securityLevel, undefined);
  assert.is(unrecognized(d).length, 0);
});

test("access-group in/out/control-plane attach to the interface by nameif; global is the device's global ACL", () => {
  const d = parse(`interface Gi0/0
 nameif outside
 security-level 0
interface Management0/0
 nameif mgmt
 security-level 100
access-list A extended permit ip any any
access-list B extended permit ip any any
access-list C extended permit ip any any
access-list G extended deny ip any any
access-group A in interface outside
access-group B out interface outside
access-group C in interface mgmt control-plane
access-group G global
access-group A in interface nosuch`);
  const out = d.interfaces.find((x) => x.nameif === "outside")!;
  assert.equal(
    out.accessGroups.map((g) => [g.acl, g.direction, g.controlPlane ?? false]),
    [
      ["A", "in", false],
      ["B", "out", false],
    ],
  );
  const mg = d.interfaces.find((x) => x.nameif === "mgmt")!;
  assert.is(mg.accessGroups[0]!.controlPlane, true);
  assert.is(d.interfaces.find((x) => x.name === "global"), undefined, "no pseudo interface");
  assert.equal([d.globalAcl?.acl, d.globalAcl?.direction], ["G", "in"]);
  const refs = d.references.filter((r) => r.context === "access-group").map((r) => `${r.kind}:${r.name}`);
  assert.ok(refs.includes("acl:A") && refs.includes("interface:outside") && refs.includes("interface:nosuch"));
  assert.ok(refs.includes("acl:G"));
});

test("extended ACE with netmasks (not wildcards), host, any/any4 and evaluation", () => {
  const d = parse(`access-list OUT extended permit tcp host 10.1.1.5 10.2.0.0 255.255.0.0 eq https
access-list OUT extended deny udp any4 any eq isakmp
access-list OUT extended permit ip 10.1.1.0 255.255.255.0 any`);
  assert.is(verdict(d, "OUT", tcp("10.1.1.5", 40000, "10.2.3.4", 443)), "permit");
  assert.is(verdict(d, "OUT", tcp("10.1.1.5", 40000, "10.3.3.4", 443)), "permit", "falls to line 3");
  assert.is(verdict(d, "OUT", udp("10.1.1.9", 500, "192.0.2.1", 500)), "deny");
  assert.is(verdict(d, "OUT", udp("10.1.1.9", 500, "192.0.2.1", 4500)), "permit");
  assert.is(verdict(d, "OUT", udp("10.9.1.9", 500, "192.0.2.1", 4500)), "deny", "implicit deny");
  const e = acl(d, "OUT").entries[2]!;
  assert.ok(inAddrSet(e.match.src, ip("10.1.1.255")));
  assert.not.ok(inAddrSet(e.match.src, ip("10.1.2.0")), "255.255.255.0 is a netmask, not a wildcard");
  assert.is(acl(d, "OUT").type, "extended");
});

const tcp6 = (src: string, sp: number, dst: string, dp: number): Packet =>
  packet({ protocol: 6, src: 0, dst: 0, srcPort: sp, dstPort: dp, tcpFlags: 2, v6: { src: parseIp6(src)!, dst: parseIp6(dst)! } });

test("IPv6 in unified ACLs (9.0+): any is both families, any4/any6 one, IPv6 host and prefix, exact", () => {
  const d = parse(`access-list V6 extended permit ip any6 any6
access-list V6 extended permit tcp host 2001:db8::1 2001:db8::/32 eq 22
access-list V6 extended deny ip any4 any
access-list V6 extended permit ip any any`);
  const a = acl(d, "V6");
  assert.is(a.family, "both");
  const [any6, host, any4] = a.entries;
  assert.equal([any6!.match.src, any6!.match.src6], [[], [{ addr: 0n, len: 0 }]]);
  assert.equal(host!.match.dst6, [{ addr: parseIp6("2001:db8::")!, len: 32 }]);
  assert.equal(any4!.match.src6, undefined, "any4 is IPv4 only");
  assert.equal(d.diagnostics, [], "nothing approximate, nothing reported");
  assert.is(evaluateAcl(a, tcp6("2001:db8::9", 1, "2001:db9::1", 22)).index, 0);
  assert.is(evaluateAcl(a, tcp("10.0.0.1", 1, "10.0.0.2", 22)).index, 2);
  assert.is(evaluateAcl(a, tcp6("2001:db9::1", 1, "2001:db8::1", 22)).index, 0, "the any6 line first");
});

test("IPv6 members of objects and groups are modelled; the IPv4 ones stay exact", () => {
  const d = parse(`name 2001:db8::7 WEB6
object network H6
 host 2001:db8::5
object network R6
 range 2001:db8::10 2001:db8::13
object-group network MIXED
 network-object host 10.0.0.1
 network-object 2001:db8:1::/48
 network-object object H6
 network-object host WEB6
access-list G extended permit tcp object-group MIXED any eq 443
access-list G extended permit tcp object R6 any eq 80`);
  const g = acl(d, "G");
  assert.equal(d.diagnostics, []);
  assert.is(verdict(d, "G", tcp("10.0.0.1", 1, "1.1.1.1", 443)), "permit");
  assert.is(verdict(d, "G", tcp6("2001:db8:1:2::3", 1, "2001:db8:ff::1", 443)), "permit");
  assert.is(verdict(d, "G", tcp6("2001:db8::5", 1, "2001:db8:ff::1", 443)), "permit");
  assert.is(verdict(d, "G", tcp6("2001:db8::7", 1, "2001:db8:ff::1", 443)), "permit", "a name of an IPv6 address");
  assert.is(verdict(d, "G", tcp6("2001:db8::6", 1, "2001:db8:ff::1", 443)), "deny");
  assert.equal(g.entries[1]!.match.src6, [{ addr: parseIp6("2001:db8::10")!, len: 126 }], "a range as prefixes");
});

test("ASA before 9.0: any is IPv4; ipv6 access-list lines join the IPv4 ACL of their name", () => {
  const d = parseAsa(`ASA Version 8.4(7)
!
access-list OUT extended permit tcp any any eq 80
ipv6 access-list OUT permit tcp any host 2001:db8::80 eq 443
ipv6 access-list ONLY6 permit icmp6 any any echo
ipv6 access-list ONLY6 deny ip 10.0.0.0 255.0.0.0 any
access-list BAD extended permit ip any6 any
`, "t.cfg");
  const out = acl(d, "OUT");
  assert.is(out.family, "both");
  assert.is(evaluateAcl(out, tcp6("2001:db8::1", 1, "2001:db8::80", 80)).action, "deny", "any is IPv4 before 9.0");
  assert.is(evaluateAcl(out, tcp6("2001:db8::1", 1, "2001:db8::80", 443)).index, 1);
  assert.is(acl(d, "ONLY6").family, "ipv6");
  assert.equal(unrecognized(d).map((x) => x.source.line), [6, 7]);
});

test("global ipv6 commands right after an interface block leave it (ipv6 access-list was taken as an interface line and dropped)", () => {
  const d = parseAsa(`ASA Version 8.4(7)
interface GigabitEthernet0/0
 nameif outside
 ipv6 address 2001:db8:1::1/64
ipv6 access-list IN6 permit udp any host 2001:db8:1::1 eq 500
ipv6 route outside ::/0 2001:db8:1::ff
access-group IN6 in interface outside
interface GigabitEthernet0/1
 nameif inside
 ipv6 enable
 ipv6 nd suppress-ra
`, "t.cfg");
  assert.equal([...d.acls.keys()], ["IN6"]);
  assert.is(acl(d, "IN6").entries.length, 1);
  assert.equal(d.interfaces.map((i) => i.nameif), ["outside", "inside"]);
  assert.equal(d.diagnostics, []);
});

test("PIX 6 syntax: top-level nameif/ip address, access-list without extended, conduit is unmodelled", () => {
  const d = parseAsa(
    `PIX Version 6.3(5)
interface ethernet0 auto
nameif ethernet0 outside security0
nameif ethernet1 inside security100
ip address outside 198.51.100.2 255.255.255.0
access-list 101 permit udp any host 198.51.100.2 eq isakmp
access-group 101 in interface outside
conduit permit icmp any any
`,
    "pix6",
  );
  const out = d.interfaces.find((i) => i.nameif === "outside")!;
  assert.is(out.securityLevel, 0);
  assert.equal(out.addresses, [{ ip: ip("198.51.100.2"), mask: ip("255.255.255.0") }]);
  assert.is(d.interfaces.find((i) => i.nameif === "inside")!.securityLevel, 100);
  assert.is(out.accessGroups[0]!.acl, "101");
  assert.is(verdict(d, "101", udp("1.1.1.1", 500, "198.51.100.2", 500)), "permit");
  assert.ok(d.diagnostics.some((x) => x.kind === "unmodelled" && x.message.includes("conduit")));
});

test("a config pasted with a common indentation is still read; FTD header is noted", () => {
  const d = parseAsa(
    `    NGFW Version 7.0.1
    interface GigabitEthernet0/0
     nameif outside
    access-list A extended permit ip any any
`,
    "indented",
  );
  assert.is(d.interfaces[0]!.nameif, "outside");
  assert.is(d.acls.get("A")!.entries.length, 1);
  assert.is(d.version, undefined);
  assert.ok(d.diagnostics.some((x) => x.message.includes("NGFW Version 7.0.1")));
});

test("ASA port names: separate TCP and UDP tables; IOS-only names are rejected", () => {
  const d = parse(`access-list P extended permit udp any any eq isakmp
access-list P extended permit udp any any eq radius
access-list P extended permit udp any any eq kerberos
access-list P extended permit tcp any any eq rsh
access-list P extended permit tcp any any eq sqlnet
access-list P extended permit udp any any eq non500-isakmp
access-list P extended permit tcp any any eq isakmp
access-list P extended permit tcp any any eq msrpc
access-list P extended permit tcp any any eq cmd
access-list P extended permit ahp any any`);
  const ports = acl(d, "P").entries.map((e) => e.match.services[0]!.dstPorts?.[0]!.lo ?? e.match.services[0]!.protocol);
  // cmd is an ASA TCP name too (514, as rsh): ASA port table, "Port Literal Values"
  assert.equal(ports, [500, 1645, 750, 514, 1521, 514]);
  const msgs = unrecognized(d).map((x) => [x.source.line, x.message]);
  assert.is(msgs.length, 4);
  assert.ok(String(msgs[0]![1]).includes("non500-isakmp") && String(msgs[0]![1]).includes("4500"));
  assert.ok(String(msgs[1]![1]).includes(`"isakmp" is not an ASA TCP port name`));
  assert.ok(String(msgs[2]![1]).includes(`"msrpc"`));
  assert.ok(String(msgs[3]![1]).includes(`ahp`), "IOS protocol spelling");
});

test("port operators eq/neq/lt/gt/range on source and destination", () => {
  const d = parse(`access-list O extended permit udp any eq 500 any eq 500
access-list O extended permit tcp any any neq 23
access-list O extended permit tcp any lt 1024 any gt 1023
access-list O extended permit udp any range 1024 65535 any range 4500 4501`);
  const [a, b, c, e] = acl(d, "O").entries.map((x) => x.match.services[0]!);
  assert.equal(a!.srcPorts, [{ lo: 500, hi: 500 }]);
  assert.equal(b!.dstPorts, [
    { lo: 0, hi: 22 },
    { lo: 24, hi: 65535 },
  ]);
  assert.equal(c!.srcPorts, [{ lo: 0, hi: 1023 }]);
  assert.equal(c!.dstPorts, [{ lo: 1024, hi: 65535 }]);
  assert.equal(e!.srcPorts, [{ lo: 1024, hi: 65535 }]);
  assert.equal(e!.dstPorts, [{ lo: 4500, hi: 4501 }]);
  // a second IPsec client behind PAT leaves with a translated source port: line 1 no longer matches
  assert.is(evaluateAcl(acl(d, "O"), udp("1.1.1.1", 500, "2.2.2.2", 500)).index, 0);
  assert.is(evaluateAcl(acl(d, "O"), udp("1.1.1.1", 1, "2.2.2.2", 500)).action, "deny");
});

test("object network host/subnet/range/fqdn in ACEs, with references", () => {
  const d = parse(`object network H
 host 10.0.0.5
object network S
 subnet 10.1.0.0 255.255.0.0
object network R
 range 10.2.0.10 10.2.0.20
object network F
 fqdn v4 www.example.com
access-list X extended permit ip object H object S
access-list X extended permit ip object R any
access-list X extended permit ip any object F`);
  assert.is(d.objectGroups.get("H")!.kind, "object-network");
  const x = acl(d, "X");
  assert.is(verdict(d, "X", tcp("10.0.0.5", 1, "10.1.200.1", 80)), "permit");
  assert.is(evaluateAcl(x, tcp("10.2.0.20", 1, "8.8.8.8", 80)).index, 1);
  assert.is(evaluateAcl(x, tcp("10.2.0.21", 1, "8.8.8.8", 80)).index, -1);
  assert.equal(d.objectGroups.get("F")!.addrs, []);
  assert.ok(x.entries[2]!.match.approximate?.includes("fqdn"));
  assert.equal(
    x.entries[0]!.refs!.map((r) => `${r.kind}:${r.name}`),
    ["object:H", "object:S"],
  );
  assert.ok(d.diagnostics.some((g) => g.kind === "unmodelled" && g.source.line === 10), "fqdn object line");
});

test("object service in the protocol position", () => {
  const d = parse(`object service IKE
 service udp source eq isakmp destination eq isakmp
object service PING
 service icmp echo
object service WEB
 service tcp-udp destination range 8000 8001
access-list S extended permit object IKE any host 192.0.2.1
access-list S extended permit object PING any any
access-list S extended permit object WEB any any`);
  assert.is(verdict(d, "S", udp("10.0.0.1", 500, "192.0.2.1", 500)), "permit");
  assert.is(verdict(d, "S", udp("10.0.0.1", 1025, "192.0.2.1", 500)), "deny");
  assert.is(verdict(d, "S", packet({ protocol: 1, src: 1, dst: 2, icmpType: 8 })), "permit");
  assert.is(verdict(d, "S", packet({ protocol: 1, src: 1, dst: 2, icmpType: 0 })), "deny");
  assert.is(verdict(d, "S", udp("1.1.1.1", 5, "2.2.2.2", 8001)), "permit");
  assert.is(verdict(d, "S", tcp("1.1.1.1", 5, "2.2.2.2", 8000)), "permit");
  assert.is(d.objectGroups.get("IKE")!.kind, "object-service");
});

test("object-group network: nesting, network-object object, undefined members, names", () => {
  const d = parse(`names
name 192.0.2.10 hq
object network WEB
 host 10.0.0.80
object-group network PEERS
 network-object host hq
 network-object 203.0.113.0 255.255.255.0
object-group network ALL
 network-object object WEB
 group-object PEERS
 group-object MISSING
access-list N extended permit ip object-group ALL any`);
  const g = d.objectGroups.get("ALL")!;
  assert.is(g.kind, "network");
  assert.equal(
    g.members!.map((m) => `${m.kind}:${m.name}`),
    ["object:WEB", "object-group:PEERS", "object-group:MISSING"],
  );
  for (const a of ["10.0.0.80", "192.0.2.10", "203.0.113.77"]) assert.is(verdict(d, "N", tcp(a, 1, "1.1.1.1", 1)), "permit", a);
  assert.is(verdict(d, "N", tcp("10.0.0.81", 1, "1.1.1.1", 1)), "deny");
  assert.ok(d.references.some((r) => r.kind === "object-group" && r.name === "MISSING"));
});

test("object-group cycles are diagnostics, never a hang", () => {
  const d = parse(`object-group network A
 network-object host 10.0.0.1
 group-object B
object-group network B
 network-object host 10.0.0.2
 group-object C
object-group network C
 group-object A
object-group service S1
 group-object S1
access-list L extended permit ip object-group A object-group C`);
  const cyc = d.diagnostics.filter((x) => x.kind === "cycle");
  assert.ok(cyc.length >= 2, JSON.stringify(cyc));
  assert.ok(cyc[0]!.message.includes("A → B → C → A"));
  const a = d.objectGroups.get("A")!.addrs!;
  assert.ok(inAddrSet(a, ip("10.0.0.1")) && inAddrSet(a, ip("10.0.0.2")));
  assert.is(verdict(d, "L", tcp("10.0.0.2", 1, "10.0.0.1", 1)), "permit");
});

test("port-object groups (tcp, udp, tcp-udp) in destination and source port positions", () => {
  const d = parse(`object-group service WEB tcp
 port-object eq www
 port-object range 8080 8081
object-group service DNS tcp-udp
 port-object eq domain
object-group service IKEP udp
 port-object eq isakmp
 port-object eq 4500
access-list G extended permit tcp any any object-group WEB
access-list G extended permit udp any any object-group DNS
access-list G extended permit udp any object-group IKEP any object-group IKEP
access-list G extended permit tcp any object-group UNDEF any`);
  assert.is(verdict(d, "G", tcp("1.1.1.1", 1, "2.2.2.2", 8081)), "permit");
  assert.is(verdict(d, "G", tcp("1.1.1.1", 1, "2.2.2.2", 443)), "deny");
  assert.is(verdict(d, "G", udp("1.1.1.1", 1, "2.2.2.2", 53)), "permit");
  assert.is(evaluateAcl(acl(d, "G"), udp("1.1.1.1", 4500, "2.2.2.2", 500)).index, 2);
  assert.is(evaluateAcl(acl(d, "G"), udp("1.1.1.1", 4501, "2.2.2.2", 500)).index, -1);
  assert.equal(d.objectGroups.get("DNS")!.services, [
    { protocol: 6, dstPorts: [{ lo: 53, hi: 53 }] },
    { protocol: 17, dstPorts: [{ lo: 53, hi: 53 }] },
  ]);
  // an undefined group after the source is a source port group when a destination follows
  const last = acl(d, "G").entries[3]!;
  assert.equal(last.match.services, [{ protocol: 6, srcPorts: [] }]);
  assert.equal(last.match.dst, acl(d, "G").entries[0]!.match.dst);
  assert.is(unrecognized(d).length, 0);
});

test("service object-group (service-object) and protocol object-group in the protocol position", () => {
  const d = parse(`object service NATT
 service udp destination eq 4500
object-group service IPSEC
 service-object udp destination eq isakmp
 service-object object NATT
 service-object esp
 service-object udp eq 1701
object-group protocol TU
 protocol-object tcp
 protocol-object udp
access-list V extended permit object-group IPSEC any any
access-list W extended permit object-group TU any any eq 53`);
  assert.is(verdict(d, "V", udp("1.1.1.1", 1, "2.2.2.2", 4500)), "permit");
  assert.is(verdict(d, "V", udp("1.1.1.1", 1, "2.2.2.2", 1701)), "permit");
  assert.is(verdict(d, "V", packet({ protocol: 50, src: 1, dst: 2 })), "permit");
  assert.is(verdict(d, "V", udp("1.1.1.1", 1, "2.2.2.2", 4501)), "deny");
  assert.is(verdict(d, "W", tcp("1.1.1.1", 1, "2.2.2.2", 53)), "permit");
  assert.is(verdict(d, "W", udp("1.1.1.1", 1, "2.2.2.2", 53)), "permit");
  assert.is(verdict(d, "W", udp("1.1.1.1", 1, "2.2.2.2", 54)), "deny");
});

test("ICMP types, codes and icmp-type object-groups", () => {
  const d = parse(`object-group icmp-type PING
 icmp-object echo
 icmp-object echo-reply
access-list I extended permit icmp any any unreachable 4
access-list I extended permit icmp any any time-exceeded
access-list I extended permit icmp any any object-group PING`);
  const icmp = (t: number, c = 0) => packet({ protocol: 1, src: 1, dst: 2, icmpType: t, icmpCode: c });
  assert.is(evaluateAcl(acl(d, "I"), icmp(3, 4)).index, 0);
  assert.is(evaluateAcl(acl(d, "I"), icmp(3, 1)).index, -1);
  assert.is(evaluateAcl(acl(d, "I"), icmp(11)).index, 1);
  assert.is(evaluateAcl(acl(d, "I"), icmp(0)).index, 2);
  assert.is(evaluateAcl(acl(d, "I"), icmp(8)).index, 2);
  assert.is(evaluateAcl(acl(d, "I"), icmp(13)).index, -1);
});

test("interface IF in an ACE is the interface address", () => {
  const d = parse(`interface Gi0/0
 nameif outside
 security-level 0
 ip address 198.51.100.2 255.255.255.0
access-list T extended permit udp any interface outside eq isakmp
access-list T extended permit udp any interface nosuch eq 4500`);
  assert.is(verdict(d, "T", udp("1.1.1.1", 500, "198.51.100.2", 500)), "permit");
  assert.is(verdict(d, "T", udp("1.1.1.1", 500, "198.51.100.3", 500)), "deny");
  assert.ok(acl(d, "T").entries[0]!.refs!.some((r) => r.kind === "interface" && r.name === "outside"));
  assert.ok(acl(d, "T").entries[1]!.match.approximate);
});

test("log, time-range and inactive options; inactive lines never match", () => {
  const d = parse(`time-range WORK
 periodic weekdays 8:00 to 18:00
access-list L extended permit tcp any any eq 22 inactive
access-list L extended permit tcp any any eq www log informational interval 300 time-range WORK
access-list L extended deny ip any any log disable
access-list L extended deny ip any any log 7`);
  const [a, b, c] = acl(d, "L").entries;
  assert.is(a!.inactive, true);
  assert.is(b!.log, true);
  assert.is(b!.timeRange, "WORK");
  assert.is(c!.log, false);
  assert.ok(d.timeRanges.has("WORK"));
  assert.ok(d.references.some((r) => r.kind === "time-range" && r.name === "WORK"));
  assert.is(evaluateAcl(acl(d, "L"), tcp("1.1.1.1", 1, "2.2.2.2", 22)).index, 2);
  assert.is(unrecognized(d).length, 0);
});

test("access-list line N inserts at position N (remarks count), remarks kept, seq recorded", () => {
  const d = parse(`access-list R remark first
access-list R extended permit tcp any any eq 1
access-list R extended permit tcp any any eq 2
access-list R line 2 extended permit tcp any any eq 3
access-list R line 1 extended deny tcp any any eq 2
access-list R line 99 extended permit tcp any any eq 4`);
  const r = acl(d, "R");
  assert.equal(
    r.entries.map((e) => e.match.services[0]!.dstPorts![0]!.lo),
    [2, 3, 1, 2, 4],
  );
  assert.is(r.entries[0]!.seq, 1);
  assert.is(r.entries[0]!.action, "deny");
  assert.is(r.remarks.length, 1);
  assert.is(r.remarks[0]!.line, 3);
  assert.is(r.source.line, 3);
});

test("standard ACLs match destination addresses", () => {
  const d = parse(`access-list SPLIT standard permit 10.10.0.0 255.255.255.0
access-list SPLIT standard permit host 10.20.0.1
access-list SPLIT standard deny any4`);
  const s = acl(d, "SPLIT");
  assert.is(s.type, "standard");
  assert.is(evaluateAcl(s, tcp("8.8.8.8", 1, "10.10.0.9", 1)).index, 0);
  assert.is(evaluateAcl(s, tcp("10.10.0.9", 1, "8.8.8.8", 1)).index, 2);
  assert.is(evaluateAcl(s, tcp("1.1.1.1", 1, "10.20.0.1", 1)).index, 1);
});

test("webtype and ethertype ACLs are noted, not analysed (once per ACL)", () => {
  const d = parse(`access-list WEB webtype permit url http://intranet/*
access-list WEB webtype deny url any
access-list ETH ethertype permit bpdu`);
  assert.is(d.acls.size, 0);
  const u = d.diagnostics.filter((x) => x.kind === "note");
  assert.equal(
    u.map((x) => x.source.line),
    [3, 5],
  );
  assert.ok(d.otherMentions.has("WEB"));
});

test("unparseable lines become unrecognized-syntax diagnostics and the rest is analysed", () => {
  const d = parse(`access-list A extended permit tcp any any eq bogusport
access-list A extended permit frobnicate any any
access-list A extended permit tcp 10.0.0.0 any
access-list A extended permit tcp any any eq 80 trailing-junk
access-list A extended permit tcp any any eq 443
access-list
access-list A
access-list A wibble permit ip any any
access-group A sideways interface x
object network O
 hots 1.1.1.1
object-group network G
 network-object 1.1.1.1
object-group service P tcp
 port-object eq 99999
nat (inside,outside) source frozen O O
nat (inside,outside) dynamic interface
global (outside) x interface
static (inside) 1.1.1.1 2.2.2.2`);
  assert.is(acl(d, "A").entries.length, 1);
  assert.is(verdict(d, "A", tcp("1.1.1.1", 1, "2.2.2.2", 443)), "permit");
  const u = unrecognized(d);
  assert.equal(
    u.map((x) => x.source.line),
    [3, 4, 5, 6, 8, 9, 10, 11, 13, 15, 17, 18, 19, 20, 21],
  );
  const byLine = new Map(u.map((x) => [x.source.line, x.message]));
  assert.ok(byLine.get(3)!.includes(`"bogusport" is not an ASA TCP port name`));
  assert.ok(byLine.get(4)!.includes(`unknown protocol "frobnicate"`));
  assert.ok(byLine.get(5)!.includes("netmask"));
  assert.ok(byLine.get(6)!.includes(`unexpected "trailing-junk"`));
  assert.ok(byLine.get(15)!.includes("netmask"));
  assert.ok(byLine.get(17)!.includes("out of range"));
});

test("no input throws (truncated, shuffled and mangled lines of a real config)", () => {
  const base = fixture("branch-9.12.cfg").split("\n");
  let seed = 12345;
  const rnd = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const junk = ["(", ")", "object", "object-group", "eq", "range", "host", "line", "0", "999999", "", "any6", "nat", "interface", "source", "#", "é", "\u0000"];
  for (let round = 0; round < 300; round++) {
    const lines = base.map((l) => {
      const t = l.split(" ");
      switch (rnd(4)) {
        case 0:
          return t.slice(0, rnd(t.length + 1)).join(" ");
        case 1:
          t.splice(rnd(t.length + 1), 0, junk[rnd(junk.length)]!);
          return t.join(" ");
        case 2:
          return t.reverse().join(" ");
        default:
          return l;
      }
    });
    if (round % 3 === 0) lines.sort(() => rnd(3) - 1);
    parseAsa(lines.join("\n"), "fuzz.cfg");
  }
  parseAsa("", "empty");
  parseAsa("\u0000\u0001\n\t\n  nat\n!", "binary");
});

test("names aliases resolve in place of addresses", () => {
  const d = parse(`names
name 192.0.2.10 hq-vpn description head-end
name 10.0.0.0 lan
access-list N extended permit udp lan 255.0.0.0 host hq-vpn eq isakmp`);
  assert.is(verdict(d, "N", udp("10.9.9.9", 500, "192.0.2.10", 500)), "permit");
  assert.is(unrecognized(d).length, 0);
});

test("names used by unmodelled features go into otherMentions; ACL lines do not", () => {
  const d = parseAsa(fixture("branch-9.12.cfg"), "branch-9.12.cfg");
  for (const n of ["VPN-TRAFFIC", "SPLIT", "CAP-ACL", "outside_map", "global_policy"]) assert.ok(d.otherMentions.has(n), n);
  assert.not.ok(d.otherMentions.has("INSIDE-IN"));
  assert.not.ok(d.otherMentions.has("OUTSIDE-IN"));
});

// ------------------------------------------------------------------------------------------ NAT

const natBase = `interface Gi0/0
 nameif outside
 security-level 0
 ip address 198.51.100.2 255.255.255.0
interface Gi0/1
 nameif inside
 security-level 100
 ip address 10.0.0.1 255.255.255.0
object network LAN
 subnet 10.0.0.0 255.255.255.0
object network POOL
 range 198.51.100.10 198.51.100.20
object network PATIP
 host 198.51.100.9
`;

test("object NAT dynamic: interface = PAT, host = PAT, range = dynamic NAT, pat-pool with options", () => {
  const d = parse(`${natBase}object network A
 subnet 10.1.0.0 255.255.0.0
 nat (inside,outside) dynamic interface
object network B
 subnet 10.2.0.0 255.255.0.0
 nat (inside,outside) dynamic PATIP
object network C
 subnet 10.3.0.0 255.255.0.0
 nat (inside,outside) dynamic POOL interface
object network D
 subnet 10.4.0.0 255.255.0.0
 nat (inside,outside) dynamic pat-pool POOL round-robin extended flat include-reserve
object network E
 subnet 10.5.0.0 255.255.0.0
 nat (any,outside) dynamic pat-pool POOL block-allocation
object network F
 subnet 10.6.0.0 255.255.0.0
 nat (inside,outside) dynamic 198.51.100.30`);
  const byReal = (n: string) => d.natRules.find((r) => r.match.realAddrs!.some((w) => w.addr === ip(n)))!;
  const a = byReal("10.1.0.0");
  assert.is(a.type, "dynamic");
  assert.is(a.pat, true);
  assert.equal(a.mapped, { kind: "interface", iface: "outside" });
  assert.is(a.realIf, "inside");
  assert.is(a.mappedIf, "outside");
  assert.is(a.section, "auto");
  const b = byReal("10.2.0.0");
  assert.is(b.pat, true);
  assert.equal(b.mapped, { kind: "addresses", ranges: [{ start: ip("198.51.100.9"), end: ip("198.51.100.9") }] });
  const c = byReal("10.3.0.0");
  assert.is(c.pat, false, "a range object is dynamic NAT");
  assert.ok(d.diagnostics.some((x) => x.kind === "unmodelled" && x.message.includes("falls back to PAT")));
  const dd = byReal("10.4.0.0");
  assert.is(dd.pat, true);
  assert.equal(dd.mapped, { kind: "addresses", ranges: [{ start: ip("198.51.100.10"), end: ip("198.51.100.20") }], patPool: true });
  assert.equal(dd.patOptions, { roundRobin: true, extended: true, flat: true, includeReserve: true });
  const e = byReal("10.5.0.0");
  assert.equal(e.patOptions, { blockAllocation: true });
  assert.is(e.realIf, "any");
  assert.ok(
    d.references.some((r) => r.kind === "object" && r.name === "A" && r.context === "object network A nat"),
    "object NAT marks its own object as used",
  );
  const f = byReal("10.6.0.0");
  assert.is(f.pat, true);
  assert.equal(f.mapped, { kind: "addresses", ranges: [{ start: ip("198.51.100.30"), end: ip("198.51.100.30") }] });
  assert.is(unrecognized(d).length, 0);
});

test("object NAT static: inline address keeps the real mask, service port forwarding, interface", () => {
  const body = `${natBase}object network WEB
 host 10.0.0.80
 nat (inside,outside) static 198.51.100.80 service tcp www 8080
object network NET29
 subnet 10.0.9.0 255.255.255.248
 nat (inside,outside) static 192.168.9.0
object network SSH
 host 10.0.0.22
 nat (inside,outside) static interface service tcp ssh 2222`;
  const d = parse(body);
  const web = d.natRules.find((r) => r.source.line === lineOf(body, "service tcp www"))!;
  assert.is(web.type, "static");
  assert.equal(web.match.protocol, 6);
  assert.equal(web.match.realPort, 80);
  assert.equal(web.mappedPort, 8080);
  const n29 = d.natRules.find((r) => r.source.line === lineOf(body, "static 192.168.9.0"))!;
  assert.equal(n29.mapped, { kind: "addresses", ranges: [{ start: ip("192.168.9.0"), end: ip("192.168.9.7") }] });
  const ssh = d.natRules.find((r) => r.source.line === lineOf(body, "tcp ssh 2222"))!;
  assert.equal(ssh.mapped, { kind: "interface", iface: "outside" });
  assert.is(ssh.mappedPort, 2222);
});

test("object NAT order: static before dynamic; fewer real addresses, then lower address, then name", () => {
  const body = `object network Z-HOST
 host 10.0.0.5
object network A-HOST
 host 10.0.0.5
object network LOWER
 host 10.0.0.1
object network NET
 subnet 10.0.0.0 255.255.255.0
object network DYN-HOST
 host 10.0.0.9
object network NET
 nat (inside,outside) static 192.168.0.0
object network Z-HOST
 nat (inside,outside) static 192.168.1.5
object network DYN-HOST
 nat (inside,outside) dynamic interface
object network A-HOST
 nat (inside,outside) static 192.168.1.6
object network LOWER
 nat (inside,outside) static 192.168.1.1`;
  const d = parse(body);
  const order = d.natRules.map((r) => r.source.line);
  // LOWER (1 addr, 10.0.0.1), A-HOST and Z-HOST (1 addr, 10.0.0.5, by name), NET (256), then dynamic
  const at = (s: string) => lineOf(body, s);
  assert.equal(order, [at("192.168.1.1"), at("192.168.1.6"), at("192.168.1.5"), at("192.168.0.0"), at("dynamic interface")]);
  assert.ok(d.natRules.every((r) => r.section === "auto"));
});

test("twice NAT: section 1 in config order with line N, after-auto in section 3, inactive left out", () => {
  const body = `${natBase}object network HQ
 subnet 10.50.0.0 255.255.0.0
object network SVC-REAL
 service tcp destination eq 80
object network SVC-MAP
 service tcp destination eq 8080
object service SVC80
 service tcp destination eq 80
object service SVC8080
 service tcp destination eq 8080
nat (inside,outside) source static LAN LAN destination static HQ HQ no-proxy-arp route-lookup
nat (inside,outside) source dynamic any interface
nat (inside,outside) 1 source dynamic LAN pat-pool POOL flat
nat (inside,outside) after-auto source dynamic any PATIP
nat (inside,outside) after-auto 1 source static LAN LAN inactive
nat (inside,outside) line 2 source static LAN PATIP service SVC80 SVC8080 description port forward
nat source dynamic LAN interface`;
  const d = parse(body);
  const at = (s: string) => lineOf(body, s);
  const rules = d.natRules;
  assert.equal(
    rules.map((r) => [r.source.line, r.section]),
    [
      [at("pat-pool POOL flat"), "manual"],
      [at("line 2 source"), "manual"],
      [at("destination static HQ"), "manual"],
      [at("source dynamic any interface"), "manual"],
      [at("nat source dynamic LAN interface"), "manual"],
      [at("after-auto source dynamic any PATIP"), "after-auto"],
    ],
  );
  const ident = rules.find((r) => r.source.line === at("destination static HQ"))!;
  assert.is(ident.type, "static");
  assert.ok(inAddrSet(ident.match.dstAddrs!, ip("10.50.1.1")));
  assert.not.ok(inAddrSet(ident.match.dstAddrs!, ip("10.51.1.1")));
  const pool = rules[0]!;
  assert.is(pool.pat, true);
  assert.equal(pool.patOptions, { flat: true });
  const svc = rules.find((r) => r.source.line === at("line 2 source"))!;
  assert.equal([svc.match.protocol, svc.match.realPort, svc.mappedPort], [6, 80, 8080]);
  const last = rules.find((r) => r.source.line === at("nat source dynamic LAN interface"))!;
  assert.is(last.realIf, "any");
  assert.equal(last.mapped, { kind: "interface", iface: "any" });
  // `object network X / service …` is not valid: reported, not thrown
  assert.is(unrecognized(d).length, 2);
});

test("pre-8.3 NAT: nat/global pairs, exemption, identity, static, ordering", () => {
  const d = parseAsa(fixture("pix-8.0.cfg"), "pix-8.0.cfg");
  assert.is(d.version, "8.0(4)");
  const r = d.natRules;
  assert.equal(
    r.map((x) => [x.source.line, x.section]),
    [
      [31, "manual"],
      [35, "manual"],
      [36, "manual"],
      [32, "manual"],
      [34, "auto"],
      [34, "auto"],
      [33, "auto"],
      [33, "auto"],
    ],
  );
  const exempt = r[0]!;
  assert.is(exempt.match.acl, "NONAT");
  assert.equal(exempt.mapped, { kind: "addresses", ranges: [{ start: ip("10.1.1.0"), end: ip("10.1.1.255") }] });
  const mail = r[1]!;
  assert.ok(inAddrSet(mail.match.realAddrs!, ip("10.1.1.10")), "names resolve in static");
  assert.equal(mail.mapped, { kind: "addresses", ranges: [{ start: ip("203.0.113.25"), end: ip("203.0.113.25") }] });
  const pf = r[2]!;
  assert.equal([pf.match.protocol, pf.match.realPort, pf.mappedPort], [6, 443, 8443]);
  assert.equal(pf.mapped, { kind: "interface", iface: "outside" });
  const policy = r[3]!;
  assert.is(policy.match.acl, "POLICY-NAT");
  assert.is(policy.pat, false, "global range = dynamic NAT");
  const pat = r[4]!;
  assert.is(pat.pat, true);
  assert.equal(pat.mapped, { kind: "interface", iface: "outside" });
  assert.is(r[5]!.mappedIf, "dmz");
  assert.is(unrecognized(d).length, 0);
  assert.ok(d.references.some((x) => x.kind === "acl" && x.name === "NONAT"));
});

test("full 9.12 fixture parses cleanly into the expected model", () => {
  const d = parseAsa(fixture("branch-9.12.cfg"), "branch-9.12.cfg");
  assert.is(unrecognized(d).length, 0, JSON.stringify(unrecognized(d)));
  assert.is(d.hostname, "branch-fw");
  assert.is(d.interfaces.filter((i) => i.nameif).length, 4);
  assert.is(d.globalAcl?.acl !== undefined, true);
  assert.equal(
    d.natRules.map((r) => [r.section, r.type, r.pat]),
    [
      ["manual", "static", false],
      ["auto", "static", false],
      ["auto", "dynamic", true],
      ["after-auto", "dynamic", true],
    ],
  );
  // a PAT'd IPsec client whose IKE source port was translated is dropped by INSIDE-IN line 1 (it
  // falls through to the ESP/4500 lines, then to the final deny) — ASA ACLs see real ports, but a
  // downstream copy of this ACL would not
  const inside = acl(d, "INSIDE-IN");
  assert.is(inside.remarks[0]!.text, "access-list INSIDE-IN line 1 remark allow IKE first");
  assert.is(evaluateAcl(inside, udp("10.10.0.7", 500, "192.0.2.10", 500)).index, 0);
  assert.is(evaluateAcl(inside, udp("10.10.0.7", 1024, "192.0.2.10", 500)).action, "deny");
  const out = acl(d, "OUTSIDE-IN");
  assert.is(evaluateAcl(out, udp("203.0.113.20", 4500, "198.51.100.2", 4500)).action, "permit");
  assert.is(evaluateAcl(out, packet({ protocol: 50, src: ip("192.0.2.10"), dst: ip("198.51.100.2") })).action, "permit");
});

test("show access-list output: counters and hashes are ignored, header lines skipped", () => {
  const d = parse(`access-list X; 2 elements; name hash: 0xcb4257a3
access-list X line 1 extended permit udp any4 host 10.0.0.1 eq isakmp (hitcnt=5) 0x20db5032
  access-list X line 1 extended permit udp any4 host 10.0.0.1 eq isakmp (hitcnt=5) 0x20db5032
access-list X line 2 extended deny ip any any (hitcnt=0) 0xfe42d16f`);
  assert.is(acl(d, "X").entries.length, 2);
  assert.is(unrecognized(d).length, 0);
});

test("pre-8.3 outside NAT is reported as not modelled, not accepted silently", () => {
  const d = parseAsa("PIX Version 7.2(4)\nnat (outside) 1 10.9.0.0 255.255.0.0 outside\nglobal (inside) 1 interface\n", "pix.cfg");
  assert.equal(d.diagnostics.map((x) => [x.source.line, x.kind]), [[2, "unmodelled"]]);
  assert.match(d.diagnostics[0]!.message, /outside/);
});

test.run();
