/**
 * Following one simulated session through a device in its vendor's order of operations, with the
 * stateful features that open its replies (./stateful.ts).
 *
 * IOS (Cisco "NAT Order of Operation", doc 6209; Cisco Router Firewall Security, table 12-1):
 * outbound, the inside interface's `in` ACL sees the real source, then NAT inside→outside, then
 * the outside interface's `out` ACL sees the translated source, then inspection (CBAC, and the
 * zone-based firewall between the two interfaces' zones); return, the outside interface's `in` ACL
 * sees the translated destination before un-NAT, then the inside interface's `out` ACL sees the
 * real destination. Interface ACLs are stateless: replies are checked, except where CBAC or a
 * reflexive ACL put temporary entries for them.
 *
 * ASA 8.3+ (ASA 8.3 migration guide: "real IP addresses in access lists"; ASA configuration
 * guide, "Access Rules for Returning Traffic"): interface ACLs match real addresses and ports
 * (before NAT on the way out), and return traffic of a permitted connection is not checked.
 */
import { ifName } from "../model/device.js";
import { packet, type Acl, type Device, type Interface, type Packet } from "../model/types.js";
import type { AclSets } from "../acl/sets.js";
import type { Translation } from "../nat/pat.js";
import type { PatSetup } from "../nat/setup.js";
import { evaluateNear } from "../acl/restrict.js";
import { asaInbound, evalCheckpoint, verdictOf, type CheckpointVerdict, type SessionVerdict } from "./checkpoints.js";
import { cbacFor, evaluatePositions, reflectName, zbfDecide, type FeatureRef, type ZbfDecision } from "./stateful.js";
import { wirePorts, type PatSession } from "./sessions.js";

export interface SessionTrace {
  client: number;
  flow: string;
  direction: "outbound" | "return";
  inside: { ip: number; port: number };
  translated: Translation | undefined;
  peer: { ip: number; port: number };
  checkpoints: CheckpointVerdict[];
  /** `conditional`: a stateful feature's effect on it is not decided by the config (`detail` says why); no error is raised on it. */
  verdict: SessionVerdict;
  /** Why: "PAT exhausted", "drop for 2 of 511 ports", the reason of a conditional verdict, … */
  detail?: string;
  /** A flow carried inside another (L2TP in NAT-T): its packets, and so its verdicts, are the carrier's. */
  carriedIn?: { flow: string; port: number };
}

/** A reflexive entry the outbound packet created (or would create once permitted). */
interface Reflection {
  name: string;
  sees: "real" | "translated";
  ref: FeatureRef;
  /** The outbound packet is dropped: the entry exists only once it gets through. */
  pending: boolean;
}

/** The zone-pair checkpoint of a session between two interfaces. */
function zoneCheckpoint(z: ZbfDecision, at: Interface, direction: "in" | "out", p: Packet, sees: "real" | "translated"): CheckpointVerdict {
  return {
    interface: ifName(at),
    direction,
    acl: z.pair ? `zone-pair ${z.pair}` : "zone-based firewall",
    action: z.action === "drop" ? "deny" : "permit",
    defined: true,
    sees,
    packet: p,
    kind: "zone-pair",
    feature: z.ref,
    ...(z.action === "conditional" ? { conditional: z.reason ?? z.ref.what } : {}),
  };
}

/** The reflexive entries of the outbound checkpoints that decided with a `reflect` line (or would, with the real port). */
function reflections(device: Device, out: readonly CheckpointVerdict[], realPort: number): Reflection[] {
  const found: Reflection[] = [];
  for (const c of out) {
    if (c.kind === "zone-pair" || !c.defined) continue;
    const acl = device.acls.get(c.acl);
    if (!acl) continue;
    const mk = (name: string, line: { source: FeatureRef["source"] }, pending: boolean): Reflection => ({
      name,
      sees: c.sees,
      pending,
      ref: { name: "reflexive ACL", source: line.source, what: `reflect ${name} (${acl.name} line ${line.source.line})` },
    });
    const name = c.action === "permit" ? reflectName(device, acl, c.ace) : undefined;
    if (name && c.ace) found.push(mk(name, c.ace, false));
    else if (c.action === "deny" && c.sees === "translated") {
      // with the port the client really used, would a reflect line permit it? (then the entry appears once the outbound is fixed)
      const v = evaluateNear(acl, { ...c.packet, srcPort: realPort });
      const n = reflectName(device, acl, v.ace);
      if (n && v.ace) found.push(mk(n, v.ace, true));
    }
  }
  return found;
}

