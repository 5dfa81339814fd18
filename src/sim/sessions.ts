/** IPsec sessions through a PAT: which flows each client opens, and their translations. */
import { PROTO } from "../model/ports.js";
import type { PatTable, Translation } from "../nat/pat.js";

export interface FlowSpec {
  /** "IKE", "NAT-T" or "udp/N". */
  name: string;
  protocol: number;
  port: number;
}

export function flowsForPorts(ports: readonly number[]): FlowSpec[] {
  return ports.map((port) => ({
    name: port === 500 ? "IKE" : port === 4500 ? "NAT-T" : `udp/${port}`,
    protocol: PROTO.UDP,
    port,
  }));
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
}

/** N clients each open every flow (in client order: IKE then NAT-T) to one peer. */
export function simulatePat(table: PatTable, clients: readonly number[], flows: readonly FlowSpec[], peer: number): PatSession[] {
  const out: PatSession[] = [];
  clients.forEach((ip, i) => {
    for (const f of flows) {
      const translated = table.allocate({ protocol: f.protocol, insideIp: ip, insidePort: f.port, dstIp: peer, dstPort: f.port });
      out.push({ client: i + 1, flow: f.name, protocol: f.protocol, inside: { ip, port: f.port }, peer: { ip: peer, port: f.port }, translated });
    }
  });
  return out;
}
