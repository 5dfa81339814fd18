/**
 * The path file (`natlint explain --path`, `natlint lint --path`): JSON (comments allowed) with
 * the clients, the peer, the flows and the hops from the clients to the peer; validated against
 * schemas/path.schema.json with the one ajv (a problem is `FILE:LINE:COL: key.path: problem`), its
 * paths relative to the file. Clients default to the first hop's inside subnet (a nat hop's
 * `inside`, a config hop's PAT inside subnet or the subnet of its interface away from the peer).
 */
import fs from "node:fs";
import path from "node:path";
import { compileSchema, schemaProblems } from "../core/ajv.js";
import { ConfigError, InputError, NatlintError } from "../core/errors.js";
import { parseJsoncText } from "../core/json.js";
import { readTextFile } from "../io/files.js";
import { displayPath } from "../io/paths.js";
import { expandAddresses, formatAddresses, parseAddressItem } from "../model/addr-list.js";
import { formatIp, parseIp } from "../model/addr.js";
import { deviceAddresses, ifName } from "../model/device.js";
import type { Vendor } from "../model/types.js";
import { findProfile } from "../nat/profiles-remote.js";
import { natSetup } from "../nat/setup.js";
import { loadDevice, type Parsed } from "../parse/index.js";
import { pickClients } from "../sim/endpoints.js";
import { headendPeer } from "../sim/remote.js";
import { routeTo } from "../sim/route.js";
import { flowsForPorts, type FlowSpec } from "../sim/sessions.js";
import type { PathHop } from "../sim/path-types.js";

let schema: Record<string, unknown> | undefined;
/** schemas/path.schema.json (two levels above src/analysis and dist/analysis). */
export function pathSchema(): Record<string, unknown> {
  schema ??= JSON.parse(fs.readFileSync(new URL("../../schemas/path.schema.json", import.meta.url), "utf8")) as Record<string, unknown>;
  return schema;
}

interface RawHop {
  config?: string;
  in?: string;
  out?: string;
  vendor?: Vendor;
  observed?: string;
  nat?: string;
  inside?: string | string[];
  global?: string;
}

interface RawPath {
  clients?: { count?: number; addresses?: string[] };
  peer?: string;
  flows?: Array<"ike" | "nat-t" | "l2tp">;
  profile?: string;
  hops: RawHop[];
}

/** A config hop as loaded: its device, text and where it is named. */
export interface LoadedConfig {
  hop: number;
  parsed: Parsed & { text: string };
  /** Absolute path. */
  abs: string;
  /** Observed `show` output for this device (`observed`), read. */
  observed?: { file: string; text: string };
}

export interface LoadedPath {
  /** The path file as shown in messages. */
  file: string;
  hops: PathHop[];
  configs: LoadedConfig[];
  clients: number[];
  peer: number;
  flows: FlowSpec[];
  profile?: string;
  /** How clients and peer were chosen. */
  notes: string[];
}

const FLOW_PORTS = { ike: 500, "nat-t": 4500, l2tp: 1701 } as const;

export interface LoadPathOptions {
  cwd: string;
  /** Number of clients (`--clients`), instead of the file's. */
  clients?: number;
  /** Peer (`--peer`), instead of the file's. */
  peer?: number;
  /** PAT profile for the config hops (`--profile`), instead of the file's. */
  profile?: string;
}

function firstHopClients(hop: PathHop | undefined, n: number, peer: number): { clients: number[]; note: string } | undefined {
  if (!hop) return undefined;
  if (hop.kind === "nat") {
    if (!hop.inside) return undefined;
    const out: number[] = [];
    for (const r of hop.inside) for (let a = r.start; a <= r.end && out.length < n; a++) out.push(a >>> 0);
    return out.length === n ? { clients: out, note: `clients ${formatAddresses(out)} (first ${n} inside ${hop.label})` } : undefined;
  }
  const d = hop.device;
  const pat = natSetup(d).pats[0];
  if (pat) return pickClients(d, pat, n, peer);
  // no PAT: the subnet of the first interface that does not lead toward the peer
  const toPeer = routeTo(d, peer)?.iface;
  const own = deviceAddresses(d);
  for (const i of d.interfaces) {
    const a = i.addresses[0];
    if (i === toPeer || i.shutdown || !a) continue;
    const base = (a.ip & a.mask) >>> 0;
    const out: number[] = [];
    for (let x = base + 1; x < ((base | ~a.mask) >>> 0) && out.length < n; x++) if (!own.has(x)) out.push(x >>> 0);
    if (out.length === n) return { clients: out, note: `clients ${formatAddresses(out)} (first ${n} hosts of ${ifName(i)}'s subnet on ${d.hostname ?? d.file})` };
  }
  return undefined;
}

