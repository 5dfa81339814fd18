/**
 * pat-drops-ipsec: simulate N IPsec clients through the device's PAT; an IKE or NAT-T session
 * (outbound or its return) dropped by one of the device's ACLs, although the same packet with
 * its port untranslated would be permitted, is reported on the line that permits the
 * untranslated packet (the pinned line: where the fix goes).
 *
 * Sources: which port a colliding client gets per platform (Cisco IOS: Cisco Press ICND2 and
 * NetAcad "Next Available Port", secondary sources; ASA configuration guides "Information About
 * Dynamic PAT"); where each ACL sees real or translated ports (Cisco doc 6209 "NAT Order of
 * Operation"); IKE moving to udp/4500 after NAT detection (RFC 3947 §4, RFC 7296 §2.23).
 */
import { formatIp } from "../model/addr.js";
import { formatPorts, inPorts, normalizePorts, subtractPorts } from "../model/ports.js";
import { describeUdpPorts } from "../model/render.js";
import type { Ace, PortSet, ServiceTerm, SourceRef } from "../model/types.js";
import { matchingTerm } from "../acl/evaluate.js";
import { evaluateNear } from "../acl/restrict.js";
import { checkpointLine, type CheckpointVerdict } from "../sim/checkpoints.js";
import { ownIkeText } from "../sim/peers.js";
import type { SessionTrace } from "../sim/device.js";
import { defineCheck } from "./define.js";
import { widenRemedy, type Widen } from "./remedy.js";
import type { PatProfile } from "../nat/profiles.js";

/** The port a session left from (or was sent to) after the PAT, as data. */
interface TranslatedPort {
  /** Every port the PAT may have picked (one when the profile is deterministic). */
  ports: PortSet;
  /** For a random port: how many of `ports` the checkpoint denies, when not all of them. */
  deniedOf?: { denied: number; total: number };
}

function portCertain(t: TranslatedPort): number | undefined {
  const r = t.ports[0];
  return t.ports.length === 1 && r && r.lo === r.hi ? r.lo : undefined;
}

/** `1`, or `a random port in 1024-65535 (3 of 64512 dropped)`. */
function translatedText(t: TranslatedPort): string {
  const p = portCertain(t);
  if (p !== undefined) return String(p);
  const part = t.deniedOf ? ` (${t.deniedOf.denied} of ${t.deniedOf.total} dropped)` : "";
  return `a random port in ${formatPorts(t.ports)}${part}`;
}

interface Dropped {
  client: number;
  flow: string;
  direction: "outbound" | "return";
  translated: TranslatedPort;
  checkpoint: CheckpointVerdict;
  global: number;
  peer: number;
  peerPort: number;
  /** The port the client really used (500, 4500). */
  realPort: number;
  timeRange?: string;
  /** The pinned line's service term that permits the untranslated packet. */
  term?: ServiceTerm;
  /** The PAT address is the device's own IKE address: why no client keeps 500/4500 there. */
  ownIke?: string;
}

/**
 * What the fix permits on the pinned line: per dropped flow (direction, real port), the PAT side's
 * port in every port this device's PAT may give it (the profile's band for the real port, and the
 * ports simulated), the peer side's port as the session used it.
 */
function widensFor(drops: readonly Dropped[], bands: (port: number) => PortSet, ports: readonly number[]): Widen[] {
  const by = new Map<string, Widen>();
  // the other simulated flows this line carries for the same direction and pins on the PAT side
  // (e.g. NAT-T on a line written for both): the same PAT gives them its band too
  for (const d of drops) {
    const side = d.direction === "outbound" ? "src" : "dst";
    const t = d.term;
    if (!t) continue;
    const [pat, peer] = side === "src" ? [t.srcPorts, t.dstPorts] : [t.dstPorts, t.srcPorts];
    for (const q of ports) {
      if (!inPorts(peer, q) || !inPorts(pat, q) || pat === undefined) continue;
      const need = bands(q);
      if (subtractPorts(need, pat).length === 0) continue;
      const k = `${side}:${q}:${q}`;
      if (!by.has(k)) by.set(k, { side, ports: normalizePorts([...need, { lo: q, hi: q }]), peerPort: q });
    }
  }
  for (const d of drops) {
    const side = d.direction === "outbound" ? "src" : "dst";
    const key = `${side}:${d.realPort}:${d.peerPort}`;
    const w = by.get(key) ?? { side, ports: normalizePorts([...bands(d.realPort), { lo: d.realPort, hi: d.realPort }]), peerPort: d.peerPort };
    w.ports = normalizePorts([...w.ports, ...d.translated.ports]);
    by.set(key, w);
  }
  return [...by.values()];
}

