/**
 * Sessions across devices: N clients open IKE and NAT-T (and L2TP inside NAT-T) to one peer, and
 * every hop of the path applies its NAT and ACLs in its own order of operations (config hops:
 * ./path-config.ts; nat hops: a PAT by profile). Ports the NATs pick are carried as sets, so each
 * checkpoint's verdict is exact over every port a random PAT may have picked. Each direction is
 * judged on its own: the reply is followed back along the path as if the outbound got through
 * (stateful devices pass it by their rules, stateless ACLs check it), so one run shows every line
 * that stands in the way; hops after the first drop are marked `reached: false`.
 *
 * IKE and NAT-T (RFC 3947 §3.2 and §4, RFC 7296 §2.23, RFC 3948 §2.3 and §4): IKE starts on
 * udp/500; NAT-D payloads reveal a NAT on the way, and both ends move to udp/4500 (IKEv1 from main
 * mode message 5, IKEv2 from IKE_AUTH; an IKEv2 initiator may start on 4500), where ESP is
 * UDP-encapsulated and one-octet NAT keepalives (every 20 s by default) keep the NAT's mapping
 * alive on the same ports. L2TP/IPsec (RFC 3193) carries udp/1701 inside that flow.
 */
import { formatIp } from "../model/addr.js";
import { PROTO } from "../model/ports.js";
import type { PortSet } from "../model/types.js";
import type { AclSets } from "../acl/sets.js";
import { PatTable } from "../nat/pat.js";
import { natSetup } from "../nat/setup.js";
import { configForward, configHopState, configReturn, undoNat, type ConfigHopState } from "./path-config.js";
import type { HopNat, HopResult, NatHop, PathHop, PathSession, PathSimulation, PathSimulationInput, WirePacket } from "./path-types.js";
import { verdictOf } from "./checkpoints.js";

const one = (p: number): PortSet => [{ lo: p, hi: p }];

type HopState = { kind: "config"; st: ConfigHopState } | { kind: "nat"; hop: NatHop; table: PatTable };

function natForward(h: Extract<HopState, { kind: "nat" }>, index: number, w: WirePacket): HopResult {
  const { hop } = h;
  const base = { hop: index, device: hop.label, arrives: w, reached: true, checkpoints: [], notes: [] as string[] };
  if (hop.inside && !hop.inside.some((r) => w.src >= r.start && w.src <= r.end)) {
    base.notes.push(`${formatIp(w.src)} is not inside this NAT: not translated`);
    return { ...base, leaves: w, nat: [], verdict: "permit" };
  }
  const seen = hop.fixed?.get(`${w.src}:${w.srcPorts[0]!.lo}`);
  if (hop.fixed) {
    if (!seen) return { ...base, leaves: w, nat: [], verdict: "permit" };
    const n: HopNat = { field: "src", before: { ip: w.src, ports: w.srcPorts }, after: { ip: seen.ip, ports: one(seen.port) }, profile: "observed", pat: true, kept: seen.port === w.srcPorts[0]!.lo };
    return { ...base, leaves: { ...w, src: seen.ip, srcPorts: one(seen.port), translated: true }, nat: [n], verdict: "permit" };
  }
  const t = h.table.allocate({ protocol: w.protocol, insideIp: w.src, insidePort: w.srcPorts[0]!.lo, dstIp: w.dst, dstPort: w.dstPorts[0]!.lo });
  if (!t) return { ...base, nat: [], verdict: "drop", detail: `PAT exhausted on ${hop.label}: no free port` };
  const set = w.srcPorts.length > 1 || w.srcPorts[0]!.lo !== w.srcPorts[0]!.hi;
  const n: HopNat = { field: "src", before: { ip: w.src, ports: w.srcPorts }, after: { ip: t.ip, ports: set && t.kept ? w.srcPorts : t.ports }, profile: hop.profile.id, pat: true, kept: t.kept };
  return { ...base, leaves: { ...w, src: n.after.ip, srcPorts: n.after.ports, translated: true }, nat: [n], verdict: "permit" };
}

