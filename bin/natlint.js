#!/usr/bin/env node
// The natlint command. `--version` is answered here, before any of natlint is loaded.
import { readFileSync } from "node:fs";

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === "--version" || argv[0] === "-v")) {
  process.stdout.write(`${JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")).version}\n`);
} else {
  let cli;
  try {
    cli = await import("../dist/cli/main.js");
  } catch (e) {
    if (e?.code !== "ERR_MODULE_NOT_FOUND" || !String(e.message).includes("dist")) throw e;
    process.stderr.write("natlint: not built: run `npm run build` in the natlint checkout (dist/ is missing)\n");
    process.exit(2);
  }
  await cli.runCli(argv);
}
