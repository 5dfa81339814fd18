/**
 * A renderer of the model back to config text, for the parse → render → parse round trip
 * (test/roundtrip.test.ts): every line of a parsed ACL becomes the plain lines its resolved match
 * is the union of (one per service term × source pattern × destination pattern × port range),
 * written without object-groups, names or shorthand, so the second parse reads only what the
 * first one modelled. Lines the model marks approximate, inactive or time-ranged have no exact
 * rendering and are reported as such (`undefined`), never guessed.
 */
import { formatIp } from "../../src/model/addr.js";
import { formatPrefix6 } from "../../src/model/addr6.js";
import type { Ace, Acl, PortRange, ServiceTerm, Wildcard } from "../../src/model/types.js";

const PROTO: Record<number, string> = { 1: "icmp", 6: "tcp", 17: "udp", 58: "icmp" };
const FLAGS: Array<[number, string]> = [[1, "fin"], [2, "syn"], [4, "rst"], [8, "psh"], [16, "ack"], [32, "urg"]];

function iosAddr(w: Wildcard): string {
  if (w.wildcard >>> 0 === 0xffffffff) return "any";
  if (w.wildcard === 0) return `host ${formatIp(w.addr)}`;
  return `${formatIp(w.addr)} ${formatIp(w.wildcard >>> 0)}`;
}

function asaAddr(w: Wildcard): string | undefined {
  const mask = ~w.wildcard >>> 0;
  if (w.wildcard >>> 0 === 0xffffffff) return "any4";
  if (w.wildcard === 0) return `host ${formatIp(w.addr)}`;
  // ASA writes netmasks: a non-contiguous pattern cannot come from an ASA config
  if (((mask | (mask - 1)) >>> 0) !== 0xffffffff && mask !== 0) return undefined;
  return `${formatIp(w.addr)} ${formatIp(mask)}`;
}

function portOp(r: PortRange | undefined): string {
  if (!r || (r.lo === 0 && r.hi === 65535)) return "";
  if (r.lo === r.hi) return ` eq ${r.lo}`;
  if (r.lo === 0) return ` lt ${r.hi + 1}`;
  if (r.hi === 65535) return ` gt ${r.lo - 1}`;
  return ` range ${r.lo} ${r.hi}`;
}

/** The port ranges of one side: `[undefined]` for any port. */
const ranges = (s: readonly PortRange[] | undefined): ReadonlyArray<PortRange | undefined> => (s === undefined ? [undefined] : s.length === 0 ? [] : s);

function tail(t: ServiceTerm, ace: Ace, vendor: "ios" | "asa"): string | undefined {
  let s = "";
  if (t.icmpType !== undefined) s += ` ${t.icmpType}${t.icmpCode !== undefined ? ` ${t.icmpCode}` : ""}`;
  else if (t.icmpCode !== undefined) return undefined;
  if (t.established) s += " established";
  if (t.tcpFlags) {
    if (vendor === "asa") return undefined;
    const words = FLAGS.flatMap(([bit, name]) => [...(t.tcpFlags!.set & bit ? [`+${name}`] : []), ...(t.tcpFlags!.clear & bit ? [`-${name}`] : [])]);
    s += ` ${t.tcpFlags.any ? "match-any" : "match-all"} ${words.join(" ")}`;
  }
  if (ace.match.tos) s += ` ${ace.match.tos.kind} ${ace.match.tos.value}`;
  if (ace.match.fragments) s += " fragments";
  if (ace.log) s += " log";
  return s;
}

/** The plain lines (action and match, no ACL header) one modelled line is the union of; undefined when it has no exact rendering. */
export function renderAce(ace: Ace, acl: Pick<Acl, "vendor" | "family">): string[] | undefined {
  const m = ace.match;
  if (m.approximate || ace.inactive || ace.timeRange) return undefined;
  const vendor = acl.vendor;
  const v6 = acl.family === "ipv6";
  if (acl.family === "both" || (!v6 && (m.src6 || m.dst6))) return undefined; // unified ASA lines: rendered per family by the ASA tests
  const out: string[] = [];
  const srcs: string[] = [];
  const dsts: string[] = [];
  if (v6) {
    for (const p of m.src6 ?? []) srcs.push(p.len === 0 ? "any" : p.len === 128 ? `host ${formatPrefix6(p).replace(/\/128$/, "")}` : formatPrefix6(p));
    for (const p of m.dst6 ?? []) dsts.push(p.len === 0 ? "any" : p.len === 128 ? `host ${formatPrefix6(p).replace(/\/128$/, "")}` : formatPrefix6(p));
  } else {
    for (const w of m.src) {
      const a = vendor === "asa" ? asaAddr(w) : iosAddr(w);
      if (a === undefined) return undefined;
      srcs.push(a);
    }
    for (const w of m.dst) {
      const a = vendor === "asa" ? asaAddr(w) : iosAddr(w);
      if (a === undefined) return undefined;
      dsts.push(a);
    }
  }
  for (const t of m.services) {
    const proto = t.protocol === null ? (v6 ? "ipv6" : "ip") : (PROTO[t.protocol] ?? String(t.protocol));
    if (t.protocol === 58 && !v6) return undefined;
    if (t.protocol === 1 && v6) return undefined;
    const rest = tail(t, ace, vendor);
    if (rest === undefined) return undefined;
    for (const s of srcs)
      for (const sp of ranges(t.srcPorts))
        for (const d of dsts) for (const dp of ranges(t.dstPorts)) out.push(`${ace.action} ${proto} ${s}${portOp(sp)} ${d}${portOp(dp)}${rest}`);
  }
  return out;
}

/**
 * The ACL as config text (IOS `ip access-list extended` / `ipv6 access-list`, or ASA extended
 * lines), with `lineOf[k]` = the model line rendered at the k-th rendered line; undefined when a
 * line has no exact rendering or the rendering would exceed `maxLines`.
 */
export function renderAcl(acl: Acl, maxLines = 2000): { text: string; lineOf: number[] } | undefined {
  const body: string[] = [];
  const lineOf: number[] = [];
  for (const [i, ace] of acl.entries.entries()) {
    const r = renderAce(ace, acl);
    if (r === undefined || body.length + r.length > maxLines) return undefined;
    for (const l of r) {
      body.push(l);
      lineOf.push(i);
    }
  }
  const name = "RT";
  if (acl.vendor === "asa") return { text: ["ASA Version 9.8(1)", "hostname rt", ...body.map((l) => `access-list ${name} extended ${l}`)].join("\n") + "\n", lineOf };
  const header = acl.family === "ipv6" ? `ipv6 access-list ${name}` : `ip access-list extended ${name}`;
  return { text: [header, ...body.map((l) => ` ${l}`)].join("\n") + "\n", lineOf };
}
