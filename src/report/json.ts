/** `--format json`: the documented contract `{findings, files, summary}`; keys are only ever added. */
import { findingJson } from "../core/finding.js";
import type { LintResult } from "../engine/types.js";
import { nested, Pieces } from "./pieces.js";

export function formatJson(result: LintResult): string {
  return jsonChunks(result).join("");
}

/**
 * The text of `formatJson` in pieces of about a MiB, byte for byte `JSON.stringify(…, null, 2)`
 * of the whole report: a fleet's report outgrows the longest string V8 can make (~512 MiB, some
 * 3,000 configs with their fixes), so the CLI writes it piece by piece.
 */
export function jsonChunks(result: LintResult): string[] {
  const out = new Pieces();
  const put = (s: string) => out.put(s);
  if (result.findings.length === 0) put('{\n  "findings": [],\n');
  else {
    put('{\n  "findings": [\n');
    result.findings.forEach((f, i) => put(`${i > 0 ? ",\n" : ""}    ${nested(findingJson(f), "    ")}`));
    put("\n  ],\n");
  }
  put(`  "files": ${nested(result.files, "  ")},\n  "summary": ${nested(result.summary, "  ")}\n}\n`);
  return out.done();
}
