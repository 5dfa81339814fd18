/**
 * The mode-aware line reader shared by the IOS and ASA parsers: it decides which configuration
 * mode each line belongs to the way the device's CLI does, not by its indentation.
 *
 * On the CLI a command that enters a mode (`interface`, `ip access-list`, `object-group`, …)
 * opens it; a command the current mode does not have is tried in the enclosing modes, up to global
 * configuration mode, and the first mode that has it takes it (leaving the inner modes); `exit`
 * leaves one mode and `end` all of them (Cisco IOS Configuration Fundamentals Configuration Guide,
 * "Using the Cisco IOS Command-Line Interface": command modes; Cisco ASA General Operations CLI
 * Configuration Guide, "Using the CLI": command modes and prompts). So a global command with a
 * leading space is still global, and an unindented `ip nat inside` after `interface X` is still an
 * interface command.
 *
 * The vendor grammars (../ios/modes.ts, ../asa/modes.ts) say, per mode, which commands they know.
 * Indentation is only a hint, used for a command no open mode and no global table knows:
 * - deeper than the mode's header: it belongs to the mode (an unknown sub-command, or a typo the
 *   mode's parser reports);
 * - at the header's own indentation: it stays in an open-ended mode whose body is written flat
 *   (no indentation), and in a mode whose sub-commands are all known (`closed`) only when the
 *   next line is one of them (an unknown line between two lines of an ACL is part of the ACL);
 * - shallower: it leaves the mode.
 * An unknown global command followed by a more indented line opens an unknown mode, so the
 * sub-commands of features natlint has no table for stay with their command.
 *
 * Text blocks are skipped exactly: banners (`banner motd ^C … ^C`), macro bodies, certificate and
 * key hex data (`certificate … quit`).
 */

import { foreignInCommand, leadingBlanks, splitBlank, trimBlank } from "./text.js";
import { DEFAULT_LIMITS, watchHeap } from "../../core/limits.js";

/** A mode's answer for a command: it enters a nested mode, "yes" it is a command of this mode, "no" it is not (try the enclosing modes), "unknown". */
export type Verdict = "yes" | "no" | "unknown";

export interface Mode {
  /** What the vendor parser dispatches on. */
  readonly id: string;
  /**
   * The mode's answer for a command: `k` are its tokens lower-cased with a leading `no` or
   * `default` removed, `raw` the tokens as written.
   */
  sub(k: readonly string[], raw: readonly string[]): Mode | Verdict;
  /** Every sub-command is known: an unknown command at the header's indentation leaves the mode. */
  readonly closed?: boolean;
  /** The body is raw text (certificate hex) up to the line this accepts, which closes the mode. */
  endsText?(trimmed: string): boolean;
}

export interface Grammar {
  /** Global configuration mode: the mode a command enters, "yes" for a known global command, else "unknown". */
  global(k: readonly string[], raw: readonly string[]): Mode | Verdict;
  /** Comment lines (never change the mode). */
  comment(trimmed: string): boolean;
  /**
   * A global command that starts a text block (a multi-line banner, a macro body): returns the
   * test for the block's last line; undefined when the command is not a block or ends on its line.
   */
  textBlock?(trimmed: string, k: readonly string[]): ((line: string) => boolean) | undefined;
  /** Abbreviated keywords written out (`int e0/0` → `interface e0/0`), as the CLI expands them. */
  expand?(toks: string[]): string[];
  /**
   * A known global one-liner that no mode has (`access-list`, `ip nat inside source`, `hostname`):
   * it leaves any mode whatever its indentation. Other known global commands (`ip cef …`, which an
   * interface may have too) stay in an open mode when indented deeper than its header, as a
   * `show running-config` prints a sub-command. Without this hook every global command decides.
   */
  decisive?(k: readonly string[]): boolean;
}

/** A mode no table knows (the body of an unknown global command): every command is unknown to it. */
export const UNKNOWN_MODE: Mode = { id: "unknown", sub: () => "unknown" };

