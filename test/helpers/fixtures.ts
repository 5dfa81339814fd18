/** The lint settings a rule fixture asks for in its `! natlint-test: clients=N profile=ID` header (see test/fixtures/rules/README.md). */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export function fixtureSettings(file: string): { clients?: number; profile?: string } {
  const out: { clients?: number; profile?: string } = {};
  for (const raw of readFileSync(file, "utf8").split(/\r?\n/)) {
    const m = /^!\s*natlint-test:\s*(.*)$/.exec(raw.trim());
    if (!m) continue;
    for (const kv of m[1]!.split(/\s+/)) {
      const [k, v] = kv.split("=");
      if (k === "clients") out.clients = Number(v);
      if (k === "profile") out.profile = v!;
    }
  }
  return out;
}

/** Every example and rule fixture, relative to the checkout `root`, sorted. */
export function exampleAndFixtureFiles(root: string): string[] {
  return [
    ...readdirSync(join(root, "examples")).filter((f) => f.endsWith(".cfg")).map((f) => `examples/${f}`),
    ...readdirSync(join(root, "test/fixtures/rules"), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .flatMap((d) => readdirSync(join(root, "test/fixtures/rules", d.name)).filter((f) => f.endsWith(".cfg")).map((f) => `test/fixtures/rules/${d.name}/${f}`)),
  ].sort();
}
