/** Plain text tables with aligned columns (no trailing spaces); cells from configs are made visible (./text.ts). */
import { visible } from "./text.js";

/** Linear in the cells, without a copy of the rows (a 129,024-row `simulate` table is one pass to measure and one to write). */
export function table(header: string[], rawRows: string[][]): string {
  const widths = header.map((h) => h.length);
  for (const r of rawRows)
    for (let i = 0; i < widths.length; i++) {
      const n = r[i] === undefined ? 0 : visible(r[i]!).length;
      if (n > widths[i]!) widths[i] = n;
    }
  const line = (cells: readonly string[], raw: boolean) => {
    let s = "";
    const last = cells.length - 1;
    for (let i = 0; i <= last; i++) {
      const c = raw ? visible(cells[i]!) : cells[i]!;
      s += i === last ? c : `${c.padEnd(widths[i]!)}  `;
    }
    return s.trimEnd();
  };
  const out = [line(header, false), line(widths.map((w) => "-".repeat(w)), false)];
  for (const r of rawRows) out.push(line(r, true));
  return out.join("\n");
}
