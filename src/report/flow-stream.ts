/**
 * `flow --flows` output written as the flows are judged: the bytes of `formatFlowText` /
 * `formatFlowJson` (./review.ts) for a batch, one flow at a time. A flow's text after the flow
 * is built once per result object (the results of one deciding line are shared). The output is
 * gathered as UTF-8 bytes and handed on in pieces: once at least `OUT_CHUNK` characters are
 * pending after a flow, all of them (so the last fewer than `OUT_CHUNK` characters are held
 * back until the next piece, or the end).
 */
import { outcomeJson, outcomeText, type FlowOutcome } from "./review.js";

/** Pending output is handed on once it is at least this many characters (UTF-16 code units). */
export const OUT_CHUNK = 1 << 16;

/** Bytes of output and their length in characters. */
interface Piece {
  bytes: Uint8Array;
  chars: number;
}

// JSON.stringify(…, null, 2) of `{acl, results: [{flow, …outcome}]}`: a result is its own
// stringify with every line indented by the 4 spaces of its depth
const FIRST_OPEN = Buffer.from('\n    {\n      "flow": "');
const NEXT_OPEN = Buffer.from(',\n    {\n      "flow": "');
const NO_OPEN = new Uint8Array(0);

export class FlowStreamOut {
  /** Set when a piece was handed on (the caller clears it). */
  written = false;
  private buf = Buffer.allocUnsafe(1 << 18);
  private pos = 0;
  /** Pending output before the bytes of `buf`. */
  private str: string;
  /** Pending characters in all. */
  private chars: number;
  private count = 0;
  private readonly json: boolean;
  private readonly pieces = new Map<FlowOutcome, Piece>();
  private last: FlowOutcome | undefined;
  private lastPiece: Piece = { bytes: NO_OPEN, chars: 0 };

  constructor(
    private readonly acl: string,
    format: "text" | "json",
    private readonly write: (text: string) => void,
  ) {
    this.json = format === "json";
    this.str = this.json ? `{\n  "acl": ${JSON.stringify(acl)},\n  "results": [` : "";
    this.chars = this.str.length;
  }

  /** What follows a flow's text (JSON: its string) in the output. */
  private after(x: FlowOutcome): string {
    if (!this.json) return `  ${outcomeText(this.acl, x)}`;
    return `,${JSON.stringify(outcomeJson(x), null, 2).slice(1).replace(/\n/g, "\n    ")}`;
  }

  private piece(x: FlowOutcome): Piece {
    let p = this.pieces.get(x);
    if (p === undefined) {
      const s = this.json ? `"${this.after(x)}` : this.after(x);
      this.pieces.set(x, (p = { bytes: Buffer.from(s), chars: s.length }));
    }
    this.last = x;
    this.lastPiece = p;
    return p;
  }

  /** The bytes of `buf` moved to the end of `str`. */
  private spill(): void {
    this.str += this.buf.toString("utf8", 0, this.pos);
    this.pos = 0;
  }

  /** Room for `n` more bytes in `buf`. */
  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    this.spill();
    if (n > this.buf.length) this.buf = Buffer.allocUnsafe(2 * n);
  }

  private added(chars: number): void {
    this.chars += chars;
    if (this.chars < OUT_CHUNK) return;
    this.write(this.str + this.buf.toString("utf8", 0, this.pos));
    this.str = "";
    this.pos = 0;
    this.chars = 0;
    this.written = true;
  }

  /** One flow (its text as written) and its outcome. */
  item(flow: string, x: FlowOutcome): void {
    const s = this.json ? `${this.count++ ? "," : ""}\n    {\n      "flow": ${JSON.stringify(flow)}${this.after(x)}` : `${flow}${this.after(x)}`;
    // at most 3 bytes a UTF-16 code unit
    if (3 * s.length <= this.buf.length - this.pos) this.pos += this.buf.write(s, this.pos);
    else {
      this.spill();
      this.str += s;
    }
    this.added(s.length);
  }

  /**
   * One flow whose text is `b[from, to)`, ASCII that JSON writes as it is (no quote, backslash or
   * control character), and its outcome: `item` of that text.
   */
  itemBytes(b: Uint8Array, from: number, to: number, x: FlowOutcome): void {
    const p = x === this.last ? this.lastPiece : this.piece(x);
    const open = this.json ? (this.count++ ? NEXT_OPEN : FIRST_OPEN) : NO_OPEN;
    const n = open.length + (to - from) + p.bytes.length;
    this.room(n);
    const buf = this.buf;
    let at = this.pos;
    if (open.length) {
      buf.set(open, at);
      at += open.length;
    }
    for (let i = from; i < to; i++) buf[at++] = b[i]!;
    buf.set(p.bytes, at);
    this.pos = at + p.bytes.length;
    this.added(open.length + (to - from) + p.chars);
  }

  /** Everything still pending and what comes after the last flow. */
  end(): void {
    this.write(this.str + this.buf.toString("utf8", 0, this.pos) + (this.json ? (this.count ? "\n  ]\n}\n" : "]\n}\n") : ""));
  }
}
