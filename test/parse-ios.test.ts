import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { parseIp, rangeToWildcards } from "../src/model/addr.js";
import { packet, TCP, type Acl, type Device, type Packet } from "../src/model/types.js";
import { evaluateAcl } from "../src/acl/evaluate.js";
import { parseIos } from "../src/parse/ios/index.js";
import { decodeConfig } from "../src/io/decode.js";

const ip = (s: string): number => {
  const v = parseIp(s);
  if (v === undefined) throw new Error(`bad ip ${s}`);
  return v;
};
const parse = (text: string): Device => parseIos(text, "t.cfg");
const acl = (d: Device, name: string): Acl => {
  const a = d.acls.get(name);
  if (!a) throw new Error(`no ACL ${name}`);
  return a;
};
const unrec = (d: Device) => d.diagnostics.filter((x) => x.kind === "unrecognized-syntax");
const udp = (src: string, sport: number, dst: string, dport: number, extra: Partial<Packet> = {}): Packet =>
  packet({ protocol: 17, src: ip(src), dst: ip(dst), srcPort: sport, dstPort: dport, ...extra });
const tcp = (src: string, sport: number, dst: string, dport: number, flags = 0): Packet =>
  packet({ protocol: 6, src: ip(src), dst: ip(dst), srcPort: sport, dstPort: dport, tcpFlags: flags });
const verdict = (a: Acl, p: Packet): string => {
  const v = evaluateAcl(a, p);
  return v.ace ? `${v.action}@${v.ace.source.line}` : "implicit-deny";
};

// ---------------------------------------------------------------- numbered ACLs

test("numbered standard ACLs accumulate, omitted wildcard = host, ranges 1-99 and 1300-1999", () => {
  const d = parse(
    ["access-list 10 permit 10.1.1.1", "access-list 10 permit 10.2.0.0 0.0.255.255", "access-list 10 deny any log", "access-list 1300 permit host 1.2.3.4"].join("\n"),
  );
  const a = acl(d, "10");
  assert.is(a.type, "standard");
  assert.is(a.entries.length, 3);
  assert.equal(a.entries[0]!.match.src, [{ addr: ip("10.1.1.1"), wildcard: 0 }]);
  assert.equal(a.entries[1]!.match.src, [{ addr: ip("10.2.0.0"), wildcard: ip("0.0.255.255") }]);
  assert.equal(a.entries.map((e) => e.seq), [10, 20, 30]);
  assert.is(a.entries[2]!.log, true);
  assert.is(a.entries[2]!.action, "deny");
  assert.is(a.source.line, 1);
  assert.equal(a.entries[1]!.source, { file: "t.cfg", line: 2, text: "access-list 10 permit 10.2.0.0 0.0.255.255" });
  assert.is(acl(d, "1300").type, "standard");
  assert.equal(unrec(d), []);
});

test("numbered extended ACLs 100-199 and 2000-2699; other numbers are noted, not analysed", () => {
  const d = parse(["access-list 101 permit tcp any any eq 22", "access-list 2000 deny ip any any", "access-list 700 permit 0000.1111.2222 0000.0000.0000"].join("\n"));
  assert.is(acl(d, "101").type, "extended");
  assert.is(acl(d, "2000").type, "extended");
  assert.not.ok(d.acls.has("700"));
  assert.equal(d.diagnostics.map((x) => [x.kind, x.source.line]), [["note", 3]]);
});

test("remark lines are recorded, not entries", () => {
  const d = parse("access-list 101 remark allow ssh\naccess-list 101 permit tcp any any eq 22\nip access-list extended X\n remark hello\n permit ip any any");
  assert.is(acl(d, "101").remarks.length, 1);
  assert.is(acl(d, "101").entries.length, 1);
  assert.equal(acl(d, "X").remarks.map((r) => r.line), [4]);
});

test("ASA-style access-list NAME extended is diagnosed", () => {
  const d = parse("access-list OUT extended permit ip any any");
  assert.is(unrec(d).length, 1);
  assert.match(unrec(d)[0]!.message, /ASA syntax/);
});

// ---------------------------------------------------------------- named ACLs, sequence numbers

test("named ACL: sequence numbers sort entries, defaults continue from the highest", () => {
  const d = parse(["ip access-list extended E", " 30 permit ip any host 3.3.3.3", " 10 permit ip any host 1.1.1.1", " permit ip any host 4.4.4.4", " 20 permit ip any host 2.2.2.2"].join("\n"));
  const a = acl(d, "E");
  assert.equal(a.entries.map((e) => e.seq), [10, 20, 30, 40]);
  assert.equal(a.entries.map((e) => e.source.line), [3, 5, 2, 4]);
});

test("named ACL without sequence numbers gets 10, 20, 30", () => {
  const d = parse("ip access-list standard S\n permit 1.1.1.1\n deny 2.2.2.0 0.0.0.255\n permit any");
  assert.equal(acl(d, "S").entries.map((e) => e.seq), [10, 20, 30]);
  assert.is(acl(d, "S").type, "standard");
});

test("duplicate sequence number: first entry kept, diagnostic on the second", () => {
  const d = parse("ip access-list extended E\n 10 permit ip any any\n 10 deny ip any any");
  assert.is(acl(d, "E").entries.length, 1);
  assert.is(acl(d, "E").entries[0]!.action, "permit");
  const u = unrec(d);
  assert.is(u.length, 1);
  assert.is(u[0]!.source.line, 3);
  assert.match(u[0]!.message, /duplicate sequence number 10/);
});

test("no SEQ / no permit … delete entries; resequence renumbers", () => {
  const d = parse(
    [
      "ip access-list extended E",
      " 10 permit ip any host 1.1.1.1",
      " 20 permit ip any host 2.2.2.2",
      " 30 permit ip any host 3.3.3.3",
      " no 20",
      " no permit ip any host 3.3.3.3",
      " no 99",
      "ip access-list resequence E 100 5",
      "ip access-list extended E",
      " permit ip any any",
    ].join("\n"),
  );
  const a = acl(d, "E");
  assert.equal(a.entries.map((e) => [e.seq, e.source.line]), [
    [100, 2],
    [110, 10],
  ]);
  assert.equal(unrec(d).map((x) => x.source.line), [7]);
});

