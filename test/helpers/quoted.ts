/** Quoted command output in the README and the doc pages, compared with what natlint prints. */

/** Runs of blanks as one space, trimmed. */
export const squash = (x: string): string => x.replace(/\s+/g, " ").trim();

/** A quoted line matches an output line (already squashed), spacing aside; "…" in it stands for any text. */
export function sameLine(quoted: string, line: string): boolean {
  const parts = squash(quoted).split("…").map((p) => p.trim());
  if (parts.length === 1) return parts[0] === line;
  let at = 0;
  for (const [k, p] of parts.entries()) {
    const i = k === 0 ? (line.startsWith(p) ? 0 : -1) : line.indexOf(p, at);
    if (i < 0) return false;
    at = i + p.length;
  }
  return line.endsWith(parts[parts.length - 1]!);
}