export interface ReadLine {
  /** 1-based line number. */
  line: number;
  /** The line, trimmed. */
  text: string;
  toks: string[];
  /** Lower-cased tokens without a leading `no`/`default`. */
  k: string[];
  /** `no …` (or `default …`). */
  negated: boolean;
  /** Leading whitespace characters. */
  indent: number;
  /** How many modes are open around the line (0: global configuration mode). */
  depth: number;
  /** The open modes around the line, outermost first (`path.length === depth`). */
  path: readonly Mode[];
  /** The mode this line enters (it is its header; the mode's lines then have depth + 1). */
  opens?: Mode;
  /** A command table placed the line (else indentation did: a command no table knows). */
  known: boolean;
  /** `exit`, `end`, `exit-address-family` …: leaves modes; nothing to parse. */
  control?: boolean;
  /**
   * The line is not analysed, and the parser reports this at its line: a character the device
   * does not take as written (`unrecognized-syntax`), or a line longer than the line-length limit
   * (`limit`). Such a line is placed by its indentation like an unknown command.
   */
  reject?: { kind: "unrecognized-syntax" | "limit"; message: string };
}

/** Limits of the reader (see `DEFAULT_MAX_LINE_LENGTH`). */
export interface ReadOptions {
  /** Lines longer than this (in characters, indentation included) are rejected with a `limit` note. */
  maxLineLength?: number;
}

/**
 * Default line-length limit. Cisco's own CLI buffers are far shorter (a few hundred to a few
 * thousand characters); natlint reads much longer lines so that no real config reaches it.
 */
export const DEFAULT_MAX_LINE_LENGTH = DEFAULT_LIMITS.lineLength;

/** A text block (banner, macro, certificate) still open at the end of the file. */
export interface UnclosedBlock {
  /** The block's first line. */
  line: number;
  text: string;
  /** Lines after it, to the end of the file, that the block swallowed (blank and hex-data ones not counted). */
  swallowed: number;
}

export interface ReadStats {
  /** Lines that are neither blank, comments, nor text-block content. */
  commands: number;
  /** Commands a table knows (mode headers, known global and sub-mode commands), or in a mode a table opened. */
  known: number;
  /** Lines inside banners, macros and certificates. */
  text: number;
  /** A text block never closed (its end line never came): everything after it is its text. */
  unclosed?: UnclosedBlock;
}

interface Frame {
  mode: Mode;
  indent: number;
  /** Indentation of the first line a table placed in the mode. */
  bodyIndent?: number;
}


/** Lower-cased tokens without a leading `no` / `default`. */
export function keywords(toks: readonly string[]): { k: string[]; negated: boolean } {
  const first = toks[0]!.toLowerCase();
  const neg = (first === "no" || first === "default") && toks.length > 1;
  const k: string[] = new Array(neg ? toks.length - 1 : toks.length);
  for (let i = neg ? 1 : 0, j = 0; i < toks.length; i++, j++) k[j] = toks[i]!.toLowerCase();
  return { k, negated: neg };
}

/** Certificate and key hex lines. */
const HEX_DATA = /^[0-9A-Fa-f \t]+$/;

/** Reads the lines of a config in order, with the mode each one belongs to. */
export function readConfig(text: string, grammar: Grammar, stats?: ReadStats, opts?: ReadOptions): ReadLine[] {
  const out: ReadLine[] = [];
  for (const l of readLines(text, grammar, stats, opts)) out.push(l);
  return out;
}

