/** Finding config files: explicit files, directories (searched with fast-glob) and globs. */
import { statSync } from "node:fs";
import { isAbsolute, relative, resolve, sep } from "node:path";
import fg from "fast-glob";

/** An I/O or usage problem: one-line message, exit code 2. */
export class InputError extends Error {
  override name = "InputError";
}

/** Extensions searched for in directories; files without an extension (RANCID, Batfish snapshots) too. */
export const CONFIG_EXTENSIONS = ["cfg", "conf", "config", "txt", "ios", "asa", "running", "startup"];
const ALWAYS_IGNORE = ["**/node_modules/**", "**/.git/**"];

/** Extensionless files that are never device configs. */
const NOT_CONFIGS = new Set(["license", "licence", "copying", "notice", "readme", "changelog", "authors", "contributors", "makefile", "dockerfile", "jenkinsfile", "vagrantfile", "procfile", "gemfile", "rakefile"]);

function isConfigName(p: string): boolean {
  const base = p.slice(p.lastIndexOf("/") + 1);
  const dot = base.lastIndexOf(".");
  if (dot <= 0) return !NOT_CONFIGS.has(base.toLowerCase()); // no extension
  return CONFIG_EXTENSIONS.includes(base.slice(dot + 1).toLowerCase());
}

/** Display path: relative to cwd with forward slashes when inside it, else absolute. */
export function displayPath(abs: string, cwd: string): string {
  const r = relative(cwd, abs);
  if (r === "" || r.startsWith("..") || isAbsolute(r)) return abs;
  return r.split(sep).join("/");
}

/**
 * Expand command-line operands into a sorted, de-duplicated list of absolute file paths.
 * A directory is searched recursively for config files (dotfiles and node_modules skipped);
 * anything else that does not exist is a glob. An operand that matches nothing is an error.
 */
export async function findConfigFiles(operands: string[], cwd: string, ignore: string[] = []): Promise<string[]> {
  const out = new Set<string>();
  for (const op of operands) {
    const abs = resolve(cwd, op);
    let st: ReturnType<typeof statSync> | undefined;
    try {
      st = statSync(abs);
    } catch {
      st = undefined;
    }
    let found: string[];
    if (st?.isFile()) found = [abs];
    else if (st?.isDirectory()) {
      found = (await fg("**/*", { cwd: abs, absolute: true, onlyFiles: true, dot: false, ignore: [...ALWAYS_IGNORE, ...ignore] })).filter(isConfigName);
      if (found.length === 0) throw new InputError(`${op}: no config files in this directory`);
    } else {
      if (!fg.isDynamicPattern(op)) throw new InputError(`${op}: no such file or directory`);
      found = await fg(op.split(sep).join("/"), { cwd, absolute: true, onlyFiles: true, dot: false, ignore: [...ALWAYS_IGNORE, ...ignore] });
      if (found.length === 0) throw new InputError(`${op}: no files match this pattern`);
    }
    for (const f of found) out.add(resolve(f));
  }
  return [...out].sort();
}
