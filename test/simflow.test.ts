/**
 * `flow --flows` streamed and `simulate` linear (issue #14): the streamed output is the bytes of
 * the whole-file reference (`flow` + formatFlowText / formatFlowJson), and the allocator with its
 * caches gives the translations of a straightforward allocator without them.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { flow, parseFlow, parseConfig, type Packet } from "../src/index.js";
import { formatFlowJson, formatFlowText } from "../src/report/review.js";
import { table } from "../src/report/table.js";
import { visible } from "../src/report/text.js";
import { runMain } from "../src/cli/main.js";
import { PatTable, type SessionRequest, type Translation } from "../src/nat/pat.js";
import { PROFILES, type PatProfile, type PortUsage } from "../src/nat/profiles.js";
import { findProfile, REMOTE_PROFILES } from "../src/nat/profiles-remote.js";
import { flowsForPorts, simulatePat, type FlowSpec } from "../src/sim/sessions.js";
import { aclConfig, flowLines } from "../bench/gen.js";
import { IPV4, parseIp } from "../src/model/addr.js";
import { packet } from "../src/model/types.js";
import { cli } from "./helpers/cli.js";

const dir = mkdtempSync(join(tmpdir(), "natlint-simflow-"));
const cfg = join(dir, "edge.cfg");
writeFileSync(cfg, aclConfig(150, 7));
const { device } = parseConfig(aclConfig(150, 7), cfg);

/** A seeded generator (xorshift32). */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 0x100000000;
  };
}

/** Flow lines with comments, blank lines, CRLF and padding mixed in. */
function flowFile(n: number, seed: number): string {
  const r = rng(seed);
  const out: string[] = [];
  for (const l of flowLines(n, seed)) {
    const k = r();
    if (k < 0.05) out.push("# a comment");
    if (k > 0.95) out.push("   ");
    out.push(k < 0.1 ? `  ${l}\t` : k < 0.15 ? `${l}\r` : l);
  }
  return out.join("\n") + (r() < 0.5 ? "\n" : "");
}

/** The output of the whole-file path: every flow parsed, `flow`, then the formatter. */
function reference(text: string, format: "text" | "json"): string {
  const flows = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith("#"));
  const packets = flows.map((f) => parseFlow(f) as Packet);
  const report = { acl: "EDGE-IN", flows, results: flow(device, "EDGE-IN", packets), batch: true };
  return format === "json" ? formatFlowJson(report) : formatFlowText(report);
}

for (const [n, seed] of [
  [0, 1],
  [1, 2],
  [300, 3],
  [999, 4],
  [1000, 5],
  [2600, 6],
] as const)
  test(`flow --flows streamed: ${n} flows give the whole-file output (text and JSON)`, async () => {
    const text = flowFile(n, seed);
    const ff = join(dir, `flows-${n}.txt`);
    writeFileSync(ff, text);
    for (const format of ["text", "json"] as const) {
      const r = await cli(["flow", cfg, "--acl", "EDGE-IN", "--flows", ff, "--format", format]);
      assert.is(r.code, 0, r.stderr);
      assert.is(r.stdout, reference(text, format), format);
      if (format === "json") assert.is((JSON.parse(r.stdout) as { results: unknown[] }).results.length, flowLines(n, seed).length);
    }
  });

test("flow --flows streamed: the output waits for standard output to drain", async () => {
  const ff = join(dir, "flows-drain.txt");
  const text = flowFile(60_000, 9);
  writeFileSync(ff, text);
  let out = "";
  let drains = 0;
  let pieces = 0;
  const code = await runMain(["flow", cfg, "--acl", "EDGE-IN", "--flows", ff], {
    stdout: (t) => {
      out += t;
      pieces++;
    },
    drain: async () => void drains++,
    stderr: () => {},
    cwd: process.cwd(),
    env: {},
    stdoutIsTTY: false,
    stderrIsTTY: false,
  });
  assert.is(code, 0);
  assert.is(out, reference(text, "text"));
  assert.ok(pieces > 10, `written in pieces (${pieces})`);
  assert.ok(drains > 0, "drained between pieces");
});

