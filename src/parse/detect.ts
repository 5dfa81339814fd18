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

interface Marker {
  re: RegExp;
  label: string;
  weight: number;
}

const ACE = String.raw`^\s*access-list\s+\S+\s+(?:line\s+\d+\s+)?(?:extended\s+)?(?:permit|deny)\s`;

const ASA_MARKERS: readonly Marker[] = [
  { re: /^\s*nameif\s+\S+\s*$/m, label: "nameif", weight: 3 },
  { re: /^\s*access-list\s+\S+\s+(?:line\s+\d+\s+)?(?:extended|webtype|ethertype)\s/m, label: "access-list NAME extended", weight: 4 },
  { re: /^\s*access-list\s+[^\s\d]\S*\s+(?:line\s+\d+\s+)?(?:remark|standard)\s/m, label: "access-list NAME remark", weight: 2 },
  { re: /^\s*security-level\s+\d+\s*$/m, label: "security-level N", weight: 3 },
  { re: /^\s*object\s+(?:network|service)\s+\S+/m, label: "object network|service", weight: 3 },
  { re: /^\s*access-group\s+\S+\s+(?:(?:in|out)\s+interface\s+\S+|global)/m, label: "access-group NAME in interface", weight: 3 },
  { re: /^\s*nat\s+\([^)\s]+\)/m, label: "nat (if…)", weight: 2 },
  { re: /^\s*(?:global|static)\s+\([^)\s]+\)/m, label: "global/static (if…)", weight: 2 },
  { re: /^\s*same-security-traffic\s/m, label: "same-security-traffic", weight: 3 },
  { re: /^\s*network-object\s/m, label: "network-object", weight: 1 },
  { re: /^(?:ssh|telnet|http)\s+\S+\s+\S+\s+[A-Za-z]\S*\s*$/m, label: "ssh/telnet/http A M IF", weight: 1 },
  { re: /^\s*route\s+[A-Za-z]\S*\s+\d+\.\d+\.\d+\.\d+\s+\d+\.\d+\.\d+\.\d+\s+\d/m, label: "route IF A M GW", weight: 2 },
  { re: /^\s*tunnel-group\s/m, label: "tunnel-group", weight: 2 },
  { re: /^: Saved\b/m, label: ": Saved", weight: 2 },
  // a netmask where IOS writes a wildcard: `A 255.x.x.x`, and ASA's `0.0.0.0 0.0.0.0` (any)
  { re: new RegExp(`${ACE}.*\\s\\d+\\.\\d+\\.\\d+\\.\\d+\\s+(?:255\\.\\d+\\.\\d+\\.\\d+|0\\.0\\.0\\.0)(?:\\s|$)`, "m"), label: "netmask in access-list", weight: 3 },
];

const IOS_MARKERS: readonly Marker[] = [
  { re: /^\s*ip\s+access-list\s+(?:standard|extended)\s/m, label: "ip access-list", weight: 3 },
  { re: /^\s*ip\s+nat\s+(?:inside|outside)\b/m, label: "ip nat inside|outside", weight: 4 },
  { re: /^\s*ip\s+access-group\s/m, label: "ip access-group", weight: 4 },
  { re: /^\s*version\s+\d+\.\d+/m, label: "version N.N", weight: 2 },
  { re: /^\s*ip\s+route\s/m, label: "ip route", weight: 2 },
  { re: /^\s*line\s+(?:vty|con)\s/m, label: "line vty|con", weight: 2 },
  { re: /^\s*access-list\s+\d+\s+(?:permit|deny|remark)\s/m, label: "numbered access-list", weight: 1 },
  { re: /^\s+ip\s+address\s+\d+\.\d+\.\d+\.\d+\s+\d+\.\d+\.\d+\.\d+\s*(?:secondary)?\s*$/m, label: "interface ip address", weight: 1 },
  { re: /^\s*(?:ip\s+)?vrf\s+(?:definition|forwarding)\s/m, label: "vrf", weight: 1 },
  { re: /^\s*switchport\s/m, label: "switchport", weight: 2 },
  { re: /^\s*boot-start-marker\s*$/m, label: "boot-start-marker", weight: 2 },
  // a wildcard where ASA writes a netmask: `A 0.x.x.x` other than 0.0.0.0 (ASA's any)
  {
    re: new RegExp(`${ACE}.*\\s\\d+\\.\\d+\\.\\d+\\.\\d+\\s+0\\.(?!0\\.0\\.0(?:\\s|$))\\d+\\.\\d+\\.\\d+(?:\\s|$)`, "m"),
    label: "wildcard mask in access-list",
    weight: 5,
  },
];

export function detectVendor(text: string): { vendor: Vendor; reason: string } {
  const header = /^\s*(ASA|PIX|FWSM|NGFW)\s+Version\s+(\S+)/m.exec(text);
  if (header) return { vendor: "asa", reason: `"${header[1]} Version ${header[2]}" header` };
  let asa = 0;
  let ios = 0;
  const asaHits: string[] = [];
  const iosHits: string[] = [];
  for (const m of ASA_MARKERS)
    if (m.re.test(text)) {
      asa += m.weight;
      asaHits.push(m.label);
    }
  for (const m of IOS_MARKERS)
    if (m.re.test(text)) {
      ios += m.weight;
      iosHits.push(m.label);
    }
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
  if (text.includes("\u0000")) return "a binary file";
  // indentation says nothing here either: signatures are tested on the trimmed lines
  const lines = text
    .split(/\r\n|\r|\n/)
    .map((l) => l.trim())
    .filter((l) => l !== "")
    .slice(0, 400);
  const head = lines.join("\n");
  return LOOKS.find((x) => x.test(head, lines))?.what;
}
