#!/usr/bin/env node
// `npm run build` and the `prepare` script: tsc, with its output on stderr, so that
// `npm pack --silent` prints nothing but the tarball's name even when the build fails.
// `prepare` (not `prepack`) because npm runs only `prepare` when it installs natlint from git
// (pacote's DirFetcher: "we *only* run prepare"), as the pre-commit framework does.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const tsc = fileURLToPath(new URL("../node_modules/typescript/bin/tsc", import.meta.url));
const r = spawnSync(process.execPath, [tsc, "-p", "tsconfig.json"], { cwd: root, stdio: ["ignore", 2, 2] });
process.exit(r.status ?? 1);