test("standard and extended of the same name conflict", () => {
  const d = parse("ip access-list standard A\n permit any\nip access-list extended A\n permit ip any any");
  assert.is(acl(d, "A").entries.length, 1);
  assert.is(unrec(d)[0]!.source.line, 3);
});

// ---------------------------------------------------------------- protocols and addresses

test("protocols by name or number; unknown protocol is diagnosed", () => {
  const d = parse(["ip access-list extended P", " permit 50 any any", " permit ahp any any", " permit gre any any", " permit ospf any any", " permit frob any any"].join("\n"));
  assert.equal(acl(d, "P").entries.map((e) => e.match.services[0]!.protocol), [50, 51, 47, 89]);
  assert.equal(unrec(d).map((x) => [x.source.line, x.message]), [[6, 'unknown protocol "frob"']]);
});

test("extended addresses: any, host, wildcard, non-contiguous wildcard semantics", () => {
  const d = parse("ip access-list extended W\n permit ip 10.0.0.0 0.255.0.255 host 192.0.2.1\n deny ip any any");
  const a = acl(d, "W");
  assert.equal(a.entries[0]!.match.src, [{ addr: ip("10.0.0.0"), wildcard: ip("0.255.0.255") }]);
  assert.equal(a.entries[0]!.match.dst, [{ addr: ip("192.0.2.1"), wildcard: 0 }]);
  const p = (s: string) => packet({ protocol: 6, src: ip(s), dst: ip("192.0.2.1") });
  assert.is(verdict(a, p("10.77.0.9")), "permit@2");
  assert.is(verdict(a, p("10.0.0.0")), "permit@2");
  assert.is(verdict(a, p("10.0.1.9")), "deny@3"); // third octet must be 0
  assert.is(verdict(a, p("11.0.0.9")), "deny@3");
});

test("address with host bits set is masked by the wildcard", () => {
  const d = parse("access-list 5 permit 10.1.1.77 0.0.0.255");
  assert.equal(acl(d, "5").entries[0]!.match.src, [{ addr: ip("10.1.1.0"), wildcard: 255 }]);
});

test("missing wildcard is reported precisely and the file goes on", () => {
  const d = parse("ip access-list extended E\n permit ip 10.0.0.0 any\n permit ip any any\nhostname after");
  assert.equal(unrec(d).map((x) => [x.source.line, x.message]), [[2, 'expected wildcard after 10.0.0.0, got "any"']]);
  assert.is(acl(d, "E").entries.length, 1);
  assert.is(d.hostname, "after");
});

// ---------------------------------------------------------------- ports

test("eq with several named UDP ports matches exactly 500 and 4500", () => {
  const d = parse("ip access-list extended IKE\n permit udp any any eq isakmp non500-isakmp\n deny ip any any");
  const a = acl(d, "IKE");
  assert.equal(a.entries[0]!.match.services, [{ protocol: 17, dstPorts: [{ lo: 500, hi: 500 }, { lo: 4500, hi: 4500 }] }]);
  assert.is(verdict(a, udp("1.1.1.1", 1, "2.2.2.2", 500)), "permit@2");
  assert.is(verdict(a, udp("1.1.1.1", 1, "2.2.2.2", 4500)), "permit@2");
  for (const port of [499, 501, 4499, 4501, 1]) assert.is(verdict(a, udp("1.1.1.1", 1, "2.2.2.2", port)), "deny@3");
  assert.is(verdict(a, tcp("1.1.1.1", 1, "2.2.2.2", 500)), "deny@3");
});

test("neq with several ports; lt and gt are strict; range is inclusive; source ports", () => {
  const d = parse(
    [
      "ip access-list extended P",
      " permit udp any eq 500 any neq 500 4500",
      " permit tcp any lt 1024 any gt 1023",
      " permit tcp any range 10 20 any range ftp-data ftp",
    ].join("\n"),
  );
  const [neq, ltgt, range] = acl(d, "P").entries;
  assert.equal(neq!.match.services[0]!.srcPorts, [{ lo: 500, hi: 500 }]);
  assert.equal(neq!.match.services[0]!.dstPorts, [
    { lo: 0, hi: 499 },
    { lo: 501, hi: 4499 },
    { lo: 4501, hi: 65535 },
  ]);
  assert.equal(ltgt!.match.services[0]!.srcPorts, [{ lo: 0, hi: 1023 }]);
  assert.equal(ltgt!.match.services[0]!.dstPorts, [{ lo: 1024, hi: 65535 }]);
  assert.equal(range!.match.services[0]!.dstPorts, [{ lo: 20, hi: 21 }]);
  const a = acl(d, "P");
  assert.is(verdict(a, udp("1.1.1.1", 500, "2.2.2.2", 501)), "permit@2");
  assert.is(verdict(a, udp("1.1.1.1", 500, "2.2.2.2", 4500)), "implicit-deny");
  assert.is(verdict(a, udp("1.1.1.1", 501, "2.2.2.2", 501)), "implicit-deny");
  assert.is(verdict(a, tcp("1.1.1.1", 1023, "2.2.2.2", 1024)), "permit@3");
  assert.is(verdict(a, tcp("1.1.1.1", 1024, "2.2.2.2", 1024)), "implicit-deny");
  assert.is(verdict(a, tcp("1.1.1.1", 5, "2.2.2.2", 1023)), "implicit-deny");
  assert.is(verdict(a, tcp("1.1.1.1", 10, "2.2.2.2", 21)), "permit@4");
});

test("IOS port names: TCP names for tcp, UDP names for udp, cmd/syslog 514, onep-plain 15001", () => {
  const d = parse(
    [
      "ip access-list extended N",
      " permit tcp any any eq cmd syslog",
      " permit udp any any eq syslog",
      " permit tcp any any eq onep-plain onep-tls",
      " permit tcp any any eq www bgp domain",
      " permit udp any any eq bootps tftp snmp ntp",
    ].join("\n"),
  );
  const ports = acl(d, "N").entries.map((e) => e.match.services[0]!.dstPorts);
  assert.equal(ports[0], [{ lo: 514, hi: 514 }]);
  assert.equal(ports[1], [{ lo: 514, hi: 514 }]);
  assert.equal(ports[2], [{ lo: 15001, hi: 15002 }]);
  assert.equal(ports[3], [{ lo: 53, hi: 53 }, { lo: 80, hi: 80 }, { lo: 179, hi: 179 }]);
  assert.equal(ports[4], [{ lo: 67, hi: 67 }, { lo: 69, hi: 69 }, { lo: 123, hi: 123 }, { lo: 161, hi: 161 }]);
  assert.equal(unrec(d), []);
});

