/**
 * pat-drops-ipsec: simulate N IPsec clients through the device's PAT; an IKE or NAT-T session
 * (outbound or its return) dropped by one of the device's ACLs, although the same packet with
 * its port untranslated would be permitted, is reported on the line that permits the
 * untranslated packet (the pinned line: where the fix goes). Spec §0, §5.1, §8.
 */
import { formatIp } from "../model/addr.js";
import { formatPorts, normalizePorts } from "../model/ports.js";
import { describeUdpPorts, renderAddr, renderUdpPortOps } from "../model/render.js";
import type { Ace, ServiceTerm, SourceRef, Vendor } from "../model/types.js";
import { evaluateAcl, serviceMatches } from "../acl/evaluate.js";
import { simulateDevice, type CheckpointVerdict, type SessionTrace } from "../sim/ipsec.js";
import type { Check, RawFinding } from "./types.js";

interface Dropped {
  client: number;
  flow: string;
  direction: "outbound" | "return";
  translatedPort: string;
  acl: string;
  droppedByLine: number | null;
  droppedByText?: string;
  interface: string;
  aclDirection: "in" | "out";
  global: number;
  peer: number;
  peerPort: number;
  timeRange?: string;
  /** The pinned line's service term that permits the untranslated packet. */
  term?: ServiceTerm;
}

/**
 * The pinned line without its port match on the PAT side: same addresses, same peer-side ports
 * (so a line that carried both IKE and NAT-T keeps both). Addresses the vendor syntax cannot
 * write as one operand (object-groups) fall back to the packet's host addresses.
 */
function fixLines(vendor: Vendor, ace: Ace, d: Dropped): string[] {
  const out = d.direction === "outbound";
  const src = renderAddr(vendor, ace.match.src) ?? `host ${formatIp(out ? d.global : d.peer)}`;
  const dst = renderAddr(vendor, ace.match.dst) ?? `host ${formatIp(out ? d.peer : d.global)}`;
  const peerPorts = d.term ? (out ? d.term.dstPorts : d.term.srcPorts) : [{ lo: d.peerPort, hi: d.peerPort }];
  return renderUdpPortOps(vendor, peerPorts).map((op) => {
    const sp = op ? ` ${op}` : "";
    return out ? `permit udp ${src} ${dst}${sp}` : `permit udp ${src}${sp} ${dst}`;
  });
}

/** `1, 2` / `1–3` style list of client numbers. */
function clientList(ns: number[]): string {
  const s = [...new Set(ns)].sort((a, b) => a - b);
  if (s.length > 2 && s[s.length - 1]! - s[0]! === s.length - 1) return `${s[0]}–${s[s.length - 1]}`;
  return s.join(", ");
}

/** The first checkpoint that drops the session and sees translated ports. */
function translatedDrop(t: SessionTrace): CheckpointVerdict | undefined {
  return t.checkpoints.find((c) => c.action === "deny" && c.sees === "translated" && c.defined);
}

