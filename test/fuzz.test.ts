/**
 * The fuzzer's seeds (test/fuzz/seeds/, every crash it found among them, the examples and the rule
 * fixtures) through every fuzz target (test/fuzz/targets.ts), in each run of `npm test`: a
 * contract broken again, or an input slower than 2 s, fails here. The coverage-guided search
 * itself is test/fuzz/run.ts (`npm run fuzz`, and a short run in .ci/run).
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import path from "node:path";
import { TARGETS } from "./fuzz/targets.js";
import { seedFiles } from "./fuzz/seeds.js";

for (const t of TARGETS)
  test(`fuzz target ${t.name}: every seed keeps the contract, each within 2 s`, () => {
    // every seed in CI (NATLINT_SLOW_TESTS=1); by default the fuzzer's own seeds (every crash it
    // found) and the examples always, and one rule fixture in three
    const fixtures = path.join("test", "fixtures", "rules");
    const files = seedFiles(t.seeds).filter((f, i) => process.env.NATLINT_SLOW_TESTS === "1" || !f.includes(fixtures) || i % 3 === 0);
    assert.ok(files.length > 0, "no seeds");
    for (const f of files) {
      const t0 = performance.now();
      try {
        t.run(readFileSync(f));
      } catch (e) {
        assert.unreachable(`${path.basename(f)}: ${e instanceof Error ? e.message : String(e)}`);
      }
      const ms = performance.now() - t0;
      assert.ok(ms < 2000, `${path.basename(f)} took ${Math.round(ms)} ms`);
    }
  });

test.run();
