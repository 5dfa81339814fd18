/** IPsec sessions through a PAT: which flows each client opens, and their translations. */
import { PROTO } from "../model/ports.js";
import type { PatTable, Translation } from "../nat/pat.js";

export interface FlowSpec {
  /** "IKE", "NAT-T", "L2TP" or "udp/N". */
  name: string;
  protocol: number;
  port: number;
  /**
   * The flow that carries this one on the wire: L2TP/IPsec (RFC 3193) sends udp/1701 inside the
   * IPsec flow (ESP in udp/4500 behind a NAT, RFC 3948), so a NAT and the ACLs on the way see the
   * NAT-T packets, never udp/1701 on its own.
   */
  carrier?: FlowSpec;
}

/** Clients simulated when none are asked for (`lint`, `explain`, `simulate`). */
export const DEFAULT_CLIENTS = 3;

const NAT_T: FlowSpec = { name: "NAT-T", protocol: PROTO.UDP, port: 4500 };

export function flowsForPorts(ports: readonly number[]): FlowSpec[] {
  return ports.map((port) =>
    port === 4500
      ? NAT_T
      : port === 1701
        ? { name: "L2TP", protocol: PROTO.UDP, port, carrier: NAT_T }
        : { name: port === 500 ? "IKE" : `udp/${port}`, protocol: PROTO.UDP, port },
  );
}

export const IPSEC_FLOWS = flowsForPorts([500, 4500]);

export interface PatSession {
  client: number;
  flow: string;
  protocol: number;
  inside: { ip: number; port: number };
  peer: { ip: number; port: number };
  /** undefined when the PAT is exhausted. */
  translated: Translation | undefined;
  /** Set for a flow carried inside another (L2TP in NAT-T): the carrier, whose translation and packets it shares. */
  carriedIn?: { flow: string; port: number };
}

/** The ports a session's packets carry on the wire (a carried flow's are its carrier's). */
export function wirePorts(s: PatSession): { inside: number; peer: number } {
  return s.carriedIn ? { inside: s.carriedIn.port, peer: s.carriedIn.port } : { inside: s.inside.port, peer: s.peer.port };
}

/**
 * N clients each open every flow (in client order: IKE then NAT-T) to one peer. A carried flow
 * (L2TP) gets no translation of its own: it shares its carrier's session, which is opened for it
 * when the carrier is not simulated itself. Linear in clients × flows (one allocation per opened
 * port; no per-client maps or closures: a 64,512-client table is built in one pass).
 */
export function simulatePat(table: PatTable, clients: readonly number[], flows: readonly FlowSpec[], peer: number): PatSession[] {
  const out: PatSession[] = [];
  eachPatSession(table, clients, flows, peer, (s) => out.push(s));
  return out;
}

/** `simulatePat`, each session handed to `each` as it is made (in the same order) instead of collected. */
export function eachPatSession(table: PatTable, clients: readonly number[], flows: readonly FlowSpec[], peer: number, each: (s: PatSession) => void): void {
  eachPatTranslation(table, clients, flows, peer, (i, j, t) => {
    const ip = clients[i]!;
    const f = flows[j]!;
    const s: PatSession = { client: i + 1, flow: f.name, protocol: f.protocol, inside: { ip, port: f.port }, peer: { ip: peer, port: f.port }, translated: t };
    if (f.carrier) s.carriedIn = { flow: f.carrier.name, port: f.carrier.port };
    each(s);
  });
}

/**
 * The allocation loop of `eachPatSession` alone: client `i` (0-based) opening flow `j` got
 * translation `t` (a carried flow its carrier's), in session order, with no session object made
 * (`natlint simulate` writes its rows straight from these).
 */
export function eachPatTranslation(table: PatTable, clients: readonly number[], flows: readonly FlowSpec[], peer: number, each: (i: number, j: number, t: Translation | undefined) => void): void {
  // the flow each one opens (its carrier for a carried flow), and for each the index of the first flow opening the same port
  const opens = flows.map((f) => f.carrier ?? f);
  const first = opens.map((o) => opens.findIndex((x) => x.port === o.port));
  const got: Array<Translation | undefined> = new Array(flows.length);
  for (let i = 0; i < clients.length; i++) {
    const ip = clients[i]!;
    for (let j = 0; j < flows.length; j++) {
      const o = opens[j]!;
      const k = first[j]!;
      each(i, j, k === j ? (got[j] = table.allocate({ protocol: o.protocol, insideIp: ip, insidePort: o.port, dstIp: peer, dstPort: o.port })) : got[k]);
    }
  }
}
