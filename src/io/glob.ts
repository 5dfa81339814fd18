/**
 * A small glob matcher for `ignore` and `overrides[].files` (Node 20 has no `path.matchesGlob`,
 * and natlint does not depend on picomatch directly).
 *
 * Syntax, matched against forward-slash paths relative to the config file's directory:
 * - `*` any run of characters except `/`; `?` one character except `/`
 * - `**` as a whole path segment: zero or more segments (`a/**` also matches `a` itself)
 * - `{a,b,c}` alternatives (may nest, may contain `/` and other glob syntax)
 * - `[abc]`, `[a-z]`, `[!abc]` / `[^abc]` character classes (never match `/`)
 * - `\x` matches `x` literally
 * - a leading `./` is ignored; a trailing `/` means "everything under this directory"
 * - a pattern without `/` (other than a trailing one) matches the file's basename in any
 *   directory, as in .gitignore (`*.cfg` matches `edge/r1.cfg`)
 * - `*` and `?` match a leading dot too (no special-casing of dotfiles)
 */

/** Expand top-level `{a,b}` groups (recursively) into plain patterns. */
export function expandBraces(pattern: string): string[] {
  let depth = 0;
  let start = -1;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "\\") {
      i++;
      continue;
    }
    if (c === "[") {
      const end = classEnd(pattern, i);
      if (end > 0) {
        i = end;
        continue;
      }
    }
    if (c === "{") {
      if (depth === 0) start = i;
      depth++;
    } else if (c === "}" && depth > 0) {
      depth--;
      if (depth === 0) {
        const inner = pattern.slice(start + 1, i);
        const alts = splitTopLevel(inner);
        if (alts.length < 2) {
          // `{x}` is literal text in most glob dialects; keep braces escaped.
          return expandBraces(pattern.slice(0, start) + "\\{" + inner + "\\}" + pattern.slice(i + 1));
        }
        const pre = pattern.slice(0, start);
        const post = pattern.slice(i + 1);
        return alts.flatMap((alt) => expandBraces(pre + alt + post));
      }
    }
  }
  return [pattern];
}

function splitTopLevel(s: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = "";
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === "\\") {
      cur += c + (s[i + 1] ?? "");
      i++;
      continue;
    }
    if (c === "{") depth++;
    if (c === "}") depth--;
    if (c === "," && depth === 0) {
      parts.push(cur);
      cur = "";
    } else cur += c;
  }
  parts.push(cur);
  return parts;
}

/** Index of the `]` closing a character class opened at `i`, or -1 if it is not a class. */
function classEnd(p: string, i: number): number {
  let j = i + 1;
  if (p[j] === "!" || p[j] === "^") j++;
  if (p[j] === "]") j++;
  for (; j < p.length; j++) {
    if (p[j] === "\\") j++;
    else if (p[j] === "]") return j;
    else if (p[j] === "/") return -1;
  }
  return -1;
}

const REGEX_SPECIAL = /[.*+?^${}()|[\]\\/]/g;
const esc = (s: string) => s.replace(REGEX_SPECIAL, "\\$&");

/** Translate one brace-free glob to a regular-expression source (no anchors). */
function segmentsToRegex(pattern: string): string {
  const segs = pattern.split("/");
  let out = "";
  for (let s = 0; s < segs.length; s++) {
    const seg = segs[s]!;
    const last = s === segs.length - 1;
    if (seg === "**") {
      if (!last) out += "(?:[^/]*/)*"; // zero or more whole segments, each with its separator
      else if (s === 0) out += ".*"; // `**` alone: anything
      else out = out.slice(0, -1) + "(?:/.*)?"; // `a/**`: `a` itself or anything below it
      continue;
    }
    for (let i = 0; i < seg.length; i++) {
      const c = seg[i]!;
      if (c === "\\") {
        out += esc(seg[i + 1] ?? "\\");
        i++;
      } else if (c === "*") {
        while (seg[i + 1] === "*") i++;
        out += "[^/]*";
      } else if (c === "?") {
        out += "[^/]";
      } else if (c === "[" && classEnd(seg, i) > 0) {
        const end = classEnd(seg, i);
        let body = seg.slice(i + 1, end);
        let neg = false;
        if (body[0] === "!" || body[0] === "^") {
          neg = true;
          body = body.slice(1);
        }
        body = body.replace(/\\(.)/g, "$1").replace(/[\\\]^]/g, "\\$&");
        out += neg ? `[^/${body}]` : `[${body}]`;
        i = end;
      } else {
        out += esc(c);
      }
    }
    if (!last) out += "/";
  }
  return out;
}

export interface GlobMatcher {
  (relPath: string): boolean;
}

/** Compile globs into one predicate over forward-slash relative paths. */
export function compileGlobs(patterns: readonly string[], { prefixes = false } = {}): GlobMatcher {
  const full: RegExp[] = [];
  const base: RegExp[] = [];
  for (let raw of patterns) {
    raw = raw.trim();
    if (!raw) continue;
    while (raw.startsWith("./")) raw = raw.slice(2);
    let dirOnly = false;
    if (raw.endsWith("/") && raw.length > 1) {
      raw = raw.replace(/\/+$/, "");
      dirOnly = true;
    }
    for (const p of expandBraces(raw)) {
      const anchored = p.startsWith("/") ? p.slice(1) : p;
      const hasSlash = p.includes("/");
      const src = segmentsToRegex(anchored);
      const suffix = dirOnly || prefixes ? "(?:/.*)?" : "";
      if (hasSlash) full.push(new RegExp(`^${src}${suffix}$`));
      else if (dirOnly || prefixes) full.push(new RegExp(`^(?:.*/)?${src}${suffix}$`));
      else base.push(new RegExp(`^${src}$`));
    }
  }
  return (relPath: string) => {
    const p = relPath.replace(/\\/g, "/").replace(/^\.\//, "");
    if (full.some((r) => r.test(p))) return true;
    if (base.length === 0) return false;
    const name = p.slice(p.lastIndexOf("/") + 1);
    return base.some((r) => r.test(name));
  };
}

/** Does `relPath` match any of `patterns`? (see module doc for the syntax) */
export function matchesGlob(relPath: string, patterns: readonly string[] | string): boolean {
  return compileGlobs(typeof patterns === "string" ? [patterns] : patterns)(relPath);
}