/** A return checkpoint with the temporary entries that stand in its ACL for this reply. */
function returnCheckpoint(
  device: Device,
  sets: AclSets | undefined,
  at: Interface,
  direction: "in" | "out",
  p: Packet,
  sees: "real" | "translated",
  portSet: { field: "dstPort"; ports: Translation["ports"] } | undefined,
  state: { cbac: ReturnType<typeof cbacFor>; refl: readonly Reflection[]; zbfInspected: FeatureRef | undefined },
): CheckpointVerdict | undefined {
  const name = at.accessGroups.find((g) => g.direction === direction && !g.controlPlane)?.acl;
  const acl: Acl | undefined = name !== undefined ? device.acls.get(name) : undefined;
  const opening = state.cbac.opening?.opens.some((o) => o.iface === at && o.direction === direction) ? state.cbac.opening.ref : undefined;
  let temporary: { index: number; ref: FeatureRef } | undefined;
  let pending: Reflection | undefined;
  let standard = false;
  if (opening && acl) {
    // CBAC adds its entries to extended ACLs only (configuration guide: "must be an extended access list")
    if (acl.type === "extended") temporary = { index: 0, ref: opening };
    else standard = true;
  } else if (acl) {
    for (const ev of evaluatePositions(device, acl)) {
      const r = state.refl.find((x) => x.name === ev.name);
      if (!r) continue;
      // the entry mirrors the packet where it was reflected: it matches a reply seen the same way (both after NAT, or both before it)
      if (r.sees !== sees) continue;
      if (r.pending) pending ??= r;
      else temporary ??= { index: ev.index, ref: { ...r.ref, source: ev.source, what: `evaluate ${ev.name} (${acl.name} line ${ev.source.line}) with the entry ${r.ref.what} created` } };
    }
  }
  const c = evalCheckpoint(device, sets, at, direction, p, sees, portSet, temporary);
  if (!c || c.action === "permit") return c;
  const cond = (why: string): CheckpointVerdict => ({ ...c, conditional: why });
  if (standard && opening) return cond(`${opening.what}: CBAC adds its temporary entries to extended ACLs only, and ${c.acl} is a standard ACL`);
  if (state.cbac.conditional && !opening) return cond(state.cbac.conditional.reason);
  if (pending) return cond(`${pending.ref.what} creates the entry for this reply once the outbound session is permitted`);
  if (state.zbfInspected && !temporary)
    return cond(`the zone-based firewall inspects this session (${state.zbfInspected.what}) and permits its replies, but ${c.acl} on ${c.interface} ${direction} denies them; whether the interface ACL still filters the replies of an inspected session is not documented for this case`);
  return c;
}

