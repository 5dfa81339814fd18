/**
 * Object-group nesting through the shared resolver (src/parse/common/groups.ts), in IOS and ASA
 * syntax: deep chains resolve completely without an exception, cycles keep each vendor's
 * semantics, and a nesting limit is a `limit` diagnostic at the reference it cuts, with the lines
 * using the groups concerned approximate (so never reported as unmatchable).
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { shadowedLines } from "../src/checks/shadowed-line.js";
import { HeaderSpace } from "../src/headerspace/index.js";
import { AclSets } from "../src/acl/sets.js";
import { host, parseIp } from "../src/model/addr.js";
import type { Device, Wildcard } from "../src/model/types.js";
import { Cursor, ParseError } from "../src/parse/common/cursor.js";
import { MAX_GROUP_SIZE } from "../src/parse/common/groups.js";
import { parseAsa } from "../src/parse/asa/index.js";
import { parseIos } from "../src/parse/ios/index.js";

type Vendor = "ios" | "asa";
const ip = (k: number): string => `10.${(k >> 16) & 255}.${(k >> 8) & 255}.${k & 255}`;

/** Group Gk = one host + group-object G(k-1); `topFirst` defines G_N first (the deepest walk). */
function chain(v: Vendor, n: number, topFirst: boolean, extra: string[] = []): string {
  const groups: string[] = [];
  for (let k = 1; k <= n; k++) {
    const member = v === "ios" ? ` host ${ip(k)}` : ` network-object host ${ip(k)}`;
    groups.push(`object-group network G${k}\n${member}${k > 1 ? `\n group-object G${k - 1}` : ""}`);
  }
  if (topFirst) groups.reverse();
  return [...(v === "asa" ? ["ASA Version 9.12(4)"] : []), ...groups, ...extra].join("\n") + "\n";
}
/** ACL A: one line per group name, `permit ip object-group G any`. */
function aclUsing(v: Vendor, names: string[]): string[] {
  if (v === "ios") return ["ip access-list extended A", ...names.map((g) => ` permit ip object-group ${g} any`)];
  return names.map((g) => `access-list A extended permit ip object-group ${g} any`);
}
const parse = (v: Vendor, text: string, groupLimits?: { maxDepth?: number; maxSize?: number }): Device =>
  v === "ios" ? parseIos(text, "t.cfg", groupLimits ? { groupLimits } : {}) : parseAsa(text, "t.cfg", groupLimits ? { groupLimits } : {});
/** Hosts hi, hi-1, …, lo: the content of G_hi in a chain (no limit). */
const hosts = (hi: number, lo = 1): Wildcard[] => {
  const out: Wildcard[] = [];
  for (let k = hi; k >= lo; k--) out.push(host(parseIp(ip(k))!));
  return out;
};
const lineOf = (text: string, s: string, after = ""): number => {
  const ls = text.split("\n");
  return ls.findIndex((l, i) => l === s && (after === "" || ls.slice(0, i).some((p) => p === after))) + 1;
};
const entries = (d: Device) => d.acls.get("A")!.entries;

test("cursor contract: next() throws at the end, take() does not, end() rejects leftovers", () => {
  const c = new Cursor(["permit", "IP", "10.0.0.1"], 1);
  assert.is(c.peekKw(), "ip");
  assert.ok(c.accept("ip"));
  assert.is(c.ip("an address"), parseIp("10.0.0.1"));
  assert.is(c.take(), undefined);
  assert.is(c.prev(), "10.0.0.1");
  assert.throws(() => c.next("a wildcard"), (e: unknown) => e instanceof ParseError && e.message === "expected a wildcard at end of line");
  const d = new Cursor(["1", "x"]);
  assert.is(d.int("n", 0, 5), 1);
  assert.throws(() => d.end(), (e: unknown) => e instanceof ParseError && e.message === 'unexpected "x"');
});

const SLOW = process.env.NATLINT_SLOW_TESTS === "1";

