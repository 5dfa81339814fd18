/**
 * One config hop of a path: a session through one device in its vendor's order of operations.
 *
 * IOS (Cisco "NAT Order of Operation", doc 6209; secondary source): the input ACL sees the packet
 * as it arrives; outside → inside, NAT (destination un-NAT) runs before routing; inside → outside,
 * NAT (source) runs after routing; the output ACL sees the translated packet. ACLs are stateless:
 * replies are checked the same way. Traffic the router sends itself (its replies when it
 * terminates IKE) is not filtered by output ACLs (Cisco IOS Security Configuration Guide, "IP
 * Access List Overview": "outbound access lists do not filter traffic originated by the router";
 * secondary source).
 *
 * ASA 8.3+ (ASA 8.3 migration guide, "Real IP addresses in access lists"; ASA configuration guide,
 * "Access Rules for Returning Traffic"): interface ACLs match real addresses — the source before
 * this ASA translates it, the destination after it un-translates it — and replies of a permitted
 * connection are not checked; traffic to the ASA itself (IKE it terminates) is not filtered by
 * interface ACLs ("you do not need to allow IKE or ESP in an access rule", ASA configuration
 * guide, VPN System Options), only by a `control-plane` ACL.
 */
import { formatIp, inAddrSet } from "../model/addr.js";
import { findInterface, ifName } from "../model/device.js";
import { portCount } from "../model/ports.js";
import { packet, type Device, type Interface, type NatRule, type Packet, type PortSet } from "../model/types.js";
import type { AclSets } from "../acl/sets.js";
import { PatTable } from "../nat/pat.js";
import { natSelects, primary, staticReservations, type NatSetup, type PatSetup } from "../nat/setup.js";
import { evalCheckpoint, type CheckpointVerdict } from "./checkpoints.js";
import { ownerOf, routeTo } from "./route.js";
import type { HopNat, HopResult, WirePacket } from "./path-types.js";

/** A config hop's state across the sessions of one simulation: its NAT setup and PAT tables. */
export interface ConfigHopState {
  device: Device;
  nat: NatSetup;
  tables: Map<PatSetup, PatTable>;
  in?: string;
  out?: string;
  /** Observed translations (`inside-ip:port` → the global address and port the device chose): used instead of the PAT's choice. */
  pinned?: ReadonlyMap<string, { ip: number; port: number }>;
}

export function configHopState(device: Device, nat: NatSetup, names: { in?: string; out?: string }, pinned?: ReadonlyMap<string, { ip: number; port: number }>): ConfigHopState {
  return { device, nat, tables: new Map(), ...(names.in !== undefined ? { in: names.in } : {}), ...(names.out !== undefined ? { out: names.out } : {}), ...(pinned ? { pinned } : {}) };
}

const one = (p: number): PortSet => [{ lo: p, hi: p }];

export function toPacket(w: WirePacket): Packet {
  return packet({ protocol: w.protocol, src: w.src, dst: w.dst, srcPort: w.srcPorts[0]?.lo ?? 0, dstPort: w.dstPorts[0]?.lo ?? 0 });
}

function portSetOf(w: WirePacket): { field: "srcPort" | "dstPort"; ports: PortSet } | undefined {
  if (portCount(w.srcPorts) > 1) return { field: "srcPort", ports: w.srcPorts };
  if (portCount(w.dstPorts) > 1) return { field: "dstPort", ports: w.dstPorts };
  return undefined;
}

function check(st: ConfigHopState, sets: AclSets, at: Interface, dir: "in" | "out", w: WirePacket): CheckpointVerdict[] {
  const d = st.device;
  const sees = w.translated ? "translated" : "real";
  const ps = portSetOf(w);
  const p = toPacket(w);
  const own = evalCheckpoint(d, sets, at, dir, p, sees, ps);
  // ASA inbound: a packet no line of the interface ACL matches falls through to the global ACL
  if (d.vendor !== "asa" || dir !== "in" || !d.globalAcl || (own && !(own.defined && own.ace === undefined))) return own ? [own] : [];
  const g = evalCheckpoint(d, sets, "global", "in", p, sees, ps);
  if (!g) return own ? [own] : [];
  return [own ? { ...g, fallThroughFrom: `${own.acl} on ${own.interface} (no line matched)` } : g];
}

function mappedAddress(device: Device, rule: NatRule, real: number): number | undefined {
  const m = rule.mapped;
  if (m.kind === "interface") return primary(findInterface(device, m.iface));
  if (m.kind === "addresses") {
    const r = m.ranges[0];
    if (!r) return undefined;
    const base = rule.match.realAddrs?.[0];
    // a network static maps host n of the real subnet to host n of the mapped one
    return base && base.wildcard !== 0 ? (r.start + ((real - base.addr) >>> 0)) >>> 0 : r.start;
  }
  return undefined;
}

