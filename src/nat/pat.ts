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
  private usage = new Map<number, PortUsage>();
  /** Index of the global address the next new host starts at (round-robin). */
  private rr = 0;
  /** Round-robin: the global address each inside host was given (a host keeps it while it has ports). */
  private hostAddress = new Map<number, number>();

  constructor(
    readonly profile: PatProfile,
    /** Global addresses in pool order (one for interface PAT). */
    readonly globals: readonly number[],
    readonly options: { roundRobin?: boolean } = {},
  ) {
    if (globals.length === 0) throw new RangeError("PAT needs at least one global address");
  }

  /** Ports held on a global address by static NAT / port forwarding, per `${protocol}/${ip}`. */
  private reserved = new Map<string, Set<number>>();

  /**
   * A static translation holds (protocol, global address, port): dynamic PAT can never hand that
   * port out, to any destination. Call before allocating.
   */
  reserve(protocol: number, ip: number, port: number): void {
    const k = `${protocol}/${ip >>> 0}`;
    let s = this.reserved.get(k);
    if (!s) this.reserved.set(k, (s = new Set()));
    s.add(port);
  }

  /** Per-destination usage: per (protocol, global address), then per destination (address and port, one number). */
  private usageByDst = new Map<number, Map<number, PortUsage>>();

  /** The usage of a (protocol, global address[, destination]) key, keyed by numbers (no key string per session). */
  private usageFor(req: SessionRequest, ip: number): PortUsage {
    const key = req.protocol * 0x100000000 + (ip >>> 0);
    let byKey: Map<number, PortUsage> | undefined = this.usage;
    let k = key;
    if (this.profile.uniqueness !== "per-global-ip") {
      byKey = this.usageByDst.get(key);
      if (!byKey) this.usageByDst.set(key, (byKey = new Map()));
      k = (req.dstIp >>> 0) * 0x10000 + req.dstPort;
    }
    let u = byKey.get(k);
    if (!u) {
      u = { taken: new Set(this.reserved.get(`${req.protocol}/${ip >>> 0}`)), randomInBand: [] };
      byKey.set(k, u);
    }
    return u;
  }

  /**
   * Translate one new session. Addresses are tried in pool order (IOS, Cisco Press ICND2: a pool moves to its
   * next address only when the port group is exhausted, then retries the original port there);
   * with round-robin (ASA pat-pool `round-robin`, ASA CLI configuration guide) each new host starts at
   * the next address, and "a host with an existing connection keeps using the same PAT IP if ports
   * are available" (same guide), so all sessions of one host start at its address.
   */
  allocate(req: SessionRequest): Translation | undefined {
    const n = this.globals.length;
    let start = 0;
    if (this.options.roundRobin) {
      const known = this.hostAddress.get(req.insideIp);
      start = known ?? this.rr++ % n;
    }
    const t = this.allocateFrom(req, start);
    if (t && this.options.roundRobin) {
      // the first index of the address in the pool (a pool may name an address twice)
      if (!this.firstIndex) {
        this.firstIndex = new Map();
        this.globals.forEach((g, i) => this.firstIndex!.has(g) || this.firstIndex!.set(g, i));
      }
      this.hostAddress.set(req.insideIp, this.firstIndex.get(t.ip)!);
    }
    return t;
  }

  /** Each global address's first index in `globals`. */
  private firstIndex: Map<number, number> | undefined;

  private allocateFrom(req: SessionRequest, start: number): Translation | undefined {
    const n = this.globals.length;
    for (let i = 0; i < n; i++) {
      const ip = this.globals[(start + i) % n]!;
      const u = this.usageFor(req, ip);
      const c = this.profile.choose({ protocol: req.protocol, port: req.insidePort, insideIp: req.insideIp }, u);
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
