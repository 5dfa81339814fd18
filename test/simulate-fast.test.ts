/**
 * `natlint simulate` written straight from the allocator (src/report/simulate.ts, issue #14):
 * byte for byte what the previous implementation printed — the `SimulateResult` built session by
 * session (kept here as it was), then `formatSimulateTable` or `JSON.stringify(r, null, 2)` — for
 * every profile, 1, 2, 3, 100, 1,000 and 64,512 clients (64,512 through the binary only by
 * default, every profile with NATLINT_SLOW_TESTS=1), table and JSON; in process, through the CLI's entry point, and through
 * the built binary. Errors are the same lines as before.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { simulate, simulateText, type SimulateOptions } from "../src/api/index.js";
import { L2TP_NOTE, translatedJson, type SimulateResult } from "../src/analysis/simulate.js";
import { formatIp, parseIp } from "../src/model/addr.js";
import { parseAddressList } from "../src/model/addr-list.js";
import { PatTable, type Translation } from "../src/nat/pat.js";
import { allProfileIds, findProfile } from "../src/nat/profiles-remote.js";
import { flowsForPorts } from "../src/sim/sessions.js";
import { table as textTable } from "../src/report/table.js";
import { cli } from "./helpers/cli.js";

/** The previous `simulate()`: every session an object, made in the allocation loop (as before the chunked output). */
function previous(opts: SimulateOptions): SimulateResult {
  const profile = findProfile(opts.profile ?? "ios")!;
  const ports = opts.ports ?? [500, 4500];
  const list = opts.inside !== undefined && parseIp(opts.inside) === undefined ? (parseAddressList(opts.inside) as number[]) : undefined;
  const clients = opts.clients ?? list?.length ?? 3;
  const first = parseIp(opts.inside ?? "192.168.100.11") ?? 0;
  const ips = list ? list.slice(0, clients) : Array.from({ length: clients }, (_, i) => (first + i) >>> 0);
  const g = parseIp(opts.global ?? "192.0.2.2")!;
  const peer = parseIp(opts.peer ?? "203.0.113.10")!;
  const table = new PatTable(profile, [g]);
  const flows = flowsForPorts(ports);
  const opens = flows.map((f) => f.carrier ?? f);
  const firstOpen = opens.map((o) => opens.findIndex((x) => x.port === o.port));
  const got: Array<Translation | undefined> = new Array(flows.length);
  const sessions: SimulateResult["sessions"] = [];
  let carried = false;
  for (let i = 0; i < ips.length; i++) {
    for (let j = 0; j < flows.length; j++) {
      const f = flows[j]!;
      const o = opens[j]!;
      const k = firstOpen[j]!;
      const t = k === j ? (got[j] = table.allocate({ protocol: o.protocol, insideIp: ips[i]!, insidePort: o.port, dstIp: peer, dstPort: o.port })) : got[k];
      const row: SimulateResult["sessions"][number] = { client: i + 1, flow: f.name, inside: { ip: formatIp(ips[i]!), port: f.port }, translated: translatedJson(t) };
      if (f.carrier) {
        row.carriedIn = f.carrier.name;
        carried = true;
      }
      sessions.push(row);
    }
  }
  return { profile: profile.id, assumptions: profile.assumptions, global: formatIp(g), peer: formatIp(peer), sessions, ...(carried ? { notes: [L2TP_NOTE] } : {}) };
}

/** The previous table formatter (src/report/explain-table.ts before the chunked output). */
function formatSimulateTable(r: SimulateResult): string {
  const translated = (t: SimulateResult["sessions"][number]["translated"]): string =>
    t === null ? "(PAT exhausted)" : t.port !== undefined ? `${t.ip}:${t.port}` : `${t.ip}:{${(t.ports ?? []).map(([lo, hi]) => (lo === hi ? `${lo}` : `${lo}-${hi}`)).join(",")}}`;
  const lines = [`PAT profile ${r.profile}, global ${r.global}, peer ${r.peer}`];
  for (const n of r.assumptions) lines.push(`assumption: ${n}`);
  for (const n of r.notes ?? []) lines.push(`note: ${n}`);
  lines.push("", textTable(["session", "client", "flow", "inside", "translated"], r.sessions.map((s, i) => [String(i + 1), String(s.client), s.carriedIn ? `${s.flow} (in ${s.carriedIn})` : s.flow, `${s.inside.ip}:${s.inside.port}`, translated(s.translated)])));
  return lines.join("\n") + "\n";
}

const SLOW = process.env.NATLINT_SLOW_TESTS === "1";
const PROFILES = [...allProfileIds(), "cgnat:16", "cgnat:32256"];
// 64,512 clients in process: every profile in CI; by default only the binary test below runs that
// size (asa), the others go to 1,000 clients
const BIG = SLOW ? PROFILES : [];

