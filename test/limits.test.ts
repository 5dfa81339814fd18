/**
 * Resource limits as policy (issue #11): each limit has a default, a flag and a config key, and
 * reaching one is a finding (or one line, exit 2), never a changed verdict, a hang or an abort.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { lintText, DEFAULT_LIMITS, parseSize, formatBytes } from "../src/api/index.js";
import { watchHeap, ResourceError, limitsOf } from "../src/core/limits.js";
import { Bdd, BddBudgetError } from "../src/headerspace/bdd.js";
import { loadBuiltinRules } from "../src/engine/rules.js";
import { aclConfig } from "../bench/gen.js";
import { capPerFile } from "../src/engine/run.js";
import { cli } from "./helpers/cli.js";
import { CHECKS } from "../src/checks/index.js";
import { defineCheck } from "../src/checks/define.js";
import { runRules } from "../src/engine/checks-run.js";
import { parseConfig } from "../src/parse/index.js";

const BROKEN = readFileSync(new URL("../examples/ios-pat-broken.cfg", import.meta.url), "utf8");
const tmp = mkdtempSync(join(tmpdir(), "natlint-limits-"));

type Brief = { ruleId: string; line: number; severity: string; message: string };
async function findings(text: string, opts: Parameters<typeof lintText>[1] = {}): Promise<Brief[]> {
  const r = await lintText(text, { filename: "r1.cfg", config: false, proveFixes: false, ...opts });
  return r.findings.map((f) => ({ ruleId: f.ruleId, line: f.line, severity: f.severity, message: f.message }));
}

/** An IOS chain of `n` nested network object-groups used by one ACL line. */
function chain(n: number): string {
  const out = ["hostname r1"];
  for (let i = 0; i < n; i++) out.push(`object-group network G${i}`, i + 1 < n ? ` group-object G${i + 1}` : " host 10.0.0.1");
  out.push("ip access-list extended A", " permit ip object-group G0 any", "interface Gi0/1", " ip access-group A in");
  return `${out.join("\n")}\n`;
}

test("the defaults are documented values; the flags win over the config's limits", () => {
  assert.equal({ ...DEFAULT_LIMITS }, { fileSize: 64 * 1024 * 1024, lineLength: 65_536, nestingDepth: 1_000, findingsPerFile: 10_000, bddNodes: 1 << 28 });
  assert.is(limitsOf({ findingsPerFile: 5 }, { findingsPerFile: 7 }).findingsPerFile, 7);
  assert.is(limitsOf({ nestingDepth: 5 }, undefined).nestingDepth, 5);
  assert.is(parseSize("64M"), 64 * 1024 * 1024);
  assert.is(parseSize("1k"), 1024);
  assert.is(parseSize("12"), 12);
  assert.is(parseSize("-1"), undefined);
  assert.is(parseSize("1T"), undefined);
  assert.is(formatBytes(64 * 1024 * 1024), "64 MiB");
});

test("file size: a larger file is one unsupported-input finding and is not read", async () => {
  const f = await findings(BROKEN, { limits: { fileSize: 100 } });
  assert.is(f.length, 1, JSON.stringify(f));
  assert.is(f[0]!.ruleId, "unsupported-input");
  assert.match(f[0]!.message, /file-size limit of 100 bytes \(--max-file-size\)/);
  // on disk, through the flag: the size is checked before reading
  const file = join(tmp, "big.cfg");
  writeFileSync(file, BROKEN);
  const r = await cli(["lint", "--format", "json", "--max-file-size", "1k", file], { cwd: tmp });
  assert.is(r.code, 1, r.stderr);
  const j = JSON.parse(r.stdout) as { findings: Array<{ ruleId: string; message: string }> };
  assert.equal(j.findings.map((m) => m.ruleId), ["unsupported-input"]);
  // with the rule off, the file still says it was not read
  writeFileSync(join(tmp, ".natlintrc.json"), JSON.stringify({ rules: { "unsupported-input": "off" } }));
  const off = await cli(["lint", "--format", "json", "--max-file-size", "1k", file], { cwd: tmp });
  assert.match(off.stdout, /file-size limit/);
});

