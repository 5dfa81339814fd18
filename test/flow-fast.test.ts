/**
 * The byte reader of common flow lines (src/model/flow-fast.ts) against the full grammar
 * (`parseFlow`) on random and adversarial lines, and the streamed `flow --flows` with it against
 * the whole-file output on files that mix common lines with every other form.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { flow, parseConfig, parseFlow, type Packet } from "../src/index.js";
import { flowPacket, readFlowLine } from "../src/model/flow-fast.js";
import { formatFlowJson, formatFlowText } from "../src/report/review.js";
import { aclConfig, flowLines } from "../bench/gen.js";
import { Gen } from "../bench/random.js";
import { cli } from "./helpers/cli.js";

/** What the reader makes of `line` (one line, its LF added): the packet and the flow's text, or undefined (left to parseFlow). */
function read(line: string): { p: Packet; text: string } | undefined {
  const b = Buffer.from(`${line}\n`);
  const p = flowPacket();
  const nl = readFlowLine(b, 0, p);
  if (nl < 0) return undefined;
  assert.is(nl, b.length - 1, `${JSON.stringify(line)}: stops at the LF`);
  return { p, text: b.toString("latin1", 0, b[nl - 1] === 0x0d ? nl - 1 : nl) };
}

/** The reader agrees with parseFlow (or leaves the line to it); true when it read the line. */
function agrees(line: string): boolean {
  const r = read(line);
  if (r === undefined) return false;
  const text = line.trim();
  assert.is(r.text, text, `${JSON.stringify(line)}: the flow's text is the trimmed line`);
  assert.ok(/^[a-z0-9. ]+$/.test(r.text), `${JSON.stringify(line)}: plain text (JSON writes it as it is)`);
  const want = parseFlow(text);
  assert.ok(!("error" in want), `${JSON.stringify(line)}: read, but parseFlow says ${"error" in want ? want.error : ""}`);
  assert.equal(r.p, want, JSON.stringify(line));
  assert.equal(Object.keys(r.p), Object.keys(want), `${JSON.stringify(line)}: same key order`);
  return true;
}

const PROTOS = ["tcp", "udp", "icmp", "TCP", "Udp", "ICMP", "esp", "6", "17", "1", "icmp6", "ip", "gre", "tcpx", "tc", "", "sctp", "ahp"];
const ADDRS = ["10.0.0.1", "192.0.2.255", "0.0.0.0", "255.255.255.255", "010.001.000.009", "256.1.1.1", "1.2.3", "1.2.3.4.5", "1.2.3.4444", "1..2.3", "1.2.3.", "::1", "2001:db8::1", "host", "any", "1.2.3.4/24", "١.2.3.4", "0x1.2.3.4"];
const PORTS = ["0", "80", "65535", "65536", "00080", "0000000000000000000443", "99999999999", "-1", "80a", "www", "", "1e3", "+80", "８０"];
const SEPS = [" ", " ", " ", " ", "  ", "\t", "\u00a0", "\u2003", "\r", "\v", ",", ""];
const ENDS = ["", "", "", "\r", " ", "\t", "\r\r", " \r", "\u00a0", "#", "\0"];

/** A flow line: each field good with probability `good` (then of tcp, udp or icmp and in range), else any of the lists above. */
function randomLine(g: Gen, good = g.pick([0.5, 0.9, 0.97])): string {
  const pick = (ok: string[], all: string[]) => (g.chance(good) ? g.pick(ok) : g.pick(all));
  const sep = () => (g.chance(good) ? " " : g.pick(SEPS));
  const proto = pick(["tcp", "udp", "icmp"], PROTOS);
  const addr = () => pick(ADDRS.slice(0, 5), ADDRS);
  const port = () => pick(PORTS.slice(0, 6), PORTS);
  const fields = [proto, addr()];
  if (proto === "icmp" ? g.chance(0.2) : g.chance(0.9)) fields.push(port(), addr(), port());
  else fields.push(addr(), ...Array.from({ length: g.int(0, 3) }, () => pick(["0", "8", "255", "0008"], ["256", "x", "3", "-1"])));
  if (!g.chance(good)) fields.push(g.pick(PORTS));
  if (!g.chance(good)) fields.splice(g.int(0, fields.length - 1), 1);
  return (g.chance(good) ? "" : g.pick([" ", "\t", "#", "\ufeff"])) + fields.map((f, i) => (i ? sep() : "") + f).join("") + (g.chance(good) ? g.pick(["", "\r"]) : g.pick(ENDS));
}

