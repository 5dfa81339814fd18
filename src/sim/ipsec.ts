/**
 * Simulating N IPsec clients behind a device's PAT and following each session through the
 * device's ACL checkpoints in the vendor's order of operations.
 *
 * IOS (spec §5.1, §5.2): outbound, the inside interface's `in` ACL sees the real source, then NAT
 * inside→outside, then the outside interface's `out` ACL sees the translated source; return, the
 * outside interface's `in` ACL sees the translated destination before un-NAT, then the inside
 * interface's `out` ACL sees the real destination. IOS ACLs are stateless: replies are checked.
 *
 * ASA 8.3+ (spec §5.3): interface ACLs match real addresses and ports (before NAT on the way out),
 * and return traffic of a permitted connection is not checked by interface ACLs.
 */
import { formatIp, inSubnet, maskToPrefix } from "../model/addr.js";
import { PROTO, portCount, protocolName } from "../model/ports.js";
import { packet, type Ace, type Device, type Interface, type NatRule, type Packet, type PortSet } from "../model/types.js";
import { evaluateAcl } from "../acl/evaluate.js";
import type { Field, HeaderSpace, PSet } from "../headerspace/index.js";
import { PatTable, type Translation } from "../nat/pat.js";
import { asa915Profile, asaBlockProfile, asaFlatProfile, asaFlatReserveProfile, asaProfile, getProfile, iosProfile, withExtended, type PatProfile } from "../nat/profiles.js";
import { boundAcl, deviceAddresses, findInterface, ifName } from "../model/device.js";

/** TEST-NET-3 address used when no IPsec peer can be found in the ACLs. */
export const DEFAULT_PEER = 0xcb00710a; // 203.0.113.10

export interface FlowSpec {
  /** "IKE", "NAT-T" or "udp/N". */
  name: string;
  protocol: number;
  port: number;
}

export function flowsForPorts(ports: readonly number[]): FlowSpec[] {
  return ports.map((port) => ({
    name: port === 500 ? "IKE" : port === 4500 ? "NAT-T" : `udp/${port}`,
    protocol: PROTO.UDP,
    port,
  }));
}

export const IPSEC_FLOWS = flowsForPorts([500, 4500]);

export interface PatSession {
  client: number;
  flow: string;
  protocol: number;
  inside: { ip: number; port: number };
  peer: { ip: number; port: number };
  /** undefined when the PAT is exhausted. */
  translated: Translation | undefined;
}

/** N clients each open every flow (in client order: IKE then NAT-T) to one peer. */
export function simulatePat(table: PatTable, clients: readonly number[], flows: readonly FlowSpec[], peer: number): PatSession[] {
  const out: PatSession[] = [];
  clients.forEach((ip, i) => {
    for (const f of flows) {
      const translated = table.allocate({ protocol: f.protocol, insideIp: ip, insidePort: f.port, dstIp: peer, dstPort: f.port });
      out.push({ client: i + 1, flow: f.name, protocol: f.protocol, inside: { ip, port: f.port }, peer: { ip: peer, port: f.port }, translated });
    }
  });
  return out;
}

// ---------------------------------------------------------------------------------------------
// Device-level setup: which PAT, which interfaces, which clients, which peer.

export interface PatSetup {
  rule: NatRule;
  /** Interfaces the clients sit behind (IOS `ip nat inside`, ASA real interface). */
  insideIf: Interface | undefined;
  /** Interface the translated traffic leaves by. */
  outsideIf: Interface | undefined;
  globals: number[];
  profile: PatProfile;
  roundRobin: boolean;
  /** Human notes: how clients, peer, interfaces and profile were chosen; assumptions. */
  notes: string[];
}

function primary(i: Interface | undefined): number | undefined {
  return i?.addresses.find((a) => !a.secondary)?.ip ?? i?.addresses[0]?.ip;
}


