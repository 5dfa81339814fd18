/** `--format json`: the documented contract `{findings, files, summary}`; keys are only ever added. */
import { findingJson } from "../core/finding.js";
import type { LintResult } from "../engine/types.js";

export function formatJson(result: LintResult): string {
  return JSON.stringify({ findings: result.findings.map(findingJson), files: result.files, summary: result.summary }, null, 2) + "\n";
}
