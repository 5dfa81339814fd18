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
const MOD = 37n;
const MASK = (1n << 64n) - 1n;
const FIRST_MOD = (() => {
  let m = 1n;
  for (let i = 0; i < BLOCK; i++) m = (m * MOD) & MASK;
  return m;
})();

/** The hash of every line of `text`, indexed by line number - 1. */
export function lineHashes(text: string): string[] {
  const window = new Array<number>(BLOCK).fill(0);
  const lineAt = new Array<number>(BLOCK).fill(-1);
  const out: string[] = [];
  const counts = new Map<string, number>();
  let hash = 0n;
  let index = 0;
  let line = 0;
  let lineStart = true;
  let prevCR = false;
  const emit = () => {
    const hex = hash.toString(16);
    const n = (counts.get(hex) ?? 0) + 1;
    counts.set(hex, n);
    out[lineAt[index]! - 1] = `${hex}:${n}`;
    lineAt[index] = -1;
  };
  const update = (c: number) => {
    const begin = window[index]!;
    window[index] = c;
    hash = (MOD * hash + BigInt(c) - FIRST_MOD * BigInt(begin)) & MASK;
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