/** `got === want`, else a failure quoting the first line that differs (not a diff of megabytes). */
function sameText(got: string, want: string, what: string): void {
  if (got === want) return;
  let i = 0;
  while (i < got.length && got[i] === want[i]) i++;
  const from = got.lastIndexOf("\n", i - 1) + 1;
  const line = (s: string) => JSON.stringify(s.slice(from, s.indexOf("\n", i) < 0 ? undefined : s.indexOf("\n", i)));
  assert.unreachable(`${what}: differs at character ${i} (of ${got.length} / ${want.length}): got ${line(got)}, want ${line(want)}`);
}

function same(opts: SimulateOptions, what: string): void {
  const r = previous(opts);
  const json = simulateText(opts, "json");
  const want = JSON.stringify(r, null, 2) + "\n";
  sameText(json.join(""), want, `${what}: JSON`);
  // the library's simulate(): the same result as before (its session objects are the previous ones)
  if (r.sessions.length <= 20_000 || SLOW) sameText(JSON.stringify(simulate(opts), null, 2) + "\n", want, `${what}: simulate()`);
  const table = simulateText(opts, "table");
  sameText(table.join(""), formatSimulateTable(r), `${what}: table`);
  if (r.sessions.length > 20_000) assert.ok(table.length > 1 && json.length > 1, `${what}: written in pieces`);
}

for (const profile of PROFILES)
  test(`simulate ${profile}: table and JSON byte for byte the previous output, 1 to ${BIG.includes(profile) ? "64,512" : "1,000"} clients`, () => {
    for (const clients of [1, 2, 3, 100, 1000, ...(BIG.includes(profile) ? [64512] : [])]) same({ profile, clients }, `${clients} clients`);
  });

test("simulate: carried L2TP, other ports, address lists, other addresses, exhaustion", () => {
  const cases: SimulateOptions[] = [
    { ports: [500, 4500, 1701], clients: 700 },
    { ports: [1701], clients: 5, profile: "linux" },
    { ports: [1701, 500], clients: 3, profile: "windows-rras" },
    { ports: [4500, 1701, 500, 1, 511, 512, 1023, 1024, 65535], clients: 300, profile: "asa" },
    { ports: [4500, 1701, 500, 1, 511, 512, 1023, 1024, 65535], clients: 300, profile: "unknown" },
    { ports: [500, 4500, 600], clients: 1100, profile: "linux" },
    { inside: "192.168.11.22,192.168.11.20,10.0.0.1" },
    { inside: "10.0.0.0/29", profile: "asa-9.15" },
    { inside: "10.9.8.7-10.9.9.9", clients: 100, profile: "cgnat:16" },
    { inside: "1.0.0.1", global: "100.64.0.1", peer: "9.9.9.9", clients: 1000, profile: "asa-flat" },
    { inside: "255.255.255.0", clients: 256 },
    { clients: 5000, profile: "cgnat:16" },
    { clients: 70, profile: "cgnat:32256" },
    { ports: [], clients: 4 },
    { ports: [], clients: 4, profile: "asa" },
  ];
  for (const c of cases) same(c, JSON.stringify(c));
});

test("natlint simulate: the CLI writes the previous bytes (table, JSON, default options) and the same errors", async () => {
  for (const [args, opts] of [
    [[], {}],
    ...(SLOW ? ([[["--clients", "64512"], { clients: 64512 }]] as Array<[string[], SimulateOptions]>) : []),
    [["--clients", "1000", "--profile", "linux", "--format", "json"], { clients: 1000, profile: "linux" }],
    [["--profile", "windows-rras", "--ports", "500,4500,1701", "--inside", "10.0.0.0/28", "--format", "json"], { profile: "windows-rras", ports: [500, 4500, 1701], inside: "10.0.0.0/28" }],
  ] as Array<[string[], SimulateOptions]>) {
    const r = await cli(["simulate", ...args]);
    assert.is(r.code, 0, r.stderr);
    assert.is(r.stderr, "");
    const p = previous(opts);
    sameText(r.stdout, args.includes("json") ? JSON.stringify(p, null, 2) + "\n" : formatSimulateTable(p), args.join(" "));
  }
  for (const [args, err] of [
    [["--profile", "nope"], 'unknown PAT profile "nope" (known: ios, asa, asa-flat, asa-flat-include-reserve, asa-9.15, asa-block-allocation, linux, windows-rras, cgnat, unknown; cgnat:BLOCKSIZE)'],
    [["--profile", "cgnat:8"], "cgnat block size must be from 16 to 32256 ports (got 8)"],
    [["--inside", "10.0.0.0/30", "--clients", "9"], "inside: 10.0.0.0/30 names 2 addresses, fewer than clients 9"],
    [["--inside", "255.255.255.250", "--clients", "10"], "inside: 10 clients from 255.255.255.250 run past 255.255.255.255"],
    [["--inside", "10.0.0.x"], 'inside: "10.0.0.x" is not an IPv4 address, range (A-B) or subnet (A/N)'],
    [["--inside", "10.0.0.5-10.0.0.1", "--format", "json"], 'inside: "10.0.0.5-10.0.0.1": the range ends before it starts'],
    [["--global", "1.2.3"], 'simulate: --global must be an IPv4 address (got "1.2.3")'],
    [["--clients", "0"], 'simulate: --clients must be a whole number from 1 to 65535 (got "0")'],
    [["--format", "xml"], 'simulate: --format must be one of table, json (got "xml")'],
  ] as Array<[string[], string]>) {
    const r = await cli(["simulate", ...args]);
    assert.is(r.code, 2, args.join(" "));
    assert.is(r.stdout, "", args.join(" "));
    assert.is(r.stderr, `natlint: ${err}\n`, args.join(" "));
  }
});