/** Whether an ASA rule applies between these interfaces (`any` matches every interface). */
function asaSides(rule: NatRule, from: Interface | undefined, to: Interface | undefined): boolean {
  const is = (n: string | undefined, i: Interface | undefined) => n === undefined || n === "any" || (i !== undefined && ifName(i).toLowerCase() === n.toLowerCase());
  return is(rule.realIf, from) && is(rule.mappedIf, to);
}

function single(ps: PortSet): number | undefined {
  return ps.length === 1 && ps[0]!.lo === ps[0]!.hi ? ps[0]!.lo : undefined;
}

/** A static rule's un-NAT of the destination for a packet entering on its mapped side. */
function staticDestination(st: ConfigHopState, ingress: Interface | undefined, w: WirePacket): HopNat | undefined {
  const d = st.device;
  for (const r of d.natRules) {
    if (r.type !== "static" || !r.match.realAddrs?.length) continue;
    if (d.vendor === "ios" ? ingress?.natRole !== "outside" : !asaSides(r, undefined, ingress)) continue;
    const base = r.match.realAddrs[0]!;
    const mapped = mappedAddress(d, r, base.addr);
    if (mapped === undefined) continue;
    const size = base.wildcard + 1;
    if (w.dst < mapped || w.dst >= mapped + size) continue;
    if (r.match.protocol !== undefined && r.match.protocol !== w.protocol) continue;
    const port = single(w.dstPorts);
    if (r.mappedPort !== undefined && port !== r.mappedPort) continue;
    const real = (base.addr + (w.dst - mapped)) >>> 0;
    const ports = r.match.realPort !== undefined ? one(r.match.realPort) : w.dstPorts;
    return { field: "dst", before: { ip: w.dst, ports: w.dstPorts }, after: { ip: real, ports }, rule: r.source, pat: false, kept: r.match.realPort === undefined };
  }
  return undefined;
}

/** The source translation this device applies between the two interfaces, if any (statics before PAT, in NAT order). */
function sourceNat(st: ConfigHopState, ingress: Interface | undefined, egress: Interface | undefined, w: WirePacket, notes: string[]): HopNat | "exhausted" | undefined {
  const d = st.device;
  if (d.vendor === "ios" && !(ingress?.natRole === "inside" && egress?.natRole === "outside")) return undefined;
  const rules = d.vendor === "ios" ? [...d.natRules.filter((r) => r.type === "static"), ...d.natRules.filter((r) => r.type !== "static")] : d.natRules;
  const p = toPacket(w);
  for (const r of rules) {
    if (d.vendor === "asa" && !asaSides(r, ingress, egress)) continue;
    if (r.type === "static") {
      if (!r.match.realAddrs || !inAddrSet(r.match.realAddrs, w.src)) continue;
      if (r.match.protocol !== undefined && (r.match.protocol !== w.protocol || single(w.srcPorts) !== r.match.realPort)) continue;
      const g = mappedAddress(d, r, w.src);
      if (g === undefined) continue;
      const ports = r.mappedPort !== undefined ? one(r.mappedPort) : w.srcPorts;
      return { field: "src", before: { ip: w.src, ports: w.srcPorts }, after: { ip: g, ports }, rule: r.source, pat: r.mappedPort !== undefined && r.mappedPort !== r.match.realPort, kept: r.mappedPort === undefined || r.mappedPort === r.match.realPort };
    }
    if (natSelects(d, r, p) === false) continue;
    const setup = st.nat.pats.find((s) => s.rule === r);
    if (!setup) {
      notes.push(`dynamic NAT without overload (line ${r.source.line}): the address is translated, the port is assumed kept`);
      const g = r.mapped.kind === "addresses" ? r.mapped.ranges[0]?.start : r.mapped.kind === "pool" ? d.natPools.get(r.mapped.pool)?.start : primary(findInterface(d, r.mapped.iface));
      if (g === undefined) continue;
      return { field: "src", before: { ip: w.src, ports: w.srcPorts }, after: { ip: g, ports: w.srcPorts }, rule: r.source, pat: false, kept: true };
    }
    const seen = st.pinned?.get(`${w.src}:${w.srcPorts[0]!.lo}`);
    if (seen) {
      notes.push(`observed translation: ${formatIp(w.src)}:${w.srcPorts[0]!.lo} → ${formatIp(seen.ip)}:${seen.port}`);
      return { field: "src", before: { ip: w.src, ports: w.srcPorts }, after: { ip: seen.ip, ports: one(seen.port) }, rule: r.source, profile: "observed", pat: true, kept: seen.port === w.srcPorts[0]!.lo };
    }
    if (st.pinned) notes.push(`no observed translation for ${formatIp(w.src)}:${w.srcPorts[0]!.lo}: the port is simulated`);
    let table = st.tables.get(setup);
    if (!table) {
      table = new PatTable(setup.profile, setup.globals, { roundRobin: setup.roundRobin });
      for (const s of staticReservations(d, setup)) table.reserve(s.protocol, s.ip, s.port);
      st.tables.set(setup, table);
    }
    const t = table.allocate({ protocol: w.protocol, insideIp: w.src, insidePort: w.srcPorts[0]!.lo, dstIp: w.dst, dstPort: w.dstPorts[0]!.lo });
    if (!t) return "exhausted";
    return { field: "src", before: { ip: w.src, ports: w.srcPorts }, after: { ip: t.ip, ports: portCount(w.srcPorts) > 1 && t.kept ? w.srcPorts : t.ports }, rule: r.source, profile: setup.profile.id, pat: true, kept: t.kept };
  }
  return undefined;
}

