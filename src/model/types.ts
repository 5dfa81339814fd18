/**
 * The vendor-independent model. Vendor parsers (src/parse/<vendor>) turn config text into a
 * `Device`; everything downstream (nat, acl, headerspace, checks) reads only this model.
 *
 * Conventions
 * - IPv4 addresses are unsigned 32-bit integers held in JS numbers (use `>>> 0`).
 * - Port and address sets are unions of inclusive ranges / wildcard patterns; `[]` is the
 *   empty set (matches nothing), an absent optional field means "any".
 * - Every element carries a `SourceRef` (file + 1-based line) so a finding can point at it.
 */

import { newFeatures, type DeviceFeatures } from "./features.js";

export type { DeviceFeatures } from "./features.js";

export type Vendor = "ios" | "asa";

export interface SourceRef {
  file: string;
  /** 1-based line number. */
  line: number;
  /** The source line, trimmed. */
  text: string;
}

/** IPv4 address pattern: bits set in `wildcard` are ignored (IOS wildcard semantics). `addr` has those bits cleared. */
export interface Wildcard {
  addr: number;
  wildcard: number;
}
/** Union of wildcard patterns. `[]` matches no address. */
export type AddrSet = Wildcard[];

/** Inclusive port range 0..65535. */
export interface PortRange {
  lo: number;
  hi: number;
}
/** Union of port ranges, sorted and merged. `[]` matches no port. */
export type PortSet = PortRange[];

/** TCP flag bits as carried in `Packet.tcpFlags`. */
export const TCP = { FIN: 1, SYN: 2, RST: 4, PSH: 8, ACK: 16, URG: 32 } as const;

/**
 * One protocol/port combination an ACE matches. An ACE matches the union of its service terms.
 * `protocol: null` means any IP protocol (`ip`).
 */
export interface ServiceTerm {
  protocol: number | null;
  /** Only meaningful for tcp (6), udp (17), sctp (132). Absent = any port. */
  srcPorts?: PortSet;
  dstPorts?: PortSet;
  /** ICMP (protocol 1): absent = any type / any code. */
  icmpType?: number;
  icmpCode?: number;
  /** TCP `established`: ACK or RST set. */
  established?: boolean;
  /**
   * Explicit TCP flag matching (IOS `match-all +syn -ack`, or bare flag keywords `syn`, `ack`):
   * every bit in `set` must be 1 and every bit in `clear` must be 0 (match-all); with
   * `any: true`, at least one of the listed conditions holds (match-any).
   */
  tcpFlags?: { set: number; clear: number; any?: boolean };
}

/** What an ACE matches on the IP header. */
export interface TosMatch {
  kind: "dscp" | "precedence" | "tos";
  /** dscp 0..63, precedence 0..7, tos 0..15 */
  value: number;
}

export interface AceMatch {
  src: AddrSet;
  dst: AddrSet;
  /** Union of service terms; `[]` matches nothing (e.g. an empty service object-group). */
  services: ServiceTerm[];
  /** IOS `fragments`: the ACE matches only non-initial fragments. */
  fragments?: boolean;
  tos?: TosMatch;
  /**
   * Set when part of the line could not be modelled exactly (e.g. an IPv6 or fqdn object in an
   * ASA ACE). The parser emits a diagnostic for it; analyses treat the match as written.
   */
  approximate?: string;
}

export interface Ace {
  action: "permit" | "deny";
  match: AceMatch;
  source: SourceRef;
  /** Sequence number (IOS named ACL) or ASA `line N` position, when written. */
  seq?: number;
  timeRange?: string;
  /** ASA `inactive`: the line is in the config but never matches. */
  inactive?: boolean;
  log?: boolean;
  /** Named objects this line uses (object-groups, objects, time-ranges, interfaces). */
  refs?: Reference[];
}

export interface Acl {
  name: string;
  type: "standard" | "extended";
  /** Where the ACL is first defined. */
  source: SourceRef;
  entries: Ace[];
  remarks: SourceRef[];
  /** The dialect whose semantics the entries have (how non-initial fragments are matched). */
  vendor: Vendor;
}

export type ObjectGroupKind = "network" | "service" | "protocol" | "icmp-type" | "object-network" | "object-service";

