/**
 * ipsec-source-port-pinned: an ACL line permits IKE/NAT-T only from source port 500/4500 (or
 * replies only to destination port 500/4500), and no line of the ACL permits the ports a PAT
 * may pick under any modelled platform (IKE from 500: 1–511 ∪ 1024–65535; NAT-T from 4500:
 * 1024–65535), so peers behind a PAT are dropped. Decided on exact packet sets, by the role of
 * the ACL where it is applied (./roles.ts): on a head-end the far end (remote peers) is the PAT
 * side, on this device's own PAT outside the PAT address is, and real-address ACLs (an ASA's, an
 * IOS inside interface's) see real ports only.
 *
 * Sources: Linux net/netfilter/nf_nat_core.c (random in 1–511 / 600–1023 / 1024–65535), Cisco ASA
 * configuration guides ("Information About Dynamic PAT"; `flat`), Cisco IOS (Cisco Press ICND2,
 * secondary); RFC 7296 §2.23: IKE messages may come from any port.
 */
import { PROTO, formatPorts, inPorts, portCount } from "../model/ports.js";
import { describeUdpPorts } from "../model/render.js";
import { formatPacket } from "../model/packet.js";
import type { Ace, Packet, PortSet, ServiceTerm } from "../model/types.js";
import { patPortsAnyPlatform } from "../nat/profiles.js";
import type { PSet } from "../headerspace/index.js";
import { evaluateNear, fragmentsByAddress, nearAcl, restriction, udpPortCubes, type Cube } from "../acl/restrict.js";
import { defineCheck, NO_OPTIONS } from "./define.js";
import { widenRemedy } from "./remedy.js";
import { asaToDeviceOnly, connectedSources, ownAddresses, placements, type Placement } from "./scope.js";
import { decidedBy, readableWitness } from "./witness.js";
import { roleFacts, roleParts, staticPeerSet, type RolePart } from "./roles.js";
import type { DeviceSimulation } from "../sim/device.js";

const FLOWS = [
  { port: 500, name: "IKE" },
  { port: 4500, name: "NAT-T" },
] as const;

/**
 * The line's udp term that matches port `q` to port `q` with at least one of the two ports
 * constrained, if any (a term leaving both open cannot be pinned): the model-level filter that keeps
 * the exact set queries to the few lines that matter.
 */
function pinnedTerm(ace: Ace, q: number): ServiceTerm | undefined {
  return ace.match.services.find(
    (t) =>
      (t.protocol === PROTO.UDP || t.protocol === null) &&
      (t.srcPorts !== undefined || t.dstPorts !== undefined) &&
      (t.srcPorts === undefined || inPorts(t.srcPorts, q)) &&
      (t.dstPorts === undefined || inPorts(t.dstPorts, q)),
  );
}

type Side = "src" | "dst";

/**
 * The packets of a question with the PAT side's ports (`x`), those of them the ACL denies (built on
 * first use), and for an IPv4 line those denied with the addresses, protocol and fragment bit of one
 * IPv4 packet of `x` (`deniedLike`: asked of the few lines filed under those addresses).
 */
interface Failing {
  x: PSet;
  denied: () => PSet;
  deniedLike?: (p: Packet) => PSet;
}

/**
 * On this device's PAT outside, do the simulated replies of flow `port` at this `in` placement need
 * no line of the ACL: none is denied there, and a stateful feature (CBAC or reflexive entries)
 * permits some or leaves them conditional? Then a line for them pins nobody.
 */
function statefulReplies(sims: readonly DeviceSimulation[], b: Placement, port: number): boolean {
  let seen = false;
  for (const sim of sims)
    for (const t of sim.traces) {
      if (t.direction !== "return" || t.carriedIn || t.inside.port !== port) continue;
      const c = t.checkpoints.find((x) => x.interface === (b.iface?.nameif ?? b.iface?.name) && x.direction === "in" && x.kind !== "zone-pair");
      if (!c) continue;
      if (c.action === "deny" && c.conditional === undefined) return false;
      if (c.feature !== undefined || c.conditional !== undefined) seen = true;
    }
  return seen;
}

