/** natlint in CI and in review, end to end in process (test/helpers/cli.ts) (issue "natlint in CI and in review"). */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { cli } from "./helpers/cli.js";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { sarifValidator } from "./helpers/sarif.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

async function run(args: string[], cwd: string) {
  const r = await cli(args, { cwd });
  return { code: r.code, out: r.stdout, err: r.stderr };
}
interface J {
  findings: Array<{ ruleId: string; severity: string; file: string; line: number; message: string }>;
  summary: { errors: number; warnings: number; infos: number; suppressed?: number; baselined?: number };
}
const json = (s: string) => JSON.parse(s) as J;

/** A scratch repository with the examples in configs/. */
function repo(): string {
  const d = mkdtempSync(join(tmpdir(), "natlint-ci-"));
  cpSync(join(ROOT, "examples"), join(d, "configs"), { recursive: true });
  mkdirSync(join(d, ".git")); // the upward config search stops at the repository root
  return d;
}

test("config file: a rule off, a severity changed, options set, per-file overrides", async () => {
  const d = repo();
  writeFileSync(
    join(d, ".natlintrc.json"),
    JSON.stringify({
      rules: { "redundant-line": "off", "ipsec-source-port-pinned": "error", "no-any-any-permit": ["warning", { protocols: "all" }] },
      overrides: [{ files: ["configs/ios-pat-broken.cfg"], rules: { "pat-drops-ipsec": "warning" } }],
    }),
  );
  writeFileSync(join(d, "configs/redundant.cfg"), "interface Gi0/0\n ip access-group A in\nip access-list extended A\n permit tcp host 10.0.0.5 any eq 443\n permit tcp any any eq 443\n");
  const base = json((await run(["lint", "--format", "json", "--no-config", "configs/"], d)).out);
  assert.ok(base.findings.some((f) => f.ruleId === "redundant-line"), "reported without the config");
  const r = await run(["lint", "--format", "json", "configs/"], d);
  const j = json(r.out);
  assert.not.ok(j.findings.some((f) => f.ruleId === "redundant-line"), "off");
  const pinned = j.findings.filter((f) => f.ruleId === "ipsec-source-port-pinned");
  assert.ok(pinned.length > 0 && pinned.every((f) => f.severity === "error"), "severity raised");
  const pat = j.findings.filter((f) => f.ruleId === "pat-drops-ipsec");
  assert.ok(pat.length === 4 && pat.every((f) => f.severity === "warning"), "override for one file");
  // the config is found from a subdirectory too (searched upward)
  const sub = join(d, "configs");
  const r2 = await run(["lint", "--format", "json", "."], sub);
  assert.not.ok(json(r2.out).findings.some((f) => f.ruleId === "redundant-line"));
});

test("a malformed config exits 2 naming the file and the key", async () => {
  const d = repo();
  writeFileSync(join(d, ".natlintrc.json"), JSON.stringify({ rules: { "pat-drops-ipsec": "loud" } }));
  const r = await run(["lint", "configs/"], d);
  assert.is(r.code, 2);
  assert.match(r.err, /\.natlintrc\.json:1:11: rules\.pat-drops-ipsec: must be one of /);
  writeFileSync(join(d, ".natlintrc.json"), JSON.stringify({ rules: { "no-such-rule": "error" } }));
  assert.match((await run(["lint", "configs/"], d)).err, /rules\.no-such-rule: unknown rule/);
  writeFileSync(join(d, ".natlintrc.json"), JSON.stringify({ rules: { "pat-drop-ipsec": "error" } }));
  assert.match((await run(["lint", "configs/"], d)).err, /rules\.pat-drop-ipsec: unknown rule \(did you mean "pat-drops-ipsec"\?\)/);
  writeFileSync(join(d, ".natlintrc.json"), JSON.stringify({ rules: { "no-any-any-permit": ["warning", { protocols: "some" }] } }));
  const o = await run(["lint", "configs/"], d);
  assert.is(o.code, 2);
  assert.match(o.err, /rules\.no-any-any-permit/);
  writeFileSync(join(d, ".natlintrc.json"), "{ \"rules\": { ");
  const p = await run(["lint", "configs/"], d);
  assert.is(p.code, 2);
  assert.match(p.err, /\.natlintrc\.json/);
  assert.is(p.err.trim().split("\n").length, 1);
});

