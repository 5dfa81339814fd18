/** Writing a fixed config back in the encoding its file had (the inverse of ./decode.ts). */
import { readFileSync, writeFileSync } from "node:fs";
import { decodeConfig } from "./decode.js";

/** Bytes of `text` in the encoding of `original`: UTF-8 (a BOM kept), or UTF-16 LE/BE with BOM. */
export function encodeLike(original: Uint8Array, text: string): Uint8Array {
  if (original[0] === 0xff && original[1] === 0xfe) return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]);
  if (original[0] === 0xfe && original[1] === 0xff) {
    const le = Buffer.from(text, "utf16le");
    for (let i = 0; i + 1 < le.length; i += 2) [le[i], le[i + 1]] = [le[i + 1]!, le[i]!];
    return Buffer.concat([Buffer.from([0xfe, 0xff]), le]);
  }
  const bom = original[0] === 0xef && original[1] === 0xbb && original[2] === 0xbf;
  return Buffer.from((bom ? "\uFEFF" : "") + text, "utf8");
}

/** The file's text as natlint read it, and a writer of a new text in the same encoding. */
export function configFile(abs: string): { text: string; write(text: string): void } {
  const bytes = readFileSync(abs);
  return { text: decodeConfig(bytes), write: (t) => writeFileSync(abs, encodeLike(bytes, t)) };
}
