/**
 * Per-ACL results shared between versions of a file (src/engine/acl-memo.ts): the proof of a fix
 * lints the edited config again and takes the results of its unchanged ACLs from the first lint.
 * Which ACLs count as unchanged, and that a check's memo key holds every input besides the ACL's
 * lines: each example and rule fixture is linted, then versions of it that change the device
 * around its ACLs (where they are applied, the NAT, the interface addresses, the crypto and the
 * inspection) are linted with the first lint's results offered for every ACL whose lines are the
 * same; the findings must be those of a lint without the memo.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseConfig } from "../src/parse/index.js";
import { runRules } from "../src/engine/checks-run.js";
import { loadBuiltinRules } from "../src/engine/rules.js";
import { AclMemo, unchangedAcls } from "../src/engine/acl-memo.js";
import { sameAclContent } from "../src/model/ace-key.js";
import type { Device } from "../src/model/types.js";
import { exampleAndFixtureFiles, fixtureSettings } from "./helpers/fixtures.js";
import { lintText, newLintSession } from "../src/api/index.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const files = exampleAndFixtureFiles(ROOT);

const acl = (body: string, extra = "") => parseConfig(`hostname r\n${extra}ip access-list extended A\n${body}`, "a.cfg").device.acls.get("A")!;

test("an ACL is unchanged when every line matches the same packets with the same action, wherever its lines are", () => {
  const a = acl(" permit udp any host 192.0.2.1 eq 500\n deny ip any any\n");
  // the same lines further down the file, written with other spacing and a name for the port
  assert.ok(sameAclContent(a, acl("  permit   udp any host 192.0.2.1 eq isakmp\n deny ip any any\n", "interface Loopback0\n ip address 10.9.9.9 255.255.255.255\n")));
  assert.not.ok(sameAclContent(a, acl(" permit udp any host 192.0.2.1 eq 4500\n deny ip any any\n")), "another port");
  assert.not.ok(sameAclContent(a, acl(" deny udp any host 192.0.2.1 eq 500\n deny ip any any\n")), "another action");
  assert.not.ok(sameAclContent(a, acl(" deny ip any any\n permit udp any host 192.0.2.1 eq 500\n")), "another order");
  assert.not.ok(sameAclContent(a, acl(" permit udp any host 192.0.2.1 eq 500\n")), "a line fewer");
  // an object-group's members are part of the match
  const g = (m: string) => acl(" permit udp any object-group P eq 500\n deny ip any any\n", `object-group network P\n host ${m}\n`);
  assert.ok(sameAclContent(g("192.0.2.1"), g("192.0.2.1")));
  assert.not.ok(sameAclContent(g("192.0.2.1"), g("192.0.2.2")), "another group member");
});

/** Versions of a config with the device around its ACLs changed, each by dropping one kind of line. */
const VARIANTS: Array<[string, RegExp]> = [
  ["where the ACLs are applied", /^\s*(ip |ipv6 )?(access-group|traffic-filter)\b/],
  ["the NAT", /^\s*(ip nat|nat\b|object network)/],
  ["the interface addresses", /^\s*(ip|ipv6) address\b/],
  ["the crypto", /^\s*crypto\b/],
  ["the inspection", /^\s*(ip inspect|zone|policy-map|service-policy|inspect\b)/],
];

function findingsJson(device: Device, settings: { clients?: number; profile?: string }, perAcl?: ReturnType<AclMemo["view"]>): string {
  const rules = loadBuiltinRules();
  return JSON.stringify(runRules(device, rules, { clients: settings.clients ?? 3, ...(settings.profile ? { profile: settings.profile } : {}) }, undefined, undefined, undefined, perAcl));
}

test("findings with results taken from another version of the device are those computed afresh", () => {
  let reused = 0;
  let differing = 0;
  // every file in CI (NATLINT_SLOW_TESTS=1), every third one by default
  for (const file of files.filter((_, i) => process.env.NATLINT_SLOW_TESTS === "1" || i % 3 === 0)) {
    const text = readFileSync(join(ROOT, file), "utf8");
    const settings = fixtureSettings(join(ROOT, file));
    const first = parseConfig(text, file).device;
    const memo = new AclMemo();
    // the first lint fills the memo (nothing in it to take yet: the findings of a plain lint)
    const firstJson = findingsJson(first, settings, memo.view());
    for (const [what, drop] of VARIANTS) {
      const lines = text.split("\n");
      const kept = lines.filter((l) => !drop.test(l));
      if (kept.length === lines.length) continue;
      const edited = parseConfig(kept.join("\n"), file).device;
      const same = unchangedAcls(first, edited);
      reused += same.size;
      const fresh = findingsJson(edited, settings);
      if (fresh !== firstJson) differing++;
      assert.is(findingsJson(edited, settings, memo.view(same)), fresh, `${file} without ${what}`);
    }
  }
  // the versions change findings (else the keys would not be put to the test) and share ACLs
  assert.ok(differing > 20, `${differing} versions changed the findings`);
  assert.ok(reused > 50, `${reused} ACLs reused`);
});

test("a session carries the analyses of unchanged ACLs from one version of a buffer to the next, with the findings of a fresh lint", async () => {
  const text = readFileSync(join(ROOT, "examples/ios-pat-broken.cfg"), "utf8");
  const lines = text.split("\n");
  const at = lines.findIndex((l) => /^ (permit|deny) /.test(l));
  assert.ok(at > 0);
  // v2: one ACL line deleted, an unrelated line added; v3: back to v1
  const versions = [text, [...lines.slice(0, at), ...lines.slice(at + 1), "banner motd ^C edited ^C"].join("\n"), text];
  const session = newLintSession();
  const json = (r: { findings: unknown[] }) => JSON.stringify(r.findings);
  let hits = 0;
  for (const [i, v] of versions.entries()) {
    // without the fix proofs, which take results from the first lint of each version by themselves
    const fresh = await lintText(v, { filename: "buffer.cfg", config: false, proveFixes: false });
    const kept = await lintText(v, { filename: "buffer.cfg", config: false, proveFixes: false, session });
    assert.is(json(kept), json(fresh), `version ${i + 1}`);
    if (i > 0) assert.ok(session.hits > hits, `version ${i + 1} reused results`);
    else assert.is(session.hits, 0);
    hits = session.hits;
    // and with them
    assert.is(json(await lintText(v, { filename: "buffer.cfg", config: false, session })), json(await lintText(v, { filename: "buffer.cfg", config: false })), `version ${i + 1}, fixes proven`);
    hits = session.hits;
  }
});

test.run();
