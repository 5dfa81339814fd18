/**
 * The library's path functions: `explainPath` (a path file), `explainHeadend` (the head-end's
 * view of remote NATs) and the option checks they share with `lint({ path, remoteNat })`.
 * Errors name the option (`remoteNat: …`, `inside: …`).
 */
import { InputError } from "../core/errors.js";
import { parseAddressList } from "../model/addr-list.js";
import { parseIp } from "../model/addr.js";
import type { Vendor } from "../model/types.js";
import { HeaderSpace } from "../headerspace/index.js";
import { AclSets } from "../acl/sets.js";
import { profileIdProblem } from "../nat/profiles-remote.js";
import { parseConfig, loadDevice } from "../parse/index.js";
import { parseRemoteNat, remoteClients, type RemoteNat } from "../sim/remote.js";
import { flowsForPorts } from "../sim/sessions.js";
import { loadPathFile } from "../analysis/path-file.js";
import { explainPath as explainLoadedPath, explainRemote, type PathExplainResult } from "../analysis/path-explain.js";
import { explainDeviceObserved, explainPathObserved } from "../analysis/observed.js";
import { observedIsEmpty, parseObserved, type ObservedState } from "../parse/observed.js";
import { readTextFile } from "../io/files.js";
import { displayPath } from "../io/paths.js";
import { resolve } from "node:path";

/** `remoteNat` / `--remote-nat` values, checked. */
export function remoteNatOption(ids: readonly string[] | undefined): RemoteNat[] | undefined {
  if (ids === undefined) return undefined;
  if (!ids.length) throw new InputError("remoteNat: give at least one NAT profile");
  return ids.map((id) => {
    const r = parseRemoteNat(id);
    if ("error" in r) {
      const p = profileIdProblem(id.split("@")[0] ?? "");
      throw new InputError(`remoteNat: ${p ?? r.error}`);
    }
    return r;
  });
}

function ip(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const x = parseIp(v);
  if (x === undefined) throw new InputError(`${name} must be an IPv4 address (got "${v}")`);
  return x;
}

function clientCount(n: number | undefined): number | undefined {
  if (n !== undefined && (!Number.isInteger(n) || n < 1 || n > 65535)) throw new InputError(`clients must be a whole number from 1 to 65535 (got ${n})`);
  return n;
}

function profileChecked(p: string | undefined): string | undefined {
  const problem = p === undefined ? undefined : profileIdProblem(p);
  if (problem) throw new InputError(problem);
  return p;
}

export interface ExplainPathOptions {
  cwd?: string;
  /** Number of clients instead of the path file's. */
  clients?: number;
  peer?: string;
  profile?: string;
}

/** Every client's sessions along the path of a path file, hop by hop. */
export function explainPath(file: string, opts: ExplainPathOptions = {}): PathExplainResult {
  const cwd = resolve(opts.cwd ?? process.cwd());
  const clients = clientCount(opts.clients);
  const peer = ip("peer", opts.peer);
  const profile = profileChecked(opts.profile);
  const p = loadPathFile(file, { cwd, ...(clients !== undefined ? { clients } : {}), ...(peer !== undefined ? { peer } : {}), ...(profile !== undefined ? { profile } : {}) });
  const observed = new Map<number, ObservedState>();
  for (const c of p.configs) if (c.observed) observed.set(c.hop, observedOf(c.observed.text, c.observed.file));
  const sets = new AclSets(new HeaderSpace());
  return observed.size ? explainPathObserved(p, observed, sets) : explainLoadedPath(p, sets);
}

export interface ExplainHeadendOptions {
  cwd?: string;
  /** The config's text (an editor buffer): the file then only names it. */
  text?: string;
  /** The NATs the clients sit behind: `PROFILE` or `PROFILE@IP` (one run per NAT). */
  remoteNat: string[];
  clients?: number;
  /** The clients' inside addresses: `A,B,…`, `A-B` or `A/N` (default 192.168.1.11 on). */
  inside?: string;
  peer?: string;
  /** Real source ports each client opens (default [500, 4500]; 1701 is L2TP inside NAT-T). */
  ports?: number[];
  /** PAT profile for the head-end's own PAT rules. */
  profile?: string;
  vendor?: Vendor;
}

/** The head-end's view: N clients behind one remote NAT of each profile arrive at the device in FILE. */
export function explainHeadend(file: string, opts: ExplainHeadendOptions): PathExplainResult {
  const nats = remoteNatOption(opts.remoteNat)!;
  const n = clientCount(opts.clients);
  let clients: number[];
  if (opts.inside !== undefined) {
    const r = parseAddressList(opts.inside);
    if ("error" in r) throw new InputError(`inside: ${r.error}`);
    clients = n !== undefined ? r.slice(0, n) : r;
    if (n !== undefined && r.length < n) throw new InputError(`inside: ${opts.inside} names ${r.length} addresses, fewer than clients ${n}`);
  } else clients = remoteClients(n ?? 3);
  const peer = ip("peer", opts.peer);
  const profile = profileChecked(opts.profile);
  for (const p of opts.ports ?? []) if (!Number.isInteger(p) || p < 1 || p > 65535) throw new InputError(`ports: ${p} is not a port (1-65535)`);
  const cwd = resolve(opts.cwd ?? process.cwd());
  const { device } = opts.text !== undefined ? parseConfig(opts.text, file, opts.vendor) : loadDevice(file, { cwd, ...(opts.vendor ? { vendor: opts.vendor } : {}) });
  return explainRemote({ device, nats, clients, flows: flowsForPorts(opts.ports ?? [500, 4500]), sets: new AclSets(new HeaderSpace()), ...(peer !== undefined ? { peer } : {}), ...(profile !== undefined ? { profile } : {}) });
}

function observedOf(text: string, shown: string): ObservedState {
  const st = parseObserved(text, shown);
  if (observedIsEmpty(st)) throw new InputError(`${shown}: no show ip nat translations, show xlate, show conn or show crypto isakmp sa output found`);
  return st;
}

/** Parse observed `show` output (show ip nat translations, show xlate, show conn, show crypto isakmp sa). */
export function readObserved(file: string, opts: { cwd?: string } = {}): ObservedState {
  const cwd = resolve(opts.cwd ?? process.cwd());
  const abs = resolve(cwd, file);
  const shown = displayPath(abs, cwd);
  return observedOf(readTextFile(abs, shown, "the observed output"), shown);
}

export interface ExplainObservedOptions {
  cwd?: string;
  text?: string;
  peer?: string;
  ports?: number[];
  vendor?: Vendor;
}

/** The device in FILE with its observed state: every ACL checked against the ports the devices chose. */
export function explainObserved(file: string, observedFile: string, opts: ExplainObservedOptions = {}): PathExplainResult {
  const cwd = resolve(opts.cwd ?? process.cwd());
  const st = readObserved(observedFile, { cwd });
  const peer = ip("peer", opts.peer);
  const { device } = opts.text !== undefined ? parseConfig(opts.text, file, opts.vendor) : loadDevice(file, { cwd, ...(opts.vendor ? { vendor: opts.vendor } : {}) });
  return explainDeviceObserved(device, st, new AclSets(new HeaderSpace()), { ...(peer !== undefined ? { peer } : {}), ...(opts.ports ? { ports: opts.ports } : {}) });
}

export type { PathExplainResult, ObservedState };
