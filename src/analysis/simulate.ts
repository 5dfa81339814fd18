/** The PAT translation table for N clients behind one PAT address, without a config (`natlint simulate`). */
import { formatIp } from "../model/addr.js";
import { PatTable, type Translation } from "../nat/pat.js";
import type { PatProfile } from "../nat/profiles.js";
import { eachPatSession, flowsForPorts } from "../sim/sessions.js";

/** A translation as JSON: `port` when it is certain, else `ports` as `[lo, hi]` ranges; null when the PAT is exhausted. */
export type TranslatedJson = { ip: string; port?: number; ports?: Array<[number, number]> } | null;

export function translatedJson(t: Translation | undefined, ipText: string = t ? formatIp(t.ip) : ""): TranslatedJson {
  if (!t) return null;
  return t.port !== undefined ? { ip: ipText, port: t.port } : { ip: ipText, ports: t.ports.map((r) => [r.lo, r.hi] as [number, number]) };
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
    /** A flow carried inside another (L2TP in NAT-T): not translated on its own; `translated` is its carrier's. */
    carriedIn?: string;
  }>;
  /** What the simulation assumed beyond the profile (e.g. how L2TP travels). */
  notes?: string[];
}

/** Why a carried flow is not translated on its own. */
export const L2TP_NOTE =
  "L2TP (udp/1701) travels inside the IPsec NAT-T flow (L2TP/IPsec, RFC 3193: ESP in udp/4500 behind a NAT, RFC 3948): the NAT and the ACLs on the way never see udp/1701, so it is not translated on its own; its translation and verdicts are those of the client's NAT-T session";

export interface PatTableInput {
  profile: PatProfile;
  clients: number;
  /** Real source ports each client opens, in order. */
  ports: readonly number[];
  /** First client's inside address; the others follow. */
  inside: number;
  /** The clients' addresses, instead of `inside` and the ones after it. */
  addresses?: readonly number[];
  global: number;
  peer: number;
}

/** N clients, each opening a session from every port, to one peer through one PAT address. */
export function simulateTable(o: PatTableInput): SimulateResult {
  const table = new PatTable(o.profile, [o.global]);
  const ips = o.addresses ? o.addresses.slice(0, o.clients) : Array.from({ length: o.clients }, (_, i) => (o.inside + i) >>> 0);
  const global = formatIp(o.global);
  // one client's sessions follow each other: its address is formatted once
  let lastIp = -1;
  let lastText = "";
  let carried = false;
  const out: SimulateResult["sessions"] = [];
  eachPatSession(table, ips, flowsForPorts(o.ports), o.peer, (s) => {
    if (s.inside.ip !== lastIp) lastText = formatIp((lastIp = s.inside.ip));
    const t = s.translated;
    const row: SimulateResult["sessions"][number] = { client: s.client, flow: s.flow, inside: { ip: lastText, port: s.inside.port }, translated: translatedJson(t, t && t.ip === o.global ? global : undefined) };
    if (s.carriedIn) {
      row.carriedIn = s.carriedIn.flow;
      carried = true;
    }
    out.push(row);
  });
  return {
    profile: o.profile.id,
    assumptions: o.profile.assumptions,
    global,
    peer: formatIp(o.peer),
    sessions: out,
    ...(carried ? { notes: [L2TP_NOTE] } : {}),
  };
}
