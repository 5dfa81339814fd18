/**
 * Profiles of the NATs users sit behind, which natlint never sees the config of: a Windows
 * RRAS/ICS box, a carrier-grade NAT, or a NAT nothing is known about. They are used by nat hops of
 * a path file, by `explain HEADEND --remote-nat` and the `remoteNat` setting (the head-end's view),
 * and by `simulate --profile`. The sources and confidence of each are stated on it and in
 * docs/sources.md ("NATs in front of the head-end").
 */
import { portCount, subtractPorts } from "../model/ports.js";
import type { PortSet } from "../model/types.js";
import { freeInBand, getProfile, PROFILES, randomProfile, type PatProfile } from "./profiles.js";

/**
 * Windows Server RRAS / ICS N:1 NAT ("NAT/Basic Firewall"). Microsoft's Windows Server 2003
 * technical reference ("A NAT example", cc780783) shows an outgoing source port translated
 * (5000 → 1025: "NAT uses dynamically chosen TCP and UDP ports to distinguish one intranet
 * location from another"); a published lab trace (S. Pouseele, "Multiple L2TP/IPsec VPN clients
 * behind a NAT device", ISA Server 2006 and a Windows Server 2003 RRAS NAT, 2007; secondary source)
 * saw the RRAS NAT change the source port of every initiator, for IKE from 500 and for NAT-T from
 * 4500 (client 192.168.11.20's 4500 arrived as 62636). No Microsoft document found states the range
 * the port is taken from: natlint assumes 1024–65535, which holds every observed value (1025,
 * 62636); whether ports below 1024 are ever used is unknown (profile `unknown` covers 1–65535).
 */
const rrasBase = randomProfile({
  id: "windows-rras",
  title: "Windows Server RRAS/ICS N:1 NAT (the source port is always translated; assumed random in 1024–65535)",
  uniqueness: "per-global-ip",
  bands: [{ lo: 1024, hi: 65535 }],
  keep: () => false,
  assumptions: [
    "windows-rras: the source port is always translated (Microsoft's Windows Server 2003 NAT example; a published RRAS lab trace saw NAT-T 4500 leave as 62636); the range is not documented: assumed 1024–65535 without the real port (use profile unknown for 1–65535)",
  ],
});

/** The free ports without the client's own, per free set and port (the free sets are cached and shared, ./profiles.ts `freeInBand`). */
const withoutOwn = new WeakMap<PortSet, Map<number, PortSet>>();

export const windowsRrasProfile: PatProfile = {
  ...rrasBase,
  // "always translated": never the client's own port, even when it is in the range (NAT-T 4500)
  choose(req, usage) {
    const c = rrasBase.choose(req, usage);
    if (c.kind !== "set") return c;
    let byPort = withoutOwn.get(c.ports);
    if (!byPort) withoutOwn.set(c.ports, (byPort = new Map()));
    let ports = byPort.get(req.port);
    if (!ports) byPort.set(req.port, (ports = subtractPorts(c.ports, [{ lo: req.port, hi: req.port }])));
    return portCount(ports) === 1 ? { kind: "port", port: ports[0]!.lo, kept: false } : { ...c, ports };
  },
};

/** Any NAT: every port 1–65535 is possible, the real one included (the safe assumption for a head-end facing the Internet). */
export const unknownProfile = randomProfile({
  id: "unknown",
  title: "a NAT nothing is known about (any port 1–65535)",
  uniqueness: "per-global-ip",
  bands: [{ lo: 1, hi: 65535 }],
  keep: () => false,
  assumptions: ["unknown: nothing is known about this NAT; the client's port may be any port 1–65535, its real port included"],
});

/** The ports a CGN hands out in blocks (the usual vendor default; see `cgnatProfile`). */
const CGN_RANGE = { lo: 1024, hi: 65535 };
export const DEFAULT_CGN_BLOCK = 512;

