/** Turning config file bytes into text, for every vendor. */

/** The share of NUL bytes among the bytes at offsets `start`, `start + 2`, … of the first `n` bytes. */
function zerosAt(bytes: Uint8Array, start: number, n: number): number {
  let z = 0;
  let all = 0;
  for (let i = start; i < n; i += 2, all++) if (bytes[i] === 0) z++;
  return all ? z / all : 0;
}

/** How many bytes `utf16Order` looks at. */
const PROBE = 64 * 1024;

/**
 * The byte order of UTF-16 text written without a byte-order mark (Windows tools write it so:
 * PowerShell's `Out-File -Encoding unicode` of an older version, some TFTP servers' captures), or
 * undefined. ASCII text in UTF-16 has a NUL in every other byte: more than 90 % of the odd (LE)
 * or even (BE) bytes of the first 64 KiB, and almost none in the others.
 */
export function utf16Order(bytes: Uint8Array): "utf-16le" | "utf-16be" | undefined {
  const n = Math.min(bytes.length, PROBE);
  if (n < 4) return undefined;
  const odd = zerosAt(bytes, 1, n);
  const even = zerosAt(bytes, 0, n);
  if (odd > 0.9 && even < 0.1) return "utf-16le";
  if (even > 0.9 && odd < 0.1) return "utf-16be";
  return undefined;
}

/**
 * Decodes config bytes: UTF-8 (with or without BOM), UTF-16 LE/BE with a BOM, or UTF-16 without
 * one (`utf16Order`). Anything else is read as UTF-8 (invalid sequences become U+FFFD); a stray
 * NUL or control character stays in its line, which the parser reports.
 */
export function decodeConfig(bytes: Uint8Array): string {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder("utf-16le").decode(bytes.subarray(2));
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder("utf-16be").decode(bytes.subarray(2));
  const order = bytes.includes(0) ? utf16Order(bytes) : undefined;
  if (order) return new TextDecoder(order).decode(bytes.subarray(0, bytes.length - (bytes.length % 2)));
  return new TextDecoder("utf-8").decode(bytes).replace(/^\uFEFF/, "");
}

/** The encoding `decodeConfig` reads the bytes in (to write a fixed file back the same way). */
export function configEncoding(bytes: Uint8Array): "utf-8" | "utf-8-bom" | "utf-16le" | "utf-16be" | "utf-16le-nobom" | "utf-16be-nobom" {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return "utf-16le";
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return "utf-16be";
  const order = bytes.includes(0) ? utf16Order(bytes) : undefined;
  if (order) return order === "utf-16le" ? "utf-16le-nobom" : "utf-16be-nobom";
  return bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? "utf-8-bom" : "utf-8";
}

/**
 * Is this decoded text really binary data? More than 10 % of its first 8,192 characters are
 * control characters (other than tab, line feed, carriage return, form feed, vertical tab) or
 * U+FFFD (bytes that are not UTF-8). A text config with a stray NUL or escape byte is still text:
 * the parser reports that line.
 */
export function looksBinary(text: string): boolean {
  const n = Math.min(text.length, 8192);
  let bad = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c && c !== 0x0b) || c === 0x7f || c === 0xfffd) bad++;
  }
  return n > 0 && bad / n > 0.1;
}
