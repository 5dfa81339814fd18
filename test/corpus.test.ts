/**
 * Parse-robustness over real IOS configs from public projects (../shared/corpus, see its SOURCE.txt).
 * Every file must parse without throwing; the count of unrecognized-syntax diagnostics is printed.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { CORPUS, needsShared } from "./helpers/shared.js";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { parseIos } from "../src/parse/ios/index.js";
import { decodeConfig } from "../src/io/decode.js";

const DIRS = ["batfish/ios", "batfish/example-network", "pybatfish", "hier_config"];
const SKIP = new Set(["BUILD.bazel", "SOURCE.txt", "LICENSE"]);

function walk(dir: string, out: string[]): void {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (!SKIP.has(name)) out.push(p);
  }
}

needsShared("corpus")("corpus: every IOS file parses without throwing", () => {
  assert.ok(existsSync(CORPUS), `corpus directory not found at ${CORPUS} (the repo expects ../shared/corpus beside it)`);
  const files: string[] = [];
  for (const d of DIRS) {
    const p = join(CORPUS, d);
    assert.ok(existsSync(p), `corpus folder missing: ${p}`);
    walk(p, files);
  }
  assert.ok(files.length > 150, `expected the full corpus, found only ${files.length} files`);
  let unrecognized = 0;
  let unmodelled = 0;
  const crashes: string[] = [];
  const byMessage = new Map<string, number>();
  for (const f of files) {
    try {
      const dev = parseIos(decodeConfig(readFileSync(f)), f);
      for (const d of dev.diagnostics) {
        if (d.kind === "unrecognized-syntax") {
          unrecognized++;
          const key = d.message.replace(/"[^"]*"/g, '"…"').replace(/\d+(\.\d+)*/g, "N");
          byMessage.set(key, (byMessage.get(key) ?? 0) + 1);
          if (process.env.CORPUS_VERBOSE) console.log(`${f.slice(CORPUS.length + 1)}:${d.source.line}: ${d.message} | ${d.source.text}`);
        } else if (d.kind === "unmodelled") unmodelled++;
      }
    } catch (e) {
      crashes.push(`${f}: ${e instanceof Error ? e.stack : String(e)}`);
    }
  }
  const top = [...byMessage.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8);
  console.log(`corpus: ${files.length} files, ${crashes.length} crashes, ${unrecognized} unrecognized-syntax, ${unmodelled} unmodelled`);
  for (const [m, n] of top) console.log(`  ${n} × ${m}`);
  assert.equal(crashes, []);
});

test.run();
