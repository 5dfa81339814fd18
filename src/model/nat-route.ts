/**
 * Static routes and NAT as the parsers read them (IOS `ip route`/`ip nat`, ASA `route`/`nat`/`global`):
 * part of the typed device model in ./types.ts, which re-exports them.
 */
import type { AddrSet, SourceRef } from "./types.js";

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