test("a port name of the other protocol, or an unknown one, is diagnosed", () => {
  const d = parse(["ip access-list extended N", " permit tcp any any eq isakmp", " permit udp any any eq www", " permit udp any any eq foo", " permit tcp any any eq 70000", " permit ip any any"].join("\n"));
  assert.equal(unrec(d).map((x) => [x.source.line, x.message]), [
    [2, 'port name "isakmp" is a UDP port name, not valid for tcp'],
    [3, 'port name "www" is a TCP port name, not valid for udp'],
    [4, 'unknown port name "foo" for udp'],
    [5, "port 70000 out of range 0-65535"],
  ]);
  assert.is(acl(d, "N").entries.length, 1);
});

test("a port without operator and an unknown ICMP name get precise messages", () => {
  const d = parse("ip access-list extended N\n permit udp any any isakmp\n permit icmp any any echoo\n permit tcp any any eq 22 lgo");
  assert.equal(unrec(d).map((x) => x.message), [
    'unexpected "isakmp" after "any" (a port needs an operator: eq, neq, lt, gt or range)',
    'unknown ICMP message name "echoo"',
    'unexpected "lgo" after "22"',
  ]);
});

test("port operator on a protocol without ports is diagnosed", () => {
  const d = parse("ip access-list extended N\n permit ip any any eq 80");
  assert.match(unrec(d)[0]!.message, /only valid for tcp, udp or sctp/);
});

// ---------------------------------------------------------------- TCP flags, ICMP, options

test("established matches ACK or RST only", () => {
  const d = parse("ip access-list extended IN\n permit tcp any any established");
  const a = acl(d, "IN");
  assert.is(a.entries[0]!.match.services[0]!.established, true);
  assert.is(verdict(a, tcp("1.1.1.1", 80, "2.2.2.2", 3000, TCP.SYN)), "implicit-deny");
  assert.is(verdict(a, tcp("1.1.1.1", 80, "2.2.2.2", 3000, TCP.SYN | TCP.ACK)), "permit@2");
  assert.is(verdict(a, tcp("1.1.1.1", 80, "2.2.2.2", 3000, TCP.RST)), "permit@2");
});

test("TCP flag keywords and match-any / match-all", () => {
  const d = parse(["ip access-list extended F", " permit tcp any any syn", " permit tcp any any match-all +syn -ack", " permit tcp any any match-any +rst +fin", " permit udp any any syn"].join("\n"));
  const s = acl(d, "F").entries.map((e) => e.match.services[0]!.tcpFlags);
  assert.equal(s[0], { set: TCP.SYN, clear: 0 });
  assert.equal(s[1], { set: TCP.SYN, clear: TCP.ACK });
  assert.equal(s[2], { set: TCP.RST | TCP.FIN, clear: 0, any: true });
  assert.equal(unrec(d).map((x) => [x.source.line, x.message]), [[5, '"syn" is only valid for tcp']]);
  const only = parse("ip access-list extended F\n permit tcp any any match-all +syn -ack");
  const a = acl(only, "F");
  assert.is(verdict(a, tcp("1.1.1.1", 1, "2.2.2.2", 2, TCP.SYN)), "permit@2");
  assert.is(verdict(a, tcp("1.1.1.1", 1, "2.2.2.2", 2, TCP.SYN | TCP.ACK)), "implicit-deny");
});

test("ICMP type/code by number and by name", () => {
  const d = parse(
    [
      "ip access-list extended I",
      " permit icmp any any echo",
      " permit icmp any any echo-reply",
      " permit icmp any any unreachable",
      " permit icmp any any port-unreachable",
      " permit icmp any any time-exceeded",
      " permit icmp any any packet-too-big",
      " permit icmp any any 3 13",
      " permit icmp any any 5",
      " permit icmp any any",
    ].join("\n"),
  );
  const t = acl(d, "I").entries.map((e) => [e.match.services[0]!.icmpType, e.match.services[0]!.icmpCode]);
  assert.equal(t, [
    [8, undefined],
    [0, undefined],
    [3, undefined],
    [3, 3],
    [11, undefined],
    [3, 4],
    [3, 13],
    [5, undefined],
    [undefined, undefined],
  ]);
  const a = acl(d, "I");
  const icmp = (type: number, code: number) => packet({ protocol: 1, src: 1, dst: 2, icmpType: type, icmpCode: code });
  assert.is(verdict(a, icmp(3, 3)), "permit@4");
  assert.is(verdict(a, icmp(3, 9)), "permit@4");
});

test("log, log-input with tag, fragments, dscp/precedence/tos names and numbers", () => {
  const d = parse(
    [
      "ip access-list extended O",
      " permit ip any any dscp ef log",
      " permit ip any any precedence flash-override log-input TAG1",
      " permit ip any any tos max-throughput fragments",
      " permit ip any any dscp 10",
      " permit ip any any dscp af41",
      " permit ip any any tos 8 precedence critical",
      " permit ip any any dscp bogus",
    ].join("\n"),
  );
  const es = acl(d, "O").entries;
  assert.equal(es[0]!.match.tos, { kind: "dscp", value: 46 });
  assert.is(es[0]!.log, true);
  assert.equal(es[1]!.match.tos, { kind: "precedence", value: 4 });
  assert.is(es[1]!.log, true);
  assert.equal(es[2]!.match.tos, { kind: "tos", value: 4 });
  assert.is(es[2]!.match.fragments, true);
  assert.equal(es[3]!.match.tos, { kind: "dscp", value: 10 });
  assert.equal(es[4]!.match.tos, { kind: "dscp", value: 34 });
  assert.equal(es[5]!.match.tos, { kind: "tos", value: 8 });
  assert.ok(es[5]!.match.approximate);
  assert.equal(unrec(d).map((x) => [x.source.line, x.message]), [[8, 'unknown dscp name "bogus"']]);
  // dscp ef = ToS byte 0xb8
  assert.is(verdict(acl(d, "O"), packet({ protocol: 6, src: 1, dst: 2, tos: 0xb8 })), "permit@2");
});