/** `1, 2` / `1–3` style list of client numbers. */
function clientList(ns: number[]): string {
  const s = [...new Set(ns)].sort((a, b) => a - b);
  if (s.length > 2 && s[s.length - 1]! - s[0]! === s.length - 1) return `${s[0]}–${s[s.length - 1]}`;
  return s.join(", ");
}

/** The first checkpoint that drops the session and sees translated ports (an ACL, not the zone-based firewall). */
function translatedDrop(t: SessionTrace): CheckpointVerdict | undefined {
  return t.checkpoints.find((c) => c.action === "deny" && c.sees === "translated" && c.defined && c.kind !== "zone-pair" && c.conditional === undefined);
}

/** `ports 1, 2`, `port 1024`, `ports 1-7` (more than six), or the random-port texts. */
function portsText(ds: readonly Dropped[]): string {
  const certain = ds.map((x) => portCertain(x.translated));
  if (certain.every((p) => p !== undefined)) {
    const uniq = [...new Set(certain as number[])];
    if (uniq.length > 6) return `ports ${formatPorts(normalizePorts(uniq.map((p) => ({ lo: p, hi: p }))))}`;
    return `port${uniq.length > 1 ? "s" : ""} ${uniq.join(", ")}`;
  }
  return [...new Set(ds.map((x) => translatedText(x.translated)))].join(", ");
}