/** The lines of `readConfig`, one at a time (the parsers consume them as they come). */
export function* readLines(text: string, grammar: Grammar, stats?: ReadStats, opts: ReadOptions = {}): Generator<ReadLine> {
  const lines = text.replace(/^\uFEFF/, "").split(/\r\n|\r|\n/);
  const maxLine = opts.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH;
  const frames: Frame[] = [];
  /** `frames`' modes, rebuilt only when the frames change. */
  let path: readonly Mode[] = [];
  const setDepth = (d: number): void => {
    if (frames.length === d) return;
    frames.length = d;
    path = frames.map((f) => f.mode);
  };
  const push = (f: Frame): void => {
    frames.push(f);
    path = frames.map((x) => x.mode);
  };
  /** Blocks whose first body line a table placed: written flat, or indented. */
  const style = { flat: 0, indented: 0 };
  let textEnd: ((line: string) => boolean) | undefined;
  const st: ReadStats = stats ?? { commands: 0, known: 0, text: 0 };
  /** The open text block's first line, and the lines it swallowed so far. */
  let block: UnclosedBlock | undefined;

  /** The next command line after line `from - 1`: its indentation and keywords. */
  const nextCommand = (from: number): { indent: number; k: string[] } | undefined => {
    for (let j = from; j < lines.length; j++) {
      const t = trimBlank(lines[j]!.length > maxLine ? lines[j]!.slice(0, 256) : lines[j]!);
      if (t === "" || grammar.comment(t)) continue;
      const w = splitBlank(t);
      return { indent: leadingBlanks(lines[j]!), k: keywords(grammar.expand ? grammar.expand(w) : w).k };
    }
    return undefined;
  };
  /** An unknown command at a mode's own indentation stays in it: an open mode written flat, or a closed mode whose next line is its own. */
  const staysAtHeaderIndent = (f: Frame, i: number): boolean => {
    if (f.mode.closed) {
      const next = nextCommand(i + 1);
      return next !== undefined && next.indent <= f.indent && f.mode.sub(next.k, next.k) === "yes";
    }
    return f.bodyIndent !== undefined ? f.bodyIndent <= f.indent : style.flat > style.indented;
  };

  for (let i = 0; i < lines.length; i++) {
    if ((i & 0x1fff) === 0x1fff) watchHeap(`while reading line ${i + 1}`);
    const raw = lines[i]!;
    const long = raw.length > maxLine;
    // an over-long line is placed by its start only (its words are never read)
    const trimmed = trimBlank(long ? raw.slice(0, 256) : raw);
    if (textEnd) {
      st.text++;
      if (trimmed !== "" && !HEX_DATA.test(trimmed)) block!.swallowed++;
      if (textEnd(trimmed)) {
        textEnd = undefined;
        block = undefined;
      }
      continue;
    }
    const top = frames[frames.length - 1];
    if (top?.mode.endsText) {
      st.text++;
      if (trimmed !== "" && !HEX_DATA.test(trimmed)) block!.swallowed++;
      if (top.mode.endsText(trimmed)) {
        setDepth(frames.length - 1);
        block = undefined;
      }
      continue;
    }
    if (trimmed === "" || grammar.comment(trimmed)) continue;
    st.commands++;
    const indent = leadingBlanks(raw);
    const foreign = long ? undefined : foreignInCommand(trimmed, indent);
    const reject: ReadLine["reject"] = long
      ? { kind: "limit", message: `this line is ${raw.length} characters long, more than natlint's line-length limit of ${maxLine} (--max-line-length): it is not analysed` }
      : foreign !== undefined
        ? { kind: "unrecognized-syntax", message: foreign }
        : undefined;
    const written = splitBlank(trimmed);
    const toks = grammar.expand && !reject ? grammar.expand(written) : written;
    const { k, negated } = keywords(toks);
    if (reject) {
      // not the command it looks like: no table places it, indentation does
      let depth = 0;
      for (let d = frames.length - 1; d >= 0; d--) {
        const f = frames[d]!;
        if (indent > f.indent || (indent === f.indent && staysAtHeaderIndent(f, i))) {
          depth = d + 1;
          break;
        }
      }
      setDepth(depth);
      const line: ReadLine = { line: i + 1, text: long ? `${trimmed}…` : trimmed, toks, k, negated, indent, depth, path, known: false, reject };
      if (depth === 0) {
        const next = nextCommand(i + 1);
        if (next !== undefined && next.indent > indent) {
          line.opens = UNKNOWN_MODE;
          push({ mode: UNKNOWN_MODE, indent });
        }
      }
      yield line;
      continue;
    }

    const kw = k[0]!;
    if (!negated && (kw === "exit" || kw === "end" || kw.startsWith("exit-"))) {
      st.known++;
      setDepth(kw === "end" ? 0 : Math.max(0, frames.length - 1));
      yield { line: i + 1, text: trimmed, toks, k, negated, indent, depth: frames.length, path, known: true, control: true };
      continue;
    }

    // the innermost open mode with a definite answer takes the line
    let depth = -1;
    let opens: Mode | undefined;
    const unknownAt: number[] = [];
    for (let d = frames.length - 1; d >= 0; d--) {
      let v = frames[d]!.mode.sub(k, toks);
      if (negated && typeof v !== "string") v = "yes"; // `no interface X` removes it; it enters no mode
      if (v === "unknown") unknownAt.push(d);
      if (v === "unknown" || v === "no") continue;
      depth = d + 1;
      if (v !== "yes") opens = v;
      break;
    }
    let known = depth >= 0;
    if (depth < 0) {
      let g = grammar.global(k, toks);
      if (negated && typeof g !== "string") g = "yes";
      // a global one-liner that a mode may have too, indented under an open mode: it is the mode's
      // (placed by indentation below), unless the grammar says no mode has it (`Grammar.decisive`)
      const inner = unknownAt[0] === undefined ? undefined : frames[unknownAt[0]];
      if (g === "yes" && inner && !inner.mode.closed && indent > inner.indent && grammar.decisive && !grammar.decisive(k)) g = "unknown";
      if (g !== "unknown" && g !== "no") {
        depth = 0;
        known = true;
        if (g !== "yes") opens = g;
      }
    }
    if (depth < 0) {
      // no table knows the command: indentation decides, innermost mode first
      depth = 0;
      for (const d of unknownAt) {
        const f = frames[d]!;
        if (indent > f.indent || (indent === f.indent && staysAtHeaderIndent(f, i))) {
          depth = d + 1;
          break;
        }
      }
      if (depth === 0) {
        const next = nextCommand(i + 1);
        if (next !== undefined && next.indent > indent) opens = UNKNOWN_MODE;
      }
    }
    setDepth(depth);
    const f = frames[depth - 1];
    if (known && f && f.bodyIndent === undefined) {
      f.bodyIndent = indent;
      if (indent > f.indent) style.indented++;
      else style.flat++;
    }
    if (known || (f !== undefined && f.mode !== UNKNOWN_MODE)) st.known++;
    const line: ReadLine = { line: i + 1, text: trimmed, toks, k, negated, indent, depth, path, known };
    if (opens) {
      line.opens = opens;
      push({ mode: opens, indent });
      if (opens.endsText) block = { line: i + 1, text: trimmed, swallowed: 0 };
    } else if (depth === 0 && grammar.textBlock) {
      textEnd = grammar.textBlock(trimmed, k);
      if (textEnd) block = { line: i + 1, text: trimmed, swallowed: 0 };
    }
    yield line;
  }
  // a block cut off in its hex data (an excerpt that ends inside a certificate) hides nothing
  if (block && block.swallowed > 0) st.unclosed = block;
}

