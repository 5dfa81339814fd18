/**
 * Shared by the checks that propose fixes: where the operands of an ACE sit in its source text
 * (so an edit rewrites only the port match and keeps object-groups, names, options and spacing as
 * written), and the remedies that widen the PAT side of an IPsec line.
 *
 * ACE grammar: Cisco IOS Security Command Reference, `permit` (IP extended); Cisco ASA command
 * reference, `access-list extended`. Object-group entries: Cisco IOS "Object Groups for ACLs"
 * (`{tcp|udp|tcp-udp} [source OP PORT] [OP PORT]`); ASA configuration guide, "Objects for access
 * control" (`service-object udp [source OP PORT] [destination OP PORT]`).
 */
import { normalizePorts } from "../model/ports.js";
import { renderUdpPortOps, udpPortWord } from "../model/render.js";
import type { Ace, Device, PortSet, ServiceTerm, Vendor } from "../model/types.js";
import type { AclEdit, IntentBox, NoRemedy, Remedy } from "../model/edits.js";
import { looksLikePort } from "../parse/ios/ports.js";

interface Tok {
  t: string;
  s: number;
  e: number;
}

/** Token spans [from, to) of an ACE's operands in its source text. */
export interface AceLayout {
  text: string;
  toks: Tok[];
  action: number;
  /** The protocol operand: a name/number, or `object-group N` / `object N` (then ports are in the group). */
  proto: [number, number];
  src: [number, number];
  srcPort: [number, number];
  dst: [number, number];
  dstPort: [number, number];
  /** Options after the destination port (log, time-range, …). */
  rest: [number, number];
}

function tokens(text: string): Tok[] {
  const out: Tok[] = [];
  const re = /\S+/g;
  for (let m = re.exec(text); m; m = re.exec(text)) out.push({ t: m[0], s: m.index, e: m.index + m[0].length });
  return out;
}

const IP = /^\d{1,3}(\.\d{1,3}){3}$/;

/** Number of tokens of the address operand at i (IOS and ASA forms), 0 when none is there. */
function addrLength(vendor: Vendor, toks: Tok[], i: number): number {
  const t = toks[i]?.t.toLowerCase();
  if (t === undefined) return 0;
  if (t === "any" || t === "any4" || t === "any6" || t.includes("/")) return 1;
  if (t === "host" || t === "object-group" || t === "object" || t === "interface" || t === "fqdn") return 2;
  if (t === "range" && vendor === "asa") return 3;
  if (IP.test(t) || vendor === "asa") return toks[i + 1] && IP.test(toks[i + 1]!.t) ? 2 : 0;
  return 0;
}

/** Number of tokens of a port operator at i, 0 when none is there. */
function portLength(vendor: Vendor, device: Device, toks: Tok[], i: number, where: "source" | "destination"): number {
  const t = toks[i]?.t.toLowerCase();
  if (t === undefined) return 0;
  if (t === "range") return vendor === "asa" && toks[i + 1] && IP.test(toks[i + 1]!.t) ? 0 : 3;
  if (t === "lt" || t === "gt") return 2;
  if (t === "eq" || t === "neq") {
    let n = 2;
    if (vendor === "ios") while (toks[i + n] && looksLikePort(toks[i + n]!.t) && !(where === "source" && addrLength(vendor, toks, i + n) > 0)) n++;
    return n;
  }
  // ASA port object-group: a service group in the port position
  if (vendor === "asa" && t === "object-group" && device.objectGroups.get(toks[i + 1]?.t ?? "")?.kind === "service") return 2;
  return 0;
}