export interface ObjectGroup {
  name: string;
  kind: ObjectGroupKind;
  source: SourceRef;
  /** Resolved content (nested groups expanded). For network kinds. */
  addrs?: AddrSet;
  /** Resolved content for service/protocol/icmp-type kinds. */
  services?: ServiceTerm[];
  /** Names of nested groups/objects this group refers to. */
  members?: Reference[];
  /** Set for a group of a type natlint does not model (e.g. IOS `object-group fqdn`): it is defined, its content unknown. */
  unmodelled?: string;
}

export interface InterfaceAddress {
  ip: number;
  mask: number;
  secondary?: boolean;
}

export interface AccessGroup {
  acl: string;
  direction: "in" | "out";
  source: SourceRef;
  /** ASA `control-plane`: filters traffic to the device itself. */
  controlPlane?: boolean;
}

export interface Interface {
  name: string;
  /** ASA `nameif`. */
  nameif?: string;
  securityLevel?: number;
  addresses: InterfaceAddress[];
  natRole?: "inside" | "outside";
  accessGroups: AccessGroup[];
  shutdown?: boolean;
  source: SourceRef;
}

/**
 * A static route (IOS `ip route PREFIX MASK {IF [NEXTHOP] | NEXTHOP}`, ASA `route IF NET MASK
 * GATEWAY`): where the path simulation sends a packet that no connected subnet holds.
 */
export interface StaticRoute {
  prefix: number;
  mask: number;
  /** The exit interface as written (IOS interface name, ASA nameif). */
  iface?: string;
  nextHop?: number;
  source: SourceRef;
}

export interface NatPool {
  name: string;
  /** Global addresses in order (inclusive range start..end). */
  start: number;
  end: number;
  prefixLength?: number;
  source: SourceRef;
}

/** PAT options (ASA pat-pool keywords); IOS uses none of them. */
export interface PatOptions {
  roundRobin?: boolean;
  extended?: boolean;
  flat?: boolean;
  includeReserve?: boolean;
  blockAllocation?: boolean;
}

export type NatMapped =
  | { kind: "interface"; iface: string }
  | { kind: "pool"; pool: string }
  /** Explicit global addresses (ASA mapped object / range / pat-pool object, resolved). */
  | { kind: "addresses"; ranges: Array<{ start: number; end: number }>; patPool?: boolean };

export interface NatRule {
  source: SourceRef;
  type: "static" | "dynamic";
  /** Port address translation (IOS `overload`, ASA dynamic PAT). */
  pat: boolean;
  /** Which real traffic the rule translates. */
  match: {
    /** IOS `list ACL` / ASA `nat (if) id access-list`. */
    acl?: string;
    routeMap?: string;
    /** Real source addresses (ASA object / twice NAT real source). */
    realAddrs?: AddrSet;
    /** Twice NAT destination restriction. */
    dstAddrs?: AddrSet;
    /** Static port forwarding / twice-NAT service. */
    protocol?: number;
    realPort?: number;
  };
  mapped: NatMapped;
  /** Static NAT: the global port for port forwarding. */
  mappedPort?: number;
  /** ASA: real and mapped interface names (nameifs); IOS: undefined (inside/outside roles). */
  realIf?: string;
  mappedIf?: string;
  patOptions?: PatOptions;
  /** ASA NAT table section; IOS: undefined. */
  section?: NatSection;
}

/**
 * ASA NAT table sections, in evaluation order: manual (twice) NAT, auto (object) NAT, and manual
 * NAT placed `after-auto`.
 */
export const NatSection = { Manual: "manual", Auto: "auto", AfterAuto: "after-auto" } as const;
export type NatSection = (typeof NatSection)[keyof typeof NatSection];

export type ReferenceKind = "acl" | "object-group" | "object" | "nat-pool" | "interface" | "time-range" | "route-map";

/**
 * What kind of feature refers to a name: decides what an undefined reference means (an undefined
 * ACL in an access-group permits everything on IOS; in a NAT rule it translates nothing).
 */
export type ReferenceUse = "access-group" | "nat" | "ace" | "group-member";

export interface Reference {
  kind: ReferenceKind;
  name: string;
  source: SourceRef;
  use: ReferenceUse;
  /** What refers to it, as the config writes it, for messages: "ip access-group", "ip nat inside source", "ACE", … */
  context: string;
}

