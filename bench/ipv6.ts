/**
 * IPv6 benchmark: `node --import tsx bench/ipv6.ts [--quick]`
 *
 * The realistic ACLs of bench/headerspace.ts (bench/random.ts realisticAcl) at 1k / 10k lines,
 * and the same ACLs written for IPv6: every IPv4 address A/L becomes the IPv6 prefix
 * 2001:db8:A::/(32+L) (a host /32 the host 2001:db8:A::1/128), `any` any6, icmp ICMPv6 with the
 * same type. Same lines, same shape, so the times compare the address family only. A second
 * IPv6 version gives each host its own 64-bit interface ID (2001:db8:A:0:X:X:X:X, X from a
 * hash of A) instead of ::1: the harder case for addresses by their bits, since a host then has
 * 96 bits of its own. Shadow analysis (shadowed-line, with the reachability pass) and
 * redundant-line are timed for each, in fresh managers, each the best of 5 runs, the three ACLs
 * in turn. "line nodes": every line's set with addresses by their bits (as the device's sets
 * are); "analysis's": as the line analyses build them (addresses by the ACL's atoms,
 * src/acl/atoms.ts). Target (issue #16): IPv6 within 2× the IPv4 time at 10k lines.
 */
import { performance } from "node:perf_hooks";
import { AddressAtoms } from "../src/acl/atoms.js";
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

/** A host's interface ID: ::1, or 64 bits from a hash of its IPv4 address. */
const iidOf = (varied: boolean, a: number): bigint =>
  varied ? (BigInt(Math.imul(a, 0x9e3779b1) >>> 0) << 32n) | BigInt(Math.imul(a ^ 0x5bd1e995, 0x85ebca77) >>> 0) | 1n : 1n;

/** The IPv6 prefix of an IPv4 wildcard (contiguous, as realisticAcl writes them). */
function v6Of(set: AddrSet, varied: boolean): AddrSet6 {
  return set.map((w) => {
    if (w.wildcard === 0xffffffff) return ANY6;
    const len = 32 - Math.round(Math.log2(w.wildcard + 1));
    return len === 32 ? { addr: DOC | (BigInt(w.addr) << 64n) | iidOf(varied, w.addr), len: 128 } : { addr: DOC | (BigInt(w.addr) << 64n), len: 32 + len };
  });
}

function toV6(acl: Acl, varied = false): Acl {
  return {
    ...acl,
    name: `${acl.name}_V6`,
    family: "ipv6",
    entries: acl.entries.map((e) => {
      const m: AceMatch = { src: [], dst: [], src6: v6Of(e.match.src, varied), dst6: v6Of(e.match.dst, varied), services: e.match.services.map((t) => (t.protocol === 1 ? { ...t, protocol: 58 } : t)) };
      return { ...e, match: m };
    }),
  };
}

const fmt = (ms: number): string => (ms < 1000 ? `${ms.toFixed(0)} ms` : `${(ms / 1000).toFixed(2)} s`);

type Times = { shadow: number; redundant: number; shadowed: number; redundantN: number; nodes: number; coded: number };

/**
 * Each ACL's best of 5 runs, the ACLs taken in turn within each round (so a slow phase of the
 * machine does not fall on one family only), each run in a fresh manager and on a new ACL object:
 * the line index and the reachability pass are memoised per ACL object (shadowed-line and
 * redundant-line share them in a lint), so each run builds both.
 */
function time(acls: readonly Acl[]): Times[] {
  const best = acls.map((): Times => ({ shadow: Infinity, redundant: Infinity, shadowed: 0, redundantN: 0, nodes: 0, coded: 0 }));
  for (let run = 0; run < 5; run++) {
    acls.forEach((acl, k) => {
      const b = best[k]!;
      const sets = new AclSets(new HeaderSpace());
      const fresh: Acl = { ...acl };
      const t0 = performance.now();
      const s = shadowedLines(sets, fresh);
      const t1 = performance.now();
      const r = redundantLines(sets, fresh);
      const t2 = performance.now();
      b.shadow = Math.min(b.shadow, t1 - t0);
      b.redundant = Math.min(b.redundant, t2 - t1);
      b.shadowed = s.length;
      b.redundantN = r.length;
    });
  }
  acls.forEach((acl, k) => {
    // the size of the lines' own sets: every line's match in one fresh manager, addresses by
    // their bits, and as the line analyses build them (addresses by the ACL's atoms)
    const sets = new AclSets(new HeaderSpace());
    for (const e of acl.entries) sets.match(e.match, e.action, acl.vendor);
    best[k]!.nodes = sets.hs.nodes;
    const coded = new AclSets(new HeaderSpace(), AddressAtoms.of(acl));
    for (const e of acl.entries) coded.match(e.match, e.action, acl.vendor);
    best[k]!.coded = coded.hs.nodes;
  });
  return best;
}

console.log("lines   family      shadow     redundant  shadowed  redundant  line nodes  analysis's  IPv6/IPv4 (shadow, redundant)");
for (const n of SIZES) {
  const v4 = realisticAcl(n, n);
  const v6 = [["IPv6", false], ["IPv6 (IIDs)", true]] as const;
  const [a, ...b6] = time([v4, ...v6.map(([, varied]) => toV6(v4, varied))]) as [Times, ...Times[]];
  const row = (fam: string, t: typeof a, extra = "") =>
    console.log(`${String(n).padEnd(7)} ${fam.padEnd(11)} ${fmt(t.shadow).padEnd(10)} ${fmt(t.redundant).padEnd(10)} ${String(t.shadowed).padEnd(9)} ${String(t.redundantN).padEnd(10)} ${String(t.nodes).padEnd(11)} ${String(t.coded).padEnd(11)} ${extra}`);
  row("IPv4", a);
  for (const [k, [fam]] of v6.entries()) {
    const b = b6[k]!;
    row(fam, b, `×${(b.shadow / a.shadow).toFixed(2)}, ×${(b.redundant / a.redundant).toFixed(2)}`);
    if (a.shadowed !== b.shadowed || a.redundantN !== b.redundantN) console.log(`  note: the findings differ (IPv4 ${a.shadowed}/${a.redundantN}, ${fam} ${b.shadowed}/${b.redundantN})`);
  }
}
