/**
 * Policy checks as data: custom rule files (test/fixtures/policy/rules/) name the built-in checks
 * acl-must-permit / acl-must-deny with options, and run through lint() next to the built-in rules.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ConfigError, lint } from "../src/api/index.js";
import { loadBuiltinRules, loadRulesDir } from "../src/engine/rules.js";
import type { RuleMeta } from "../src/engine/types.js";
import type { Finding } from "../src/core/finding.js";
import { check as mustPermit } from "../src/checks/acl-must-permit.js";
import { check as mustDeny } from "../src/checks/acl-must-deny.js";
import { namePattern } from "../src/checks/policy-select.js";

const DIR = fileURLToPath(new URL("./fixtures/policy/", import.meta.url));
const custom = loadRulesDir(join(DIR, "rules"));
const builtin = loadBuiltinRules();
const PERMIT = "headend-replies-in";
const DENY = "no-telnet-from-outside";

async function run(file: string, rules: RuleMeta[] = [...builtin, ...custom]): Promise<Finding[]> {
  const r = await lint({ patterns: [join(DIR, file)], cwd: DIR, config: false, rules });
  return r.findings;
}
const of = (fs: Finding[], id: string) => fs.filter((f) => f.ruleId === id);
const brief = (fs: Finding[]) => fs.map((f) => `${f.ruleId}@${f.line}: ${f.message}`).join("\n");

/** An in-memory rule for option variants (validated by the engine like a loaded one). */
function rule(id: string, check: string, options: Record<string, unknown>): RuleMeta {
  return { id, title: id, severity: "warning", description: id, rationale: id, references: [], check, options, file: `${id}.json`, docs: `${id}.md` };
}

/** Run `f`, expect a ConfigError, return its message. */
async function configError(f: () => unknown): Promise<string> {
  try {
    await f();
  } catch (e) {
    assert.instance(e, ConfigError, String(e));
    return (e as Error).message;
  }
  assert.unreachable("no ConfigError");
  return "";
}

test("custom rule files load with the built-in checks", () => {
  assert.equal(
    custom.map((r) => [r.id, r.check, r.severity]),
    [
      [PERMIT, "acl-must-permit", "error"],
      [DENY, "acl-must-deny", "error"],
    ],
  );
});

