/**
 * IPv6 benchmark: `node --import tsx bench/ipv6.ts [--quick]`
 *
 * The realistic ACLs of bench/headerspace.ts (bench/random.ts realisticAcl) at 1k / 10k lines,
 * and the same ACLs written for IPv6: every IPv4 address A/L becomes the IPv6 prefix
 * 2001:db8:A::/(32+L) (a host /32 the host 2001:db8:A::1/128), `any` any6, icmp ICMPv6 with the
 * same type. Same lines, same shape, so the times compare the address family only. Shadow
 * analysis (compile + shadowed-line) and redundant-line are timed for both, in fresh managers,
 * each the best of 3 runs. Target (issue #16): IPv6 within 2× the IPv4 time at 10k lines.
 */
import { performance } from "node:perf_hooks";
import { AclSets } from "../src/acl/sets.js";
import { redundantLines } from "../src/checks/redundant-line.js";
import { shadowedLines } from "../src/checks/shadowed-line.js";
import { HeaderSpace } from "../src/headerspace/index.js";
import { ANY6 } from "../src/model/addr6.js";
import type { AceMatch, Acl, AddrSet, AddrSet6 } from "../src/model/types.js";
import { realisticAcl } from "./random.js";

const quick = process.argv.includes("--quick");
const SIZES = quick ? [1000] : [1000, 10000];
const DOC = 0x20010db8n << 96n;

/** The IPv6 prefix of an IPv4 wildcard (contiguous, as realisticAcl writes them). */
function v6Of(set: AddrSet): AddrSet6 {
  return set.map((w) => {
    if (w.wildcard === 0xffffffff) return ANY6;
    const len = 32 - Math.round(Math.log2(w.wildcard + 1));
    return len === 32 ? { addr: DOC | (BigInt(w.addr) << 64n) | 1n, len: 128 } : { addr: DOC | (BigInt(w.addr) << 64n), len: 32 + len };
  });
}

function toV6(acl: Acl): Acl {
  return {
    ...acl,
    name: `${acl.name}_V6`,
    family: "ipv6",
    entries: acl.entries.map((e) => {
      const m: AceMatch = { src: [], dst: [], src6: v6Of(e.match.src), dst6: v6Of(e.match.dst), services: e.match.services.map((t) => (t.protocol === 1 ? { ...t, protocol: 58 } : t)) };
      return { ...e, match: m };
    }),
  };
}

const fmt = (ms: number): string => (ms < 1000 ? `${ms.toFixed(0)} ms` : `${(ms / 1000).toFixed(2)} s`);

function time(acl: Acl): { shadow: number; redundant: number; shadowed: number; redundantN: number; nodes: number } {
  let best = { shadow: Infinity, redundant: Infinity, shadowed: 0, redundantN: 0, nodes: 0 };
  for (let run = 0; run < 3; run++) {
    const sets = new AclSets(new HeaderSpace());
    const t0 = performance.now();
    const s = shadowedLines(sets, acl);
    const t1 = performance.now();
    const r = redundantLines(sets, acl);
    const t2 = performance.now();
    if (t1 - t0 < best.shadow) best = { shadow: t1 - t0, redundant: t2 - t1, shadowed: s.length, redundantN: r.length, nodes: sets.hs.nodes };
  }
  return best;
}

console.log("lines   family  shadow     redundant  shadowed  redundant  BDD nodes  IPv6/IPv4 (shadow, redundant)");
for (const n of SIZES) {
  const v4 = realisticAcl(n, n);
  const v6 = toV6(v4);
  const a = time(v4);
  const b = time(v6);
  const row = (fam: string, t: typeof a, extra = "") =>
    console.log(`${String(n).padEnd(7)} ${fam.padEnd(7)} ${fmt(t.shadow).padEnd(10)} ${fmt(t.redundant).padEnd(10)} ${String(t.shadowed).padEnd(9)} ${String(t.redundantN).padEnd(10)} ${String(t.nodes).padEnd(10)} ${extra}`);
  row("IPv4", a);
  row("IPv6", b, `×${(b.shadow / a.shadow).toFixed(2)}, ×${(b.redundant / a.redundant).toFixed(2)}`);
  if (a.shadowed !== b.shadowed || a.redundantN !== b.redundantN) console.log(`  note: the findings differ (IPv4 ${a.shadowed}/${a.redundantN}, IPv6 ${b.shadowed}/${b.redundantN})`);
}
