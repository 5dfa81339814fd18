/**
 * ipsec-nat-t-missing: an ACL line permits IKE (udp 500) to or from a peer, but the ACL permits no
 * NAT-T packet between the same addresses in the same direction: per address pair, exactly, "is
 * any udp packet to port 4500, from 4500 or a port a PAT may pick (1024-65535), permitted from A
 * to B?" (and the reverse for IKE from the peer). Once IKE detects a NAT, both sides move to
 * udp 4500 (RFC 3947 §4, RFC 7296 §2.23; NAT-T keeps the IKE ports' pairing, RFC 3948 §2.1), so
 * the tunnel never comes up behind a NAT. Lines for other traffic cannot satisfy it.
 */
import { PROTO, inPorts } from "../model/ports.js";
import { formatPacket } from "../model/packet.js";
import { renderUdpPortOps } from "../model/render.js";
import type { Ace, Acl, Device, Packet, PortSet, ServiceTerm } from "../model/types.js";
import type { AclSets } from "../acl/sets.js";
import type { NoRemedy, Remedy } from "../model/edits.js";
import type { PSet } from "../headerspace/index.js";
import { nearAcl, type Cube, type NearAcl } from "../acl/restrict.js";
import { defineCheck, NO_OPTIONS } from "./define.js";
import { asaToDeviceKey, asaToDeviceOnly, placements } from "./scope.js";
import { decidedBy, EXAMPLE_PEER } from "./witness.js";
import { aceLayout, boxAddrs, eqPort, spanText, udpLine } from "./remedy.js";

const P500 = { lo: 500, hi: 500 };
const P4500 = { lo: 4500, hi: 4500 };
const HIGH = { lo: 1024, hi: 65535 };
/** Destination ports a PAT may give the other end of IKE from 500, above the well-known service ports. */
const PAT_DST = [
  { lo: 501, hi: 511 },
  { lo: 1024, hi: 65535 },
];

const only500 = (set: PortSet | undefined): boolean => set !== undefined && set.length === 1 && set[0]!.lo === 500 && set[0]!.hi === 500;

/**
 * The NAT-T line beside the IKE line: the same addresses and direction, port 4500 where the IKE
 * line has 500 (the peer's side, and the other side when it is pinned to 500 too), the other
 * side's ports as the IKE line writes them.
 */
export function natTRemedy(device: Device, aclName: string, ace: Ace, toPeer: boolean): Remedy | NoRemedy {
  const l = aceLayout(device, ace);
  if (!l) return { reason: "natlint cannot rewrite this line's syntax" };
  const peerSide = toPeer ? "dst" : "src";
  const term: ServiceTerm | undefined = ace.match.services.find(
    (t) => (t.protocol === PROTO.UDP || t.protocol === null) && inPorts(toPeer ? t.dstPorts : t.srcPorts, 500),
  );
  if (!term) return { reason: "no udp term of this line matches port 500" };
  const other = toPeer ? term.srcPorts : term.dstPorts;
  const literal = l.toks[l.proto[0]]!.t.toLowerCase() === "udp" && ace.match.services.length === 1;
  const otherOps = only500(other) ? [eqPort(device.vendor, 4500)] : literal ? [spanText(l, toPeer ? l.srcPort : l.dstPort)] : renderUdpPortOps(device.vendor, other);
  const nat = eqPort(device.vendor, 4500);
  const bodies = otherOps.map((op) => (toPeer ? udpLine(l, op, nat) : udpLine(l, nat, op)));
  const otherPorts = only500(other) ? [{ lo: 4500, hi: 4500 }] : other;
  const four = [{ lo: 4500, hi: 4500 }];
  return {
    describe: `add the NAT-T (udp/4500) line after this IKE line`,
    edits: [{ kind: "insertAfter", acl: aclName, ace, bodies }],
    intent: {
      change: "permit",
      boxes: [
        {
          protocol: PROTO.UDP,
          ...boxAddrs(ace),
          ...(peerSide === "dst" ? { dstPorts: four } : { srcPorts: four }),
          ...(otherPorts ? (peerSide === "dst" ? { srcPorts: otherPorts } : { dstPorts: otherPorts }) : {}),
        },
      ],
    },
  };
}

