/**
 * Concrete first-match evaluation of one packet against an ACL. This is the reference
 * semantics: the headerspace compiler must agree with it on every packet (property tests).
 */
import { inAddrSet } from "../model/addr.js";
import { hasPorts, inPorts } from "../model/ports.js";
import { TCP, type Ace, type AceMatch, type Acl, type Packet, type ServiceTerm } from "../model/types.js";

export function serviceMatches(t: ServiceTerm, p: Packet): boolean {
  if (t.protocol !== null && t.protocol !== p.protocol) return false;
  if (t.protocol !== null && hasPorts(t.protocol)) {
    if (!inPorts(t.srcPorts, p.srcPort)) return false;
    if (!inPorts(t.dstPorts, p.dstPort)) return false;
  }
  if (t.protocol === 1) {
    if (t.icmpType !== undefined && t.icmpType !== p.icmpType) return false;
    if (t.icmpCode !== undefined && t.icmpCode !== p.icmpCode) return false;
  }
  if (t.protocol === 6) {
    if (t.established && (p.tcpFlags & (TCP.ACK | TCP.RST)) === 0) return false;
    if (t.tcpFlags) {
      const { set, clear, any } = t.tcpFlags;
      if (any) {
        const hit = (p.tcpFlags & set) !== 0 || (~p.tcpFlags & clear) !== 0;
        if (!hit) return false;
      } else if ((p.tcpFlags & set) !== set || (p.tcpFlags & clear) !== 0) return false;
    }
  }
  return true;
}

/** Does the term look at layer-4 information (ports, ICMP type, TCP flags)? */
export function termHasL4(t: ServiceTerm): boolean {
  return (
    t.srcPorts !== undefined ||
    t.dstPorts !== undefined ||
    t.icmpType !== undefined ||
    t.icmpCode !== undefined ||
    t.established === true ||
    t.tcpFlags !== undefined
  );
}

/**
 * IOS fragment semantics (simplified and documented in docs/semantics.md): a line with
 * `fragments` matches only non-initial fragments; a line without it that tests layer-4 fields
 * does not match non-initial fragments (they carry no layer-4 header); a layer-3-only line
 * matches every fragment.
 */
export function aceMatches(m: AceMatch, p: Packet): boolean {
  if (m.fragments && !p.fragment) return false;
  if (!inAddrSet(m.src, p.src) || !inAddrSet(m.dst, p.dst)) return false;
  if (m.tos) {
    const v = m.tos.kind === "dscp" ? p.tos >> 2 : m.tos.kind === "precedence" ? p.tos >> 5 : (p.tos >> 1) & 15;
    if (v !== m.tos.value) return false;
  }
  for (const t of m.services) {
    if (p.fragment && !m.fragments && termHasL4(t)) continue;
    if (serviceMatches(t, p)) return true;
  }
  return false;
}

export interface AclVerdict {
  action: "permit" | "deny";
  /** The deciding line; undefined = implicit deny. */
  ace?: Ace;
  index: number;
}

/** First match wins; `inactive` lines never match; implicit deny at the end. */
export function evaluateAcl(acl: Acl, p: Packet): AclVerdict {
  const es = acl.entries;
  for (let i = 0; i < es.length; i++) {
    const e = es[i]!;
    if (e.inactive) continue;
    if (aceMatches(e.match, p)) return { action: e.action, ace: e, index: i };
  }
  return { action: "deny", index: -1 };
}
