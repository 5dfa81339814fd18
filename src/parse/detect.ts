/**
 * Guesses the vendor of a config from its content, and what a file that is not a Cisco config
 * looks like.
 *
 * Vendor: an `ASA|PIX|FWSM|NGFW Version` header decides at once; otherwise ASA-only and IOS-only
 * constructs are counted and the larger score wins; ties and files with neither go to IOS.
 * Address masks are evidence too: ASA ACLs write netmasks (`255.255.255.0`, and `0.0.0.0 0.0.0.0`
 * for any), IOS ACLs write wildcards (`0.0.0.255`) — Cisco ASA CLI configuration guide,
 * "Guidelines for ACLs": "The ASA uses a network mask … The Cisco IOS mask uses wildcard bits".
 * `access-list NAME extended …` exists only on ASA (IOS numbered ACLs have no `extended`
 * keyword), so a file of such lines is ASA however many remarks come first.
 */
import type { Vendor } from "../model/types.js";
import { looksBinary } from "../io/decode.js";
import { isBlank, leadingBlanks } from "./common/text.js";

interface Marker {
  /** Tested on each line without its leading blanks (never across lines: see `detectVendor`). */
  re?: RegExp;
  /** Tested on the words of each `access-list` entry line instead of `re`. */
  ace?: (words: readonly string[]) => boolean;
  label: string;
  weight: number;
}

const DOTTED = /^\d+\.\d+\.\d+\.\d+$/;
const ACTION = new Set(["permit", "deny"]);

/**
 * The words after the action of an `access-list NAME [line N] [extended] permit|deny …` line, or
 * undefined for another line. `spaced`: the first of them follows two or more blanks (the old
 * pattern needed a blank before an address, so an address right after `permit ` did not count).
 */
function aceOperands(line: string): { rest: readonly string[]; spaced: boolean } | undefined {
  const words: string[] = [];
  const starts: number[] = [];
  for (let i = 0; i < line.length && words.length < 64; ) {
    while (i < line.length && isBlank(line.charCodeAt(i))) i++;
    if (i >= line.length) break;
    const a = i;
    while (i < line.length && !isBlank(line.charCodeAt(i))) i++;
    words.push(line.slice(a, i));
    starts.push(a);
  }
  if (words[0] !== "access-list" || words.length < 3) return undefined;
  let i = 2;
  if (words[i] === "line" && /^\d+$/.test(words[i + 1] ?? "")) i += 2;
  if (words[i] === "extended") i++;
  if (!ACTION.has(words[i] ?? "")) return undefined;
  const gap = i + 1 < words.length ? starts[i + 1]! - (starts[i]! + words[i]!.length) : 0;
  return { rest: words.slice(i + 1), spaced: gap >= 2 };
}

/** Some address `A.B.C.D` followed by a mask for which `isMask` holds. */
function addressWithMask(isMask: (m: string) => boolean): (words: readonly string[], spaced: boolean) => boolean {
  return (rest, spaced) => {
    for (let j = spaced ? 0 : 1; j + 1 < rest.length; j++) if (DOTTED.test(rest[j]!) && DOTTED.test(rest[j + 1]!) && isMask(rest[j + 1]!)) return true;
    return false;
  };
}

const netmask = addressWithMask((m) => m.startsWith("255.") || m === "0.0.0.0");
const wildcard = addressWithMask((m) => m.startsWith("0.") && m !== "0.0.0.0");

