/**
 * The lint run: find the files (src/io/files.ts: content sniff, ignore files, the config's ignore,
 * symbolic links), take this shard's share, lint each (./lint-file.ts) — from the cache, in worker
 * threads or in this thread — then apply the baseline. Findings come back in the one order every
 * formatter prints (file, line, rule, …), whichever way the files were linted.
 */
import { statSync } from "node:fs";
import path from "node:path";
import { compareFindings, summarize, type Finding } from "../core/finding.js";
import { findConfigFiles, ignoredBy, readBytes, type FindOptions, type FoundFiles } from "../io/files.js";
import { ignoreList } from "../io/glob.js";
import { decodeConfig } from "../io/decode.js";
import { displayPath, repoRelative } from "../io/paths.js";
import type { Vendor } from "../model/types.js";
import { filterByBaseline, type BaselineFile } from "./baseline.js";
import { cacheFile, LintCache } from "./cache.js";
import { DEFAULT_CLIENTS, fileKey, fileSize, lintPath, lintText, prepareRun, runKey, sha256, type FileOutcome, type RunSpec } from "./lint-file.js";
import { LIMIT_FLAGS, watchHeap, type Limits } from "../core/limits.js";
import { lintInWorkers, workerCount, type Concurrency } from "./pool.js";
import { lintPathFiles } from "./path-run.js";
import { AclMemo } from "./acl-memo.js";
import { ignoreLayers, type NatlintConfig, type RuleSetting } from "./settings.js";
import type { LintResult, RuleMeta, RunNotes } from "./types.js";

export { runRules } from "./checks-run.js";

/** The analyses kept between lints of versions of one text (`stdin.session`): one per editor buffer. */
export type LintSession = AclMemo;
export function newLintSession(): LintSession {
  return new AclMemo();
}
export { DEFAULT_CLIENTS };

export interface RunOptions {
  /** Files, directories, globs and `!GLOB` exclusions (default ["."]). */
  patterns?: readonly string[];
  cwd?: string;
  /** IPsec clients to simulate behind each PAT (default: the config's, else 3). */
  clients?: number;
  /** PAT profile id; default: the config's, else chosen from each config. */
  profile?: string;
  /** Peer address to simulate; default: the config's, else picked from each device's ACLs. */
  peer?: number;
  /** Force the vendor instead of detecting it from the content. */
  vendor?: Vendor;
  /** Remote NATs the devices' clients sit behind (`PROFILE` or `PROFILE@IP`): the head-end's view; wins over the config's `remoteNat`. */
  remoteNat?: string[];
  /** Lint the configs of this path file, with the sessions along the path (`--path`), instead of `patterns`. */
  path?: string;
  /** Rules to run (default: the built-in rules and the config's rulesDirs). */
  rules?: RuleMeta[];
  /** Per-file rule settings (default: from the config file). */
  ruleSettingsFor?: (file: string) => ReadonlyMap<string, RuleSetting> | undefined;
  /** More files to skip, in .gitignore syntax relative to `cwd`. */
  ignore?: readonly string[];
  /** Skip no file: no ignore files, no config `ignore`, no `ignore` option (`--no-ignore`). */
  noIgnore?: boolean;
  /** Follow symbolic links out of an operand's tree (`--follow-symlinks`). */
  followSymlinks?: boolean;
  /** Lint named files only if they look like configs (the pre-commit hook's `--only-config-files`). */
  onlyConfigFiles?: boolean;
  /** Called before each file is analysed in this thread. */
  onFile?: (file: string, index: number, total: number) => void;
  /** Called as each file is done (also from workers and the cache): files done and total. */
  onProgress?: (done: number, total: number) => void;
  /** Config file: a path, `false` for none, a config object, or undefined to search upward from `cwd`. */
  config?: string | false | NatlintConfig;
  /** Report `natlint-disable` directives that suppress nothing. */
  reportUnusedDisableDirectives?: boolean;
  /** Baseline (JSON text or parsed): findings it records are not reported. */
  baseline?: string | BaselineFile;
  /**
   * Lint this text instead of files (`--stdin`); `filename` names it and picks its config
   * overrides; `session` (`newLintSession()`), given with every version of one text (an editor
   * buffer), keeps the analyses of the ACLs an edit did not change.
   */
  stdin?: { text: string; filename?: string; session?: LintSession };
  /** Reuse results of unchanged files (`--cache`); `location`: a file or directory (default `.natlintcache` in cwd). */
  cache?: boolean | { location?: string };
  /** Worker threads: a number, `auto` (from the cores, for many files) or `off`. */
  concurrency?: Concurrency;
  /** Lint only shard `index` (1-based) of `count`: files are assigned by a hash of their path, so a file stays in its shard. */
  shard?: { index: number; count: number };
  /** Apply the proven fixes in memory: `files[].output` (the fixed text), `files[].fixed`, and the findings that remain. */
  fix?: boolean;
  /** Fix only findings of these rule ids. */
  fixTypes?: readonly string[];
  /** Resource limits (`--max-file-size` …); they win over the config's `limits`. */
  limits?: Partial<Limits>;
  /** `false`: no `fix` details on findings (faster). Default true. */
  proveFixes?: boolean;
}

