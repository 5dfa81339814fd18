/**
 * PAT (NAT overload) port-allocation profiles. A profile decides, for one new session, which
 * global port it gets on a given global address, given the ports already taken there.
 *
 * Deterministic profiles (ios) return one port. Profiles whose choice is random (asa, linux)
 * return the *set* of ports they may pick; the simulator carries that set through to the ACL
 * verdicts ("drop for k of m ports"). The sources of each profile are named on it (and listed
 * with their confidence in docs/sources.md).
 */
import { normalizePorts, subtractPorts, portCount, intersectPorts } from "../model/ports.js";
import type { PortRange, PortSet } from "../model/types.js";

/** A port request: the real (inside) source port of the new session. */
export interface PortRequest {
  protocol: number;
  port: number;
  /** The client's inside address (profiles that allocate per subscriber, e.g. cgnat, need it). */
  insideIp?: number;
}

/** What the profile picked on one global address. */
export type PortChoice =
  /** A deterministic choice. */
  | { kind: "port"; port: number; kept: boolean }
  /** A random choice among `ports` (all free at the time). `port` is set when the set has one element. */
  | { kind: "set"; ports: PortSet; kept: false }
  /** No free port in the band on this address: the caller moves to the next address. */
  | { kind: "exhausted" };

/** Ports in use on one (protocol, global address[, destination]) key. */
export interface PortUsage {
  /** Ports certainly taken. */
  taken: Set<number>;
  /** How many sessions were given a random port in each band (index into `bands`), to detect exhaustion. */
  randomInBand: number[];
  /**
   * Per band: no port below this one is free (ports are only ever taken during a simulation, so
   * the first free port from the start of a band only moves up). Makes the IOS next-free search
   * O(1) amortised instead of a scan from the band's start for every session.
   */
  firstFree?: number[];
  /** Inside addresses that hold ports here (per-subscriber profiles such as cgnat). */
  subscribers?: Set<number>;
  /**
   * Per band: its free ports, computed when `taken` had `size` ports (ports are only ever added,
   * so the set stays right while the size is unchanged). Makes a random profile's choice O(1)
   * amortised; the set is shared by the sessions given it: never changed.
   */
  freeInBand?: Array<{ size: number; free: PortSet } | undefined>;
}

export interface PatProfile {
  id: string;
  title: string;
  /**
   * `per-global-ip`: a mapped port is unique per (protocol, global IP) whatever the destination
   * (IOS, ASA without `extended`). `per-destination`: unique per full 5-tuple (ASA `extended`, Linux).
   */
  uniqueness: "per-global-ip" | "per-destination";
  /** Port bands ("groups", "tiers"); a colliding port is replaced by one from its own band. */
  bands: PortRange[];
  /** Whether the choice among free ports is deterministic. */
  deterministic: boolean;
  /** Assumptions the output must state (unconfirmed behaviour). */
  assumptions: string[];
  /** Index of the band a colliding real port is replaced from. */
  bandFor(port: number): number;
  choose(req: PortRequest, usage: PortUsage): PortChoice;
}

/** The band that contains `port`, or undefined (e.g. port 0, or below a flat range). */
export function bandOf(bands: PortRange[], port: number): number | undefined {
  for (let i = 0; i < bands.length; i++) if (port >= bands[i]!.lo && port <= bands[i]!.hi) return i;
  return undefined;
}

/** The free ports of band `b` (`band`) on a usage; cached while no port is taken (see `PortUsage.freeInBand`). */
export function freeInBand(band: PortRange, usage: PortUsage, b: number): PortSet {
  const cache = (usage.freeInBand ??= []);
  const hit = cache[b];
  if (hit !== undefined && hit.size === usage.taken.size) return hit.free;
  const taken = [...usage.taken].filter((p) => p >= band.lo && p <= band.hi).map((p) => ({ lo: p, hi: p }));
  const free = subtractPorts([band], normalizePorts(taken));
  cache[b] = { size: usage.taken.size, free };
  return free;
}

/**
 * Cisco IOS classic PAT (secondary sources: Cisco Press ICND2 p. 253, Cisco NetAcad CCNA "Next
 * Available Port"; no Cisco engineering document found): keep the real port when free on this global address;
 * otherwise the first free port from the start of the real port's group 1–511, 512–1023,
 * 1024–65535 (whether port 0 is a candidate is undocumented; natlint starts at 1). Unique per
 * (protocol, global IP).
 */
