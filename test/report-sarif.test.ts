import { test } from "uvu";
import * as assert from "uvu/assert";
import path from "node:path";
import type { Finding } from "../src/core/finding.js";
import type { LintResult, RuleMeta } from "../src/engine/types.js";
import { formatSarif, FINGERPRINT_KEY, sarifLevel } from "../src/report/sarif.js";
import { githubValidator, sarifValidator } from "./helpers/sarif.js";


const CWD = path.resolve("/work/repo");

function rule(id: string, severity: RuleMeta["severity"] = "error"): RuleMeta {
  return {
    id,
    title: `Title of ${id}`,
    severity,
    description: `Description of ${id}.`,
    rationale: "Because NAT-T needs UDP 4500.",
    references: ["RFC 3947", "RFC 3948"],
    check: "ipsec-sim",
    options: {},
    file: `/elsewhere/rules/${id}.json`,
    docs: `/elsewhere/rules/${id}.md`,
  };
}

function result(findings: Finding[], rules: RuleMeta[] = [rule("pat-drops-ipsec"), rule("shadowed-ace", "warning")]): LintResult {
  const files = [...new Set(findings.map((f) => f.file))].map((p) => ({ path: p, vendor: "ios" as const }));
  const summary = {
    errors: findings.filter((f) => f.severity === "error").length,
    warnings: findings.filter((f) => f.severity === "warning").length,
    infos: findings.filter((f) => f.severity === "info").length,
  };
  return { findings, files, summary, rules };
}

const F: Finding[] = [
  {
    ruleId: "pat-drops-ipsec",
    severity: "error",
    file: "configs/edge.cfg",
    line: 42,
    message: "ACL OUTSIDE_IN drops UDP 4500 from 3 of 10 clients",
    source: "access-list OUTSIDE_IN deny udp any any eq 4500",
    acl: "OUTSIDE_IN",
    details: { sessions: 3 },
  },
  {
    ruleId: "shadowed-ace",
    severity: "warning",
    file: path.join(CWD, "configs", "core router.cfg"),
    line: 7,
    message: "line is shadowed by line 5",
    source: "permit ip any any",
  },
  { ruleId: "shadowed-ace", severity: "info", file: "configs/edge.cfg", line: 3, message: "informational", source: "remark x" },
  { ruleId: "parse-error", severity: "warning", file: "configs/edge.cfg", line: 0, message: "cannot parse file" },
];

interface SarifLog {
  $schema: string;
  version: string;
  runs: {
    tool: { driver: { name: string; version: string; rules: { id: string; helpUri?: string; defaultConfiguration: { level: string } }[] } };
    originalUriBaseIds: Record<string, { uri: string }>;
    results: {
      ruleId: string;
      ruleIndex: number;
      level: string;
      message: { text: string };
      locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region: { startLine: number } } }[];
      partialFingerprints: Record<string, string>;
      properties?: Record<string, unknown>;
    }[];
  }[];
}

const parse = (s: string) => JSON.parse(s) as SarifLog;

test("output validates against the SARIF 2.1.0 schema", () => {
  const validate = sarifValidator();
  const out = parse(formatSarif(result(F), { cwd: CWD, version: "0.1.0" }));
  const ok = validate(out);
  assert.ok(ok, JSON.stringify(validate.errors, null, 2));
});

test("output satisfies GitHub code scanning's requirements", () => {
  const validate = githubValidator();
  const out = parse(formatSarif(result(F), { cwd: CWD, version: "0.1.0" }));
  assert.ok(validate(out), JSON.stringify(validate.errors, null, 2));
  const run = out.runs[0]!;
  for (const r of run.results) assert.is(run.tool.driver.rules[r.ruleIndex]!.id, r.ruleId);
});

test("schema validation actually rejects a bad log", () => {
  const validate = sarifValidator();
  const out = parse(formatSarif(result(F), { cwd: CWD, version: "0.1.0" }));
  (out.runs[0]!.results[0] as unknown as Record<string, unknown>).level = "fatal";
  assert.not.ok(validate(out));
  const bad = parse(formatSarif(result(F), { cwd: CWD, version: "0.1.0" }));
  bad.runs[0]!.results[0]!.locations[0]!.physicalLocation.artifactLocation.uri = "has space.cfg";
  assert.not.ok(validate(bad));
});

test("driver, rules and levels", () => {
  const out = parse(formatSarif(result(F), { cwd: CWD, version: "1.2.3" }));
  assert.is(out.version, "2.1.0");
  assert.ok(out.$schema.startsWith("https://"));
  const driver = out.runs[0]!.tool.driver;
  assert.is(driver.name, "natlint");
  assert.is(driver.version, "1.2.3");
  assert.equal(
    driver.rules.map((r) => r.id),
    ["parse-error", "pat-drops-ipsec", "shadowed-ace"],
  );
  const pat = driver.rules[1]! as unknown as Record<string, any>;
  assert.is(pat.name, "PatDropsIpsec");
  assert.is(pat.shortDescription.text, "Title of pat-drops-ipsec");
  assert.is(pat.fullDescription.text, "Description of pat-drops-ipsec.");
  assert.match(pat.help.markdown, "## References");
  assert.match(pat.help.text, "RFC 3948");
  assert.is(pat.helpUri, undefined, "no invented URL without a repositoryUrl");
  assert.not.match(pat.help.text, /in the natlint package/);
  assert.is(pat.defaultConfiguration.level, "error");
  assert.equal(pat.properties.tags, ["natlint", "ipsec-sim"]);
  assert.is(driver.rules[2]!.defaultConfiguration.level, "warning");
  assert.is(sarifLevel("info"), "note");
  const levels = out.runs[0]!.results.map((r) => `${r.ruleId}:${r.level}`);
  assert.equal(levels, ["shadowed-ace:warning", "parse-error:warning", "shadowed-ace:note", "pat-drops-ipsec:error"]);
});

