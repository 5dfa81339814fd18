/**
 * Indentation is a hint, never the decision: every example and every fixture, re-indented three
 * ways — no indentation at all, one space before every line (the layout of configs copied from
 * web pages), and mixed tabs (every other indented line's indentation replaced by one tab, so a
 * nested line can end up at its parent's width) — gives exactly the findings of the original
 * (in CI every file all three ways; by default each file one of them, in turn).
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { lint } from "../src/api/index.js";

const ROOT = fileURLToPath(new URL("../", import.meta.url));

function cfgs(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((n) => {
      const p = join(dir, n);
      return statSync(p).isDirectory() ? cfgs(p) : p.endsWith(".cfg") ? [p] : [];
    });
}

const FILES = [...cfgs(join(ROOT, "examples")), ...cfgs(join(ROOT, "test/fixtures/rules")), ...cfgs(join(ROOT, "test/fixtures/parse-ios")), ...cfgs(join(ROOT, "test/fixtures/parse-asa")), ...cfgs(join(ROOT, "test/fixtures/layouts")), ...cfgs(join(ROOT, "test/corpus"))];

const LAYOUTS: Record<string, (lines: string[]) => string[]> = {
  none: (ls) => ls.map((l) => l.trimStart()),
  "one space": (ls) => ls.map((l) => (l.trim() === "" ? l : ` ${l.trimStart()}`)),
  "mixed tabs": (ls) => {
    let n = 0;
    return ls.map((l) => {
      const ws = /^[ \t]*/.exec(l)![0];
      if (ws === "" || l.trim() === "") return l;
      return n++ % 2 === 0 ? `\t${l.slice(ws.length)}` : l;
    });
  },
};

const tmp = mkdtempSync(join(tmpdir(), "natlint-reindent-"));
const SLOW = process.env.NATLINT_SLOW_TESTS === "1";

/**
 * The findings of a file, without its path (the copies live elsewhere) and columns (they move with
 * the indentation); fixes are not proven (their edits keep each line's own indentation).
 */
async function findings(file: string, cwd: string): Promise<string[]> {
  const r = await lint({ patterns: [file], cwd, config: false, proveFixes: false });
  return r.findings.map((f) => JSON.stringify({ ...f, file: undefined, column: undefined, endColumn: undefined }));
}

test(`the examples, fixtures and corpus (${FILES.length} files) give identical findings re-indented ${Object.keys(LAYOUTS).length} ways`, async () => {
  assert.ok(FILES.length > 30, `expected the examples and fixtures, found ${FILES.length}`);
  const bad: string[] = [];
  let i = 0;
  const layouts = Object.entries(LAYOUTS);
  for (const [k, file] of FILES.entries()) {
    if (!SLOW && k % 2 === 1) continue; // by default every other file (each with one layout, in turn)
    const text = readFileSync(file, "utf8");
    const want = await findings(file, ROOT);
    const lines = text.split("\n");
    // CI (NATLINT_SLOW_TESTS=1) re-indents every file all three ways; the default run one way per
    // file, in turn, over every other file, so that each layout still meets a sixth of them
    for (const [name, layout] of SLOW ? layouts : [layouts[k % layouts.length]!]) {
      const copy = join(tmp, `${++i}-${file.slice(file.lastIndexOf("/") + 1)}`);
      writeFileSync(copy, layout(lines).join("\n"));
      const got = await findings(copy, tmp);
      if (JSON.stringify(got) !== JSON.stringify(want)) {
        const missing = want.filter((x) => !got.includes(x));
        const extra = got.filter((x) => !want.includes(x));
        bad.push(`${relative(ROOT, file)} (${name}):\n  missing ${missing.join("\n          ")}\n  extra   ${extra.join("\n          ")}`);
      }
    }
  }
  rmSync(tmp, { recursive: true, force: true });
  assert.equal(bad, []);
});

test.run();