test("time-range is recorded with a reference", () => {
  const d = parse("time-range BIZ\n periodic weekdays 8:00 to 18:00\nip access-list extended T\n permit tcp any any eq 22 time-range BIZ");
  const e = acl(d, "T").entries[0]!;
  assert.is(e.timeRange, "BIZ");
  assert.equal(e.refs, [{ kind: "time-range", name: "BIZ", source: e.source, use: "ace", context: "ACE" }]);
  assert.ok(d.references.some((r) => r.kind === "time-range" && r.name === "BIZ"));
  assert.is(d.timeRanges.get("BIZ")!.line, 1);
});

test("ttl and option are parsed, marked approximate, reported as unmodelled", () => {
  const d = parse("ip access-list extended T\n permit ip any any ttl eq 1\n permit ip any any option record-route\n deny udp any any ttl range 1 5 log");
  const es = acl(d, "T").entries;
  assert.is(es.length, 3);
  assert.is(es[0]!.match.approximate, "ttl eq 1");
  assert.is(es[1]!.match.approximate, "option record-route");
  assert.is(es[2]!.match.approximate, "ttl range 1 5");
  assert.equal(d.diagnostics.map((x) => [x.kind, x.source.line]), [
    ["unmodelled", 2],
    ["unmodelled", 3],
    ["unmodelled", 4],
  ]);
  assert.equal(unrec(d), []);
});

test("dynamic entries are reported as unmodelled; reflect is recorded and evaluate noted (the simulation models it), also when the reflect line comes later", () => {
  const d = parse(
    [
      "access-list 101 dynamic TESTLIST timeout 10 permit ip any any",
      "ip access-list extended OUT",
      " permit tcp any any reflect TCPTRAFFIC",
      "ip access-list extended IN",
      " evaluate TCPTRAFFIC",
      " deny ip any any",
    ].join("\n"),
  );
  assert.equal(d.diagnostics.map((x) => [x.kind, x.source.line]), [
    ["unmodelled", 1],
    ["note", 5],
  ]);
  assert.match(d.diagnostics[1]!.message, /OUT line 3/);
  const later = parse(["ip access-list extended IN", " evaluate TCPTRAFFIC", "ip access-list extended OUT", " permit tcp any any reflect TCPTRAFFIC"].join("\n"));
  assert.equal(later.diagnostics.map((x) => [x.kind, x.source.line]), [["note", 2]]);
  assert.match(later.diagnostics[0]!.message, /OUT line 4/);
  const orphan = parse(["ip access-list extended IN", " evaluate NOSUCH"].join("\n"));
  assert.equal(orphan.diagnostics.map((x) => x.kind), ["unmodelled"], "an evaluate no reflect line feeds is still not modelled");
  assert.equal(d.features.reflects.map((r) => [r.acl, r.name, r.source.line]), [["OUT", "TCPTRAFFIC", 3]]);
  assert.equal(d.features.evaluates.map((r) => [r.acl, r.name, r.source.line]), [["IN", "TCPTRAFFIC", 5]]);
  assert.is(acl(d, "101").entries.length, 0);
  assert.is(acl(d, "OUT").entries.length, 1); // the reflect line still permits as written
  assert.is(acl(d, "IN").entries.length, 1);
});

// ---------------------------------------------------------------- object-groups

test("network object-group: host, mask, /nn, range, any, nested group defined later", () => {
  const d = parse(
    [
      "ip access-list extended A",
      " permit ip object-group NETS any",
      "object-group network NETS",
      " description all",
      " host 1.1.1.1",
      " 10.0.0.0 255.0.0.0",
      " 172.16.0.0 /12",
      " range 192.168.0.1 192.168.0.6",
      " group-object LATER",
      "object-group network LATER",
      " 100.64.0.0/10",
      "object-group network ALL",
      " any",
    ].join("\n"),
  );
  const g = d.objectGroups.get("NETS")!;
  assert.equal(g.addrs, [
    { addr: ip("1.1.1.1"), wildcard: 0 },
    { addr: ip("10.0.0.0"), wildcard: ip("0.255.255.255") },
    { addr: ip("172.16.0.0"), wildcard: ip("0.15.255.255") },
    ...rangeToWildcards(ip("192.168.0.1"), ip("192.168.0.6")),
    { addr: ip("100.64.0.0"), wildcard: ip("0.63.255.255") },
  ]);
  assert.equal(d.objectGroups.get("ALL")!.addrs, [{ addr: 0, wildcard: 0xffffffff }]);
  const a = acl(d, "A");
  assert.equal(a.entries[0]!.match.src, g.addrs);
  assert.equal(a.entries[0]!.refs, [{ kind: "object-group", name: "NETS", source: a.entries[0]!.source, use: "ace", context: "ACE" }]);
  assert.ok(d.references.some((r) => r.name === "LATER" && r.context === "group-object"));
  const p = (s: string) => packet({ protocol: 6, src: ip(s), dst: 1 });
  assert.is(verdict(a, p("192.168.0.6")), "permit@2");
  assert.is(verdict(a, p("192.168.0.7")), "implicit-deny");
  assert.is(verdict(a, p("100.127.1.1")), "permit@2");
  assert.equal(unrec(d), []);
});

