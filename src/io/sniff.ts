/**
 * Does a file look like a Cisco IOS/IOS-XE or ASA configuration? Not if its extension says it is
 * something else (documentation, source code, data: `NOT_CONFIG_EXTENSIONS`); else a cheap look
 * at its first 16 KiB,
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
import { decodeConfig, looksBinary, utf16Order } from "./decode.js";

export const SNIFF_BYTES = 16 * 1024;

/**
 * Extensions of files that are something else whatever lines they hold — documentation, source
 * code, data, templates, patches — and that often quote config lines (a doc page's example, a
 * test's fixture string, a Jinja template): a directory search never reads them.
 */
export const NOT_CONFIG_EXTENSIONS: ReadonlySet<string> = new Set(
  (
    "md markdown mdx rst adoc asciidoc html htm xml xsd svg json jsonc json5 yaml yml toml csv tsv " +
    "js mjs cjs jsx ts mts cts tsx py pyi rb pl pm php go rs java kt kts c h cc cpp hpp cs swift scala " +
    "sh bash zsh fish ps1 psm1 bat cmd lua sql tf tfvars hcl j2 jinja jinja2 tmpl tpl mustache hbs " +
    "patch diff lock log pdf png jpg jpeg gif zip gz tgz bz2 xz 7z tar"
  ).split(" "),
);

/** Is the file's extension one of `NOT_CONFIG_EXTENSIONS`? */
export function hasNonConfigExtension(abs: string): boolean {
  const base = abs.slice(Math.max(abs.lastIndexOf("/"), abs.lastIndexOf("\\")) + 1);
  const dot = base.lastIndexOf(".");
  return dot > 0 && NOT_CONFIG_EXTENSIONS.has(base.slice(dot + 1).toLowerCase());
}

// Blanks are [ \t] (and \r before the end of a line), never \s: with the m flag, \s+ at the start of
// a line runs on through every following blank line and back, quadratic in a run of blank lines.
const STRONG: readonly RegExp[] = [
  /^(?:ASA|PIX|FWSM|NGFW) Version \S+/m,
  /^Building configuration\.\.\./m,
  /^Current configuration : \d+ bytes/m,
  /^: Saved\b/m,
  /^ip access-list (?:standard|extended|resequence|logging) \S+/m,
  /^access-list \S+ (?:line \d+ )?(?:extended|standard|remark|permit|deny|webtype|ethertype)\b/m,
  /^interface [A-Za-z][\w\-/.:]*\d[\w\-/.:]*[ \t\r]*$/m,
  /^object-group (?:network|service|protocol|icmp-type|user|security) \S+/m,
  /^object (?:network|service) \S+[ \t\r]*$/m,
  /^ip nat (?:inside|outside|pool|translation) /m,
  /^nat \([^)\s]+,[^)\s]+\) /m,
  /^access-group \S+ (?:in|out|global)\b/m,
  /^[ \t]+nameif \S+[ \t\r]*$/m,
  /^!RANCID-CONTENT-TYPE:/m,
  /^router (?:bgp|ospf|ospfv3|eigrp|rip|isis)\b/m,
  /^route-map \S+ (?:permit|deny)\b/m,
  /^crypto (?:isakmp|ikev2|ipsec|map|ca) \S/m,
  /^ip dhcp (?:pool|excluded-address) \S/m,
  /^tunnel-group \S+ (?:type|general-attributes|ipsec-attributes)\b/m,
];

const WEAK: readonly RegExp[] = [
  /^hostname \S.*$/m,
  /^![ \t\r]*$/m,
  /^version \d+\.\d+[ \t\r]*$/m,
  /^end[ \t\r]*$/m,
  /^ip route \d/m,
  /^route \S+ \d/m,
  /^line (?:vty|con|aux) \d/m,
  /^[ \t]+ip address \d+\.\d+\.\d+\.\d+ \d+\.\d+\.\d+\.\d+/m,
  /^enable (?:secret|password) /m,
  /^service (?:timestamps|password-encryption)\b/m,
  /^[ \t]+(?:shutdown|no shutdown)[ \t\r]*$/m,
  /^ip domain[- ]name \S+/m,
];

/** Does this text (a file's beginning) look like a device config? A script (`#!` first line) never does. */
export function looksLikeConfigText(text: string): boolean {
  const head = text.length > SNIFF_BYTES ? text.slice(0, SNIFF_BYTES) : text;
  if (head.startsWith("#!")) return false;
  if (STRONG.some((r) => r.test(head))) return true;
  let weak = 0;
  for (const r of WEAK) if (r.test(head) && ++weak >= 2) return true;
  return false;
}

/** Does the file look like a device config? Unreadable files answer true, so reading them reports the error. */
export function looksLikeConfigFile(abs: string): boolean {
  if (hasNonConfigExtension(abs)) return false;
  let fd: number | undefined;
  try {
    fd = openSync(abs, "r");
    const buf = Buffer.alloc(SNIFF_BYTES);
    const n = readSync(fd, buf, 0, SNIFF_BYTES, 0);
    const bytes = buf.subarray(0, n);
    const bom = n >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff));
    // UTF-16 without a byte-order mark (every other byte NUL) is text too, and so is a config with
    // a stray NUL (./decode.ts); binary data is not
    const text = decodeConfig(bytes);
    if (!bom && bytes.includes(0) && !utf16Order(bytes) && looksBinary(text)) return false;
    return looksLikeConfigText(text);
  } catch {
    return true;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
