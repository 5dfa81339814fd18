/** Runs the enabled rules' checks on a device and turns raw findings into findings. */
import type { Device } from "../model/types.js";
import type { HeaderSpace } from "../headerspace/index.js";
import { CHECKS } from "../checks/index.js";
import type { Check, Finding, Severity, SimulationSettings } from "../checks/types.js";
import { compareFindings } from "../config/paths.js";
import { compileSchema, describeAjvErrors } from "./ajv.js";
import { ConfigurationError } from "./errors.js";
import type { RuleMeta } from "./types.js";

/** Per-rule settings after config and overrides: a severity (or off) and options merged over the rule's defaults. */
export interface RuleSetting {
  severity: Severity | "off";
  options?: Record<string, unknown>;
}

export interface RunOptions {
  rules: RuleMeta[];
  settings: SimulationSettings;
  hs: HeaderSpace;
  /** Rule settings for this file (from the config file); absent = rule defaults. */
  ruleSettings?: ReadonlyMap<string, RuleSetting>;
}

export function runRules(device: Device, opts: RunOptions): Finding[] {
  const findings: Finding[] = [];
  for (const rule of opts.rules) {
    const s = opts.ruleSettings?.get(rule.id);
    const severity = s?.severity ?? rule.severity;
    if (severity === "off") continue;
    const check = CHECKS.get(rule.check) as Check<Record<string, unknown>> | undefined;
    if (!check) throw new ConfigurationError(`${rule.file}: unknown check "${rule.check}"`);
    const options = { ...rule.options, ...(s?.options ?? {}) };
    const v = compileSchema(check.optionsSchema);
    if (!v(options)) throw new ConfigurationError(`rule ${rule.id}: options: ${describeAjvErrors(v.errors)}`);
    const problem = check.validateOptions?.(options);
    if (problem) throw new ConfigurationError(`rule ${rule.id}: options: ${problem}`);
    for (const r of check.run({ device, settings: opts.settings, hs: opts.hs }, options)) {
      findings.push({
        ruleId: rule.id,
        severity,
        file: r.at.file,
        line: r.at.line,
        message: r.message,
        source: r.at.text,
        ...(r.acl !== undefined ? { acl: r.acl } : {}),
        ...(r.data ?? {}),
      });
    }
  }
  // A rule that yields to another drops its finding where the other reports the same line.
  const yields = new Map(opts.rules.filter((r) => r.yieldsTo?.length).map((r) => [r.id, new Set(r.yieldsTo)]));
  const at = new Set(findings.map((f) => `${f.ruleId}\0${f.file}\0${f.line}`));
  const kept = findings.filter((f) => {
    const to = yields.get(f.ruleId);
    if (!to) return true;
    for (const other of to) if (at.has(`${other}\0${f.file}\0${f.line}`)) return false;
    return true;
  });
  return kept.sort(compareFindings);
}
