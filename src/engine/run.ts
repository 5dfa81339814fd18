/**
 * The lint run: find the files, read and parse each, run every enabled rule's check on the
 * device (each analysis computed once per device), then apply inline suppressions and the
 * baseline. Findings come back in the one order every formatter prints (file, line, rule, …).
 */
import { resolve } from "node:path";
import { ConfigError, InputError } from "../core/errors.js";
import { compareFindings, summarize, type Finding } from "../core/finding.js";
import { findConfigFiles, readConfigText } from "../io/files.js";
import { displayPath } from "../io/paths.js";
import type { Device, Vendor } from "../model/types.js";
import { parseConfig } from "../parse/index.js";
import { parseDirectives, type Directive } from "../parse/common/directives.js";
import { CHECKS } from "../checks/index.js";
import { formatMessage, type Check, type SimulationSettings } from "../checks/define.js";
import { filterByBaseline, type BaselineFile } from "./baseline.js";
import { DeviceAnalyses } from "./context.js";
import { resolveRules } from "./rules.js";
import { isIgnored, loadConfig, resolveRuleSettings, type RuleSetting } from "./settings.js";
import { applySuppressions } from "./suppress.js";
import { REMEDIES } from "./remedies.js";
import { fixFiles, type FixState } from "./fix-run.js";
import type { LintResult, RuleMeta } from "./types.js";

