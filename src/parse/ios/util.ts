/** Shared helpers of the IOS parser: token cursor, syntax errors, parse state. */
import { parseIp } from "../../model/addr.js";
import type { Device, DiagnosticKind, ObjectGroupKind, Reference, ServiceTerm, SourceRef, Wildcard } from "../../model/types.js";

/** A part of a line that could not be understood; the message says exactly what. */
export class SyntaxErr extends Error {
  override name = "SyntaxErr";
}

/** Walks the whitespace-separated tokens of one line. Keyword comparisons are case-insensitive. */
export class Cursor {
  i = 0;
  constructor(readonly toks: readonly string[]) {}

  peek(o = 0): string | undefined {
    return this.toks[this.i + o];
  }
  peekKw(o = 0): string | undefined {
    return this.toks[this.i + o]?.toLowerCase();
  }
  done(): boolean {
    return this.i >= this.toks.length;
  }
  /** Next token; throws `expected <what>` at end of line. */
  next(what: string): string {
    const t = this.toks[this.i];
    if (t === undefined) throw new SyntaxErr(`expected ${what} at end of line`);
    this.i++;
    return t;
  }
  /** Consumes the keyword when it is next. */
  accept(kw: string): boolean {
    if (this.peekKw() === kw) {
      this.i++;
      return true;
    }
    return false;
  }
  /** The previous token (for "after X" messages). */
  prev(): string {
    return this.toks[this.i - 1] ?? "start of line";
  }
  rest(): string[] {
    return this.toks.slice(this.i);
  }
  /** Next token must be an IPv4 address. */
  ip(what: string): number {
    const t = this.next(what);
    const v = parseIp(t);
    if (v === undefined) throw new SyntaxErr(`expected ${what}, got "${t}"`);
    return v;
  }
  /** Next token must be an integer in [lo, hi]. */
  int(what: string, lo: number, hi: number): number {
    const t = this.next(what);
    if (!/^\d+$/.test(t)) throw new SyntaxErr(`expected ${what}, got "${t}"`);
    const n = Number(t);
    if (n < lo || n > hi) throw new SyntaxErr(`${what} ${t} out of range ${lo}-${hi}`);
    return n;
  }
}

export function tokenize(text: string): string[] {
  return text.split(/\s+/).filter((t) => t.length > 0);
}

/** Object-group content as written, before nested groups are expanded. */
export interface RawGroup {
  name: string;
  kind: ObjectGroupKind;
  source: SourceRef;
  addrs: Wildcard[];
  services: ServiceTerm[];
  nested: Reference[];
}

export interface ParseState {
  dev: Device;
  groups: Map<string, RawGroup>;
  /** Run after the whole file is read (object-group resolution for ACEs). */
  fixups: Array<() => void>;
}

export function diag(st: ParseState, kind: DiagnosticKind, source: SourceRef, message: string): void {
  st.dev.diagnostics.push({ kind, source, message });
}

/** Adds the tokens of a line the parser does not model to `otherMentions`. */
export function mention(st: ParseState, toks: readonly string[]): void {
  for (const t of toks) st.dev.otherMentions.add(t);
}
