#!/usr/bin/env node
// `npm run build` and the `prepare` script: tsc, with its output on stderr, so that
// `npm pack --silent` prints nothing but the tarball's name even when the build fails.
// `prepare` (not `prepack`) because npm runs only `prepare` when it installs natlint from git
// (pacote's DirFetcher: "we *only* run prepare"), as the pre-commit framework does.
//
// A global install from git (`npm install -g git+…`, what pre-commit 4.6.1 and later run) hands
// `npm_config_global=true` down to the install of natlint's own dependencies in its clone, so
// they land in the global prefix and TypeScript is missing here: then install them locally first.
import { existsSync, rmSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const tsc = fileURLToPath(new URL("../node_modules/typescript/bin/tsc", import.meta.url));
if (!existsSync(tsc)) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_config_(global|prefix|location)$/i.test(k)));
  const npm = process.env.npm_execpath
    ? [process.execPath, [process.env.npm_execpath]]
    : [process.platform === "win32" ? "npm.cmd" : "npm", []];
  const args = [...npm[1], "install", "--no-save", "--no-audit", "--no-fund", "--ignore-scripts", "--include=dev", "--location=project"];
  const i = spawnSync(npm[0], args, { cwd: root, stdio: ["ignore", 2, 2], env });
  if (i.status !== 0 || !existsSync(tsc)) {
    process.stderr.write("natlint build: TypeScript is not installed (npm install --include=dev)\n");
    process.exit(1);
  }
}
// a clean dist/: files of modules that were moved or removed must not ship
rmSync(new URL("../dist", import.meta.url), { recursive: true, force: true });
const r = spawnSync(process.execPath, [tsc, "-p", "tsconfig.json"], { cwd: root, stdio: ["ignore", 2, 2] });
process.exit(r.status ?? 1);