test("service object-group: tcp/udp/tcp-udp with source and destination ports, icmp, protocols, nesting", () => {
  const d = parse(
    [
      "object-group service SVC",
      " udp eq isakmp",
      " udp source eq non500-isakmp eq non500-isakmp",
      " tcp-udp eq domain",
      " tcp range 8000 8080",
      " tcp 443",
      " icmp echo",
      " icmp 3 4",
      " esp",
      " 51",
      " group-object BASE",
      "object-group service BASE",
      " gre",
      "ip access-list extended A",
      " permit object-group SVC any any",
    ].join("\n"),
  );
  assert.equal(d.objectGroups.get("SVC")!.services, [
    { protocol: 17, dstPorts: [{ lo: 500, hi: 500 }] },
    { protocol: 17, srcPorts: [{ lo: 4500, hi: 4500 }], dstPorts: [{ lo: 4500, hi: 4500 }] },
    { protocol: 6, dstPorts: [{ lo: 53, hi: 53 }] },
    { protocol: 17, dstPorts: [{ lo: 53, hi: 53 }] },
    { protocol: 6, dstPorts: [{ lo: 8000, hi: 8080 }] },
    { protocol: 6, dstPorts: [{ lo: 443, hi: 443 }] },
    { protocol: 1, icmpType: 8 },
    { protocol: 1, icmpType: 3, icmpCode: 4 },
    { protocol: 50 },
    { protocol: 51 },
    { protocol: 47 },
  ]);
  const a = acl(d, "A");
  assert.equal(a.entries[0]!.match.services, d.objectGroups.get("SVC")!.services);
  assert.is(verdict(a, udp("1.1.1.1", 4500, "2.2.2.2", 4500)), "permit@15");
  assert.is(verdict(a, udp("1.1.1.1", 1024, "2.2.2.2", 4500)), "implicit-deny");
  assert.is(verdict(a, packet({ protocol: 47, src: 1, dst: 2 })), "permit@15");
  assert.equal(unrec(d), []);
});

test("object-group cycle becomes a cycle diagnostic, without hanging", () => {
  const d = parse("object-group network A\n group-object B\n host 1.1.1.1\nobject-group network B\n group-object A\n host 2.2.2.2\nip access-list extended X\n permit ip object-group A any");
  const cyc = d.diagnostics.filter((x) => x.kind === "cycle");
  assert.is(cyc.length, 1);
  assert.match(cyc[0]!.message, /A -> B -> A|B -> A -> B/);
  assert.ok(acl(d, "X").entries[0]!.match.src.length >= 1);
});

test("undefined object-group: empty set, reference recorded", () => {
  const d = parse("ip access-list extended X\n permit udp object-group NOPE any eq 500\n permit object-group NOSVC any any");
  const es = acl(d, "X").entries;
  assert.equal(es[0]!.match.src, []);
  assert.equal(es[1]!.match.services, []);
  assert.equal(
    d.references.map((r) => [r.kind, r.name, r.context, r.source.line]),
    [
      ["object-group", "NOPE", "ACE", 2],
      ["object-group", "NOSVC", "ACE", 3],
    ],
  );
  assert.equal(unrec(d), []);
});

test("object-group of the wrong kind used in an ACE is diagnosed", () => {
  const d = parse("object-group service S\n tcp eq 22\nip access-list extended X\n permit ip object-group S any");
  assert.equal(acl(d, "X").entries[0]!.match.src, []);
  assert.equal(unrec(d).map((x) => x.source.line), [4]);
});

test("bad object-group entries are diagnosed with the line", () => {
  const d = parse("object-group network N\n 10.0.0.0\n host 1.1.1.1\n 10.0.0.0 0.255.255.255\nobject-group service S\n udp eq www\n icmp bogus");
  assert.equal(unrec(d).map((x) => [x.source.line, x.message]), [
    [2, "expected subnet mask or /prefix after 10.0.0.0 at end of line"],
    [4, '"0.255.255.255" is not a subnet mask (object-group network entries take A.B.C.D MASK, not a wildcard)'],
    [6, 'port name "www" is a TCP port name, not valid for udp'],
    [7, 'unknown ICMP message name "bogus"'],
  ]);
  assert.equal(d.objectGroups.get("N")!.addrs, [{ addr: ip("1.1.1.1"), wildcard: 0 }]);
});

// ---------------------------------------------------------------- NAT

test("ip nat pool with netmask, prefix-length, type suffix and the address-range form", () => {
  const d = parse(
    [
      "ip nat pool A 198.51.100.8 198.51.100.15 netmask 255.255.255.248",
      "ip nat pool B 203.0.113.1 203.0.113.254 prefix-length 24 type match-host",
      "ip nat pool C prefix-length 28",
      " address 192.0.2.1 192.0.2.4",
      " address 192.0.2.5 192.0.2.9",
      "ip nat pool BAD 10.1.1.10 10.1.1.5 netmask 255.255.255.0",
    ].join("\n"),
  );
  const p = (n: string) => {
    const x = d.natPools.get(n)!;
    return [x.start, x.end, x.prefixLength, x.source.line];
  };
  assert.equal(p("A"), [ip("198.51.100.8"), ip("198.51.100.15"), 29, 1]);
  assert.equal(p("B"), [ip("203.0.113.1"), ip("203.0.113.254"), 24, 2]);
  assert.equal(p("C"), [ip("192.0.2.1"), ip("192.0.2.9"), 28, 3]);
  assert.not.ok(d.natPools.has("BAD"));
  assert.equal(unrec(d).map((x) => x.source.line), [6]);
});

test("ip nat inside source list/route-map → interface/pool [overload] [vrf]", () => {
  const d = parse(
    [
      "ip nat inside source list 10 interface Dialer0 overload",
      "ip nat inside source list NATME pool P vrf V1 overload",
      "ip nat inside source route-map RM pool P",
      "ip nat inside source route-map RM interface Gi0/0 vrf V overload",
    ].join("\n"),
  );
  const r = d.natRules;
  assert.equal(r.map((x) => [x.type, x.pat, x.match, x.mapped, x.source.line]), [
    ["dynamic", true, { acl: "10" }, { kind: "interface", iface: "Dialer0" }, 1],
    ["dynamic", true, { acl: "NATME" }, { kind: "pool", pool: "P" }, 2],
    ["dynamic", false, { routeMap: "RM" }, { kind: "pool", pool: "P" }, 3],
    ["dynamic", true, { routeMap: "RM" }, { kind: "interface", iface: "GigabitEthernet0/0" }, 4],
  ]);
  assert.equal(
    d.references.map((x) => [x.kind, x.name, x.context]),
    [
      ["acl", "10", "ip nat inside source"],
      ["interface", "Dialer0", "ip nat inside source"],
      ["acl", "NATME", "ip nat inside source"],
      ["nat-pool", "P", "ip nat inside source"],
      ["route-map", "RM", "ip nat inside source"],
      ["nat-pool", "P", "ip nat inside source"],
      ["route-map", "RM", "ip nat inside source"],
      ["interface", "GigabitEthernet0/0", "ip nat inside source"],
    ],
  );
  // vrf changes what the rule translates and route-map selectors are not evaluated: both reported
  assert.equal(
    d.diagnostics.map((x) => [x.source.line, x.kind, /vrf V1|route-map RM|vrf V\b/.exec(x.message)?.[0]]),
    [
      [2, "unmodelled", "vrf V1"],
      [3, "unmodelled", "route-map RM"],
      [4, "unmodelled", "vrf V"],
      [4, "unmodelled", "route-map RM"],
    ],
  );
});

