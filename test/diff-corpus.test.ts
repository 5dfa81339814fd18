/**
 * `diff` on real configs (../shared/corpus, see its SOURCE.txt): each corpus device with ACLs,
 * against copies edited as a reviewer's change would be (a line's action flipped, a line
 * deleted, two lines swapped; seeded), gives the same JSON with the per-line alignment
 * (src/analysis/diff-align.ts `changedPairs`) as with the whole-ACL comparison (`full`).
 */
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import * as assert from "uvu/assert";
import { test } from "uvu";
import { AclSets } from "../src/acl/sets.js";
import { diffDevices } from "../src/analysis/diff.js";
import { HeaderSpace } from "../src/headerspace/index.js";
import { parseConfig } from "../src/parse/index.js";
import { formatDiffJson } from "../src/report/review.js";
import { Gen } from "../bench/random.js";
import { CORPUS, needsShared } from "./helpers/shared.js";

function walk(dir: string, out: string[]): void {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (!/^(SOURCE\.txt|LICENSE.*|README.*|BUILD\.bazel)$/i.test(name)) out.push(p);
  }
}

const ACE = /^\s*(\d+\s+)?(permit|deny)\s|^access-list \S+ (extended )?(permit|deny)\s/;

needsShared("diff-corpus")("corpus edits: the aligned diff equals the whole-ACL diff", () => {
  const files: string[] = [];
  walk(CORPUS, files);
  const g = new Gen(9);
  let pairs = 0;
  let changes = 0;
  for (const f of files) {
    const text = readFileSync(f, "utf8");
    const dev = parseConfig(text, f).device;
    if (dev.acls.size === 0) continue;
    const lines = text.split("\n");
    const aces = lines.flatMap((l, i) => (ACE.test(l) ? [i] : []));
    if (aces.length < 2) continue;
    for (let k = 0; k < 3; k++) {
      const ls = [...lines];
      for (let e = 0; e < 3; e++) {
        const i = g.pick(aces);
        const op = g.int(0, 2);
        if (op === 0) ls[i] = ls[i]!.replace(/\b(permit|deny)\b/, (a) => (a === "permit" ? "deny" : "permit"));
        else if (op === 1) ls[i] = "!";
        else {
          const j = g.pick(aces);
          [ls[i], ls[j]] = [ls[j]!, ls[i]!];
        }
      }
      const edited = parseConfig(ls.join("\n"), f).device;
      const got = formatDiffJson(diffDevices(new AclSets(new HeaderSpace()), dev, edited));
      assert.is(got, formatDiffJson(diffDevices(new AclSets(new HeaderSpace()), dev, edited, { full: true })), `${f} edit ${k}`);
      pairs++;
      changes += (got.match(/"witness"/g) ?? []).length;
    }
  }
  assert.ok(pairs > 80 && changes > 150, `edited pairs ${pairs}, changes ${changes}`);
});

test.run();
