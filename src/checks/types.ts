/**
 * The contract between the engine and a check. A check is code (one file in src/checks/); a rule
 * (rules/<id>.json) is data that names a check, its default severity and its default options.
 */
import type { Device, SourceRef } from "../model/types.js";
import type { HeaderSpace } from "../headerspace/index.js";

export type Severity = "error" | "warning" | "info";

export interface Finding {
  ruleId: string;
  severity: Severity;
  file: string;
  line: number;
  message: string;
  /** The source line the finding points at, trimmed. */
  source?: string;
  /** ACL the finding is about, when there is one. */
  acl?: string;
  /** Extra machine-readable details a check adds (reason, blockingLines, sessions, …). */
  [key: string]: unknown;
}

/** What a check reports; the engine adds ruleId and severity. */
export interface RawFinding {
  at: SourceRef;
  message: string;
  acl?: string;
  /** Extra JSON keys merged into the finding. */
  data?: Record<string, unknown>;
}

export interface SimulationSettings {
  /** Number of IPsec clients to simulate behind the PAT. */
  clients: number;
  /** PAT allocation profile id, or undefined to choose from the config. */
  profile?: string;
  /** Peer (head-end) address, or undefined to pick from the ACLs. */
  peer?: number;
}

export interface CheckContext {
  device: Device;
  settings: SimulationSettings;
  /** Shared packet-set manager (one per run; caches compiled ACLs). */
  hs: HeaderSpace;
}

export interface Check<O = Record<string, unknown>> {
  /** Check id; rule files name it in their `check` key. */
  id: string;
  /** JSON schema of the options object (validated with ajv). */
  optionsSchema: Record<string, unknown>;
  /** Checks beyond the JSON schema (e.g. that a HEADERSPACE parses); returns the problem or undefined. */
  validateOptions?(options: O): string | undefined;
  run(ctx: CheckContext, options: O): RawFinding[];
}