/** Run the enabled rules on one device. `ruleSettings`: per-rule severity/options from the config (absent: rule defaults). */
export function runRules(device: Device, rules: readonly RuleMeta[], settings: SimulationSettings, ruleSettings?: ReadonlyMap<string, RuleSetting>): Finding[] {
  const ctx = new DeviceAnalyses(device, settings);
  const findings: Finding[] = [];
  for (const rule of rules) {
    const s = ruleSettings?.get(rule.id);
    const severity = s?.severity ?? rule.severity;
    if (severity === "off") continue;
    const check = CHECKS.get(rule.check)!; // rule files are validated against the registry when loaded
    const options = s?.options ? checkedOptions(rule, check, s.options) : rule.options;
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

export interface RunOptions {
  /** Files, directories or globs (default ["."]). */
  patterns?: readonly string[];
  cwd?: string;
  /** IPsec clients to simulate behind each PAT (default: the config's, else 3). */
  clients?: number;
  /** PAT profile id; default: the config's, else chosen from each config. */
  profile?: string;
  /** Peer address to simulate; default: picked from each device's ACLs. */
  peer?: number;
  /** Force the vendor instead of detecting it from the content. */
  vendor?: Vendor;
  /** Rules to run (default: the built-in rules and the config's rulesDirs). */
  rules?: RuleMeta[];
  /** Per-file rule settings (default: from the config file). */
  ruleSettingsFor?: (file: string) => ReadonlyMap<string, RuleSetting> | undefined;
  /** Globs to skip when expanding directories and globs. */
  ignore?: readonly string[];
  /** Called before each file is analysed. */
  onFile?: (file: string, index: number, total: number) => void;
  /** Config file: a path, `false` for none, or undefined to search for `.natlintrc.json` upward from `cwd`. */
  config?: string | false;
  /** Report `natlint-disable` directives that suppress nothing. */
  reportUnusedDisableDirectives?: boolean;
  /** Baseline (JSON text or parsed): findings it records are not reported. */
  baseline?: string | BaselineFile;
  /**
   * Apply the proven fixes (in memory: `files[].output` is the fixed text, findings are those that
   * remain). Without it, findings still carry their proven `fix` (see ./fix.ts).
   */
  fix?: boolean;
  /** Only these rules' fixes (default: every rule's). */
  fixTypes?: readonly string[];
  /** Set false to skip proving fixes (findings then carry no `fix`). */
  proveFixes?: boolean;
}

export const DEFAULT_CLIENTS = 3;

/** Lint config files (see the file comment). */
export async function lintRun(opts: RunOptions = {}): Promise<LintResult> {
  const cwd = resolve(opts.cwd ?? process.cwd());
  const loaded = opts.config === false ? undefined : loadConfig({ cwd, ...(opts.config !== undefined ? { configPath: opts.config } : {}) });
  const cfg = loaded?.config ?? {};
  const profile = opts.profile ?? cfg.profile;
  const settings: SimulationSettings = {
    clients: opts.clients ?? cfg.clients ?? DEFAULT_CLIENTS,
    ...(profile !== undefined ? { profile } : {}),
    ...(opts.peer !== undefined ? { peer: opts.peer } : {}),
  };
  const vendor = opts.vendor ?? cfg.vendor;
  const rules = opts.rules ?? resolveRules(loaded, cwd);
  const found = await findConfigFiles(opts.patterns?.length ? opts.patterns : ["."], cwd, opts.ignore);
  const files = loaded ? found.filter((f) => !isIgnored(cfg, f, cwd, loaded.baseDir)) : found;
  if (files.length === 0) throw new InputError("all files are ignored by the config's ignore globs");
  const all: Finding[] = [];
  const fileResults: LintResult["files"] = [];
  const directives = new Map<string, Directive[]>();
  const fixStates = new Map<string, FixState>();
  files.forEach((abs, i) => {
    const shown = displayPath(abs, cwd);
    opts.onFile?.(shown, i, files.length);
    const text = readConfigText(abs, shown);
    const parsed = parseConfig(text, shown, vendor);
    fileResults.push({ path: shown, vendor: parsed.vendor, vendorReason: parsed.vendorReason });
    directives.set(shown, parseDirectives(text));
    const ruleSettings = opts.ruleSettingsFor?.(shown) ?? (loaded ? resolveRuleSettings(cfg, shown, cwd, loaded.baseDir) : undefined);
    const raw = runRules(parsed.device, rules, settings, ruleSettings);
    for (const f of raw) all.push(f);
    if (opts.proveFixes !== false && raw.some((f) => REMEDIES.has(f)))
      fixStates.set(shown, { file: shown, vendor: parsed.vendor, text, device: parsed.device, raw, lint: (d) => runRules(d, rules, settings, ruleSettings) });
  });
  const sup = applySuppressions(all, directives, { reportUnused: opts.reportUnusedDisableDirectives ?? false });
  let findings = [...sup.kept, ...sup.unused].sort(compareFindings);
  let baselined = 0;
  if (opts.baseline !== undefined) {
    const b = filterByBaseline(findings, opts.baseline, { cwd });
    baselined = b.matched.length;
    findings = b.kept;
  }
  let suppressed = sup.suppressed.length;
  if (fixStates.size > 0) {
    // Fixes: proven per file; with `fix`, applied (several passes) and the file linted again.
    const r = fixFiles(fixStates, findings, {
      apply: opts.fix === true,
      ...(opts.fixTypes ? { only: new Set(opts.fixTypes) } : {}),
      relint: (file, raw, text) => {
        const s = applySuppressions(raw, new Map([[file, parseDirectives(text)]]), { reportUnused: opts.reportUnusedDisableDirectives ?? false });
        let kept = [...s.kept, ...s.unused].sort(compareFindings);
        let b = 0;
        if (opts.baseline !== undefined) {
          const f = filterByBaseline(kept, opts.baseline, { cwd });
          b = f.matched.length;
          kept = f.kept;
        }
        return { findings: kept, suppressed: s.suppressed.length, baselined: b };
      },
    });
    findings = r.findings;
    suppressed += r.suppressedDelta;
    baselined += r.baselinedDelta;
    for (const fr of fileResults) {
      const out = r.outputs.get(fr.path);
      if (out) Object.assign(fr, out);
    }
  }
  return { findings, files: fileResults, summary: { ...summarize(findings), suppressed, baselined }, rules };
}
