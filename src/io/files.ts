/**
 * Reading inputs: which files a lint run reads, and their text.
 *
 * Operands (`natlint lint A B …`):
 * - a file is linted as it is (with `onlyConfigs`, only what a directory search would pick: it
 *   looks like a config (./sniff.ts) and is not under a dot-directory or node_modules);
 * - a directory is searched recursively for files that look like configs (./sniff.ts), skipping
 *   dotfiles, dot-directories and `node_modules`;
 * - anything else is a glob, expanded with fast-glob (dotfiles skipped, symbolic links to
 *   directories not entered, node_modules and .git never searched); every match that the
 *   ignore rules leave is linted;
 * - `!GLOB` removes the files it matches (relative to `cwd`) from the others.
 * Every file, named or found, goes through the ignore rules: `.gitignore` and `.natlintignore` in
 * each directory from the repository root (the nearest ancestor with `.git`; else `cwd`, or the
 * operand itself outside `cwd`) down to the file, each relative to its own directory, then the
 * config's `ignore` lists. An ignored directory is not entered (as in git).
 *
 * Symbolic links met in a directory search are followed only while they stay inside the
 * operand's tree; `followSymlinks` follows them anywhere. Either way a directory is entered once
 * (by its real path), so link cycles end, and a file reached twice is linted once (under the name
 * that sorts first).
 */
import { readFileSync, readdirSync, realpathSync, statSync, type Dirent } from "node:fs";
import path from "node:path";
import { InputError, fsReason, specialFileKind } from "../core/errors.js";
import { formatBytes } from "../core/limits.js";
import { decodeConfig } from "./decode.js";
import fg from "fast-glob";
import { compileGlobs, ignoreList, type IgnoreList } from "./glob.js";
import { looksLikeConfigFile } from "./sniff.js";

export const IGNORE_FILES = [".gitignore", ".natlintignore"] as const;
const NEVER_ENTER = new Set(["node_modules", ".git"]);

/** An ignore list from a config file: its patterns are relative to `baseDir`; `source` names it in messages. */
export interface IgnoreLayer {
  list: IgnoreList;
  baseDir: string;
  source: string;
}

export interface FindOptions {
  cwd: string;
  /** Ignore lists from the config (in order: a later `!pattern` re-includes). */
  ignore?: readonly IgnoreLayer[];
  /** Read `.gitignore` and `.natlintignore` files (default true). */
  ignoreFiles?: boolean;
  /** Follow symbolic links that lead out of an operand's tree (default false). */
  followSymlinks?: boolean;
  /** Lint named files only when they look like configs (the pre-commit hook). */
  onlyConfigs?: boolean;
}

export interface FoundFiles {
  /** Absolute paths, sorted, each real file once. */
  files: string[];
  /** Files skipped by an ignore rule: named ones each, with the rule. */
  ignored: Array<{ file: string; why: string }>;
  /** How many files a directory search or glob skipped by an ignore rule. */
  ignoredInSearch: number;
  /** Symbolic links not followed (they lead outside the operand's tree), absolute. */
  skippedLinks: string[];
  /** Named files skipped by `onlyConfigs`. */
  notConfigs: string[];
}

function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === "" || (!rel.startsWith(`..${path.sep}`) && rel !== ".." && !path.isAbsolute(rel));
}

function slash(p: string): string {
  return p.split(path.sep).join("/");
}

/** Decides whether a path is ignored; caches the ignore files it reads. */
class IgnoreRules {
  private readonly lists = new Map<string, IgnoreList | null>();
  private readonly roots = new Map<string, string>();
  constructor(private readonly opts: FindOptions) {}

