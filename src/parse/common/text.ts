/**
 * Blanks and tokens as the Cisco CLI sees them, for every parser and the vendor detector.
 *
 * The IOS and ASA command parsers separate words by ASCII spaces and tabs only (Cisco IOS
 * Configuration Fundamentals Configuration Guide, "Using the Cisco IOS Command-Line Interface":
 * commands and keywords are entered as words separated by spaces). A Unicode space — U+00A0
 * no-break space, U+2000…U+200A, U+3000 … — is one more byte of the word it stands in, so
 * `permit\u00A0ip any any` is the unknown command `permit\u00A0ip` ("% Invalid input detected")
 * and never the ACL entry it looks like. JavaScript's `\s`, `trim()` and `split(/\s+/)` treat those
 * characters as spaces, so natlint's parsers use these helpers instead.
 *
 * Every helper is a single left-to-right pass over its input (no regular expression that can
 * backtrack), so a 1 MiB line costs what its length costs.
 */

/** Space, tab, vertical tab, form feed: the only characters that separate words. */
export function isBlank(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0b || c === 0x0c;
}

/** The text without leading and trailing blanks (ASCII only; see the file comment). */
export function trimBlank(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && isBlank(s.charCodeAt(a))) a++;
  while (b > a && isBlank(s.charCodeAt(b - 1))) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

/** How many blanks the line starts with. */
export function leadingBlanks(s: string): number {
  let a = 0;
  while (a < s.length && isBlank(s.charCodeAt(a))) a++;
  return a;
}

/** The words of a line, split at runs of blanks; empty for a blank line. */
export function splitBlank(s: string): string[] {
  const out: string[] = [];
  let start = -1;
  for (let i = 0; i < s.length; i++) {
    if (isBlank(s.charCodeAt(i))) {
      if (start >= 0) {
        out.push(s.slice(start, i));
        start = -1;
      }
    } else if (start < 0) start = i;
  }
  if (start >= 0) out.push(s.slice(start));
  return out;
}

/** Characters the CLI does not take as blanks but that look like one (or like nothing): their names. */
const LOOKALIKE: ReadonlyMap<number, string> = new Map([
  [0x00a0, "no-break space"],
  [0x1680, "Ogham space mark"],
  [0x180e, "Mongolian vowel separator"],
  [0x200b, "zero-width space"],
  [0x200c, "zero-width non-joiner"],
  [0x200d, "zero-width joiner"],
  [0x2028, "line separator"],
  [0x2029, "paragraph separator"],
  [0x202f, "narrow no-break space"],
  [0x205f, "medium mathematical space"],
  [0x2060, "word joiner"],
  [0x3000, "ideographic space"],
  [0xfeff, "zero-width no-break space"],
]);

/** A character that never belongs in a command word: a control character, a Unicode space or an invisible one. */
export function foreignCharName(c: number): string | undefined {
  if (c === 0x00) return "NUL";
  if ((c < 0x20 && c !== 0x09 && c !== 0x0b && c !== 0x0c) || c === 0x7f) return "a control character";
  if (c >= 0x80 && c <= 0x9f) return "a control character";
  if (c >= 0x2000 && c <= 0x200a) return "a Unicode space";
  return LOOKALIKE.get(c);
}

/** `U+00A0` */
export function codePoint(c: number): string {
  return `U+${c.toString(16).toUpperCase().padStart(4, "0")}`;
}

/** Words after which the rest of the line is free text the device keeps as written. */
const FREE_TEXT = new Set(["description", "remark", "banner", "alias"]);

/**
 * Why the device would not take this line as written: the first character of its command words
 * (before any free-text keyword such as `description` or `remark`) that is a control character or
 * looks like a space but is not one (`indent`: blanks before `trimmed`, for the column). Undefined
 * for a clean line.
 */
export function foreignInCommand(trimmed: string, indent = 0): string | undefined {
  // printable ASCII only (nearly every line): no foreign character, and no word to look at
  let a = 0;
  while (a < trimmed.length) {
    const c = trimmed.charCodeAt(a);
    if (c < 0x20 || c >= 0x7f) break;
    a++;
  }
  if (a === trimmed.length) return undefined;
  let words = 0;
  let inWord = false;
  for (let i = 0; i < trimmed.length; i++) {
    const c = trimmed.charCodeAt(i);
    if (isBlank(c)) {
      if (inWord) {
        inWord = false;
        words++;
        // `description …`, `remark …`, `10 remark …`, `access-list X remark …`, `banner motd …`
        if (words <= 4) {
          let s = i - 1;
          while (s > 0 && !isBlank(trimmed.charCodeAt(s - 1))) s--;
          if (FREE_TEXT.has(trimmed.slice(s, i).toLowerCase())) return undefined;
        }
      }
      continue;
    }
    inWord = true;
    const name = foreignCharName(c);
    if (name !== undefined)
      return `this line contains ${name} (${codePoint(c)}) at column ${indent + i + 1}, which the device reads neither as a blank nor as the character it looks like: the command is not what it looks like (the device rejects it), and natlint does not analyse the line`;
  }
  return undefined;
}