test("--format sarif on examples/ validates against the SARIF 2.1.0 schema", async () => {
  const d = repo();
  const r = await run(["lint", "--no-config", "--format", "sarif", "configs/"], d);
  assert.is(r.code, 1);
  const log = JSON.parse(r.out) as { runs: Array<{ results: Array<{ ruleId: string; locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }> }> };
  const v = sarifValidator();
  assert.ok(v(log), JSON.stringify(v.errors?.slice(0, 3)));
  const uris = log.runs[0]!.results.map((x) => x.locations[0]!.physicalLocation.artifactLocation.uri);
  assert.ok(uris.includes("configs/ios-pat-broken.cfg"), "repo-relative URIs");
});

test("several formats at once, each with its own output file; --quiet; --max-warnings", async () => {
  const d = repo();
  const r = await run(["lint", "--no-config", "configs/", "--format", "stylish", "--format", "junit", "--output-file", "out/natlint.xml", "--format", "json", "--output-file", "out/natlint.json"], d);
  assert.is(r.code, 1);
  assert.match(r.out, /pat-drops-ipsec/);
  assert.match(readFileSync(join(d, "out/natlint.xml"), "utf8"), /^<\?xml/);
  assert.ok(json(readFileSync(join(d, "out/natlint.json"), "utf8")).findings.length > 0);
  const q = json((await run(["lint", "--no-config", "--quiet", "--format", "json", "configs/"], d)).out);
  assert.ok(q.findings.every((f) => f.severity === "error"));
  assert.is(q.summary.warnings, 0);
  // only warnings in the head-end example: exit 0, unless --max-warnings is exceeded
  assert.is((await run(["lint", "--no-config", "configs/ios-headend-pinned.cfg"], d)).code, 0);
  const m = await run(["lint", "--no-config", "--max-warnings", "0", "configs/ios-headend-pinned.cfg"], d);
  assert.is(m.code, 1);
  assert.match(m.err, /exceed --max-warnings 0/);
  assert.is((await run(["lint", "--no-config", "--format", "stylish", "--format", "json", "configs/"], d)).code, 2, "two formats on stdout");
});

test("suppressions in comments and remarks; unused directives reported on request", async () => {
  const d = mkdtempSync(join(tmpdir(), "natlint-sup-"));
  let text = readFileSync(join(ROOT, "examples/ios-pat-broken.cfg"), "utf8");
  text = text.replace(
    " permit udp host 192.0.2.2 eq isakmp host 203.0.113.10 eq isakmp",
    " remark natlint-disable-next-line pat-drops-ipsec -- peer requires 500, ticket NET-7\n permit udp host 192.0.2.2 eq isakmp host 203.0.113.10 eq isakmp",
  );
  text = text.replace("ip access-list extended OUTSIDE-IN", "! natlint-disable pat-drops-ipsec -- replies handled by NET-8\nip access-list extended OUTSIDE-IN");
  text = text.replace("ip route 0.0.0.0", "! natlint-enable pat-drops-ipsec\n! natlint-disable-next-line unused-definition -- nothing here\nip route 0.0.0.0");
  writeFileSync(join(d, "r.cfg"), text);
  const j = json((await run(["lint", "--no-config", "--format", "json", "r.cfg"], d)).out);
  const pat = j.findings.filter((f) => f.ruleId === "pat-drops-ipsec");
  assert.is(pat.length, 1, JSON.stringify(pat));
  assert.match(pat[0]!.message, /NAT-T/, "only the NAT-T line is left");
  assert.is(j.summary.suppressed, 3);
  const u = json((await run(["lint", "--no-config", "--format", "json", "--report-unused-disable-directives", "r.cfg"], d)).out);
  assert.ok(u.findings.some((f) => f.ruleId === "unused-disable-directive"));
});