test("file size flag and standard input: bad values and over-size input are one line, exit 2", async () => {
  for (const bad of ["nope", "0", "1T"]) {
    const r = await cli(["lint", "--max-file-size", bad, "x.cfg"], { cwd: tmp });
    assert.is(r.code, 2, r.stderr);
    assert.is(r.stderr.trim().split("\n").length, 1, r.stderr);
    assert.match(r.stderr, /--max-file-size must be a size/);
  }
  const r = await cli(["lint", "--max-line-length", "10", "x.cfg"], { cwd: tmp });
  assert.is(r.code, 2);
  assert.match(r.stderr, /--max-line-length/);
});

test("line length: a longer line is a limit note at its line, the rest is analysed", async () => {
  const text = `hostname ${"x".repeat(200)}\n${BROKEN}`;
  const f = await findings(text, { limits: { lineLength: 100 } });
  const note = f.find((x) => x.line === 1 && x.ruleId === "unrecognized-syntax" && /line-length limit of 100 \(--max-line-length\)/.test(x.message));
  assert.ok(note, JSON.stringify(f));
  assert.ok(f.some((x) => x.ruleId === "pat-drops-ipsec"), "the rest of the file is still analysed");
});

test("nesting depth: a deeper chain is cut with one message per chain (--max-nesting-depth), users marked approximate", async () => {
  const f = await findings(chain(60), { limits: { nestingDepth: 10 } });
  const cuts = f.filter((x) => /is left out of/.test(x.message));
  assert.is(cuts.length, 1, JSON.stringify(cuts));
  assert.match(cuts[0]!.message, /nesting-depth limit of 10 \(--max-nesting-depth\); the same chain of nested groups is cut 4 more times further up/);
  assert.ok(f.some((x) => /object-group G0 is incomplete/.test(x.message)), JSON.stringify(f));
  // within the limit: no note at all
  const ok = await findings(chain(60), { limits: { nestingDepth: 100 } });
  assert.not.ok(ok.some((x) => /left out of|incomplete/.test(x.message)), JSON.stringify(ok));
});

test("findings per file: the rest are one finding with their count and highest severity (exit status unchanged)", async () => {
  const all = await findings(BROKEN);
  assert.ok(all.length >= 3);
  const capped = await findings(BROKEN, { limits: { findingsPerFile: 1 } });
  assert.is(capped.length, 2);
  assert.equal(capped[0], all[0]);
  assert.match(capped[1]!.message, new RegExp(`^${all.length - 1} more findings, .*findings-per-file limit is 1 \\(--max-findings-per-file\\)`));
  assert.is(capped[1]!.severity, "error");
  // the config's key
  const cfg = await findings(BROKEN, { config: { limits: { findingsPerFile: 2 } } as never });
  assert.is(cfg.length, 3);
  // 130,000 findings are capped without spreading arrays (was: "internal error", exit 2)
  const many = Array.from({ length: 130_000 }, (_, i) => ({ ruleId: "r", severity: "info" as const, file: "a.cfg", line: i + 1, message: "m" }));
  const out = capPerFile(many, 10_000);
  assert.is(out.length, 10_001);
  assert.match(out.at(-1)!.message, /^120000 more findings/);
});

test("BDD node budget: the packet-set rules stop with one finding naming them; no exception escapes", async () => {
  const f = await findings(BROKEN, { limits: { bddNodes: 1024 } });
  const note = f.find((x) => /BDD node budget of 1024 nodes \(--max-bdd-nodes\)/.test(x.message));
  assert.ok(note, JSON.stringify(f));
  assert.is(note!.ruleId, "unrecognized-syntax");
  assert.match(note!.message, /ipsec-source-port-pinned/);
  // every rule the note names reports nothing partial (rules that need no packet set, like pat-drops-ipsec, still run)
  const stopped = note!.message.slice(note!.message.lastIndexOf(":") + 1).split(",").map((x) => x.trim().replace(/[^a-z0-9-].*$/, ""));
  assert.ok(stopped.length >= 3, note!.message);
  assert.equal(f.filter((x) => stopped.includes(x.ruleId)), [], "a stopped rule reports nothing partial");
  const b = new Bdd(64, 1024);
  b.maxNodes = 1100;
  assert.throws(() => {
    const v = (i: number) => b.literal(i, true);
    let x = v(0);
    for (let i = 0; i < 64; i++) for (let k = i + 1; k < 64; k++) x = b.or(b.and(x, b.not(b.and(v(i), v(k)))), b.and(b.not(x), b.and(v(i), v(k))));
  }, (e: unknown) => e instanceof BddBudgetError && e.budget === 1100);
});

