/** Parse a config file with the right vendor parser. */
import type { Device, Vendor } from "../model/types.js";
import { parseIos } from "./ios/index.js";
import { parseAsa } from "./asa/index.js";
import { detectVendor } from "./detect.js";

export interface Parsed {
  device: Device;
  vendor: Vendor;
  vendorReason: string;
}

export function parseConfig(text: string, file: string, vendor?: Vendor): Parsed {
  const d = vendor ? { vendor, reason: "--vendor" } : detectVendor(text);
  const device = d.vendor === "asa" ? parseAsa(text, file) : parseIos(text, file);
  // A binary file parses to nothing: say so rather than report "no problems".
  if (text.includes("\u0000"))
    device.diagnostics.unshift({ kind: "unrecognized-syntax", source: { file, line: 1, text: "" }, message: "this file contains NUL bytes: it is not a text config, and nothing in it was analysed" });
  return { device, vendor: d.vendor, vendorReason: d.reason };
}