function sizeOf(abs: string): number {
  try {
    return statSync(abs).size;
  } catch {
    return 0;
  }
}

/** The shard a repository-relative path belongs to (0-based). */
export function shardOf(rel: string, count: number): number {
  return parseInt(sha256(rel).slice(0, 8), 16) % count;
}

function findOptions(opts: RunOptions, loaded: ReturnType<typeof prepareRun>["loaded"], cwd: string): FindOptions {
  return {
    cwd,
    ignoreFiles: !opts.noIgnore,
    ignore: opts.noIgnore ? [] : [...(loaded ? ignoreLayers(loaded, cwd) : []), ...(opts.ignore?.length ? [{ list: ignoreList(opts.ignore), baseDir: cwd, source: "ignore option" }] : [])],
    ...(opts.followSymlinks ? { followSymlinks: true } : {}),
    ...(opts.onlyConfigFiles ? { onlyConfigs: true } : {}),
  };
}

/** Which files a run lints (without linting them). */
export function selectFiles(opts: RunOptions, loaded: ReturnType<typeof prepareRun>["loaded"], cwd: string): FoundFiles {
  const found = findConfigFiles(opts.patterns?.length ? opts.patterns : ["."], findOptions(opts, loaded, cwd));
  if (opts.shard) {
    const { index, count } = opts.shard;
    found.files = found.files.filter((f) => shardOf(repoRelative(f, cwd), count) === index - 1);
  }
  return found;
}

/** Lint config files (see the file comment). */
export async function lintRun(opts: RunOptions = {}): Promise<LintResult & { notes: RunNotes }> {
  const cwd = path.resolve(opts.cwd ?? process.cwd());
  const spec: RunSpec = {
    cwd,
    ...(opts.config !== undefined ? { config: opts.config } : {}),
    ...(opts.clients !== undefined ? { clients: opts.clients } : {}),
    ...(opts.profile !== undefined ? { profile: opts.profile } : {}),
    ...(opts.peer !== undefined ? { peer: opts.peer } : {}),
    ...(opts.vendor !== undefined ? { vendor: opts.vendor } : {}),
    ...(opts.remoteNat?.length ? { remoteNat: [...opts.remoteNat] } : {}),
    ...(opts.reportUnusedDisableDirectives ? { reportUnusedDisableDirectives: true } : {}),
    ...(opts.rules ? { rules: opts.rules } : {}),
    ...(opts.limits ? { limits: opts.limits } : {}),
    fixes: { prove: opts.proveFixes !== false || opts.fix === true, apply: opts.fix === true, ...(opts.fixTypes ? { only: [...opts.fixTypes] } : {}) },
  };
  const prep = { ...prepareRun(spec), ruleSettingsFor: opts.ruleSettingsFor };
  const notes: RunNotes = { ignored: [], ignoredInSearch: 0, skippedLinks: [], notConfigs: [], workers: 0 };
  const outcomes: FileOutcome[] = [];

  if (opts.stdin) {
    const abs = opts.stdin.filename !== undefined ? path.resolve(cwd, opts.stdin.filename) : undefined;
    const shown = abs !== undefined ? displayPath(abs, cwd) : "<stdin>";
    // as ESLint does: standard input named like an ignored file is not linted (a warning says so)
    const why = abs !== undefined ? ignoredBy(abs, findOptions(opts, prep.loaded, cwd)) : undefined;
    if (why !== undefined) notes.ignored = [{ file: shown, why }];
    else outcomes.push(lintText(prep, shown, opts.stdin.text, opts.stdin.session ? { session: opts.stdin.session } : {}));
  } else if (opts.path !== undefined) {
    outcomes.push(...lintPathFiles(prep, opts.path));
  } else {
    const found = selectFiles(opts, prep.loaded, cwd);
    Object.assign(notes, {
      ignored: found.ignored.map((x) => ({ file: displayPath(x.file, cwd), why: x.why })),
      ignoredInSearch: found.ignoredInSearch,
      skippedLinks: found.skippedLinks.map((f) => displayPath(f, cwd)),
      notConfigs: found.notConfigs.map((f) => displayPath(f, cwd)),
    });
    const jobs = found.files.map((abs) => ({ abs, shown: displayPath(abs, cwd) }));
    const total = jobs.length;
    let done = 0;
    const progress = () => opts.onProgress?.(++done, total);
    const cache = opts.cache ? new LintCache(cacheFile(typeof opts.cache === "object" ? opts.cache.location : undefined, cwd)) : undefined;
    const run = cache ? runKey(prep) : "";
    // Read every file once: its text for this thread, its hash for the cache.
    const results = new Array<FileOutcome | undefined>(total);
    const texts = new Array<string | undefined>(total);
    const keys = new Array<string | undefined>(total);
    const todo: number[] = [];
    jobs.forEach((j, i) => {
      // a file over the size limit is never read (lintPath reports it)
      if (!cache || fileSize(j.abs) > prep.limits.fileSize) return todo.push(i);
      const bytes = readBytes(j.abs, j.shown, "file");
      keys[i] = fileKey(prep, j.shown, sha256(bytes), run);
      const hit = cache.get(j.shown, keys[i]!);
      if (hit) {
        results[i] = hit;
        progress();
      } else {
        texts[i] = decodeConfig(bytes);
        todo.push(i);
      }
    });
    const bytes = opts.concurrency === undefined || opts.concurrency === "auto" ? todo.reduce((n, i) => n + sizeOf(jobs[i]!.abs), 0) : Infinity;
    const workers = opts.ruleSettingsFor || opts.onFile ? 0 : workerCount(opts.concurrency, todo.length, bytes);
    notes.workers = workers;
    if (workers > 0) {
      const got = await lintInWorkers(spec, todo.map((i) => jobs[i]!), workers, progress);
      todo.forEach((i, k) => (results[i] = got[k]));
    } else {
      for (const [k, i] of todo.entries()) {
        const j = jobs[i]!;
        opts.onFile?.(j.shown, k, todo.length);
        watchHeap(`before reading ${j.shown}`);
        const text = texts[i];
        results[i] = text !== undefined ? lintText(prep, j.shown, text) : lintPath(prep, j.abs, j.shown);
        progress();
        // let a spinner repaint between files
        if (opts.onProgress) await new Promise((r) => setImmediate(r));
      }
    }
    if (cache) {
      for (const i of todo) cache.set(jobs[i]!.shown, keys[i]!, results[i]!);
      cache.save();
      notes.cache = { file: cache.file, hits: cache.hits, misses: cache.misses };
    }
    for (const r of results) outcomes.push(r!);
  }

  let findings: Finding[] = outcomes.flatMap((o) => o.findings).sort(compareFindings);
  const suppressed = outcomes.reduce((n, o) => n + o.suppressed, 0);
  let baselined = 0;
  if (opts.baseline !== undefined) {
    const b = filterByBaseline(findings, opts.baseline, { cwd });
    baselined = b.matched.length;
    findings = b.kept;
    notes.unusedBaselineEntries = b.unusedEntries;
  }
  findings = capPerFile(findings, prep.limits.findingsPerFile);
  return { findings, files: outcomes.map((o) => o.file), summary: { ...summarize(findings), suppressed, baselined }, rules: prep.rules, notes };
}