export const iosProfile: PatProfile = {
  id: "ios",
  title: "Cisco IOS/IOS-XE PAT (keep port, else first free from the start of its group)",
  uniqueness: "per-global-ip",
  bands: [
    { lo: 1, hi: 511 },
    { lo: 512, hi: 1023 },
    { lo: 1024, hi: 65535 },
  ],
  deterministic: true,
  assumptions: [],
  bandFor(port) {
    return bandOf(this.bands, port === 0 ? 1 : port)!;
  },
  choose(req, usage) {
    if (req.port !== 0 && !usage.taken.has(req.port)) return { kind: "port", port: req.port, kept: true };
    const b = this.bandFor(req.port);
    const band = this.bands[b]!;
    const first = (usage.firstFree ??= []);
    let p = Math.max(band.lo, first[b] ?? band.lo);
    while (p <= band.hi && usage.taken.has(p)) p++;
    first[b] = p;
    if (p <= band.hi) return { kind: "port", port: p, kept: false };
    return { kind: "exhausted" };
  },
};

/** Shared logic of the random-choice profiles: keep if allowed and free, else a random free port in the band. */
export function randomProfile(opts: {
  id: string;
  title: string;
  uniqueness: PatProfile["uniqueness"];
  bands: PortRange[];
  /** Whether the real port is kept when free. */
  keep: (port: number) => boolean;
  /** Band a real port is replaced from (default: the band containing it, else the first). */
  bandFor?: (port: number) => number;
  assumptions?: string[];
}): PatProfile {
  const bandFor = opts.bandFor ?? ((port: number) => bandOf(opts.bands, port) ?? 0);
  return {
    id: opts.id,
    title: opts.title,
    uniqueness: opts.uniqueness,
    bands: opts.bands,
    deterministic: false,
    assumptions: opts.assumptions ?? [],
    bandFor,
    choose(req, usage) {
      const b = bandFor(req.port);
      if (req.port !== 0 && opts.keep(req.port) && !usage.taken.has(req.port)) return { kind: "port", port: req.port, kept: true };
      const band = opts.bands[b]!;
      const free = freeInBand(band, usage, b);
      // Earlier random picks in this band took some port of it each; only count them for exhaustion.
      const room = portCount(free) - (usage.randomInBand[b] ?? 0);
      if (room <= 0) return { kind: "exhausted" };
      if (portCount(free) === 1) return { kind: "port", port: free[0]!.lo, kept: false };
      return { kind: "set", ports: free, kept: false };
    },
  };
}

const TIERS: PortRange[] = [
  { lo: 1, hi: 511 },
  { lo: 512, hi: 1023 },
  { lo: 1024, hi: 65535 },
];

/** ASA 8.3–9.14 (ASA CLI configuration guide, "Information About Dynamic PAT"): keep the real port if free, else a random free port in its tier. */
export const asaProfile = randomProfile({
  id: "asa",
  title: "Cisco ASA 8.3–9.14 PAT (keep port, else random in its tier 1–511/512–1023/1024–65535)",
  uniqueness: "per-global-ip",
  bands: TIERS,
  keep: () => true,
});

/** ASA `flat` (ASA CLI configuration guide, pat-pool `flat`): keep the real port if free, else random in 1024–65535. */
export const asaFlatProfile = randomProfile({
  id: "asa-flat",
  title: "Cisco ASA PAT with `flat` (keep port if free, else random in 1024–65535)",
  uniqueness: "per-global-ip",
  bands: [{ lo: 1024, hi: 65535 }],
  keep: () => true,
});

/** ASA `flat include-reserve` (ASA CLI configuration guide, pat-pool `include-reserve`): keep if free, else random in 1–65535. */
export const asaFlatReserveProfile = randomProfile({
  id: "asa-flat-include-reserve",
  title: "Cisco ASA PAT with `flat include-reserve` (keep port if free, else random in 1–65535)",
  uniqueness: "per-global-ip",
  bands: [{ lo: 1, hi: 65535 }],
  keep: () => true,
});

