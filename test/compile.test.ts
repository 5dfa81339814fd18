/**
 * compile(acl): first-match sets and the fast evaluator agree with evaluateAcl (src/acl/match.ts)
 * on random, seeded ACLs and packets.
 */
import { AclSets } from "../src/acl/sets.js";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { compileAcl } from "../src/acl/compile.js";
import { aceMatches, evaluateAcl } from "../src/acl/evaluate.js";
import { HeaderSpace } from "../src/headerspace/index.js";
import type { Acl } from "../src/model/types.js";
import { Gen, flowsFor, randomAcl, randomPacket, realisticAcl } from "../bench/random.js";

test("evaluate(p) equals evaluateAcl(acl, p) on random ACLs", () => {
  const g = new Gen(0xac1);
  const sets = new AclSets(new HeaderSpace());
  const hs = sets.hs;
  for (let a = 0; a < (process.env.NATLINT_SLOW_TESTS === "1" ? 120 : 30); a++) {
    const acl = randomAcl(g, `R${a}`, g.int(0, 25));
    const c = sets.compile(acl);
    for (let k = 0; k < 150; k++) {
      const e = acl.entries.length > 0 && g.chance(0.9) ? g.pick(acl.entries) : undefined;
      const p = randomPacket(g, e?.match);
      const want = evaluateAcl(acl, p);
      const got = c.evaluate(p);
      if (got.action !== want.action || got.index !== want.index || got.ace !== want.ace) {
        assert.unreachable(`acl ${a} packet ${JSON.stringify(p)}: want ${want.action}@${want.index} got ${got.action}@${got.index}`);
      }
      // the sets agree too
      assert.is(hs.contains(c.permit, p), want.action === "permit");
      assert.is(hs.contains(c.deny, p), want.action === "deny");
      assert.is(hs.contains(c.implicit, p), want.index === -1);
      for (const l of c.lines) assert.is(hs.contains(l.reach, p), l.index === want.index);
    }
  }
});

test("permit/deny partition the header space; reach sets are disjoint and cover it with the implicit deny", () => {
  const g = new Gen(2024);
  const sets = new AclSets(new HeaderSpace());
  const hs = sets.hs;
  for (let a = 0; a < (process.env.NATLINT_SLOW_TESTS === "1" ? 60 : 20); a++) {
    const acl = randomAcl(g, `P${a}`, g.int(1, 20));
    const c = sets.compile(acl);
    assert.is(hs.and(c.permit, c.deny), hs.none);
    assert.is(hs.or(c.permit, c.deny), hs.all);
    let union = c.implicit;
    let sum = hs.count(c.implicit);
    let permit = hs.none;
    let covered = hs.none;
    for (const l of c.lines) {
      if (l.ace.inactive) {
        assert.is(l.match, hs.none);
        assert.is(l.reach, hs.none);
        continue;
      }
      assert.is(l.match, sets.match(l.ace.match, l.ace.action, "ios"));
      assert.ok(hs.subset(l.reach, l.match));
      assert.ok(hs.disjoint(l.reach, union), "reach sets are pairwise disjoint");
      assert.is(l.reach, hs.diff(l.match, covered), "reach = match minus earlier matches");
      covered = hs.or(covered, l.match);
      union = hs.or(union, l.reach);
      sum += hs.count(l.reach);
      if (l.ace.action === "permit") permit = hs.or(permit, l.reach);
    }
    assert.is(union, hs.all);
    assert.is(sum, (1n << 135n) + (1n << 327n), "every IPv4 and IPv6 packet once");
    assert.is(permit, c.permit);
  }
});

test("inactive lines never match; empty ACL denies everything", () => {
  const sets = new AclSets(new HeaderSpace());
  const hs = sets.hs;
  const any = { addr: 0, wildcard: 0xffffffff };
  const acl: Acl = {
    name: "X",
    vendor: "ios",
    type: "extended",
    source: { file: "f", line: 1, text: "" },
    remarks: [],
    entries: [
      { action: "permit", match: { src: [any], dst: [any], services: [{ protocol: null }] }, source: { file: "f", line: 2, text: "permit ip any any inactive" }, inactive: true },
      { action: "deny", match: { src: [any], dst: [any], services: [{ protocol: 6 }] }, source: { file: "f", line: 3, text: "deny tcp any any" } },
    ],
  };
  const c = sets.compile(acl);
  assert.is(c.lines[0]!.match, hs.none);
  assert.is(c.permit, hs.none);
  const v = c.evaluate({ protocol: 6, src: 1, dst: 2, srcPort: 1, dstPort: 2, icmpType: 0, icmpCode: 0, tcpFlags: 0, fragment: false, tos: 0 });
  assert.is(v.index, 1);
  assert.is(v.ace, acl.entries[1]);
  const empty: Acl = { ...acl, name: "E", entries: [] };
  const ce = sets.compile(empty);
  assert.is(ce.permit, hs.none);
  assert.is(ce.deny, hs.all);
  assert.is(ce.evaluate({ protocol: 17, src: 1, dst: 2, srcPort: 1, dstPort: 2, icmpType: 0, icmpCode: 0, tcpFlags: 0, fragment: false, tos: 0 }).index, -1);
});

test("compile is cached by identity; compileAcl is the same construction", () => {
  const sets = new AclSets(new HeaderSpace());
  const acl = randomAcl(new Gen(8), "C", 10);
  assert.is(sets.compile(acl), sets.compile(acl));
  const again = compileAcl(sets, acl);
  assert.is(again.permit, sets.compile(acl).permit);
});

test("evaluate agrees with evaluateAcl on a realistic 1,000-line ACL", () => {
  const sets = new AclSets(new HeaderSpace());
  const acl = realisticAcl(1, 1000);
  const c = sets.compile(acl);
  const n = process.env.NATLINT_SLOW_TESTS === "1" ? 20000 : 1500;
  const flows = flowsFor(acl, 2, n);
  let permitted = 0;
  for (const p of flows) {
    const want = evaluateAcl(acl, p);
    const got = c.evaluate(p);
    assert.is(got.index, want.index);
    if (got.action === "permit") permitted++;
  }
  assert.ok(permitted > n / 20 && permitted < n * 0.95, `mix of verdicts (${permitted} permitted)`);
  // and a matched line really matches
  for (const p of flows.slice(0, 500)) {
    const v = c.evaluate(p);
    if (v.ace) assert.ok(aceMatches(v.ace.match, p, v.ace.action));
  }
});

test.run();