/**
 * What a diagnostic is, and so which rule reports it:
 * - `unrecognized-syntax`, `cycle`, `limit` (an internal limit — nesting depth, group size — was
 *   reached; the message says what was left out): rule `unrecognized-syntax`;
 * - `unmodelled`: valid configuration that can change an ACL or NAT verdict and is not modelled
 *   (the message says what it could change): rule `unmodelled-feature`;
 * - `note`: valid configuration natlint only notes (an address learnt at run time, an IPv6 ACL):
 *   rule `config-note`;
 * - `unsupported`: the file is not a Cisco IOS or ASA configuration, nothing was analysed: rule
 *   `unsupported-input`.
 */
export type DiagnosticKind = "unrecognized-syntax" | "cycle" | "unmodelled" | "limit" | "note" | "unsupported";

/** Something the parser could not model, or notes; `kind` decides the rule that reports it. */
export interface Diagnostic {
  kind: DiagnosticKind;
  source: SourceRef;
  message: string;
}

export interface Device {
  file: string;
  vendor: Vendor;
  /**
   * ASA `access-group NAME global`: applied inbound on every interface, after the interface's own
   * `in` ACL (a packet no line of that ACL matches falls through to it).
   */
  globalAcl?: AccessGroup;
  hostname?: string;
  /** ASA `ASA Version x.y(z)`, IOS `version x.y`. */
  version?: string;
  interfaces: Interface[];
  acls: Map<string, Acl>;
  objectGroups: Map<string, ObjectGroup>;
  natPools: Map<string, NatPool>;
  /** In the order the device evaluates them. */
  natRules: NatRule[];
  timeRanges: Map<string, SourceRef>;
  /** Every reference from one named thing to another, for undefined-reference / unused-definition. */
  references: Reference[];
  /**
   * Names mentioned on lines the parser skipped (route-maps, snmp, vty access-class, …). A name
   * mentioned here counts as used, so unused-definition never reports an ACL some feature we do
   * not model refers to.
   */
  otherMentions: Set<string>;
  diagnostics: Diagnostic[];
  /** IOS `ip dhcp excluded-address` ranges (used to pick realistic client addresses). */
  dhcpExcluded: Array<{ start: number; end: number }>;
  /** ASA `dhcpd address A-B IF` ranges: where the clients' addresses come from. */
  dhcpRanges: Array<{ start: number; end: number }>;
  /** Stateful inspection, IPsec and policy routing as configured (read, not yet modelled). */
  features: DeviceFeatures;
  /** Static routes of the global routing table, in file order (VRF routes are not in it). */
  routes?: StaticRoute[];
  /** Route lines not read into `routes` (VRF routes, next hops learnt at run time, other shapes): a path says so. */
  routesUnread?: SourceRef[];
  lineCount: number;
}

/** A concrete IPv4 packet header. */
export interface Packet {
  protocol: number;
  src: number;
  dst: number;
  srcPort: number;
  dstPort: number;
  icmpType: number;
  icmpCode: number;
  /** Bit set of TCP flags (see `TCP`). */
  tcpFlags: number;
  /** Non-initial fragment. */
  fragment: boolean;
  /** The whole ToS byte: dscp = tos >> 2, precedence = tos >> 5, IOS `tos` value = (tos >> 1) & 15. */
  tos: number;
}

export function newDevice(file: string, vendor: Vendor): Device {
  return {
    file,
    vendor,
    interfaces: [],
    acls: new Map(),
    objectGroups: new Map(),
    natPools: new Map(),
    natRules: [],
    timeRanges: new Map(),
    references: [],
    otherMentions: new Set(),
    diagnostics: [],
    dhcpExcluded: [],
    dhcpRanges: [],
    features: newFeatures(),
    routes: [],
    lineCount: 0,
  };
}

export function packet(p: Partial<Packet> & Pick<Packet, "protocol" | "src" | "dst">): Packet {
  return {
    srcPort: 0,
    dstPort: 0,
    icmpType: 0,
    icmpCode: 0,
    tcpFlags: 0,
    fragment: false,
    tos: 0,
    ...p,
  };
}
