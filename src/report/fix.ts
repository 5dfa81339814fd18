/**
 * `natlint fix FILE --commands`: the device change set of every proven fix, in the order to paste
 * it (pass by pass; within a pass IOS by line, ASA from the last line up so `line N` positions
 * hold), then the rollback in the reverse order.
 */
import type { FixedFinding } from "../engine/types.js";

export interface FixCommands {
  file: string;
  vendor: "ios" | "asa";
  fixes: FixedFinding[];
}

/** The fixes in paste order. */
export function pasteOrder(r: FixCommands): FixedFinding[] {
  return [...r.fixes].sort((a, b) => a.pass - b.pass || (r.vendor === "asa" ? b.line - a.line : a.line - b.line));
}

export function formatFixCommands(r: FixCommands): string {
  const order = pasteOrder(r);
  if (order.length === 0) return `! natlint fix: ${r.file}: no proven fix\n`;
  const out: string[] = [`! natlint fix: ${r.file}: ${order.length} proven fix${order.length === 1 ? "" : "es"}; paste in configuration mode, in this order`];
  order.forEach((x, i) => {
    out.push("!", `! ${i + 1}. ${x.ruleId}, line ${x.line}${x.pass > 1 ? ` (after fixes ${x.pass - 1 === 1 ? "of pass 1" : `of passes 1-${x.pass - 1}`})` : ""}: ${x.fix.describe}`, `!    proof: ${x.fix.proof.summary}`);
    out.push(x.fix.commands.trimEnd());
  });
  out.push("!", "! rollback: restores the original, in this order");
  [...order].reverse().forEach((x) => {
    out.push(`! undo ${order.indexOf(x) + 1}. ${x.ruleId}, line ${x.line}`);
    out.push(x.fix.rollback.trimEnd());
  });
  return out.join("\n") + "\n";
}

export function formatFixCommandsJson(r: FixCommands): string {
  const order = pasteOrder(r);
  return (
    JSON.stringify(
      {
        file: r.file,
        fixes: order.map((x) => ({ ruleId: x.ruleId, line: x.line, pass: x.pass, describe: x.fix.describe, commands: x.fix.commands, rollback: x.fix.rollback, proof: x.fix.proof })),
        commands: order.map((x) => x.fix.commands).join(""),
        rollback: [...order].reverse().map((x) => x.fix.rollback).join(""),
      },
      null,
      2,
    ) + "\n"
  );
}