test("flow --flows streamed: a bad line is today's error at its line; a short output never precedes it", async () => {
  const lines = flowLines(3000, 11);
  const bad = (at: number, what: string) => {
    const l = [...lines];
    l[at - 1] = what;
    return l.join("\n") + "\n";
  };
  for (const [at, what] of [
    [2, "udp 10.0.0.1 99999 10.0.0.2 500"],
    [1500, "tcp 10.0.0.1 80"],
    [2999, "udp 2001:db8::1 500 2001:db8::2 500"],
  ] as const) {
    const ff = join(dir, `bad-${at}.txt`);
    writeFileSync(ff, bad(at, what));
    const p = parseFlow(what);
    const why = "error" in p ? p.error : "an IPv6 flow, but EDGE-IN is an IPv4 ACL, which never sees IPv6 packets";
    for (const format of ["text", "json"] as const) {
      const r = await cli(["flow", cfg, "--acl", "EDGE-IN", "--flows", ff, "--format", format]);
      assert.is(r.code, 2);
      assert.is(r.stderr, `natlint: ${ff}:${at}: ${why}\n`);
      // what went out is the start of the output of the flows before the bad one
      assert.ok(reference(lines.slice(0, at - 1).join("\n"), format).startsWith(r.stdout), "a prefix of the valid output");
      if (at < 1000) assert.is(r.stdout, "", "held back: nothing before the error");
    }
  }
  // the bad line's error comes before an undefined ACL's, as when the file was read whole
  const ff = join(dir, "bad-1500.txt");
  assert.match((await cli(["flow", cfg, "--acl", "NOPE", "--flows", ff])).stderr, /bad-1500\.txt:1500: /);
  const ok = join(dir, "flows-300.txt");
  const r = await cli(["flow", cfg, "--acl", "NOPE", "--flows", ok]);
  assert.is(r.code, 2);
  assert.match(r.stderr, /^natlint: ACL "NOPE" is not defined in /);
  assert.is(r.stdout, "");
  assert.match((await cli(["flow", cfg, "--acl", "EDGE-IN", "--flows", join(dir, "missing.txt")])).stderr, /missing\.txt: cannot read flow file: /);
  assert.match((await cli(["flow", cfg, "--acl", "EDGE-IN", "--flows", dir])).stderr, /: cannot read flow file: .*EISDIR/);
});

test("parseIp: the character scan reads the dotted-quad grammar (IPV4, octets ≤ 255)", () => {
  const byRegex = (x: string) => {
    const m = IPV4.exec(x);
    if (!m) return undefined;
    let v = 0;
    for (let i = 1; i <= 4; i++) {
      if (Number(m[i]) > 255) return undefined;
      v = v * 256 + Number(m[i]);
    }
    return v >>> 0;
  };
  const r = rng(21);
  const alphabet = ["0", "1", "2", "5", "9", "25", "255", "256", "010", "1000", ".", ".", ".", " ", "a", "-", ":", "\n", "٣"];
  const samples = ["0.0.0.0", "255.255.255.255", "256.1.1.1", "1.2.3", "1.2.3.4.", ".1.2.3.4", "01.002.3.4", "1.2.3.0004", "1..2.3", " 1.2.3.4", "1.2.3.4\n", "١.2.3.4", ""];
  for (let k = 0; k < (process.env.NATLINT_SLOW_TESTS === "1" ? 50_000 : 10_000); k++) samples.push(Array.from({ length: 1 + Math.floor(r() * 9) }, () => alphabet[Math.floor(r() * alphabet.length)]!).join(""));
  for (let k = 0; k < (process.env.NATLINT_SLOW_TESTS === "1" ? 20_000 : 5_000); k++) samples.push(Array.from({ length: 4 }, () => String(Math.floor(r() * 300)).padStart(Math.floor(r() * 4), "0")).join("."));
  for (const x of samples) assert.is(parseIp(x), byRegex(x), JSON.stringify(x));
});

test("parseFlow: the packet of packet(), same fields in the same order", () => {
  for (const l of [...flowLines(3000, 13), "esp 10.0.0.1 10.0.0.2", "icmp 1.2.3.4 5.6.7.8 3 1", "sctp 1.2.3.4 9 5.6.7.8 10"]) {
    const p = parseFlow(l) as Packet;
    const want = packet({ protocol: p.protocol, src: p.src, dst: p.dst, srcPort: p.srcPort, dstPort: p.dstPort, icmpType: p.icmpType, icmpCode: p.icmpCode });
    assert.is(JSON.stringify(p), JSON.stringify(want), l);
  }
});

// ------------------------------------------------------------------------------ simulate

/** A usage whose caches never hold: every choice computed from `taken` alone. */
function uncached(taken: Set<number>): PortUsage {
  const u = { taken, randomInBand: [] as number[] } as PortUsage;
  for (const k of ["firstFree", "freeInBand"] as const)
    Object.defineProperty(u, k, {
      get: () => undefined,
      set: () => {},
    });
  return u;
}

