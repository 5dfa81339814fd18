/**
 * shadowed-line on Batfish's filter-line-reachability examples (test/fixtures/batfish-reachability,
 * see its README): the unreachable lines, their reasons and their blockers.
 */
import { AclSets } from "../src/acl/sets.js";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { evaluateAcl } from "../src/acl/evaluate.js";
import { shadowedLines } from "../src/checks/shadowed-line.js";
import { HeaderSpace } from "../src/headerspace/index.js";
import { parseIos } from "../src/parse/ios/index.js";

const DIR = fileURLToPath(new URL("./fixtures/batfish-reachability/", import.meta.url));

interface Expected {
  acl: string;
  unreachable: Array<{ seq: number; reason: "blocked" | "unmatchable"; blocking: number[]; differentAction: boolean }>;
}
const expected = JSON.parse(readFileSync(DIR + "expected.json", "utf8")) as Record<string, Expected>;

for (const [file, want] of Object.entries(expected)) {
  test(file, () => {
    const device = parseIos(readFileSync(DIR + file, "utf8"), file);
    assert.equal(device.diagnostics, [], "fixture parses cleanly");
    const acl = device.acls.get(want.acl);
    assert.ok(acl, `ACL ${want.acl}`);
    const seq = (i: number): number => acl!.entries[i]!.seq!;
    const sets = new AclSets(new HeaderSpace());
  const hs = sets.hs;
    const got = shadowedLines(sets, acl!).map((s) => ({
      seq: seq(s.index),
      reason: s.reason,
      blocking: s.blockers.map(seq),
      differentAction: s.differentAction,
    }));
    assert.equal(got, want.unreachable);
    // every other line really decides some packet: its witness is decided by it
    const c = sets.compile(acl!);
    const reported = new Set(want.unreachable.map((u) => u.seq));
    c.lines.forEach((l, i) => {
      if (reported.has(seq(i))) return;
      const w = hs.witness(l.reach);
      assert.ok(w, `line ${seq(i)} is reachable`);
      assert.is(evaluateAcl(acl!, w!).index, i, `witness of line ${seq(i)} is decided by it`);
    });
  });
}

test.run();
