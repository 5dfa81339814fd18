/**
 * Observed device state as `show` commands print it, for `explain --observed`: the ports the
 * devices actually chose. One file may hold the output of several commands (prompts, headers
 * and blank lines between them are skipped). Read:
 *
 * - IOS `show ip nat translations` (Cisco IOS IP Addressing: NAT Configuration Guide):
 *   `Pro Inside global Inside local Outside local Outside global`, one row per translation,
 *   `udp 192.0.2.2:1024 192.168.100.12:4500 203.0.113.10:4500 203.0.113.10:4500`; `---` for none.
 * - ASA `show xlate` (Cisco ASA Firewall CLI Configuration Guide, "Monitoring NAT"; Cisco document
 *   115992): 8.3+ `UDP PAT from inside:10.1.1.15/1026 to outside:192.0.2.3/1024 flags ri idle …`
 *   and `NAT from inside:A to outside:B flags s …` (possibly wrapped over lines); before 8.3
 *   `PAT Global 192.0.2.3(1024) Local 10.1.1.15(1026)` and `Global A Local B`.
 * - ASA `show conn` (Cisco document 115993): `UDP outside 203.0.113.10:500 inside 10.1.1.15:500, idle 0:00:01, bytes 64, flags -`.
 * - `show crypto isakmp sa`: IOS `dst src state conn-id [slot] status` rows; ASA 8.4+ blocks
 *   `1   IKE Peer: 203.0.113.4` … `State   : MM_ACTIVE` (also `show crypto ikev1 sa`).
 *
 * IPv6 rows are left out (natlint models IPv4). A line that looks like a row of these outputs but
 * does not parse is kept in `unread`, so the explanation can say what it did not use.
 */
import { parseIp } from "../model/addr.js";
import { PROTO } from "../model/ports.js";
import type { SourceRef } from "../model/types.js";

export interface ObservedEndpoint {
  ip: number;
  port?: number;
}

/** A translation a NAT device holds: the real (inside local) and mapped (inside global) endpoints. */
export interface ObservedTranslation {
  protocol: number | undefined;
  local: ObservedEndpoint;
  global: ObservedEndpoint;
  /** The far end (IOS outside global), when shown. */
  remote?: ObservedEndpoint;
  command: "show ip nat translations" | "show xlate";
  source: SourceRef;
}

/** An ASA connection: its two ends as the ASA shows them (the inside end by its real address). */
export interface ObservedConn {
  protocol: number;
  outside: { iface: string } & ObservedEndpoint;
  inside: { iface: string } & ObservedEndpoint;
  source: SourceRef;
}

export interface ObservedIkeSa {
  /** The remote peer (IOS `src` when the device is the responder is ambiguous: both ends are kept). */
  dst: number;
  src?: number;
  state: string;
  status?: string;
  source: SourceRef;
}

export interface ObservedState {
  file: string;
  translations: ObservedTranslation[];
  conns: ObservedConn[];
  ikeSas: ObservedIkeSa[];
  /** Lines that look like rows of these commands but were not understood. */
  unread: SourceRef[];
}

const IP = String.raw`\d{1,3}(?:\.\d{1,3}){3}`;
const PROTOS: Record<string, number> = { udp: PROTO.UDP, tcp: PROTO.TCP, icmp: PROTO.ICMP, esp: PROTO.ESP, gre: PROTO.GRE };

function endpoint(t: string): ObservedEndpoint | undefined | null {
  if (/^-+$/.test(t)) return null;
  const m = new RegExp(`^(${IP})(?::(\\d+))?$`).exec(t);
  if (!m) return undefined;
  const ip = parseIp(m[1]);
  if (ip === undefined) return undefined;
  return m[2] !== undefined ? { ip, port: Number(m[2]) } : { ip };
}

