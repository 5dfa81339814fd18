/** What a lint run is made of and what it returns. */
import type { Finding, Severity, Summary } from "../core/finding.js";
import type { Vendor } from "../model/types.js";
import type { BaselineEntry } from "./baseline.js";
import type { Fix } from "../model/edits.js";

/** A rule as loaded from rules/<id>.json (validated against rules/rule.schema.json). */
export interface RuleMeta {
  id: string;
  title: string;
  severity: Severity;
  description: string;
  rationale: string;
  references: string[];
  check: string;
  options: Record<string, unknown>;
  /** GitHub code scanning's security-severity (0–10) when the rule's findings open or break access. */
  securitySeverity?: number;
  /** Rule ids whose finding on the same line makes this rule's finding redundant. */
  yieldsTo?: string[];
  /** Path of the rule file (for messages) and of its doc page (or its URL). */
  file: string;
  docs: string;
}

export interface FileResult {
  path: string;
  vendor: Vendor;
  /** Why this vendor was chosen (content marker or the vendor option). */
  vendorReason?: string;
  /** With fixes applied (`fix`): the file's fixed text, when a fix changed it. */
  output?: string;
  /** With fixes applied: the findings the fixes removed, each with its proven fix (lines of the text it was proven on). */
  fixed?: FixedFinding[];
}

/** A finding a fix removed (with `fix`: applied in memory or written). */
export interface FixedFinding {
  /** The pass that applied it (1: proven on the file as it was; 2: on the text pass 1 left, …). */
  pass: number;
  ruleId: string;
  line: number;
  message: string;
  fix: Fix;
}

/** The result of `lint`: the JSON contract `{findings, files, summary}` plus extras. */
export interface LintResult {
  findings: Finding[];
  files: FileResult[];
  summary: Summary;
  /** Rules that ran (for SARIF `tool.driver.rules`, markdown summaries). */
  rules: RuleMeta[];
  /** What the file search skipped and how the run went (not part of the JSON output). */
  notes?: RunNotes;
}

/** Extra facts about a run, for the command line to report on stderr. */
export interface RunNotes {
  /** Named files an ignore rule skipped (display paths), with the rule. */
  ignored: Array<{ file: string; why: string }>;
  /** Files a directory search or glob skipped by an ignore rule. */
  ignoredInSearch: number;
  /** Symbolic links not followed (they lead outside the operand's tree, or nowhere). */
  skippedLinks: string[];
  /** Named files skipped by `onlyConfigFiles` (they do not look like configs). */
  notConfigs: string[];
  cache?: { file: string; hits: number; misses: number };
  /** Worker threads used (0: this thread). */
  workers: number;
  /** Baseline entries that matched no finding (fixed since): what `--prune` drops. */
  unusedBaselineEntries?: BaselineEntry[];
}
