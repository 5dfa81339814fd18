/**
 * IOS stateful inspection on a simulated session's way: which feature sees the session leave,
 * and what it opens for the replies. Modelled for the udp sessions natlint simulates (IKE,
 * NAT-T, and what they carry); every case the configuration does not decide is `conditional`,
 * with the reason.
 *
 * - CBAC (Cisco IOS Security Configuration Guide, Release 12.2, "Configuring Context-Based Access
 *   Control"; Cisco Security Manager 4.1 user guide, "Understanding Inspection Rules"): inspection
 *   is applied after the access lists, so only traffic they permit is inspected; for an inspected
 *   UDP session, return packets with the same addresses and ports reversed are permitted by
 *   temporary entries CBAC adds to the access lists. With `ip inspect NAME out` on the external
 *   interface the entries go into that interface's inbound extended ACL; with `ip inspect NAME in`
 *   on the internal interface, into the external interface's inbound and the internal interface's
 *   outbound extended ACLs. The rule must inspect the flow: `udp` inspects every UDP session,
 *   `isakmp` and `non500-isakmp` (Granular Protocol Inspection, 12.3(14)T, port-to-application
 *   mapping: udp/500, udp/4500) inspect IKE and NAT-T.
 * - Reflexive ACLs (Cisco IOS Security Configuration Guide, "Configuring IP Session Filtering
 *   (Reflexive Access Lists)"): a packet permitted by a `permit … reflect NAME` entry creates a
 *   temporary entry permitting the same protocol with source and destination addresses and ports
 *   swapped; the temporary entries are evaluated where `evaluate NAME` stands in another named
 *   extended ACL (entries before it are evaluated first). The entry mirrors the packet as the
 *   reflecting ACL saw it, so it matches a reply only where the reply carries those addresses
 *   (after NAT on the outside, before NAT inside).
 * - Zone-based policy firewall (Cisco IOS Security Configuration Guide, "Zone-Based Policy
 *   Firewall"; Cisco document 98628, "Zone-Based Policy Firewall Design and Application Guide"):
 *   traffic between interfaces of one zone passes; between a zone member and an interface in no
 *   zone it is dropped (IOS XE: unless `zone security default` puts non-members in the default
 *   zone); between two zones it needs a zone-pair from the source zone to the destination zone
 *   whose `policy-map type inspect` gives the first matching class `inspect` (return traffic is
 *   permitted), `pass` (one direction only: replies need the reverse zone-pair) or `drop`;
 *   class-default drops. A zone-pair without a policy drops everything.
 */
import { formatIp } from "../model/addr.js";
import { PROTO, portCount } from "../model/ports.js";
import { findInterface, ifName } from "../model/device.js";
import type { Ace, Acl, Device, Interface, Packet, PortSet, SourceRef } from "../model/types.js";
import type { InspectClass } from "../model/features.js";
import { evaluateAcl } from "../acl/evaluate.js";
import type { AclSets } from "../acl/sets.js";
import { packetSpace } from "./checkpoints.js";

export { temporaryEntry, withEntry } from "./checkpoints.js";

export type FeatureName = "CBAC" | "reflexive ACL" | "zone-based firewall";

/** The feature (and its line) that decided a checkpoint. */
export interface FeatureRef {
  name: FeatureName;
  source: SourceRef;
  /** `ip inspect FW out on GigabitEthernet0/1 (rule FW inspects udp)`, … */
  what: string;
}

/** A packet as one checkpoint sees it, and the port set it stands for (random PAT profiles). */
export interface View {
  packet: Packet;
  portSet?: { field: "srcPort" | "dstPort"; ports: PortSet };
}

// ------------------------------------------------------------------------------------ CBAC

/** Which udp ports a CBAC rule's protocols inspect (PAM names for IKE and NAT-T). */
function cbacCovers(protocols: readonly string[], port: number): string | undefined {
  for (const p of protocols) {
    const k = p.toLowerCase();
    if (k === "udp") return "udp";
    if (k === "isakmp" && port === 500) return "isakmp";
    if (k === "non500-isakmp" && port === 4500) return "non500-isakmp";
  }
  return undefined;
}