test("informationUri; a rule that is not built in gets no helpUri from the repository", () => {
  const out = parse(formatSarif(result(F), { cwd: CWD, version: "1.0.0", informationUri: "https://example.org/nl", repositoryUrl: "https://example.org/nl" }));
  assert.is((out.runs[0]!.tool.driver as unknown as { informationUri: string }).informationUri, "https://example.org/nl");
  assert.is(out.runs[0]!.tool.driver.rules[1]!.helpUri, undefined, "rules/pat-drops-ipsec.json here is not the package's rule file");
});

test("locations are repo-relative with forward slashes and %SRCROOT%", () => {
  const out = parse(formatSarif(result(F), { cwd: CWD, version: "0.1.0" }));
  const run = out.runs[0]!;
  const uris = run.results.map((r) => r.locations[0]!.physicalLocation.artifactLocation);
  assert.equal(uris[0], { uri: "configs/core%20router.cfg", uriBaseId: "%SRCROOT%" });
  assert.equal(uris[3], { uri: "configs/edge.cfg", uriBaseId: "%SRCROOT%" });
  assert.is(run.results[3]!.locations[0]!.physicalLocation.region.startLine, 42);
  assert.is(run.results[1]!.locations[0]!.physicalLocation.region.startLine, 1, "line 0 → 1");
  assert.ok(run.originalUriBaseIds["%SRCROOT%"]!.uri.startsWith("file:///"));
  assert.ok(run.originalUriBaseIds["%SRCROOT%"]!.uri.endsWith("/"));
});

test("a file outside cwd gets an absolute file URI", () => {
  const out = parse(
    formatSarif(result([{ ruleId: "pat-drops-ipsec", severity: "error", file: "../other/x.cfg", line: 1, message: "m" }]), {
      cwd: CWD,
      version: "0.1.0",
    }),
  );
  const loc = out.runs[0]!.results[0]!.locations[0]!.physicalLocation.artifactLocation;
  assert.is(loc.uriBaseId, undefined);
  assert.ok(loc.uri.startsWith("file:///") && loc.uri.endsWith("/other/x.cfg"), loc.uri);
});

test("extra finding keys go to result.properties", () => {
  const out = parse(formatSarif(result(F), { cwd: CWD, version: "0.1.0" }));
  assert.equal(out.runs[0]!.results[3]!.properties, { acl: "OUTSIDE_IN", sessions: 3 });
});

test("deterministic: same input twice and shuffled input give identical bytes", () => {
  const a = formatSarif(result(F), { cwd: CWD, version: "0.1.0" });
  const b = formatSarif(result(F), { cwd: CWD, version: "0.1.0" });
  const c = formatSarif(result([...F].reverse(), [...result(F).rules].reverse()), { cwd: CWD, version: "0.1.0" });
  assert.is(a, b);
  assert.is(a, c);
  assert.not.match(a, /\d{4}-\d\d-\d\dT\d\d:/); // no timestamps
});

test("partial fingerprints survive line shifts and whitespace changes, and differ for duplicates", () => {
  const base: Finding = { ruleId: "pat-drops-ipsec", severity: "error", file: "a.cfg", line: 10, message: "m", source: "deny udp any any eq 500" };
  const fp = (fs: Finding[]) =>
    parse(formatSarif(result(fs), { cwd: CWD, version: "0" })).runs[0]!.results.map((r) => r.partialFingerprints[FINGERPRINT_KEY]!);
  const [one] = fp([base]);
  const [shifted] = fp([{ ...base, line: 25, source: "deny  udp any any   eq 500" }]);
  assert.is(one, shifted);
  const [other] = fp([{ ...base, source: "deny udp any any eq 4500" }]);
  assert.is.not(one, other);
  const dup = fp([base, { ...base, line: 30 }]);
  assert.is(dup[0], one);
  assert.is.not(dup[0], dup[1]);
  assert.ok(dup[1]!.endsWith(":2"));
});

test("finding with a rule id not in result.rules gets a descriptor", () => {
  const out = parse(
    formatSarif(result([{ ruleId: "unused-disable-directive", severity: "warning", file: "a.cfg", line: 2, message: "Unused" }], []), {
      cwd: CWD,
      version: "0",
    }),
  );
  const r = out.runs[0]!.tool.driver.rules;
  assert.is(r.length, 1);
  assert.is(r[0]!.id, "unused-disable-directive");
  assert.is(out.runs[0]!.results[0]!.ruleIndex, 0);
  assert.ok(sarifValidator()(out));
});

test("empty result is a valid log with an empty results array", () => {
  const out = parse(formatSarif(result([]), { cwd: CWD, version: "0.1.0" }));
  assert.equal(out.runs[0]!.results, []);
  assert.ok(sarifValidator()(out));
});

test.run();