test("ip nat inside source static: host, network mask and /N, tcp/udp ports, interface, trailing keywords", () => {
  const d = parse(
    [
      "ip nat inside source list 1 interface Gi0/0 overload",
      "ip nat inside source static 10.0.0.5 198.51.100.5",
      "ip nat inside source static 10.0.0.6 198.51.100.6 extendable no-alias",
      "ip nat inside source static network 10.1.0.0 198.51.101.0 255.255.255.0",
      "ip nat inside source static network 10.2.0.0 198.51.102.0 /24 vrf X",
      "ip nat inside source static tcp 10.0.0.7 80 198.51.100.7 8080 extendable",
      "ip nat inside source static udp 10.0.0.8 500 interface Gi0/0 500",
      "ip nat inside source static 10.0.0.9 198.51.100.9 route-map RMS redundancy rg mapping-id 5",
      "ip nat inside source static esp 10.0.0.10 interface Gi0/0",
    ].join("\n"),
  );
  const r = d.natRules;
  assert.is(r.length, 9);
  assert.equal(r.map((x) => x.type), ["static", "static", "static", "static", "static", "static", "static", "static", "dynamic"]);
  assert.equal(r[0]!.match, { realAddrs: [{ addr: ip("10.0.0.5"), wildcard: 0 }] });
  assert.equal(r[0]!.mapped, { kind: "addresses", ranges: [{ start: ip("198.51.100.5"), end: ip("198.51.100.5") }] });
  assert.equal(r[2]!.match.realAddrs, [{ addr: ip("10.1.0.0"), wildcard: 255 }]);
  assert.equal(r[2]!.mapped, { kind: "addresses", ranges: [{ start: ip("198.51.101.0"), end: ip("198.51.101.255") }] });
  assert.equal(r[3]!.mapped, { kind: "addresses", ranges: [{ start: ip("198.51.102.0"), end: ip("198.51.102.255") }] });
  assert.equal([r[4]!.match.protocol, r[4]!.match.realPort, r[4]!.mappedPort, r[4]!.pat], [6, 80, 8080, false]);
  assert.equal([r[5]!.match.protocol, r[5]!.match.realPort, r[5]!.mappedPort, r[5]!.mapped], [17, 500, 500, { kind: "interface", iface: "GigabitEthernet0/0" }]);
  assert.is(r[6]!.match.routeMap, "RMS");
  assert.equal([r[7]!.match.protocol, r[7]!.mapped], [50, { kind: "interface", iface: "GigabitEthernet0/0" }]);
  assert.ok(d.references.some((x) => x.kind === "route-map" && x.name === "RMS"));
  // extendable, no-alias, redundancy and mapping-id change nothing modelled; vrf and a static's
  // route-map change what is translated and are reported
  assert.equal(
    d.diagnostics.map((x) => [x.source.line, x.kind, /"(vrf X|route-map RMS)"/.exec(x.message)?.[1]]),
    [
      [5, "unmodelled", "vrf X"],
      [8, "unmodelled", "route-map RMS"],
    ],
  );
});

test("outside NAT, NVI, ip nat service and inside destination are unmodelled diagnostics", () => {
  const d = parse(
    [
      "ip nat outside source static 1.1.1.1 2.2.2.2",
      "ip nat outside source list 22 pool OUTP",
      "ip nat source list 5 interface Gi0/0 overload",
      "ip nat service list 5 IKE preserve-port",
      "ip nat inside destination list 11 pool DP",
      "ip nat translation udp-timeout 300",
      "interface Gi0/1",
      " ip nat enable",
      "ip nat inside source frobnicate",
    ].join("\n"),
  );
  assert.equal(d.natRules, []);
  assert.equal(d.diagnostics.map((x) => [x.kind, x.source.line]), [
    ["unmodelled", 1],
    ["unmodelled", 2],
    ["unmodelled", 3],
    ["unmodelled", 4],
    ["unmodelled", 5],
    ["unmodelled", 8],
    ["unrecognized-syntax", 9],
  ]);
  assert.ok(d.otherMentions.has("22") && d.otherMentions.has("OUTP"));
});

// ---------------------------------------------------------------- interfaces and globals

test("interfaces: addresses, secondary, dhcp, access-groups, nat role, shutdown, re-entry", () => {
  const d = parse(
    [
      "interface GigabitEthernet0/0",
      " ip address 198.51.100.2 255.255.255.252",
      " ip address 10.0.0.1 255.255.255.0 secondary",
      " ip access-group 101 in",
      " ip access-group OUT out",
      " ip nat outside",
      "interface GigabitEthernet0/1",
      " ip address dhcp",
      " ip nat inside",
      " shutdown",
      "interface GigabitEthernet0/0",
      " ip access-group 102 in",
      "interface Dialer0",
      " ip address negotiated",
      " no shutdown",
    ].join("\n"),
  );
  const [g0, g1, di] = d.interfaces;
  assert.is(d.interfaces.length, 3);
  assert.equal(g0!.addresses, [
    { ip: ip("198.51.100.2"), mask: ip("255.255.255.252") },
    { ip: ip("10.0.0.1"), mask: ip("255.255.255.0"), secondary: true },
  ]);
  assert.equal(g0!.accessGroups.map((g) => [g.acl, g.direction, g.source.line]), [
    ["OUT", "out", 5],
    ["102", "in", 12],
  ]);
  assert.is(g0!.natRole, "outside");
  assert.is(g0!.source.line, 1);
  assert.equal([g1!.addresses, g1!.natRole, g1!.shutdown], [[], "inside", true]);
  assert.equal([di!.name, di!.addresses, di!.shutdown], ["Dialer0", [], undefined]);
  assert.equal(
    d.references.filter((r) => r.kind === "acl").map((r) => [r.name, r.context]),
    [
      ["101", "ip access-group"],
      ["OUT", "ip access-group"],
      ["102", "ip access-group"],
    ],
  );
});