/** The CBAC inspection that sees a session leave, and the checkpoints whose ACLs it opens for the replies. */
export interface CbacOpening {
  ref: FeatureRef;
  /** The interfaces and directions whose ACLs get the temporary entries. */
  opens: Array<{ iface: Interface; direction: "in" | "out" }>;
}

/**
 * The CBAC inspections of a session leaving `outsideIf` after entering `insideIf`, for udp port
 * `port` on the wire: an opening, or why the effect is not decided (an inspection rule the file
 * does not define), or nothing.
 */
export function cbacFor(device: Device, insideIf: Interface | undefined, outsideIf: Interface | undefined, port: number): { opening?: CbacOpening; conditional?: { ref: FeatureRef; reason: string } } {
  const f = device.features;
  for (const insp of f.inspections) {
    const i = findInterface(device, insp.iface);
    if (!i || i.shutdown) continue;
    const external = i === outsideIf && insp.direction === "out";
    const internal = i === insideIf && insp.direction === "in";
    if (!external && !internal) continue;
    const what = `ip inspect ${insp.name} ${insp.direction} on ${ifName(i)}`;
    const rule = f.inspectRules.get(insp.name);
    if (!rule) {
      return { conditional: { ref: { name: "CBAC", source: insp.source, what }, reason: `CBAC "${what}" names inspection rule ${insp.name}, which this file does not define: whether it inspects udp/${port} is not known` } };
    }
    const by = cbacCovers(rule.protocols, port);
    if (!by) continue;
    const opens: CbacOpening["opens"] = [];
    if (outsideIf) opens.push({ iface: outsideIf, direction: "in" });
    if (internal && insideIf) opens.push({ iface: insideIf, direction: "out" });
    return { opening: { ref: { name: "CBAC", source: insp.source, what: `${what} (rule ${insp.name} inspects ${by}, line ${rule.source.line})` }, opens } };
  }
  return {};
}

// ------------------------------------------------------------------------------------ reflexive ACLs

/** The reflexive name of a `permit … reflect NAME` entry. */
export function reflectName(device: Device, acl: Acl, ace: Ace | undefined): string | undefined {
  if (!ace || ace.action !== "permit") return undefined;
  return device.features.reflects.find((r) => r.acl === acl.name && r.source.line === ace.source.line && r.source.file === ace.source.file)?.name;
}

/** Where `evaluate NAME` stands in an ACL: the index of the first entry after it. */
export function evaluatePositions(device: Device, acl: Acl): Array<{ name: string; index: number; source: SourceRef }> {
  return device.features.evaluates
    .filter((e) => e.acl === acl.name)
    .map((e) => {
      const i = acl.entries.findIndex((x) => (e.seq !== undefined && x.seq !== undefined ? x.seq > e.seq : x.source.line > e.source.line));
      return { name: e.name, index: i < 0 ? acl.entries.length : i, source: e.source };
    });
}

/** The reversed packet of `p` (what a reflexive entry created by `p` permits). */
export function reversed(p: Packet): Packet {
  return { ...p, src: p.dst, dst: p.src, srcPort: p.dstPort, dstPort: p.srcPort };
}

// ------------------------------------------------------------------------------------ zone-based firewall

/** The zone of an interface (IOS XE `zone security default` holds every interface in no zone). */
export function zoneOf(device: Device, i: Interface): { zone: string; source: SourceRef } | undefined {
  const f = device.features;
  const m = f.zoneMembers.find((z) => z.iface === i.name);
  if (m) return { zone: m.zone, source: m.source };
  const d = f.zones.get("default");
  return d && f.zoneMembers.length > 0 ? { zone: "default", source: d } : undefined;
}

