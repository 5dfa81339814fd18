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
 * when the carrier is not simulated itself.
 */
export function simulatePat(table: PatTable, clients: readonly number[], flows: readonly FlowSpec[], peer: number): PatSession[] {
  const out: PatSession[] = [];
  clients.forEach((ip, i) => {
    const opened = new Map<number, Translation | undefined>();
    const open = (f: FlowSpec): Translation | undefined => {
      if (!opened.has(f.port)) opened.set(f.port, table.allocate({ protocol: f.protocol, insideIp: ip, insidePort: f.port, dstIp: peer, dstPort: f.port }));
      return opened.get(f.port);
    };
    for (const f of flows) {
      const base = { client: i + 1, flow: f.name, protocol: f.protocol, inside: { ip, port: f.port }, peer: { ip: peer, port: f.port } };
      if (f.carrier) out.push({ ...base, translated: open(f.carrier), carriedIn: { flow: f.carrier.name, port: f.carrier.port } });
      else out.push({ ...base, translated: open(f) });
    }
  });
  return out;
}
