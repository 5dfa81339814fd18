/** Formatters on input-sized data: no spread of big arrays into Math.max (RangeError past ~125k elements). */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { formatStylish } from "../src/report/stylish.js";
import { table } from "../src/report/table.js";
import type { Finding } from "../src/core/finding.js";

test("stylish: 200,000 findings in one file", () => {
  const findings: Finding[] = Array.from({ length: 200_000 }, (_, i) => ({ ruleId: "r", severity: "info", file: "a.cfg", line: i + 1, message: "m" }));
  const text = formatStylish({ findings, files: [{ path: "a.cfg", vendor: "ios" }], summary: { errors: 0, warnings: 0, infos: 200_000 }, rules: [] }, { colour: false });
  assert.ok(text.includes("200000  info"));
});

test("table: 200,000 rows", () => {
  const rows = Array.from({ length: 200_000 }, (_, i) => [String(i), "x"]);
  const t = table(["n", "v"], rows);
  assert.ok(t.endsWith("199999  x"));
});

test.run();