export const check: Check<{ ports?: number[] }> = {
  id: "pat-drops-ipsec",
  optionsSchema: {
    type: "object",
    additionalProperties: false,
    properties: {
      ports: { type: "array", items: { type: "integer", minimum: 1, maximum: 65535 }, minItems: 1, uniqueItems: true },
    },
  },
  run({ device, settings, hs }) {
    const byLine = new Map<string, { at: SourceRef; ace: Ace; acl: string; drops: Dropped[] }>();
    for (const sim of simulateDevice(device, { clients: settings.clients, ...(settings.profile ? { profile: settings.profile } : {}), ...(settings.peer !== undefined ? { peer: settings.peer } : {}), hs })) {
      for (const t of sim.traces) {
        if (t.verdict !== "drop" || !t.translated) continue;
        const cp = translatedDrop(t);
        if (!cp) continue;
        const acl = device.acls.get(cp.acl)!;
        // The same packet with the port the client really used (what the first client gets).
        const field = t.direction === "outbound" ? "srcPort" : "dstPort";
        const untranslated = { ...cp.packet, [field]: t.inside.port };
        const v = evaluateAcl(acl, untranslated);
        if (v.action !== "permit" || !v.ace) continue; // dropped anyway: not a PAT problem
        const term = v.ace.match.services.find((x) => serviceMatches(x, untranslated));
        const key = `${v.ace.source.file}:${v.ace.source.line}`;
        let g = byLine.get(key);
        if (!g) byLine.set(key, (g = { at: v.ace.source, ace: v.ace, acl: acl.name, drops: [] }));
        g.drops.push({
          client: t.client,
          flow: t.flow,
          direction: t.direction,
          translatedPort:
            t.translated.port !== undefined
              ? String(t.translated.port)
              : `a random port in ${formatPorts(t.translated.ports)}${cp.portsDenied !== undefined && cp.portsTotal !== undefined && cp.portsDenied < cp.portsTotal ? ` (${cp.portsDenied} of ${cp.portsTotal} dropped)` : ""}`,
          acl: cp.acl,
          droppedByLine: cp.line,
          ...(cp.ace ? { droppedByText: cp.ace.source.text } : {}),
          interface: cp.interface,
          aclDirection: cp.direction,
          global: t.translated.ip,
          peer: t.peer.ip,
          peerPort: t.peer.port,
          ...(v.ace.timeRange ? { timeRange: v.ace.timeRange } : {}),
          ...(term ? { term } : {}),
        });
      }
    }
    const out: RawFinding[] = [];
    for (const g of byLine.values()) {
      const groups = new Map<string, Dropped[]>();
      for (const d of g.drops) {
        const k = `${d.direction}\0${d.flow}\0${d.droppedByLine}`;
        const list = groups.get(k) ?? [];
        list.push(d);
        groups.set(k, list);
      }
      const parts: string[] = [];
      const fixes = new Set<string>();
      for (const ds of groups.values()) {
        const d = ds[0]!;
        const cl = clientList(ds.map((x) => x.client));
        const uniq = [...new Set(ds.map((x) => x.translatedPort))];
        const certain = ds.every((x) => /^\d+$/.test(x.translatedPort));
        const ports = certain
          ? uniq.length > 6
            ? `ports ${formatPorts(normalizePorts(uniq.map((p) => ({ lo: Number(p), hi: Number(p) }))))}`
            : `port${uniq.length > 1 ? "s" : ""} ${uniq.join(", ")}`
          : uniq.join(", ");
        const by =
          d.droppedByLine === null
            ? `the implicit deny of ${d.acl}`
            : `${d.acl} line ${d.droppedByLine}${d.droppedByText ? ` "${d.droppedByText}"` : ""}`;
        const patSide = d.term ? (d.direction === "outbound" ? d.term.srcPorts : d.term.dstPorts) : undefined;
        const named = describeUdpPorts(device.vendor, patSide ?? [{ lo: d.peerPort, hi: d.peerPort }]);
        const cond = d.timeRange ? ` while time-range ${d.timeRange} is active` : "";
        // Normally the first client keeps its port; a static NAT holding it, or a profile that never
        // keeps low ports (ASA 9.15+), takes it from every client.
        const keeps = ds.some((x) => x.client === 1) ? "where no client's port lands" : "where only the first client's port lands";
        const where = `${keeps} behind the PAT address ${formatIp(d.global)}`;
        if (d.direction === "outbound") {
          parts.push(
            `${d.flow} of client${ds.length > 1 ? "s" : ""} ${cl} of ${settings.clients}: this line matches source port ${named}${cond}, ${where}; client${ds.length > 1 ? "s" : ""} ${cl} leave${ds.length > 1 ? "" : "s"} from ${ports} and ${ds.length > 1 ? "are" : "is"} dropped by ${by} (${d.interface} ${d.aclDirection})`,
          );
        } else {
          parts.push(
            `${d.flow} replies to client${ds.length > 1 ? "s" : ""} ${cl} of ${settings.clients}: this line matches destination port ${named}${cond}, ${where}; replies to ${ports} are dropped by ${by} (${d.interface} ${d.aclDirection})`,
          );
        }
        for (const f of fixLines(device.vendor, g.ace, d)) fixes.add(f);
      }
      out.push({
        at: g.at,
        acl: g.acl,
        message: `PAT drops ${parts.join("; and ")}. Fix: drop the port match on the PAT side of this line: ${[...fixes].map((f) => `"${f}"`).join(" and ")}`,
        data: {
          sessions: g.drops.map((d) => ({
            client: d.client,
            flow: d.flow,
            direction: d.direction,
            translatedPort: d.translatedPort,
            acl: d.acl,
            line: d.droppedByLine,
          })),
          fix: [...fixes],
        },
      });
    }
    return out;
  },
};