/**
 * The findings-per-file limit: a file's first `max` findings (in report order), then one finding
 * that counts the rest by severity, with the highest severity among them (so the exit status is
 * the same as with every finding listed).
 */
export function capPerFile(findings: Finding[], max: number): Finding[] {
  const count = new Map<string, number>();
  for (const f of findings) count.set(f.file, (count.get(f.file) ?? 0) + 1);
  if ([...count.values()].every((n) => n <= max)) return findings;
  const out: Finding[] = [];
  const seen = new Map<string, number>();
  const rest = new Map<string, { line: number; errors: number; warnings: number; infos: number }>();
  for (const f of findings) {
    const k = (seen.get(f.file) ?? 0) + 1;
    seen.set(f.file, k);
    if (k <= max) out.push(f);
    else {
      const r = rest.get(f.file) ?? { line: f.line, errors: 0, warnings: 0, infos: 0 };
      if (f.severity === "error") r.errors++;
      else if (f.severity === "warning") r.warnings++;
      else r.infos++;
      rest.set(f.file, r);
    }
  }
  for (const [file, r] of rest) {
    const n = r.errors + r.warnings + r.infos;
    const parts = [r.errors ? `${r.errors} errors` : "", r.warnings ? `${r.warnings} warnings` : "", r.infos ? `${r.infos} infos` : ""].filter(Boolean).join(", ");
    out.push({
      ruleId: "unrecognized-syntax",
      severity: r.errors ? "error" : r.warnings ? "warning" : "info",
      file,
      line: r.line,
      message: `${n} more findings, from this line to the end of the file, are not listed (${parts}): natlint's findings-per-file limit is ${max} (${LIMIT_FLAGS.findingsPerFile})`,
      messageId: "diagnostic",
      details: { kind: "limit" },
    });
  }
  return out.sort(compareFindings);
}

/** Nothing to lint because everything named was ignored: the warning the command line prints. */
export function allIgnoredMessage(notes: RunNotes): string | undefined {
  const n = notes.ignored.length + notes.ignoredInSearch;
  if (n === 0) return undefined;
  const first = notes.ignored[0];
  return first && n === 1 ? `${first.file}: ignored by ${first.why} (--no-ignore lints it)` : `all ${n} files are ignored (--no-ignore lints them)`;
}