export interface PathOptions {
  sets: AclSets;
  /** PAT profile for every config hop's PAT rules (`--profile`); default: chosen from each config. */
  profile?: string;
  /** Observed translations per hop index (from `show` output): the ports the device chose. */
  pinned?: ReadonlyMap<number, ReadonlyMap<string, { ip: number; port: number }>>;
}

function states(hops: readonly PathHop[], opts: PathOptions): HopState[] {
  return hops.map((h, i) =>
    h.kind === "config"
      ? { kind: "config" as const, st: configHopState(h.device, natSetup(h.device, opts.profile), { ...(h.in !== undefined ? { in: h.in } : {}), ...(h.out !== undefined ? { out: h.out } : {}) }, opts.pinned?.get(i)) }
      : { kind: "nat" as const, hop: h, table: new PatTable(h.profile, [h.global]) },
  );
}

/** The first hop that drops a direction, with its deny. */
function firstDrop(hops: readonly HopResult[]): PathSession["droppedAt"] {
  const h = hops.find((x) => x.reached && x.verdict === "drop");
  if (!h) return undefined;
  const cp = h.checkpoints.find((c) => c.action === "deny");
  return { hop: h.hop, ...(cp ? { checkpoint: cp } : {}), ...(h.detail ? { detail: h.detail } : cp ? { detail: verdictOf([cp]).detail! } : {}) };
}

function outbound(hs: HopState[], sets: AclSets, w0: WirePacket): HopResult[] {
  const out: HopResult[] = [];
  let w: WirePacket | undefined = w0;
  let reached = true;
  for (let i = 0; i < hs.length && w; i++) {
    const h = hs[i]!;
    const r: HopResult = h.kind === "config" ? configForward(h.st, sets, i, w) : natForward(h, i, w);
    out.push({ ...r, reached });
    if (r.verdict === "drop") reached = false;
    if (r.toDevice) break;
    w = r.leaves;
  }
  return out;
}

function replyTo(fwd: readonly HopResult[]): WirePacket | undefined {
  const last = fwd[fwd.length - 1];
  if (!last) return undefined;
  const p = last.toDevice ? last.arrives : last.leaves;
  if (!p) return undefined;
  return { protocol: p.protocol, src: p.dst, srcPorts: p.dstPorts, dst: p.src, dstPorts: p.srcPorts, translated: p.translated };
}

function inbound(hs: HopState[], sets: AclSets, fwd: readonly HopResult[], r0: WirePacket): HopResult[] {
  const out: HopResult[] = [];
  let w = r0;
  let reached = true;
  for (let i = fwd.length - 1; i >= 0; i--) {
    const f = fwd[i]!;
    const h = hs[i]!;
    // the reply's destination port is translated where the outbound's source port was
    w = { ...w, translated: (f.toDevice ? f.arrives : (f.leaves ?? f.arrives)).translated };
    const r: HopResult =
      h.kind === "config"
        ? configReturn(h.st, sets, f, w, reached)
        : { hop: i, device: h.hop.label, arrives: w, leaves: undoNat(w, f.nat, f.arrives.translated), nat: f.nat, checkpoints: [], verdict: "permit", reached, notes: [] };
    out.push(r);
    if (r.verdict === "drop") reached = false;
    w = r.leaves ?? undoNat(w, f.nat, f.arrives.translated);
  }
  return out;
}

const FLOW_UDP = PROTO.UDP;

/** Why L2TP has no packets of its own on the path. */
export const L2TP_PATH_NOTE =
  "L2TP (udp/1701) travels inside the IPsec NAT-T flow (L2TP/IPsec, RFC 3193: ESP in udp/4500 behind a NAT, RFC 3948): no NAT or ACL on the path sees udp/1701, so its translations and verdicts are those of the client's NAT-T session";