/** Follow every session through the device in its vendor's order of operations. */
export function traceSessions(device: Device, setup: PatSetup, sessions: PatSession[], sets?: AclSets): SessionTrace[] {
  const traces: SessionTrace[] = [];
  const ios = device.vendor === "ios";
  for (const s of sessions) {
    const t = s.translated;
    const wire = wirePorts(s);
    const real = packet({ protocol: s.protocol, src: s.inside.ip, dst: s.peer.ip, srcPort: wire.inside, dstPort: wire.peer });
    const out: CheckpointVerdict[] = [];
    const add = (list: CheckpointVerdict[], c: CheckpointVerdict | undefined) => {
      if (c) list.push(c);
      return !c || (c.action === "permit" && c.conditional === undefined);
    };
    const carried = s.carriedIn ? { carriedIn: s.carriedIn } : {};
    const base = { client: s.client, flow: s.flow, inside: s.inside, translated: t, peer: s.peer, ...carried };
    // Outbound.
    let ok = true;
    if (setup.insideIf) {
      if (ios) ok = add(out, evalCheckpoint(device, sets, setup.insideIf, "in", real, "real"));
      else for (const c of asaInbound(device, sets, setup.insideIf, real)) ok = add(out, c);
    }
    const xp = t ? { ...real, src: t.ip, srcPort: t.port ?? t.ports[0]!.lo } : real;
    const xSet = t ? { field: "srcPort" as const, ports: t.ports } : undefined;
    if (ok && t && setup.outsideIf) {
      if (ios) ok = add(out, evalCheckpoint(device, sets, setup.outsideIf, "out", xp, "translated", xSet));
      else ok = add(out, evalCheckpoint(device, sets, setup.outsideIf, "out", real, "real"));
    }
    let zOut: ZbfDecision | undefined;
    if (ios && t && setup.insideIf && setup.outsideIf) {
      zOut = zbfDecide(device, sets, setup.insideIf, setup.outsideIf, [{ packet: real }, { packet: xp, ...(xSet ? { portSet: xSet } : {}) }], wire.peer);
      if (zOut && ok) add(out, zoneCheckpoint(zOut, setup.outsideIf, "out", xp, "translated"));
    }
    let v = t ? verdictOf(out) : { verdict: "drop" as const, detail: "PAT exhausted: no free port on any global address" };
    traces.push({ ...base, direction: "outbound", checkpoints: out, ...v });

    // Return: only IOS checks replies (stateless ACLs, opened by CBAC or reflexive entries); the ASA passes them by connection state.
    const back: CheckpointVerdict[] = [];
    if (t && ios && zOut?.action === "drop") {
      // the zone-based firewall drops the session itself: there is no reply to check
      traces.push({ ...base, direction: "return", checkpoints: back, verdict: "drop", detail: `no session: the zone-based firewall drops it on the way out (${zOut.ref.what})` });
      continue;
    }
    if (t && ios) {
      const state = {
        cbac: cbacFor(device, setup.insideIf, setup.outsideIf, wire.peer),
        refl: reflections(device, out, wire.inside),
        zbfInspected: zOut?.how === "inspect" ? zOut.ref : undefined,
      };
      const xr = packet({ protocol: s.protocol, src: s.peer.ip, dst: t.ip, srcPort: wire.peer, dstPort: t.port ?? t.ports[0]!.lo });
      const rr = packet({ protocol: s.protocol, src: s.peer.ip, dst: s.inside.ip, srcPort: wire.peer, dstPort: wire.inside });
      const rSet = { field: "dstPort" as const, ports: t.ports };
      ok = setup.outsideIf ? add(back, returnCheckpoint(device, sets, setup.outsideIf, "in", xr, "translated", rSet, state)) : true;
      if (ok && zOut && setup.insideIf && setup.outsideIf) {
        // inspect: the replies of the inspected session pass; pass or none: the reverse zone-pair decides them as new traffic
        const zBack: ZbfDecision | undefined =
          zOut.how === "inspect" || zOut.how === "same-zone"
            ? { ...zOut, action: "permit" }
            : zbfDecide(device, sets, setup.outsideIf, setup.insideIf, [{ packet: xr, portSet: rSet }, { packet: rr }], wire.inside);
        if (zBack) ok = add(back, zoneCheckpoint(zBack, setup.outsideIf, "in", xr, "translated"));
      }
      if (ok && setup.insideIf) add(back, returnCheckpoint(device, sets, setup.insideIf, "out", rr, "real", undefined, state));
    }
    v = t ? verdictOf(back) : { verdict: "drop" as const, detail: "PAT exhausted: no translation" };
    traces.push({ ...base, direction: "return", checkpoints: back, ...v });
  }
  return traces;
}