export const check = defineCheck({
  id: "pat-drops-ipsec",
  needs: ["simulation", "nat"],
  optionsSchema: {
    type: "object",
    additionalProperties: false,
    properties: {
      ports: {
        description: "Real source ports each simulated client opens a udp session from (default [500, 4500]: IKE and NAT-T).",
        type: "array",
        items: { type: "integer", minimum: 1, maximum: 65535 },
        minItems: 1,
        uniqueItems: true,
      },
    },
  },
  messages: {
    drops: "PAT drops {{sessions}}. Fix: let the ports this PAT picks through this line ({{fix}})",
  },
  run({ device, settings, simulation, nat }, options, report) {
    const byLine = new Map<string, { at: SourceRef; ace: Ace; acl: string; drops: Dropped[] }>();
    const upstream = new Map<string, PatProfile[]>();
    for (const sim of simulation(options.ports)) {
      const own = new Map(sim.ownIke.map((o) => [o.ip, ownIkeText(o.at, o.ip)]));
      const foreign = !nat.pats.includes(sim.setup);
      for (const t of sim.traces) {
        // a carried flow (L2TP in NAT-T) drops with its carrier, which is reported itself
        if (t.verdict !== "drop" || !t.translated || t.carriedIn) continue;
        const cp = translatedDrop(t);
        if (!cp) continue;
        const acl = device.acls.get(cp.acl)!;
        // The same packet with the port the client really used (what the first client gets).
        const field = t.direction === "outbound" ? "srcPort" : "dstPort";
        const untranslated = { ...cp.packet, [field]: t.inside.port };
        const v = evaluateNear(acl, untranslated);
        if (v.action !== "permit" || !v.ace) continue; // dropped anyway: not a PAT problem
        const term = matchingTerm(v.ace, untranslated, acl.vendor);
        const key = `${v.ace.source.file}:${v.ace.source.line}`;
        let g = byLine.get(key);
        if (!g) byLine.set(key, (g = { at: v.ace.source, ace: v.ace, acl: acl.name, drops: [] }));
        if (foreign) upstream.set(key, [...(upstream.get(key) ?? []), sim.setup.profile]);
        const partial = cp.portsDenied !== undefined && cp.portsTotal !== undefined && cp.portsDenied < cp.portsTotal;
        g.drops.push({
          client: t.client,
          flow: t.flow,
          direction: t.direction,
          translated: { ports: t.translated.ports, ...(partial ? { deniedOf: { denied: cp.portsDenied!, total: cp.portsTotal! } } : {}) },
          checkpoint: cp,
          global: t.translated.ip,
          peer: t.peer.ip,
          peerPort: t.peer.port,
          realPort: t.inside.port,
          ...(v.ace.timeRange ? { timeRange: v.ace.timeRange } : {}),
          ...(term ? { term } : {}),
          ...(own.has(t.translated.ip) ? { ownIke: own.get(t.translated.ip)! } : {}),
        });
      }
    }
    for (const g of byLine.values()) {
      const groups = new Map<string, Dropped[]>();
      for (const d of g.drops) {
        const k = `${d.direction}\0${d.flow}\0${d.peer}\0${checkpointLine(d.checkpoint)}`;
        const list = groups.get(k) ?? [];
        list.push(d);
        groups.set(k, list);
      }
      // the same drop for several peers is said once, naming them all (sorted by address)
      const parts = new Map<string, number[]>();
      const PEER = "\u0000peer\u0000";
      for (const ds of groups.values()) {
        const d = ds[0]!;
        const cp = d.checkpoint;
        const cl = clientList(ds.map((x) => x.client));
        const ports = portsText(ds);
        const by = cp.ace === undefined ? `the implicit deny of ${cp.acl}` : `${cp.acl} line ${cp.ace.source.line} "${cp.ace.source.text}"`;
        const patSide = d.term ? (d.direction === "outbound" ? d.term.srcPorts : d.term.dstPorts) : undefined;
        const named = describeUdpPorts(device.vendor, patSide ?? [{ lo: d.peerPort, hi: d.peerPort }]);
        const cond = d.timeRange ? ` while time-range ${d.timeRange} is active` : "";
        // Normally the first client keeps its port; a static NAT holding it, or a profile that never
        // keeps low ports (ASA 9.15+), takes it from every client.
        const keeps = ds.some((x) => x.client === 1) ? "where no client's port lands" : "where only the first client's port lands";
        const where = `${keeps} behind the PAT address ${formatIp(d.global)}${d.ownIke ? `, because ${d.ownIke}` : ""}`;
        const to = PEER;
        const many = ds.length > 1;
        const text =
          d.direction === "outbound"
            ? `${d.flow} of client${many ? "s" : ""} ${cl} of ${settings.clients} to ${to}: this line matches source port ${named}${cond}, ${where}; client${many ? "s" : ""} ${cl} leave${many ? "" : "s"} from ${ports} and ${many ? "are" : "is"} dropped by ${by} (${cp.interface} ${cp.direction})`
            : `${d.flow} replies from ${to} to client${many ? "s" : ""} ${cl} of ${settings.clients}: this line matches destination port ${named}${cond}, ${where}; replies to ${ports} are dropped by ${by} (${cp.interface} ${cp.direction})`;
        const peers = parts.get(text) ?? [];
        if (!peers.includes(d.peer)) peers.push(d.peer);
        parts.set(text, peers);
      }
      const sessions = [...parts].map(([text, peers]) => text.replace(PEER, [...peers].sort((a, b) => a - b).map(formatIp).join(", ")));
      // sessions another device translated (a path, a remote NAT): that NAT's band for the real port too
      const others = upstream.get(`${g.at.file}:${g.at.line}`) ?? [];
      const bands = (p: number) => normalizePorts([...(nat.sides?.ownPorts(p) ?? [{ lo: p, hi: p }]), ...others.map((pr) => pr.bands[pr.bandFor(p)]!)]);
      const widens = widensFor(g.drops, bands, options.ports ?? [500, 4500]);
      const fixText = widens
        .map((w) => `${w.side === "src" ? "source" : "destination"} ports ${formatPorts(w.ports)} to ${w.side === "src" ? "destination" : "source"} port ${w.peerPort}`)
        .join("; ");
      const terms = [...new Set(g.drops.map((d) => d.term))];
      report({
        at: g.at,
        acl: g.acl,
        messageId: "drops",
        data: { sessions: sessions.join("; and "), fix: fixText },
        details: {
          sessions: g.drops.map((d) => ({
            client: d.client,
            peer: formatIp(d.peer),
            flow: d.flow,
            direction: d.direction,
            translatedPort: translatedText(d.translated),
            acl: d.checkpoint.acl,
            line: checkpointLine(d.checkpoint),
          })),
        },
        remedy: widenRemedy(device, g.acl, g.ace, terms.length === 1 ? terms[0] : undefined, widens),
      });
    }
  },
});