  private listAt(file: string): IgnoreList | null {
    let l = this.lists.get(file);
    if (l === undefined) {
      let text: string | undefined;
      try {
        text = readFileSync(file, "utf8");
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code !== "ENOENT" && code !== "ENOTDIR" && code !== "EISDIR") throw new InputError(`${file}: cannot read ignore file: ${fsReason(e)}`);
      }
      l = text === undefined ? null : ignoreList(text);
      this.lists.set(file, l);
    }
    return l;
  }

  /** The directory ignore files are read from downward: the repository root, else cwd, else `dir`. */
  root(dir: string): string {
    let r = this.roots.get(dir);
    if (r === undefined) {
      r = dir;
      for (let d = dir; ; d = path.dirname(d)) {
        try {
          statSync(path.join(d, ".git"));
          r = d;
          break;
        } catch {
          // not a repository root
        }
        if (path.dirname(d) === d) {
          r = isInside(dir, this.opts.cwd) ? path.resolve(this.opts.cwd) : dir;
          break;
        }
      }
      this.roots.set(dir, r);
    }
    return r;
  }

  /** Why `abs` is ignored, or undefined. `root` bounds the ignore files read. */
  why(abs: string, isDir: boolean, root: string): string | undefined {
    let why: string | undefined;
    const apply = (list: IgnoreList, base: string, source: string) => {
      const t = list.test(slash(path.relative(base, abs)) + (isDir ? "/" : ""));
      if (t.ignored) why = `${source}${t.pattern !== undefined ? ` "${t.pattern}"` : ""}`;
      else if (t.unignored) why = undefined;
    };
    if (this.opts.ignoreFiles !== false) {
      const dirs: string[] = [];
      for (let d = path.dirname(abs); isInside(d, root); d = path.dirname(d)) {
        dirs.unshift(d);
        if (d === root || path.dirname(d) === d) break;
      }
      for (const d of dirs)
        for (const name of IGNORE_FILES) {
          const list = this.listAt(path.join(d, name));
          if (list) apply(list, d, slash(path.relative(this.opts.cwd, path.join(d, name))) || name);
        }
    }
    for (const layer of this.opts.ignore ?? []) apply(layer.list, layer.baseDir, layer.source);
    return why;
  }
}

/** Would a directory search from `cwd` pick this path? (no dot-directory or dotfile, no node_modules) */
function searchable(abs: string, cwd: string): boolean {
  return !slash(path.relative(cwd, abs)).split("/").some((seg) => (seg.startsWith(".") && seg !== "." && seg !== "..") || NEVER_ENTER.has(seg));
}

interface WalkOptions {
  /** Keep a file (after the ignore rules). */
  keep(abs: string): boolean;
  /** Enter dot-directories and keep dotfiles. */
  dot: boolean;
}

/** Recursive search of `dir`; symbolic links as the file comment says. */
function walk(dir: string, rules: IgnoreRules, opts: FindOptions, w: WalkOptions, out: FoundFiles, found: string[]): void {
  const root = rules.root(dir);
  const treeReal = realpathSync(dir);
  const entered = new Set<string>([treeReal]);
  const stack = [dir];
  while (stack.length) {
    const d = stack.pop()!;
    let entries: Dirent[];
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch (e) {
      throw new InputError(`${d}: cannot read this folder: ${fsReason(e)}`);
    }
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (!w.dot && e.name.startsWith(".")) continue;
      if (NEVER_ENTER.has(e.name)) continue;
      const abs = path.join(d, e.name);
      let isDir = e.isDirectory();
      let isFile = e.isFile();
      if (e.isSymbolicLink()) {
        let real: string;
        try {
          real = realpathSync(abs);
          const st = statSync(real);
          isDir = st.isDirectory();
          isFile = st.isFile();
        } catch {
          out.skippedLinks.push(abs); // a broken link
          continue;
        }
        if (!opts.followSymlinks && !isInside(real, treeReal)) {
          out.skippedLinks.push(abs);
          continue;
        }
      }
      if (!isDir && !isFile) continue;
      if (rules.why(abs, isDir, root) !== undefined) {
        if (isFile) out.ignoredInSearch++;
        continue;
      }
      if (isDir) {
        const real = realpathSync(abs);
        if (entered.has(real)) continue; // a link back into a directory already searched
        entered.add(real);
        stack.push(abs);
      } else if (w.keep(abs)) found.push(abs);
    }
  }
}

/**
 * Expand command-line operands into files (see the file comment). An operand that does not exist
 * and is not a glob, a directory without config files and a glob that matches nothing are
 * `InputError`s — unless what they matched was ignored: then the caller warns.
 */
