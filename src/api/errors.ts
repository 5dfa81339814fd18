/** natlint's error kinds and the size formatter, for the command line's entry point without loading the library (./index.ts re-exports the same). */
export { NatlintError, InputError, ConfigError, fsReason } from "../core/errors.js";
export { formatBytes } from "../core/limits.js";