// Each pattern is anchored at the start of one line and has no two adjacent quantifiers over
// overlapping characters, so it runs in time linear in the line's length.
const ASA_MARKERS: readonly Marker[] = [
  { re: /^nameif[ \t]+\S+[ \t]*$/, label: "nameif", weight: 3 },
  { re: /^access-list[ \t]+\S+[ \t]+(?:line[ \t]+\d+[ \t]+)?(?:extended|webtype|ethertype)[ \t]/, label: "access-list NAME extended", weight: 4 },
  { re: /^access-list[ \t]+[^\s\d]\S*[ \t]+(?:line[ \t]+\d+[ \t]+)?(?:remark|standard)[ \t]/, label: "access-list NAME remark", weight: 2 },
  { re: /^security-level[ \t]+\d+[ \t]*$/, label: "security-level N", weight: 3 },
  { re: /^object[ \t]+(?:network|service)[ \t]+\S/, label: "object network|service", weight: 3 },
  { re: /^access-group[ \t]+\S+[ \t]+(?:(?:in|out)[ \t]+interface[ \t]+\S|global)/, label: "access-group NAME in interface", weight: 3 },
  { re: /^nat[ \t]+\([^)\s]+\)/, label: "nat (if…)", weight: 2 },
  { re: /^(?:global|static)[ \t]+\([^)\s]+\)/, label: "global/static (if…)", weight: 2 },
  { re: /^same-security-traffic[ \t]/, label: "same-security-traffic", weight: 3 },
  { re: /^network-object[ \t]/, label: "network-object", weight: 1 },
  { re: /^(?:ssh|telnet|http)[ \t]+\S+[ \t]+\S+[ \t]+[A-Za-z]\S*[ \t]*$/, label: "ssh/telnet/http A M IF", weight: 1 },
  { re: /^route[ \t]+[A-Za-z]\S*[ \t]+\d+\.\d+\.\d+\.\d+[ \t]+\d+\.\d+\.\d+\.\d+[ \t]+\d/, label: "route IF A M GW", weight: 2 },
  { re: /^tunnel-group[ \t]/, label: "tunnel-group", weight: 2 },
  { re: /^: Saved\b/, label: ": Saved", weight: 2 },
  // a netmask where IOS writes a wildcard: `A 255.x.x.x`, and ASA's `0.0.0.0 0.0.0.0` (any)
  { ace: (w) => netmask(w, false), label: "netmask in access-list", weight: 3 },
];

const IOS_MARKERS: readonly Marker[] = [
  { re: /^ip[ \t]+access-list[ \t]+(?:standard|extended)[ \t]/, label: "ip access-list", weight: 3 },
  { re: /^ip[ \t]+nat[ \t]+(?:inside|outside)\b/, label: "ip nat inside|outside", weight: 4 },
  { re: /^ip[ \t]+access-group[ \t]/, label: "ip access-group", weight: 4 },
  { re: /^version[ \t]+\d+\.\d/, label: "version N.N", weight: 2 },
  { re: /^ip[ \t]+route[ \t]/, label: "ip route", weight: 2 },
  { re: /^line[ \t]+(?:vty|con)[ \t]/, label: "line vty|con", weight: 2 },
  { re: /^access-list[ \t]+\d+[ \t]+(?:permit|deny|remark)[ \t]/, label: "numbered access-list", weight: 1 },
  // (indented: tested with `indented`)
  { re: /^ip[ \t]+address[ \t]+\d+\.\d+\.\d+\.\d+[ \t]+\d+\.\d+\.\d+\.\d+(?:[ \t]+secondary)?[ \t]*$/, label: "interface ip address", weight: 1 },
  { re: /^(?:ip[ \t]+)?vrf[ \t]+(?:definition|forwarding)[ \t]/, label: "vrf", weight: 1 },
  { re: /^switchport[ \t]/, label: "switchport", weight: 2 },
  { re: /^boot-start-marker[ \t]*$/, label: "boot-start-marker", weight: 2 },
  // a wildcard where ASA writes a netmask: `A 0.x.x.x` other than 0.0.0.0 (ASA's any)
  { ace: (w) => wildcard(w, false), label: "wildcard mask in access-list", weight: 5 },
];

/**
 * The literal text a marker's pattern starts with (`^ip[ \t]+route` → `ip`), when it has one and
 * no top-level alternative: a line that does not start with it cannot match, so the pattern is
 * tried only on the lines that start with its first character (most lines of a long ACL start
 * with none of them).
 */
