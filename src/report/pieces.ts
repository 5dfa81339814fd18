/**
 * Reports in pieces: a fleet's report can outgrow the longest string V8 can make (~512 MiB), so
 * the CLI writes a long report piece by piece instead of as one string.
 */

/** About this many characters a piece (a piece ends at a part's end, so a part longer than this is a piece of its own). */
export const PIECE = 1 << 20;

/** `parts.join("\n") + "\n"` in pieces of about a MiB, each ending at a part's end; none for no parts. */
export function linesInPieces(parts: readonly string[]): string[] {
  const pieces: string[] = [];
  for (let a = 0, size = 0, i = 0; i < parts.length; i++) {
    size += parts[i]!.length + 1;
    if (size >= PIECE || i === parts.length - 1) {
      pieces.push(parts.slice(a, i + 1).join("\n") + "\n");
      a = i + 1;
      size = 0;
    }
  }
  return pieces;
}

/** Text put together in pieces of about a MiB: `put` each part in order, then `done()`. */
export class Pieces {
  private readonly pieces: string[] = [];
  private cur: string[] = [];
  private size = 0;

  put(s: string): void {
    this.cur.push(s);
    this.size += s.length;
    if (this.size >= PIECE) {
      this.pieces.push(this.cur.join(""));
      this.cur = [];
      this.size = 0;
    }
  }

  /** Pieces handed out by `ready` so far. */
  private given = 0;

  /** The pieces completed since the last call (to write them while the rest is made); `done` then returns the others. */
  ready(): string[] {
    const r = this.pieces.splice(0);
    this.given += r.length;
    return r;
  }

  /** The pieces not yet handed out (the last one holding what was put since the previous piece). */
  done(): string[] {
    if (this.cur.length > 0 || this.pieces.length + this.given === 0) this.pieces.push(this.cur.join(""));
    this.cur = [];
    return this.pieces;
  }
}

/** `parts` gathered into pieces of about a MiB, each handed out as soon as it is complete (for a writer that pays per write: standard output). */
export function* inPieces(parts: Iterable<string>): Generator<string> {
  const out = new Pieces();
  for (const part of parts) {
    out.put(part);
    yield* out.ready();
  }
  yield* out.done();
}

/** A pad of whole indentation levels (two spaces each): `nested` writes it as it stringifies. */
const LEVELS = /^(?: {2})*$/;

/**
 * A value's `JSON.stringify(v, null, 2)` with every line after the first indented by `pad` (as it
 * sits nested). For a pad of spaces, the value is stringified as the only element of as many
 * nested arrays as the pad has levels and cut out, so the indentation is written as the text is
 * made and not by a second pass over it (a fleet's report is most of a run's output time); a
 * string's newlines are escaped (`\n`), so both give the same text.
 */
export function nested(v: unknown, pad: string): string {
  const d = pad.length >> 1;
  if (v === undefined || !LEVELS.test(pad)) return JSON.stringify(v, null, 2).replace(/\n/g, `\n${pad}`);
  let w: unknown = v;
  for (let i = 0; i < d; i++) w = [w];
  const s = JSON.stringify(w, null, 2);
  // "[\n  [\n    " before the value (2i + 4 characters for level i, from 0), "\n  ]\n]" after it (2i + 2)
  return s.slice(d * (d + 3), s.length - d * (d + 1));
}
