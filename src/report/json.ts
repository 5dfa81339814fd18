/** `--format json`: the documented contract `{findings, files, summary}`; keys are only ever added. */
import { findingJson } from "../core/finding.js";
import type { LintResult } from "../engine/types.js";
import { inPieces, nested } from "./pieces.js";

export function formatJson(result: LintResult): string {
  return jsonChunks(result).join("");
}

/**
 * The text of `formatJson` in pieces of about a MiB, byte for byte `JSON.stringify(…, null, 2)`
 * of the whole report: a fleet's report outgrows the longest string V8 can make (~512 MiB, some
 * 3,000 configs with their fixes), so the CLI writes it piece by piece.
 */
export function jsonChunks(result: LintResult): string[] {
  return [...jsonPieces(result)];
}

/**
 * The pieces of `jsonChunks`, each as soon as it is made: the CLI writes one before the next is
 * made, so a fleet's report is never all in memory at once (about 100 MB for 1,000 configs).
 */
export function jsonPieces(result: LintResult): Generator<string> {
  return inPieces(jsonParts(result));
}

/**
 * The text of `jsonChunks` in its small parts (a finding each), as they are made: for a writer
 * that encodes each part straight into its buffer (../io/write.ts `FileWriter`: `--output-file`),
 * with no join of the parts into pieces first (a warm fleet run's report is most of its time).
 */
export function* jsonParts(result: LintResult): Generator<string> {
  if (result.findings.length === 0) yield '{\n  "findings": [],\n';
  else {
    yield '{\n  "findings": [\n';
    for (let i = 0; i < result.findings.length; i++) yield `${i > 0 ? ",\n" : ""}    ${nested(findingJson(result.findings[i]!), "    ")}`;
    yield "\n  ],\n";
  }
  yield `  "files": ${nested(result.files, "  ")},\n  "summary": ${nested(result.summary, "  ")}\n}\n`;
}