/** Read, validate and resolve a path file (see the file comment). */
export function loadPathFile(file: string, opts: LoadPathOptions): LoadedPath {
  const abs = path.resolve(opts.cwd, file);
  const shown = displayPath(abs, opts.cwd);
  const text = readTextFile(abs, shown, "the path file");
  const doc = parseJsoncText(text, abs, shown);
  const at = (segs: (string | number)[], problem: string, key?: string) => {
    const { line, column } = doc.positionOf(segs);
    return new ConfigError(`${shown}:${line}:${column}: ${key ?? segs.join(".")}: ${problem}`, { file: abs, line, column });
  };
  const validate = compileSchema(pathSchema());
  if (!validate(doc.value)) {
    const p = schemaProblems(validate.errors)[0]!;
    const { line, column } = doc.positionOf(p.segments);
    throw new ConfigError(`${shown}:${line}:${column}: ${p.path ? `${p.path}: ` : ""}${p.problem}`, { file: abs, keyPath: p.path, line, column });
  }
  const raw = doc.value as RawPath;
  const dir = path.dirname(abs);
  const hops: PathHop[] = [];
  const configs: LoadedConfig[] = [];
  raw.hops.forEach((h, i) => {
    const key = `hops[${i}]`;
    if (h.config !== undefined) {
      let parsed: Parsed & { text: string };
      const cfg = path.resolve(dir, h.config);
      try {
        parsed = loadDevice(cfg, { cwd: opts.cwd, ...(h.vendor ? { vendor: h.vendor } : {}) });
      } catch (e) {
        if (e instanceof NatlintError) throw at(["hops", i, "config"], e.message, `${key}.config`);
        throw e;
      }
      let observed: LoadedConfig["observed"];
      if (h.observed !== undefined) {
        const o = path.resolve(dir, h.observed);
        const oShown = displayPath(o, opts.cwd);
        try {
          observed = { file: oShown, text: readTextFile(o, oShown, "the observed output") };
        } catch (e) {
          if (e instanceof NatlintError) throw at(["hops", i, "observed"], e.message, `${key}.observed`);
          throw e;
        }
      }
      hops.push({ kind: "config", device: parsed.device, ...(h.in !== undefined ? { in: h.in } : {}), ...(h.out !== undefined ? { out: h.out } : {}) });
      configs.push({ hop: i, parsed, abs: cfg, ...(observed ? { observed } : {}) });
      for (const [k, v] of [["in", h.in], ["out", h.out]] as const)
        if (v !== undefined && !parsed.device.interfaces.some((x) => x.name.toLowerCase() === v.toLowerCase() || x.nameif?.toLowerCase() === v.toLowerCase()))
          throw at(["hops", i, k], `interface "${v}" is not in ${parsed.device.file}`, `${key}.${k}`);
    } else {
      const profile = findProfile(h.nat!);
      if (!profile) throw at(["hops", i, "nat"], `unknown NAT profile "${h.nat}" (cgnat block sizes are 16 to 32256)`, `${key}.nat`);
      const items = h.inside === undefined ? [] : typeof h.inside === "string" ? [h.inside] : h.inside;
      const inside = items.map((s) => {
        const r = parseAddressItem(s);
        if ("error" in r) throw at(["hops", i, "inside"], r.error, `${key}.inside`);
        return r;
      });
      const global = parseIp(h.global)!;
      hops.push({ kind: "nat", profile, global, label: `${profile.id} NAT ${formatIp(global)}`, ...(inside.length ? { inside } : {}) });
    }
  });
  const notes: string[] = [];
  const lastConfig = [...hops].reverse().find((h) => h.kind === "config");
  const peerIp = opts.peer ?? (raw.peer !== undefined ? parseIp(raw.peer) : undefined);
  let peer: number;
  if (peerIp !== undefined) {
    peer = peerIp;
    notes.push(`peer ${formatIp(peer)} (${opts.peer !== undefined ? "from --peer" : "from the path file"})`);
  } else if (lastConfig?.kind === "config") {
    const pk = headendPeer(lastConfig.device);
    peer = pk.peer;
    notes.push(`${pk.note}, on ${lastConfig.device.hostname ?? lastConfig.device.file}`);
  } else throw at(["hops"], "a path without a config hop needs a peer", "peer");
  let clients: number[];
  if (raw.clients?.addresses && opts.clients === undefined) {
    const r = expandAddresses(raw.clients.addresses);
    if ("error" in r) throw at(["clients", "addresses"], r.error, "clients.addresses");
    clients = r;
    notes.unshift(`clients ${formatAddresses(clients)} (from the path file)`);
  } else {
    const n = opts.clients ?? raw.clients?.count ?? 3;
    const c = firstHopClients(hops[0], n, peer);
    if (!c) throw at(["clients"], `the first hop has no inside subnet to take ${n} client addresses from: give "clients": { "addresses": [...] }`, "clients");
    clients = c.clients;
    notes.unshift(c.note);
  }
  const ports = (raw.flows ?? ["ike", "nat-t"]).map((f) => FLOW_PORTS[f]);
  const profile = opts.profile ?? raw.profile;
  if (profile !== undefined && !findProfile(profile)) throw new InputError(`profile: unknown PAT profile "${profile}"`);
  const own = new Set(configs.flatMap((c) => [...deviceAddresses(c.parsed.device)]));
  if (clients.some((c) => own.has(c))) notes.push("some client addresses are addresses of a device on the path");
  return { file: shown, hops, configs, clients, peer, flows: flowsForPorts(ports), ...(profile !== undefined ? { profile } : {}), notes };
}


