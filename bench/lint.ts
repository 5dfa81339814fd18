/**
 * End-to-end lint benchmark: a PAT router config whose outside ACL has N realistic lines (host
 * and subnet entries, port ranges, object-groups, IPsec lines), linted with every built-in rule.
 * Prints the time per size, per rule at the largest size, and the growth ratio between sizes.
 *   node --import tsx bench/lint.ts [N ...]      (default 1000 10000)
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { rng } from "./random.js";
import { lint } from "../src/api/index.js";
import { loadBuiltinRules } from "../src/engine/rules.js";

function ip(r: () => number, net: number): string {
  return `10.${net}.${Math.floor(r() * 256)}.${1 + Math.floor(r() * 254)}`;
}

export function configText(n: number, seed = 7): string {
  const r = rng(seed);
  const lines = [
    "hostname bench",
    "interface GigabitEthernet0/0",
    " ip address 192.168.100.1 255.255.255.0",
    " ip nat inside",
    "interface GigabitEthernet0/1",
    " ip address 192.0.2.2 255.255.255.252",
    " ip nat outside",
    " ip access-group BENCH-IN in",
    " ip access-group BENCH-OUT out",
    "ip access-list standard NAT",
    " permit 192.168.100.0 0.0.0.255",
    "ip nat inside source list NAT interface GigabitEthernet0/1 overload",
    "object-group network SERVERS",
    ...Array.from({ length: 20 }, (_, i) => ` host 10.200.0.${i + 1}`),
    "object-group service WEB",
    " tcp eq www",
    " tcp eq 443",
    " tcp range 8000 8100",
  ];
  for (const name of ["BENCH-IN", "BENCH-OUT"]) {
    lines.push(`ip access-list extended ${name}`);
    lines.push(" permit udp host 203.0.113.10 eq isakmp host 192.0.2.2 eq isakmp");
    for (let i = 0; i < n; i++) {
      const k = r();
      const a = ip(r, Math.floor(r() * 64));
      const b = ip(r, 64 + Math.floor(r() * 64));
      const lo = 1024 + Math.floor(r() * 60000);
      if (k < 0.3) lines.push(` ${r() < 0.8 ? "permit" : "deny"} tcp host ${a} host ${b} eq ${1 + Math.floor(r() * 10000)}`);
      else if (k < 0.5) lines.push(` permit udp ${a.replace(/\.\d+$/, ".0")} 0.0.0.255 host ${b} range ${lo} ${lo + Math.floor(r() * 500)}`);
      else if (k < 0.65) lines.push(` deny ip host ${a} any`);
      else if (k < 0.8) lines.push(` permit object-group WEB any object-group SERVERS`);
      else if (k < 0.9) lines.push(` permit udp any host ${b} eq isakmp`);
      else lines.push(` permit icmp ${a.replace(/\.\d+\.\d+$/, ".0.0")} 0.0.255.255 any echo`);
    }
    lines.push(" deny ip any any log");
  }
  return lines.join("\n") + "\n";
}

async function main() {
  const sizes = process.argv.slice(2).map(Number).filter((x) => x > 0);
  const ns = sizes.length ? sizes : [1000, 10000];
  const dir = mkdtempSync(join(tmpdir(), "natlint-bench-"));
  const times: number[] = [];
  for (const n of ns) {
    const f = join(dir, `bench-${n}.cfg`);
    writeFileSync(f, configText(n));
    const t0 = performance.now();
    const r = await lint({ patterns: [f], config: false });
    const ms = performance.now() - t0;
    times.push(ms);
    console.log(`lint, 2 ACLs x ${n} lines: ${ms.toFixed(0)} ms, ${r.findings.length} findings`);
  }
  for (let i = 1; i < ns.length; i++) console.log(`growth ${ns[i - 1]} -> ${ns[i]} lines (x${(ns[i]! / ns[i - 1]!).toFixed(0)}): x${(times[i]! / times[i - 1]!).toFixed(1)}`);
  const n = ns[ns.length - 1]!;
  const f = join(dir, `bench-${n}.cfg`);
  for (const rule of loadBuiltinRules()) {
    const t0 = performance.now();
    await lint({ patterns: [f], config: false, rules: [rule] });
    console.log(`  ${rule.id.padEnd(26)} ${(performance.now() - t0).toFixed(0).padStart(7)} ms (parse included)`);
  }
  // fix proofs (src/engine/fix.ts): on the smallest size, without proofs, with them (the default),
  // and applying them in passes (--fix-dry-run)
  const f0 = join(dir, `bench-${ns[0]}.cfg`);
  for (const [what, o] of [["no fix proofs", { proveFixes: false }], ["fix proofs (default)", {}], ["--fix-dry-run", { fix: true }]] as const) {
    const t0 = performance.now();
    const r = await lint({ patterns: [f0], config: false, ...o });
    const proven = r.findings.filter((x) => x.details?.fix).length + (r.files[0]!.fixed?.length ?? 0);
    console.log(`lint ${ns[0]} lines, ${what}: ${(performance.now() - t0).toFixed(0)} ms, ${proven} fixes proven`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
