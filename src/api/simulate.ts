/**
 * `simulate` of the library (re-exported by ./index.ts) and the chunked output of `natlint
 * simulate`. Its own module, light to load: the command loads the allocator, the profiles and
 * this, none of the linter.
 */
import { InputError } from "../core/errors.js";
import { parseIp } from "../model/addr.js";
import { parseAddressList } from "../model/addr-list.js";
import { findProfile } from "../nat/profiles-remote.js";
import { DEFAULT_CLIENTS } from "../sim/sessions.js";
import { simulateRun, simulateTable, type PatTableInput, type SimulateResult } from "../analysis/simulate.js";
import { simulateJsonChunks, simulateTableChunks } from "../report/simulate.js";
import { clientsOption, ipOption, portsOption, profileOption } from "./options.js";

export interface SimulateOptions {
  clients?: number;
  profile?: string;
  /** Real source ports each client opens, in order (default [500, 4500]). */
  ports?: number[];
  /**
   * First client's inside address (default 192.168.100.11; the others follow), or the clients'
   * addresses as a list or range: `192.168.11.22,192.168.11.20`, `10.0.0.1-10.0.0.9`, `10.0.0.0/29`.
   */
  inside?: string;
  /** Global (PAT) address (default 192.0.2.2). */
  global?: string;
  /** Peer address (default 203.0.113.10). */
  peer?: string;
}

/** The simulation the options ask for; a bad option is an `InputError`. */
function simulateInput(opts: SimulateOptions): PatTableInput {
  let clients = clientsOption(opts.clients) ?? DEFAULT_CLIENTS;
  const profile = findProfile(profileOption(opts.profile) ?? "ios")!;
  const ports = portsOption(opts.ports) ?? [500, 4500];
  let addresses: number[] | undefined;
  if (opts.inside !== undefined && parseIp(opts.inside) === undefined) {
    const r = parseAddressList(opts.inside);
    if ("error" in r) throw new InputError(`inside: ${r.error}`);
    if (opts.clients !== undefined && r.length < opts.clients) throw new InputError(`inside: ${opts.inside} names ${r.length} addresses, fewer than clients ${opts.clients}`);
    addresses = r;
    if (opts.clients === undefined) clients = r.length;
  }
  const inside = addresses?.[0] ?? ipOption("inside", opts.inside) ?? 0xc0a8640b;
  if (!addresses && inside + clients - 1 > 0xffffffff) throw new InputError(`inside: ${clients} clients from ${opts.inside} run past 255.255.255.255`);
  return {
    profile,
    clients,
    ...(addresses ? { addresses } : {}),
    ports,
    inside,
    global: ipOption("global", opts.global) ?? 0xc0000202,
    peer: ipOption("peer", opts.peer) ?? 0xcb00710a,
  };
}

/** Simulate N clients behind one PAT address, without a config. */
export function simulate(opts: SimulateOptions = {}): SimulateResult {
  return simulateTable(simulateInput(opts));
}

/**
 * `simulate`'s result as `natlint simulate` prints it, in pieces to write in order: the table
 * (src/report/simulate.ts) or `JSON.stringify(result, null, 2)` and a newline, byte for byte,
 * without building the result (a 64,512-client table is 129,024 sessions).
 */
export function simulateText(opts: SimulateOptions, format: "table" | "json"): string[] {
  const run = simulateRun(simulateInput(opts));
  return format === "json" ? simulateJsonChunks(run) : simulateTableChunks(run);
}