/** Can the line match udp with port 500 on one side? (model-level filter before the set queries) */
function mayMatchIke(ace: Ace): boolean {
  return ace.match.services.some((t) => (t.protocol === PROTO.UDP || t.protocol === null) && (inPorts(t.dstPorts, 500) || inPorts(t.srcPorts, 500)));
}

interface Missing {
  /** The IKE line, by index in the ACL's entries. */
  index: number;
  /** A NAT-T packet of its address pairs that the ACL denies. */
  witness: Packet;
  /** Its IKE goes toward the peer (destination port 500); else it comes from the peer. */
  towardPeer: boolean;
}

/** The udp spaces the questions are about, in one header space (built once per device). */
interface Spaces {
  /** Whole udp packets (a non-initial fragment carries no port): where NAT-T lives. */
  natT: PSet;
  /** IKE toward the peer: to port 500 from 500 or a high port (a line for udp from a low service port such as DNS's 53 is not an IKE line). */
  ikeTo: PSet;
  /** IKE from the peer: from 500 to a port a PAT may give the other end, above the well-known service ports (501-511, 1024-65535). */
  ikeFrom: PSet;
}

function spaces(sets: AclSets): Spaces {
  const hs = sets.hs;
  const port = (f: "srcPort" | "dstPort", p: number) => hs.field(f, p, p);
  const natT = hs.and(hs.protocol(PROTO.UDP), hs.field("fragment", 0, 0));
  const ikeTo = hs.and(natT, hs.and(port("dstPort", 500), hs.or(port("srcPort", 500), hs.field("srcPort", 1024, 65535))));
  const ikeFrom = hs.and(natT, hs.and(port("srcPort", 500), hs.or(hs.field("dstPort", 501, 511), hs.field("dstPort", 1024, 65535))));
  return { natT, ikeTo, ikeFrom };
}

/** The IKE lines of `acl` with address pairs whose NAT-T the ACL denies; `localCube`: the local end. */
function missingNatT(device: Device, sets: AclSets, sp: Spaces, acl: Acl, localCube: Cube): Missing[] {
  const hs = sets.hs;
  const { natT, ikeTo, ikeFrom } = sp;
  const port = (f: "srcPort" | "dstPort", p: number) => hs.field(f, p, p);
  /** Forget both ports (and the fragment bit): what remains is the address pair (and the other header fields). */
  const pairs = (s: PSet) => hs.exists("fragment", hs.exists("srcPort", hs.exists("dstPort", s)));
  const local = localCube.src ? hs.addrSet("src", localCube.src) : localCube.dst ? hs.addrSet("dst", localCube.dst) : hs.all;
  const candidates = acl.entries.flatMap((e, index) => (e.action === "permit" && !e.inactive && mayMatchIke(e) ? [index] : []));
  // Each question is asked of the ACL restricted to its own cube (src/acl/restrict.ts): whole
  // udp packets (`natT`: no non-initial fragment) with the question's ports, between the local
  // end and any address. The NAT-T pairs are only read against IKE pairs of the local end, so
  // what is permitted elsewhere is not needed. The same answers, from the few lines that can
  // touch each cube.
  const cube = (ports: Pick<Cube, "srcPort" | "dstPort">): NearAcl => nearAcl(sets, acl, { protocol: PROTO.UDP, fragment: 0, ...ports, ...localCube });
  const toIke = cube({ dstPort: [P500], srcPort: [P500, HIGH] });
  const fromIke = cube({ srcPort: [P500], dstPort: PAT_DST });
  const toNatT = cube({ dstPort: [P4500], srcPort: [HIGH] });
  const fromNatT = cube({ srcPort: [P4500], dstPort: [HIGH] });
  // Address pairs with some NAT-T packet permitted, in the direction of the IKE line: toward the
  // peer's 4500 from its own 4500 or a port a PAT may give it (1024-65535), or back. Other udp
  // packets to or from port 4500 (a DNS reply from 53, a non-initial fragment) are not NAT-T and
  // cannot stand in for it.
  const natTo = pairs(toNatT.permitIn(hs.and(local, hs.and(natT, hs.and(port("dstPort", 4500), hs.field("srcPort", 1024, 65535))))));
  const natFrom = pairs(fromNatT.permitIn(hs.and(local, hs.and(natT, hs.and(port("srcPort", 4500), hs.field("dstPort", 1024, 65535))))));
  const out: Missing[] = [];
  const toLocal = hs.and(ikeTo, local);
  const fromLocal = hs.and(ikeFrom, local);
  for (const index of candidates) {
    const ace = acl.entries[index]!;
    const m = sets.match(ace.match, ace.action, acl.vendor);
    if (asaToDeviceOnly(device, acl.name, m, hs)) continue; // never matches (acl-to-device-address)
    // the line's own IKE pairs bound those it decides: all with NAT-T, nothing is missing (no
    // pass over the lines above it). A set of address pairs leaves the ports and the fragment bit
    // free, so it holds a set's pairs exactly when it holds the set: no projection is built.
    const covered = (ike: PSet, nat: PSet) => hs.subset(hs.and(m, ike), nat);
    if (covered(toLocal, natTo) && covered(fromLocal, natFrom)) continue;
    // IKE toward the peer (destination port 500) and from it (source port 500, not to 500).
    const toPeer = hs.diff(pairs(toIke.reachIn(index, toLocal)), natTo);
    const towardPeer = !hs.isEmpty(toPeer);
    const missing = towardPeer
      ? hs.and(toPeer, port("dstPort", 4500))
      : hs.and(hs.diff(pairs(fromIke.reachIn(index, fromLocal)), natFrom), port("srcPort", 4500));
    if (hs.isEmpty(missing)) continue;
    out.push({ index, witness: hs.witness(missing, { src: EXAMPLE_PEER, srcPort: 4500, dstPort: 4500 })!, towardPeer });
  }
  return out;
}

