/**
 * Applying inline suppressions (`natlint-disable…` directives, parsed by
 * src/parse/common/directives.ts) to a run's findings, and reporting unused directives.
 */
import type { Finding } from "../core/finding.js";
import type { Directive } from "../parse/common/directives.js";

export const UNUSED_DIRECTIVE_RULE = "unused-disable-directive";

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
