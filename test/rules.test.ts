/**
 * Rule fixtures (test/fixtures/rules/<rule>/*.cfg) carry their expected findings as comment
 * markers; see test/fixtures/rules/README.md. Every rule must have a positive fixture.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { lint } from "../src/api/index.js";
import { loadBuiltinRules } from "../src/engine/rules.js";

const ROOT = fileURLToPath(new URL("./fixtures/rules/", import.meta.url));

interface Expectation {
  rules: string[];
  clients?: number;
  profile?: string;
  expected: string[];
  messages: Array<{ line: number; text: string }>;
}

function expectations(file: string, folderRule: string): Expectation {
  const lines = readFileSync(file, "utf8").split(/\r?\n/);
  const e: Expectation = { rules: [folderRule], expected: [], messages: [] };
  let pending: string[] = [];
  let pendingMsg: string[] = [];
  lines.forEach((raw, i) => {
    const l = raw.trim();
    const hdr = /^!\s*natlint-test:\s*(.*)$/.exec(l);
    if (hdr) {
      for (const kv of hdr[1]!.split(/\s+/)) {
        const [k, v] = kv.split("=");
        if (k === "rules") e.rules = v!.split(",");
        if (k === "clients") e.clients = Number(v);
        if (k === "profile") e.profile = v!;
      }
      return;
    }
    const ex = /^!\s*expect:\s*(.*)$/.exec(l);
    if (ex) {
      pending.push(...ex[1]!.split(",").map((s) => s.trim()));
      return;
    }
    const em = /^!\s*expect-message:\s*(.*)$/.exec(l);
    if (em) {
      pendingMsg.push(em[1]!.trim());
      return;
    }
    if (l.startsWith("!") || l === "") return;
    for (const r of pending) e.expected.push(`${r}@${i + 1}`);
    for (const m of pendingMsg) e.messages.push({ line: i + 1, text: m });
    pending = [];
    pendingMsg = [];
  });
  return e;
}

const folders = readdirSync(ROOT, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();

test("every built-in rule has fixtures with at least one positive case", () => {
  for (const r of loadBuiltinRules()) {
    assert.ok(folders.includes(r.id), `no fixture folder for ${r.id}`);
    const files = readdirSync(join(ROOT, r.id));
    const positive = files.some((f) => expectations(join(ROOT, r.id, f), r.id).expected.some((x) => x.startsWith(`${r.id}@`)));
    assert.ok(positive, `no positive fixture for ${r.id}`);
  }
});

for (const folder of folders) {
  for (const f of readdirSync(join(ROOT, folder)).filter((x) => x.endsWith(".cfg")).sort()) {
    test(`${folder}/${f}`, async () => {
      const file = join(ROOT, folder, f);
      const e = expectations(file, folder);
      const result = await lint({ patterns: [file], cwd: ROOT, ...(e.clients ? { clients: e.clients } : {}), ...(e.profile ? { profile: e.profile } : {}) });
      const got = result.findings.filter((x) => e.rules.includes(x.ruleId));
      const actual = got.map((x) => `${x.ruleId}@${x.line}`).sort();
      assert.equal(actual, [...e.expected].sort(), got.map((x) => `${x.ruleId}@${x.line}: ${x.message}`).join("\n"));
      for (const m of e.messages) {
        const here = got.filter((x) => x.line === m.line);
        assert.ok(here.some((x) => x.message.includes(m.text)), `line ${m.line}: no message contains "${m.text}":\n${here.map((x) => x.message).join("\n")}`);
      }
    });
  }
}

test.run();