test("hostname, version, dhcp excluded-address", () => {
  const d = parse("version 15.2\nhostname R1\nip dhcp excluded-address 10.0.0.1 10.0.0.9\nip dhcp excluded-address 10.0.0.254\nip dhcp excluded-address vrf X 10.1.0.1 10.1.0.2");
  assert.is(d.hostname, "R1");
  assert.is(d.version, "15.2");
  assert.equal(d.dhcpExcluded, [
    { start: ip("10.0.0.1"), end: ip("10.0.0.9") },
    { start: ip("10.0.0.254"), end: ip("10.0.0.254") },
    { start: ip("10.1.0.1"), end: ip("10.1.0.2") },
  ]);
  assert.is(d.lineCount, 5);
});

test("names on skipped lines are collected into otherMentions; definitions are not", () => {
  const d = parse(
    [
      "access-list 55 permit any",
      "ip access-list extended CRYPTO-ACL",
      " permit ip any any",
      "route-map RM permit 10",
      " match ip address 55 PBR-ACL",
      "crypto map CM 10 ipsec-isakmp",
      " match address CRYPTO-ACL",
      "class-map match-all CM1",
      " match access-group name QOS-ACL",
      "line vty 0 4",
      " access-class VTY in",
      "snmp-server community public RO 66",
      "ntp access-group peer NTP-ACL",
      "router ospf 1",
      " distribute-list DL in",
      "interface Gi0/0",
      " ip verify unicast source reachable-via rx URPF-ACL",
    ].join("\n"),
  );
  for (const n of ["55", "PBR-ACL", "CRYPTO-ACL", "QOS-ACL", "VTY", "66", "NTP-ACL", "DL", "URPF-ACL"]) assert.ok(d.otherMentions.has(n), n);
  const defs = parse("access-list 77 permit any\nip access-list extended NEVER\n permit ip any any\nobject-group network OG\n host 1.1.1.1");
  for (const n of ["77", "NEVER", "OG"]) assert.not.ok(defs.otherMentions.has(n), n);
});

// ---------------------------------------------------------------- contexts, banners, robustness

test("modes end at exit and at a global command, not at indentation; ! is only a comment; a permit outside any ACL is reported", () => {
  const d = parse(
    [
      "ip access-list extended A",
      " permit ip any host 1.1.1.1",
      "!",
      " permit ip any host 2.2.2.2",
      "ip access-list extended B",
      " permit ip any any",
      " exit",
      " permit ip any host 3.3.3.3",
      "ip access-list extended C",
      "permit ip any host 4.4.4.4",
      "hostname X",
      " permit ip any host 5.5.5.5",
    ].join("\n"),
  );
  assert.is(acl(d, "A").entries.length, 2); // a comment does not leave the ACL sub-mode
  assert.is(acl(d, "B").entries.length, 1);
  // a pasted entry without indentation still belongs to its ACL (IOS stays in the sub-mode)
  assert.is(acl(d, "C").entries.length, 1);
  // after exit, and after the global hostname, a permit is in global mode: IOS rejects it
  assert.equal(unrec(d).map((x) => x.source.line), [8, 12]);
  assert.match(unrec(d)[0]!.message, /outside any access list/);
});

test("banners are skipped, multi-line and single-line, with ^C or another delimiter", () => {
  const d = parse(
    [
      "banner motd ^C",
      "access-list 1 permit any",
      "interface Fake0",
      "^C",
      "banner login #one line#",
      "banner exec ^CFirst line.",
      "ip access-list extended NO^Cignored",
      "banner incoming \u0003",
      "hostname WRONG",
      "\u0003",
      "hostname R",
    ].join("\n"),
  );
  assert.is(d.acls.size, 0);
  assert.is(d.interfaces.length, 0);
  assert.is(d.hostname, "R");
  assert.equal(d.diagnostics, []);
});

test("macro bodies are skipped", () => {
  const d = parse("macro name M\naccess-list 1 permit any\n@\nhostname R");
  assert.is(d.acls.size, 0);
  assert.is(d.hostname, "R");
});

test("fixture: realistic branch router", () => {
  const f = new URL("./fixtures/parse-ios/branch-router.cfg", import.meta.url);
  const d = parseIos(readFileSync(f, "utf8"), "branch-router.cfg");
  assert.is(d.hostname, "branch-rtr");
  assert.is(d.version, "15.4");
  assert.equal(unrec(d), []);
  assert.not.ok(d.acls.has("199"));
  assert.equal(
    d.interfaces.map((i) => i.name),
    ["GigabitEthernet0/0", "GigabitEthernet0/1", "GigabitEthernet0/2"],
  );
  assert.is(d.interfaces[2]!.shutdown, true);
  assert.equal(d.dhcpExcluded.length, 2);
  assert.equal(d.objectGroups.get("LAN-NETS")!.addrs!.length, 1 + 1 + rangeToWildcards(ip("10.99.1.1"), ip("10.99.1.6")).length);
  assert.equal(d.natRules.map((r) => r.type), ["static", "static", "dynamic"]);
  assert.is(d.natPools.get("PUBLIC")!.prefixLength, 29);
  const out = acl(d, "WAN-OUT");
  assert.is(out.entries.length, 6);
  // the second PAT client leaves with a translated source port; IKE to the peer is still permitted by line 10/20
  assert.is(verdict(out, udp("10.99.1.3", 1, "203.0.113.9", 500)), `permit@${out.entries[0]!.source.line}`);
  assert.is(verdict(out, udp("192.168.10.7", 1024, "203.0.113.9", 4500)), `permit@${out.entries[1]!.source.line}`);
  assert.is(verdict(out, udp("8.8.8.8", 1, "203.0.113.10", 500)), `permit@${out.entries[2]!.source.line}`);
  assert.is(verdict(out, packet({ protocol: 50, src: 1, dst: 2 })), `permit@${out.entries[2]!.source.line}`);
  const inn = acl(d, "WAN-IN");
  assert.is(verdict(inn, udp("203.0.113.9", 500, "198.51.100.2", 1)), `permit@${inn.entries[0]!.source.line}`);
  assert.is(verdict(inn, udp("203.0.113.9", 4500, "198.51.100.2", 1024)), `deny@${inn.entries[5]!.source.line}`);
  for (const n of ["VPN-TRAFFIC", "10", "110", "CMAP"]) assert.ok(d.otherMentions.has(n), n);
  assert.ok(d.references.some((r) => r.kind === "time-range" && r.name === "WORKHOURS"));
  assert.ok(d.timeRanges.has("WORKHOURS"));
});

