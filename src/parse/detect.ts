/**
 * Guesses the vendor of a config from its content. An `ASA|PIX|FWSM Version` header decides at
 * once; otherwise ASA-only and IOS-only constructs are counted and the larger score wins. Ties and
 * files with neither go to IOS.
 */
import type { Vendor } from "../model/types.js";

interface Marker {
  re: RegExp;
  label: string;
  weight: number;
}

const ASA_MARKERS: readonly Marker[] = [
  { re: /^\s*nameif\s+\S+/m, label: "nameif", weight: 3 },
  { re: /^access-list\s+\S+\s+(?:line\s+\d+\s+)?(?:extended|webtype|ethertype)\s/m, label: "access-list NAME extended", weight: 3 },
  { re: /^\s*security-level\s+\d+\s*$/m, label: "security-level N", weight: 3 },
  { re: /^object\s+(?:network|service)\s+\S+/m, label: "object network|service", weight: 3 },
  { re: /^access-group\s+\S+\s+(?:(?:in|out)\s+interface\s+\S+|global)/m, label: "access-group NAME in interface", weight: 3 },
  { re: /^nat\s+\([^)\s]+\)/m, label: "nat (if…)", weight: 2 },
  { re: /^(?:global|static)\s+\([^)\s]+\)/m, label: "global/static (if…)", weight: 2 },
  { re: /^same-security-traffic\s/m, label: "same-security-traffic", weight: 3 },
  { re: /^\s*network-object\s/m, label: "network-object", weight: 1 },
  { re: /^(?:ssh|telnet|http)\s+\S+\s+\S+\s+[A-Za-z]\S*\s*$/m, label: "ssh/telnet/http A M IF", weight: 1 },
  { re: /^route\s+[A-Za-z]\S*\s+\d+\.\d+\.\d+\.\d+\s+\d+\.\d+\.\d+\.\d+\s+\d/m, label: "route IF A M GW", weight: 2 },
  { re: /^tunnel-group\s/m, label: "tunnel-group", weight: 2 },
  { re: /^: Saved\b/m, label: ": Saved", weight: 2 },
];

const IOS_MARKERS: readonly Marker[] = [
  { re: /^ip\s+access-list\s+(?:standard|extended)\s/m, label: "ip access-list", weight: 3 },
  { re: /^\s*ip\s+nat\s+(?:inside|outside)\b/m, label: "ip nat inside|outside", weight: 3 },
  { re: /^\s*ip\s+access-group\s/m, label: "ip access-group", weight: 3 },
  { re: /^version\s+\d+\.\d+/m, label: "version N.N", weight: 2 },
  { re: /^ip\s+route\s/m, label: "ip route", weight: 2 },
  { re: /^line\s+(?:vty|con)\s/m, label: "line vty|con", weight: 2 },
  { re: /^access-list\s+\d+\s+(?:permit|deny|remark)\s/m, label: "numbered access-list", weight: 1 },
  { re: /^\s+ip\s+address\s+\d+\.\d+\.\d+\.\d+\s+\d+\.\d+\.\d+\.\d+\s*(?:secondary)?\s*$/m, label: "interface ip address", weight: 1 },
  { re: /^\s*(?:ip\s+)?vrf\s+(?:definition|forwarding)\s/m, label: "vrf", weight: 1 },
  { re: /^\s*switchport\s/m, label: "switchport", weight: 2 },
  // `access-list X extended … A 0.x.x.x`: a wildcard where ASA writes a netmask
  {
    re: /^access-list\s+\S+\s+extended\s+(?:permit|deny)\s+\S+\s+\d+\.\d+\.\d+\.\d+\s+0\.\d+\.\d+\.\d+\s/m,
    label: "wildcard mask in access-list",
    weight: 3,
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
