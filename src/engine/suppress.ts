/**
 * Inline suppressions written in configuration comments.
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
import type { Finding } from "../checks/types.js";

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

export const UNUSED_DIRECTIVE_RULE = "unused-disable-directive";

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

export interface SuppressionResult {
  kept: Finding[];
  suppressed: Finding[];
  /** One `unused-disable-directive` warning per unused directive (per rule it names). */
  unused: Finding[];
}

interface Tracker {
  d: Directive;
  /** Rules (or "*" for all) that suppressed at least one finding. */
  used: Set<string>;
}

function covers(d: Directive, rule: string): boolean {
  return d.rules.length === 0 || d.rules.includes(rule);
}

/**
 * Split findings into kept and suppressed. `directivesByFile` is keyed by the same file string the
 * findings carry. With `reportUnused`, every disable directive (or rule named in one) that
 * suppressed nothing, and every `natlint-enable` that re-enabled nothing, becomes a warning
 * finding with rule id `unused-disable-directive` in `unused` (the caller adds those to the
 * results; they are never suppressed themselves).
 */
export function applySuppressions(
  findings: readonly Finding[],
  directivesByFile: ReadonlyMap<string, readonly Directive[]>,
  opts: { reportUnused: boolean },
): SuppressionResult {
  const trackers = new Map<Directive, Tracker>();
  const track = (d: Directive) => {
    let t = trackers.get(d);
    if (!t) trackers.set(d, (t = { d, used: new Set() }));
    return t;
  };

  // Per file: block states in directive order, so a finding's suppressor is found by replaying.
  const blockCache = new Map<string, (line: number, rule: string) => Directive | undefined>();
  const blockLookup = (file: string) => {
    let fn = blockCache.get(file);
    if (fn) return fn;
    const directives = [...(directivesByFile.get(file) ?? [])]
      .filter((d) => d.kind !== "disable-next-line")
      .sort((a, b) => a.line - b.line);
    fn = (line: number, rule: string) => {
      let all: Directive | undefined;
      const byRule = new Map<string, Directive>();
      const reenabled = new Set<string>();
      for (const d of directives) {
        if (d.line >= line) break;
        if (d.kind === "disable") {
          if (d.rules.length === 0) {
            all = d;
            reenabled.clear();
          } else for (const r of d.rules) {
            byRule.set(r, d);
            reenabled.delete(r);
          }
        } else if (d.rules.length === 0) {
          all = undefined;
          byRule.clear();
          reenabled.clear();
        } else {
          for (const r of d.rules) {
            byRule.delete(r);
            if (all) reenabled.add(r);
          }
        }
      }
      return byRule.get(rule) ?? (all && !reenabled.has(rule) ? all : undefined);
    };
    blockCache.set(file, fn);
    return fn;
  };

  const kept: Finding[] = [];
  const suppressed: Finding[] = [];
  for (const f of findings) {
    const directives = directivesByFile.get(f.file);
    if (!directives || directives.length === 0 || f.ruleId === UNUSED_DIRECTIVE_RULE) {
      kept.push(f);
      continue;
    }
    const rule = f.ruleId.toLowerCase();
    const next = directives.find((d) => d.kind === "disable-next-line" && d.target === f.line && covers(d, rule));
    const by = next ?? blockLookup(f.file)(f.line, rule);
    if (by) {
      track(by).used.add(by.rules.length === 0 ? "*" : rule);
      suppressed.push(f);
    } else kept.push(f);
  }

  const unused: Finding[] = [];
  if (opts.reportUnused) {
    const files = [...directivesByFile.keys()].sort();
    for (const file of files) {
      const directives = [...directivesByFile.get(file)!].sort((a, b) => a.line - b.line);
      for (const d of directives) {
        const name = `natlint-${d.kind}`;
        const report = (message: string) =>
          unused.push({ ruleId: UNUSED_DIRECTIVE_RULE, severity: "warning", file, line: d.line, message, source: d.text });
        if (d.kind === "enable") {
          if (!enablesSomething(d, directives)) {
            const what = d.rules.length ? ` for ${d.rules.map((r) => `'${r}'`).join(", ")}` : "";
            report(`Unused ${name} directive${what} (no matching natlint-disable is active)`);
          }
          continue;
        }
        const used = trackers.get(d)?.used ?? new Set<string>();
        if (d.rules.length === 0) {
          if (used.size === 0) report(`Unused ${name} directive (no problems were reported)`);
        } else {
          const idle = d.rules.filter((r) => !used.has(r));
          if (idle.length === d.rules.length) {
            report(`Unused ${name} directive (no problems were reported from ${idle.map((r) => `'${r}'`).join(", ")})`);
          } else if (idle.length) {
            report(`Unused rule${idle.length > 1 ? "s" : ""} in ${name} directive (no problems were reported from ${idle.map((r) => `'${r}'`).join(", ")})`);
          }
        }
      }
    }
  }
  return { kept, suppressed, unused };
}

/** Is some disable (for a rule this enable names, or of all rules) active when `enable` is reached? */
function enablesSomething(enable: Directive, sorted: readonly Directive[]): boolean {
  let all = false;
  const active = new Set<string>();
  for (const d of sorted) {
    if (d === enable) break;
    if (d.kind === "disable") {
      if (d.rules.length === 0) all = true;
      else for (const r of d.rules) active.add(r);
    } else if (d.kind === "enable") {
      if (d.rules.length === 0) {
        all = false;
        active.clear();
      } else for (const r of d.rules) active.delete(r);
    }
  }
  if (enable.rules.length === 0) return all || active.size > 0;
  return all || enable.rules.some((r) => active.has(r));
}
