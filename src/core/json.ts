/** JSON files with error positions: `<file>:<line>:<col>: invalid JSON: …` as a ConfigError. */
import * as jsonc from "jsonc-parser";
import { ConfigError } from "./errors.js";

/** Offset of the first JSON syntax error in `text` (or -1), found with a small scanner. */
export function jsonErrorOffset(text: string): number {
  let i = 0;
  const ws = () => {
    while (i < text.length && " \t\n\r".includes(text[i]!)) i++;
  };
  const fail = (): never => {
    throw i;
  };
  const list = (close: string, item: () => void): void => {
    i++;
    ws();
    if (text[i] === close) {
      i++;
      return;
    }
    for (;;) {
      item();
      ws();
      if (text[i] === ",") {
        i++;
        continue;
      }
      if (text[i] === close) {
        i++;
        return;
      }
      fail();
    }
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === "{") {
      list("}", () => {
        ws();
        if (text[i] !== '"') fail();
        string();
        ws();
        if (text[i] !== ":") fail();
        i++;
        value();
      });
    } else if (c === "[") list("]", value);
    else if (c === '"') string();
    else if (c === "-" || (c !== undefined && c >= "0" && c <= "9")) {
      const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
      if (!m) fail();
      i += m![0].length;
    } else {
      for (const lit of ["true", "false", "null"]) {
        if (text.startsWith(lit, i)) {
          i += lit.length;
          return;
        }
      }
      fail();
    }
  };
  const string = (): void => {
    i++; // opening quote
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return;
      }
      if (c < 0x20) fail();
      if (c === 0x5c) {
        const n = text[i + 1];
        if (n === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
            i++;
            fail();
          }
          i += 6;
          continue;
        }
        if (n === undefined || !'"\\/bfnrt'.includes(n)) {
          i++;
          fail();
        }
        i += 2;
        continue;
      }
      i++;
    }
    fail();
  };
  try {
    value();
    ws();
    if (i < text.length) fail();
    return -1;
  } catch (e) {
    if (typeof e === "number") return e;
    throw e;
  }
}

export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let k = text.indexOf("\n"); k >= 0 && k < offset; k = text.indexOf("\n", k + 1)) {
    line++;
    start = k + 1;
  }
  return { line, column: offset - start + 1 };
}

/**
 * JSON.parse (a UTF-8 BOM is skipped) with a ConfigError `<shown>:<line>:<col>: invalid JSON: …`
 * on a syntax error. `file` is the absolute path recorded in the error, `shown` its display form.
 */
export function parseJsonText(text: string, file: string, shown: string): unknown {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return JSON.parse(body);
  } catch (err) {
    const raw = err instanceof Error ? err.message : String(err);
    let offset = jsonErrorOffset(body);
    const m = /at position (\d+)/.exec(raw);
    if (offset < 0 && m) offset = Number(m[1]);
    if (offset < 0) offset = body.length;
    const { line, column } = lineColumn(body, offset);
    const reason = raw
      .replace(/,\s*".*"(?:\.\.\.)? is not valid JSON$/s, "")
      .replace(/\s*in JSON at position \d+.*$/s, "")
      .replace(/\s*\(line \d+ column \d+\)$/, "")
      // never a byte of the file: it may be any file (`--baseline /etc/passwd`)
      .replace(/^Unexpected token .*$/s, "unexpected character")
      .replace(/^Unexpected non-whitespace character.*$/s, "unexpected text after the JSON value");
    throw new ConfigError(`${shown}:${line}:${column}: invalid JSON: ${reason}`, { file, line, column });
  }
}

// ---------------------------------------------------------------------------------------------
// JSON with comments and trailing commas (config files), with positions for every key


/** A parsed JSONC document: the value, and the position of any key path in it. */
export interface JsoncDocument {
  value: unknown;
  /** 1-based line and column of the value at `segments` (the deepest existing ancestor when it is missing). */
  positionOf(segments: readonly (string | number)[]): { line: number; column: number };
}

/**
 * Parse JSON with comments and trailing commas (as tsconfig.json and VS Code settings allow);
 * a syntax error is a ConfigError `<shown>:<line>:<col>: invalid JSON: <problem>`.
 */
export function parseJsoncText(text: string, file: string, shown: string): JsoncDocument {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const errors: jsonc.ParseError[] = [];
  const tree = jsonc.parseTree(body, errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: false });
  if (errors.length || tree === undefined) {
    const e = errors[0];
    const offset = e ? e.offset : body.length;
    const { line, column } = lineColumn(body, offset);
    const reason = e ? plainJsoncError(e.error) : "empty file";
    throw new ConfigError(`${shown}:${line}:${column}: invalid JSON: ${reason}`, { file, line, column });
  }
  return {
    value: jsonc.getNodeValue(tree),
    positionOf(segments) {
      let node: jsonc.Node | undefined;
      for (let n = segments.length; n >= 0 && node === undefined; n--) node = jsonc.findNodeAtLocation(tree, [...segments.slice(0, n)]);
      // a key's position is that of its property name when there is one
      const at = node?.parent?.type === "property" ? node.parent : node;
      return lineColumn(body, at?.offset ?? 0);
    },
  };
}

function plainJsoncError(code: jsonc.ParseErrorCode): string {
  const name = jsonc.printParseErrorCode(code);
  return name.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
}