const SKIP = [
  /^\S*[#>]\s*(show|sh)\b/i, // a prompt and the command
  /^\S+[#>]\s*$/,
  /^Pro\s+Inside\s+global/i,
  /^Total number of translations/i,
  /^\d+\s+in use/i,
  /in use, \d+ most used\s*$/i,
  /^Flags:/i,
  /^\s*[a-zA-Z]\s+-\s+\S/, // flag legend lines
  /^\s*flags\s/i, // xlate continuation
  /^I(Pv4|Pv6) Crypto ISAKMP SA/i,
  /^dst\s+src\s+state/i,
  /^IKEv[12] SAs:/i,
  /^\s*(Active|Rekey) SA:/i,
  /^Total IKE SA:/i,
  /^\s*(Type|Rekey|Encrypt|Auth)\s*:/i,
  /^There are no IKEv[12] SAs/i,
];

/** Parse `show` output (see the file comment). */
export function parseObserved(text: string, file: string): ObservedState {
  const st: ObservedState = { file, translations: [], conns: [], ikeSas: [], unread: [] };
  const lines = text.replace(/^\uFEFF/, "").split(/\r\n|\r|\n/);
  let pendingXlate: { head: string; source: SourceRef } | undefined;
  let asaPeer: ObservedIkeSa | undefined;
  lines.forEach((raw, i) => {
    const line = raw.trim();
    const source: SourceRef = { file, line: i + 1, text: line };
    if (line === "" || line.includes("::")) return;
    // an ASA xlate "NAT from …" wrapped over lines: collect until "to IF:…"
    if (pendingXlate) {
      pendingXlate.head += ` ${line}`;
      if (/\sto\s+\S+:/.test(pendingXlate.head)) {
        natFrom(st, pendingXlate.head, pendingXlate.source);
        pendingXlate = undefined;
      }
      return;
    }
    const ikeState = /^(?:Rekey\s*:\s*\S+\s+)?State\s*:\s*(\S+)/i.exec(line) ?? /\bState\s*:\s*(\S+)\s*$/i.exec(line);
    if (asaPeer && ikeState) {
      asaPeer.state = ikeState[1]!;
      asaPeer = undefined;
      return;
    }
    if (SKIP.some((r) => r.test(line))) return;
    let m: RegExpExecArray | null;
    // IOS show ip nat translations
    if ((m = /^(udp|tcp|icmp|esp|gre|---|\d+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+?)(?:\d+ in use.*)?$/i.exec(line))) {
      const [g, l, ol, og] = [endpoint(m[2]!), endpoint(m[3]!), endpoint(m[4]!), endpoint(m[5]!)];
      if (g && l && ol !== undefined && og !== undefined) {
        const p = m[1]!.toLowerCase();
        st.translations.push({ protocol: p === "---" ? undefined : (PROTOS[p] ?? Number(p)), local: l, global: g, ...(og ? { remote: og } : {}), command: "show ip nat translations", source });
        return;
      }
    }
    // ASA 8.3+ show xlate: PAT
    if ((m = new RegExp(`^(UDP|TCP|ICMP)\\s+PAT\\s+from\\s+(\\S+?):(${IP})/(\\d+)\\s+to\\s+(\\S+?):\\s*(${IP})/(\\d+)`, "i").exec(line))) {
      st.translations.push({ protocol: PROTOS[m[1]!.toLowerCase()], local: { ip: parseIp(m[3])!, port: Number(m[4]) }, global: { ip: parseIp(m[6])!, port: Number(m[7]) }, command: "show xlate", source });
      return;
    }
    if (/^NAT\s+from\s/i.test(line)) {
      if (/\sto\s+\S+:/.test(line)) natFrom(st, line, source);
      else pendingXlate = { head: line, source };
      return;
    }
    // ASA before 8.3 show xlate
    if ((m = new RegExp(`^PAT\\s+Global\\s+(${IP})\\((\\d+)\\)\\s+Local\\s+(${IP})\\((\\d+)\\)`, "i").exec(line))) {
      st.translations.push({ protocol: undefined, local: { ip: parseIp(m[3])!, port: Number(m[4]) }, global: { ip: parseIp(m[1])!, port: Number(m[2]) }, command: "show xlate", source });
      return;
    }
    if ((m = new RegExp(`^Global\\s+(${IP})\\s+Local\\s+(${IP})`, "i").exec(line))) {
      st.translations.push({ protocol: undefined, local: { ip: parseIp(m[2])! }, global: { ip: parseIp(m[1])! }, command: "show xlate", source });
      return;
    }
    // ASA show conn
    if ((m = new RegExp(`^(UDP|TCP)\\s+(\\S+?):?\\s+(${IP}):(\\d+)\\s+(\\S+?):?\\s+(${IP}):(\\d+)\\b`, "i").exec(line))) {
      st.conns.push({
        protocol: PROTOS[m[1]!.toLowerCase()]!,
        outside: { iface: m[2]!, ip: parseIp(m[3])!, port: Number(m[4]) },
        inside: { iface: m[5]!, ip: parseIp(m[6])!, port: Number(m[7]) },
        source,
      });
      return;
    }
    // show crypto isakmp sa: IOS rows
    if ((m = new RegExp(`^(${IP})\\s+(${IP})\\s+([A-Z][A-Z0-9_]*)\\s+(\\d+)(?:\\s+\\d+)?\\s*(.*)$`).exec(line))) {
      st.ikeSas.push({ dst: parseIp(m[1])!, src: parseIp(m[2])!, state: m[3]!, ...(m[5] ? { status: m[5] } : {}), source });
      return;
    }
    // ASA blocks
    if ((m = new RegExp(`^\\d+\\s+IKE Peer:\\s*(${IP})`, "i").exec(line))) {
      asaPeer = { dst: parseIp(m[1])!, state: "?", source };
      st.ikeSas.push(asaPeer);
      return;
    }
    if (new RegExp(IP).test(line)) st.unread.push(source);
  });
  return st;
}

/** `NAT from inside:A to outside:B …`: an address translation (kept when both ends are one host). */
function natFrom(st: ObservedState, text: string, source: SourceRef): void {
  const m = new RegExp(`^NAT\\s+from\\s+\\S+?:(${IP})\\s+to\\s+\\S+?:(${IP})(?:\\s|$)`, "i").exec(text);
  if (!m) return; // subnets and lists of twice NAT: no one address to use
  st.translations.push({ protocol: undefined, local: { ip: parseIp(m[1])! }, global: { ip: parseIp(m[2])! }, command: "show xlate", source });
}

/** True when nothing in the file was recognised. */
export function observedIsEmpty(s: ObservedState): boolean {
  return !s.translations.length && !s.conns.length && !s.ikeSas.length;
}
