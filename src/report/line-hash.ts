/**
 * `partialFingerprints.primaryLocationLineHash` as GitHub code scanning computes it when a SARIF
 * upload has none (github/codeql-action, src/fingerprints.ts, `hash`; documented in GitHub's
 * "SARIF support for code scanning", "Preventing duplicate alerts using fingerprints"): for each
 * line, a rolling hash (multiplier 37, 64-bit wrap-around) of the next 100 characters of the file
 * from the line's start, spaces and tabs skipped, CR and CRLF read as LF, the end of the file
 * marked by 65535 and padded with zeros; the value in hex, then `:n` for its n-th occurrence
 * in the file. Computing it here means an upload from natlint and GitHub's own computation agree.
 */
const BLOCK = 100;
/** 37^100 mod 2^64, as two 32-bit halves (the hash is kept in two halves: BigInt arithmetic per character was most of a SARIF log's time). */
const [FIRST_HI, FIRST_LO] = (() => {
  let m = 1n;
  for (let i = 0; i < BLOCK; i++) m = (m * 37n) & ((1n << 64n) - 1n);
  return [Number(m >> 32n), Number(m & 0xffffffffn)];
})();
const TWO32 = 2 ** 32;

/** The hash of every line of `text`, indexed by line number - 1. */
export function lineHashes(text: string): string[] {
  const window = new Array<number>(BLOCK).fill(0);
  const lineAt = new Array<number>(BLOCK).fill(-1);
  const out: string[] = [];
  const counts = new Map<string, number>();
  // the 64-bit hash: hi · 2^32 + lo, each half an unsigned 32-bit value
  let hi = 0;
  let lo = 0;
  let index = 0;
  let line = 0;
  let lineStart = true;
  let prevCR = false;
  const emit = () => {
    const hex = hi === 0 ? lo.toString(16) : hi.toString(16) + lo.toString(16).padStart(8, "0");
    const n = (counts.get(hex) ?? 0) + 1;
    counts.set(hex, n);
    out[lineAt[index]! - 1] = `${hex}:${n}`;
    lineAt[index] = -1;
  };
  /** hash = 37 · hash + c - 37^100 · (the character leaving the window), mod 2^64 */
  const update = (c: number) => {
    const begin = window[index]!;
    window[index] = c;
    // 37 · lo + c < 2^38 and 37^100's low half · begin < 2^48: exact in a double; the carry
    // (negative when the leaving character's share is larger) moves into the high half
    const l = 37 * lo + c - FIRST_LO * begin;
    const carry = Math.floor(l / TWO32);
    lo = l - carry * TWO32;
    hi = (Math.imul(37, hi) + carry - Math.imul(FIRST_HI, begin)) >>> 0;
    index = (index + 1) % BLOCK;
  };
  const feed = (c: number) => {
    if (c === 0x20 || c === 0x09 || (prevCR && c === 0x0a)) {
      prevCR = false;
      return;
    }
    if (c === 0x0d) {
      c = 0x0a;
      prevCR = true;
    } else prevCR = false;
    if (lineAt[index] !== -1) emit();
    if (lineStart) {
      lineStart = false;
      lineAt[index] = ++line;
    }
    if (c === 0x0a) lineStart = true;
    update(c);
  };
  for (let i = 0; i < text.length; i++) feed(text.charCodeAt(i));
  feed(65535);
  for (let i = 0; i < BLOCK; i++) {
    if (lineAt[index] !== -1) emit();
    update(0);
  }
  return out;
}
