/** The data of a path simulation: hops, packets on the wire, what each hop did to each session. */
import type { Device, PortSet, SourceRef } from "../model/types.js";
import type { PatProfile } from "../nat/profiles.js";
import type { CheckpointVerdict } from "./checkpoints.js";
import type { FlowSpec } from "./sessions.js";

/** A device on the path: its NAT and ACLs apply in its own order of operations. */
export interface ConfigHop {
  kind: "config";
  device: Device;
  /** Interfaces named in the path file (override the routing choice). */
  in?: string;
  out?: string;
}

/** A NAT box without a config, given by its profile (a Windows RRAS server, a home router, a CGN). */
export interface NatHop {
  kind: "nat";
  profile: PatProfile;
  /** The inside addresses it translates (undefined: every source). */
  inside?: Array<{ start: number; end: number }>;
  /** Its outside (global) address. */
  global: number;
  /** How the hop is named in the output (`windows-rras 192.168.1.30`). */
  label: string;
  /** Observed translations (`ip:port` → what arrived downstream), used instead of the profile. */
  fixed?: ReadonlyMap<string, { ip: number; port: number }>;
}

export type PathHop = ConfigHop | NatHop;

/** A packet as it travels: a port *set* on the side a random PAT translated. */
export interface WirePacket {
  protocol: number;
  src: number;
  srcPorts: PortSet;
  dst: number;
  dstPorts: PortSet;
  /** A PAT on the way changed the source (outbound) or destination (return) port: checkpoints see translated ports. */
  translated: boolean;
}

/** One translation a hop made on the way out (undone, in reverse, on the way back). */
export interface HopNat {
  field: "src" | "dst";
  before: { ip: number; ports: PortSet };
  after: { ip: number; ports: PortSet };
  /** The NAT rule (config hop) or the profile (nat hop). */
  rule?: SourceRef;
  profile?: string;
  /** A PAT (port translation) rather than a static address mapping. */
  pat: boolean;
  kept: boolean;
}

/** What one hop did to one direction of a session. */
export interface HopResult {
  hop: number;
  /** Device hostname (or file) / the nat hop's label. */
  device: string;
  /** Config file; undefined for a nat hop. */
  file?: string;
  in?: string;
  out?: string;
  /** The packet as it arrives at this hop. */
  arrives: WirePacket;
  /** The packet as it leaves (undefined when the hop drops it before it is translated, or it is for the device itself). */
  leaves?: WirePacket;
  nat: HopNat[];
  checkpoints: CheckpointVerdict[];
  verdict: "permit" | "drop";
  /** Why a drop is not an ACL line: `PAT exhausted`, `no route to …`. */
  detail?: string;
  /** The session reached this hop (every hop before it permitted it). */
  reached: boolean;
  /** The packet is for the device itself (the head-end terminates IKE). */
  toDevice?: boolean;
  notes: string[];
}

export interface PathSession {
  client: number;
  flow: string;
  direction: "outbound" | "return";
  /** The client's real address and port. */
  inside: { ip: number; port: number };
  peer: { ip: number; port: number };
  hops: HopResult[];
  verdict: "permit" | "drop";
  /** The first hop that drops it. */
  droppedAt?: { hop: number; checkpoint?: CheckpointVerdict; detail?: string; /** The hop, when the session has none (a reply nothing sends). */ at?: { device: string; file?: string } };
  carriedIn?: { flow: string; port: number };
  /** The remote NAT (head-end view) this session came through. */
  remoteNat?: string;
}

export interface PathSimulationInput {
  hops: PathHop[];
  clients: readonly number[];
  peer: number;
  flows: readonly FlowSpec[];
  /** Which remote NAT this is (head-end view), for labels. */
  remoteNat?: string;
}

export interface PathSimulation {
  sessions: PathSession[];
  notes: string[];
}
