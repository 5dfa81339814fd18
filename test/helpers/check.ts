/**
 * Run one check in process on a device, the way the engine does (ESLint's RuleTester idea):
 * findings as the lint run reports them (message filled in, details attached).
 */
import { runRules } from "../../src/engine/run.js";
import type { RuleMeta } from "../../src/engine/types.js";
import type { Finding } from "../../src/core/finding.js";
import type { Device } from "../../src/model/types.js";
import type { SimulationSettings } from "../../src/checks/define.js";

export function runCheck(check: { id: string }, device: Device, options: Record<string, unknown> = {}, settings: SimulationSettings = { clients: 3 }): Finding[] {
  const rule: RuleMeta = {
    id: check.id,
    title: check.id,
    severity: "warning",
    description: "",
    rationale: "",
    references: [],
    check: check.id,
    options,
    file: `${check.id}.json`,
    docs: `${check.id}.md`,
  };
  return runRules(device, [rule], settings);
}
