/**
 * ipsec-source-port-pinned: an ACL line permits IKE/NAT-T only from source port 500/4500 (or
 * replies only to destination port 500/4500), and no line of the ACL permits the ports a PAT
 * may pick under any modelled platform (IKE from 500: 1–511 ∪ 1024–65535; NAT-T from 4500:
 * 1024–65535), so peers behind a PAT are dropped. Decided on exact packet sets. Spec §0, §8.
 */
import { formatIp } from "../model/addr.js";
import { PROTO, formatPorts, inPorts } from "../model/ports.js";
import type { Ace, Acl, Packet, PortSet } from "../model/types.js";
import { patPortsAnyPlatform } from "../nat/profiles.js";
import type { HeaderSpace, PSet } from "../headerspace/index.js";
import type { Check, RawFinding } from "./types.js";
import { asaToDeviceOnly, connectedSources } from "./scope.js";
import { evaluateAcl } from "../acl/match.js";

/** A readable address for witnesses when any address would do (TEST-NET-2). */
export const EXAMPLE_PEER = 0xc6336417; // 198.51.100.23

const FLOWS = [
  { port: 500, name: "IKE" },
  { port: 4500, name: "NAT-T" },
] as const;

export function describePacket(p: Packet): string {
  return `udp ${formatIp(p.src)}:${p.srcPort} → ${formatIp(p.dst)}:${p.dstPort}`;
}

/**
 * The line that decides one witness packet. The linear reference evaluator: building the compiled
 * evaluator only pays off for many packets (it is superlinear in the ACL's size).
 */
export function decidedBy(acl: Acl, p: Packet): string {
  const v = evaluateAcl(acl, p);
  return v.ace ? `line ${v.ace.source.line}` : "the implicit deny";
}

/**
 * Can the line match udp from port `q` to port `q` while fixing both ports? A line that leaves a
 * port unconstrained already permits the PAT's ports on that side, so it cannot be pinned; this
 * model-level filter keeps the exact set queries to the few lines that matter.
 */
function pinsBothPorts(ace: Ace, q: number): boolean {
  return ace.match.services.some(
    (t) => (t.protocol === PROTO.UDP || t.protocol === null) && t.srcPorts !== undefined && t.dstPorts !== undefined && inPorts(t.srcPorts, q) && inPorts(t.dstPorts, q),
  );
}

export const check: Check = {
  id: "ipsec-source-port-pinned",
  optionsSchema: { type: "object", additionalProperties: false, properties: {} },
  run({ device, hs }) {
    const out: RawFinding[] = [];
    const udp = hs.protocol(PROTO.UDP);
    for (const acl of device.acls.values()) {
      if (acl.type !== "extended") continue;
      const candidates = acl.entries.filter((e) => e.action === "permit" && !e.inactive && FLOWS.some((f) => pinsBothPorts(e, f.port)));
      if (candidates.length === 0) continue;
      const c = hs.compile(acl);
      const connected = connectedSources(device, acl.name, hs);
      // What the ACL permits in the part of the header space these questions live in.
      const space = new Map<number, { exact: PSet; pat: PortSet; permitted: PSet }>();
      for (const f of FLOWS) {
        const q = (fld: "srcPort" | "dstPort") => hs.field(fld, f.port, f.port);
        const exact = hs.and(udp, hs.and(q("srcPort"), q("dstPort")));
        space.set(f.port, { exact, pat: patPortsAnyPlatform(f.port), permitted: c.permitIn(hs.and(udp, hs.or(q("srcPort"), q("dstPort")))) });
      }
      for (const ace of candidates) {
        const l = c.lines[acl.entries.indexOf(ace)]!;
        if (asaToDeviceOnly(device, acl.name, l.match, hs)) continue; // never matches (acl-to-device-address)
        // Senders on a directly connected subnet reach this ACL with their own ports: no PAT in between.
        if (connected !== undefined && hs.subset(l.match, connected)) continue;
        const problems: Array<{ what: string; witness: Packet; by: string; pat: string }> = [];
        for (const f of FLOWS) {
          if (!pinsBothPorts(ace, f.port)) continue;
          const sp = space.get(f.port)!;
          const exact = c.reachIn(l.index, sp.exact);
          if (hs.isEmpty(exact)) continue;
          // Whichever side of the line is behind a PAT, its port is translated: as the sender
          // (source port) or as the receiver of the replies (destination port). A line that
          // fixes only the head-end's own port passes one of the two — e.g. the correct reply
          // line "permit udp host HE eq isakmp host G" — so it is pinned only when both fail.
          const fromPat = hs.diff(hs.and(hs.exists("srcPort", exact), hs.portSet("srcPort", sp.pat)), sp.permitted);
          if (hs.isEmpty(fromPat)) continue;
          const toPat = hs.diff(hs.and(hs.exists("dstPort", exact), hs.portSet("dstPort", sp.pat)), sp.permitted);
          if (hs.isEmpty(toPat)) continue;
          const w = hs.witness(fromPat, { src: EXAMPLE_PEER, srcPort: sp.pat[0]!.lo === f.port ? f.port + 1 : sp.pat[0]!.lo })!;
          problems.push({ what: `${f.name} (udp/${f.port}) only from source port ${f.port} to destination port ${f.port}`, witness: w, by: decidedBy(acl, w), pat: formatPorts(sp.pat) });
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