export const check = defineCheck({
  id: "ipsec-source-port-pinned",
  needs: ["sets", "nat", "simulation"],
  optionsSchema: NO_OPTIONS,
  messages: {
    pinned:
      "{{acl}} permits {{what}}, and no line permits the ports a PAT may pick: {{who}} {{ports}}, e.g. {{packet}} is denied by {{by}}. " +
      "Only the first client behind each PAT address gets through. Fix: widen the PAT side's port match to the ports a PAT may pick",
  },
  run({ device, sets, nat, simulation }, _options, report) {
    const hs = sets.hs;
    const udp = hs.protocol(PROTO.UDP);
    const pat = nat.sides;
    const facts = roleFacts(device, nat);
    const notOwn = hs.diff(hs.all, hs.or(ownAddresses(device, hs, "src"), ownAddresses(device, hs, "dst")));
    let sims: DeviceSimulation[] | undefined;
    const whole = hs.and(udp, hs.field("fragment", 0, 0));
    for (const acl of device.acls.values()) {
      if (acl.type !== "extended") continue;
      const candidates = acl.entries.flatMap((e, index) => (e.action === "permit" && !e.inactive && FLOWS.some((f) => pinnedTerm(e, f.port)) ? [index] : []));
      if (candidates.length === 0) continue;
      const where = placements(device, acl.name);
      const connected = connectedSources(device, acl.name, hs);
      // The udp packets to (from) a flow's port, as cubes the set questions are asked of
      // (src/acl/restrict.ts). On IOS, a non-initial fragment is decided by its addresses only
      // unless a `fragments` line tests ports: the fragments of a pinned line's packets are then
      // permitted with whatever ports a PAT picks (the line itself permits them), so they never
      // fail and only whole packets are asked about. Otherwise, whole packets and fragments apart
      // (the ASA reassembles fragments before its ACLs and tests no fragment bit: one cube).
      const onlyWhole = fragmentsByAddress(acl);
      const u = onlyWhole ? whole : udp;
      const near = (fld: "srcPort" | "dstPort", port: number): Cube[] => udpPortCubes(acl.vendor, fld, port, onlyWhole);
      // Per flow, once per ACL: the exact IKE/NAT-T packets, and what the ACL permits of udp to the
      // flow's port (asked when the PAT side is the source) and from it (the destination), each of
      // the ACL restricted to that udp port: the failing packets below lie there.
      const spaces = new Map(
        FLOWS.map((f) => {
          const q = (fld: "srcPort" | "dstPort") => hs.field(fld, f.port, f.port);
          const to = nearAcl(sets, acl, ...near("dstPort", f.port));
          const from = nearAcl(sets, acl, ...near("srcPort", f.port));
          // each asked on first use (a side no candidate fails on is never built)
          const memo: Partial<Record<Side, PSet>> = {};
          const permitted = (side: Side): PSet => (memo[side] ??= side === "src" ? to.permitIn(hs.and(u, q("dstPort"))) : from.permitIn(hs.and(u, q("srcPort"))));
          return [f.port, { exact: hs.and(u, hs.and(q("srcPort"), q("dstPort"))), near: to, from, permitted }];
        }),
      );
      // The role parts of each placement, per flow (an ACL applied nowhere is judged as transit).
      const partsFor = new Map(
        FLOWS.map((f) => [
          f.port,
          where.length === 0
            ? [{ b: undefined, parts: [{ role: "transit", set: hs.all, nearField: "dst" } as RolePart] }]
            : where.map((b) => ({ b, parts: roleParts(device, nat, facts, hs, b, f.port) })),
        ]),
      );
      for (const index of candidates) {
        const ace = acl.entries[index]!;
        const match = sets.match(ace.match, ace.action, acl.vendor);
        if (asaToDeviceOnly(device, acl.name, match, hs)) continue; // never matches (acl-to-device-address)
        // Senders on a directly connected subnet reach this ACL with their own ports: no PAT in between.
        if (connected !== undefined && hs.subset(match, connected)) continue;
        const problems: Array<{ what: string; witness: Packet; by: string; pat: string; side: Side; ports: PortSet; port: number; term: ServiceTerm }> = [];
        for (const f of FLOWS) {
          const term = pinnedTerm(ace, f.port);
          if (!term) continue;
          const { permitted, exact: space, near, from } = spaces.get(f.port)!;
          const exact = near.reachIn(index, space);
          if (hs.isEmpty(exact)) continue;
          // The packets of `set` with `side`'s port replaced by the ports a PAT may pick, that the ACL
          // denies (the other port stays the flow's: inside the cube `permitted(side)` was asked of).
          // They lie between the line's own addresses: for an IPv4 line, what the ACL permits of
          // them is asked of the lines filed there (`permitNear`), not of the whole cube's permit set.
          const v4only = !((ace.match.src6?.length ?? 0) > 0 || (ace.match.dst6?.length ?? 0) > 0);
          const failing = (set: PSet, side: Side, ports: PortSet): Failing => {
            const fld = side === "src" ? "srcPort" : "dstPort";
            const x = hs.and(hs.exists(fld, set), hs.portSet(fld, ports));
            let d: PSet | undefined;
            const other = side === "src" ? "dstPort" : "srcPort";
            const around = { protocol: 17, src: ace.match.src, dst: ace.match.dst, [fld]: ports, [other]: [{ lo: f.port, hi: f.port }] };
            const acl4 = side === "src" ? near : from;
            return {
              x,
              denied: () => (d ??= hs.diff(x, v4only ? acl4.permitNear(x, around) : permitted(side))),
              ...(v4only && {
                deniedLike: (p: Packet) => {
                  const like = hs.and(x, hs.and(hs.and(hs.eq("family", 0), hs.eq("protocol", p.protocol)), hs.and(hs.eq("fragment", p.fragment ? 1 : 0), hs.and(hs.eq("src", p.src), hs.eq("dst", p.dst)))));
                  return hs.diff(like, acl4.permitNear(like, { ...around, src: [{ addr: p.src, wildcard: 0 }], dst: [{ addr: p.dst, wildcard: 0 }] }));
                },
              }),
            };
          };
          // The example packet of a failing set (away from the device's own addresses unless the
          // line matches only those; on this device's PAT outside the PAT address is the PAT side:
          // it is the example there), and whether it is `settled` (./witness.ts).
          const example = (set: PSet, side: Side, ports: PortSet, role: RolePart["role"]) => {
            const patAddr = role === "pat-outside" ? hs.and(set, hs.addrSet(side, facts.patGlobals)) : hs.none;
            const pick = !hs.isEmpty(patAddr) ? patAddr : hs.and(set, notOwn);
            const fld = side === "src" ? "srcPort" : "dstPort";
            return readableWitness(hs, hs.isEmpty(pick) ? set : pick, { [fld]: ports[0]!.lo === f.port ? f.port + 1 : ports[0]!.lo });
          };
          // A failing packet of the question, or undefined when the ACL permits every packet of it.
          // First the example packet of the whole question: when it is settled and the ACL denies
          // it, it is also the example of the denied packets (each pick above takes the first
          // non-empty of a fixed list of subsets, so it keeps the packet too). When the ACL permits
          // it, the denied packets with its addresses, protocol and fragment bit: the example fixes
          // those fields first, so if some are denied the example of the denied packets is theirs.
          // Only otherwise is the whole denied set built: over a wide question (`udp any
          // 10.0.0.0 0.255.255.255 eq 500`) that is the first match of thousands of lines.
          // `fails`: the example's packet, or a non-empty set of denied packets whose example is the
          // answer's; undefined when none fails.
          const fails = (q: Failing, side: Side, ports: PortSet, role: RolePart["role"]): Packet | PSet | undefined => {
            if (hs.isEmpty(q.x)) return undefined;
            if (restriction.enabled) {
              const e = example(q.x, side, ports, role);
              if (e.settled && evaluateNear(acl, e.packet).action !== "permit") return e.packet;
              const like = e.settled && e.packet.v6 === undefined ? q.deniedLike?.(e.packet) : undefined;
              if (like !== undefined && !hs.isEmpty(like)) return like;
            }
            const w = q.denied();
            return hs.isEmpty(w) ? undefined : w;
          };
          const failure = (q: Failing, side: Side, ports: PortSet, role: RolePart["role"]): Packet | undefined => {
            const r = fails(q, side, ports, role);
            return typeof r === "number" ? example(r, side, ports, role).packet : r;
          };
          let found: { side: Side; ports: PortSet; witness: Packet } | undefined;
          for (const { b, parts } of partsFor.get(f.port)!) {
            for (const part of parts) {
              if (part.role === "skip" || part.role === "pat-clients") continue;
              const far: Side = part.nearField === "dst" ? "src" : "dst";
              // packets to or from the device's own static IKE peers are its own tunnels' (500/4500 both ends)
              let sub = hs.diff(hs.and(exact, part.set), staticPeerSet(facts, hs, far));
              if (hs.isEmpty(sub)) continue;
              if (part.role === "own-ike" || part.role === "published") {
                // a head-end: the far end is the PAT side
                if (connected !== undefined) sub = hs.diff(sub, connected);
                const ports = patPortsAnyPlatform(f.port);
                const w = hs.isEmpty(sub) ? undefined : failure(failing(sub, far, ports), far, ports, part.role);
                if (w) found = { side: far, ports, witness: w };
              } else if (part.role === "pat-outside") {
                // the PAT address is the near end: its ports are this PAT's; replies opened by inspection need no line
                if (b?.direction === "in" && statefulReplies((sims ??= simulation()), b, f.port)) continue;
                const own = pat!.ownPorts(f.port);
                const w = failure(failing(sub, part.nearField, own), part.nearField, own, part.role);
                if (w) found = { side: part.nearField, ports: own, witness: w };
              } else {
                // transit: the side whose ports the line leaves wider is behind the PAT; with equal sets both readings must fail
                const any = patPortsAnyPlatform(f.port);
                const nSrc = portCount(term.srcPorts ?? [{ lo: 0, hi: 65535 }]);
                const nDst = portCount(term.dstPorts ?? [{ lo: 0, hi: 65535 }]);
                if (nSrc === nDst) {
                  const a = failure(failing(sub, "src", any), "src", any, part.role);
                  if (a && fails(failing(sub, "dst", any), "dst", any, part.role) !== undefined) found = { side: "src", ports: any, witness: a };
                } else {
                  const side: Side = nSrc > nDst ? "src" : "dst";
                  const w = failure(failing(sub, side, any), side, any, part.role);
                  if (w) found = { side, ports: any, witness: w };
                }
              }
              if (found) break;
            }
            if (found) break;
          }
          if (!found) continue;
          const { side, ports: pp, witness: w } = found;
          problems.push({
            what: `${f.name} (udp) only from ${term.srcPorts ? `source port ${describeUdpPorts(device.vendor, term.srcPorts)}` : "any source port"} to ${term.dstPorts ? `destination port ${describeUdpPorts(device.vendor, term.dstPorts)}` : "any destination port"}`,
            witness: w,
            by: decidedBy(acl, w),
            pat: formatPorts(pp),
            side,
            ports: pp,
            port: f.port,
            term,
          });
        }
        if (problems.length === 0) continue;
        const p0 = problems[0]!;
        const who = p0.side === "src" ? "a peer behind a PAT sends from" : "replies to a client behind a PAT go to";
        report({
          at: ace.source,
          acl: acl.name,
          messageId: "pinned",
          data: {
            acl: acl.name,
            what: problems.map((p) => p.what).join(" and "),
            who,
            ports: [...new Set(problems.map((p) => p.pat))].join(" / "),
            packet: formatPacket(p0.witness),
            by: p0.by,
          },
          details: { witnesses: problems.map((p) => ({ packet: formatPacket(p.witness), deniedBy: p.by, patSide: p.side === "src" ? "source" : "destination" })) },
          remedy: widenRemedy(
            device,
            acl.name,
            ace,
            problems.length === 1 ? p0.term : undefined,
            problems.map((p) => ({ side: p.side, ports: p.ports, peerPort: p.port })),
          ),
        });
      }
    }
  },
});
