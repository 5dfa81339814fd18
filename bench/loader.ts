/**
 * The loader a benchmark's child process runs the TypeScript sources with: esbuild without tsx's
 * keepNames (scripts/ts-hooks.mjs), so the figures are those of the code dist/ ships rather than
 * of tsx's per-closure __name calls (about 10 % of a lint, 40 % of a parse).
 */
import { fileURLToPath } from "node:url";

export const TS_LOADER = fileURLToPath(new URL("../scripts/ts-register.mjs", import.meta.url));
