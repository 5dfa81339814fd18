/**
 * The pipeline as the folder tree shows it: each folder of src/ imports only from folders before
 * it in the layer order (so there is no cycle between folders), the CLI calls only the API and the
 * formatters, and no source file is over 400 lines.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { fileURLToPath } from "node:url";

const SRC = fileURLToPath(new URL("../src/", import.meta.url));
const LAYERS = ["core", "io", "model", "parse", "headerspace", "acl", "nat", "sim", "analysis", "checks", "engine", "report", "api", "cli"];

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : p.endsWith(".ts") ? [p] : [];
  });
}

const sources = files(SRC).map((abs) => {
  const rel = relative(SRC, abs).split("\\").join("/");
  const text = readFileSync(abs, "utf8");
  const imports = [...text.matchAll(/from "(\.[^"]+)"/g)].map((m) => normalize(join(dirname(rel), m[1]!)).split("\\").join("/"));
  return { rel, layer: rel.includes("/") ? rel.slice(0, rel.indexOf("/")) : "(root)", lines: text.split("\n").length, imports };
});

test("every src folder is a known layer", () => {
  for (const s of sources) if (s.layer !== "(root)") assert.ok(LAYERS.includes(s.layer), `${s.rel}: folder ${s.layer} is not in the layer order`);
});

test("imports go down the layer order only (no upward import, so no cycle between folders)", () => {
  const bad: string[] = [];
  for (const s of sources) {
    if (s.layer === "(root)") continue;
    for (const imp of s.imports) {
      const to = imp.slice(0, imp.indexOf("/"));
      if (to !== s.layer && LAYERS.indexOf(to) > LAYERS.indexOf(s.layer)) bad.push(`${s.rel} → ${imp}`);
    }
  }
  assert.equal(bad, []);
});

test("the CLI imports only the API and the formatters", () => {
  const bad = sources.filter((s) => s.layer === "cli").flatMap((s) => s.imports.filter((i) => !/^(cli|api|report)\//.test(i)).map((i) => `${s.rel} → ${i}`));
  assert.equal(bad, []);
});

test("no src file is over 400 lines", () => {
  assert.equal(sources.filter((s) => s.lines > 401).map((s) => `${s.rel}: ${s.lines} lines`), []);
});

test.run();
