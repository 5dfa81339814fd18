/**
 * The token cursor and the parse error shared by the vendor parsers.
 *
 * Contract (one for both vendors):
 * - `peek(k)` / `peekKw(k)`: the token k places ahead (as written / lower-cased), undefined past the end.
 * - `next(what)`: consumes and returns the next token; at the end of the line it throws
 *   `ParseError("expected WHAT at end of line")`. Use it whenever a token is required.
 * - `take()`: consumes and returns the next token, or returns undefined at the end (never throws).
 * - `accept(kw)`: consumes the next token when it is the keyword `kw` (case-insensitive).
 * - `skip(n)`: consumes n tokens (never past the end).
 * - `done()`, `prev()` (the last consumed token), `rest()` (consumes everything left),
 *   `end()` (throws `unexpected "TOKEN"` when tokens are left over).
 * - `ip(what)` / `int(what, lo, hi)`: a required IPv4 address / integer in [lo, hi].
 *
 * Every message a `ParseError` carries ends up, unchanged, in a user-visible
 * `unrecognized-syntax` finding; any other exception is an internal parser error.
 */
import { splitBlank } from "./text.js";
import { parseIp } from "../../model/addr.js";

/** A line that does not follow the grammar; the message says exactly what is wrong. */
export class ParseError extends Error {
  override name = "ParseError";
}

/** Walks the whitespace-separated tokens of one line. Keyword comparisons are case-insensitive. */
export class Cursor {
  /** Read position (index of the next token). */
  i: number;
  constructor(
    readonly toks: readonly string[],
    start = 0,
  ) {
    this.i = start;
  }

  peek(k = 0): string | undefined {
    return this.toks[this.i + k];
  }
  /** The token k places ahead, lower-cased. */
  peekKw(k = 0): string | undefined {
    return this.toks[this.i + k]?.toLowerCase();
  }
  done(): boolean {
    return this.i >= this.toks.length;
  }
  /** The next token; throws `expected WHAT at end of line` when there is none. */
  next(what: string): string {
    const t = this.toks[this.i];
    if (t === undefined) throw new ParseError(`expected ${what} at end of line`);
    this.i++;
    return t;
  }
  /** The next token, or undefined at the end of the line. */
  take(): string | undefined {
    const t = this.toks[this.i];
    if (t !== undefined) this.i++;
    return t;
  }
  /** Consumes n tokens (stops at the end of the line). */
  skip(n = 1): void {
    this.i = Math.min(this.i + n, this.toks.length);
  }
  /** Consumes the keyword when it is next. */
  accept(kw: string): boolean {
    if (this.peekKw() === kw) {
      this.i++;
      return true;
    }
    return false;
  }
  /** The last consumed token (for "after X" messages). */
  prev(): string {
    return this.toks[this.i - 1] ?? "start of line";
  }
  /** Consumes and returns the tokens left. */
  rest(): string[] {
    const r = this.toks.slice(this.i);
    this.i = this.toks.length;
    return r;
  }
  /** Throws when tokens are left over. */
  end(): void {
    if (!this.done()) throw new ParseError(`unexpected "${this.peek()}"`);
  }
  /** Next token must be an IPv4 address. */
  ip(what: string): number {
    const t = this.next(what);
    const v = parseIp(t);
    if (v === undefined) throw new ParseError(`expected ${what}, got "${t}"`);
    return v;
  }
  /** Next token must be an integer in [lo, hi]. */
  int(what: string, lo: number, hi: number): number {
    const t = this.next(what);
    if (!/^\d+$/.test(t)) throw new ParseError(`expected ${what}, got "${t}"`);
    const n = Number(t);
    if (n < lo || n > hi) throw new ParseError(`${what} ${t} out of range ${lo}-${hi}`);
    return n;
  }
}

/** Splits a config line into its words (separated by ASCII blanks only: ./text.ts). */
export function tokenize(text: string): string[] {
  return splitBlank(text);
}

/** The text of an exception that is not a `ParseError` (an internal parser error). */
export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
