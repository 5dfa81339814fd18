/** The PAT translation table for N clients behind one PAT address, without a config (`natlint simulate`). */
import { formatIp } from "../model/addr.js";
import { PatTable, type Translation } from "../nat/pat.js";
import type { PatProfile } from "../nat/profiles.js";
import type { PortSet } from "../model/types.js";
import { eachPatSession, eachPatTranslation, flowsForPorts, type FlowSpec } from "../sim/sessions.js";

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

function clientIps(o: PatTableInput): number[] {
  return o.addresses ? o.addresses.slice(0, o.clients) : Array.from({ length: o.clients }, (_, i) => (o.inside + i) >>> 0);
}

/** N clients, each opening a session from every port, to one peer through one PAT address. */
export function simulateTable(o: PatTableInput): SimulateResult {
  const table = new PatTable(o.profile, [o.global]);
  const ips = clientIps(o);
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

/**
 * `simulateTable` without a session object: the same simulation as the clients' addresses, the
 * flows and one number per session, session `i * flows.length + j` being client `i + 1`'s flow
 * `j` (`SimulateResult.sessions` in the same order). `natlint simulate` writes its output from
 * this (src/report/simulate.ts), byte for byte the formatted `SimulateResult`.
 */
export interface SimulateRun {
  profile: string;
  assumptions: string[];
  /** The PAT address: every translation's (the table has this one address). */
  global: number;
  peer: number;
  ips: readonly number[];
  flows: readonly FlowSpec[];
  /**
   * Per session (a carried flow: its carrier's): the translated port when it is certain (≥ 0),
   * `EXHAUSTED`, or `-2 - n` for the ports `sets[n]` the profile may pick among.
   */
  translated: Int32Array;
  /** The port sets of random choices, each once (sessions given the same set share it). */
  sets: PortSet[];
  /** Some flow is carried inside another: the L2TP note applies. */
  carried: boolean;
}

/** `SimulateRun.translated` of a session the PAT had no port for. */
export const EXHAUSTED = -1;

export function simulateRun(o: PatTableInput): SimulateRun {
  const table = new PatTable(o.profile, [o.global]);
  const ips = clientIps(o);
  const flows = flowsForPorts(o.ports);
  const translated = new Int32Array(ips.length * flows.length);
  const sets: PortSet[] = [];
  const setIndex = new Map<PortSet, number>();
  let n = 0;
  eachPatTranslation(table, ips, flows, o.peer, (_i, _j, t) => {
    if (t !== undefined && t.ip !== o.global) throw new Error(`simulate: a translation to ${formatIp(t.ip)}, not the PAT address`);
    if (t === undefined) translated[n++] = EXHAUSTED;
    else if (t.port !== undefined) translated[n++] = t.port;
    else {
      let k = setIndex.get(t.ports);
      if (k === undefined) setIndex.set(t.ports, (k = sets.push(t.ports) - 1));
      translated[n++] = -2 - k;
    }
  });
  return { profile: o.profile.id, assumptions: o.profile.assumptions, global: o.global, peer: o.peer, ips, flows, translated, sets, carried: ips.length > 0 && flows.some((f) => f.carrier !== undefined) };
}
