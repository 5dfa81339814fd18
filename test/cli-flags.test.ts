/**
 * The everyday flags of `natlint lint` in process: stdin, --print-config (extends, overrides,
 * ESLint severities), --init, --cache hit and miss, worker threads giving byte-identical output,
 * baseline --prune, `natlint help CMD` and "did you mean".
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { lint } from "../src/api/index.js";
import { cli } from "./helpers/cli.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const BROKEN = readFileSync(join(ROOT, "examples/ios-pat-broken.cfg"), "utf8");

function repo(): string {
  const d = mkdtempSync(join(tmpdir(), "natlint-flags-"));
  cpSync(join(ROOT, "examples"), join(d, "configs"), { recursive: true });
  return d;
}
interface J {
  findings: Array<{ ruleId: string; severity: string; file: string; line: number; column?: number }>;
  files: Array<{ path: string }>;
}

test("stdin: - and --stdin with --stdin-filename, whose overrides apply", async () => {
  const d = repo();
  writeFileSync(join(d, ".natlintrc.json"), JSON.stringify({ overrides: [{ files: ["lab/**"], rules: { "pat-drops-ipsec": "warn" } }] }));
  const a = await cli(["lint", "--format", "json", "-"], { cwd: d, stdin: BROKEN });
  assert.is(a.code, 1, a.stderr);
  const ja = JSON.parse(a.stdout) as J;
  assert.equal(ja.files.map((f) => f.path), ["<stdin>"]);
  assert.ok(ja.findings.some((f) => f.ruleId === "pat-drops-ipsec" && f.severity === "error" && f.file === "<stdin>"));
  const b = await cli(["lint", "--format", "json", "--stdin", "--stdin-filename", "lab/r9.cfg"], { cwd: d, stdin: BROKEN });
  assert.is(b.code, 0, "the lab override turned the errors into warnings");
  const jb = JSON.parse(b.stdout) as J;
  assert.ok(jb.findings.filter((f) => f.ruleId === "pat-drops-ipsec").every((f) => f.severity === "warning" && f.file === "lab/r9.cfg"));
  const sarif = await cli(["lint", "--format", "sarif", "--stdin", "--stdin-filename", "lab/r9.cfg"], { cwd: d, stdin: BROKEN });
  assert.match(sarif.stdout, /primaryLocationLineHash/, "line hashes from the stdin text");
  writeFileSync(join(d, ".natlintignore"), "archive/\n");
  const ign = await cli(["lint", "--format", "json", "--stdin", "--stdin-filename", "archive/old.cfg"], { cwd: d, stdin: BROKEN });
  assert.is(ign.code, 0, "standard input named like an ignored file is not linted");
  assert.match(ign.stderr, /warning: archive\/old\.cfg: ignored by \.natlintignore "archive\/"/);
  assert.is((await cli(["lint", "--stdin", "configs/"], { cwd: d, stdin: "" })).code, 2);
  assert.is((await cli(["lint", "--stdin-filename", "x.cfg", "configs/"], { cwd: d })).code, 2);
});

test("--print-config: extends (a file and a package), overrides of every setting, warn and 0/1/2", async () => {
  const d = repo();
  mkdirSync(join(d, "node_modules/@acme/natlint-config"), { recursive: true });
  writeFileSync(join(d, "node_modules/@acme/natlint-config/package.json"), JSON.stringify({ name: "@acme/natlint-config", version: "1.0.0", main: "natlintrc.json" }));
  writeFileSync(join(d, "node_modules/@acme/natlint-config/natlintrc.json"), JSON.stringify({ clients: 7, rules: { "unused-definition": 0, "no-any-any-permit": ["warn", { protocols: "all" }] } }));
  writeFileSync(join(d, "base.jsonc"), '// team base\n{ "rules": { "redundant-line": 2, }, "profile": "asa" }\n');
  writeFileSync(
    join(d, ".natlintrc.jsonc"),
    `{
      "extends": ["@acme/natlint-config", "./base.jsonc"],
      "rules": { "shadowed-line": 1 },
      // lab routers: more clients, another profile and peer, and a rule off
      "overrides": [{ "files": ["lab/**"], "clients": 20, "profile": "linux", "vendor": "ios", "peer": "198.51.100.7", "rules": { "pat-drops-ipsec": "off" } }]
    }`,
  );
  const r = await cli(["lint", "--print-config", "configs/ios-pat-broken.cfg"], { cwd: d });
  assert.is(r.code, 0, r.stderr);
  const c = JSON.parse(r.stdout) as { configFiles: string[]; clients: number; profile: string; rules: Record<string, [string, Record<string, unknown>]>; ignored: unknown };
  assert.equal(c.configFiles, ["node_modules/@acme/natlint-config/natlintrc.json", "base.jsonc", ".natlintrc.jsonc"]);
  assert.is(c.clients, 7);
  assert.is(c.profile, "asa");
  assert.is(c.ignored, false);
  assert.equal(c.rules["unused-definition"], ["off", {}]);
  assert.equal(c.rules["redundant-line"]![0], "error");
  assert.equal(c.rules["shadowed-line"]![0], "warning");
  assert.equal(c.rules["no-any-any-permit"], ["warning", { protocols: "all" }]);
  assert.equal(c.rules["pat-drops-ipsec"]![0], "error");
  const lab = JSON.parse((await cli(["lint", "--print-config", "lab/r1.cfg"], { cwd: d })).stdout) as Record<string, unknown> & { rules: Record<string, unknown[]> };
  assert.equal([lab.clients, lab.profile, lab.vendor, lab.peer, lab.rules["pat-drops-ipsec"]![0]], [20, "linux", "ios", "198.51.100.7", "off"]);
  writeFileSync(join(d, "cycle.json"), JSON.stringify({ extends: "./cycle.json" }));
  const cyc = await cli(["lint", "--config", "cycle.json", "configs/"], { cwd: d });
  assert.is(cyc.code, 2);
  assert.match(cyc.stderr, /extends cycle/);
  writeFileSync(join(d, "missing.json"), JSON.stringify({ extends: "natlint-config-nope" }));
  assert.match((await cli(["lint", "--config", "missing.json", "configs/"], { cwd: d })).stderr, /extends: "natlint-config-nope" not found/);
});

test("--init writes a commented config that loads, and never overwrites one", async () => {
  const d = repo();
  const r = await cli(["lint", "--init"], { cwd: d });
  assert.is(r.code, 0);
  const text = readFileSync(join(d, ".natlintrc.jsonc"), "utf8");
  assert.match(text, /^\/\/ natlint configuration/);
  const print = await cli(["lint", "--print-config", "configs/ios-pat-broken.cfg"], { cwd: d });
  assert.is(print.code, 0, print.stderr);
  assert.equal(JSON.parse(print.stdout).configFiles, [".natlintrc.jsonc"]);
  const again = await cli(["lint", "--init"], { cwd: d });
  assert.is(again.code, 2);
  assert.match(again.stderr, /already exists/);
});

test("--cache: a miss then a hit with the same output; content, settings or the rule set change the key", async () => {
  const d = repo();
  const run = () => lint({ cwd: d, patterns: ["configs/"], config: false, cache: {} });
  // one cache entry per example config
  // the examples' configs, examples/paths/ included (its JSON path files and expected outputs are not configs)
  const n = readdirSync(join(d, "configs"), { recursive: true }).filter((f) => String(f).endsWith(".cfg")).length;
  const first = await run();
  assert.is(first.files.length, n);
  assert.equal(first.notes.cache && [first.notes.cache.hits, first.notes.cache.misses], [0, n]);
  assert.ok(existsSync(join(d, ".natlintcache")));
  const second = await run();
  assert.equal(second.notes.cache && [second.notes.cache.hits, second.notes.cache.misses], [n, 0]);
  assert.equal(second.findings, first.findings);
  writeFileSync(join(d, "configs/ios-pat-fixed.cfg"), readFileSync(join(d, "configs/ios-pat-fixed.cfg"), "utf8") + "!\n");
  assert.equal((await run()).notes.cache!.misses, 1, "one file changed");
  const more = await lint({ cwd: d, patterns: ["configs/"], config: false, cache: {}, clients: 5 });
  assert.equal(more.notes.cache!.misses, n, "other settings");
  const loc = await cli(["lint", "--no-config", "--cache", "--cache-location", "tmp/cache/", "configs/"], { cwd: d });
  assert.is(loc.code, 1);
  assert.ok(existsSync(join(d, "tmp/cache/.natlintcache")));
});

test("worker threads give byte-identical output to one thread (merged in path order)", async () => {
  const d = mkdtempSync(join(tmpdir(), "natlint-workers-"));
  const examples = ["ios-pat-broken.cfg", "ios-pat-fixed.cfg", "ios-headend-pinned.cfg", "asa-headend-pinned.cfg", "asa-pat-clients.cfg"];
  // 12 files in CI (NATLINT_SLOW_TESTS=1), 4 by default: each worker still gets two
  for (let i = 0; i < (process.env.NATLINT_SLOW_TESTS === "1" ? 12 : 4); i++) {
    const name = examples[i % examples.length]!;
    writeFileSync(join(d, `r${String(i).padStart(2, "0")}-${name}`), readFileSync(join(ROOT, "examples", name), "utf8"));
  }
  const out: string[] = [];
  const started: number[] = [];
  for (const c of ["off", "2"]) {
    // the threads this run starts (process "worker" events): none with off, two with 2
    let n = 0;
    const count = () => void n++;
    process.on("worker", count);
    const r = await cli(["lint", "--no-config", "--concurrency", c, "--format", "json", "--format", "sarif", "--output-file", `out-${c}.sarif`, "."], { cwd: d });
    process.off("worker", count);
    assert.is(r.code, 1, r.stderr);
    out.push(r.stdout + readFileSync(join(d, `out-${c}.sarif`), "utf8"));
    started.push(n);
  }
  assert.ok(out[0]!.length > 1000);
  assert.is(out[1], out[0]);
  assert.equal(started, [0, 2], "the workers did run");
  assert.is((await cli(["lint", "--concurrency", "0", "."], { cwd: d })).code, 2);
});

test("baseline --prune drops what no longer occurs", async () => {
  const d = repo();
  await cli(["lint", "--no-config", "configs/", "--write-baseline", "b.json"], { cwd: d });
  const before = JSON.parse(readFileSync(join(d, "b.json"), "utf8")) as { entries: Array<{ file: string; count: number }> };
  writeFileSync(join(d, "configs/ios-pat-broken.cfg"), readFileSync(join(d, "configs/ios-pat-fixed.cfg"), "utf8"));
  const r = await cli(["lint", "--no-config", "configs/", "--baseline", "b.json", "--prune"], { cwd: d });
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stderr, /natlint: pruned \d+ findings? from b\.json/);
  const after = JSON.parse(readFileSync(join(d, "b.json"), "utf8")) as typeof before;
  assert.ok(after.entries.length < before.entries.length);
  assert.not.ok(after.entries.some((e) => e.file === "configs/ios-pat-broken.cfg"));
  assert.is((await cli(["lint", "--no-config", "configs/", "--prune"], { cwd: d })).code, 2, "--prune needs --baseline");
});

test("natlint help CMD; did you mean for commands, flags, rule ids and profiles", async () => {
  const h = await cli(["help", "lint"]);
  assert.is(h.code, 0);
  assert.match(h.stdout, /--print-config FILE/);
  assert.match((await cli(["help", "lsp"])).stdout, /--stdio/);
  assert.match((await cli(["lnit"])).stderr, /unknown command "lnit" \(did you mean "lint"\?\)/);
  assert.match((await cli(["lint", "--qiet"])).stderr, /Unknown option '--qiet' \(did you mean "--quiet"\?\)/);
  assert.match((await cli(["lint", "--profile", "iso", "."])).stderr, /did you mean "ios"\?/);
  const d = repo();
  writeFileSync(join(d, ".natlintrc.json"), JSON.stringify({ rules: { "shadowed-lines": "warn" } }));
  assert.match((await cli(["lint", "configs/"], { cwd: d })).stderr, /rules\.shadowed-lines: unknown rule \(did you mean "shadowed-line"\?\)/);
});

test.run();