test("baseline: recorded findings are not reported, and survive lines moving", async () => {
  const d = repo();
  assert.is((await run(["lint", "--no-config", "configs/", "--write-baseline", "natlint-baseline.json"], d)).code, 0);
  assert.is((await run(["lint", "--no-config", "configs/", "--baseline", "natlint-baseline.json"], d)).code, 0);
  // shift every line down and add a new problem
  const f = join(d, "configs/ios-pat-broken.cfg");
  const text = readFileSync(f, "utf8").replace("hostname branch-rtr1", "hostname branch-rtr1\n!\n!\nbanner motd ^C hello ^C");
  writeFileSync(f, text.replace(" permit tcp host 192.0.2.2 any eq 443", " permit udp host 192.0.2.2 eq 123 host 203.0.113.10 eq isakmp\n permit tcp host 192.0.2.2 any eq 443"));
  const r = await run(["lint", "--no-config", "--format", "json", "configs/", "--baseline", "natlint-baseline.json"], d);
  const j = json(r.out);
  assert.ok(j.summary.baselined! >= 6, `baselined ${j.summary.baselined}`);
  assert.ok(j.findings.every((x) => x.file === "configs/ios-pat-broken.cfg" && x.message.includes("123")), JSON.stringify(j.findings));
  assert.is((await run(["lint", "configs/", "--baseline", "missing.json"], d)).code, 2);
});

test("custom policy rules through rulesDirs: must-permit and must-deny", async () => {
  const d = repo();
  mkdirSync(join(d, "policy"));
  cpSync(join(ROOT, "test/fixtures/policy/rules"), join(d, "policy"), { recursive: true });
  writeFileSync(join(d, ".natlintrc.json"), JSON.stringify({ rulesDirs: ["policy"] }));
  writeFileSync(
    join(d, "configs/telnet.cfg"),
    readFileSync(join(d, "configs/ios-pat-fixed.cfg"), "utf8").replace(" permit tcp any host 192.0.2.2 established", " permit tcp any host 192.0.2.2 eq telnet\n permit tcp any host 192.0.2.2 established"),
  );
  const j = json((await run(["lint", "--format", "json", "configs/ios-pat-broken.cfg", "configs/ios-pat-fixed.cfg", "configs/telnet.cfg"], d)).out);
  const ids = new Set(j.findings.map((f) => f.ruleId));
  assert.ok(ids.has("headend-replies-in"), [...ids].join(","));
  const telnet = j.findings.filter((f) => f.ruleId === "no-telnet-from-outside");
  assert.equal(telnet.map((f) => f.file), ["configs/telnet.cfg"], "must-deny fires only where telnet is permitted");
  assert.ok(j.findings.filter((f) => f.ruleId === "headend-replies-in").every((f) => f.file === "configs/ios-pat-broken.cfg"), "the fixed router complies");
  writeFileSync(join(d, "policy/broken.json"), JSON.stringify({ id: "broken", title: "x", severity: "error" }));
  const bad = await run(["lint", "configs/"], d);
  assert.is(bad.code, 2);
  assert.match(bad.err, /policy\/broken\.json/);
});

test("an output file that cannot be written is one line, exit 2, never a hang (procfs, a file as a folder)", async () => {
  const d = repo();
  writeFileSync(join(d, "plain"), "x");
  for (const out of ["/proc/nope/x.json", join(d, "plain", "x.json")]) {
    const r = await run(["lint", "configs/", "--format", "json", "--output-file", out], d);
    assert.is(r.code, 2, out);
    assert.match(r.err, /^natlint: .*: cannot write \(E[A-Z]+\)\n$/, r.err);
  }
  const nested = await run(["lint", "configs/", "--format", "json", "--output-file", "reports/a/b/natlint.json"], d);
  assert.is(nested.code, 1, nested.err);
  assert.ok(readFileSync(join(d, "reports/a/b/natlint.json"), "utf8").includes('"findings"'));
});

test.run();
