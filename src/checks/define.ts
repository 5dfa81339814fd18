/**
 * How a check is written (as ESLint rules and Spectral functions are): one module that declares
 * its options schema (compiled once, and typing `run`'s options), the device analyses it needs
 * (computed once per device by the engine, whichever checks ask), and its messages by id.
 * A rule (rules/<id>.json) is data that names a check, its default severity and its options.
 */
import { compileSchema, describeAjvErrors } from "../core/ajv.js";
import type { FindingDetails } from "../core/finding.js";
import type { Acl, Device, SourceRef } from "../model/types.js";
import type { NoRemedy, Remedy } from "../model/edits.js";
import type { AclSets } from "../acl/sets.js";
import type { NatSetup } from "../nat/setup.js";
import type { DeviceSimulation } from "../sim/device.js";

export interface SimulationSettings {
  /** Number of IPsec clients to simulate behind each PAT. */
  clients: number;
  /** PAT allocation profile id, or undefined to choose from the config. */
  profile?: string;
  /** Peer (head-end) address, or undefined to simulate every peer the config names. */
  peer?: number;
  /** Peers to simulate (config `peers`): win over `peer`. */
  peers?: number[];
  /** Client addresses (config `inside`), in order: the first `clients` are simulated. */
  inside?: number[];
  /**
   * Remote NATs the device's IPsec clients sit behind (`remoteNat`: `PROFILE` or `PROFILE@IP`):
   * the head-end's view, simulated in addition to the device's own PATs.
   */
  remoteNat?: string[];
}

/**
 * What the engine gives a check for one device. `device` and `settings` always; the analyses
 * only when the check declares them in `needs` (each is computed once per device).
 */
export interface Analyses {
  /** Packet sets: ACE and ACL encodings over one header space, compiled ACLs cached. */
  sets: AclSets;
  /** The device's NAT setup: PAT rules, globals, profiles, where the PATs sit. */
  nat: NatSetup;
  /** The IPsec sessions of N clients through each PAT (real source ports `ports`, default 500 and 4500). */
  simulation(ports?: readonly number[]): DeviceSimulation[];
}

export type Need = keyof Analyses;

/**
 * A result per ACL, computed once for ACLs with the same lines (the edited copies a fix proof lints
 * again): `compute` runs unless a result for this ACL's lines and `key` is known. The key names the
 * check and every input besides the ACL's lines that the result depends on (the ACL's name, vendor,
 * kind, family and lines are compared); the result is plain data in entry indices, no packet set.
 */
export type PerAcl = <T>(acl: Acl, key: string, compute: () => T) => T;

/** Computes every time (no memo). */
export const NO_MEMO: PerAcl = (_acl, _key, compute) => compute();

export type CheckContext<N extends Need = Need> = { device: Device; settings: SimulationSettings; perAcl: PerAcl } & Pick<Analyses, N>;

/** What a check reports; the engine adds the rule id, severity and file. */
export interface Report<M extends string = string> {
  at: SourceRef;
  messageId: M;
  /** Values for the message template's `{{name}}` placeholders. */
  data?: Readonly<Record<string, string | number>>;
  acl?: string;
  details?: FindingDetails;
  /**
   * The fix this finding calls for, or why none can be written here. The engine proves a remedy
   * (src/engine/fix.ts) before it offers it as the finding's `fix` detail.
   */
  remedy?: Remedy | NoRemedy;
}

// ------------------------------------------------------------------------------ options typing

/** The subset of JSON Schema the checks' options use, typed (`as const` schemas). */
export type FromSchema<S> = S extends { readonly enum: readonly (infer E)[] }
  ? E
  : S extends { readonly type: "string" }
    ? string
    : S extends { readonly type: "integer" | "number" }
      ? number
      : S extends { readonly type: "boolean" }
        ? boolean
        : S extends { readonly type: "array"; readonly items: infer I }
          ? FromSchema<I>[]
          : S extends { readonly type: "object"; readonly properties: infer P }
            ? ObjectFrom<P, S extends { readonly required: readonly (infer R)[] } ? R : never>
            : unknown;

type ObjectFrom<P, R> = { -readonly [K in keyof P as K extends R ? K : never]: FromSchema<P[K]> } & {
  -readonly [K in keyof P as K extends R ? never : K]?: FromSchema<P[K]>;
};

export interface ObjectSchema {
  readonly type: "object";
  readonly additionalProperties: false;
  readonly properties: Readonly<Record<string, unknown>>;
  readonly required?: readonly string[];
}

export const NO_OPTIONS = { type: "object", additionalProperties: false, properties: {} } as const;

// ------------------------------------------------------------------------------ the check

export interface CheckDefinition<S extends ObjectSchema, N extends Need, M extends string> {
  /** Check id; rule files name it in their `check` key. */
  id: string;
  needs: readonly N[];
  optionsSchema: S;
  /** Checks beyond the JSON schema (e.g. that a HEADERSPACE parses); returns the problem or undefined. */
  validateOptions?(options: FromSchema<S>): string | undefined;
  /**
   * Its packet sets are in managers of its own, released after the check (src/acl/line-analysis.ts),
   * not in the device's shared `sets` (of which it reads only the node budget). The engine runs
   * these checks before the others, so their managers and the shared sets (which grow through the
   * file's checks) are never held at once, and a budget its own manager runs out of stops this
   * check alone.
   */
  ownSets?: boolean;
  /** Message templates by id; `{{name}}` is replaced by `data.name`. */
  messages: Readonly<Record<M, string>>;
  run(ctx: CheckContext<N>, options: FromSchema<S>, report: (r: Report<M>) => void): void;
}

/** A check as the engine sees it (option types erased once they are validated). */
export interface Check {
  readonly id: string;
  readonly needs: readonly Need[];
  readonly optionsSchema: ObjectSchema;
  /** See `CheckDefinition.ownSets`. */
  readonly ownSets: boolean;
  readonly messages: Readonly<Record<string, string>>;
  /** The problem with `options` (schema, then the check's own test), or undefined when they are valid. */
  validate(options: unknown): string | undefined;
  /** Runs on valid options (the engine validates them when it resolves rule settings). */
  run(ctx: CheckContext, options: Readonly<Record<string, unknown>>, report: (r: Report) => void): void;
}

export function defineCheck<const S extends ObjectSchema, const N extends Need, const M extends string>(def: CheckDefinition<S, N, M>): Check {
  return {
    id: def.id,
    needs: def.needs,
    optionsSchema: def.optionsSchema,
    ownSets: def.ownSets === true,
    messages: def.messages,
    validate(options) {
      const v = compileSchema(def.optionsSchema);
      if (!v(options)) return describeAjvErrors(v.errors);
      return def.validateOptions?.(options as FromSchema<S>);
    },
    run(ctx, options, report) {
      def.run(ctx, options as FromSchema<S>, report as (r: Report<M>) => void);
    },
  };
}

/** A message template filled in: `{{name}}` → `data.name` (a placeholder without a value is a bug). */
export function formatMessage(template: string, data: Readonly<Record<string, string | number>> = {}): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (_m, k: string) => {
    const v = data[k];
    if (v === undefined) throw new Error(`message placeholder {{${k}}} has no value`);
    return String(v);
  });
}
