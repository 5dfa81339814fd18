/** Plain text tables with aligned columns (no trailing spaces); cells from configs are made visible (./text.ts). */
import { visible } from "./text.js";

export function table(header: string[], rawRows: string[][]): string {
  const rows = rawRows.map((r) => r.map((c) => visible(c)));
  const widths = header.map((h, i) => rows.reduce((w, r) => Math.max(w, (r[i] ?? "").length), h.length));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}
