/** Parse a config file with the right vendor parser. */
import { resolve } from "node:path";
import { looksBinary } from "../io/decode.js";
import { readConfigText } from "../io/files.js";
import { displayPath } from "../io/paths.js";
import { newDevice, type Device, type Vendor } from "../model/types.js";
import type { ReadStats } from "./common/reader.js";
import { parseIos } from "./ios/index.js";
import { parseAsa } from "./asa/index.js";
import { detectVendor, looksLike } from "./detect.js";
import { DEFAULT_LIMITS, type Limits } from "../core/limits.js";

export interface Parsed {
  device: Device;
  vendor: Vendor;
  vendorReason: string;
}

/** ACL entries without their ACL: not IOS or ASA commands, but Cisco lines (each is reported where it stands). */
const ACE_LINE = /^\s*(?:\d+\s+)?(?:permit|deny)\s/;

/**
 * Why the file is not a Cisco IOS or ASA configuration, or undefined when it is one. A config has
 * IOS or ASA commands on most of its lines; another format (netsh, iptables-save, Junos, YAML …)
 * has almost none, and a file with no command at all was not a config either.
 */
function unsupported(text: string, stats: ReadStats): string | undefined {
  if (looksBinary(text)) return "this file is binary data (control characters or bytes that are not UTF-8 or UTF-16 text), not a text config: nothing in it was analysed";
  if (stats.commands === 0)
    return stats.text > 0 ? "this file has no configuration commands (only banner or certificate text): nothing in it was analysed" : "this file has no configuration lines (it is empty or only comments): nothing in it was analysed";
  // most lines are commands a table knows: a config, whatever else it looks like (the common
  // case, decided without another pass over the text)
  if (stats.known >= 0.5 * stats.commands) return undefined;
  const looks = looksLike(text);
  const aceLike = text.split(/\r\n|\r|\n/).filter((l) => ACE_LINE.test(l)).length;
  const cisco = (stats.known + aceLike) / stats.commands;
  if (cisco >= 0.5 || (looks === undefined && cisco >= 0.2)) return undefined;
  const what = looks === undefined ? "this file does not look like a Cisco IOS or ASA configuration" : `this file looks like ${looks}, not a Cisco IOS or ASA configuration`;
  return `${what} (${stats.known} of its ${stats.commands} lines are IOS or ASA commands): nothing in it was analysed`;
}

/** Parse config text; `vendor` skips detection. `file` names the device's lines in findings. `limits`: line length and nesting depth (default `DEFAULT_LIMITS`). */
export function parseConfig(text: string, file: string, vendor?: Vendor, limits: Partial<Pick<Limits, "lineLength" | "nestingDepth">> = {}): Parsed {
  const d = vendor ? { vendor, reason: "--vendor" } : detectVendor(text);
  const stats: ReadStats = { commands: 0, known: 0, text: 0 };
  const opts = {
    stats,
    read: { maxLineLength: limits.lineLength ?? DEFAULT_LIMITS.lineLength },
    groupLimits: { maxDepth: limits.nestingDepth ?? DEFAULT_LIMITS.nestingDepth },
  };
  let device = d.vendor === "asa" ? parseAsa(text, file, opts) : parseIos(text, file, opts);
  const why = unsupported(text, stats);
  if (why !== undefined) {
    // Not a Cisco config: one finding, and nothing else is reported for it.
    const lines = text.split(/\r\n|\r|\n/);
    const first = lines.findIndex((l) => l.trim() !== "" && !l.trim().startsWith("!"));
    const empty = newDevice(file, d.vendor);
    empty.lineCount = device.lineCount;
    empty.diagnostics.push({ kind: "unsupported", source: { file, line: first < 0 ? 1 : first + 1, text: first < 0 ? "" : lines[first]!.trim().slice(0, 200) }, message: why });
    device = empty;
  }
  return { device, vendor: d.vendor, vendorReason: d.reason };
}

/** Read and parse one config file (path relative to `cwd` or absolute); the device's file is its display path. */
export function loadDevice(path: string, opts: { cwd?: string; vendor?: Vendor } = {}): Parsed & { text: string } {
  const cwd = opts.cwd ?? process.cwd();
  const abs = resolve(cwd, path);
  const shown = displayPath(abs, cwd);
  // explain, flow, diff, search: a file over the default size limit is one line, exit 2
  const text = readConfigText(abs, shown, DEFAULT_LIMITS.fileSize);
  return { ...parseConfig(text, shown, opts.vendor), text };
}
