import { test } from "uvu";
import * as assert from "uvu/assert";
import type { Finding } from "../src/core/finding.js";
import { applySuppressions, UNUSED_DIRECTIVE_RULE } from "../src/engine/suppress.js";
import { parseDirectives, type Directive } from "../src/parse/common/directives.js";

const FILE = "edge.cfg";
const f = (ruleId: string, line: number): Finding => ({ ruleId, severity: "error", file: FILE, line, message: `${ruleId}@${line}` });
const run = (text: string, findings: Finding[], reportUnused = true) =>
  applySuppressions(findings, new Map([[FILE, parseDirectives(text)]]), { reportUnused });
const lines = (fs: Finding[]) => fs.map((x) => `${x.ruleId}@${x.line}`);

test("parseDirectives: comment kinds, rules, reasons, targets", () => {
  const text = [
    "hostname r1", //                                                    1
    "! natlint-disable-next-line pat-drops-ipsec, Shadowed-ACE -- lab only", // 2
    "!", //                                                              3
    "access-list 101 remark keep this", //                               4
    "", //                                                               5
    "access-list 101 deny udp any any eq 4500", //                      6
    ": natlint-disable", //                                              7
    "ip access-list extended OUT", //                                    8
    " remark natlint-enable pat-drops-ipsec", //                         9
    " 20 remark natlint-disable-next-line", //                          10
    " 30 deny ip any any", //                                           11
    "access-list OUT line 3 remark natlint-enable -- done", //          12
    "! natlint-disabled is not a directive", //                         13
    "! see natlint-disable (not first word)", //                        14
    "access-list 101 permit ip any any remark natlint-disable", //      15
  ].join("\r\n");
  const ds = parseDirectives(text);
  const brief = ds.map((d) => ({ kind: d.kind, line: d.line, rules: d.rules, reason: d.reason, target: d.target }));
  assert.equal(brief, [
    { kind: "disable-next-line", line: 2, rules: ["pat-drops-ipsec", "shadowed-ace"], reason: "lab only", target: 6 },
    { kind: "disable", line: 7, rules: [], reason: undefined, target: undefined },
    { kind: "enable", line: 9, rules: ["pat-drops-ipsec"], reason: undefined, target: undefined },
    { kind: "disable-next-line", line: 10, rules: [], reason: undefined, target: 11 },
    { kind: "enable", line: 12, rules: [], reason: "done", target: undefined },
  ]);
  assert.is(ds[0]!.text, "! natlint-disable-next-line pat-drops-ipsec, Shadowed-ACE -- lab only");
});

test("disable-next-line skips comments and remarks, suppresses only the named rules", () => {
  const text = [
    "access-list 101 remark natlint-disable-next-line pat-drops-ipsec -- NAT-T not used here",
    "access-list 101 remark another remark",
    "!",
    "access-list 101 deny udp any any eq 4500",
    "access-list 101 deny udp any any eq 500",
  ].join("\n");
  const r = run(text, [f("pat-drops-ipsec", 4), f("shadowed-ace", 4), f("pat-drops-ipsec", 5)]);
  assert.equal(lines(r.suppressed), ["pat-drops-ipsec@4"]);
  assert.equal(lines(r.kept), ["shadowed-ace@4", "pat-drops-ipsec@5"]);
  assert.equal(r.unused, []);
});

test("named-ACL remark directive with multiple rules", () => {
  const text = [
    "ip access-list extended OUTSIDE_IN",
    " remark natlint-disable-next-line pat-drops-ipsec,shadowed-ace -- reviewed CHG-1234",
    " deny udp any any eq 4500",
  ].join("\n");
  const r = run(text, [f("pat-drops-ipsec", 3), f("shadowed-ace", 3), f("other", 3)]);
  assert.equal(lines(r.suppressed), ["pat-drops-ipsec@3", "shadowed-ace@3"]);
  assert.equal(lines(r.kept), ["other@3"]);
});

