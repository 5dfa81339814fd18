/**
 * IPv6 lint benchmark: `node --import tsx bench/ipv6-lint.ts [--acl 1000,10000] [--rules]`
 *
 * bench/gen.ts's router with one long ACL, linted with every rule, and the same router with the
 * ACL written for IPv6 (`ipv6 access-list`, bound by `ipv6 traffic-filter`): every address A/L
 * as 2001:db8:A::/(32+L), a host as 2001:db8:A::1, `ip` as `ipv6`, gre as protocol 47, the
 * ICMP messages as the ICMPv6 ones of the same meaning (echo 128, echo-reply 129, unreachable 1,
 * administratively-prohibited 1 1, packet-too-big 2, time-exceeded 3). IPv6 has no wildcards: a
 * wildcard with gaps (0.0.255.0) becomes the prefix of its leading mask bits in both versions, so
 * the two ACLs have the same lines and shape. Each lint runs in its own process (bench/scale.ts's
 * child), best of 3; `--rules` adds the rules one at a time. Issue #16: IPv6 within 2× IPv4.
 * The IPv6 version may have findings the IPv4 one has not: ipv6-nd-blocked, and lines whose ICMP
 * messages differ (ICMPv4 packet-too-big is a code of unreachable, ICMPv6 packet-too-big a type).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { aclConfig } from "./gen.js";
import { TS_LOADER } from "./loader.js";
import { loadBuiltinRules } from "../src/engine/rules.js";

const SCALE = fileURLToPath(new URL("./scale.ts", import.meta.url));

const toNum = (a: string): number => a.split(".").reduce((x, o) => x * 256 + Number(o), 0);
const toIp = (n: number): string => [24, 16, 8, 0].map((s) => (n >>> s) & 255).join(".");
const hex = (n: number): string => `${((n >>> 16) & 0xffff).toString(16)}:${(n & 0xffff).toString(16)}`;
/** Leading zero bits of a wildcard: its prefix length (a wildcard with gaps keeps its leading mask bits). */
const lenOf = (wc: number): number => Math.clz32(wc >>> 0);

const ICMP6: Record<string, string> = { echo: "128", "echo-reply": "129", unreachable: "1", "administratively-prohibited": "1 1", "packet-too-big": "2", "time-exceeded": "3" };

/** One ACE line's address spec from tokens at i: [v4 text, v6 text, tokens used]. */
function addr(t: string[], i: number): [string, string, number] {
  if (t[i] === "any") return ["any", "any", 1];
  if (t[i] === "host") {
    const a = toNum(t[i + 1]!);
    return [`host ${t[i + 1]}`, `host 2001:db8:${hex(a)}::1`, 2];
  }
  const len = lenOf(toNum(t[i + 1]!));
  const mask = len === 0 ? 0 : (~0 << (32 - len)) >>> 0;
  const a = (toNum(t[i]!) & mask) >>> 0;
  const wc = ~mask >>> 0;
  return [`${toIp(a)} ${toIp(wc)}`, `2001:db8:${hex(a)}::/${32 + len}`, 2];
}

/** A port operator at i (eq X, range A B, gt/lt/neq X): its text and tokens used. */
function ports(t: string[], i: number): [string, number] {
  if (t[i] === "range") return [`range ${t[i + 1]} ${t[i + 2]}`, 3];
  if (t[i] === "eq" || t[i] === "gt" || t[i] === "lt" || t[i] === "neq") return [`${t[i]} ${t[i + 1]}`, 2];
  return ["", 0];
}

/** The router's text with the long ACL normalised (IPv4) and written for IPv6. */
export function versions(n: number): { v4: string; v6: string } {
  const v4: string[] = [];
  const v6: string[] = [];
  let inAcl = false;
  for (const line of aclConfig(n).split("\n")) {
    if (/^ip access-list extended EDGE-IN$/.test(line)) {
      inAcl = true;
      v4.push(line);
      v6.push("ipv6 access-list EDGE-IN");
      continue;
    }
    if (inAcl && !line.startsWith(" ")) inAcl = false;
    if (line === " ip access-group EDGE-IN in") {
      v4.push(line);
      v6.push(" ipv6 traffic-filter EDGE-IN in");
      continue;
    }
    const t = line.trim().split(/\s+/);
    if (!inAcl || (t[0] !== "permit" && t[0] !== "deny")) {
      v4.push(line);
      v6.push(line);
      continue;
    }
    const proto = t[1]!;
    let i = 2;
    const [s4, s6, a] = addr(t, i);
    i += a;
    const [sp, b] = ports(t, i);
    i += b;
    const [d4, d6, c] = addr(t, i);
    i += c;
    const [dp, d] = ports(t, i);
    i += d;
    const rest = t.slice(i);
    const rest6 = proto === "icmp" && rest[0] !== undefined && ICMP6[rest[0]] !== undefined ? [ICMP6[rest[0]]!, ...rest.slice(1)] : rest;
    const p6 = proto === "ip" ? "ipv6" : proto === "gre" ? "47" : proto;
    const join4 = [t[0], proto, s4, sp, d4, dp, ...rest].filter((x) => x !== "").join(" ");
    const join6 = [t[0], p6, s6, sp, d6, dp, ...rest6].filter((x) => x !== "").join(" ");
    v4.push(` ${join4}`);
    v6.push(` ${join6}`);
  }
  return { v4: v4.join("\n"), v6: v6.join("\n") };
}

interface Run {
  ms: number;
  rssMiB: number;
  findings: number;
}

function lint(file: string, ids?: string): Run {
  let best: Run | undefined;
  for (let k = 0; k < 3; k++) {
    const r = spawnSync(process.execPath, ["--import", TS_LOADER, SCALE, "--child", "lint", file, ...(ids ? [ids] : [])], { encoding: "utf8", maxBuffer: 1 << 24 });
    if (r.status !== 0) throw new Error(`bench child failed: ${r.stderr}`);
    const run = JSON.parse(r.stdout.trim().split("\n").pop()!) as Run;
    if (best === undefined || run.ms < best.ms) best = run;
  }
  return best!;
}

const fmt = (ms: number): string => (ms < 1000 ? `${ms.toFixed(0)} ms` : `${(ms / 1000).toFixed(2)} s`);

function main(): void {
  const i = process.argv.indexOf("--acl");
  const sizes = i >= 0 ? process.argv[i + 1]!.split(",").map(Number) : [1000, 10000];
  const dir = mkdtempSync(join(tmpdir(), "natlint-ipv6-lint-"));
  try {
    console.log("lines   rules                         IPv4        IPv6        IPv6/IPv4  findings (IPv4, IPv6)");
    for (const n of sizes) {
      const { v4, v6 } = versions(n);
      const f4 = join(dir, `v4-${n}.cfg`);
      const f6 = join(dir, `v6-${n}.cfg`);
      writeFileSync(f4, v4);
      writeFileSync(f6, v6);
      const ids = process.argv.includes("--rules") ? [undefined, ...loadBuiltinRules().map((r) => r.id)] : [undefined];
      for (const id of ids) {
        const a = lint(f4, id);
        const b = lint(f6, id);
        console.log(`${String(n).padEnd(7)} ${(id ?? "every rule").padEnd(29)} ${fmt(a.ms).padEnd(11)} ${fmt(b.ms).padEnd(11)} ×${(b.ms / a.ms).toFixed(2).padEnd(8)} ${a.findings}, ${b.findings}`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
