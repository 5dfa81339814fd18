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

const FS_REASONS: Readonly<Record<string, string>> = {
  ENOENT: "no such file or directory",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  ENOTDIR: "a path component is not a directory",
  EISDIR: "is a directory",
  ELOOP: "too many levels of symbolic links",
  ENAMETOOLONG: "name too long",
  EMFILE: "too many open files",
  ENFILE: "too many open files",
  EIO: "input/output error",
  ENXIO: "no such device",
  ENODEV: "no such device",
  EBUSY: "busy",
};

/** A file-system error in words, with its code: "permission denied (EACCES)". */
export function fsReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (code === undefined) return e instanceof Error ? e.message : String(e);
  const words = FS_REASONS[code];
  return words ? `${words} (${code})` : code;
}

/** What a path that is neither a regular file nor a directory is: "a FIFO (named pipe)". */
export function specialFileKind(st: { isFIFO(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean; isSocket(): boolean }): string {
  if (st.isFIFO()) return "a FIFO (named pipe)";
  if (st.isCharacterDevice()) return "a character device";
  if (st.isBlockDevice()) return "a block device";
  if (st.isSocket()) return "a socket";
  return "not a regular file";
}