test("block disable/enable for one rule and for all rules", () => {
  const text = [
    "line 1", //                                   1
    "! natlint-disable shadowed-ace -- legacy", // 2
    "line 3", //                                   3
    "! natlint-enable shadowed-ace", //            4
    "line 5", //                                   5
    "! natlint-disable", //                        6
    "line 7", //                                   7
    "! natlint-enable pat-drops-ipsec", //         8
    "line 9", //                                   9
    "! natlint-enable", //                        10
    "line 11", //                                 11
  ].join("\n");
  const r = run(text, [
    f("shadowed-ace", 1),
    f("shadowed-ace", 3),
    f("pat-drops-ipsec", 3),
    f("shadowed-ace", 5),
    f("shadowed-ace", 7),
    f("pat-drops-ipsec", 7),
    f("shadowed-ace", 9),
    f("pat-drops-ipsec", 9),
    f("shadowed-ace", 11),
  ]);
  assert.equal(lines(r.suppressed), ["shadowed-ace@3", "shadowed-ace@7", "pat-drops-ipsec@7", "shadowed-ace@9"]);
  assert.equal(lines(r.kept), ["shadowed-ace@1", "pat-drops-ipsec@3", "shadowed-ace@5", "pat-drops-ipsec@9", "shadowed-ace@11"]);
  assert.equal(r.unused, []);
});

test("an unclosed disable runs to the end of the file", () => {
  const r = run("! natlint-disable pat-drops-ipsec\na\nb\nc", [f("pat-drops-ipsec", 4)]);
  assert.equal(lines(r.suppressed), ["pat-drops-ipsec@4"]);
});

test("unused directives are reported (per rule) only with reportUnused", () => {
  const text = [
    "! natlint-disable-next-line pat-drops-ipsec, shadowed-ace", // 1
    "access-list 1 deny any", //                                    2
    "! natlint-disable-next-line", //                               3
    "access-list 1 permit any", //                                  4
    "! natlint-disable no-such-finding -- why", //                  5
    "! natlint-enable no-such-finding", //                          6
    "! natlint-enable pat-drops-ipsec", //                          7
    "! natlint-disable-next-line pat-drops-ipsec", //              8
  ].join("\n");
  const r = run(text, [f("pat-drops-ipsec", 2)]);
  assert.equal(lines(r.suppressed), ["pat-drops-ipsec@2"]);
  assert.equal(
    r.unused.map((u) => [u.line, u.message]),
    [
      [1, "Unused rule in natlint-disable-next-line directive (no problems were reported from 'shadowed-ace')"],
      [3, "Unused natlint-disable-next-line directive (no problems were reported)"],
      [5, "Unused natlint-disable directive (no problems were reported from 'no-such-finding')"],
      [7, "Unused natlint-enable directive for 'pat-drops-ipsec' (no matching natlint-disable is active)"],
      [8, "Unused natlint-disable-next-line directive (no problems were reported from 'pat-drops-ipsec')"],
    ],
  );
  for (const u of r.unused) {
    assert.is(u.ruleId, UNUSED_DIRECTIVE_RULE);
    assert.is(u.severity, "warning");
    assert.is(u.file, FILE);
  }
  assert.is(r.unused[2]!.source, "! natlint-disable no-such-finding -- why");
  assert.equal(run(text, [f("pat-drops-ipsec", 2)], false).unused, []);
});

test("files without directives and directive maps keyed per file", () => {
  const other: Finding = { ...f("pat-drops-ipsec", 2), file: "other.cfg" };
  const r = applySuppressions(
    [f("pat-drops-ipsec", 2), other],
    new Map<string, Directive[]>([[FILE, parseDirectives("! natlint-disable-next-line\nx")]]),
    { reportUnused: true },
  );
  assert.equal(r.suppressed, [f("pat-drops-ipsec", 2)]);
  assert.equal(r.kept, [other]);
});

test("a directive without a reason is honoured", () => {
  const r = run("! natlint-disable-next-line pat-drops-ipsec\nx", [f("pat-drops-ipsec", 2)]);
  assert.is(r.suppressed.length, 1);
  assert.is(parseDirectives("! natlint-disable-next-line a --")[0]!.reason, undefined);
});

test.run();
