/**
 * A device's NAT setup, computed once per device: its PAT rules with their interfaces, global
 * addresses and port-allocation profile, the ports static NAT holds on those addresses, which
 * real traffic each rule selects, and where the device's own PATs sit (inside and outside).
 *
 * Profile choice (ASA by version and pat-pool options): Cisco ASA configuration guides,
 * "Information About Dynamic PAT" (8.3–9.14: keep the real port if free, else the same tier
 * 1–511/512–1023/1024–65535; `flat`, `include-reserve`, `round-robin`, `extended`), the ASA 9.15(1)
 * release notes ("the PAT pool flat option is now enabled by default") and the FTD "PAT Pool
 * Object Guidelines" (block allocation: 1024–65535 only).
 */
import { formatIp, inAddrSet, inSubnet } from "../model/addr.js";
import { normalizePorts } from "../model/ports.js";
import { findInterface } from "../model/device.js";
import type { Device, Interface, NatRule, Packet, PortSet } from "../model/types.js";
import { evaluateAcl } from "../acl/evaluate.js";
import { asa915Profile, asaBlockProfile, asaFlatProfile, asaFlatReserveProfile, asaProfile, iosProfile, withExtended, type PatProfile } from "./profiles.js";
import { findProfile } from "./profiles-remote.js";

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

export function primary(i: Interface | undefined): number | undefined {
  return i?.addresses.find((a) => !a.secondary)?.ip ?? i?.addresses[0]?.ip;
}


/** ASA version "9.16(2)" → [9, 16]. */
function asaVersion(v: string | undefined): [number, number] | undefined {
  const m = v ? /^(\d+)\.(\d+)/.exec(v) : null;
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

/** The PAT profile the config implies (see the file comment), unless `override` names one. */
export function profileFor(device: Device, rule: NatRule, override?: string): { profile: PatProfile; note: string } {
  if (override) {
    const p = findProfile(override);
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
    return inAddrSet(rule.match.realAddrs, p.src);
  }
  return undefined; // route-map or unknown: not modelled
}


/** Ports that static NAT / port forwarding hold on the PAT's global addresses. */
export function staticReservations(device: Device, setup: PatSetup): Array<{ protocol: number; ip: number; port: number; line: number }> {
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


/** Where this device's own PATs sit: their inside and outside interfaces, addresses and ports. */
export interface PatSides {
  inside: Set<Interface>;
  outside: Set<Interface>;
  /** The PATs' global addresses and the outside interfaces' own addresses. */
  addresses: number[];
  /** Ports this device's PAT may give a session from real port `q` (union over its PAT rules). */
  ownPorts(q: number): PortSet;
}

export function patSides(device: Device, setups: readonly PatSetup[]): PatSides | undefined {
  if (setups.length === 0) return undefined;
  const inside = new Set<Interface>();
  const outside = new Set<Interface>();
  for (const s of setups) {
    if (s.insideIf) inside.add(s.insideIf);
    if (s.outsideIf) outside.add(s.outsideIf);
  }
  // IOS: every `ip nat inside` interface feeds the PAT.
  for (const i of device.interfaces) if (device.vendor === "ios" && i.natRole === "inside") inside.add(i);
  const addresses = [...new Set([...setups.flatMap((s) => s.globals), ...[...outside].flatMap((i) => i.addresses.map((a) => a.ip))])];
  return {
    inside,
    outside,
    addresses,
    ownPorts: (q) => normalizePorts(setups.map((s) => s.profile.bands[s.profile.bandFor(q)]!)),
  };
}

/** The device's NAT setup (see the file comment). `profile` overrides the profile choice of every PAT rule. */
export interface NatSetup {
  /** Its PAT rules (dynamic NAT with overload), in the device's NAT order. */
  pats: PatSetup[];
  /** Where its PATs sit; undefined without a PAT. */
  sides: PatSides | undefined;
}

export function natSetup(device: Device, profile?: string): NatSetup {
  const pats = patSetups(device, profile);
  return { pats, sides: patSides(device, pats) };
}
