/** Port-set helpers and protocol numbers shared by every vendor parser and analysis. */
import type { PortRange, PortSet } from "./types.js";

export const PROTO = { ICMP: 1, IGMP: 2, TCP: 6, UDP: 17, GRE: 47, ESP: 50, AH: 51, ICMP6: 58, EIGRP: 88, OSPF: 89, PIM: 103, SCTP: 132 } as const;

export const ALL_PORTS: PortSet = [{ lo: 0, hi: 65535 }];

/** Sort and merge ranges (adjacent ranges merge too). */
export function normalizePorts(ranges: readonly PortRange[]): PortSet {
  const rs = ranges
    .filter((r) => r.lo <= r.hi)
    .map((r) => ({ lo: Math.max(0, r.lo), hi: Math.min(65535, r.hi) }))
    .sort((a, b) => a.lo - b.lo || a.hi - b.hi);
  const out: PortRange[] = [];
  for (const r of rs) {
    const last = out[out.length - 1];
    if (last && r.lo <= last.hi + 1) last.hi = Math.max(last.hi, r.hi);
    else out.push({ ...r });
  }
  // a copy as long as its ranges (a pushed array keeps room for more: a line's port set is kept
  // as long as its ACL, about 110 bytes of heap less each)
  return out.concat();
}

export type PortOp = "eq" | "neq" | "lt" | "gt" | "range";

/**
 * The port set of an IOS/ASA port operator: `eq A [B…]`, `neq A [B…]`, `lt A` (strictly less),
 * `gt A` (strictly greater), `range A B` (inclusive). Cisco's feature "Named ACL Support for
 * Noncontiguous Ports on an Access Control Entry" (several ports after `eq`); Batfish's grammar
 * (`Cisco_common.g4`: `EQ (args += port)+`).
 */
export function portOpSet(op: PortOp, ports: number[]): PortSet {
  switch (op) {
    case "eq":
      return normalizePorts(ports.map((p) => ({ lo: p, hi: p })));
    case "neq": {
      // several neq ports: matches a port equal to none of them
      let set: PortSet = ALL_PORTS;
      for (const p of ports) set = subtractPorts(set, [{ lo: p, hi: p }]);
      return set;
    }
    case "lt":
      return ports[0]! <= 0 ? [] : [{ lo: 0, hi: ports[0]! - 1 }];
    case "gt":
      return ports[0]! >= 65535 ? [] : [{ lo: ports[0]! + 1, hi: 65535 }];
    case "range":
      return normalizePorts([{ lo: Math.min(ports[0]!, ports[1]!), hi: Math.max(ports[0]!, ports[1]!) }]);
  }
}

export function inPorts(set: PortSet | undefined, port: number): boolean {
  if (set === undefined) return true;
  for (const r of set) if (port >= r.lo && port <= r.hi) return true;
  return false;
}

export function subtractPorts(a: PortSet, b: PortSet): PortSet {
  let out: PortRange[] = a.map((r) => ({ ...r }));
  for (const cut of b) {
    const next: PortRange[] = [];
    for (const r of out) {
      if (cut.hi < r.lo || cut.lo > r.hi) next.push(r);
      else {
        if (r.lo < cut.lo) next.push({ lo: r.lo, hi: cut.lo - 1 });
        if (r.hi > cut.hi) next.push({ lo: cut.hi + 1, hi: r.hi });
      }
    }
    out = next;
  }
  return out.concat(); // as long as its ranges (see `normalizePorts`)
}

export function intersectPorts(a: PortSet, b: PortSet): PortSet {
  const out: PortRange[] = [];
  for (const x of a)
    for (const y of b) {
      const lo = Math.max(x.lo, y.lo);
      const hi = Math.min(x.hi, y.hi);
      if (lo <= hi) out.push({ lo, hi });
    }
  return normalizePorts(out);
}

export function portCount(set: PortSet): number {
  let n = 0;
  for (const r of set) n += r.hi - r.lo + 1;
  return n;
}

/** `500`, `1-511`, `1-511,1024-65535`. */
export function formatPorts(set: PortSet): string {
  if (set.length === 0) return "none";
  return set.map((r) => (r.lo === r.hi ? `${r.lo}` : `${r.lo}-${r.hi}`)).join(",");
}

/** Parses `500`, `1-511`, `1-511,1024-65535` (the inverse of formatPorts). */
export function parsePortList(s: string): PortSet | undefined {
  const out: PortRange[] = [];
  for (const part of s.split(",")) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!m) return undefined;
    const lo = Number(m[1]);
    const hi = m[2] === undefined ? lo : Number(m[2]);
    if (lo > 65535 || hi > 65535 || lo > hi) return undefined;
    out.push({ lo, hi });
  }
  return normalizePorts(out);
}

/** Protocol names shared by IOS and ASA ACLs (IOS and ASA command references; Batfish's Cisco grammar). `ip` is handled by callers. */
const PROTOCOL_NAMES: Record<string, number> = {
  icmp: 1,
  igmp: 2,
  ipinip: 4,
  tcp: 6,
  igrp: 9,
  udp: 17,
  gre: 47,
  esp: 50,
  ahp: 51,
  ah: 51,
  icmp6: 58,
  eigrp: 88,
  ospf: 89,
  nos: 94,
  pim: 103,
  pcp: 108,
  snp: 109,
  sctp: 132,
};

/** Protocol name or number → number; `ip` → null; unknown → undefined. */
export function parseProtocol(tok: string | undefined): number | null | undefined {
  if (tok === undefined) return undefined;
  const t = tok.toLowerCase();
  if (t === "ip") return null;
  if (/^\d+$/.test(t)) {
    const n = Number(t);
    return n <= 255 ? n : undefined;
  }
  return PROTOCOL_NAMES[t];
}

const PROTOCOL_BY_NUMBER = new Map<number, string>([
  [1, "icmp"],
  [2, "igmp"],
  [4, "ipinip"],
  [6, "tcp"],
  [17, "udp"],
  [47, "gre"],
  [50, "esp"],
  [51, "ah"],
  [58, "icmp6"],
  [88, "eigrp"],
  [89, "ospf"],
  [103, "pim"],
  [132, "sctp"],
]);

export function protocolName(p: number | null): string {
  if (p === null) return "ip";
  return PROTOCOL_BY_NUMBER.get(p) ?? String(p);
}

export function hasPorts(protocol: number | null): boolean {
  return protocol === PROTO.TCP || protocol === PROTO.UDP || protocol === PROTO.SCTP;
}