test("readFlowLine reads what parseFlow reads, the same packet, on random and adversarial lines (else leaves the line to it)", () => {
  const g = new Gen(0xf10f);
  let readN = 0;
  const n = process.env.NATLINT_SLOW_TESTS === "1" ? 200_000 : 40_000;
  for (let i = 0; i < n; i++) if (agrees(randomLine(g))) readN++;
  assert.ok(readN > n / 5, `many lines read (${readN} of ${n})`);
  // the generated flows, the forms at the edges of the ranges, and near misses
  for (const l of flowLines(3000, 3)) assert.ok(agrees(l), l);
  for (const l of ["tcp 0.0.0.0 0 255.255.255.255 65535", "udp 001.02.3.004 00000 9.9.9.9 065535", "icmp 1.2.3.4 5.6.7.8", "icmp 1.2.3.4 5.6.7.8 255", "icmp 1.2.3.4 5.6.7.8 8 255", "icmp 1.2.3.4 5.6.7.8 0000008 0", "tcp 1.2.3.4 80 5.6.7.8 443\r"])
    assert.ok(agrees(l), l);
  for (const l of ["tcp 1.2.3.4 80 5.6.7.8 65536", "icmp 1.2.3.4 5.6.7.8 256", "icmp 1.2.3.4 5.6.7.8 8 0 0", "icmp 1.2.3.4 5.6.7.8 8 ", "tcp 1.2.3.4 80 5.6.7.8", "tcp 1.2.3.4 80 5.6.7.8 80 9", "udp 1.2.3.4 80 5.6.7.8 80\r\r", "icmp 1.2.3.4", "tcp 1.2.3.4  80 5.6.7.8 80", "Tcp 1.2.3.4 80 5.6.7.8 80", "tcp 1.2.3.4 80 5.6.7.8 80 "])
    assert.is(read(l), undefined, l);
});

test("readFlowLine stops at the first LF (the line's end) and leaves the packet as it was on a line it does not read", () => {
  const b = Buffer.from("udp 10.0.0.1 500 10.0.0.2 4500\ntcp 9.9.9.9 1 8.8.8.8 2\n");
  const p = flowPacket();
  assert.is(readFlowLine(b, 0, p), 30);
  assert.equal(p, parseFlow("udp 10.0.0.1 500 10.0.0.2 4500"));
  assert.is(readFlowLine(b, 31, p), b.length - 1);
  const before = { ...p };
  assert.is(readFlowLine(Buffer.from("tcp 1.2.3.4 5 6.7.8.9 99999\n"), 0, p), -1);
  assert.equal(p, before);
});

const dir = mkdtempSync(join(tmpdir(), "natlint-flowfast-"));
const cfgText = aclConfig(300, 5);
const cfg = join(dir, "edge.cfg");
writeFileSync(cfg, cfgText);
const { device } = parseConfig(cfgText, cfg);

/** The whole-file output: every flow parsed, `flow`, then the formatter. */
function reference(text: string, format: "text" | "json"): string {
  const flows = text.split("\n").map((l) => l.trim()).filter((l) => l && !l.startsWith("#"));
  const packets = flows.map((f) => parseFlow(f) as Packet);
  const report = { acl: "EDGE-IN", flows, results: flow(device, "EDGE-IN", packets), batch: true };
  return format === "json" ? formatFlowJson(report) : formatFlowText(report);
}

test("flow --flows streamed: common lines read from their bytes mixed with every other valid form give the whole-file output (text and JSON)", async () => {
  const g = new Gen(0x5eed);
  const valid = (l: string) => {
    const p = parseFlow(l.trim());
    return !("error" in p) && p.v6 === undefined;
  };
  const odd: string[] = [];
  while (odd.length < 400) {
    const l = randomLine(g);
    if (valid(l) && !l.trim().startsWith("#")) odd.push(l);
  }
  const lines: string[] = [];
  for (const l of flowLines(6000, 8)) {
    lines.push(g.chance(0.1) ? g.pick(odd) : g.chance(0.05) ? `${l}\r` : l);
    if (g.chance(0.02)) lines.push(g.pick(["", "# note", "  ", "\r"]));
  }
  // a line longer than a read of the file (1 MiB) and one of IPv4 and ICMP with odd spacing
  lines.splice(3000, 0, `tcp${" ".repeat(3 << 19)}10.0.0.1 80 10.0.0.2 80`, "icmp\t10.0.0.1  10.0.0.2 8 0");
  for (const [name, text] of [
    ["lf", lines.join("\n") + "\n"],
    ["crlf", lines.join("\r\n")],
  ] as const) {
    const ff = join(dir, `mixed-${name}.txt`);
    writeFileSync(ff, text);
    for (const format of ["text", "json"] as const) {
      const r = await cli(["flow", cfg, "--acl", "EDGE-IN", "--flows", ff, "--format", format]);
      assert.is(r.code, 0, r.stderr);
      assert.ok(r.stdout === reference(text, format), `${name} ${format}: the whole-file output`);
    }
  }
});

test("flow --flows streamed: a bad line among common ones (after the first 1,000) is today's error at its line", async () => {
  const lines = flowLines(4000, 12);
  for (const [at, what] of [
    [2500, "tcp 10.0.0.1 80 10.0.0.2 65536"],
    [3100, "icmp 10.0.0.1 10.0.0.2 8 0 0"],
    [3999, "tcp 10.0.0.1 80 10.0.0.2"],
  ] as const) {
    const l = [...lines];
    l[at - 1] = what;
    const ff = join(dir, `bad-${at}.txt`);
    writeFileSync(ff, l.join("\n") + "\n");
    const p = parseFlow(what);
    assert.ok("error" in p);
    for (const format of ["text", "json"] as const) {
      const r = await cli(["flow", cfg, "--acl", "EDGE-IN", "--flows", ff, "--format", format]);
      assert.is(r.code, 2);
      assert.is(r.stderr, `natlint: ${ff}:${at}: ${"error" in p ? p.error : ""}\n`);
      assert.ok(reference(l.slice(0, at - 1).join("\n"), format).startsWith(r.stdout), "a prefix of the valid output");
    }
  }
});

test.run();
