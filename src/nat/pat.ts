/**
 * A PAT translation table: allocates global (address, port) pairs to sessions with a profile.
 * Exhaustion is a result (`undefined` translation), never an exception.
 */
import type { PatProfile, PortUsage } from "./profiles.js";
import type { PortSet } from "../model/types.js";

export interface SessionRequest {
  protocol: number;
  insideIp: number;
  insidePort: number;
  dstIp: number;
  dstPort: number;
}

export interface Translation {
  ip: number;
  /** Set when the port is certain. */
  port?: number;
  /** Every port the profile may have picked (one element when certain). */
  ports: PortSet;
  /** The real port was kept. */
  kept: boolean;
}

export class PatTable {
  private usage = new Map<string, PortUsage>();
  /** Index of the global address the next session starts at (round-robin). */
  private rr = 0;

  constructor(
    readonly profile: PatProfile,
    /** Global addresses in pool order (one for interface PAT). */
    readonly globals: readonly number[],
    readonly options: { roundRobin?: boolean } = {},
  ) {
    if (globals.length === 0) throw new RangeError("PAT needs at least one global address");
  }

  private key(req: SessionRequest, ip: number): string {
    return this.profile.uniqueness === "per-global-ip"
      ? `${req.protocol}/${ip}`
      : `${req.protocol}/${ip}/${req.dstIp}/${req.dstPort}`;
  }

  private usageFor(key: string): PortUsage {
    let u = this.usage.get(key);
    if (!u) {
      u = { taken: new Set(), randomInBand: [] };
      this.usage.set(key, u);
    }
    return u;
  }

  /**
   * Translate one new session. Addresses are tried in pool order (spec §1.1: a pool moves to its
   * next address only when the port group is exhausted, then retries the original port there);
   * with round-robin (ASA pat-pool `round-robin`, spec §2.3) each session starts at the next address.
   */
  allocate(req: SessionRequest): Translation | undefined {
    const n = this.globals.length;
    const start = this.options.roundRobin ? this.rr++ % n : 0;
    for (let i = 0; i < n; i++) {
      const ip = this.globals[(start + i) % n]!;
      const u = this.usageFor(this.key(req, ip));
      const c = this.profile.choose({ protocol: req.protocol, port: req.insidePort }, u);
      if (c.kind === "exhausted") continue;
      if (c.kind === "port") {
        u.taken.add(c.port);
        return { ip, port: c.port, ports: [{ lo: c.port, hi: c.port }], kept: c.kept };
      }
      const b = this.profile.bandFor(req.insidePort);
      u.randomInBand[b] = (u.randomInBand[b] ?? 0) + 1;
      return { ip, ports: c.ports, kept: false };
    }
    return undefined;
  }
}
