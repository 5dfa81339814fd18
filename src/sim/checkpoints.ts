/**
 * One ACL checkpoint on a session's way through a device: which ACL an interface applies in a
 * direction, and what it decides for the packet — exactly, over every port when the PAT may have
 * picked any of a set of ports.
 */
import { portCount } from "../model/ports.js";
import { boundAcl, ifName } from "../model/device.js";
import type { Ace, Acl, Device, Interface, Packet, PortSet, SourceRef } from "../model/types.js";
import type { Field, HeaderSpace, PSet } from "../headerspace/index.js";
import { evaluateIn, evaluateNear, restricted, type Cube } from "../acl/restrict.js";
import type { AclSets } from "../acl/sets.js";
import type { FeatureRef } from "./stateful.js";

export interface CheckpointVerdict {
  interface: string;
  direction: "in" | "out";
  acl: string;
  action: "permit" | "deny";
  /** The deciding line; undefined for the implicit deny or an undefined ACL. */
  ace?: Ace;
  /** The ACL exists (an interface that applies an undefined ACL passes everything on IOS). */
  defined: boolean;
  /** What this checkpoint sees: "real" or "translated" addresses/ports. */
  sees: "real" | "translated";
  packet: Packet;
  /** For a translated port *set*: how many of the possible ports are denied, and by which lines (undefined: the implicit deny). */
  portsDenied?: number;
  portsTotal?: number;
  deniedBy?: Array<{ ace: Ace | undefined; count: number }>;
  /** The ACE carries a time-range: the verdict holds only while the time-range is active. */
  timeRange?: string;
  /** ASA global ACL: the interface ACL this packet fell through (none of its lines matched). */
  fallThroughFrom?: string;
  /**
   * A stateful feature decided here: its temporary entries permitted the reply (CBAC, reflexive
   * ACL) instead of the ACL's own lines, or this checkpoint is the feature itself (`kind`
   * "zone-pair": the zone-based firewall between two interfaces).
   */
  feature?: FeatureRef;
  /** What the ACL's own lines decide, when a feature decided instead. */
  aclAction?: "permit" | "deny";
  aclAce?: Ace;
  /** "acl" (default) or "zone-pair": a zone-based firewall checkpoint, not an ACL. */
  kind?: "acl" | "zone-pair";
  /** The effect of a feature here cannot be decided exactly: why (the session's verdict is conditional). */
  conditional?: string;
}

/** Source line of the checkpoint's deciding line (or of the feature that decided); null for the implicit deny or an undefined ACL. */
export function checkpointLine(c: CheckpointVerdict): number | null {
  return c.feature ? c.feature.source.line : c.ace ? c.ace.source.line : null;
}