/** Follow every client's sessions along the path (see the file comment). */
export function simulatePath(input: PathSimulationInput, opts: PathOptions): PathSimulation {
  const hs = states(input.hops, opts);
  const sessions: PathSession[] = [];
  input.clients.forEach((ip, ci) => {
    // one traversal per wire port: L2TP shares its carrier's (NAT-T's) packets and translations
    const byPort = new Map<number, { fwd: HopResult[]; back: HopResult[] }>();
    const run = (port: number) => {
      let r = byPort.get(port);
      if (!r) {
        const w0: WirePacket = { protocol: FLOW_UDP, src: ip, srcPorts: one(port), dst: input.peer, dstPorts: one(port), translated: false };
        const fwd = outbound(hs, opts.sets, w0);
        const reply = replyTo(fwd);
        const back = reply ? inbound(hs, opts.sets, fwd, reply) : [];
        byPort.set(port, (r = { fwd, back }));
      }
      return r;
    };
    for (const f of input.flows) {
      const wire = f.carrier ?? f;
      const { fwd, back } = run(wire.port);
      const base = {
        client: ci + 1,
        flow: f.name,
        inside: { ip, port: f.port },
        peer: { ip: input.peer, port: f.port },
        ...(f.carrier ? { carriedIn: { flow: f.carrier.name, port: f.carrier.port } } : {}),
        ...(input.remoteNat ? { remoteNat: input.remoteNat } : {}),
      };
      const d1 = firstDrop(fwd);
      sessions.push({ ...base, direction: "outbound", hops: fwd, verdict: d1 ? "drop" : "permit", ...(d1 ? { droppedAt: d1 } : {}) });
      const last = fwd[fwd.length - 1];
      const d2 = back.length ? firstDrop(back) : { hop: last?.hop ?? 0, ...(last ? { at: { device: last.device, ...(last.file ? { file: last.file } : {}) } } : {}), detail: "no reply: the outbound is dropped before this device translates it, so nothing answers" };
      sessions.push({ ...base, direction: "return", hops: back, verdict: d2 ? "drop" : "permit", ...(d2 ? { droppedAt: d2 } : {}) });
    }
  });
  return { sessions, notes: pathNotes(input, sessions) };
}

function pathNotes(input: PathSimulationInput, sessions: readonly PathSession[]): string[] {
  const notes: string[] = [];
  const natHops = input.hops.flatMap((h, i) => (h.kind === "nat" ? [`hop ${i + 1} (${h.label}${h.fixed ? "" : `, profile ${h.profile.id}`})`] : []));
  const configNat = sessions.some((s) => s.hops.some((h) => h.nat.some((n: HopNat) => n.pat && h.file !== undefined)));
  if (natHops.length || configNat) {
    notes.push(
      `a NAT is on the path (${input.remoteNat ? "the remote NAT" : [...natHops, ...(configNat ? ["a PAT on a config hop"] : [])].join(", ")}): IKE starts on udp/500, NAT detection (NAT-D payloads, RFC 3947 §3.2; RFC 7296 §2.23) finds it and both ends move to udp/4500 (IKEv1 from main mode message 5, RFC 3947 §4; IKEv2 from IKE_AUTH, and an IKEv2 initiator may start on 4500), where ESP travels UDP-encapsulated (RFC 3948); NAT keepalives (one octet, every 20 s by default, RFC 3948 §2.3 and §4) use the NAT-T session's ports, so its verdicts are theirs`,
    );
  } else notes.push("no NAT on the path: IKE stays on udp/500 and ESP (IP protocol 50) carries the traffic; NAT-T (udp/4500) sessions would not occur");
  for (const h of input.hops) if (h.kind === "nat" && !h.fixed) for (const a of h.profile.assumptions) if (!notes.includes(a)) notes.push(a);
  if (input.flows.some((f) => f.carrier)) notes.push(L2TP_PATH_NOTE);
  input.hops.forEach((h, i) => {
    if (h.kind !== "config" || !h.device.routesUnread?.length) return;
    const lines = h.device.routesUnread.map((s) => s.line).join(", ");
    notes.push(`hop ${i + 1} (${h.device.file}): route line${h.device.routesUnread.length === 1 ? "" : "s"} ${lines} not read (VRF, a next hop learnt at run time, or another form): the interfaces are chosen without ${h.device.routesUnread.length === 1 ? "it" : "them"}; name "in"/"out" in the path file if they matter`);
  });
  return notes;
}
