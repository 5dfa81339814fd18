/** Terminal colours with util.styleText, only when the stream is a terminal and NO_COLOR is unset. */
import { styleText } from "node:util";

export type Style = Parameters<typeof styleText>[0];

export function styler(enabled: boolean): (style: Style, text: string) => string {
  if (!enabled) return (_s, t) => t;
  return (s, t) => styleText(s, t);
}

export function colourWanted(stream: NodeJS.WriteStream): boolean {
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== "") return false;
  if (process.env.FORCE_COLOR !== undefined && process.env.FORCE_COLOR !== "0") return true;
  return stream.isTTY === true;
}