test("BDD node budget: shadowed-line and redundant-line's private packet-set store is held to it too (was: its own 4M-node cap only)", async () => {
  const rules = loadBuiltinRules().filter((r) => ["shadowed-line", "redundant-line", "unrecognized-syntax"].includes(r.id));
  const text = aclConfig(300, 3);
  const small = await findings(text, { rules, limits: { bddNodes: 200 } } as never);
  const note = small.find((x) => /BDD node budget of 200 nodes/.test(x.message));
  assert.ok(note, JSON.stringify(small));
  assert.match(note!.message, /redundant-line, shadowed-line did not run/);
  assert.equal(small.filter((x) => x.ruleId !== "unrecognized-syntax"), []);
  // with the default budget the same rules report their findings and no note
  const normal = await findings(text, { rules } as never);
  assert.ok(normal.some((x) => x.ruleId === "shadowed-line" || x.ruleId === "redundant-line"));
  assert.not.ok(normal.some((x) => /BDD node budget/.test(x.message)));
});

test("checks with packet-set managers of their own run first; their budget running out stops them alone", () => {
  const ran: string[] = [];
  const noOptions = { type: "object", properties: {}, additionalProperties: false } as const;
  const shared = defineCheck({
    id: "test-shared-sets",
    needs: ["sets"],
    optionsSchema: noOptions,
    messages: { m: "shared sets answered" },
    run({ device, sets }, _o, report) {
      ran.push("shared");
      // builds in the device's shared sets: it would stop if the own-sets check had spoilt them
      assert.ok(sets.hs.or(sets.hs.eq("protocol", 17), sets.hs.eq("protocol", 6)) !== sets.hs.none);
      report({ messageId: "m", at: { file: device.file, line: 1, text: "" } });
    },
  });
  const own = defineCheck({
    id: "test-own-sets",
    needs: ["sets"],
    ownSets: true,
    optionsSchema: noOptions,
    messages: { m: "never" },
    run() {
      ran.push("own");
      throw new BddBudgetError(64);
    },
  });
  const registry = CHECKS as Map<string, typeof own>;
  registry.set(shared.id, shared);
  registry.set(own.id, own);
  try {
    const meta = (id: string) => ({ id, title: id, severity: "warning" as const, description: "d", rationale: "r", references: [], check: id, options: {}, file: `${id}.json`, docs: `${id}.md` });
    const { device } = parseConfig(BROKEN, "r1.cfg");
    // listed with the shared-sets check first: the own-sets one still runs before it
    const f = runRules(device, [meta("test-shared-sets"), meta("test-own-sets"), meta("unrecognized-syntax")], { clients: 2 } as never);
    assert.equal(ran, ["own", "shared"]);
    assert.ok(f.some((x) => x.ruleId === "test-shared-sets"), "the shared sets were not spoilt by the other check's budget");
    const note = f.find((x) => /BDD node budget of 64 nodes/.test(x.message));
    assert.ok(note, JSON.stringify(f));
    assert.match(note!.message, /: test-own-sets did not run on this file/);
  } finally {
    registry.delete(shared.id);
    registry.delete(own.id);
  }
});

test("heap watch: a nearly full heap stops the run with one message (never V8's out-of-memory trace)", () => {
  watchHeap("now"); // the test process is far from its limit
  assert.throws(() => watchHeap("while checking a.cfg", { used_heap_size: 95, heap_size_limit: 100 }), (e: unknown) => e instanceof ResourceError && /stopped before running out of memory while checking a\.cfg/.test((e as Error).message));
});

test.run();
