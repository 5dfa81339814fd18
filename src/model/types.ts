/**
 * The vendor-independent model. Vendor parsers (src/parse/<vendor>) turn config text into a
 * `Device`; everything downstream (nat, acl, headerspace, checks) reads only this model.
 *
 * Conventions
 * - IPv4 addresses are unsigned 32-bit integers held in JS numbers (use `>>> 0`); IPv6 addresses
 *   are 128-bit `bigint`s (./addr6.ts).
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

/** IPv6 prefix: the top `len` bits of `addr` (its other bits are 0); `len` 128 is a host. */
export interface Prefix6 {
  addr: bigint;
  len: number;
}
/** Union of IPv6 prefixes. `[]` matches no address. */
export type AddrSet6 = Prefix6[];

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
  /** ICMP (protocol 1) and ICMPv6 (58): absent = any type / any code. */
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

/**
 * An ACE matches an IPv4 packet whose addresses are in `src` and `dst`, and an IPv6 packet whose
 * addresses are in `src6` and `dst6` (absent: the line matches no IPv6 packet, as every IPv4 ACL
 * line), then by its services. An IOS `ipv6 access-list` line has `src`/`dst` `[]`; an ASA
 * unified line may have both (`any`: every IPv4 and every IPv6 address).
 */
export interface AceMatch {
  src: AddrSet;
  dst: AddrSet;
  src6?: AddrSet6;
  dst6?: AddrSet6;
  /** Union of service terms; `[]` matches nothing (e.g. an empty service object-group). */
  services: ServiceTerm[];
  /** IOS `fragments`: the ACE matches only non-initial fragments. */
  fragments?: boolean;
  tos?: TosMatch;
  /**
   * Set when part of the line could not be modelled exactly (e.g. an fqdn object in an ASA ACE,
   * an IPv6 extension-header match). The parser emits a diagnostic for it; analyses treat the match as written.
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
  /**
   * The packets the ACL filters: absent = IPv4 (IOS `ip access-list`, numbered ACLs, ASA before
   * 9.0), `ipv6` (IOS `ipv6 access-list`, ASA 8.x `ipv6 access-list`), `both` (ASA 9.0+ unified
   * ACLs). Analyses over packet sets (diff, search, policy rules) look only at these packets.
   */
  family?: "ipv6" | "both";
  /**
   * Lines the platform adds after the written ones, before the implicit deny (IOS IPv6 ACLs:
   * `permit icmp any any nd-na` and `nd-ns`). Not in `entries`; they decide packets no written
   * line matches (see src/acl/evaluate.ts).
   */
  implicitPermits?: ImplicitLine[];
}

/** A line the platform adds to an ACL (no line of the config): its text and what it matches. */
export interface ImplicitLine {
  text: string;
  match: AceMatch;
}

export type ObjectGroupKind = "network" | "service" | "protocol" | "icmp-type" | "object-network" | "object-service" | "v6-network" | "v6-service";

export interface ObjectGroup {
  name: string;
  kind: ObjectGroupKind;
  source: SourceRef;
  /** Resolved content (nested groups expanded). For network kinds. */
  addrs?: AddrSet;
  /** Resolved IPv6 content (IOS `v6-network`; ASA network objects and groups with IPv6 members). */
  addrs6?: AddrSet6;
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

/** An interface's IPv6 address (`ipv6 address X:X::X/N`): `ip` the address, `len` the prefix length of its subnet. */
export interface InterfaceAddress6 {
  ip: bigint;
  len: number;
  /** `eui-64`: `ip` is the prefix only; the host part is derived from the MAC address (unknown here). */
  eui64?: boolean;
}

export interface AccessGroup {
  acl: string;
  direction: "in" | "out";
  source: SourceRef;
  /** ASA `control-plane`: filters traffic to the device itself. */
  controlPlane?: boolean;
  /** IOS `ipv6 traffic-filter`: the binding of an IPv6 ACL (kept in `Interface.ipv6Filters`). */
  family?: "ipv6";
}

export interface Interface {
  name: string;
  /** ASA `nameif`. */
  nameif?: string;
  securityLevel?: number;
  addresses: InterfaceAddress[];
  /** IPv6 addresses (IOS and ASA `ipv6 address X:X::X/N`; link-local ones are not kept). */
  addresses6?: InterfaceAddress6[];
  natRole?: "inside" | "outside";
  accessGroups: AccessGroup[];
  /**
   * IOS `ipv6 traffic-filter NAME in|out`: IPv6 ACL bindings, apart from `accessGroups` (the IPv4
   * bindings the IPsec simulation follows). `aclBindings` (./device.ts) lists both.
   */
  ipv6Filters?: AccessGroup[];
  shutdown?: boolean;
  source: SourceRef;
}

export type { NatMapped, NatPool, NatRule, PatOptions, StaticRoute } from "./nat-route.js";
export { NatSection } from "./nat-route.js";
import type { NatPool, NatRule, StaticRoute } from "./nat-route.js";

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
 * - `note`: valid configuration natlint only notes (an address learnt at run time, a MAC ACL):
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

/** A concrete packet header: IPv4, or IPv6 when `v6` is set. */
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
  /** The whole ToS byte (IPv6: the Traffic Class): dscp = tos >> 2, precedence = tos >> 5, IOS `tos` value = (tos >> 1) & 15. */
  tos: number;
  /** An IPv6 packet: its addresses (then `src` and `dst` are unused, 0). Absent: an IPv4 packet. */
  v6?: { src: bigint; dst: bigint };
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