export function literalStart(re: RegExp | undefined): string | undefined {
  if (re === undefined || re.flags.includes("i")) return undefined;
  let depth = 0;
  for (let i = 0; i < re.source.length; i++) {
    const c = re.source[i];
    if (c === "\\") i++;
    else if (c === "(" || c === "[") depth++;
    else if (c === ")" || c === "]") depth--;
    else if (c === "|" && depth === 0) return undefined;
  }
  // the last letter of the run must not be quantified (`^abc?` starts with `ab`)
  return /^\^([A-Za-z0-9:_-]+)(?![?*+{])/.exec(re.source)?.[1];
}

/** A marker list's markers by the first character of their literal start; the rest are tried on every line. */
interface Buckets {
  byFirst: Map<number, number[]>;
  always: number[];
}
function buckets(markers: readonly Marker[]): Buckets {
  const b: Buckets = { byFirst: new Map(), always: [] };
  markers.forEach((mk, m) => {
    const lit = literalStart(mk.re);
    if (lit === undefined) b.always.push(m);
    else {
      const c = lit.charCodeAt(0);
      const list = b.byFirst.get(c);
      if (list) list.push(m);
      else b.byFirst.set(c, [m]);
    }
  });
  return b;
}
const ASA_BUCKETS = buckets(ASA_MARKERS);
const IOS_BUCKETS = buckets(IOS_MARKERS);

/** The marker that only counts on an indented line (an interface's `ip address`). */
const INDENTED_ONLY = "interface ip address";

const HEADER = /^(ASA|PIX|FWSM|NGFW)[ \t]+Version[ \t]+(\S+)/;

/**
 * Vendor of a config. Every line is looked at once, on its own (a pattern applied to the whole
 * text with the `m` flag and a leading `\s*` would rescan every run of blank lines from each of
 * its lines: quadratic in the number of blank lines).
 */
export function detectVendor(text: string): { vendor: Vendor; reason: string } {
  const asaSeen = new Array<boolean>(ASA_MARKERS.length).fill(false);
  const iosSeen = new Array<boolean>(IOS_MARKERS.length).fill(false);
  let header: RegExpExecArray | null = null;
  const lines = text.split(/\r\n|\r|\n/);
  const tryList = (markers: readonly Marker[], list: readonly number[], seen: boolean[], t: string, indented: boolean, ace: () => readonly string[] | undefined): void => {
    for (const m of list) {
      if (seen[m]) continue;
      const mk = markers[m]!;
      if (mk.label === INDENTED_ONLY && !indented) continue;
      if (mk.re ? mk.re.test(t) : mk.ace!(ace() ?? [])) seen[m] = true;
    }
  };
  const look = (markers: readonly Marker[], b: Buckets, seen: boolean[], t: string, indented: boolean, ace: () => readonly string[] | undefined): void => {
    tryList(markers, b.always, seen, t, indented, ace);
    // a pattern with a literal start is tried only on the lines that start with its first character
    const started = b.byFirst.get(t.charCodeAt(0));
    if (started !== undefined) tryList(markers, started, seen, t, indented, ace);
  };
  for (const raw of lines) {
    // vendor evidence is in the first words of a line; a longer one is looked at by its start
    const line = raw.length > 4096 ? raw.slice(0, 4096) : raw;
    const lead = leadingBlanks(line);
    const t = line.slice(lead);
    if (t === "") continue;
    header ??= HEADER.exec(t);
    if (header) break;
    let words: readonly string[] | undefined | null = null;
    const ace = (): readonly string[] | undefined => {
      if (words === null) {
        const op = t.startsWith("access-list") ? aceOperands(t) : undefined;
        words = op ? (op.spaced ? ["", ...op.rest] : op.rest) : undefined;
      }
      return words;
    };
    look(ASA_MARKERS, ASA_BUCKETS, asaSeen, t, lead > 0, ace);
    look(IOS_MARKERS, IOS_BUCKETS, iosSeen, t, lead > 0, ace);
  }
  if (header) return { vendor: "asa", reason: `"${header[1]} Version ${header[2]}" header` };
  let asa = 0;
  let ios = 0;
  const asaHits: string[] = [];
  const iosHits: string[] = [];
  ASA_MARKERS.forEach((m, i) => {
    if (asaSeen[i]) {
      asa += m.weight;
      asaHits.push(m.label);
    }
  });
  IOS_MARKERS.forEach((m, i) => {
    if (iosSeen[i]) {
      ios += m.weight;
      iosHits.push(m.label);
    }
  });
  if (asa > ios) return { vendor: "asa", reason: `ASA syntax: ${asaHits.join(", ")}` };
  if (ios > 0) return { vendor: "ios", reason: `IOS syntax: ${iosHits.join(", ")}` };
  return { vendor: "ios", reason: asa > 0 ? `no clear markers (ASA ${asa} = IOS ${ios}); default IOS` : "no vendor markers; default IOS" };
}

// ---------------------------------------------------------------------------- other formats

interface Looks {
  what: string;
  test(text: string, lines: readonly string[]): boolean;
}

const share = (lines: readonly string[], re: RegExp): number => (lines.length === 0 ? 0 : lines.filter((l) => re.test(l)).length / lines.length);

const LOOKS: readonly Looks[] = [
  { what: "an iptables-save dump", test: (t) => /^\*(?:filter|nat|mangle|raw|security)\s*$/m.test(t) || (/^-A\s+\S+/m.test(t) && /^COMMIT\s*$/m.test(t)) || /^:[A-Z][A-Z0-9_-]*\s+(?:ACCEPT|DROP|RETURN|-)\s+\[\d+:\d+\]/m.test(t) },
  { what: "an nftables ruleset", test: (t) => /^\s*table\s+(?:ip|ip6|inet|arp|bridge|netdev)\s+\S+\s*\{/m.test(t) },
  { what: "a Windows netsh dump", test: (t) => /^pushd\s+\S+/m.test(t) || /^popd\s*$/m.test(t) || /^#\s*(?:Interface|NAT|IPv4|Routing) .*[Cc]onfiguration\s*$/m.test(t) },
  { what: "a Junos configuration (set commands)", test: (_t, ls) => share(ls, /^(?:set|delete|deactivate)\s+(?:system|interfaces|security|firewall|policy-options|routing-options|protocols|snmp|applications|routing-instances|chassis|vlans|groups)\s/) > 0.3 },
  { what: "a Junos configuration", test: (t) => /^(?:system|interfaces|security|firewall|policy-options|routing-options|protocols|version\s+\S+;)\s*\{?\s*$/m.test(t) && /;\s*$/m.test(t) && /^\s*\}\s*$/m.test(t) },
  { what: "a FortiOS configuration", test: (t) => /^\s*config\s+(?:system|firewall|router|vpn|user|log)\s/m.test(t) && /^\s*(?:next|end)\s*$/m.test(t) },
  { what: "a PAN-OS configuration (set commands)", test: (_t, ls) => share(ls, /^set\s+(?:deviceconfig|network|rulebase|address|address-group|service|zone|shared|vsys)\s/) > 0.3 },
  { what: "a MikroTik RouterOS export", test: (t) => /^\/(?:ip|interface|system|routing|ipv6|tool)\b/m.test(t) },
  {
    what: "the output of a show command (show nat, show xlate, show ip nat translations)",
    test: (t) => /^(?:Pro\s+Inside global\s+Inside local|Manual NAT Policies \(Section \d\)|Auto NAT Policies \(Section \d\)|\d+ in use, \d+ most used|Flags: D - DNS)/m.test(t),
  },
  { what: "a shell script", test: (t) => /^#!/.test(t) },
  { what: "a Windows registry export", test: (t) => /^\s*Windows Registry Editor/.test(t) },
  { what: "an HTML page", test: (t) => /<html[\s>]/i.test(t) },
  { what: "an XML document", test: (t) => /^\s*<(?:\?xml|[A-Za-z])/.test(t) },
  { what: "a JSON document", test: (t) => /^\s*[{[]/.test(t) && /[}\]]\s*$/.test(t) },
  { what: "a YAML document", test: (t, ls) => /^---\s*$/m.test(t) || share(ls, /^\s*(?:- |[\w.$-]+:(?:\s|$))/) > 0.6 },
  { what: "an INI file", test: (t, ls) => /^\[[^\]]+\]\s*$/m.test(t) && share(ls, /^\s*[\w.-]+\s*=/) > 0.3 },
  { what: "a CSV or spreadsheet export", test: (_t, ls) => share(ls, /^[^,]*,[^,]*,/) > 0.6 || share(ls, /\t.*\t/) > 0.6 },
];

/** What a file that is not a Cisco configuration looks like ("an iptables-save dump"), or undefined. */
export function looksLike(text: string): string | undefined {
  if (looksBinary(text)) return "a binary file";
  // indentation says nothing here either: signatures are tested on the trimmed lines
  const lines = text
    .split(/\r\n|\r|\n/)
    .map((l) => l.trim())
    .filter((l) => l !== "")
    .slice(0, 400);
  const head = lines.join("\n");
  return LOOKS.find((x) => x.test(head, lines))?.what;
}