/**
 * ASA ≥ 9.15 / FTD ≥ 6.7 (ASA 9.15(1) release notes: "the PAT pool flat option is now enabled by
 * default"; FTD "PAT Pool Object Guidelines"): flat 1024–65535 by default. Whether the
 * real port is still kept is unconfirmed; ports below 1024 are assumed never kept (so even the
 * first client's IKE leaves on a high port), ports ≥ 1024 are assumed kept when free.
 */
export const asa915Profile = randomProfile({
  id: "asa-9.15",
  title: "Cisco ASA ≥ 9.15 / FTD ≥ 6.7 PAT (flat 1024–65535 by default)",
  uniqueness: "per-global-ip",
  bands: [{ lo: 1024, hi: 65535 }],
  keep: (p) => p >= 1024,
  assumptions: [
    "ASA ≥ 9.15: assumed that real ports below 1024 are never kept (flat 1024–65535 is the default; whether the real port is tried first is unconfirmed in Cisco's documentation), so even the first client's IKE may leave on a port in 1024–65535",
  ],
});

/**
 * ASA/FTD PAT with `block-allocation` (FTD "PAT Pool Object Guidelines"): each host gets a block of ports in
 * 1024–65535 and its sessions get random ports inside it ("an application requesting port 22 will
 * get a mapped port within 1024–65535"): the real port is never kept.
 */
export const asaBlockProfile = randomProfile({
  id: "asa-block-allocation",
  title: "Cisco ASA/FTD PAT with block-allocation (random port in 1024–65535, never the real one)",
  uniqueness: "per-global-ip",
  bands: [{ lo: 1024, hi: 65535 }],
  keep: () => false,
  assumptions: ["block-allocation: the per-host block is not modelled; every port of 1024–65535 is taken as possible"],
});

/**
 * Linux netfilter MASQUERADE/SNAT without --random (net/netfilter/nf_nat_core.c,
 * get_unique_tuple and nf_nat_l4proto_unique_tuple): keep the real port when
 * the 5-tuple is unused, else uniform random in 1–511, 600–1023 or 1024–65535 by the real port.
 */
export const linuxProfile = randomProfile({
  id: "linux",
  title: "Linux netfilter MASQUERADE/SNAT ≥ 5.0 (keep port, else random in 1–511/600–1023/1024–65535)",
  uniqueness: "per-destination",
  bands: [
    { lo: 1, hi: 511 },
    { lo: 600, hi: 1023 },
    { lo: 1024, hi: 65535 },
  ],
  keep: () => true,
  // nf_nat_l4proto_unique_tuple: < 512 → 1..511, 512..1023 → 600..1023, ≥ 1024 → 1024..65535
  bandFor: (p) => (p < 512 ? 0 : p < 1024 ? 1 : 2),
});

export const PROFILES: readonly PatProfile[] = [
  iosProfile,
  asaProfile,
  asaFlatProfile,
  asaFlatReserveProfile,
  asa915Profile,
  asaBlockProfile,
  linuxProfile,
];

export function getProfile(id: string): PatProfile | undefined {
  return PROFILES.find((p) => p.id === id);
}

/** With ASA `extended`, uniqueness is per destination (ASA CLI configuration guide, pat-pool `extended`). */
export function withExtended(p: PatProfile): PatProfile {
  return { ...p, id: `${p.id}+extended`, title: `${p.title}, extended`, uniqueness: "per-destination" };
}

/**
 * The ports a PAT may give a session whose real source port is `port`, under any modelled
 * platform's default behaviour (union of each profile's band for that port). For IKE from 500:
 * 1–511 ∪ 1024–65535; for NAT-T from 4500: 1024–65535 (issue #2, rule ipsec-source-port-pinned).
 * `flat include-reserve` is left out: it is an explicit opt-in whose 1–65535 range would make
 * every port "a PAT port".
 */
export function patPortsAnyPlatform(port: number): PortSet {
  const out: PortRange[] = [];
  for (const p of PROFILES) {
    if (p === asaFlatReserveProfile || p === asaBlockProfile) continue;
    out.push(p.bands[p.bandFor(port)]!);
  }
  return intersectPorts(normalizePorts(out), [{ lo: 1, hi: 65535 }]);
}