export function findConfigFiles(operands: readonly string[], opts: FindOptions): FoundFiles {
  const cwd = path.resolve(opts.cwd);
  const rules = new IgnoreRules({ ...opts, cwd });
  const out: FoundFiles = { files: [], ignored: [], ignoredInSearch: 0, skippedLinks: [], notConfigs: [] };
  const all: string[] = [];
  const excludes = operands.filter((o) => o.startsWith("!")).map((o) => o.slice(1));
  for (const op of operands) {
    if (op.startsWith("!")) continue;
    const abs = path.resolve(cwd, op);
    let st: ReturnType<typeof statSync> | undefined;
    try {
      st = statSync(abs);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      // a path that exists but cannot be looked at is not "no such file"
      if (code !== "ENOENT" && code !== "ENOTDIR" && !fg.isDynamicPattern(slash(op))) throw new InputError(`${op}: cannot read: ${fsReason(e)}`);
      st = undefined;
    }
    // a FIFO, a device, a socket: never opened (a FIFO would block the run), and named for what it is
    if (st && !st.isFile() && !st.isDirectory()) throw new InputError(`${op}: is ${specialFileKind(st)}, not a config file or a folder of them`);
    const before = { found: all.length, ignored: out.ignored.length + out.ignoredInSearch };
    if (st?.isFile()) {
      const why = rules.why(abs, false, rules.root(path.dirname(abs)));
      if (why !== undefined) out.ignored.push({ file: abs, why });
      else if (opts.onlyConfigs && (!searchable(abs, cwd) || !looksLikeConfigFile(abs))) out.notConfigs.push(abs);
      else all.push(abs);
      continue;
    }
    if (st?.isDirectory()) {
      walk(abs, rules, opts, { dot: false, keep: looksLikeConfigFile }, out, all);
      if (all.length === before.found && out.ignored.length + out.ignoredInSearch === before.ignored)
        throw new InputError(`${op}: no config files in this directory`);
      continue;
    }
    if (!fg.isDynamicPattern(slash(op))) throw new InputError(`${op}: no such file or directory`);
    const matches = fg.sync(slash(op), { cwd, absolute: true, onlyFiles: true, dot: false, followSymbolicLinks: false, suppressErrors: true, ignore: ["**/node_modules/**", "**/.git/**"] });
    for (const f of matches.map((m) => path.resolve(m)).sort()) {
      if (rules.why(f, false, rules.root(path.dirname(f))) !== undefined) out.ignoredInSearch++;
      else all.push(f);
    }
    if (all.length === before.found && out.ignored.length + out.ignoredInSearch === before.ignored) throw new InputError(`${op}: no files match this pattern`);
  }
  const exclude = excludes.length ? compileGlobs(excludes.map((x) => (x.includes("/") ? `/${x.replace(/^\.\//, "")}` : x))) : undefined;
  const byReal = new Map<string, string>();
  for (const f of [...new Set(all)].sort()) {
    if (exclude?.(slash(path.relative(cwd, f)))) continue;
    let real = f;
    try {
      real = realpathSync(f);
    } catch {
      // reading it reports the problem
    }
    if (!byReal.has(real)) byReal.set(real, f);
  }
  out.files = [...byReal.values()].sort();
  return out;
}

/** Why the ignore rules skip `abs` (a file that need not exist: `--stdin-filename`), or undefined. */
export function ignoredBy(abs: string, opts: FindOptions): string | undefined {
  const rules = new IgnoreRules({ ...opts, cwd: path.resolve(opts.cwd) });
  return rules.why(abs, false, rules.root(path.dirname(abs)));
}

/** A config file's text (UTF-8 with or without BOM, or UTF-16); `shown` names it in errors; at most `maxBytes`. */
export function readConfigText(abs: string, shown: string, maxBytes?: number): string {
  return decodeConfig(readBytes(abs, shown, "file", maxBytes));
}

/** A UTF-8 text file (baseline, flow file, path file, …); `what` names it in errors. */
export function readTextFile(abs: string, shown: string, what: string): string {
  return new TextDecoder("utf-8").decode(readBytes(abs, shown, what));
}

/** What natlint can hold as one text (V8's longest string is about 2^29 characters). */
export const MAX_READ_BYTES = 512 * 1024 * 1024;

/**
 * The raw bytes of a file; `what` names it in errors. The size is checked before reading:
 * more than `maxBytes` is an `InputError` (a 1 GiB file is never loaded to find out).
 */
export function readBytes(abs: string, shown: string, what: string, maxBytes = MAX_READ_BYTES): Uint8Array {
  try {
    const size = statSync(abs).size;
    if (size > maxBytes) throw new InputError(`${shown}: the ${what} is ${formatBytes(size)}, more than natlint reads (${formatBytes(maxBytes)}${maxBytes < MAX_READ_BYTES ? ", --max-file-size" : ""})`);
    return readFileSync(abs);
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`${shown}: cannot read ${what}: ${fsReason(e)}`);
  }
}
