/**
 * The stateful, IPsec and routing features as configured, each with its line: IOS CBAC,
 * zone-based firewall and reflexive ACLs (modelled for the simulated IPsec sessions by
 * src/sim/stateful.ts), crypto maps, tunnel protection, EzVPN and the ASA's IKE interfaces (the
 * device's own IKE and its peers: src/sim/peers.ts), ASA application inspection and policy
 * routing (reported, not modelled). What is not modelled is reported where it takes effect (rule
 * `unmodelled-feature`).
 */
import type { SourceRef } from "./types.js";

/** One `crypto map NAME SEQ …` entry (IOS: the entry and its `set`/`match` lines; ASA: its one-line settings). */
export interface CryptoMapEntry {
  seq: number;
  /** `match address ACL`: the traffic the entry protects. */
  acl?: string;
  /** `set peer A` (addresses or hostnames, in order). */
  peers: string[];
  /** `ipsec-isakmp dynamic DYN` / `match … dynamic`: a dynamic map (peers not known in advance). */
  dynamic?: string;
  source: SourceRef;
}

export interface InspectClassMatch {
  kind: "protocol" | "access-group" | "class-map" | "other";
  /** The protocol, ACL or class-map name (for `other`, the line after "match"). */
  value: string;
  negated: boolean;
  source: SourceRef;
}

export interface InspectClass {
  /** `match-all` (the default) or `match-any`. */
  matchAny: boolean;
  matches: InspectClassMatch[];
  source: SourceRef;
}

export interface TunnelEnds {
  /** `tunnel source IF` (an interface name) or `tunnel source A.B.C.D`. */
  source?: { iface?: string; ip?: number; ref: SourceRef };
  /** `tunnel destination A.B.C.D` (a hostname is kept as text). */
  destination?: { ip?: number; text: string; ref: SourceRef };
  /** `tunnel mode …` as written (default GRE). */
  mode?: string;
}

export interface DeviceFeatures {
  /** IOS CBAC inspection rules: `ip inspect name NAME PROTOCOL …` (protocols in order). */
  inspectRules: Map<string, { protocols: string[]; source: SourceRef }>;
  /** IOS CBAC applied: `ip inspect NAME in|out` on an interface. */
  inspections: Array<{ iface: string; name: string; direction: "in" | "out"; source: SourceRef }>;
  /** IOS zone-based firewall: `zone security NAME`. */
  zones: Map<string, SourceRef>;
  /** `zone-member security ZONE` on an interface. */
  zoneMembers: Array<{ iface: string; zone: string; source: SourceRef }>;
  /** `zone-pair security NAME source A destination B` with its `service-policy type inspect P`. */
  zonePairs: Array<{ name: string; from: string; to: string; policy?: string; source: SourceRef }>;
  /**
   * IOS `class-map type inspect [match-any|match-all] NAME` with its `match` lines, in order
   * (`match protocol P`, `match access-group name ACL` / `match access-group N`, `match class-map C`;
   * `not` negates one).
   */
  inspectClasses: Map<string, InspectClass>;
  /** Inspect policy-maps (IOS `policy-map type inspect`, ASA `policy-map`): class → action, in order. */
  inspectPolicies: Map<string, { classes: Array<{ className: string; actions: string[]; source: SourceRef }>; source: SourceRef }>;
  /** ASA `service-policy NAME global|interface IF`. */
  servicePolicies: Array<{ policy: string; iface?: string; source: SourceRef }>;
  /** Reflexive ACLs: `permit … reflect NAME` entries … */
  reflects: Array<{ acl: string; name: string; source: SourceRef }>;
  /** … and the `evaluate NAME` lines that stand for their temporary entries. */
  evaluates: Array<{ acl: string; name: string; seq?: number; source: SourceRef }>;
  /** Crypto maps by name. */
  cryptoMaps: Map<string, CryptoMapEntry[]>;
  /** Where crypto maps are applied (IOS interface `crypto map NAME`, ASA `crypto map NAME interface IF`). */
  cryptoMapBindings: Array<{ iface: string; map: string; source: SourceRef }>;
  /** IOS `tunnel protection ipsec profile P` on a tunnel interface. */
  tunnelProtection: Array<{ iface: string; profile: string; source: SourceRef }>;
  /** IOS tunnel interfaces: `tunnel source`, `tunnel destination`, `tunnel mode`. */
  tunnels: Map<string, TunnelEnds>;
  /** IOS Easy VPN remote: `crypto ipsec client ezvpn NAME` with its `peer` lines. */
  ezvpnClients: Map<string, { peers: Array<{ peer: string; source: SourceRef }>; source: SourceRef }>;
  /** `crypto ipsec client ezvpn NAME [outside|inside]` on an interface (outside when not written). */
  ezvpnBindings: Array<{ iface: string; name: string; inside: boolean; source: SourceRef }>;
  /** Interfaces where the device itself runs IKE (ASA `crypto ikev1|ikev2|isakmp enable IF`). */
  ikeInterfaces: Array<{ iface: string; version: string; source: SourceRef }>;
  /** Policy routing: IOS `ip policy route-map RM`, ASA `policy-route route-map RM` on an interface. */
  policyRoutes: Array<{ iface: string; routeMap: string; source: SourceRef }>;
  /** VRF membership of interfaces (IOS `ip vrf forwarding X` / `vrf forwarding X`). */
  vrfMembers: Array<{ iface: string; vrf: string; source: SourceRef }>;
  /** IOS `ip nat service …` lines: NAT helpers for IKE and ESP (`list ACL IKE preserve-port`, `list ACL ESP spi-match`, …). */
  natServices?: Array<{ acl?: string; what: string; source: SourceRef }>;
}

export function newFeatures(): DeviceFeatures {
  return {
    inspectRules: new Map(),
    inspections: [],
    zones: new Map(),
    zoneMembers: [],
    zonePairs: [],
    inspectClasses: new Map(),
    inspectPolicies: new Map(),
    servicePolicies: [],
    reflects: [],
    evaluates: [],
    cryptoMaps: new Map(),
    cryptoMapBindings: [],
    tunnelProtection: [],
    tunnels: new Map(),
    ezvpnClients: new Map(),
    ezvpnBindings: [],
    ikeInterfaces: [],
    policyRoutes: [],
    vrfMembers: [],
  };
}
