/** Terminal colours with util.styleText, only when the stream is a terminal and NO_COLOR is unset. */
import { styleText } from "node:util";

export type Style = Parameters<typeof styleText>[0];

export function styler(enabled: boolean): (style: Style, text: string) => string {
  if (!enabled) return (_s, t) => t;
  return (s, t) => styleText(s, t);
}

/** Colours for standard output: `NO_COLOR` (non-empty) turns them off, `FORCE_COLOR` on, else only on a terminal. */
export function colourWanted(out: { env: Readonly<Record<string, string | undefined>>; stdoutIsTTY: boolean }): boolean {
  const { NO_COLOR, FORCE_COLOR } = out.env;
  if (NO_COLOR !== undefined && NO_COLOR !== "") return false;
  if (FORCE_COLOR !== undefined && FORCE_COLOR !== "0") return true;
  return out.stdoutIsTTY;
}
