/** Writing a fixed config back in the encoding its file had (the inverse of ./decode.ts). */
import { readFileSync, writeFileSync } from "node:fs";
import { configEncoding, decodeConfig } from "./decode.js";

/** Bytes of `text` in the encoding of `original`: UTF-8 (a BOM kept), or UTF-16 LE/BE with or without BOM. */
export function encodeLike(original: Uint8Array, text: string): Uint8Array {
  const enc = configEncoding(original);
  if (enc === "utf-8" || enc === "utf-8-bom") return Buffer.from((enc === "utf-8-bom" ? "\uFEFF" : "") + text, "utf8");
  const bytes = Buffer.from(text, "utf16le");
  if (enc === "utf-16be" || enc === "utf-16be-nobom") for (let i = 0; i + 1 < bytes.length; i += 2) [bytes[i], bytes[i + 1]] = [bytes[i + 1]!, bytes[i]!];
  if (enc === "utf-16le") return Buffer.concat([Buffer.from([0xff, 0xfe]), bytes]);
  if (enc === "utf-16be") return Buffer.concat([Buffer.from([0xfe, 0xff]), bytes]);
  return bytes;
}

/** The file's text as natlint read it, and a writer of a new text in the same encoding. */
export function configFile(abs: string): { text: string; write(text: string): void } {
  const bytes = readFileSync(abs);
  return { text: decodeConfig(bytes), write: (t) => writeFileSync(abs, encodeLike(bytes, t)) };
}
