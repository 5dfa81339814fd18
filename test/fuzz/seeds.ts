/** The fuzzer's seeds: test/fuzz/seeds/<kind>/, and for configs also the examples and the rule fixtures. */
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.join(HERE, "..", "..");

function filesUnder(dir: string, ext: RegExp): string[] {
  const out: string[] = [];
  const stack = [dir];
  while (stack.length) {
    const d = stack.pop()!;
    let names: string[];
    try {
      names = readdirSync(d);
    } catch {
      continue; // an optional seed folder
    }
    for (const n of names.sort()) {
      const p = path.join(d, n);
      if (statSync(p).isDirectory()) stack.push(p);
      else if (ext.test(n)) out.push(p);
    }
  }
  return out;
}

/** The seeds of a kind: test/fuzz/seeds/<kind>/, and for configs the examples and rule fixtures. */
export function seedFiles(kind: string): string[] {
  const own = filesUnder(path.join(HERE, "seeds", kind), /./);
  if (kind !== "config") return own;
  return [...own, ...filesUnder(path.join(ROOT, "examples"), /\.cfg$/), ...filesUnder(path.join(ROOT, "test", "fixtures", "rules"), /\.cfg$/)];
}

