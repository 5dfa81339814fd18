/**
 * ipsec-source-port-pinned: an ACL line permits IKE/NAT-T only from source port 500/4500 (or
 * replies only to destination port 500/4500), and no line of the ACL permits the ports a PAT
 * may pick under any modelled platform (IKE from 500: 1–511 ∪ 1024–65535; NAT-T from 4500:
 * 1024–65535), so peers behind a PAT are dropped. Decided on exact packet sets.
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
import { defineCheck, NO_OPTIONS } from "./define.js";
import { widenRemedy } from "./remedy.js";
import { asaToDeviceOnly, connectedSources, placements } from "./scope.js";
import { decidedBy, EXAMPLE_PEER } from "./witness.js";

const FLOWS = [
  { port: 500, name: "IKE" },
  { port: 4500, name: "NAT-T" },
] as const;

/**
 * The line's udp term that matches port `q` to port `q` with both ports fixed, if any. A line that
 * leaves a port unconstrained already permits the PAT's ports on that side, so it cannot be
 * pinned; this model-level filter keeps the exact set queries to the few lines that matter.
 */
function pinnedTerm(ace: Ace, q: number): ServiceTerm | undefined {
  return ace.match.services.find(
    (t) => (t.protocol === PROTO.UDP || t.protocol === null) && t.srcPorts !== undefined && t.dstPorts !== undefined && inPorts(t.srcPorts, q) && inPorts(t.dstPorts, q),
  );
}

type Side = "src" | "dst";

export const check = defineCheck({
  id: "ipsec-source-port-pinned",
  needs: ["sets", "nat"],
  optionsSchema: NO_OPTIONS,
  messages: {
    pinned:
      "{{acl}} permits {{what}}, and no line permits the ports a PAT may pick: {{who}} {{ports}}, e.g. {{packet}} is denied by {{by}}. " +
      "Only the first client behind each PAT address gets through. Fix: widen the PAT side's port match to the ports a PAT may pick",
  },
  run({ device, sets, nat }, _options, report) {
    const hs = sets.hs;
    const udp = hs.protocol(PROTO.UDP);
    const pat = nat.sides;
    for (const acl of device.acls.values()) {
      if (acl.type !== "extended") continue;
      const candidates = acl.entries.flatMap((e, index) => (e.action === "permit" && !e.inactive && FLOWS.some((f) => pinnedTerm(e, f.port)) ? [index] : []));
      if (candidates.length === 0) continue;
      const where = placements(device, acl.name);
      // An ACL applied only on the inside of this device's own PAT sees its clients' real ports.
      if (pat && where.length > 0 && where.every((b) => b.iface !== undefined && pat.inside.has(b.iface))) continue;
      // On the outside of this device's PAT, the PAT side of a packet is this PAT's own: its ports
      // are the device's profile's (the sender of an outbound packet, the receiver of an inbound one).
      const ownSide = (side: Side) =>
        pat !== undefined && where.length > 0 && where.every((b) => b.iface !== undefined && pat.outside.has(b.iface) && (side === "src" ? b.direction === "out" : b.direction === "in"));
      const c = sets.compile(acl);
      const connected = connectedSources(device, acl.name, hs);
      // Per flow, once per ACL: the exact IKE/NAT-T packets and what the ACL permits around them.
      const spaces = new Map(
        FLOWS.map((f) => {
          const q = (fld: "srcPort" | "dstPort") => hs.field(fld, f.port, f.port);
          return [f.port, { exact: hs.and(udp, hs.and(q("srcPort"), q("dstPort"))), permitted: c.permitIn(hs.and(udp, hs.or(q("srcPort"), q("dstPort")))) }];
        }),
      );
      for (const index of candidates) {
        const l = c.lines[index]!;
        const ace = l.ace;
        if (asaToDeviceOnly(device, acl.name, l.match, hs)) continue; // never matches (acl-to-device-address)
        // Senders on a directly connected subnet reach this ACL with their own ports: no PAT in between.
        if (connected !== undefined && hs.subset(l.match, connected)) continue;
        const problems: Array<{ what: string; witness: Packet; by: string; pat: string; side: Side; ports: PortSet; port: number; term: ServiceTerm }> = [];
        for (const f of FLOWS) {
          const term = pinnedTerm(ace, f.port);
          if (!term) continue;
          const { permitted, exact: space } = spaces.get(f.port)!;
          const exact = c.reachIn(l.index, space);
          if (hs.isEmpty(exact)) continue;
          const patPorts = (side: Side) => (ownSide(side) ? pat!.ownPorts(f.port) : patPortsAnyPlatform(f.port));
          // The same packets with the PAT side's port translated, that the ACL denies.
          const failing = (side: Side) => {
            const fld = side === "src" ? "srcPort" : "dstPort";
            return hs.diff(hs.and(hs.exists(fld, exact), hs.portSet(fld, patPorts(side))), permitted);
          };
          // Which side is behind the PAT? The side whose ports the line leaves wider (a head-end's
          // own port is the fixed one): "permit udp host HE eq isakmp host G" pins HE's port and
          // leaves G's open, which is right. With equal sets either side may be, so both must fail.
          const nSrc = portCount(term.srcPorts!);
          const nDst = portCount(term.dstPorts!);
          let side: Side;
          let witnessSet: PSet;
          if (nSrc === nDst) {
            const a = failing("src");
            if (hs.isEmpty(a) || hs.isEmpty(failing("dst"))) continue;
            side = "src";
            witnessSet = a;
          } else {
            side = nSrc > nDst ? "src" : "dst";
            witnessSet = failing(side);
            if (hs.isEmpty(witnessSet)) continue;
          }
          const pp = patPorts(side);
          const fld = side === "src" ? "srcPort" : "dstPort";
          const w = hs.witness(witnessSet, { src: EXAMPLE_PEER, [fld]: pp[0]!.lo === f.port ? f.port + 1 : pp[0]!.lo })!;
          problems.push({
            what: `${f.name} (udp) only from source port ${describeUdpPorts(device.vendor, term.srcPorts)} to destination port ${describeUdpPorts(device.vendor, term.dstPorts)}`,
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
          at: l.ace.source,
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
