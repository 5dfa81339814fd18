/**
 * ipsec-source-port-pinned: an ACL line permits IKE/NAT-T only from source port 500/4500 (or
 * replies only to destination port 500/4500), and no line of the ACL permits the ports a PAT
 * may pick under any modelled platform (IKE from 500: 1–511 ∪ 1024–65535; NAT-T from 4500:
 * 1024–65535), so peers behind a PAT are dropped. Decided on exact packet sets. Spec §0, §8.
 */
import { formatIp } from "../model/addr.js";
import { PROTO, formatPorts } from "../model/ports.js";
import type { Acl, Packet } from "../model/types.js";
import { patPortsAnyPlatform } from "../nat/profiles.js";
import type { HeaderSpace, PSet } from "../headerspace/index.js";
import type { Check, RawFinding } from "./types.js";
import { asaToDeviceOnly, connectedSources } from "./scope.js";

/** A readable address for witnesses when any address would do (TEST-NET-2). */
export const EXAMPLE_PEER = 0xc6336417; // 198.51.100.23

const FLOWS = [
  { port: 500, name: "IKE" },
  { port: 4500, name: "NAT-T" },
] as const;

export function describePacket(p: Packet): string {
  return `udp ${formatIp(p.src)}:${p.srcPort} → ${formatIp(p.dst)}:${p.dstPort}`;
}

export function decidedBy(hs: HeaderSpace, acl: Acl, p: Packet): string {
  const v = hs.compile(acl).evaluate(p);
  return v.ace ? `line ${v.ace.source.line}` : "the implicit deny";
}

export const check: Check = {
  id: "ipsec-source-port-pinned",
  optionsSchema: { type: "object", additionalProperties: false, properties: {} },
  run({ device, hs }) {
    const out: RawFinding[] = [];
    const udp = hs.protocol(PROTO.UDP);
    for (const acl of device.acls.values()) {
      if (acl.type !== "extended") continue;
      const c = hs.compile(acl);
      const connected = connectedSources(device, acl.name, hs);
      for (const l of c.lines) {
        if (l.ace.action !== "permit") continue;
        if (asaToDeviceOnly(device, acl.name, l.match, hs)) continue; // never matches (acl-to-device-address)
        // Senders on a directly connected subnet reach this ACL with their own ports: no PAT in between.
        if (connected !== undefined && hs.subset(l.match, connected)) continue;
        const problems: Array<{ what: string; witness: Packet; by: string; pat: string }> = [];
        for (const f of FLOWS) {
          const exact: PSet = hs.and(hs.and(l.reach, udp), hs.and(hs.field("srcPort", f.port, f.port), hs.field("dstPort", f.port, f.port)));
          if (hs.isEmpty(exact)) continue;
          const pat = patPortsAnyPlatform(f.port);
          // Whichever side of the line is behind a PAT, its port is translated: as the sender
          // (source port) or as the receiver of the replies (destination port). A line that
          // fixes only the head-end's own port passes one of the two — e.g. the correct reply
          // line "permit udp host HE eq isakmp host G" — so it is pinned only when both fail.
          const fromPat = hs.diff(hs.and(hs.exists("srcPort", exact), hs.portSet("srcPort", pat)), c.permit);
          const toPat = hs.diff(hs.and(hs.exists("dstPort", exact), hs.portSet("dstPort", pat)), c.permit);
          if (hs.isEmpty(fromPat) || hs.isEmpty(toPat)) continue;
          const w = hs.witness(fromPat, { src: EXAMPLE_PEER, srcPort: pat[0]!.lo === f.port ? f.port + 1 : pat[0]!.lo })!;
          problems.push({ what: `${f.name} (udp/${f.port}) only from source port ${f.port} to destination port ${f.port}`, witness: w, by: decidedBy(hs, acl, w), pat: formatPorts(pat) });
        }
        if (problems.length === 0) continue;
        out.push({
          at: l.ace.source,
          acl: acl.name,
          message:
            `${acl.name} permits ${problems.map((p) => p.what).join(" and ")}, and no line permits the ports a PAT may pick (${[...new Set(problems.map((p) => p.pat))].join(" / ")}): ` +
            `every peer but the first behind a PAT is dropped, e.g. ${describePacket(problems[0]!.witness)} is denied by ${problems[0]!.by}. Fix: match IKE/NAT-T by the head-end's port only (no port match on the peer's side)`,
          data: { witnesses: problems.map((p) => ({ packet: describePacket(p.witness), deniedBy: p.by })) },
        });
      }
    }
    return out;
  },
};
