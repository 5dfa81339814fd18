/** The line-index classifier (src/acl/classify.ts) gives evaluateAcl's verdicts: random, realistic, generated, IPv6 and unified ACLs. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { classifier, fieldRanges } from "../src/acl/classify.js";
import { evaluateAcl, plansOf } from "../src/acl/evaluate.js";
import { parseFlow } from "../src/model/packet.js";
import type { Acl, Packet } from "../src/model/types.js";
import { parseConfig } from "../src/parse/index.js";
import { Gen, flowsFor, randomAcl, randomPacket, realisticAcl } from "../bench/random.js";
import { aclConfig, flowLines } from "../bench/gen.js";

function same(acl: Acl, packets: readonly Packet[], what: string): void {
  for (const maxNarrow of [undefined, 0]) check(acl, packets, `${what}${maxNarrow === 0 ? " (no narrow lists)" : ""}`, maxNarrow);
}

function check(acl: Acl, packets: readonly Packet[], what: string, maxNarrow?: number): void {
  const c = classifier(acl, maxNarrow);
  assert.ok(c, `${what}: indexed`);
  for (const p of packets) {
    const want = evaluateAcl(acl, p);
    const got = c!(p);
    if (got.action !== want.action || got.index !== want.index || got.ace !== want.ace || got.implicit !== want.implicit)
      assert.unreachable(`${what}: packet ${JSON.stringify(p, (_k, v: unknown) => (typeof v === "bigint" ? String(v) : v))}: want ${want.action}@${want.index} got ${got.action}@${got.index}`);
  }
}

test("classifier = evaluateAcl on random ACLs (packets near their lines and anywhere)", () => {
  const g = new Gen(0xc1a5);
  for (let a = 0; a < (process.env.NATLINT_SLOW_TESTS === "1" ? 200 : 15); a++) {
    const acl = randomAcl(g, `R${a}`, g.int(0, 40));
    const packets = Array.from({ length: 200 }, () => randomPacket(g, acl.entries.length > 0 && g.chance(0.9) ? g.pick(acl.entries).match : undefined));
    same(acl, packets, `acl ${a}`);
  }
});

test("classifier = evaluateAcl on a realistic 1,000-line ACL and a generated edge router's", () => {
  const acl = realisticAcl(3, 1000);
  const flows = process.env.NATLINT_SLOW_TESTS === "1" ? 20000 : 600;
  same(acl, flowsFor(acl, 4, flows), "realistic");
  const { device } = parseConfig(aclConfig(1000, 2), "edge.cfg");
  const edge = device.acls.get("EDGE-IN")!;
  same(edge, flowLines(flows, 2).map((l) => parseFlow(l) as Packet), "generated");
});

test("classifier = evaluateAcl on IPv6 and unified ACLs (implicit ND lines, inactive lines)", () => {
  const g = new Gen(77);
  const v6 = (): string => `2001:db8:${g.int(0, 3).toString(16)}::${g.int(0, 20).toString(16)}`;
  const v4 = (): string => `${g.pick([10, 192, 198, 203])}.${g.int(0, 2)}.${g.int(0, 2)}.${g.int(0, 20)}`;
  const flows = (six: boolean): Packet[] =>
    Array.from({ length: process.env.NATLINT_SLOW_TESTS === "1" ? 3000 : 1000 }, () => {
      const a = six ? v6 : v4;
      const k = g.int(0, 3);
      const text =
        k === 0
          ? `${six ? "icmp6" : "icmp"} ${a()} ${a()} ${g.pick([0, 3, 8, 128, 129, 133, 134, 135, 136])}`
          : `${g.pick(["tcp", "udp"])} ${a()} ${g.pick([22, 80, 443, 500, 1024, 4500, 50000])} ${a()} ${g.pick([22, 53, 80, 443, 500, 4500])}`;
      return parseFlow(text) as Packet;
    });
  let n = 0;
  for (const f of ["examples/dual-stack-edge.cfg", "test/fixtures/rules/shadowed-line/ipv6-ios.cfg", "test/fixtures/rules/ipsec-source-port-pinned/ipv6.cfg", "test/fixtures/rules/unmodelled-feature/ipv6-ext-headers.cfg", "examples/asa-pat-clients.cfg", "examples/ios-pat-broken.cfg"]) {
    const { device } = parseConfig(readFileSync(f, "utf8"), f);
    for (const acl of device.acls.values()) {
      const packets = [...(acl.family !== undefined ? flows(true) : []), ...(acl.family !== "ipv6" ? flows(false) : [])];
      same(acl, packets, `${f} ${acl.name}`);
      n++;
    }
  }
  assert.ok(n > 8, `${n} ACLs`);
});

test("fieldRanges: a conjunction without a test on the field makes it all; none at all matches nothing", () => {
  const { device } = parseConfig("ip access-list extended A\n permit udp any host 192.0.2.1 eq 500\n permit ip 10.0.0.0 0.0.0.255 any\n", "a.cfg", "ios");
  const plans = plansOf(device.acls.get("A")!);
  // one range per conjunction of the plan (a line may have several)
  const ranges = (i: number, f: Parameters<typeof fieldRanges>[1]) => {
    const r = fieldRanges(plans[i]!, f);
    return r === "all" ? r : [...new Set(r.map((x) => x.join("-")))];
  };
  assert.equal(ranges(0, "dst"), [`${0xc0000201}-${0xc0000201}`]);
  assert.ok(ranges(0, "dstPort") === "all", "IOS: a non-initial fragment matches a permit by its layer-3 fields (ports not tested)");
  assert.equal(ranges(1, "dstPort"), "all");
  assert.equal(ranges(1, "src"), [`${0x0a000000}-${0x0a0000ff}`]);
  assert.equal(fieldRanges([], "src"), []);
  // per fragment bit: a packet that is not a non-initial fragment meets the ports of the permit
  assert.equal(ranges(0, "dstPort") === "all" ? fieldRanges(plans[0]!, "dstPort", 0) : [], [[500, 500]]);
  assert.equal(fieldRanges(plans[0]!, "dstPort", 1), "all");
});

test("classifier = evaluateAcl on packets the index does not decide alone: fragments, flags, ICMP, odd field values, IPv6 packets on IPv4 lines", () => {
  const g = new Gen(0xf7a6);
  const odd = [-1, -0, 0.5, 65536, 256, 2 ** 32, 2 ** 32 + 5, NaN, Infinity];
  for (let a = 0; a < (process.env.NATLINT_SLOW_TESTS === "1" ? 120 : 12); a++) {
    const acl = randomAcl(g, `F${a}`, g.int(1, 60));
    const packets = Array.from({ length: 300 }, () => {
      const p = randomPacket(g, g.chance(0.9) ? g.pick(acl.entries).match : undefined);
      const k = g.int(0, 9);
      if (k === 0) return { ...p, [g.pick(["protocol", "src", "dst", "dstPort"] as const)]: g.pick(odd) };
      if (k === 1) return { ...p, v6: { src: 1n, dst: 2n } };
      return p;
    });
    same(acl, packets, `acl ${a}`);
  }
  // the lines the index decides alone (a prefix each address, ports, fragment bit), with the other lines around them
  const { device } = parseConfig(
    "ip access-list extended X\n deny ip host 192.0.2.9 any\n permit tcp 10.0.0.0 0.255.255.255 192.0.2.0 0.0.0.255 eq 80\n deny tcp any any range 1000 2000\n permit udp any 192.0.2.0 0.0.0.127 gt 1023\n deny ip any any fragments\n permit tcp 10.0.0.0 0.0.255.0 any eq 443\n permit icmp any any echo\n deny ip any any\n",
    "x.cfg",
    "ios",
  );
  const x = device.acls.get("X")!;
  const packets: Packet[] = [];
  for (let i = 0; i < 3000; i++) packets.push(randomPacket(g, g.pick(x.entries).match));
  for (const t of ["tcp 10.1.2.3 5 192.0.2.7 80", "tcp 10.1.2.3 5 192.0.2.7 1500", "udp 8.8.8.8 5 192.0.2.100 5000", "udp 8.8.8.8 5 192.0.2.200 5000", "icmp 1.1.1.1 2.2.2.2 8"])
    packets.push(parseFlow(t) as Packet, { ...(parseFlow(t) as Packet), fragment: true });
  same(x, packets, "exact lines");
});

test.run();