/** PAM names that never match udp/500 or udp/4500 (tcp applications, other udp services, other protocols). */
const NOT_IPSEC = new Set(
  ("tcp icmp ip gre esp ah http https ftp ftps tftp telnet ssh smtp esmtp pop3 pop3s imap imaps dns domain ntp snmp sip sip-tls h323 " +
    "h225ras rtsp skinny netbios-dgm netbios-ns netbios-ssn ldap ldaps syslog bootpc bootps pptp l2tp radius tacacs kerberos sqlnet " +
    "mgcp sunrpc exec login shell msrpc cuseeme irc finger gopher nntp rtp rtcp stun stun-nat tls vdolive streamworks realmedia " +
    "netshow n2h2server websense ymsgr aol msnmsgr icq user-tcp user-udp").split(" "),
);

type Tri = boolean | { unknown: string };

/** Does the class match the session's views (the same packet before and after NAT)? */
function classMatches(device: Device, sets: AclSets | undefined, cls: InspectClass, views: readonly View[], port: number, depth = 0): Tri {
  const results: Tri[] = [];
  for (const m of cls.matches) {
    let r: Tri;
    if (m.kind === "protocol") {
      const k = m.value.toLowerCase();
      if (k === "udp") r = true;
      else if (k === "isakmp") r = port === 500;
      else if (k === "non500-isakmp") r = port === 4500;
      else if (NOT_IPSEC.has(k)) r = false;
      else r = { unknown: `"match protocol ${m.value}" (line ${m.source.line}): natlint does not know which ports ${m.value} covers` };
    } else if (m.kind === "access-group") r = aclMatches(device, sets, m.value, views, m.source);
    else if (m.kind === "class-map") {
      const inner = device.features.inspectClasses.get(m.value);
      r = !inner ? { unknown: `class-map ${m.value} (line ${m.source.line}) is not defined in this file` } : depth > 8 ? { unknown: `class-maps nested too deeply at line ${m.source.line}` } : classMatches(device, sets, inner, views, port, depth + 1);
    } else r = { unknown: `"match ${m.value}" (line ${m.source.line}) is not modelled` };
    if (m.negated && typeof r === "boolean") r = !r;
    results.push(r);
  }
  if (results.length === 0) return false;
  const unknown = results.find((r): r is { unknown: string } => typeof r !== "boolean");
  if (cls.matchAny) return results.some((r) => r === true) ? true : unknown ?? false;
  return results.some((r) => r === false) ? false : unknown ?? true;
}

/** An ACL of a class-map against every view: the same answer for all of them, or unknown. */
function aclMatches(device: Device, sets: AclSets | undefined, name: string, views: readonly View[], src: SourceRef): Tri {
  const acl = device.acls.get(name);
  if (!acl) return { unknown: `class-map ACL ${name} (line ${src.line}) is not defined in this file` };
  const answers = new Set<boolean | "some">();
  for (const v of views) {
    if (v.portSet && sets && portCount(v.portSet.ports) > 1) {
      const hs = sets.hs;
      const space = packetSpace(hs, v.packet, v.portSet.field, v.portSet.ports);
      const permitted = sets.compile(acl).permitIn(space);
      answers.add(hs.isEmpty(permitted) ? false : hs.isEmpty(hs.diff(space, permitted)) ? true : "some");
    } else answers.add(evaluateAcl(acl, v.packet).action === "permit");
  }
  if (answers.size === 1 && !answers.has("some")) return answers.has(true);
  return { unknown: `class-map ACL ${name} (line ${src.line}) matches the session ${answers.has("some") ? "for some of its possible ports only" : "before NAT but not after it, or the reverse"}, and which packet the zone-based firewall sees is not decided here` };
}

export interface ZbfDecision {
  action: "permit" | "drop" | "conditional";
  /** inspect (replies permitted), pass (replies need the reverse zone-pair), drop, or why. */
  how: "inspect" | "pass" | "drop" | "same-zone" | "no-zone" | "no-pair" | "undecided";
  ref: FeatureRef;
  /** For a conditional decision: why. */
  reason?: string;
  /** The zone-pair that decided (`zone-pair security NAME`), if any. */
  pair?: string;
}