/** The allocator without caches: usage per string key, pool order or round-robin by a scan of the pool. */
function referenceAllocate(profile: PatProfile, globals: number[], roundRobin: boolean) {
  const usage = new Map<string, PortUsage>();
  const host = new Map<number, number>();
  let rr = 0;
  return (req: SessionRequest): Translation | undefined => {
    const start = roundRobin ? (host.get(req.insideIp) ?? rr++ % globals.length) : 0;
    for (let i = 0; i < globals.length; i++) {
      const ip = globals[(start + i) % globals.length]!;
      const key = profile.uniqueness === "per-global-ip" ? `${req.protocol}/${ip}` : `${req.protocol}/${ip}/${req.dstIp}/${req.dstPort}`;
      let u = usage.get(key);
      if (!u) usage.set(key, (u = uncached(new Set())));
      const c = profile.choose({ protocol: req.protocol, port: req.insidePort, insideIp: req.insideIp }, u);
      if (c.kind === "exhausted") continue;
      if (roundRobin) host.set(req.insideIp, globals.indexOf(ip));
      if (c.kind === "port") {
        u.taken.add(c.port);
        return { ip, port: c.port, ports: [{ lo: c.port, hi: c.port }], kept: c.kept };
      }
      const b = profile.bandFor(req.insidePort);
      u.randomInBand[b] = (u.randomInBand[b] ?? 0) + 1;
      return { ip, ports: c.ports, kept: false };
    }
    return undefined;
  };
}

const PEER = 0xcb00710a;
const ALL = [...PROFILES, ...REMOTE_PROFILES, findProfile("cgnat:16")!, findProfile("cgnat:32256")!];

for (const profile of ALL)
  test(`simulate ${profile.id}: the cached allocator gives the uncached one's translations`, () => {
    const cases: Array<{ n: number; ports: number[]; globals: number[]; rr?: boolean }> = [
      { n: 3, ports: [500, 4500], globals: [0xc0000202] },
      { n: 1100, ports: [500, 4500], globals: [0xc0000202] },
      { n: 700, ports: [4500, 1701, 500, 1, 511, 512, 1023, 1024, 65535], globals: [0xc0000202] },
      { n: 400, ports: [500, 4500, 600], globals: [1, 2, 3, 2], rr: true },
      { n: 300, ports: [500, 4500], globals: [1, 2] },
    ];
    if (profile.id.startsWith("cgnat")) cases.push({ n: 4100, ports: [500, 4500], globals: [0xc0000202] });
    for (const c of cases) {
      const clients = Array.from({ length: c.n }, (_, i) => 0x0a000000 + i);
      const flows: FlowSpec[] = flowsForPorts(c.ports);
      const got = simulatePat(new PatTable(profile, c.globals, { roundRobin: c.rr === true }), clients, flows, PEER);
      const ref = referenceAllocate(profile, c.globals, c.rr === true);
      const want: Array<Translation | undefined> = [];
      for (const ip of clients) {
        const opened = new Map<number, Translation | undefined>();
        for (const f of flows) {
          const o = f.carrier ?? f;
          if (!opened.has(o.port)) opened.set(o.port, ref({ protocol: o.protocol, insideIp: ip, insidePort: o.port, dstIp: PEER, dstPort: o.port }));
          want.push(opened.get(o.port));
        }
      }
      assert.equal(got.map((s) => s.translated ?? null), want.map((t) => t ?? null), `${c.n} clients, ports ${c.ports.join(",")}`);
    }
  });

test("simulate: a random profile's free ports drop a port taken after they were first computed", () => {
  for (const profile of [findProfile("asa")!, findProfile("linux")!, findProfile("windows-rras")!, findProfile("unknown")!]) {
    const t = new PatTable(profile, [0xc0000202]);
    const at = (ip: number, port: number) => t.allocate({ protocol: 17, insideIp: ip, insidePort: port, dstIp: PEER, dstPort: 500 });
    at(1, 5000);
    const before = at(2, 5000)!;
    assert.ok(before.ports.some((r) => r.lo <= 6000 && 6000 <= r.hi), `${profile.id}: 6000 free at first`);
    const kept = at(3, 6000)!;
    if (kept.kept) {
      const after = at(4, 6000)!;
      assert.not.ok(after.ports.some((r) => r.lo <= 6000 && 6000 <= r.hi), `${profile.id}: 6000 taken since`);
    }
  }
});

test("table: the rows written as before (padding, visible cells, short and long rows)", () => {
  const old = (header: string[], rawRows: string[][]) => {
    const rows = rawRows.map((r) => r.map((c) => visible(c)));
    const widths = header.map((h, i) => rows.reduce((w, r) => Math.max(w, (r[i] ?? "").length), h.length));
    const line = (cells: string[]) =>
      cells
        .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
        .join("  ")
        .trimEnd();
    return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
  };
  const r = rng(5);
  const cell = () => ["", "a", "192.0.2.2:1024", "x\u001b[2Jy", "tail  ", "\u202Eabc", "é"][Math.floor(r() * 7)]!;
  for (let k = 0; k < 200; k++) {
    const header = Array.from({ length: 1 + Math.floor(r() * 4) }, (_, i) => `h${i}${"x".repeat(Math.floor(r() * 3))}`);
    const rows = Array.from({ length: Math.floor(r() * 6) }, () => Array.from({ length: Math.floor(r() * 6) }, cell));
    assert.is(table(header, rows), old(header, rows));
  }
});

test.run();