test("natlint simulate through the built binary: 64,512 clients, the previous bytes", () => {
  const bin = join(fileURLToPath(new URL("..", import.meta.url)), "bin", "natlint.js");
  for (const [format, profile] of SLOW
    ? ([
        ["json", "asa"],
        ["table", "cgnat"],
      ] as const)
    : ([["json", "asa"]] as const)) {
    const r = spawnSync(process.execPath, [bin, "simulate", "--clients", "64512", "--profile", profile, "--format", format], { encoding: "utf8", maxBuffer: 1 << 27 });
    assert.is(r.status, 0, r.stderr);
    assert.is(r.stderr, "");
    const p = previous({ clients: 64512, profile });
    sameText(r.stdout, format === "json" ? JSON.stringify(p, null, 2) + "\n" : formatSimulateTable(p), `${profile} ${format}`);
  }
});

test("PAT per destination (linux): a port is unique per protocol, global address, destination address and port", () => {
  const t = new PatTable(findProfile("linux")!, [0xc0000202]);
  const at = (protocol: number, insideIp: number, dstIp: number, dstPort: number) => t.allocate({ protocol, insideIp, insidePort: 5000, dstIp, dstPort })!;
  assert.is(at(17, 1, 0xcb00710a, 500).port, 5000);
  assert.is(at(17, 2, 0xcb00710a, 500).port, undefined, "taken for this destination: a random port");
  assert.is(at(17, 2, 0xcb00710b, 500).port, 5000, "another destination address");
  assert.is(at(17, 2, 0xcb00710a, 501).port, 5000, "another destination port");
  assert.is(at(6, 2, 0xcb00710a, 500).port, 5000, "another protocol");
  assert.is(at(17, 3, 0xcb00710b, 500).port, undefined);
  const ios = new PatTable(findProfile("ios")!, [0xc0000202]);
  assert.is(ios.allocate({ protocol: 17, insideIp: 1, insidePort: 5000, dstIp: 1, dstPort: 500 })!.port, 5000);
  assert.is(ios.allocate({ protocol: 17, insideIp: 2, insidePort: 5000, dstIp: 2, dstPort: 600 })!.port, 1024, "per global address: taken whatever the destination");
});

test("natlint simulate loads the allocator, the profiles and its formatter, none of the linter (start-up)", () => {
  const src = fileURLToPath(new URL("../src/", import.meta.url));
  const seen = new Set<string>();
  const packages = new Set<string>();
  const walk = (rel: string) => {
    if (seen.has(rel)) return;
    seen.add(rel);
    // the imports that load a module (not `import type`, and not the commands' `await import(…)`)
    for (const m of readFileSync(join(src, rel), "utf8").matchAll(/^(?:import|export) (?!type )[^;]*? from "([^"]+)";/gms)) {
      const spec = m[1]!;
      if (spec.startsWith(".")) walk(normalize(join(dirname(rel), spec)).split("\\").join("/").replace(/\.js$/, ".ts"));
      else if (!spec.startsWith("node:")) packages.add(spec);
    }
  };
  walk("cli/main.ts");
  walk("cli/simulate.ts");
  const heavy = [...seen].filter((f) => !/^(cli\/(main|args|simulate)|api\/(suggest|errors|options|simulate)|core\/(errors|limits|suggest)|model\/(addr|addr-list|ports|types|features|nat-route)|nat\/(pat|profiles|profiles-remote)|sim\/sessions|analysis\/simulate|report\/(text|simulate))\.ts$/.test(f));
  assert.equal(heavy, [], "modules beyond the simulation's");
  assert.equal([...packages], [], "no package");
});

test.run();
