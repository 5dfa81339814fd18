/**
 * The reference material beside the repository (`../shared`: real configs, the Linux NAT oracle).
 * A user's clone has none: tests that need it are reported as skipped, with one line saying why,
 * and the run passes. CI has it (`.ci/run` sets NATLINT_REQUIRE_SHARED=1): there a missing
 * `../shared` is a failure, so the corpus tests cannot silently stop running.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { test } from "uvu";

export const SHARED = fileURLToPath(new URL("../../../shared/", import.meta.url));
export const CORPUS = `${SHARED}corpus`;

/** `test` when `path` (under ../shared) exists, else `test.skip` after printing why. */
export type TestFn = (name: string, fn: () => void | Promise<void>) => void;

export function needsShared(suite: string, path: string = CORPUS): TestFn {
  if (existsSync(path)) return test;
  if (process.env.NATLINT_REQUIRE_SHARED === "1") throw new Error(`${suite}: ${path} is missing, but NATLINT_REQUIRE_SHARED=1 (CI) requires it`);
  console.log(`  ${suite}: skipped (${path} not found: the corpus sits beside the repository in CI, not in a user's clone)`);
  return test.skip;
}
