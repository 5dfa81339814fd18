/**
 * Checks of the option values the library functions take (errors name the option, e.g. `clients
 * must be …`). Its own module, light to load: `simulate` (./simulate.ts) needs these and nothing
 * of the linter.
 */
import { InputError } from "../core/errors.js";
import { parseIp } from "../model/addr.js";
import { profileIdProblem } from "../nat/profiles-remote.js";

export function clientsOption(n: number | undefined): number | undefined {
  if (n !== undefined && (!Number.isInteger(n) || n < 1 || n > 65535)) throw new InputError(`clients must be a whole number from 1 to 65535 (got ${n})`);
  return n;
}

export function profileOption(profile: string | undefined): string | undefined {
  const problem = profile === undefined ? undefined : profileIdProblem(profile);
  if (problem) throw new InputError(problem);
  return profile;
}

export function portsOption(ports: readonly number[] | undefined): readonly number[] | undefined {
  for (const p of ports ?? []) if (!Number.isInteger(p) || p < 1 || p > 65535) throw new InputError(`ports: ${p} is not a port (1-65535)`);
  if (ports && new Set(ports).size !== ports.length) throw new InputError(`ports: each port once (got ${ports.join(",")})`);
  return ports;
}

export function ipOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ip = parseIp(value);
  if (ip === undefined) throw new InputError(`${name} must be an IPv4 address (got "${value}")`);
  return ip;
}