/** ASA version "9.16(2)" → [9, 16]. */
function asaVersion(v: string | undefined): [number, number] | undefined {
  const m = v ? /^(\d+)\.(\d+)/.exec(v) : null;
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

/** The PAT profile the config implies (spec §2.3–2.4), unless `override` names one. */
export function profileFor(device: Device, rule: NatRule, override?: string): { profile: PatProfile; note: string } {
  if (override) {
    const p = getProfile(override);
    if (!p) throw new RangeError(`unknown PAT profile "${override}"`);
    return { profile: rule.patOptions?.extended ? withExtended(p) : p, note: `PAT profile ${p.id} (from --profile)` };
  }
  if (device.vendor === "ios") return { profile: iosProfile, note: "PAT profile ios (Cisco IOS)" };
  const o = rule.patOptions ?? {};
  const v = asaVersion(device.version);
  let p: PatProfile;
  let why: string;
  if (o.blockAllocation) {
    p = asaBlockProfile;
    why = "pat-pool block-allocation";
  } else if (v && (v[0] > 9 || (v[0] === 9 && v[1] >= 15))) {
    p = o.includeReserve ? asaFlatReserveProfile : asa915Profile;
    why = `ASA Version ${device.version}: flat is the default from 9.15`;
  } else if (o.flat) {
    p = o.includeReserve ? asaFlatReserveProfile : asaFlatProfile;
    why = `pat-pool flat${o.includeReserve ? " include-reserve" : ""}`;
  } else {
    p = asaProfile;
    why = v ? `ASA Version ${device.version}` : "no ASA version header: assuming 8.3–9.14";
  }
  if (o.extended) p = withExtended(p);
  return { profile: p, note: `PAT profile ${p.id} (${why})` };
}

function globalsFor(device: Device, rule: NatRule, outsideIf: Interface | undefined, notes: string[]): number[] {
  const m = rule.mapped;
  if (m.kind === "interface") {
    const i = findInterface(device, m.iface);
    const ip = primary(i);
    if (ip !== undefined) return [ip];
    const inferred = i ? addressFromAcls(device, i) : undefined;
    if (inferred) {
      notes.push(`interface ${m.iface} has no static address (DHCP?); using ${formatIp(inferred.ip)}, the host address its ACLs use for the router (${inferred.where})`);
      return [inferred.ip];
    }
    notes.push(`interface ${m.iface} has no static address and its ACLs name none; using 198.18.0.2 as a stand-in global address`);
    return [0xc6120002];
  }
  if (m.kind === "pool") {
    const pool = device.natPools.get(m.pool);
    if (pool) {
      const out: number[] = [];
      for (let a = pool.start; a <= pool.end && out.length < 1024; a++) out.push(a >>> 0);
      if (out.length) return out;
    }
  } else {
    const out: number[] = [];
    for (const r of m.ranges) for (let a = r.start; a <= r.end && out.length < 1024; a++) out.push(a >>> 0);
    if (out.length) return out;
  }
  const ip = primary(outsideIf);
  notes.push(`the PAT's global addresses are not defined; using the outside interface address`);
  return [ip ?? 0xc6120002];
}

/**
 * The router's own address as its ACLs write it, for an interface without a static address:
 * the most used host address on the router's side of its ACLs (source of the `out` ACL,
 * destination of the `in` ACL).
 */
function addressFromAcls(device: Device, i: Interface): { ip: number; where: string } | undefined {
  const count = new Map<number, { n: number; where: string }>();
  for (const g of i.accessGroups) {
    const acl = device.acls.get(g.acl);
    for (const e of acl?.entries ?? []) {
      for (const w of g.direction === "out" ? e.match.src : e.match.dst) {
        if (w.wildcard !== 0) continue;
        const c = count.get(w.addr) ?? { n: 0, where: `${acl!.name} line ${e.source.line}` };
        c.n++;
        count.set(w.addr, c);
      }
    }
  }
  let best: { ip: number; n: number; where: string } | undefined;
  for (const [ip, c] of count) if (!best || c.n > best.n) best = { ip, ...c };
  return best && { ip: best.ip, where: best.where };
}

/** PAT rules of the device with their interfaces and global addresses. */
export function patSetups(device: Device, profileOverride?: string): PatSetup[] {
  const out: PatSetup[] = [];
  for (const rule of device.natRules) {
    if (rule.type !== "dynamic" || !rule.pat) continue;
    const notes: string[] = [];
    let insideIf: Interface | undefined;
    let outsideIf: Interface | undefined;
    if (device.vendor === "ios") {
      const insides = device.interfaces.filter((i) => i.natRole === "inside" && !i.shutdown);
      const outsides = device.interfaces.filter((i) => i.natRole === "outside" && !i.shutdown);
      insideIf = insides[0];
      if (rule.mapped.kind === "interface") outsideIf = findInterface(device, rule.mapped.iface);
      else {
        const pool = rule.mapped.kind === "pool" ? device.natPools.get(rule.mapped.pool) : undefined;
        outsideIf = outsides.find((i) => pool && i.addresses.some((a) => inSubnet(pool.start, a.ip, a.mask))) ?? outsides[0];
      }
      if (insides.length > 1) notes.push(`several ip nat inside interfaces; clients are placed behind ${insideIf!.name}`);
      if (!insideIf) notes.push("no interface has ip nat inside: no inside ACL checkpoints");
    } else {
      insideIf = rule.realIf && rule.realIf !== "any" ? findInterface(device, rule.realIf) : undefined;
      outsideIf = rule.mappedIf && rule.mappedIf !== "any" ? findInterface(device, rule.mappedIf) : undefined;
    }
    const globals = globalsFor(device, rule, outsideIf, notes);
    const { profile, note } = profileFor(device, rule, profileOverride);
    notes.push(note, ...profile.assumptions);
    out.push({ rule, insideIf, outsideIf, globals, profile, roundRobin: !!rule.patOptions?.roundRobin, notes });
  }
  return out;
}

/** Does the NAT rule translate this packet (its real-traffic selector)? */
export function natSelects(device: Device, rule: NatRule, p: Packet): boolean | undefined {
  if (rule.match.acl !== undefined) {
    const acl = device.acls.get(rule.match.acl);
    if (!acl) return false;
    return evaluateAcl(acl, p).action === "permit";
  }
  if (rule.match.realAddrs) {
    return rule.match.realAddrs.some((w) => ((p.src & ~w.wildcard) >>> 0) === w.addr);
  }
  return undefined; // route-map or unknown: not modelled
}


/**
 * Pick realistic client addresses: hosts of the inside interface's subnet that the NAT rule
 * translates, skipping the network and broadcast addresses, the device's own addresses and
 * DHCP-excluded ranges (`ip dhcp excluded-address`), in address order.
 */
export function pickClients(device: Device, setup: PatSetup, n: number, peer: number): { clients: number[]; note: string } {
  const own = deviceAddresses(device);
  const excluded = (a: number) => device.dhcpExcluded.some((r) => a >= r.start && a <= r.end);
  // Candidate host ranges, best first: DHCP ranges, the inside subnet, the NAT ACL's sources.
  const candidates: Array<{ first: number; last: number; why: string }> = [];
  const hosts = (base: number, size: number) => (size > 2 ? { first: base + 1, last: base + size - 2 } : { first: base, last: base + size - 1 });
  for (const r of device.dhcpRanges) candidates.push({ first: r.start, last: r.end, why: "addresses of the DHCP range" });
  const a = setup.insideIf?.addresses.find((x) => !x.secondary) ?? setup.insideIf?.addresses[0];
  if (a) candidates.push({ ...hosts((a.ip & a.mask) >>> 0, 2 ** (32 - (maskToPrefix(a.mask) ?? 24))), why: `hosts of ${ifName(setup.insideIf!)}'s subnet` });
  const selAcl = setup.rule.match.acl ? device.acls.get(setup.rule.match.acl) : undefined;
  for (const e of selAcl?.entries ?? []) {
    if (e.action !== "permit") continue;
    for (const w of e.match.src) candidates.push({ ...hosts(w.addr, w.wildcard + 1), why: `sources of NAT ACL ${selAcl!.name}` });
  }
  for (const w of setup.rule.match.realAddrs ?? []) candidates.push({ ...hosts(w.addr, w.wildcard + 1), why: "the NAT rule's real addresses" });
  for (const c of candidates) {
    const clients: number[] = [];
    // Bounded scan: at most 70,000 addresses per candidate range.
    for (let ip = c.first; ip <= c.last && clients.length < n && ip - c.first < 70000; ip++) {
      if (own.has(ip) || excluded(ip)) continue;
      const p = packet({ protocol: PROTO.UDP, src: ip >>> 0, dst: peer, srcPort: 500, dstPort: 500 });
      if (natSelects(device, setup.rule, p) === false) continue;
      clients.push(ip >>> 0);
    }
    if (clients.length === n) {
      const excl = device.dhcpExcluded.length ? ", after the DHCP-excluded addresses" : "";
      return { clients, note: `clients ${clients.map(formatIp).join(", ")} (first ${n} ${c.why} translated by the PAT${excl})` };
    }
  }
  const clients = Array.from({ length: n }, (_, i) => (0xc0a8640b + i) >>> 0); // 192.168.100.11…
  return { clients, note: `no inside subnet found for the PAT; using clients ${formatIp(clients[0]!)}…` };
}

/**
 * Pick the IPsec peer from the device's ACLs: the first host address matched with udp 500/4500 on
 * the peer's side of an ACL — the destination of the outside `out` and inside `in` ACLs, the
 * source of the outside `in` and inside `out` ACLs (then either side of any other ACL) — that is
 * neither one of the device's addresses nor a PAT address.
 */
export function pickPeer(device: Device, setup: Pick<PatSetup, "outsideIf" | "insideIf" | "globals">): { peer: number; note: string } {
  const own = deviceAddresses(device);
  for (const g of setup.globals) own.add(g);
  const ipsecPort = (s: PortSet | undefined) => s !== undefined && s.some((r) => (r.lo <= 500 && r.hi >= 500) || (r.lo <= 4500 && r.hi >= 4500));
  const order: Array<{ acl: string; side: "src" | "dst" }> = [];
  const bound = (i: Interface | undefined, dir: "in" | "out", side: "src" | "dst") => {
    const n = i ? boundAcl(i, dir) : undefined;
    if (n) order.push({ acl: n, side });
  };
  bound(setup.outsideIf, "out", "dst");
  bound(setup.outsideIf, "in", "src");
  bound(setup.insideIf, "in", "dst");
  bound(setup.insideIf, "out", "src");
  for (const n of device.acls.keys()) order.push({ acl: n, side: "dst" }, { acl: n, side: "src" });
  for (const { acl: name, side } of order) {
    const acl = device.acls.get(name);
    for (const e of acl?.entries ?? []) {
      if (e.action !== "permit") continue;
      for (const t of e.match.services) {
        if (t.protocol !== PROTO.UDP || !ipsecPort(side === "dst" ? t.dstPorts : t.srcPorts)) continue;
        const h = (side === "dst" ? e.match.dst : e.match.src).find((w) => w.wildcard === 0 && !own.has(w.addr));
        if (h) return { peer: h.addr, note: `peer ${formatIp(h.addr)} (from ${acl!.name} line ${e.source.line})` };
      }
    }
  }
  return { peer: DEFAULT_PEER, note: `no IPsec peer found in the ACLs; using ${formatIp(DEFAULT_PEER)}` };
}

// ---------------------------------------------------------------------------------------------
// Following sessions through the checkpoints.

export interface CheckpointVerdict {
  interface: string;
  direction: "in" | "out";
  acl: string;
  /** Deciding line (source line number); null for the implicit deny or an undefined ACL. */
  line: number | null;
  action: "permit" | "deny";
  ace?: Ace;
  defined: boolean;
  /** What this checkpoint sees: "real" or "translated" addresses/ports. */
  sees: "real" | "translated";
  packet: Packet;
  /** For a translated port *set*: how many of the possible ports are denied, and by which lines. */
  portsDenied?: number;
  portsTotal?: number;
  deniedBy?: Array<{ line: number | null; count: number }>;
  /** The ACE carries a time-range: the verdict holds only while the time-range is active. */
  timeRange?: string;
  /** ASA global ACL: the interface ACL this packet fell through (none of its lines matched). */
  fallThroughFrom?: string;
}

export interface SessionTrace {
  client: number;
  flow: string;
  direction: "outbound" | "return";
  inside: { ip: number; port: number };
  translated: Translation | undefined;
  peer: { ip: number; port: number };
  checkpoints: CheckpointVerdict[];
  verdict: "permit" | "drop";
  /** Why: "PAT exhausted", "drop for 2 of 511 ports", … */
  detail?: string;
}

export interface DeviceSimulation {
  setup: PatSetup;
  clients: number[];
  peer: number;
  sessions: PatSession[];
  traces: SessionTrace[];
  notes: string[];
}

/** The set of packets equal to `p` in every field but `field`, which ranges over `ports`. */
export function packetSpace(hs: HeaderSpace, p: Packet, field: "srcPort" | "dstPort", ports: PortSet): PSet {
  let s = hs.portSet(field, ports);
  const fixed: Array<[Field, number]> = [
    ["protocol", p.protocol],
    ["src", p.src],
    ["dst", p.dst],
    ["icmpType", p.icmpType],
    ["icmpCode", p.icmpCode],
    ["tcpFlags", p.tcpFlags],
    ["fragment", p.fragment ? 1 : 0],
    ["tos", p.tos],
  ];
  if (field !== "srcPort") fixed.push(["srcPort", p.srcPort]);
  if (field !== "dstPort") fixed.push(["dstPort", p.dstPort]);
  for (const [f, v] of fixed) s = hs.and(s, hs.field(f, v, v));
  return s;
}

/** Evaluate one checkpoint for a packet whose port field `portField` ranges over `ports`. */
function evalCheckpoint(
  device: Device,
  hs: HeaderSpace | undefined,
  i: Interface | "global",
  direction: "in" | "out",
  p: Packet,
  sees: "real" | "translated",
  portSet?: { field: "srcPort" | "dstPort"; ports: PortSet },
): CheckpointVerdict | undefined {
  const name = i === "global" ? device.globalAcl?.acl : boundAcl(i, direction);
  if (name === undefined) return undefined;
  const acl = device.acls.get(name);
  const base = { interface: i === "global" ? "global" : ifName(i), direction, acl: name, sees, packet: p } as const;
  if (!acl) return { ...base, line: null, action: "permit", defined: false };
  if (portSet && hs && portCount(portSet.ports) > 1) {
    // Exact verdict over every port the PAT may pick (spec §8: reason about ranges).
    const c = hs.compile(acl);
    // Every field pinned to the packet's value except the port, so a set's size is its port count.
    const space = packetSpace(hs, p, portSet.field, portSet.ports);
    const total = portCount(portSet.ports);
    const deniedBy: Array<{ line: number | null; count: number }> = [];
    let denied = 0;
    let covered = hs.none;
    for (const l of c.lines) {
      const part = c.reachIn(l.index, space);
      if (hs.isEmpty(part)) continue;
      covered = hs.or(covered, part);
      if (l.ace.action === "deny") {
        const k = Number(hs.count(part));
        denied += k;
        deniedBy.push({ line: l.ace.source.line, count: k });
      }
    }
    const rest = hs.diff(space, covered);
    if (!hs.isEmpty(rest)) {
      const k = Number(hs.count(rest));
      denied += k;
      deniedBy.push({ line: null, count: k });
    }
    const first = deniedBy[0];
    const decider = denied === 0 ? evaluateAcl(acl, p).ace : acl.entries.find((e) => e.source.line === first?.line);
    return {
      ...base,
      line: denied === 0 ? (decider?.source.line ?? null) : (first?.line ?? null),
      action: denied === 0 ? "permit" : "deny",
      ...(decider ? { ace: decider } : {}),
      defined: true,
      portsDenied: denied,
      portsTotal: total,
      deniedBy,
    };
  }
  const v = evaluateAcl(acl, p);
  return {
    ...base,
    line: v.ace ? v.ace.source.line : null,
    action: v.action,
    ...(v.ace ? { ace: v.ace } : {}),
    ...(v.ace?.timeRange ? { timeRange: v.ace.timeRange } : {}),
    defined: true,
  };
}

/**
 * ASA inbound filtering (spec §5.3; ASA access-rules chapter): the interface's `in` ACL first; a
 * packet none of its lines matches falls through to the global ACL (`access-group NAME global`),
 * whose end carries the implicit deny. Without a global ACL the interface ACL's implicit deny holds.
 */
function asaInbound(device: Device, hs: HeaderSpace | undefined, i: Interface, p: Packet): CheckpointVerdict[] {
  const own = evalCheckpoint(device, hs, i, "in", p, "real");
  const fallsThrough = !own || (own.defined && own.line === null);
  if (!device.globalAcl || !fallsThrough) return own ? [own] : [];
  const g = evalCheckpoint(device, hs, "global", "in", p, "real");
  if (!g) return own ? [own] : [];
  return [own ? { ...g, fallThroughFrom: `${own.acl} on ${own.interface} (no line matched)` } : g];
}

function verdictOf(cps: CheckpointVerdict[]): { verdict: "permit" | "drop"; detail?: string } {
  for (const c of cps) {
    if (c.action !== "deny") continue;
    if (c.portsTotal !== undefined && c.portsDenied !== undefined && c.portsDenied < c.portsTotal)
      return { verdict: "drop", detail: `drop for ${c.portsDenied} of ${c.portsTotal} ports at ${c.interface} ${c.direction}` };
    return { verdict: "drop", detail: `dropped by ${c.acl} ${c.line === null ? "(implicit deny)" : `line ${c.line}`} at ${c.interface} ${c.direction}` };
  }
  return { verdict: "permit" };
}

/** Follow every session of `sessions` through the device in its vendor's order of operations. */
export function traceSessions(device: Device, setup: PatSetup, sessions: PatSession[], hs?: HeaderSpace): SessionTrace[] {
  const traces: SessionTrace[] = [];
  const ios = device.vendor === "ios";
  for (const s of sessions) {
    const t = s.translated;
    const real = packet({ protocol: s.protocol, src: s.inside.ip, dst: s.peer.ip, srcPort: s.inside.port, dstPort: s.peer.port });
    const out: CheckpointVerdict[] = [];
    const add = (c: CheckpointVerdict | undefined) => {
      if (c) out.push(c);
      return !c || c.action === "permit";
    };
    // Outbound.
    let ok = true;
    if (setup.insideIf) {
      if (ios) ok = add(evalCheckpoint(device, hs, setup.insideIf, "in", real, "real"));
      else for (const c of asaInbound(device, hs, setup.insideIf, real)) ok = add(c);
    }
    if (ok && t && setup.outsideIf) {
      if (ios) {
        const xp = { ...real, src: t.ip, srcPort: t.port ?? t.ports[0]!.lo };
        add(evalCheckpoint(device, hs, setup.outsideIf, "out", xp, "translated", { field: "srcPort", ports: t.ports }));
      } else add(evalCheckpoint(device, hs, setup.outsideIf, "out", real, "real"));
    }
    let v = t ? verdictOf(out) : { verdict: "drop" as const, detail: "PAT exhausted: no free port on any global address" };
    traces.push({ client: s.client, flow: s.flow, direction: "outbound", inside: s.inside, translated: t, peer: s.peer, checkpoints: out, ...v });

    // Return: only IOS checks replies (stateless ACLs); the ASA passes them by connection state.
    const back: CheckpointVerdict[] = [];
    const addB = (c: CheckpointVerdict | undefined) => {
      if (c) back.push(c);
      return !c || c.action === "permit";
    };
    if (t && ios) {
      const xr = packet({ protocol: s.protocol, src: s.peer.ip, dst: t.ip, srcPort: s.peer.port, dstPort: t.port ?? t.ports[0]!.lo });
      ok = setup.outsideIf ? addB(evalCheckpoint(device, hs, setup.outsideIf, "in", xr, "translated", { field: "dstPort", ports: t.ports })) : true;
      if (ok && setup.insideIf) {
        const rr = packet({ protocol: s.protocol, src: s.peer.ip, dst: s.inside.ip, srcPort: s.peer.port, dstPort: s.inside.port });
        addB(evalCheckpoint(device, hs, setup.insideIf, "out", rr, "real"));
      }
    }
    v = t ? verdictOf(back) : { verdict: "drop" as const, detail: "PAT exhausted: no translation" };
    traces.push({ client: s.client, flow: s.flow, direction: "return", inside: s.inside, translated: t, peer: s.peer, checkpoints: back, ...v });
  }
  return traces;
}

/** Ports that static NAT / port forwarding hold on the PAT's global addresses. */
function staticReservations(device: Device, setup: PatSetup): Array<{ protocol: number; ip: number; port: number; line: number }> {
  const out: Array<{ protocol: number; ip: number; port: number; line: number }> = [];
  for (const r of device.natRules) {
    if (r.type !== "static" || r.match.protocol === undefined || r.mappedPort === undefined) continue;
    let ips: number[] = [];
    if (r.mapped.kind === "interface") {
      const i = findInterface(device, r.mapped.iface);
      // the interface's address; for a DHCP interface that the PAT also uses, the one inferred for it
      const patIf = setup.rule.mapped.kind === "interface" ? findInterface(device, setup.rule.mapped.iface) : undefined;
      const ip = primary(i) ?? (i !== undefined && i === patIf ? setup.globals[0] : undefined);
      ips = ip === undefined ? [] : [ip];
    } else if (r.mapped.kind === "addresses") ips = r.mapped.ranges.map((x) => x.start);
    for (const ip of ips) if (setup.globals.includes(ip)) out.push({ protocol: r.match.protocol, ip, port: r.mappedPort, line: r.source.line });
  }
  return out;
}

export interface SimulateOptions {
  clients: number;
  profile?: string;
  peer?: number;
  flows?: FlowSpec[];
  hs?: HeaderSpace;
}

/** Everything `explain` shows and `pat-drops-ipsec` reasons about, for each PAT rule of the device. */
export function simulateDevice(device: Device, opts: SimulateOptions): DeviceSimulation[] {
  const out: DeviceSimulation[] = [];
  for (const setup of patSetups(device, opts.profile)) {
    const notes = [...setup.notes];
    const pk = opts.peer !== undefined ? { peer: opts.peer, note: `peer ${formatIp(opts.peer)} (from --peer)` } : pickPeer(device, setup);
    const cl = pickClients(device, setup, opts.clients, pk.peer);
    notes.unshift(cl.note, pk.note);
    const table = new PatTable(setup.profile, setup.globals, { roundRobin: setup.roundRobin });
    for (const r of staticReservations(device, setup)) {
      table.reserve(r.protocol, r.ip, r.port);
      notes.push(`${protocolName(r.protocol)}/${r.port} on ${formatIp(r.ip)} is held by the static NAT on line ${r.line}: the PAT cannot give it to a client`);
    }
    const sessions = simulatePat(table, cl.clients, opts.flows ?? IPSEC_FLOWS, pk.peer);
    const traces = traceSessions(device, setup, sessions, opts.hs);
    out.push({ setup, clients: cl.clients, peer: pk.peer, sessions, traces, notes });
  }
  return out;
}
