/**
 * `--print-config FILE`: the settings natlint would use for FILE, as JSON — the config files that
 * apply (bases first), whether FILE is ignored and by what, the simulation settings, and every
 * rule's severity and options (the rule's defaults merged with the config's), sorted by rule id.
 * `--init`: the starter config it writes.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { compareStrings } from "../core/finding.js";
import { displayPath } from "../io/paths.js";
import { formatIp } from "../model/addr.js";
import { fileSettings, prepareRun, type RunSpec } from "./lint-file.js";
import { selectFiles, type RunOptions } from "./run.js";

export interface PrintedConfig {
  file: string;
  configFiles: string[];
  /**
   * Where the config came from: `"--config"`, `"none"` (`--no-config`), `"object"` (the library's
   * `config` object), or the upward search — `"found"` or `"not found"`, with `configSearched`,
   * the directories it looked in (nearest first).
   */
  configSource: "--config" | "none" | "object" | "found" | "not found";
  configSearched: string[];
  /** Why the file would be skipped (an ignore rule), or false. */
  ignored: string | false;
  clients: number;
  profile: string | null;
  vendor: string | null;
  peer: string | null;
  /** The peers to simulate from the config (`peers`), or null: every peer the config names. */
  peers: string[] | null;
  /** The clients' addresses from the config (`inside`, prefixes expanded, at most the first 16 shown), or null: picked from the config. */
  inside: string[] | null;
  /** The remote NATs simulated in front of the device (only when there are). */
  remoteNat?: string[];
  rules: Record<string, [string, Record<string, unknown>]>;
}

export function printConfig(file: string, spec: RunSpec, opts: Pick<RunOptions, "noIgnore" | "ignore"> = {}): PrintedConfig {
  const prep = prepareRun(spec);
  const abs = path.resolve(prep.cwd, file);
  const shown = displayPath(abs, prep.cwd);
  const s = fileSettings(prep, shown);
  let ignored: string | false = false;
  if (existsSync(abs)) {
    const found = selectFiles({ ...opts, patterns: [abs] }, prep.loaded, prep.cwd);
    if (found.ignored[0]) ignored = found.ignored[0].why;
  }
  const rules: PrintedConfig["rules"] = {};
  for (const r of [...prep.rules].sort((a, b) => compareStrings(a.id, b.id))) {
    const set = s.rules?.get(r.id);
    rules[r.id] = [set?.severity ?? r.severity, { ...r.options, ...(set?.options ?? {}) }];
  }
  return {
    file: shown,
    configFiles: (prep.loaded?.layers ?? []).map((l) => displayPath(l.file, prep.cwd)),
    configSource: !prep.loaded ? "none" : prep.loaded.searched ? (prep.loaded.file ? "found" : "not found") : prep.loaded.file ? "--config" : "object",
    configSearched: (prep.loaded?.searched ?? []).map((d) => displayPath(d, prep.cwd) || "."),
    ignored,
    clients: s.simulation.clients,
    profile: s.simulation.profile ?? null,
    vendor: s.vendor ?? null,
    peer: s.simulation.peer !== undefined ? formatIp(s.simulation.peer) : null,
    peers: s.simulation.peers ? s.simulation.peers.map(formatIp) : null,
    inside: s.simulation.inside ? s.simulation.inside.slice(0, 16).map(formatIp) : null,
    ...(s.simulation.remoteNat ? { remoteNat: s.simulation.remoteNat } : {}),
    rules,
  };
}

/** The commented starter config `natlint lint --init` writes (`.natlintrc.jsonc`). */
export function starterConfig(ruleIds: readonly string[]): string {
  return `// natlint configuration: JSON with comments. Every key is optional.
// Reference: the "Configuration" section of natlint's README.
{
  "$schema": "./node_modules/natlint/schemas/natlintrc.schema.json",

  // Shareable configs to start from (a path relative to this file, or a package).
  // "extends": ["./natlint-base.jsonc"],

  // IPsec clients to simulate behind each PAT (default 3).
  "clients": 3,

  // PAT profile: ios, asa, asa-flat, asa-flat-include-reserve, asa-9.15,
  // asa-block-allocation, linux (default: chosen from each config).
  // "profile": "ios",

  // Files not to lint, in .gitignore syntax (.gitignore and .natlintignore are read too).
  "ignore": [],

  // Per rule: "off", "info", "warn"/"warning", "error" (or 0, 1, 2),
  // or [severity, { options }]. The rules: ${ruleIds.join(", ")}.
  "rules": {
    // "unused-definition": "off",
  },

  // Settings for some files, applied in order after the ones above.
  "overrides": [
    // { "files": ["lab/**"], "rules": { "pat-drops-ipsec": "warn" }, "clients": 10 },
  ],
}
`;
}