// CI (NATLINT_SLOW_TESTS=1) parses each syntax in both orders; the default run each syntax in one
test("a chain of 4,000 nested object-groups resolves completely (IOS and ASA syntax, both definition orders)", () => {
  for (const v of ["ios", "asa"] as const)
    for (const topFirst of SLOW ? [true, false] : [v === "ios"]) {
      const d = parse(v, chain(v, 4000, topFirst, aclUsing(v, ["G4000", "G2000"])));
      const what = `${v} ${topFirst ? "top-first" : "bottom-first"}`;
      assert.equal(d.diagnostics, [], what);
      const [a, b] = entries(d);
      assert.equal(a!.match.src, hosts(4000), what);
      assert.equal(b!.match.src, hosts(2000), what);
      assert.is(a!.match.approximate, undefined, what);
      assert.equal(d.objectGroups.get("G4000")!.addrs, hosts(4000), what);
      assert.equal(d.objectGroups.get("G1")!.addrs, hosts(1), what);
    }
});

// 30,000 levels: about three times what a recursive walk survives on Node's default stack. Both
// syntaxes in CI; the default run IOS's (they share the resolver, and the 4,000-level test above
// runs both).
test("a chain of 30,000 nested object-groups resolves completely, without an exception (IOS and ASA syntax)", () => {
  for (const v of SLOW ? (["ios", "asa"] as const) : (["ios"] as const)) {
    const d = parse(v, chain(v, 30_000, true, aclUsing(v, ["G30000", "G3"])));
    assert.equal(d.diagnostics, [], v);
    const [a, b] = entries(d);
    assert.is(a!.match.src.length, 30_000, v);
    assert.equal(a!.match.src, hosts(30_000), v);
    assert.equal(b!.match.src, hosts(3), v);
    assert.is(a!.match.approximate, undefined, v);
  }
});

test("a cycle closing a 4,000-deep chain: one cycle diagnostic, IOS refuses the closing edge, ASA merges the cycle", () => {
  // G1 also nests G4000: G4000 → … → G1 → G4000
  const ios = chain("ios", 4000, true, [...aclUsing("ios", ["G4000", "G1"])]).replace(" host 10.0.0.1\n", " host 10.0.0.1\n group-object G4000\n");
  const di = parse("ios", ios);
  const ci = di.diagnostics.filter((x) => x.kind === "cycle");
  assert.is(ci.length, 1);
  assert.is(ci[0]!.source.line, 1); // object-group network G4000, the group reached again
  assert.ok(ci[0]!.message.startsWith("object-group nesting cycle: G4000 -> G3999 -> "));
  assert.ok(ci[0]!.message.endsWith(" -> G2 -> G1 -> G4000"));
  assert.equal(entries(di)[0]!.match.src, hosts(4000));
  assert.equal(entries(di)[1]!.match.src, hosts(1)); // the refused group-object G4000 adds nothing to G1
  assert.is(di.diagnostics.length, 1);

  const asa = chain("asa", 4000, true, aclUsing("asa", ["G4000", "G1"])).replace(" network-object host 10.0.0.1\n", " network-object host 10.0.0.1\n group-object G4000\n");
  const da = parse("asa", asa);
  const ca = da.diagnostics.filter((x) => x.kind === "cycle");
  assert.is(ca.length, 1);
  assert.is(ca[0]!.source.line, lineOf(asa, " group-object G4000"));
  assert.ok(ca[0]!.message.startsWith("object-group nesting cycle G4000 → G3999 → "));
  assert.ok(ca[0]!.message.includes(" → G1 → G4000; each group in the cycle"));
  for (const e of entries(da)) assert.is(e.match.src.length, 4000);
  assert.equal(new Set(entries(da)[1]!.match.src.map((w) => w.addr)).size, 4000);
});