/** The set of packets equal to `p` in every field but `field`, which ranges over `ports`. */
export function packetSpace(hs: HeaderSpace, p: Packet, field: "srcPort" | "dstPort", ports: PortSet): PSet {
  let s = hs.portSet(field, ports);
  const fixed: Array<[Field, number]> = [
    ["family", p.v6 ? 1 : 0],
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

const temporaries = new WeakMap<SourceRef, Ace>();
/** A synthetic line standing for a feature's temporary entries: it matches every packet it is asked about (the session's own replies). One per feature line. */
export function temporaryEntry(source: SourceRef): Ace {
  let a = temporaries.get(source);
  if (!a) temporaries.set(source, (a = { action: "permit", match: { src: [{ addr: 0, wildcard: 0xffffffff }], dst: [{ addr: 0, wildcard: 0xffffffff }], services: [{ protocol: null }] }, source }));
  return a;
}

const inserted = new WeakMap<Acl, Map<string, Acl>>();
/** `acl` with `ace` inserted before entry `index` (memoised, so its compiled form is reused). */
export function withEntry(acl: Acl, index: number, ace: Ace): Acl {
  let m = inserted.get(acl);
  if (!m) inserted.set(acl, (m = new Map()));
  const key = `${index}:${ace.source.line}`;
  let a = m.get(key);
  if (!a) m.set(key, (a = { ...acl, entries: [...acl.entries.slice(0, index), ace, ...acl.entries.slice(index)] }));
  return a;
}

/** Where a checkpoint sits: an interface, or the ASA global ACL. */
export type CheckpointAt = Interface | "global";

/** Evaluate one checkpoint for a packet whose port field `portSet.field` ranges over `portSet.ports`. */
export function evalCheckpoint(
  device: Device,
  sets: AclSets | undefined,
  at: CheckpointAt,
  direction: "in" | "out",
  p: Packet,
  sees: "real" | "translated",
  portSet?: { field: "srcPort" | "dstPort"; ports: PortSet },
  /** A feature's temporary entries (CBAC, reflexive ACL) for this reply, standing before entry `index`. */
  temporary?: { index: number; ref: FeatureRef },
): CheckpointVerdict | undefined {
  const name = at === "global" ? device.globalAcl?.acl : boundAcl(at, direction);
  if (name === undefined) return undefined;
  const defined = device.acls.get(name);
  if (defined && temporary) {
    const tmp = temporaryEntry(temporary.ref.source);
    const v = evalAcl(device, sets, at, direction, p, sees, portSet, name, withEntry(defined, temporary.index, tmp));
    if (v.ace !== tmp) return v;
    const own = evalAcl(device, sets, at, direction, p, sees, portSet, name, defined);
    const { ace: _t, ...rest } = v;
    return { ...rest, feature: temporary.ref, aclAction: own.action, ...(own.ace ? { aclAce: own.ace } : {}) };
  }
  return evalAcl(device, sets, at, direction, p, sees, portSet, name, defined);
}

function evalAcl(
  device: Device,
  sets: AclSets | undefined,
  at: CheckpointAt,
  direction: "in" | "out",
  p: Packet,
  sees: "real" | "translated",
  portSet: { field: "srcPort" | "dstPort"; ports: PortSet } | undefined,
  name: string,
  acl: Acl | undefined,
): CheckpointVerdict {
  const base = { interface: at === "global" ? "global" : ifName(at), direction, acl: name, sees, packet: p } as const;
  if (!acl) return { ...base, action: "permit", defined: false };
  if (portSet && sets && portCount(portSet.ports) > 1) {
    // Exact verdict over every port the PAT may pick: reason about ranges, not one example port.
    // Of the ACL restricted to the packet's protocol and other port (src/acl/restrict.ts): the space
    // below lies there, and only the lines that can touch it are compiled and walked.
    const hs = sets.hs;
    const other = portSet.field === "srcPort" ? "dstPort" : "srcPort";
    const cube: Cube = { protocol: p.protocol, [other]: [{ lo: p[other], hi: p[other] }], fragment: p.fragment ? 1 : 0 };
    const c = sets.compile(restricted(acl, cube).acl);
    // Every field pinned to the packet's value except the port, so a set's size is its port count.
    const space = packetSpace(hs, p, portSet.field, portSet.ports);
    const total = portCount(portSet.ports);
    const deniedBy: Array<{ ace: Ace | undefined; count: number }> = [];
    let denied = 0;
    let covered = hs.none;
    for (const l of c.lines) {
      const part = c.reachIn(l.index, space);
      if (hs.isEmpty(part)) continue;
      covered = hs.or(covered, part);
      if (l.ace.action === "deny") {
        const k = Number(hs.count(part));
        denied += k;
        deniedBy.push({ ace: l.ace, count: k });
      }
    }
    const rest = hs.diff(space, covered);
    if (!hs.isEmpty(rest)) {
      const k = Number(hs.count(rest));
      denied += k;
      deniedBy.push({ ace: undefined, count: k });
    }
    const decider = denied === 0 ? evaluateIn(acl, cube, p).ace : deniedBy[0]?.ace;
    return {
      ...base,
      action: denied === 0 ? "permit" : "deny",
      ...(decider ? { ace: decider } : {}),
      defined: true,
      portsDenied: denied,
      portsTotal: total,
      deniedBy,
    };
  }
  const v = evaluateNear(acl, p);
  return {
    ...base,
    action: v.action,
    ...(v.ace ? { ace: v.ace } : {}),
    ...(v.ace?.timeRange ? { timeRange: v.ace.timeRange } : {}),
    defined: true,
  };
}

/**
 * ASA inbound filtering (ASA configuration guide, "Access Rules": global rules are applied after
 * interface rules): the interface's `in` ACL first; a packet none of its lines matches falls
 * through to the global ACL (`access-group NAME global`), whose end carries the implicit deny.
 * Without a global ACL the interface ACL's implicit deny holds.
 */
export function asaInbound(device: Device, sets: AclSets | undefined, i: Interface, p: Packet): CheckpointVerdict[] {
  const own = evalCheckpoint(device, sets, i, "in", p, "real");
  const fallsThrough = !own || (own.defined && own.ace === undefined);
  if (!device.globalAcl || !fallsThrough) return own ? [own] : [];
  const g = evalCheckpoint(device, sets, "global", "in", p, "real");
  if (!g) return own ? [own] : [];
  return [own ? { ...g, fallThroughFrom: `${own.acl} on ${own.interface} (no line matched)` } : g];
}

export type SessionVerdict = "permit" | "drop" | "conditional";

/** A session's verdict from its checkpoints, in order: the first deny drops it; a checkpoint before it whose effect is not decided makes it conditional. */
export function verdictOf(cps: readonly CheckpointVerdict[]): { verdict: SessionVerdict; detail?: string } {
  for (const c of cps) {
    if (c.conditional !== undefined) return { verdict: "conditional", detail: c.conditional };
    if (c.action !== "deny") continue;
    if (c.kind === "zone-pair") return { verdict: "drop", detail: `dropped by the zone-based firewall at ${c.interface} ${c.direction}: ${c.feature?.what ?? c.acl}` };
    if (c.portsTotal !== undefined && c.portsDenied !== undefined && c.portsDenied < c.portsTotal)
      return { verdict: "drop", detail: `drop for ${c.portsDenied} of ${c.portsTotal} ports at ${c.interface} ${c.direction}` };
    const line = checkpointLine(c);
    return { verdict: "drop", detail: `dropped by ${c.acl} ${line === null ? "(implicit deny)" : `line ${line}`} at ${c.interface} ${c.direction}` };
  }
  return { verdict: "permit" };
}