export const check = defineCheck({
  id: "ipsec-nat-t-missing",
  needs: ["sets", "nat"],
  optionsSchema: NO_OPTIONS,
  messages: {
    missing:
      "{{acl}} permits IKE (udp/500) here but no NAT-T (udp/4500) between the same addresses: e.g. {{packet}} is denied by {{by}}. " +
      "Behind any NAT, IKE moves to udp/4500 after NAT detection, so the tunnel never comes up. Fix: permit udp/4500 wherever udp/500 is permitted",
  },
  run({ device, sets, nat, perAcl }, _options, report) {
    const pat = nat.sides;
    let sp: Spaces | undefined;
    for (const acl of device.acls.values()) {
      if (acl.type !== "extended") continue;
      if (!acl.entries.some((e) => e.action === "permit" && !e.inactive && mayMatchIke(e))) continue;
      // On the outside of this device's PAT the local end is always the router or the PAT address:
      // the source of what leaves (out), the destination of what arrives (in). Other address pairs
      // (e.g. the ISP gateway in a /30 written as the source) never carry this device's IPsec.
      const where = placements(device, acl.name);
      let localCube: Cube = {};
      if (pat && where.length > 0 && where.every((b) => b.iface !== undefined && pat.outside.has(b.iface))) {
        const hosts = pat.addresses.map((a) => ({ addr: a, wildcard: 0 }));
        if (where.every((b) => b.direction === "out")) localCube = { src: hosts };
        else if (where.every((b) => b.direction === "in")) localCube = { dst: hosts };
      }
      // a function of the ACL's lines, the local end and what asaToDeviceOnly reads
      const key = `ipsec-nat-t-missing ${JSON.stringify(localCube)} ${asaToDeviceKey(device, acl.name)}`;
      for (const miss of perAcl(acl, key, () => missingNatT(device, sets, (sp ??= spaces(sets)), acl, localCube))) {
        const ace = acl.entries[miss.index]!;
        report({
          at: ace.source,
          acl: acl.name,
          messageId: "missing",
          data: { acl: acl.name, packet: formatPacket(miss.witness), by: decidedBy(acl, miss.witness) },
          details: { witness: formatPacket(miss.witness) },
          remedy: natTRemedy(device, acl.name, ace, miss.towardPeer),
        });
      }
    }
  },
});