/** Where the operands of `ace` are in its source text; undefined when the text does not follow the grammar natlint rewrites. */
export function aceLayout(device: Device, ace: Ace): AceLayout | undefined {
  const text = ace.source.text;
  const toks = tokens(text);
  const vendor = device.vendor;
  const action = toks.findIndex((x) => x.t.toLowerCase() === "permit" || x.t.toLowerCase() === "deny");
  if (action < 0) return undefined;
  let i = action + 1;
  const p0 = i;
  const pt = toks[i]?.t.toLowerCase();
  if (pt === undefined) return undefined;
  i += pt === "object-group" || pt === "object" ? 2 : 1;
  const proto: [number, number] = [p0, i];
  const sl = addrLength(vendor, toks, i);
  if (sl === 0) return undefined;
  const src: [number, number] = [i, i + sl];
  i += sl;
  const spl = portLength(vendor, device, toks, i, "source");
  const srcPort: [number, number] = [i, i + spl];
  i += spl;
  const dl = addrLength(vendor, toks, i);
  if (dl === 0) return undefined;
  const dst: [number, number] = [i, i + dl];
  i += dl;
  const dpl = portLength(vendor, device, toks, i, "destination");
  const dstPort: [number, number] = [i, i + dpl];
  i += dpl;
  return { text, toks, action, proto, src, srcPort, dst, dstPort, rest: [i, toks.length] };
}

/** The text of a token span ("" when empty). */
export function spanText(l: AceLayout, [a, b]: [number, number]): string {
  return a >= b ? "" : l.text.slice(l.toks[a]!.s, l.toks[b - 1]!.e);
}

/** The ACE text from the action on, with one port span replaced by `op` ("" removes it). */
export function withPortOp(l: AceLayout, side: "src" | "dst", op: string): string {
  const [a, b] = side === "src" ? l.srcPort : l.dstPort;
  const start = l.toks[l.action]!.s;
  if (a < b) {
    const before = l.text.slice(start, l.toks[a]!.s);
    const after = l.text.slice(l.toks[b - 1]!.e);
    return op ? before + op + after : before.replace(/\s+$/, "") + after;
  }
  const addrEnd = l.toks[(side === "src" ? l.src : l.dst)[1] - 1]!.e;
  return op ? `${l.text.slice(start, addrEnd)} ${op}${l.text.slice(addrEnd)}` : l.text.slice(start);
}

/** A new udp line with the line's own operands: `ACTION udp SRC [SOP] DST [DOP] [options]`. */
export function udpLine(l: AceLayout, sop: string, dop: string): string {
  const rest = spanText(l, l.rest);
  const parts = [l.toks[l.action]!.t, "udp", spanText(l, l.src), sop, spanText(l, l.dst), dop, rest];
  return parts.filter((p) => p !== "").join(" ");
}

/** `eq isakmp` / `eq 4500` for one port. */
export function eqPort(vendor: Vendor, port: number): string {
  return `eq ${udpPortWord(vendor, port)}`;
}

function onePort(set: PortSet | undefined, port: number): boolean {
  return set !== undefined && set.length === 1 && set[0]!.lo === port && set[0]!.hi === port;
}

/** Is the object-group used by this line alone (no other line, no group, no unmodelled feature)? */
export function groupOnlyUsedBy(device: Device, name: string, ace: Ace): boolean {
  if (device.otherMentions.has(name)) return false;
  const uses = device.references.filter((r) => r.name === name && (r.kind === "object-group" || r.kind === "object"));
  return uses.length > 0 && uses.every((r) => r.use === "ace" && r.source.line === ace.source.line && r.source.file === ace.source.file);
}

/** The line's addresses for an intent box: IPv4, and IPv6 when it has them (IOS IPv6 and ASA lines). */
export function boxAddrs(ace: Ace): Pick<IntentBox, "src" | "dst" | "src6" | "dst6"> {
  const m = ace.match;
  return { src: m.src, dst: m.dst, ...(m.src6 && m.dst6 ? { src6: m.src6, dst6: m.dst6 } : {}) };
}

/** One widening: permit udp with the PAT side's port in `ports` and the peer side's port `peerPort`. */
export interface Widen {
  /** The PAT side of the packet (source for what leaves toward the peer, destination for replies). */
  side: "src" | "dst";
  ports: PortSet;
  peerPort: number;
}

