/** Reading inputs: finding config files (explicit files, directories searched with fast-glob, globs) and reading text. */
import { readFileSync, statSync } from "node:fs";
import { resolve, sep } from "node:path";
import fg from "fast-glob";
import { InputError } from "../core/errors.js";
import { decodeConfig } from "./decode.js";

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

/**
 * Expand command-line operands into a sorted, de-duplicated list of absolute file paths.
 * A directory is searched recursively for config files (dotfiles and node_modules skipped);
 * anything else that does not exist is a glob. An operand that matches nothing is an error.
 */
export async function findConfigFiles(operands: readonly string[], cwd: string, ignore: readonly string[] = []): Promise<string[]> {
  const out = new Set<string>();
  for (const op of operands) {
    const abs = resolve(cwd, op);
    let st: ReturnType<typeof statSync> | undefined;
    try {
      st = statSync(abs);
    } catch {
      st = undefined; // not a path: maybe a glob
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

/** A config file's text (UTF-8 with or without BOM, or UTF-16 with BOM); `shown` names it in errors. */
export function readConfigText(abs: string, shown: string): string {
  return decodeConfig(readBytes(abs, shown, "file"));
}

/** A UTF-8 text file (baseline, flow file, path file, …); `what` names it in errors. */
export function readTextFile(abs: string, shown: string, what: string): string {
  return new TextDecoder("utf-8").decode(readBytes(abs, shown, what));
}

function readBytes(abs: string, shown: string, what: string): Uint8Array {
  try {
    return readFileSync(abs);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(`${shown}: cannot read ${what}${code ? ` (${code})` : ""}`);
  }
}
