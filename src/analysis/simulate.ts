/** The PAT translation table for N clients behind one PAT address, without a config (`natlint simulate`). */
import { formatIp } from "../model/addr.js";
import { PatTable, type Translation } from "../nat/pat.js";
import type { PatProfile } from "../nat/profiles.js";
import { flowsForPorts, simulatePat } from "../sim/sessions.js";

/** A translation as JSON: `port` when it is certain, else `ports` as `[lo, hi]` ranges; null when the PAT is exhausted. */
export type TranslatedJson = { ip: string; port?: number; ports?: Array<[number, number]> } | null;

export function translatedJson(t: Translation | undefined): TranslatedJson {
  if (!t) return null;
  return {
    ip: formatIp(t.ip),
    ...(t.port !== undefined ? { port: t.port } : {}),
    ...(t.port === undefined ? { ports: t.ports.map((r) => [r.lo, r.hi] as [number, number]) } : {}),
  };
}

export interface SimulateResult {
  profile: string;
  /** Assumptions the profile makes (unconfirmed behaviour). */
  assumptions: string[];
  global: string;
  peer: string;
  sessions: Array<{
    client: number;
    flow: string;
    inside: { ip: string; port: number };
    /** null when the PAT is exhausted. */
    translated: TranslatedJson;
  }>;
}

export interface PatTableInput {
  profile: PatProfile;
  clients: number;
  /** Real source ports each client opens, in order. */
  ports: readonly number[];
  /** First client's inside address; the others follow. */
  inside: number;
  global: number;
  peer: number;
}

/** N clients, each opening a session from every port, to one peer through one PAT address. */
export function simulateTable(o: PatTableInput): SimulateResult {
  const table = new PatTable(o.profile, [o.global]);
  const ips = Array.from({ length: o.clients }, (_, i) => (o.inside + i) >>> 0);
  const sessions = simulatePat(table, ips, flowsForPorts(o.ports), o.peer);
  return {
    profile: o.profile.id,
    assumptions: o.profile.assumptions,
    global: formatIp(o.global),
    peer: formatIp(o.peer),
    sessions: sessions.map((s) => ({
      client: s.client,
      flow: s.flow,
      inside: { ip: formatIp(s.inside.ip), port: s.inside.port },
      translated: translatedJson(s.translated),
    })),
  };
}
