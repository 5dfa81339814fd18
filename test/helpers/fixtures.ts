/** The lint settings a rule fixture asks for in its `! natlint-test: clients=N profile=ID` header (see test/fixtures/rules/README.md). */
import { readFileSync } from "node:fs";

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
