/**
 * Globs, one syntax everywhere (picomatch), and ignore lists (the `ignore` package, which is
 * .gitignore's syntax: https://git-scm.com/docs/gitignore).
 *
 * Globs (`overrides[].files`, command-line operands): picomatch syntax — `*`, `?`, `**`, `{a,b}`,
 * `[abc]`, `[!abc]`, `\x` — matched against forward-slash paths relative to a base directory, with
 * natlint's two additions that .gitignore users expect:
 * - a pattern without `/` (other than a trailing one) matches the file's name in any directory
 *   (`*.cfg` matches `edge/r1.cfg`); a leading `/` anchors it to the base directory;
 * - a trailing `/` means "everything under this directory".
 * `*` matches a leading dot too. In a list, `!pattern` excludes what earlier patterns included,
 * and the last pattern that matches decides (as in .gitignore).
 *
 * Ignore lists (`ignore` in the config, `.gitignore`, `.natlintignore`) are .gitignore files:
 * a pattern also covers everything under a matching directory, `!` re-includes.
 */
import picomatch from "picomatch";
import ignoreFactory, { type Ignore } from "ignore";

export type GlobMatcher = (relPath: string) => boolean;

const PM_OPTIONS = { dot: true, posix: true } as const;

function normalizeRel(p: string): string {
  return p.replace(/\\/g, "/").replace(/^(?:\.\/)+/, "");
}

/**
 * Parentheses are literal in file names: picomatch would read a bare `(…)` as a regular-expression
 * group, so escape those that do not open an extglob (`@(`, `!(`, `+(`, `*(`, `?(`).
 */
function literalParens(p: string): string {
  let out = "";
  const open: boolean[] = [];
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (c === "\\") {
      out += c + (p[i + 1] ?? "");
      i++;
    } else if (c === "(") {
      const ext = i > 0 && "@!+*?".includes(p[i - 1]!);
      open.push(!ext);
      out += ext ? c : "\\(";
    } else if (c === ")" && open.length) out += open.pop() ? "\\)" : c;
    else if (c === ")") out += "\\)";
    else out += c;
  }
  return out;
}

/** One glob (no leading `!`) → a picomatch matcher with natlint's basename and directory rules. */
function globMatcher(raw: string): GlobMatcher {
  let p = literalParens(raw.trim());
  while (p.startsWith("./")) p = p.slice(2);
  let dirOnly = false;
  if (p.length > 1 && p.endsWith("/")) {
    p = p.replace(/\/+$/, "");
    dirOnly = true;
  }
  const anchored = p.startsWith("/");
  if (anchored) p = p.slice(1);
  if (!anchored && !p.includes("/")) p = `**/${p}`;
  if (dirOnly) p = `${p}/**`;
  return picomatch(p, PM_OPTIONS);
}

/**
 * Compile globs into one predicate over forward-slash relative paths. `!pattern` entries exclude;
 * the last matching entry decides; a list of exclusions only starts from "everything".
 */
export function compileGlobs(patterns: readonly string[]): GlobMatcher {
  const items = patterns
    .map((p) => p.trim())
    .filter((p) => p !== "" && p !== "!")
    .map((p) => (p.startsWith("!") ? { neg: true, m: globMatcher(p.slice(1)) } : { neg: false, m: globMatcher(p) }));
  if (items.length === 0) return () => false;
  const start = items.every((i) => i.neg);
  return (relPath: string) => {
    const p = normalizeRel(relPath);
    let r = start;
    for (const it of items) if (r === it.neg && it.m(p)) r = !it.neg;
    return r;
  };
}

/** Does `relPath` match `patterns` (see `compileGlobs`)? */
export function matchesGlob(relPath: string, patterns: readonly string[] | string): boolean {
  return compileGlobs(typeof patterns === "string" ? [patterns] : patterns)(relPath);
}

export interface IgnoreTest {
  ignored: boolean;
  unignored: boolean;
  /** The pattern that decided, for messages. */
  pattern?: string;
}

/** A .gitignore-style list: `test(rel)` for a forward-slash path relative to the list's directory. */
export interface IgnoreList {
  test(relPath: string): IgnoreTest;
}

/** Compile .gitignore-syntax patterns (lines of an ignore file, or the config's `ignore`). */
export function ignoreList(patterns: readonly string[] | string): IgnoreList {
  const ig: Ignore = ignoreFactory({ allowRelativePaths: false }).add(typeof patterns === "string" ? patterns : [...patterns]);
  return {
    test(relPath) {
      const p = normalizeRel(relPath);
      // Paths outside the list's directory (or the directory itself) are never matched by it.
      if (p === "" || p === "." || p === ".." || p.startsWith("../") || p.startsWith("/") || /^[A-Za-z]:/.test(p)) return { ignored: false, unignored: false };
      const r = ig.test(p);
      return { ignored: r.ignored, unignored: r.unignored, ...(r.rule ? { pattern: r.rule.pattern } : {}) };
    },
  };
}
