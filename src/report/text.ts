/**
 * Text from configs made safe to print: a config is input from anywhere, and its bytes reach
 * terminals (stylish, tables), GitHub's log and annotations, pull-request comments and CI test
 * reports. Control characters (C0 but tab and line feed, DEL, C1: ESC sequences clear the
 * screen or set the terminal title, BEL rings), the bidirectional overrides and isolates that
 * reorder what a reviewer reads (CVE-2021-42574, "Trojan Source"), line and paragraph separators
 * and zero-width characters are written as visible escapes: `\x1B`, `\u202E`.
 * JSON and SARIF need nothing more: JSON escapes control characters itself.
 */

/** Is this UTF-16 code unit one `visible` escapes? (`newline`: a line feed too.) */
function hidden(c: number, newline: boolean): boolean {
  if (c < 0x20) return c !== 0x09 && (newline || c !== 0x0a);
  if (c < 0x7f) return false;
  if (c <= 0x9f) return true;
  return (c >= 0x200b && c <= 0x200f) || (c >= 0x2028 && c <= 0x202e) || (c >= 0x2060 && c <= 0x2069) || c === 0xfeff;
}

function escapeOf(c: number): string {
  return c < 0x100 ? `\\x${c.toString(16).toUpperCase().padStart(2, "0")}` : `\\u${c.toString(16).toUpperCase().padStart(4, "0")}`;
}

/**
 * `s` with every control, bidirectional-override and invisible character as a visible escape.
 * `keepNewlines`: line feeds (and CRLF pairs) stay as they are, for multi-line text.
 */
export function visible(s: string, keepNewlines = false): string {
  let out: string | undefined;
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!hidden(c, !keepNewlines)) continue;
    if (keepNewlines && c === 0x0d && s.charCodeAt(i + 1) === 0x0a) continue;
    out = (out ?? "") + s.slice(from, i) + escapeOf(c);
    from = i + 1;
  }
  return out === undefined ? s : out + s.slice(from);
}