/**
 * The zone-based firewall's decision for traffic entering `from` and leaving `to` (undefined when
 * neither interface is in a zone). `views` are the packet as it is before and after NAT;
 * `port` is its udp port toward the peer side (500 for IKE, 4500 for NAT-T).
 */
export function zbfDecide(device: Device, sets: AclSets | undefined, from: Interface, to: Interface, views: readonly View[], port: number): ZbfDecision | undefined {
  const f = device.features;
  const zf = zoneOf(device, from);
  const zt = zoneOf(device, to);
  if (!zf && !zt) return undefined;
  const zbf = (source: SourceRef, what: string): FeatureRef => ({ name: "zone-based firewall", source, what });
  if (!zf || !zt) {
    const m = (zf ?? zt)!;
    const member = zf ? from : to;
    const other = zf ? to : from;
    return { action: "drop", how: "no-zone", ref: zbf(m.source, `${ifName(member)} is in zone ${m.zone}, ${ifName(other)} in none: traffic between a zone member and a non-member is dropped`) };
  }
  const pair = f.zonePairs.find((p) => p.from === zf.zone && p.to === zt.zone);
  if (!pair) {
    if (zf.zone === zt.zone) return { action: "permit", how: "same-zone", ref: zbf(zf.source, `${ifName(from)} and ${ifName(to)} are both in zone ${zf.zone}: traffic within a zone passes`) };
    return { action: "drop", how: "no-pair", ref: zbf(zt.source, `no zone-pair from zone ${zf.zone} to zone ${zt.zone}: dropped`) };
  }
  const label = `zone-pair ${pair.name} (${zf.zone} → ${zt.zone})`;
  if (!pair.policy) return { action: "drop", how: "drop", ref: zbf(pair.source, `${label} has no service-policy: dropped`), pair: pair.name };
  const pol = f.inspectPolicies.get(pair.policy);
  if (!pol) return { action: "conditional", how: "undecided", ref: zbf(pair.source, label), reason: `${label}: policy-map type inspect ${pair.policy} is not defined in this file`, pair: pair.name };
  for (const c of pol.classes) {
    let m: Tri;
    if (c.className === "class-default") m = true;
    else {
      const cls = f.inspectClasses.get(c.className);
      m = cls ? classMatches(device, sets, cls, views, port) : { unknown: `class-map type inspect ${c.className} (line ${c.source.line}) is not defined in this file` };
    }
    if (m === false) continue;
    const what = `${label}, policy ${pair.policy} class ${c.className}`;
    if (m !== true) return { action: "conditional", how: "undecided", ref: zbf(c.source, what), reason: `${what}: ${m.unknown}`, pair: pair.name };
    const act = c.actions.find((a) => a === "inspect" || a === "pass" || a === "drop");
    if (act === "inspect") return { action: "permit", how: "inspect", ref: zbf(c.source, `${what}: inspect`), pair: pair.name };
    if (act === "pass") return { action: "permit", how: "pass", ref: zbf(c.source, `${what}: pass`), pair: pair.name };
    if (act === "drop" || c.className === "class-default") return { action: "drop", how: "drop", ref: zbf(c.source, `${what}: drop`), pair: pair.name };
    return { action: "conditional", how: "undecided", ref: zbf(c.source, what), reason: `${what} has no inspect, pass or drop action`, pair: pair.name };
  }
  return { action: "drop", how: "drop", ref: zbf(pol.source, `${label}, policy ${pair.policy}: no class matches, class-default drops`), pair: pair.name };
}

/** `udp 192.0.2.2:1 → 203.0.113.10:500` for reasons. */
export function shortPacket(p: Packet): string {
  return `${p.protocol === PROTO.UDP ? "udp" : `proto ${p.protocol}`} ${formatIp(p.src)}:${p.srcPort} → ${formatIp(p.dst)}:${p.dstPort}`;
}
