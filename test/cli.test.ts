/** CLI behaviour in process (test/helpers/cli.ts) (bin/natlint.js → dist/), as users and scripts see it. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { cli } from "./helpers/cli.js";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

async function run(args: string[], opts: { cwd?: string } = {}) {
  const r = await cli(args, { cwd: opts.cwd ?? ROOT });
  return { code: r.code, out: r.stdout, err: r.stderr };
}

function oneLineError(r: Awaited<ReturnType<typeof run>>) {
  assert.is(r.code, 2, `exit code: ${r.out}${r.err}`);
  assert.is(r.err.trim().split("\n").length, 1, `one line: ${r.err}`);
  assert.ok(r.err.startsWith("natlint: "), r.err);
  assert.not.match(r.err, /\n\s+at /, "no stack trace");
}

test("--version and --help", async () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string };
  const v = await run(["--version"]);
  assert.is(v.code, 0);
  assert.is(v.out.trim(), pkg.version);
  const h = await run(["--help"]);
  assert.is(h.code, 0);
  for (const c of ["lint", "simulate", "explain", "flow"]) {
    const ch = await run([c, "--help"]);
    assert.is(ch.code, 0, c);
    assert.match(ch.out, new RegExp(`Usage: natlint ${c}`));
  }
});

test("lint examples/: pat-drops-ipsec errors, exit 1, deterministic output", async () => {
  const a = await run(["lint", "examples/"]);
  assert.is(a.code, 1, a.err);
  assert.match(a.out, /pat-drops-ipsec/);
  assert.match(a.out, /ios-pat-broken\.cfg/);
  assert.is(a.err, "", "no spinner or noise when stdout is not a terminal");
  const b = await run(["lint", "examples/"]);
  assert.is(b.out, a.out, "byte-identical");
});

test("lint --format json: the contract keys", async () => {
  const r = await run(["lint", "--format", "json", "examples/"]);
  assert.is(r.code, 1);
  const j = JSON.parse(r.out) as {
    findings: Array<Record<string, unknown>>;
    files: Array<{ path: string; vendor: string }>;
    summary: { errors: number; warnings: number; infos: number };
  };
  assert.ok(j.findings.length > 0);
  for (const f of j.findings) for (const k of ["ruleId", "severity", "file", "line", "message"]) assert.ok(k in f, k);
  const broken = j.findings.filter((f) => f.file === "examples/ios-pat-broken.cfg" && f.ruleId === "pat-drops-ipsec");
  assert.equal(broken.map((f) => f.line), [33, 34, 42, 43]);
  assert.ok(j.files.some((f) => f.path === "examples/ios-pat-broken.cfg" && f.vendor === "ios"));
  assert.is(j.summary.errors, j.findings.filter((f) => f.severity === "error").length);
  assert.is(j.summary.warnings, j.findings.filter((f) => f.severity === "warning").length);
  assert.is(j.summary.infos, j.findings.filter((f) => f.severity === "info").length);
});

test("lint: the fixed router is clean (exit 0)", async () => {
  const r = await run(["lint", "--format", "json", "examples/ios-pat-fixed.cfg"]);
  assert.is(r.code, 0, r.out + r.err);
  assert.equal((JSON.parse(r.out) as { findings: unknown[] }).findings, []);
});

test("lint --clients changes the simulation", async () => {
  const r = await run(["lint", "--format", "json", "--clients", "1", "examples/ios-pat-broken.cfg"]);
  const j = JSON.parse(r.out) as { findings: Array<{ ruleId: string }> };
  assert.ok(!j.findings.some((f) => f.ruleId === "pat-drops-ipsec"), "one client keeps 500/4500");
});

test("usage, I/O and config errors: exit 2 with one line", async () => {
  oneLineError(await run(["lint", "--bogus"]));
  oneLineError(await run(["lint", "no/such/dir"]));
  oneLineError(await run(["lint", "--clients", "0", "examples/"]));
  oneLineError(await run(["lint", "--format", "xml", "examples/"]));
  oneLineError(await run(["frobnicate"]));
  oneLineError(await run(["simulate", "--profile", "nope"]));
  oneLineError(await run(["simulate", "--ports", "500,abc"]));
  oneLineError(await run(["explain"]));
  oneLineError(await run(["explain", "missing.cfg"]));
  oneLineError(await run(["flow", "examples/ios-pat-broken.cfg", "--acl", "NOPE", "udp 1.1.1.1 1 2.2.2.2 2"]));
  oneLineError(await run(["flow", "examples/ios-pat-broken.cfg", "--acl", "OUTSIDE-OUT", "udp 1.1.1.1 2.2.2.2"]));
});

test("unparseable lines are findings, not exit 2, and the rest is analysed", async () => {
  const dir = mkdtempSync(join(tmpdir(), "natlint-cli-"));
  const f = join(dir, "r.cfg");
  writeFileSync(f, "interface Gi0/0\n ip access-group A in\nip access-list extended A\n permit udp any eq nope any\n permit tcp any any eq 22\n");
  const r = await run(["lint", "--format", "json", f]);
  assert.is(r.code, 0, r.err);
  const j = JSON.parse(r.out) as { findings: Array<{ ruleId: string; line: number }> };
  assert.ok(j.findings.some((x) => x.ruleId === "unrecognized-syntax" && x.line === 4));
});

test("simulate --format json: IOS table for 3 clients", async () => {
  const r = await run(["simulate", "--clients", "3", "--format", "json"]);
  assert.is(r.code, 0);
  const j = JSON.parse(r.out) as { profile: string; sessions: Array<{ client: number; flow: string; inside: { ip: string; port: number }; translated: { ip: string; port: number } | null }> };
  assert.is(j.profile, "ios");
  assert.equal(
    j.sessions.map((s) => [s.client, s.flow, s.inside.port, s.translated!.port]),
    [[1, "IKE", 500, 500], [1, "NAT-T", 4500, 4500], [2, "IKE", 500, 1], [2, "NAT-T", 4500, 1024], [3, "IKE", 500, 2], [3, "NAT-T", 4500, 1025]],
  );
  assert.is(j.sessions[2]!.inside.ip, "192.168.100.12");
  assert.is(j.sessions[2]!.translated!.ip, "192.0.2.2");
});

test("simulate: exhaustion gives translated null; random profiles give port sets", async () => {
  const r = await run(["simulate", "--clients", "513", "--ports", "500", "--format", "json"]);
  const j = JSON.parse(r.out) as { sessions: Array<{ translated: unknown }> };
  assert.is(j.sessions[510]!.translated !== null, true);
  assert.is(j.sessions[511]!.translated, null);
  const a = await run(["simulate", "--clients", "2", "--profile", "asa", "--format", "json"]);
  const ja = JSON.parse(a.out) as { sessions: Array<{ translated: { port?: number; ports?: number[][] } }> };
  assert.is(ja.sessions[2]!.translated.port, undefined);
  assert.equal(ja.sessions[2]!.translated.ports, [[1, 499], [501, 511]]);
});

test("explain --format json: session 1 permitted, sessions 2 and 3 (1/1024, 2/1025) dropped with the line", async () => {
  const r = await run(["explain", "examples/ios-pat-broken.cfg", "--format", "json"]);
  assert.is(r.code, 0, r.err);
  const j = JSON.parse(r.out) as {
    sessions: Array<{ client: number; flow: string; direction: string; inside: unknown; translated: { port: number }; checkpoints: Array<Record<string, unknown>>; verdict: string }>;
  };
  const out = j.sessions.filter((s) => s.direction === "outbound");
  assert.equal(out.map((s) => [s.client, s.flow, s.translated.port, s.verdict]), [
    [1, "IKE", 500, "permit"], [1, "NAT-T", 4500, "permit"],
    [2, "IKE", 1, "drop"], [2, "NAT-T", 1024, "drop"],
    [3, "IKE", 2, "drop"], [3, "NAT-T", 1025, "drop"],
  ]);
  const drop = out[2]!.checkpoints.find((c) => c.action === "deny")!;
  for (const k of ["interface", "direction", "acl", "line", "action"]) assert.ok(k in drop, k);
  assert.equal([drop.interface, drop.direction, drop.acl, drop.line], ["GigabitEthernet0/1", "out", "OUTSIDE-OUT", 38]);
  const ret = j.sessions.filter((s) => s.direction === "return");
  assert.equal(ret.map((s) => s.verdict), ["permit", "permit", "drop", "drop", "drop", "drop"]);
  const t = await run(["explain", "examples/ios-pat-broken.cfg"]);
  assert.match(t.out, /peer 203\.0\.113\.10 \(from /, "says which peer it picked");
});

test("flow: single and batch, implicit deny is line null", async () => {
  const one = await run(["flow", "examples/ios-pat-broken.cfg", "--acl", "OUTSIDE-OUT", "udp 192.0.2.2 1 203.0.113.10 500", "--format", "json"]);
  assert.is(one.code, 0, one.err);
  const j1 = JSON.parse(one.out) as Record<string, unknown>;
  assert.equal([j1.acl, j1.action, j1.line], ["OUTSIDE-OUT", "deny", 38]);
  const dir = mkdtempSync(join(tmpdir(), "natlint-flow-"));
  const ff = join(dir, "flows.txt");
  writeFileSync(ff, "# IKE from the PAT address\nudp 192.0.2.2 500 203.0.113.10 500\n\nudp 192.0.2.2 1 203.0.113.10 500\nesp 192.0.2.2 203.0.113.10\n");
  const b = await run(["flow", "examples/ios-pat-broken.cfg", "--acl", "NAT-CLIENTS", "--flows", ff, "--format", "json"]);
  const jb = JSON.parse(b.out) as { acl: string; results: Array<{ flow: string; action: string; line: number | null }> };
  assert.is(jb.acl, "NAT-CLIENTS");
  assert.equal(jb.results.map((x) => [x.flow, x.action, x.line]), [
    ["udp 192.0.2.2 500 203.0.113.10 500", "deny", null],
    ["udp 192.0.2.2 1 203.0.113.10 500", "deny", null],
    ["esp 192.0.2.2 203.0.113.10", "deny", null],
  ]);
  const c = await run(["flow", "examples/ios-pat-broken.cfg", "--acl", "OUTSIDE-OUT", "--flows", ff, "--format", "json"]);
  const jc = JSON.parse(c.out) as { results: Array<{ action: string; line: number | null }> };
  assert.equal(jc.results.map((x) => [x.action, x.line]), [["permit", 33], ["deny", 38], ["deny", 38]]);
});

test("ASA configs: the same JSON contracts (flow, lint files[].vendor)", async () => {
  const f = await run(["flow", "examples/asa-headend-pinned.cfg", "--acl", "OUTSIDE-IN", "udp 198.51.100.23 1 10.20.0.10 500", "--format", "json"]);
  assert.is(f.code, 0, f.err);
  const j = JSON.parse(f.out) as Record<string, unknown>;
  assert.equal([j.acl, j.action, j.line], ["OUTSIDE-IN", "deny", 28], "a PAT'd source port is dropped by the final deny");
  const ok = JSON.parse((await run(["flow", "examples/asa-headend-pinned.cfg", "--acl", "OUTSIDE-IN", "udp 198.51.100.23 500 10.20.0.10 500", "--format", "json"])).out) as Record<string, unknown>;
  assert.equal([ok.action, ok.line], ["permit", 24]);
  const l = JSON.parse((await run(["lint", "--no-config", "--format", "json", "examples/asa-pat-clients.cfg", "examples/ios-pat-fixed.cfg"])).out) as { files: Array<{ path: string; vendor: string }> };
  assert.equal(l.files.map((x) => [x.path, x.vendor]), [["examples/asa-pat-clients.cfg", "asa"], ["examples/ios-pat-fixed.cfg", "ios"]]);
  const forced = JSON.parse((await run(["lint", "--no-config", "--format", "json", "--vendor", "ios", "examples/ios-pat-fixed.cfg"])).out) as { files: Array<{ vendor: string }> };
  assert.is(forced.files[0]!.vendor, "ios");
});

test.run();
