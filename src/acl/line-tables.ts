/**
 * The address tables of the line index (./line-index.ts): a line is filed under the bytes its
 * address pattern fixes (tuple-space style; the file comment there has the method).
 */
import type { Wildcard } from "../model/types.js";

/** The bytes (bit b = byte b, byte 0 least significant) a wildcard fixes entirely. */
export function fixedBytes(w: Wildcard): number {
  let f = 0;
  for (let b = 0; b < 4; b++) if (((w.wildcard >>> (8 * b)) & 0xff) === 0) f |= 1 << b;
  return f;
}

/** The bytes of S as a mask (an int32: masked values stay small integers). */
const BYTE_MASK: number[] = Array.from({ length: 16 }, (_, s) => {
  let m = 0;
  for (let b = 0; b < 4; b++) if ((s >> b) & 1) m |= 0xff << (8 * b);
  return m | 0;
});

/**
 * One table per dimension: per key B·16 + S, the pattern's bytes in S (as an int32: a small integer
 * for the engine's maps, not a heap number) → ascending line list.
 */
export class Tables {
  private readonly maps: Array<Map<number, number[]> | undefined> = new Array(256);
  /** The byte sets B some line is filed under, in the order first seen. */
  private readonly present: number[] = [];
  add(line: number, w: Wildcard): void {
    const b = fixedBytes(w);
    if (!this.present.includes(b)) this.present.push(b);
    for (let s = b; ; s = (s - 1) & b) {
      const k = b * 16 + s;
      const map = (this.maps[k] ??= new Map());
      const key = w.addr & BYTE_MASK[s]!;
      const l = map.get(key);
      if (l === undefined) map.set(key, [line]);
      else if (l[l.length - 1] !== line) l.push(line);
      if (s === 0) break;
    }
  }
  /** The lists a pattern fixing bytes `f` to `addr` must look at. */
  lists(addr: number, f: number, out: number[][]): void {
    const present = this.present;
    for (let i = 0; i < present.length; i++) {
      const b = present[i]!;
      const s = b & f;
      const l = this.maps[b * 16 + s]!.get(addr & BYTE_MASK[s]!);
      if (l !== undefined) out.push(l);
    }
  }
}
