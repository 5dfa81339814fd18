/**
 * Error kinds the CLI turns into one line and exit code 2. This module imports nothing, so any
 * module (checks included) can import it without an import cycle.
 */

/** A problem in a rule file, a config file or a check's options. */
export class ConfigError extends Error {
  override name = "ConfigError";
  /** Absolute path of the offending file, when there is one. */
  readonly file: string | undefined;
  /** Key path of the first problem, e.g. `rules.pat-drops-ipsec` or `overrides[0].files`. */
  readonly keyPath: string | undefined;
  readonly line: number | undefined;
  readonly column: number | undefined;
  constructor(message: string, details: { file?: string; keyPath?: string; line?: number; column?: number } = {}) {
    super(message);
    this.file = details.file;
    this.keyPath = details.keyPath;
    this.line = details.line;
    this.column = details.column;
  }
}

/** The same class under the name the engine's public API uses. */
export { ConfigError as ConfigurationError };
