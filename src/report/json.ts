/** `--format json`: the documented contract `{findings, files, summary}`; keys are only ever added. */
import type { LintResult } from "../engine/types.js";

export function formatJson(result: LintResult): string {
  return JSON.stringify({ findings: result.findings, files: result.files, summary: result.summary }, null, 2) + "\n";
}
