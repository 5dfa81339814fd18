/** Running the enabled rules' checks on one device: severities, options, yields. */
import { REMEDIES } from "./remedies.js";
import { ConfigError } from "../core/errors.js";
import { compareFindings, type Finding } from "../core/finding.js";
import type { Device } from "../model/types.js";
import { CHECKS } from "../checks/index.js";
import { formatMessage, type Check, type PerAcl, type SimulationSettings } from "../checks/define.js";
import { DeviceAnalyses, type ExtraSimulations } from "./context.js";
import { BddBudgetError } from "../headerspace/bdd.js";
import { dropSpareSets } from "../acl/line-analysis.js";
import { HeapError, LIMIT_FLAGS, watchHeap } from "../core/limits.js";
import type { RuleSetting } from "./settings.js";
import type { RuleMeta } from "./types.js";

// rule files are validated against the registry when loaded
const checkOf = (rule: RuleMeta): Check => CHECKS.get(rule.check)!;

/** Run the enabled rules on one device. `ruleSettings`: per-rule severity/options from the config (absent: rule defaults). */
export function runRules(
  device: Device,
  rules: readonly RuleMeta[],
  settings: SimulationSettings,
  ruleSettings?: ReadonlyMap<string, RuleSetting>,
  extra?: ExtraSimulations,
  limits?: { bddNodes?: number },
  perAcl?: PerAcl,
): Finding[] {
  const ctx = new DeviceAnalyses(device, settings, extra, limits?.bddNodes, perAcl);
  const findings: Finding[] = [];
  /** Rules stopped by the BDD node budget (their findings for this device are dropped whole). */
  const stopped: RuleMeta[] = [];
  let budgetError: BddBudgetError | undefined;
  // the checks with managers of their own first (see `Check.ownSets`); the findings are sorted at the end
  const order = [...rules.filter((r) => checkOf(r).ownSets), ...rules.filter((r) => !checkOf(r).ownSets)];
  for (const rule of order) {
    const s = ruleSettings?.get(rule.id);
    const severity = s?.severity ?? rule.severity;
    if (severity === "off") continue;
    watchHeap(`while checking ${device.file} (rule ${rule.id})`);
    const check = checkOf(rule);
    const options = s?.options ? checkedOptions(rule, check, s.options) : rule.options;
    const before = findings.length;
    try {
      runCheck(rule, severity, check, options);
    } catch (e) {
      if (e instanceof HeapError) throw e.at(`while checking ${device.file} (rule ${rule.id})`);
      if (!(e instanceof BddBudgetError)) throw e;
      budgetError ??= e;
      // the shared sets are not used again (an interrupted operation may have left them
      // inconsistent); a check's own manager is gone with it
      if (!check.ownSets) ctx.exhausted = e;
      findings.length = before;
      stopped.push(rule);
    } finally {
      // the line analyses' kept arrays serve one rule's ACLs; the next rule's sets need the memory
      dropSpareSets();
    }
  }
  if (stopped.length > 0) {
    // reported as an `unrecognized-syntax` limit note (its rule's severity; never silent, even when that rule is off)
    const us = rules.find((r) => r.id === "unrecognized-syntax");
    const set = ruleSettings?.get("unrecognized-syntax")?.severity ?? us?.severity ?? "warning";
    findings.push({
      ruleId: "unrecognized-syntax",
      severity: set === "off" ? "warning" : set,
      file: device.file,
      line: 1,
      message: `the packet-set analysis of this file needs more than natlint's BDD node budget of ${budgetError!.budget} nodes (${LIMIT_FLAGS.bddNodes}): ${rules.filter((r) => stopped.includes(r)).map((r) => r.id).join(", ")} did not run on this file, so their findings are missing`,
      source: "",
      messageId: "diagnostic",
      details: { kind: "limit" },
    });
  }
  function runCheck(rule: RuleMeta, severity: Exclude<RuleSetting["severity"], "off">, check: Check, options: Readonly<Record<string, unknown>>): void {
    check.run(ctx, options, (r) => {
      const template = check.messages[r.messageId];
      if (template === undefined) throw new Error(`check ${check.id}: unknown message id "${r.messageId}"`);
      const f: Finding = {
        ruleId: rule.id,
        severity,
        file: r.at.file,
        line: r.at.line,
        message: formatMessage(template, r.data),
        source: r.at.text,
        ...(r.acl !== undefined ? { acl: r.acl } : {}),
        messageId: r.messageId,
        ...(r.details ? { details: r.details } : {}),
      };
      if (r.remedy) REMEDIES.set(f, r.remedy);
      findings.push(f);
    });
  }
  // A rule that yields to another drops its finding where the other reports the same line.
  const yields = new Map(rules.filter((r) => r.yieldsTo?.length).map((r) => [r.id, new Set(r.yieldsTo)]));
  const at = new Set(findings.map((f) => `${f.ruleId}\0${f.file}\0${f.line}`));
  const kept = findings.filter((f) => {
    const to = yields.get(f.ruleId);
    if (!to) return true;
    for (const other of to) if (at.has(`${other}\0${f.file}\0${f.line}`)) return false;
    return true;
  });
  return kept.sort(compareFindings);
}

/**
 * A rule's options with settings merged over its defaults, validated once per settings object:
 * the config file's settings are validated with their key paths when it is loaded (./rules.ts),
 * settings a library caller passes in `ruleSettingsFor` are checked here.
 */
const validated = new WeakMap<object, Map<string, Readonly<Record<string, unknown>>>>();
function checkedOptions(rule: RuleMeta, check: Check, options: Record<string, unknown>): Readonly<Record<string, unknown>> {
  let byRule = validated.get(options);
  if (!byRule) validated.set(options, (byRule = new Map()));
  let merged = byRule.get(rule.id);
  if (!merged) {
    merged = { ...rule.options, ...options };
    const problem = check.validate(merged);
    if (problem) throw new ConfigError(`rule ${rule.id}: options: ${problem}`);
    byRule.set(rule.id, merged);
  }
  return merged;
}