function apply(w: WirePacket, n: HopNat): WirePacket {
  return n.field === "src"
    ? { ...w, src: n.after.ip, srcPorts: n.after.ports, translated: w.translated || n.pat }
    : { ...w, dst: n.after.ip, dstPorts: n.after.ports };
}

/**
 * The packet a dropped session would leave with, to follow it further (what the devices after
 * this one would do once this drop is fixed): only when this device would not have given it a
 * PAT port (a translation a dropped packet never creates, and later clients' ports depend on).
 */
function wouldLeave(st: ConfigHopState, ingress: Interface | undefined, egress: Interface, w: WirePacket, nats: HopNat[]): WirePacket | undefined {
  const d = st.device;
  if (d.vendor === "ios" && !(ingress?.natRole === "inside" && egress.natRole === "outside")) return w;
  const p = toPacket(w);
  for (const r of d.vendor === "ios" ? [...d.natRules.filter((x) => x.type === "static"), ...d.natRules.filter((x) => x.type !== "static")] : d.natRules) {
    if (d.vendor === "asa" && !asaSides(r, ingress, egress)) continue;
    if (r.type === "static") {
      if (!r.match.realAddrs || !inAddrSet(r.match.realAddrs, w.src)) continue;
      if (r.match.protocol !== undefined && (r.match.protocol !== w.protocol || single(w.srcPorts) !== r.match.realPort)) continue;
      const n = sourceNat(st, ingress, egress, w, []);
      if (n && n !== "exhausted") {
        nats.push(n);
        return apply(w, n);
      }
      return undefined;
    }
    if (natSelects(d, r, p) !== false) return undefined;
  }
  return w;
}

/** The interface the device uses toward `ip`, by the hop's override or routing. */
function facing(st: ConfigHopState, name: string | undefined, ip: number): { iface?: Interface; why?: string } {
  if (name !== undefined) {
    const i = findInterface(st.device, name);
    return i ? { iface: i, why: `named in the path file` } : { why: `interface ${name} is not in ${st.device.file}` };
  }
  const r = routeTo(st.device, ip);
  return r ? { iface: r.iface, why: r.why } : { why: `no route to ${formatIp(ip)}` };
}

function label(d: Device): string {
  return d.hostname ?? d.file;
}