/** The note for a text block the file never closes (`ReadStats.unclosed`). */
export function unclosedMessage(b: UnclosedBlock): string {
  return `this text block (banner, macro or certificate) is never closed: no later line ends it, so the device takes the rest of the file (${b.swallowed} ${b.swallowed === 1 ? "line" : "lines"}) as its text, and natlint analyses none of it`;
}

// ------------------------------------------------------------------ helpers for the grammars

const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;

export function isIpv4(t: string | undefined): boolean {
  return t !== undefined && IPV4.test(t);
}

/** A mode whose sub-commands are the given first keywords (and nested modes by keyword). */
export function simpleMode(
  id: string,
  words: readonly string[],
  opts: { closed?: boolean; children?: Readonly<Record<string, Mode | ((k: readonly string[]) => Mode | Verdict)>>; also?: (k: readonly string[]) => Verdict } = {},
): Mode {
  const set = new Set(words);
  const children = opts.children ?? {};
  const mode: Mode = {
    id,
    closed: opts.closed ?? false,
    sub(k) {
      const w = k[0]!;
      const c = Object.hasOwn(children, w) ? children[w] : undefined;
      if (c !== undefined) {
        const v = typeof c === "function" ? c(k) : c;
        if (v !== "unknown") return v;
      }
      if (set.has(w)) return "yes";
      return opts.also?.(k) ?? "unknown";
    },
  };
  return mode;
}

/** A text body (certificate or key hex) that ends at `quit` (or `exit`). */
export const TEXT_UNTIL_QUIT: Mode = {
  id: "text",
  sub: () => "unknown",
  endsText: (t) => /^quit$/i.test(t) || /^exit$/i.test(t),
};