/** The service-group member (IOS entry / ASA service-object) that permits one widening. */
function groupMembers(vendor: Vendor, w: Widen): string[] {
  const peer = eqPort(vendor, w.peerPort);
  return renderUdpPortOps(vendor, w.ports).map((op) => {
    const pat = op || "range 1 65535";
    const [s, d] = w.side === "src" ? [pat, peer] : [peer, pat];
    return vendor === "ios" ? `udp source ${s} ${d}` : `service-object udp source ${s} destination ${d}`;
  });
}

/**
 * The remedy that lets the PAT's ports through a pinned line, keeping the config's form:
 * - the line matches udp with its ports written on it and one peer port: its PAT-side port match is
 *   widened in place (one more line when one operator cannot write the ports);
 * - its protocol is a service object-group used by this line alone: the group gets the members;
 * - otherwise (several peer ports, a shared group, a port object-group): the line is kept and
 *   lines with the same operands and the PAT's ports are added right after it.
 */
export function widenRemedy(device: Device, aclName: string, ace: Ace, term: ServiceTerm | undefined, widens: readonly Widen[]): Remedy | NoRemedy {
  const vendor = device.vendor;
  const l = aceLayout(device, ace);
  if (!l) return { reason: "natlint cannot rewrite this line's syntax" };
  const boxes: IntentBox[] = widens.map((w) => ({
    protocol: 17,
    ...boxAddrs(ace),
    srcPorts: w.side === "src" ? w.ports : [{ lo: w.peerPort, hi: w.peerPort }],
    dstPorts: w.side === "dst" ? w.ports : [{ lo: w.peerPort, hi: w.peerPort }],
  }));
  const intent = { change: "permit" as const, boxes };
  const protoTok = l.toks[l.proto[0]]!.t.toLowerCase();
  const w0 = widens[0]!;
  const portSpan = w0.side === "src" ? l.srcPort : l.dstPort;
  const portWritten = portSpan[0] < portSpan[1] && l.toks[portSpan[0]]!.t.toLowerCase() !== "object-group";
  const peerSet = term ? (w0.side === "src" ? term.dstPorts : term.srcPorts) : undefined;
  const where = w0.side === "src" ? "source" : "destination";
  if (widens.length === 1 && protoTok === "udp" && portWritten && term && ace.match.services.length === 1 && onePort(peerSet, w0.peerPort)) {
    const old = (w0.side === "src" ? term.srcPorts : term.dstPorts) ?? [];
    const ops = renderUdpPortOps(vendor, normalizePorts([...old, ...w0.ports]));
    const bodies = ops.map((op) => withPortOp(l, w0.side, op));
    return { describe: `widen the ${where} port of this line to ${describePorts(normalizePorts([...old, ...w0.ports]))}`, edits: [{ kind: "replace", acl: aclName, ace, bodies }], intent };
  }
  if (protoTok === "object-group") {
    const g = l.toks[l.proto[0] + 1]!.t;
    const og = device.objectGroups.get(g);
    if (og && og.kind === "service" && !og.unmodelled && groupOnlyUsedBy(device, g, ace)) {
      const members = widens.flatMap((w) => groupMembers(vendor, w));
      return { describe: `add the PAT's ${where} ports to object-group ${g}`, edits: [{ kind: "addMembers", group: g, members }], intent };
    }
  }
  const bodies: string[] = [];
  for (const w of widens)
    for (const op of renderUdpPortOps(vendor, w.ports)) {
      const peer = eqPort(vendor, w.peerPort);
      bodies.push(w.side === "src" ? udpLine(l, op, peer) : udpLine(l, peer, op));
    }
  const edits: AclEdit[] = [{ kind: "insertAfter", acl: aclName, ace, bodies }];
  return { describe: `add ${bodies.length === 1 ? "a line" : "lines"} after this one permitting the PAT's ${where} ports`, edits, intent };
}

function describePorts(set: PortSet): string {
  return set.map((r) => (r.lo === r.hi ? `${r.lo}` : `${r.lo}-${r.hi}`)).join(",");
}