/** The session's way out through a config hop. */
export function configForward(st: ConfigHopState, sets: AclSets, hop: number, w: WirePacket): HopResult {
  const d = st.device;
  const notes: string[] = [];
  const ing = facing(st, st.in, w.src);
  const ingress = ing.iface;
  if (!ingress) notes.push(`the interface the session arrives on is unknown (${ing.why}): no input ACL`);
  const base = { hop, device: label(d), file: d.file, arrives: w, notes, ...(ingress ? { in: ifName(ingress) } : {}) };
  const own = st.out === undefined ? ownerOf(d, w.dst) : undefined;
  const nats: HopNat[] = [];
  const dnat = own ? undefined : staticDestination(st, ingress, w);
  if (dnat) nats.push(dnat);
  const realDst = dnat ? apply(w, dnat) : w;
  const eg = own ? {} : facing(st, st.out, realDst.dst);
  const egress = eg.iface;
  const cps: CheckpointVerdict[] = [];
  const stop = (c: CheckpointVerdict[]) => {
    cps.push(...c);
    return c.some((x) => x.action === "deny");
  };
  const result = (leaves: WirePacket | undefined, detail?: string): HopResult => {
    const denied = cps.some((c) => c.action === "deny");
    return { ...base, ...(egress ? { out: ifName(egress) } : {}), ...(leaves ? { leaves } : {}), nat: nats, checkpoints: cps, verdict: denied || detail ? "drop" : "permit", ...(detail ? { detail } : {}), reached: true, ...(own ? { toDevice: true } : {}) };
  };
  if (own) {
    notes.push(`${formatIp(w.dst)} is ${label(d)}'s own address (${ifName(own)}): the session ends here`);
    if (d.vendor === "ios") {
      if (ingress) stop(check(st, sets, ingress, "in", w));
    } else {
      const cp = ingress?.accessGroups.find((g) => g.direction === "in" && g.controlPlane);
      if (cp && ingress) {
        const c = evalCheckpoint(d, sets, { ...ingress, accessGroups: [{ ...cp, controlPlane: false }] }, "in", toPacket(w), w.translated ? "translated" : "real", portSetOf(w));
        if (c) stop([c]);
      } else notes.push("traffic to the ASA itself is not filtered by interface ACLs (only a control-plane ACL would apply)");
    }
    return result(undefined);
  }
  if (!egress) return result(undefined, `${eg.why} on ${label(d)}`);
  if (d.vendor === "ios") {
    if (ingress && stop(check(st, sets, ingress, "in", w))) return result(wouldLeave(st, ingress, egress, realDst, nats));
    let out = realDst;
    const snat = sourceNat(st, ingress, egress, realDst, notes);
    if (snat === "exhausted") return result(undefined, `PAT exhausted on ${label(d)}: no free port on any global address`);
    if (snat) {
      nats.push(snat);
      out = apply(out, snat);
    }
    stop(check(st, sets, egress, "out", out));
    return result(out);
  }
  // ASA: both ACLs match the real packet (source before, destination after translation)
  if (ingress && stop(check(st, sets, ingress, "in", realDst))) return result(wouldLeave(st, ingress, egress, realDst, nats));
  if (stop(check(st, sets, egress, "out", realDst))) return result(wouldLeave(st, ingress, egress, realDst, nats));
  const snat = sourceNat(st, ingress, egress, realDst, notes);
  if (snat === "exhausted") return result(undefined, `PAT exhausted on ${label(d)}: no free port on any global address`);
  let out = realDst;
  if (snat) {
    nats.push(snat);
    out = apply(out, snat);
  }
  return result(out);
}

/** Undo a hop's translations on a reply (in reverse order); `translated`: the reply's port is still a translated one after this hop. */
export function undoNat(w: WirePacket, nats: readonly HopNat[], translated: boolean): WirePacket {
  let r = w;
  for (const n of [...nats].reverse()) {
    if (n.field === "src" && r.dst === n.after.ip) r = { ...r, dst: n.before.ip, dstPorts: n.before.ports };
    else if (n.field === "dst" && r.src === n.after.ip) r = { ...r, src: n.before.ip, srcPorts: n.before.ports };
  }
  return { ...r, translated };
}

/** The reply's way back through a config hop that the session crossed as `fwd`. */
export function configReturn(st: ConfigHopState, sets: AclSets, fwd: HopResult, w: WirePacket, reached: boolean): HopResult {
  const d = st.device;
  const notes: string[] = [];
  const cps: CheckpointVerdict[] = [];
  const base = { hop: fwd.hop, device: fwd.device, file: d.file, arrives: w, nat: fwd.nat, notes, reached, ...(fwd.out ? { in: fwd.out } : {}), ...(fwd.in ? { out: fwd.in } : {}) };
  if (fwd.toDevice) {
    notes.push(d.vendor === "ios" ? "the router's own reply: output ACLs do not filter traffic the router originates" : "the ASA's own reply: not filtered by interface ACLs");
    return { ...base, leaves: w, checkpoints: cps, verdict: "permit", toDevice: true };
  }
  const ingress = fwd.out ? findInterface(d, fwd.out) : undefined;
  const egress = fwd.in ? findInterface(d, fwd.in) : undefined;
  const back = undoNat(w, fwd.nat, fwd.arrives.translated);
  if (d.vendor === "ios") {
    if (ingress) cps.push(...check(st, sets, ingress, "in", w));
    if (!cps.some((c) => c.action === "deny") && egress) cps.push(...check(st, sets, egress, "out", back));
  } else notes.push("stateful: the reply of a permitted connection is not checked (ASA configuration guide, Access Rules for Returning Traffic)");
  const denied = cps.some((c) => c.action === "deny");
  return { ...base, leaves: back, checkpoints: cps, verdict: denied ? "drop" : "permit" };
}