test("UTF-16 and BOM input is decoded", () => {
  const text = "hostname U\r\naccess-list 1 permit any\r\n";
  const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]);
  const d = parseIos(decodeConfig(le), "u.cfg");
  assert.is(d.hostname, "U");
  assert.is(acl(d, "1").entries.length, 1);
  assert.is(parseIos("\uFEFFhostname B", "b").hostname, "B");
});

test("fuzz: no input throws", () => {
  let seed = 12345;
  const rnd = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const words = [
    "ip", "access-list", "extended", "standard", "permit", "deny", "tcp", "udp", "icmp", "any", "host", "object-group", "eq", "neq",
    "lt", "gt", "range", "10.0.0.0", "0.0.0.255", "255.255.255.0", "500", "isakmp", "nat", "inside", "outside", "source", "static",
    "list", "pool", "interface", "overload", "network", "service", "group-object", "A", "B", "no", "10", "remark", "banner", "^C",
    "match-any", "+syn", "-ack", "log", "dscp", "ttl", "time-range", "!", "exit", "/24", "1.2.3.4/33", "999.1.1.1", "", "\t", "prefix-length",
    "netmask", "address", "tcp-udp", "-1", "65536", "\u0000", "\u00ff", "  ",
  ];
  const fixture = readFileSync(new URL("./fixtures/parse-ios/branch-router.cfg", import.meta.url), "utf8").split("\n");
  for (let iter = 0; iter < 300; iter++) {
    const lines: string[] = [];
    const n = 1 + rnd(40);
    for (let i = 0; i < n; i++) {
      if (rnd(3) === 0) {
        const base = fixture[rnd(fixture.length)]!.split(" ");
        base.splice(rnd(base.length + 1), rnd(2), words[rnd(words.length)]!);
        lines.push(base.join(" "));
      } else {
        const k = rnd(10);
        const toks: string[] = [];
        for (let j = 0; j < k; j++) toks.push(words[rnd(words.length)]!);
        lines.push((rnd(2) ? " " : "") + toks.join(" "));
      }
    }
    const text = lines.join(rnd(2) ? "\n" : "\r\n");
    try {
      parseIos(text, "fuzz.cfg");
    } catch (e) {
      assert.unreachable(`threw on:\n${text}\n${String(e)}`);
    }
  }
  // pathological inputs
  for (const t of ["", "\n\n\n", "banner motd ^C", "object-group network A\n group-object A", "ip access-list extended", "interface", "ip nat pool P netmask 255.255.255.0\n address 1.1.1.1"]) parseIos(t, "x");
});

test("IPv6 access-lists are parsed (their implicit lines too); MAC ones get one note at the header", () => {
  const d = parse("ipv6 access-list V6\n permit ipv6 any any\n deny ipv6 any any\nmac access-list extended M\n permit any any\nip access-list extended A\n permit ip any any\nipv6 access-list EMPTY\n");
  assert.equal(
    d.diagnostics.map((x) => [x.source.line, x.kind]),
    [[4, "note"]],
  );
  assert.equal([...d.acls.keys()], ["V6", "A", "EMPTY"], "the IPv4 ACL after them is still parsed");
  const v6 = d.acls.get("V6")!;
  assert.equal([v6.family, v6.entries.length], ["ipv6", 2]);
  assert.equal(v6.implicitPermits!.map((l) => l.text), ["permit icmp any any nd-na", "permit icmp any any nd-ns"]);
  assert.equal(d.acls.get("EMPTY")!.implicitPermits!.map((l) => l.text), ["an IPv6 ACL without entries filters nothing"]);
});

test("a line using an object-group of an unmodelled type is approximate, not an undefined reference", () => {
  const d = parse("object-group fqdn SITES\n host www.example.com\nip access-list extended A\n permit tcp any object-group SITES eq 443\n");
  assert.ok(d.objectGroups.get("SITES")?.unmodelled, "defined, content unknown");
  const e = d.acls.get("A")!.entries[0]!;
  assert.match(e.match.approximate ?? "", /SITES/);
  assert.equal(e.match.dst, []);
  assert.equal(d.diagnostics.map((x) => x.source.line), [1, 4]);
});

test("ip nat settings that change allocation are reported; timeouts and logging are not", () => {
  const d = parse(
    ["ip nat settings pap", "ip nat translation max-entries 100", "ip nat limit all-host 10", "ip nat translation udp-timeout 60", "ip nat log translations syslog"].join("\n"),
  );
  assert.equal(d.diagnostics.map((x) => [x.source.line, x.kind]), [
    [1, "unmodelled"],
    [2, "unmodelled"],
    [3, "unmodelled"],
  ]);
});

test("protocol keywords are IOS's: ahp, not the ASA spellings ah, ipsec, icmp6", () => {
  const d = parse(["ip access-list extended P", " permit ahp any any", " permit ah any any", " permit ipsec any any", " permit icmp6 any any", " permit 51 any any"].join("\n"));
  assert.equal(acl(d, "P").entries.map((e) => e.match.services[0]!.protocol), [51, 51]);
  assert.equal(unrec(d).map((x) => x.source.line), [3, 4, 5]);
  assert.match(unrec(d)[0]!.message, /IOS writes "ahp"/);
});

test.run();
