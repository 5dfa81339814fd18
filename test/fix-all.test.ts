/**
 * `lint --fix` on every example and every rule fixture: it leaves no fixable finding, adds none,
 * and the exact difference between the old and the fixed config (every ACL, as packet sets) is
 * udp IKE/NAT-T going from deny to permit — for the PAT-side widenings only in the port bands a
 * PAT may pick — and, where ipv6-nd-blocked was fixed, IPv6 neighbor discovery (ICMPv6 135/136).
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { lint, readConfig, type Finding } from "../src/api/index.js";
import { parseConfig } from "../src/parse/index.js";
import { HeaderSpace, type PSet } from "../src/headerspace/index.js";
import { AclSets } from "../src/acl/sets.js";
import { patPortsAnyPlatform } from "../src/nat/profiles.js";
import { exampleAndFixtureFiles, fixtureSettings } from "./helpers/fixtures.js";
import { CORPUS, needsShared } from "./helpers/shared.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const files = exampleAndFixtureFiles(ROOT);

const WIDEN = new Set(["pat-drops-ipsec", "ipsec-source-port-pinned"]);
const key = (f: Finding) => `${f.ruleId}\0${f.source ?? ""}`;

let fixedSomething = 0;

/** The --fix result of one file checked as the file comment says; returns whether it was fixed. */
async function checkFix(file: string, cwd: string, settings: { clients?: number; profile?: string }): Promise<boolean> {
  const before = await lint({ patterns: [file], cwd, config: false, ...settings });
  const after = await lint({ patterns: [file], cwd, config: false, fix: true, ...settings });
  const out = after.files[0]!.output;
  const old = readConfig(file, { cwd });
  // what remains: no finding with a proven fix (another pass would have applied it)
  for (const f of after.findings) assert.is(f.details?.fix, undefined, `${file}: ${f.ruleId}@${f.line} still has a fix after --fix`);
  // nothing added: every remaining finding was there before (rule and line text)
  const had = new Map<string, number>();
  for (const f of before.findings) had.set(key(f), (had.get(key(f)) ?? 0) + 1);
  for (const f of after.findings) {
    const n = had.get(key(f)) ?? 0;
    assert.ok(n > 0, `${file}: new finding after --fix: ${f.ruleId}@${f.line} ${f.message}`);
    had.set(key(f), n - 1);
  }
  const fixable = before.findings.filter((f) => f.details?.fix);
  if (out === undefined) {
    assert.is(fixable.length, 0, `${file}: findings had fixes, but nothing was fixed`);
    return false;
  }
  const rules = new Set((after.files[0]!.fixed ?? []).map((x) => x.ruleId));
  // the exact change of every ACL
  const vendor = before.files[0]!.vendor;
  const o = parseConfig(old, file, vendor).device;
  const n = parseConfig(out, file, vendor).device;
  const sets = new AclSets(new HeaderSpace());
  const hs = sets.hs;
  const udp = hs.protocol(17);
  const ipsec = (p: number): PSet => hs.or(hs.field("srcPort", p, p), hs.field("dstPort", p, p));
  let bands: PSet = hs.none;
  for (const p of [500, 4500]) {
    const side = (peer: "srcPort" | "dstPort", pat: "srcPort" | "dstPort") => hs.and(hs.field(peer, p, p), hs.portSet(pat, [...patPortsAnyPlatform(p), { lo: p, hi: p }]));
    bands = hs.or(bands, hs.or(side("dstPort", "srcPort"), side("srcPort", "dstPort")));
  }
  assert.equal([...n.acls.keys()].sort(), [...o.acls.keys()].sort(), `${file}: the same ACLs`);
  for (const [name, acl] of o.acls) {
    const po = sets.compile(acl).permit;
    const pn = sets.compile(n.acls.get(name)!).permit;
    assert.ok(hs.subset(po, pn), `${file} ${name}: something permitted before is denied after --fix`);
    const gained = hs.diff(pn, po);
    if (gained === hs.none) continue;
    const ike = hs.and(udp, hs.or(ipsec(500), ipsec(4500)));
    // ND, and the non-initial ICMPv6 fragments an IOS permit with an ICMP type matches too
    const nd = rules.has("ipv6-nd-blocked") ? hs.and(hs.and(hs.family(6), hs.protocol(58)), hs.or(hs.eq("fragment", 1), hs.or(hs.eq("icmpType", 135), hs.eq("icmpType", 136)))) : hs.none;
    assert.ok(hs.subset(gained, hs.or(ike, nd)), `${file} ${name}: a change that is not udp IKE/NAT-T (nor ND): ${JSON.stringify(hs.witness(hs.diff(gained, hs.or(ike, nd))))}`);
    if ([...rules].every((r) => WIDEN.has(r))) assert.ok(hs.subset(hs.diff(gained, nd), bands), `${file} ${name}: a port outside the PAT bands: ${JSON.stringify(hs.witness(hs.diff(gained, bands)))}`);
  }
  return true;
}

// every file in CI (NATLINT_SLOW_TESTS=1); by default the examples and one rule fixture in three
for (const [i, file] of files.entries()) {
  if (process.env.NATLINT_SLOW_TESTS !== "1" && file.startsWith("test/") && i % 3 !== 0) continue;
  test(`lint --fix: ${file}`, async () => {
    if (await checkFix(file, ROOT, fixtureSettings(join(ROOT, file)))) fixedSomething++;
  });
}

const corpusTest = needsShared("lint --fix on the corpus");
corpusTest("lint --fix on every file of the corpus of real configs", async () => {
  const all = await lint({ patterns: [CORPUS], config: false, proveFixes: false });
  let fixed = 0;
  for (const f of all.files) if (await checkFix(f.path, process.cwd(), {})) fixed++;
  assert.ok(fixed > 0, "the corpus has fixable findings (redundant lines of the pybatfish example filters)");
});

test("some fixture is fixed (the loop above tests something)", () => {
  assert.ok(fixedSomething >= 10, `only ${fixedSomething} files fixed`);
});

test.run();
