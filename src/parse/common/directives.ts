/**
 * Inline suppression directives written in configuration comments (applied by src/engine/suppress.ts).
 *
 * Where a directive may appear (the directive must be the first word of the comment text):
 * - IOS/ASA comment lines: `! natlint-disable …`, and ASA `: natlint-disable …`
 * - ACL remarks: `access-list 101 remark natlint-disable …` (IOS numbered / ASA, also ASA
 *   `access-list X line 3 remark …`), and `remark …` / `10 remark …` / `sequence 10 remark …` inside a named ACL
 *
 * Directives:
 * - `natlint-disable-next-line RULE[,RULE] [-- reason]`: findings on the next line that is not
 *   blank, a comment or a remark.
 * - `natlint-disable RULE[,RULE] [-- reason]` … `natlint-enable RULE[,RULE]`: findings on the
 *   lines between them (to the end of the file if never re-enabled). `natlint-enable RULE` inside
 *   a `natlint-disable` of all rules re-enables just that rule.
 * - No RULE means all rules. Rules may be separated by commas and/or spaces; ids compare
 *   case-insensitively. Text after ` -- ` is the reason.
 *
 * A directive without a reason is honoured and NOT warned about; `Directive.reason` is undefined
 * so a caller can enforce reasons if it wants to. Unknown rule ids are not reported here.
 */
export type DirectiveKind = "disable-next-line" | "disable" | "enable";

export interface Directive {
  kind: DirectiveKind;
  /** 1-based line of the directive. */
  line: number;
  /** Rule ids (lower-cased); empty = all rules. */
  rules: string[];
  reason?: string;
  /** For `disable-next-line`: the line it applies to (undefined when no such line follows). */
  target?: number;
  /** The directive's source line, trimmed. */
  text: string;
}

/** Comment body of a comment or remark line, or undefined if the line is neither. */
function commentBody(trimmed: string): string | undefined {
  if (trimmed.startsWith("!") || trimmed.startsWith(":")) return trimmed.replace(/^[!:]+/, "");
  const m = /^(?:access-list\s+\S+\s+(?:line\s+\d+\s+)?|(?:sequence\s+)?\d+\s+)?remark(?:\s+(.*))?$/i.exec(trimmed);
  if (m) return m[1] ?? "";
  return undefined;
}

const DIRECTIVE_RE = /^(natlint-disable-next-line|natlint-disable|natlint-enable)(?=\s|$)(.*)$/;

function parseDirectiveBody(body: string): { kind: DirectiveKind; rules: string[]; reason?: string } | undefined {
  const m = DIRECTIVE_RE.exec(body.trim());
  if (!m) return undefined;
  const kind = m[1]!.slice("natlint-".length) as DirectiveKind;
  let rest = m[2] ?? "";
  let reason: string | undefined;
  const sep = /(?:^|\s)--(?:\s|$)/.exec(rest);
  if (sep) {
    reason = rest.slice(sep.index + sep[0].length).trim() || undefined;
    rest = rest.slice(0, sep.index);
  }
  const rules = [...new Set(rest.split(/[\s,]+/).filter(Boolean).map((r) => r.toLowerCase()))];
  return reason === undefined ? { kind, rules } : { kind, rules, reason };
}

/** All natlint directives in a configuration text. */
export function parseDirectives(text: string): Directive[] {
  const lines = text.split(/\r\n|\r|\n/);
  const out: Directive[] = [];
  const pendingNext: Directive[] = [];
  for (let i = 0; i < lines.length; i++) {
    const trimmed = lines[i]!.trim();
    if (!trimmed) continue;
    const body = commentBody(trimmed);
    if (body === undefined) {
      // a real configuration line: it is the target of any pending disable-next-line
      for (const d of pendingNext) d.target = i + 1;
      pendingNext.length = 0;
      continue;
    }
    const parsed = parseDirectiveBody(body);
    if (!parsed) continue;
    const d: Directive = { ...parsed, line: i + 1, text: trimmed };
    out.push(d);
    if (d.kind === "disable-next-line") pendingNext.push(d);
  }
  return out;
}
