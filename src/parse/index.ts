/** Parse a config file with the right vendor parser. */
import { resolve } from "node:path";
import { readConfigText } from "../io/files.js";
import { displayPath } from "../io/paths.js";
import type { Device, Vendor } from "../model/types.js";
import { parseIos } from "./ios/index.js";
import { parseAsa } from "./asa/index.js";
import { detectVendor } from "./detect.js";

export interface Parsed {
  device: Device;
  vendor: Vendor;
  vendorReason: string;
}

/** Parse config text; `vendor` skips detection. `file` names the device's lines in findings. */
export function parseConfig(text: string, file: string, vendor?: Vendor): Parsed {
  const d = vendor ? { vendor, reason: "--vendor" } : detectVendor(text);
  const device = d.vendor === "asa" ? parseAsa(text, file) : parseIos(text, file);
  // A binary file parses to nothing: say so rather than report "no problems".
  if (text.includes("\u0000"))
    device.diagnostics.unshift({ kind: "unrecognized-syntax", source: { file, line: 1, text: "" }, message: "this file contains NUL bytes: it is not a text config, and nothing in it was analysed" });
  return { device, vendor: d.vendor, vendorReason: d.reason };
}

/** Read and parse one config file (path relative to `cwd` or absolute); the device's file is its display path. */
export function loadDevice(path: string, opts: { cwd?: string; vendor?: Vendor } = {}): Parsed & { text: string } {
  const cwd = opts.cwd ?? process.cwd();
  const abs = resolve(cwd, path);
  const shown = displayPath(abs, cwd);
  const text = readConfigText(abs, shown);
  return { ...parseConfig(text, shown, opts.vendor), text };
}
