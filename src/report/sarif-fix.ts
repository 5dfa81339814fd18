/**
 * A proven fix (a finding's `details.fix`, see src/model/edits.ts) as a SARIF 2.1.0 `fix` object
 * (§3.55): one artifactChange for the finding's file whose replacements (§3.57) refer to the
 * regions of the original file, in ascending order and not overlapping. The edits of one line
 * (replace, delete, insertAfter) become one replacement of that line's text; the file's own line
 * ending joins inserted lines.
 */
export interface SarifFixEdit {
  line: number;
  op: "replace" | "insertAfter" | "delete";
  text: string;
}

interface Replacement {
  deletedRegion: { startLine: number; startColumn: number; endLine: number; endColumn: number };
  insertedContent?: { text: string };
}

/** The last file's lines and line ending: a file's fixes come one after another, and splitting the whole text per fix was most of a SARIF log's fix time. */
let memo: { text: string; lines: string[]; eol: string } | undefined;

function linesOf(text: string): { lines: string[]; eol: string } {
  if (memo?.text !== text) {
    const eol = /\r\n/.test(text) ? "\r\n" : /\r(?!\n)/.test(text) ? "\r" : "\n";
    memo = { text, lines: text.split(/\r\n|\r|\n/), eol };
  }
  return memo;
}

export function sarifFix(describe: string, edits: readonly SarifFixEdit[], text: string, artifactLocation: object): Record<string, unknown> | undefined {
  const { lines, eol } = linesOf(text);
  const byLine = new Map<number, SarifFixEdit[]>();
  for (const e of edits) {
    if (!Number.isInteger(e.line) || e.line < 1 || e.line > lines.length) return undefined;
    const l = byLine.get(e.line);
    if (l) l.push(e);
    else byLine.set(e.line, [e]);
  }
  const replacements: Replacement[] = [];
  for (const line of [...byLine.keys()].sort((a, b) => a - b)) {
    const es = byLine.get(line)!;
    const original = lines[line - 1]!;
    const replaced = es.find((e) => e.op === "replace");
    const deleted = es.some((e) => e.op === "delete");
    const head = replaced ? [replaced.text] : deleted ? [] : [original];
    const out = [...head, ...es.filter((e) => e.op === "insertAfter").map((e) => e.text)];
    if (out.length === 0) {
      // the whole line with its line ending (the last line: just its text)
      const last = line === lines.length;
      replacements.push({ deletedRegion: last ? { startLine: line, startColumn: 1, endLine: line, endColumn: original.length + 1 } : { startLine: line, startColumn: 1, endLine: line + 1, endColumn: 1 } });
    } else {
      replacements.push({ deletedRegion: { startLine: line, startColumn: 1, endLine: line, endColumn: original.length + 1 }, insertedContent: { text: out.join(eol) } });
    }
  }
  if (replacements.length === 0) return undefined;
  return { description: { text: describe }, artifactChanges: [{ artifactLocation, replacements }] };
}
