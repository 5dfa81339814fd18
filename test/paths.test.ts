/**
 * Sessions across devices: path files (explain --path, lint --path) on both examples and on path
 * fixtures across IOS and ASA (a NAT on one device, the pinned line on another), the head-end's
 * view (explain --remote-nat, the remoteNat setting), the NAT profiles users sit behind, static
 * routes, and path-file errors. The examples' expected outputs (examples/paths/<name>/expected/)
 * are compared byte for byte (NATLINT_UPDATE_EXPECTED=1 rewrites them).
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { explainHeadend, explainPath, lint, simulate } from "../src/api/index.js";
import { parseConfig } from "../src/parse/index.js";
import { routeTo } from "../src/sim/route.js";
import { formatIp } from "../src/model/addr.js";
import { cli } from "./helpers/cli.js";
import { sameLine, squash } from "./helpers/quoted.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const FIX = "test/fixtures/paths";

function expected(file: string, actual: string): void {
  const abs = join(ROOT, file);
  if (process.env.NATLINT_UPDATE_EXPECTED) writeFileSync(abs, actual);
  assert.fixture(actual, readFileSync(abs, "utf8"), file);
}

const drops = (r: ReturnType<typeof explainPath>) =>
  r.sessions.filter((s) => s.verdict === "drop").map((s) => `${s.client} ${s.flow} ${s.direction} ${s.droppedAt?.file ?? "-"}:${s.droppedAt?.acl ?? "-"}:${s.droppedAt?.line ?? "-"}`);

test("seed-004: branch PAT → ISP edge → head-end; each drop names its file and line", () => {
  const r = explainPath("examples/paths/seed-004/path.json", { cwd: ROOT });
  assert.equal(r.clients, ["192.168.100.11", "192.168.100.12", "192.168.100.13"]);
  assert.equal(drops(r), [
    "2 IKE outbound examples/paths/seed-004/headend.cfg:INTERNET-IN:20",
    "2 NAT-T outbound examples/paths/seed-004/isp-edge.cfg:CUSTOMER-IN:21",
    "3 IKE outbound examples/paths/seed-004/headend.cfg:INTERNET-IN:20",
    "3 NAT-T outbound examples/paths/seed-004/isp-edge.cfg:CUSTOMER-IN:21",
  ]);
  const s = r.sessions.find((x) => x.client === 2 && x.flow === "IKE" && x.direction === "outbound")!;
  // the JSON contract: per hop the device, its file, what it translated and its checkpoints
  assert.equal(Object.keys(s).slice(0, 7), ["client", "flow", "direction", "inside", "peer", "verdict", "droppedAt"]);
  assert.equal(s.hops.map((h) => [h.device, h.file, h.translated?.to ?? null]), [
    ["branch-rtr", "examples/paths/seed-004/branch.cfg", { ip: "192.0.2.2", port: 1 }],
    ["isp-edge1", "examples/paths/seed-004/isp-edge.cfg", null],
    ["vpn-hub1", "examples/paths/seed-004/headend.cfg", null],
  ]);
  assert.equal(s.hops[1]!.checkpoints.map((c) => [c.file, c.acl, c.line, c.action, c.sees]), [["examples/paths/seed-004/isp-edge.cfg", "CUSTOMER-IN", 17, "permit", "translated"]]);
  // a session dropped at the ISP edge is still followed to the head-end, marked not reached
  const nt = r.sessions.find((x) => x.client === 2 && x.flow === "NAT-T" && x.direction === "outbound")!;
  assert.equal(nt.hops.map((h) => h.reached), [true, true, false]);
  assert.ok(r.notes.some((n) => n.includes("move to udp/4500") && n.includes("keepalives")), "IKE float and keepalives explained");
});

test("seed-004 and l2tp-rras: explain and lint outputs as expected (README)", async () => {
  for (const e of ["seed-004", "l2tp-rras"]) {
    const x = await cli(["explain", "--path", `examples/paths/${e}/path.json`], { cwd: ROOT });
    assert.is(x.code, 0, x.stderr);
    expected(`examples/paths/${e}/expected/explain.txt`, x.stdout);
    const l = await cli(["lint", "--no-config", "--path", `examples/paths/${e}/path.json`], { cwd: ROOT });
    assert.is(l.code, 1, l.stderr);
    expected(`examples/paths/${e}/expected/lint.txt`, l.stdout);
  }
  const h = await cli(["explain", "examples/paths/l2tp-rras/edge.cfg", "--remote-nat", "windows-rras", "--inside", "192.168.11.22,192.168.11.20"], { cwd: ROOT });
  assert.is(h.code, 0, h.stderr);
  expected("examples/paths/l2tp-rras/expected/explain-remote-nat.txt", h.stdout);
});


test("README: the quoted explain --path and lint --path output is what natlint prints", async () => {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  for (const cmd of ["explain --path examples/paths/seed-004/path.json", "lint --path examples/paths/seed-004/path.json"]) {
    const m = new RegExp("```console\\n\\$ npx natlint " + cmd.replace(/[./]/g, "\\$&") + "\\n([\\s\\S]*?)```").exec(readme);
    assert.ok(m, `README quotes natlint ${cmd}`);
    const out = (await cli([...cmd.split(" "), "--no-config"].filter((x) => !(cmd.startsWith("explain") && x === "--no-config")), { cwd: ROOT })).stdout.split("\n").map(squash);
    let at = 0;
    for (const q of m![1]!.split("\n").filter((l) => l.trim() !== "" && l.trim() !== "…")) {
      const i = out.findIndex((l, k) => k >= at && sameLine(q, l));
      assert.ok(i >= 0, `README ${cmd}: not in the output (in order):\n${q}`);
      at = i + 1;
    }
  }
});

test("lint examples/: the path examples' configs are linted one by one (warnings only), their JSON and expected/ are not read", async () => {
  const r = await lint({ cwd: ROOT, patterns: ["examples/"], config: false });
  const files = r.files.map((f) => f.path).filter((p) => p.startsWith("examples/paths/"));
  assert.equal(files, ["examples/paths/l2tp-rras/edge.cfg", "examples/paths/seed-004/branch.cfg", "examples/paths/seed-004/headend.cfg", "examples/paths/seed-004/isp-edge.cfg"]);
  // the run's errors stay those of examples/ios-pat-broken.cfg (the path's errors need lint --path)
  const errors = r.findings.filter((f) => f.severity === "error").map((f) => `${f.file}:${f.line} ${f.ruleId}`);
  assert.equal(errors, ["examples/ios-pat-broken.cfg:33 pat-drops-ipsec", "examples/ios-pat-broken.cfg:34 pat-drops-ipsec", "examples/ios-pat-broken.cfg:42 pat-drops-ipsec", "examples/ios-pat-broken.cfg:43 pat-drops-ipsec"]);
  const paths = r.findings.filter((f) => f.file.startsWith("examples/paths/")).map((f) => `${f.file}:${f.line} ${f.ruleId}`);
  assert.equal(paths, ["examples/paths/l2tp-rras/edge.cfg:19 ipsec-source-port-pinned", "examples/paths/l2tp-rras/edge.cfg:20 ipsec-source-port-pinned", "examples/paths/l2tp-rras/edge.cfg:22 l2tp-unprotected", "examples/paths/seed-004/headend.cfg:17 ipsec-source-port-pinned"]);
});

test("lint --path: pat-drops-ipsec on the device that drops what another translated", async () => {
  const r = await lint({ cwd: ROOT, path: "examples/paths/seed-004/path.json", config: false });
  const pd = r.findings.filter((f) => f.ruleId === "pat-drops-ipsec").map((f) => `${f.file}:${f.line}`);
  assert.equal(pd, ["examples/paths/seed-004/headend.cfg:17", "examples/paths/seed-004/isp-edge.cfg:18"]);
  assert.equal(r.files.map((f) => f.path), ["examples/paths/seed-004/branch.cfg", "examples/paths/seed-004/isp-edge.cfg", "examples/paths/seed-004/headend.cfg"]);
  const f = r.findings.find((x) => x.file.endsWith("isp-edge.cfg"))!;
  assert.match(f.message, "behind the PAT address 192.0.2.2");
  assert.match(f.message, "clients 2, 3 leave from ports 1024, 1025");
  // the head-end's warning yields to the error on the same line
  assert.not.ok(r.findings.some((x) => x.ruleId === "ipsec-source-port-pinned" && x.file.endsWith("headend.cfg") && x.line === 17));
  // the fix widens to the upstream PAT's band (NAT-T from 4500: 1024-65535)
  const fix = (f.details as { fix?: { edits: Array<{ text?: string }> } }).fix;
  assert.match(fix!.edits[0]!.text!, "gt 1023");

  const l2 = await lint({ cwd: ROOT, path: "examples/paths/l2tp-rras/path.json", config: false });
  assert.equal(l2.findings.map((x) => `${x.ruleId}:${x.line}`), ["pat-drops-ipsec:19", "pat-drops-ipsec:20", "l2tp-unprotected:22", "pat-drops-ipsec:26", "pat-drops-ipsec:27"]);
});

test("path fixtures across IOS and ASA", async () => {
  // ASA branch PAT (random tier ports) → IOS head-end pinned
  let r = explainPath(`${FIX}/asa-branch/path.json`, { cwd: ROOT });
  assert.equal(drops(r), [
    `2 IKE outbound ${FIX}/asa-branch/headend-ios.cfg:INTERNET-IN:9`,
    `2 NAT-T outbound ${FIX}/asa-branch/headend-ios.cfg:INTERNET-IN:9`,
    `3 IKE outbound ${FIX}/asa-branch/headend-ios.cfg:INTERNET-IN:9`,
    `3 NAT-T outbound ${FIX}/asa-branch/headend-ios.cfg:INTERNET-IN:9`,
  ]);
  const ike2 = r.sessions.find((s) => s.client === 2 && s.flow === "IKE" && s.direction === "outbound")!;
  assert.equal(ike2.hops[0]!.translated!.to, { ip: "198.51.100.2", ports: [[1, 499], [501, 511]] }, "ASA: a random port of the tier, never the first client's");
  assert.equal(ike2.hops[0]!.checkpoints.map((c) => c.sees), ["real"], "the ASA's own ACL sees the real port");
  assert.equal(r.sessions.filter((s) => s.direction === "return").every((s) => s.verdict === "permit"), true);
  let l = await lint({ cwd: ROOT, path: `${FIX}/asa-branch/path.json`, config: false });
  assert.equal(l.findings.filter((f) => f.ruleId === "pat-drops-ipsec").map((f) => `${f.file}:${f.line}`), [`${FIX}/asa-branch/headend-ios.cfg:6`, `${FIX}/asa-branch/headend-ios.cfg:7`]);

  // IOS branch PAT → ASA transit firewall pinning NAT-T (stateful: replies pass)
  r = explainPath(`${FIX}/asa-transit/path.json`, { cwd: ROOT });
  assert.equal(drops(r), [`2 NAT-T outbound ${FIX}/asa-transit/transit-asa.cfg:OUTSIDE-IN:14`, `3 NAT-T outbound ${FIX}/asa-transit/transit-asa.cfg:OUTSIDE-IN:14`]);
  assert.ok(r.sessions.find((s) => s.direction === "return" && s.client === 2)!.hops[0]!.notes!.some((n) => n.startsWith("stateful")));
  l = await lint({ cwd: ROOT, path: `${FIX}/asa-transit/path.json`, config: false });
  assert.equal(l.findings.filter((f) => f.ruleId === "pat-drops-ipsec").map((f) => `${f.file}:${f.line}`), [`${FIX}/asa-transit/transit-asa.cfg:13`]);

  // Windows RRAS → an ASA terminating IKE itself: its interface ACL does not apply to the box
  r = explainPath(`${FIX}/asa-headend/path.json`, { cwd: ROOT });
  assert.equal(drops(r), []);
  assert.ok(r.sessions.every((s) => s.hops.find((h) => h.hop === 2)!.toDevice));
});

test("simulate --profile windows-rras never keeps a client's real port and holds the story's 62636", () => {
  const r = simulate({ profile: "windows-rras", clients: 2, inside: "192.168.11.22,192.168.11.20", global: "192.168.1.30", peer: "192.168.1.10" });
  assert.equal(r.sessions.map((s) => s.inside.ip), ["192.168.11.22", "192.168.11.22", "192.168.11.20", "192.168.11.20"]);
  for (const s of r.sessions) {
    const ports = s.translated!.ports!;
    assert.ok(!ports.some(([a, b]) => a <= s.inside.port && s.inside.port <= b), `${s.flow}: the real port ${s.inside.port} is not in ${JSON.stringify(ports)}`);
  }
  const natT = r.sessions.find((s) => s.inside.ip === "192.168.11.20" && s.flow === "NAT-T")!;
  assert.ok(natT.translated!.ports!.some(([a, b]) => a <= 62636 && 62636 <= b), "192.168.11.20:4500 → 192.168.1.30:62636 lies in the set");
  assert.ok(r.assumptions.some((a) => a.includes("62636")));
});

test("profiles cgnat (block size a parameter) and unknown", () => {
  const u = simulate({ profile: "unknown", clients: 1 });
  assert.equal(u.sessions[0]!.translated!.ports, [[1, 65535]]);
  // two subscribers per address with blocks of 32256: the third is exhausted
  const c = simulate({ profile: "cgnat:32256", clients: 3 });
  assert.equal(c.sessions.map((s) => s.translated === null), [false, false, false, false, true, true]);
  assert.equal(simulate({ profile: "cgnat", clients: 3 }).sessions[0]!.translated!.ports, [[1024, 65535]]);
  assert.throws(() => simulate({ profile: "cgnat:8" }), /cgnat block size must be from 16 to 32256/);
});

test("explain HEADEND --remote-nat: which line drops which client, per remote NAT", async () => {
  const r = explainHeadend("examples/ios-headend-pinned.cfg", { cwd: ROOT, remoteNat: ["windows-rras", "cgnat", "unknown"], clients: 2 });
  assert.equal(r.remoteNat, ["windows-rras", "cgnat", "unknown"]);
  for (const n of r.remoteNat!) {
    const out = r.sessions.filter((s) => s.remoteNat === n && s.direction === "outbound");
    assert.is(out.length, 4);
    for (const s of out) assert.equal([s.verdict, s.droppedAt?.file, s.droppedAt?.acl, s.droppedAt?.line], ["drop", "examples/ios-headend-pinned.cfg", "INTERNET-IN", 28], `${n} client ${s.client} ${s.flow}`);
  }
  const t = await cli(["explain", "examples/ios-headend-pinned.cfg", "--remote-nat", "windows-rras"], { cwd: ROOT });
  assert.is(t.code, 0, t.stderr);
  assert.match(t.stdout, "client 3 NAT-T behind windows-rras outbound: dropped by INTERNET-IN line 28 at GigabitEthernet0/0 in on vpn-hub1");
  const md = await cli(["explain", "examples/ios-headend-pinned.cfg", "--remote-nat", "windows-rras", "--format", "markdown"], { cwd: ROOT });
  assert.match(md.stdout, "```mermaid");
  assert.match(md.stdout, "-xH2:");
  assert.match(md.stdout, "H2->>H1: client 1 IKE behind windows-rras reply", "the head-end's own reply starts at the head-end");
  // a drop for some of the ports (behind an unknown NAT the real port 500 gets through) still names its line
  const u = await cli(["explain", "examples/paths/seed-004/headend.cfg", "--remote-nat", "unknown", "--clients", "1"], { cwd: ROOT });
  assert.match(u.stdout, "client 1 IKE behind unknown outbound: drop for 65534 of 65535 ports at GigabitEthernet0/0 in (INTERNET-IN line 20) on vpn-hub1 (examples/paths/seed-004/headend.cfg)");
});

test("lint with remoteNat: the head-end gated against the NATs its users sit behind", async () => {
  const dir = mkdtempSync(join(tmpdir(), "natlint-remote-"));
  writeFileSync(join(dir, "hub.cfg"), readFileSync(join(ROOT, "examples/ios-headend-pinned.cfg"), "utf8"));
  const plain = await lint({ cwd: dir, patterns: ["hub.cfg"], config: false });
  assert.equal(plain.findings.filter((f) => f.ruleId === "pat-drops-ipsec"), []);
  writeFileSync(join(dir, ".natlintrc.json"), JSON.stringify({ remoteNat: ["windows-rras"] }));
  const gated = await lint({ cwd: dir, patterns: ["hub.cfg"] });
  const pd = gated.findings.filter((f) => f.ruleId === "pat-drops-ipsec");
  assert.equal(pd.map((f) => f.line), [23, 24]);
  assert.match(pd[0]!.message, "IKE behind windows-rras of clients 1–3 of 3");
  assert.not.ok(gated.findings.some((f) => f.ruleId === "ipsec-source-port-pinned" && (f.line === 23 || f.line === 24)), "the warnings yield to the errors");
  const flag = await cli(["lint", "hub.cfg", "--no-config", "--remote-nat", "cgnat:1024", "--format", "json"], { cwd: dir });
  assert.is(flag.code, 1);
  assert.ok((JSON.parse(flag.stdout) as { findings: Array<{ message: string }> }).findings.some((f) => f.message.includes("behind cgnat:1024")));
  const pc = await cli(["lint", "--print-config", "hub.cfg"], { cwd: dir });
  assert.equal((JSON.parse(pc.stdout) as { remoteNat: string[] }).remoteNat, ["windows-rras"]);
  const bad = await cli(["lint", "hub.cfg", "--no-config", "--remote-nat", "windows"], { cwd: dir });
  assert.is(bad.code, 2);
  assert.match(bad.stderr, /^natlint: remoteNat: unknown PAT profile "windows"/);
});

test("static routes choose the interfaces (IOS ip route, ASA route)", () => {
  const ios = parseConfig("interface Gi0/0\n ip address 10.0.0.1 255.255.255.0\ninterface Gi0/1\n ip address 192.0.2.1 255.255.255.252\nip route 0.0.0.0 0.0.0.0 192.0.2.2\nip route 172.16.0.0 255.255.0.0 Gi0/0 10.0.0.9\nip route vrf X 0.0.0.0 0.0.0.0 10.0.0.254\n", "r.cfg").device;
  assert.is(ios.routes!.length, 2, "the VRF route is not in the global table");
  assert.is(routeTo(ios, 0x08080808)!.iface.name, "GigabitEthernet0/1");
  assert.is(routeTo(ios, 0xac100105)!.iface.name, "GigabitEthernet0/0");
  assert.is(routeTo(ios, 0x0a000005)!.iface.name, "GigabitEthernet0/0", "connected wins");
  const asa = parseConfig("ASA Version 9.8(4)\nname 203.0.113.1 isp-gw\ninterface Gi0/0\n nameif outside\n security-level 0\n ip address 203.0.113.2 255.255.255.0\ninterface Gi0/1\n nameif inside\n security-level 100\n ip address 10.1.1.1 255.255.255.0\nroute outside 0.0.0.0 0.0.0.0 isp-gw 1\nroute inside 10.9.0.0 255.255.0.0 10.1.1.254 1\n", "fw.cfg").device;
  assert.equal(asa.routes!.map((r) => [formatIp(r.prefix), r.iface, formatIp(r.nextHop!)]), [["0.0.0.0", "outside", "203.0.113.1"], ["10.9.0.0", "inside", "10.1.1.254"]]);
  assert.is(routeTo(asa, 0x0a090101)!.iface.nameif, "inside");
  // route lines not read are kept, and a path through the device names them
  assert.equal(ios.routesUnread!.map((s) => s.line), [7]);
  const dir = mkdtempSync(join(tmpdir(), "natlint-routes-"));
  writeFileSync(join(dir, "r.cfg"), "hostname r\ninterface Gi0/0\n ip address 10.0.0.1 255.255.255.0\ninterface Gi0/1\n ip address 192.0.2.1 255.255.255.252\nip route 0.0.0.0 0.0.0.0 192.0.2.2\nip route vrf X 0.0.0.0 0.0.0.0 10.0.0.254\n");
  writeFileSync(join(dir, "p.json"), '{ "clients": { "addresses": ["10.0.0.5"] }, "peer": "203.0.113.10", "hops": [{ "config": "r.cfg" }] }');
  const r = explainPath(join(dir, "p.json"));
  assert.ok(r.notes.some((n) => /^hop 1 \(.*r\.cfg\): route line 7 not read/.test(n)), r.notes.join("\n"));
});

test("path file errors: one line with the file, line and key; exit 2", async () => {
  const dir = mkdtempSync(join(tmpdir(), "natlint-path-"));
  writeFileSync(join(dir, "r.cfg"), "hostname r\ninterface Gi0/0\n ip address 10.0.0.1 255.255.255.0\n");
  const cases: Array<[string, RegExp]> = [
    ['{ "hops": [ { "config": "r.cfg" }, ] ', /^natlint: p\.json:1:\d+: invalid JSON/],
    ['{\n  "hops": []\n}', /^natlint: p\.json:2:3: hops: must have at least 1 item/],
    ['{\n  "hops": [{ "config": "nope.cfg" }]\n}', /^natlint: p\.json:2:14: hops\[0\]\.config: nope\.cfg: cannot read file: no such file or directory \(ENOENT\)/],
    ['{\n  "hops": [{ "config": "r.cfg", "in": "Gi9/9" }]\n}', /^natlint: p\.json:2:\d+: hops\[0\]\.in: interface "Gi9\/9" is not in r\.cfg/],
    ['{\n  "hops": [{ "nat": "windows", "global": "192.0.2.1" }]\n}', /^natlint: p\.json:2:\d+: hops\[0\]\.nat: /],
    ['{\n  "peer": "10.0.0.9",\n  "hops": [{ "nat": "linux", "global": "192.0.2.1" }]\n}', /^natlint: p\.json:\d+:\d+: clients: the first hop has no inside subnet/],
    ['{ "hops": [{ "config": "r.cfg" }], "flows": ["ike", "esp"] }', /^natlint: p\.json:1:\d+: flows\[1\]: must be one of ike, nat-t, l2tp/],
    // more addresses than clients may be simulated: an error, never a silently shorter list
    ['{ "hops": [{ "config": "r.cfg" }], "clients": { "addresses": ["10.0.0.0/8"] } }', /^natlint: p\.json:1:\d+: clients\.addresses: more than 65535 addresses/],
  ];
  for (const [text, re] of cases) {
    writeFileSync(join(dir, "p.json"), text);
    for (const cmd of [["explain", "--path", "p.json"], ["lint", "--no-config", "--path", "p.json"]]) {
      const r = await cli(cmd, { cwd: dir });
      assert.is(r.code, 2, `${cmd[0]} ${text}: ${r.stdout}${r.stderr}`);
      assert.is(r.stderr.trim().split("\n").length, 1, r.stderr);
      assert.match(r.stderr, re);
    }
  }
  const both = await cli(["lint", "--path", "p.json", "r.cfg"], { cwd: dir });
  assert.is(both.code, 2);
  const mixed = await cli(["explain", "r.cfg", "--path", "p.json"], { cwd: dir });
  assert.is(mixed.code, 2);
  const inside = await cli(["explain", "r.cfg", "--inside", "10.0.0.1"], { cwd: dir });
  assert.is(inside.code, 2);
  const wide = await cli(["explain", "r.cfg", "--remote-nat", "unknown", "--inside", "10.0.0.0/8"], { cwd: dir });
  assert.is(wide.code, 2);
  assert.match(wide.stderr, /^natlint: inside: more than 65535 addresses/);
});

test.run();