/**
 * A carrier-grade NAT with port block allocation: RFC 6888 (Common Requirements for CGNs, BCP 127)
 * requires a CGN to limit the external ports per subscriber and discusses allocating them in
 * blocks to reduce logging; RFC 7422 (Deterministic Address Mapping) makes the blocks
 * deterministic. Each subscriber (inside address) gets a block of `blockSize` contiguous ports in
 * 1024–65535 (the range Cisco's FTD block allocation uses; other CGNs are assumed alike), and its
 * sessions random ports inside it; the real port is never kept. Which block a subscriber gets is
 * implementation-defined: natlint takes every port of 1024–65535 as possible and limits one global
 * address to floor(64512 / blockSize) subscribers (beyond them the CGN is exhausted).
 */
export function cgnatProfile(blockSize: number = DEFAULT_CGN_BLOCK): PatProfile {
  const size = CGN_RANGE.hi - CGN_RANGE.lo + 1;
  const capacity = Math.floor(size / blockSize);
  const band = [CGN_RANGE];
  return {
    id: blockSize === DEFAULT_CGN_BLOCK ? "cgnat" : `cgnat:${blockSize}`,
    title: `carrier-grade NAT, port blocks of ${blockSize} in 1024–65535 (RFC 6888 / RFC 7422 style; ${capacity} subscribers per address)`,
    uniqueness: "per-global-ip",
    bands: band,
    deterministic: false,
    assumptions: [
      `cgnat: each subscriber gets a block of ${blockSize} ports in 1024–65535 and random ports inside it; which block is not known, so any port of 1024–65535 is taken as possible, and one address serves at most ${capacity} subscribers`,
    ],
    bandFor: () => 0,
    choose(req, usage) {
      const subs = (usage.subscribers ??= new Set());
      const ip = req.insideIp ?? -1;
      if (!subs.has(ip)) {
        if (subs.size >= capacity) return { kind: "exhausted" };
        subs.add(ip);
      }
      const free = freeInBand(CGN_RANGE, usage, 0);
      if (portCount(free) - (usage.randomInBand[0] ?? 0) <= 0) return { kind: "exhausted" };
      if (portCount(free) === 1) return { kind: "port", port: free[0]!.lo, kept: false };
      return { kind: "set", ports: free, kept: false };
    },
  };
}

/** The NATs users sit behind, by id (`cgnat` with the default block size). */
export const REMOTE_PROFILES: readonly PatProfile[] = [windowsRrasProfile, cgnatProfile(), unknownProfile];

/** `cgnat:N`: block sizes from 16 to 32256 ports (two blocks per address at least). */
const CGN_ID = /^cgnat:(\d+)$/;

/** Every profile id `--profile` and `--remote-nat` take (cgnat also as `cgnat:BLOCKSIZE`). */
export function allProfileIds(): string[] {
  return [...PROFILES.map((p) => p.id), ...REMOTE_PROFILES.map((p) => p.id)];
}

/** The problem with a profile id, or undefined when it names a profile. */
export function profileIdProblem(id: string): string | undefined {
  const m = CGN_ID.exec(id);
  if (m) {
    const n = Number(m[1]);
    return n >= 16 && n <= 32256 ? undefined : `cgnat block size must be from 16 to 32256 ports (got ${m[1]})`;
  }
  return findProfile(id) ? undefined : `unknown PAT profile "${id}" (known: ${allProfileIds().join(", ")}; cgnat:BLOCKSIZE)`;
}

/** A device or remote profile by id; `cgnat:N` gives a CGN with blocks of N ports. */
export function findProfile(id: string): PatProfile | undefined {
  const m = CGN_ID.exec(id);
  if (m) {
    const n = Number(m[1]);
    return n >= 16 && n <= 32256 ? cgnatProfile(n) : undefined;
  }
  return getProfile(id) ?? REMOTE_PROFILES.find((p) => p.id === id);
}
