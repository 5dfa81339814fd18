// Module hooks for the test suite (registered by ./ts-register.mjs): a `.ts` source is
// transpiled on its own by esbuild (as tsx does, but without tsx's keepNames, whose __name call
// on every closure made the parser ~40 % slower under test than the shipped dist/ code), and an
// import of `./x.js` whose file does not exist resolves to `./x.ts` (the sources' NodeNext
// specifiers). Types are checked by the typecheck that runs beside the suites.
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { transform } from "esbuild";

export async function resolve(specifier, context, next) {
  if (specifier.endsWith(".js") && /^(\.|\/|file:)/.test(specifier) && context.parentURL?.startsWith("file:")) {
    const url = new URL(specifier, context.parentURL);
    if (!existsSync(fileURLToPath(url))) {
      const ts = new URL(url.href.replace(/\.js$/, ".ts"));
      if (existsSync(fileURLToPath(ts))) return { url: ts.href, format: "module", shortCircuit: true };
    }
  }
  return next(specifier, context);
}

export async function load(url, context, next) {
  if (!url.startsWith("file:") || !url.endsWith(".ts")) return next(url, context);
  const file = fileURLToPath(url);
  const { code } = await transform(await readFile(file, "utf8"), { loader: "ts", format: "esm", target: "es2022", sourcefile: file, sourcemap: "inline" });
  return { format: "module", source: code, shortCircuit: true };
}
