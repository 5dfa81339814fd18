/**
 * Does a file look like a Cisco IOS/IOS-XE or ASA configuration? A cheap look at its first 16 KiB,
 * used to pick files in a directory search (and, with `--only-config-files`, among explicit files):
 * `CODEOWNERS`, `VERSION`, `requirements.txt`, licences and scripts are not configs, whatever
 * their names.
 *
 * The markers are lines that start the way `show running-config` lines start (Cisco IOS
 * Configuration Fundamentals Command Reference, `show running-config`; Cisco ASA Series Command
 * Reference, `show running-config`): one strong marker suffices (a command only a device config
 * has at the start of a line), otherwise two different weak ones (lines a script or a text could
 * also have). Binary content (a NUL in the first bytes) is never a config.
 */
import { closeSync, openSync, readSync } from "node:fs";
import { decodeConfig } from "./decode.js";

export const SNIFF_BYTES = 16 * 1024;

const STRONG: readonly RegExp[] = [
  /^(?:ASA|PIX|FWSM|NGFW) Version \S+/m,
  /^Building configuration\.\.\./m,
  /^Current configuration : \d+ bytes/m,
  /^: Saved\b/m,
  /^ip access-list (?:standard|extended|resequence|logging) \S+/m,
  /^access-list \S+ (?:line \d+ )?(?:extended|standard|remark|permit|deny|webtype|ethertype)\b/m,
  /^interface [A-Za-z][\w\-/.:]*\d[\w\-/.:]*\s*$/m,
  /^object-group (?:network|service|protocol|icmp-type|user|security) \S+/m,
  /^object (?:network|service) \S+\s*$/m,
  /^ip nat (?:inside|outside|pool|translation) /m,
  /^nat \([^)\s]+,[^)\s]+\) /m,
  /^access-group \S+ (?:in|out|global)\b/m,
  /^\s+nameif \S+\s*$/m,
];

const WEAK: readonly RegExp[] = [
  /^hostname \S+\s*$/m,
  /^!\s*$/m,
  /^version \d+\.\d+\s*$/m,
  /^end\s*$/m,
  /^ip route \d/m,
  /^route \S+ \d/m,
  /^line (?:vty|con|aux) \d/m,
  /^\s+ip address \d+\.\d+\.\d+\.\d+ \d+\.\d+\.\d+\.\d+/m,
  /^enable (?:secret|password) /m,
  /^service (?:timestamps|password-encryption)\b/m,
  /^\s+(?:shutdown|no shutdown)\s*$/m,
  /^ip domain[- ]name \S+/m,
];

/** Does this text (a file's beginning) look like a device config? */
export function looksLikeConfigText(text: string): boolean {
  const head = text.length > SNIFF_BYTES ? text.slice(0, SNIFF_BYTES) : text;
  if (STRONG.some((r) => r.test(head))) return true;
  let weak = 0;
  for (const r of WEAK) if (r.test(head) && ++weak >= 2) return true;
  return false;
}

/** Does the file look like a device config? Unreadable files answer true, so reading them reports the error. */
export function looksLikeConfigFile(abs: string): boolean {
  let fd: number | undefined;
  try {
    fd = openSync(abs, "r");
    const buf = Buffer.alloc(SNIFF_BYTES);
    const n = readSync(fd, buf, 0, SNIFF_BYTES, 0);
    const bytes = buf.subarray(0, n);
    const utf16 = n >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff));
    if (!utf16 && bytes.includes(0)) return false;
    return looksLikeConfigText(decodeConfig(bytes));
  } catch {
    return true;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