test("violating config: one finding per rule and ACL, at the deciding line, with a witness", async () => {
  const fs = await run("violating.cfg");
  const p = of(fs, PERMIT);
  assert.is(p.length, 1, brief(fs));
  assert.is(p[0]!.line, 19); // deny udp host 203.0.113.10 eq non500-isakmp host 192.0.2.2 range 1 1023
  assert.is(p[0]!.acl, "OUTSIDE-IN");
  assert.match(p[0]!.message, /denies e\.g\. udp 203\.0\.113\.10:4500 → 192\.0\.2\.2:(\d+) \(line 19\)/);
  const port = Number(/192\.0\.2\.2:(\d+)/.exec(p[0]!.message)![1]);
  assert.ok(port >= 1 && port <= 1023, `witness port ${port} is one line 19 denies`);
  assert.match(p[0]!.message, /also denied by line 22/);
  assert.equal(p[0]!.details!.lines, [19, 22]);
  assert.is(p[0]!.details!.implicitDeny, false);
  assert.equal(p[0]!.details!.appliedTo, ["GigabitEthernet0/1 in"]);
  assert.is(p[0]!.severity, "error");

  const d = of(fs, DENY);
  assert.is(d.length, 1, brief(fs));
  // line 20 (permit tcp … established) only lets return traffic in; line 21 permits telnet
  assert.is(d[0]!.line, 21);
  assert.ok(d[0]!.message.startsWith("telnet must not be reachable from outside: ACL OUTSIDE-IN"), d[0]!.message);
  assert.match(d[0]!.message, /permits e\.g\. tcp 198\.51\.100\.\d+:\d+ → 192\.0\.2\.2:23 \[SYN\] \(line 21\)/);
  assert.is(d[0]!.details!.witness, /e\.g\. (.*) \(line/.exec(d[0]!.message)![1]);
});

test("implicit deny: the finding is on the ACL's definition line", async () => {
  const p = of(await run("implicit.cfg"), PERMIT);
  assert.is(p.length, 1);
  assert.is(p[0]!.line, 7);
  assert.is(p[0]!.source, "ip access-list extended EDGE");
  assert.match(p[0]!.message, /denies e\.g\. udp 203\.0\.113\.10:4500 → 192\.0\.2\.2:\d+ by its implicit deny/);
  assert.equal(p[0]!.details!.lines, []);
  assert.is(p[0]!.details!.implicitDeny, true);
});

test("compliant config: silent (inside and unused ACLs are not selected)", async () => {
  const fs = await run("compliant.cfg");
  assert.equal(of(fs, PERMIT), [], brief(fs));
  assert.equal(of(fs, DENY), [], brief(fs));
});

test("ASA: the outside role comes from nameif / security-level", async () => {
  const fs = await run("asa.cfg");
  assert.equal(
    [...of(fs, PERMIT), ...of(fs, DENY)].map((f) => [f.ruleId, f.line, f.acl]),
    [
      [PERMIT, 12, "OUTSIDE_IN"],
      [DENY, 13, "OUTSIDE_IN"],
    ],
    brief(fs),
  );
});

test("IOS access-group naming an undefined ACL permits everything: must-deny reports the binding", async () => {
  const fs = await run("undefined-acl.cfg");
  const d = of(fs, DENY);
  assert.equal(d.map((f) => f.line), [6], brief(fs));
  assert.match(d[0]!.message, /NO-SUCH-ACL is applied \(GigabitEthernet0\/1 in\) but not defined/);
  assert.equal(of(fs, PERMIT), []);
});

test("selection by name pattern, and names combined with placement", async () => {
  const telnet = { space: "tcp any any any 23" };
  // names only: every defined ACL that matches, applied or not
  let fs = await run("compliant.cfg", [rule("r", "acl-must-deny", { ...telnet, acls: { names: ["L?B-*", "OLD"] } })]);
  assert.equal(fs.map((f) => [f.acl, f.line]), [
    ["LAB-IN", 16],
    ["OLD", 25],
  ]);
  assert.not.ok("appliedTo" in fs[1]!);
  // names and placement: both must hold
  fs = await run("compliant.cfg", [rule("r", "acl-must-deny", { ...telnet, acls: { names: ["OLD", "LAB-IN"], direction: "in" } })]);
  assert.equal(fs.map((f) => f.acl), ["LAB-IN"]);
  fs = await run("compliant.cfg", [rule("r", "acl-must-deny", { ...telnet, acls: { names: ["LAB-IN"], interfaceRole: "outside" } })]);
  assert.equal(fs, []);
  // no selector: every applied ACL (OLD is not applied)
  fs = await run("compliant.cfg", [rule("r", "acl-must-deny", telnet)]);
  assert.equal(fs.map((f) => f.acl), ["LAB-IN"]);
  // direction out: nothing is applied outbound
  fs = await run("compliant.cfg", [rule("r", "acl-must-deny", { ...telnet, acls: { direction: "out" } })]);
  assert.equal(fs, []);
});

test("namePattern: * and ? wildcards over the whole name, other characters literal", () => {
  assert.ok(namePattern("OUTSIDE-*").test("OUTSIDE-IN"));
  assert.not.ok(namePattern("OUTSIDE-*").test("X-OUTSIDE-IN"));
  assert.ok(namePattern("ACL_?").test("ACL_1"));
  assert.not.ok(namePattern("ACL_?").test("ACL_12"));
  assert.ok(namePattern("a.b").test("a.b"));
  assert.not.ok(namePattern("a.b").test("axb"));
  assert.not.ok(namePattern("outside-in").test("OUTSIDE-IN"));
});

test('packets: "all" judges every packet (established return traffic and fragments too)', async () => {
  const opts = { space: "tcp any any any 23", acls: { interfaceRole: "outside", direction: "in" } };
  let fs = await run("violating.cfg", [rule("r", "acl-must-deny", { ...opts, packets: "all" })]);
  assert.equal(fs.map((f) => f.line), [20]);
  assert.match(fs[0]!.message, /\[ACK\]/);
  assert.equal(fs[0]!.details!.lines, [20, 21]);
  fs = await run("violating.cfg", [rule("r", "acl-must-deny", opts)]);
  assert.equal(fs.map((f) => f.line), [21]);
});

test("a space the ACL fully decides the policy's way is silent; the other way is reported", async () => {
  const fs = await run("violating.cfg", [
    rule("a", "acl-must-deny", { space: "udp 192.168.100.7 any any 53", acls: { names: ["LAN-IN"] } }),
    rule("b", "acl-must-permit", { space: "ip 192.168.100.0/24 any", acls: { names: ["LAN-IN"] } }),
    rule("c", "acl-must-deny", { space: "udp 10.0.0.0/8 any any 53", acls: { names: ["LAN-IN"] } }),
  ]);
  assert.equal(fs.map((f) => [f.ruleId, f.line]), [["a", 15]], brief(fs));
  assert.match(fs[0]!.message, /^ACL LAN-IN must deny every packet of "udp 192\.168\.100\.7 any any 53": ACL LAN-IN permits e\.g\. udp 192\.168\.100\.7:1024 → [\d.]+:53 \(line 15\)$/);
});

// ---------------------------------------------------------------------------------- malformed

test("malformed rule files throw ConfigError naming the file and the key", async () => {
  const cases: Array<[string, string, RegExp]> = [
    ["bad-option", "typo-option.json", /options: acl: unknown key/],
    ["bad-selector", "bad-role.json", /options: acls\.interfaceRole: must be one of inside, outside, any/],
    ["bad-space-shape", "short-space.json", /options: space: must match pattern/],
    ["unknown-check", "no-such-check.json", /check: unknown check "acl-must-alow"/],
  ];
  for (const [dir, file, re] of cases) {
    const msg = await configError(() => loadRulesDir(join(DIR, "bad", dir)));
    assert.ok(msg.includes(join(dir, file)), `${dir}: names the file: ${msg}`);
    assert.match(msg, re, `${dir}: ${msg}`);
  }
});

test("an invalid HEADERSPACE field is a ConfigError naming options.space and the problem", async () => {
  const dir = join(DIR, "bad", "bad-space-field");
  // ajv sees only the shape; the fields are checked by the check's validateOptions (when the
  // engine calls it at load time the error names the file) and when the check runs.
  let msg: string;
  let rules: RuleMeta[] | undefined;
  try {
    rules = loadRulesDir(dir);
  } catch (e) {
    assert.instance(e, ConfigError);
    assert.ok((e as Error).message.includes("bad-port.json"), (e as Error).message);
    assert.match((e as Error).message, /space: invalid HEADERSPACE "udp any any any 70000"/);
  }
  if (rules) {
    msg = await configError(() => run("compliant.cfg", rules));
    assert.match(msg, /options\.space: invalid HEADERSPACE "udp any any any 70000": destination port "70000" is out of range 0-65535/);
  }
  assert.is(mustPermit.validate({ space: "udp any any any 70000" }), 'space: invalid HEADERSPACE "udp any any any 70000": destination port "70000" is out of range 0-65535');
  assert.match(mustDeny.validate({ space: "telnet any any" }) ?? "", /unknown protocol "telnet"/);
  assert.match(mustDeny.validate({ space: "icmp any 8 any any" }) ?? "", /ports apply only to tcp, udp and sctp/);
  assert.match(mustDeny.validate({ space: "tcp 10.0.0.300 any any 23" }) ?? "", /source address "10\.0\.0\.300"/);
  assert.is(mustDeny.validate({ space: "tcp 10.0.0.0/8 1024-65535 any 23" }), undefined);
  assert.is(mustDeny.validate({ space: "esp any 192.0.2.1" }), undefined);
});

test("config-file overrides of a policy rule's options are validated by the engine", async () => {
  const base = custom.find((r) => r.id === DENY)!;
  const msg = await configError(() =>
    lint({ patterns: [join(DIR, "compliant.cfg")], cwd: DIR, config: false, rules: [base], ruleSettingsFor: () => new Map([[DENY, { severity: "warning", options: { acls: { direction: "sideways" } } }]]) }),
  );
  assert.match(msg, /acls\.direction/);
});

// ---------------------------------------------------------------------------------- no-any-any-permit

test('no-any-any-permit protocols: "all" also reports permit tcp any any', async () => {
  const file = fileURLToPath(new URL("./fixtures/rules/no-any-any-permit/any-any.cfg", import.meta.url));
  const lines = async (protocols: string) =>
    (await lint({ patterns: [file], config: false, rules: [rule("n", "no-any-any-permit", { protocols })] })).findings.map((f) => [f.line, f.details?.protocols]);
  assert.equal(await lines("ip-only"), [
    [15, ["ip"]],
    [19, ["ip"]],
    [25, ["ip"]],
    [34, ["ip"]],
  ]);
  assert.equal(await lines("all"), [
    [15, ["ip"]],
    [19, ["ip"]],
    [23, ["tcp"]],
    [25, ["ip"]],
    [34, ["ip"]],
  ]);
});

test.run();
