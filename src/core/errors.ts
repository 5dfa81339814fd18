/**
 * The errors natlint reports as one line (the CLI exits 2 with the message, never a stack trace).
 * Everything else that escapes is an internal error.
 */

/** Base of the expected errors: a problem with the input, not with natlint. */
export class NatlintError extends Error {
  override name = "NatlintError";
}

/** An input that cannot be used: a file that cannot be read, an operand that matches nothing, an option value out of range. */
export class InputError extends NatlintError {
  override name = "InputError";
}

/** A problem in a config file, a rule file, a baseline or a check's options; names the file and the key when there are. */
export class ConfigError extends NatlintError {
  override name = "ConfigError";
  /** Absolute path of the offending file, when there is one. */
  readonly file: string | undefined;
  /** Key path of the first problem, e.g. `rules.pat-drops-ipsec` or `overrides[0].files`. */
  readonly keyPath: string | undefined;
  readonly line: number | undefined;
  readonly column: number | undefined;
  constructor(message: string, details: { file?: string | undefined; keyPath?: string | undefined; line?: number; column?: number } = {}) {
    super(message);
    this.file = details.file;
    this.keyPath = details.keyPath;
    this.line = details.line;
    this.column = details.column;
  }
}