test("nesting-depth limit: a limit diagnostic at the cut reference, content kept up to it, the lines using it approximate (never unmatchable)", () => {
  for (const v of ["ios", "asa"] as const) {
    // lines 1-2 cover hosts 4-15: with G12 cut down to hosts 12..7 line 3 would look unmatchable
    const acl =
      v === "ios"
        ? ["ip access-list extended A", " permit ip 10.0.0.4 0.0.0.3 any", " permit ip 10.0.0.8 0.0.0.7 any", " permit ip object-group G12 any", " permit ip object-group G6 any"]
        : [
            "access-list A extended permit ip 10.0.0.4 255.255.255.252 any",
            "access-list A extended permit ip 10.0.0.8 255.255.255.248 any",
            ...aclUsing("asa", ["G12", "G6"]),
          ];
    const text = chain(v, 12, false, acl);
    const d = parse(v, text, { maxDepth: 5 });
    const cutLine = lineOf(text, " group-object G6", "object-group network G7");
    const limits = d.diagnostics.filter((x) => x.kind === "limit");
    assert.equal(limits.map((x) => x.source.line), [cutLine, d.acls.get("A")!.entries[2]!.source.line], v);
    assert.match(limits[0]!.message, /G6 is left out of object-group (network )?G7, .*would nest 6 levels deep, more than natlint's nesting-depth limit of 5/);
    assert.match(limits[1]!.message, /^object-group G12 is incomplete \(the nesting-depth limit of 5 was reached at line \d+\): this line is analysed/);
    const es = entries(d);
    assert.equal(es[2]!.match.src, hosts(12, 7), v);
    assert.match(es[2]!.match.approximate ?? "", /object-group G12 is incomplete/);
    assert.equal(es[3]!.match.src, hosts(6), v); // G6 nests 5 levels: complete
    assert.is(es[3]!.match.approximate, undefined, v);
    assert.equal(shadowedLines(new AclSets(new HeaderSpace()), d.acls.get("A")!), [], v);
  }
});

/** Level k: groups Ak and Bk, each one host and both groups of level k-1 (2^(k+1) paths to the bottom). */
function lattice(v: Vendor, levels: number): string {
  const out: string[] = v === "asa" ? ["ASA Version 9.12(4)"] : [];
  for (let k = 0; k <= levels; k++)
    for (const [s, n] of [[1, "A"], [2, "B"]] as const) {
      out.push(`object-group network ${n}${k}`, `${v === "ios" ? "" : " network-object"} host 10.${s}.0.${k}`);
      if (k > 0) out.push(` group-object A${k - 1}`, ` group-object B${k - 1}`);
    }
  return [...out, ...aclUsing(v, [`A${levels}`])].join("\n") + "\n";
}

test("expanded-size limit (default): IOS repeats shared groups and stops at MAX_GROUP_SIZE; ASA counts each group once", () => {
  const text = lattice("ios", 22); // A22 would expand to 2^23 - 1 entries
  const d = parse("ios", text);
  const limits = d.diagnostics.filter((x) => x.kind === "limit");
  // A21 = host + A20 (2^21 - 1) + B20 (2^21 - 1) passes 4,000,000: its group-object B20 is the first cut
  assert.is(limits[0]!.source.line, lineOf(text, " group-object B20", "object-group network A21"));
  assert.match(limits[0]!.message, new RegExp(`^group-object B20 is left out of object-group A21, .*expanded-size limit of ${MAX_GROUP_SIZE} entries`));
  const ace = entries(d)[0]!;
  assert.ok(ace.match.src.length > 0 && ace.match.src.length <= MAX_GROUP_SIZE);
  assert.match(ace.match.approximate ?? "", /^object-group A22 is incomplete \(the expanded-size limit of 4000000 was reached at line \d+\)$/);
  assert.ok(limits.some((x) => x.source.line === ace.source.line));

  const da = parse("asa", lattice("asa", 22));
  assert.equal(da.diagnostics, []);
  assert.is(entries(da)[0]!.match.src.length, 45); // A22 and both groups of each level below, each once
  assert.is(entries(da)[0]!.match.approximate, undefined);
});

test("ASA size limit: the cut reference, the ACE and a NAT rule using the group say so", () => {
  const text = chain("asa", 12, false, [...aclUsing("asa", ["G12", "G7"]), "nat (inside,outside) source dynamic G12 interface"]);
  const d = parse("asa", text, { maxSize: 7 });
  const cut = lineOf(text, " group-object G7", "object-group network G8");
  const limits = d.diagnostics.filter((x) => x.kind === "limit");
  const [a, b] = entries(d);
  const natLine = lineOf(text, "nat (inside,outside) source dynamic G12 interface");
  assert.equal(limits.map((x) => x.source.line), [cut, a!.source.line, natLine]);
  assert.match(limits[0]!.message, /^object-group G7 is left out of object-group network G8, .*expanded-size limit of 7 entries/);
  assert.equal(a!.match.src, hosts(12, 8));
  assert.match(a!.match.approximate ?? "", /object-group G12 is incomplete \(the expanded-size limit of 7 was reached at line/);
  assert.equal(b!.match.src, hosts(7));
  assert.is(b!.match.approximate, undefined);
  assert.match(limits[2]!.message, /^object-group G12 is incomplete/);
});

test.run();
