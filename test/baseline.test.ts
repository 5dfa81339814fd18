import { ConfigError } from "../src/core/errors.js";
import { test } from "uvu";
import * as assert from "uvu/assert";
import path from "node:path";
import type { Finding } from "../src/core/finding.js";
import { filterByBaseline, parseBaseline, writeBaseline } from "../src/engine/baseline.js";

const CWD = path.resolve("/work/repo");
const f = (line: number, source: string, extra: Partial<Finding> = {}): Finding => ({
  ruleId: "pat-drops-ipsec",
  severity: "error",
  file: "edge/r1.cfg",
  line,
  message: `drops clients at line ${line}`,
  source,
  acl: "OUTSIDE_IN",
  ...extra,
});

const today: Finding[] = [
  f(12, "access-list OUTSIDE_IN deny udp any any eq 4500"),
  f(40, "access-list OUTSIDE_IN deny   esp any any"),
  f(41, "access-list OUTSIDE_IN deny esp any any"),
  f(7, "permit ip any any", { ruleId: "shadowed-ace", severity: "warning", file: path.join(CWD, "core", "r2.cfg"), acl: "IN" }),
];

test("writeBaseline: repo-relative paths, normalized source, counts, stable sort", () => {
  const json = writeBaseline(today, { cwd: CWD });
  const data = JSON.parse(json);
  assert.equal(data, {
    version: 1,
    entries: [
      { ruleId: "shadowed-ace", file: "core/r2.cfg", source: "permit ip any any", acl: "IN", count: 1 },
      { ruleId: "pat-drops-ipsec", file: "edge/r1.cfg", source: "access-list OUTSIDE_IN deny esp any any", acl: "OUTSIDE_IN", count: 2 },
      { ruleId: "pat-drops-ipsec", file: "edge/r1.cfg", source: "access-list OUTSIDE_IN deny udp any any eq 4500", acl: "OUTSIDE_IN", count: 1 },
    ],
  });
  assert.is(writeBaseline([...today].reverse(), { cwd: CWD }), json, "order-independent bytes");
  assert.ok(json.endsWith("}\n"));
  assert.not.match(json, "line 12", "line numbers/messages are not stored");
});

test("line shifts keep matching; a new finding is kept", () => {
  const baseline = writeBaseline(today, { cwd: CWD });
  const tomorrow: Finding[] = [
    f(15, "access-list OUTSIDE_IN deny udp any any eq 4500"), // shifted by 3 lines
    f(43, "access-list  OUTSIDE_IN deny esp any any"), // shifted, whitespace differs
    f(44, "access-list OUTSIDE_IN deny esp any any"),
    f(50, "access-list OUTSIDE_IN deny udp any any eq 500"), // new
    f(9, "permit ip any any", { ruleId: "shadowed-ace", severity: "warning", file: "core/r2.cfg", acl: "IN" }), // relative now
  ];
  const r = filterByBaseline(tomorrow, baseline, { cwd: CWD });
  assert.equal(r.kept.map((x) => x.line), [50]);
  assert.equal(r.matched.map((x) => x.line), [15, 43, 44, 9]);
  assert.equal(r.unusedEntries, []);
});

test("counts: two identical findings against one baseline entry leave one", () => {
  const baseline = writeBaseline([f(40, "deny esp any any")], { cwd: CWD });
  const r = filterByBaseline([f(60, "deny esp any any"), f(20, "deny esp any any")], baseline, { cwd: CWD });
  assert.is(r.matched.length, 1);
  assert.is(r.kept.length, 1);
  assert.is(r.matched[0]!.line, 20, "earliest in file order is matched");
  assert.is(r.kept[0]!.line, 60);
});

test("rule, file and ACL are part of the key", () => {
  const baseline = writeBaseline([f(1, "deny esp any any")], { cwd: CWD });
  const r = filterByBaseline(
    [
      f(1, "deny esp any any", { ruleId: "other-rule" }),
      f(1, "deny esp any any", { file: "edge/r3.cfg" }),
      f(1, "deny esp any any", { acl: "OTHER" }),
    ],
    baseline,
    { cwd: CWD },
  );
  assert.is(r.kept.length, 3);
  assert.is(r.unusedEntries.length, 1);
  assert.is(r.unusedEntries[0]!.count, 1);
});

test("fixed findings show up as unused entries", () => {
  const baseline = writeBaseline(today, { cwd: CWD });
  const r = filterByBaseline([today[0]!], baseline, { cwd: CWD });
  assert.equal(r.unusedEntries.map((e) => [e.ruleId, e.count]), [["shadowed-ace", 1], ["pat-drops-ipsec", 2]]);
});

test("a finding without source falls back to its message", () => {
  const noSrc: Finding = { ruleId: "parse-error", severity: "error", file: "a.cfg", line: 3, message: "cannot  parse" };
  const baseline = writeBaseline([noSrc], { cwd: CWD });
  assert.is(filterByBaseline([{ ...noSrc, line: 9, message: "cannot parse" }], baseline, { cwd: CWD }).matched.length, 1);
});

test("malformed baselines throw ConfigError", () => {
  assert.throws(() => parseBaseline("{"), (e: unknown) => e instanceof ConfigError && /^baseline:1:2: invalid JSON/.test(e.message));
  // an arbitrary file (not JSON) is named, its content never quoted
  assert.throws(
    () => parseBaseline("root:x:0:0:root:/root:/bin/bash\n", "/etc/passwd"),
    (e: unknown) => e instanceof ConfigError && e.message.startsWith("/etc/passwd:1:1: invalid JSON") && !e.message.includes("root:x"),
  );
  assert.throws(() => parseBaseline('{"version": 2, "entries": []}'), (e: unknown) => e instanceof ConfigError);
  assert.throws(() => parseBaseline('{"version": 1, "entries": [{"ruleId": "r"}]}'), (e: unknown) => e instanceof ConfigError && /entries\/0/.test(e.message));
  assert.equal(parseBaseline('{"version":1,"entries":[]}').entries, []);
});

test.run();
