/**
 * `flow --flows` output written as the flows are judged: the bytes of `formatFlowText` /
 * `formatFlowJson` (./review.ts) for a batch, one flow at a time. A flow's text after the flow
 * is built once per result object (the results of one deciding line are shared).
 */
import { outcomeJson, outcomeText, type FlowOutcome } from "./review.js";

export interface FlowStreamFormat {
  /** What comes before the first flow. */
  head(): string;
  /** One flow (as written) and its outcome. */
  item(flow: string, outcome: FlowOutcome): string;
  /** What comes after the last flow. */
  tail(): string;
}

export function flowStreamFormat(acl: string, format: "text" | "json"): FlowStreamFormat {
  const after = new Map<FlowOutcome, string>();
  let count = 0;
  if (format === "text")
    return {
      head: () => "",
      item(flow, x) {
        let s = after.get(x);
        if (s === undefined) after.set(x, (s = outcomeText(acl, x)));
        return `${flow}  ${s}`;
      },
      tail: () => "",
    };
  // JSON.stringify(…, null, 2) of `{acl, results: [{flow, …outcome}]}`: a result is its own
  // stringify with every line indented by the 4 spaces of its depth
  return {
    head: () => `{\n  "acl": ${JSON.stringify(acl)},\n  "results": [`,
    item(flow, x) {
      let s = after.get(x);
      if (s === undefined) after.set(x, (s = JSON.stringify(outcomeJson(x), null, 2).slice(1).replace(/\n/g, "\n    ")));
      return `${count++ ? "," : ""}\n    {\n      "flow": ${JSON.stringify(flow)},${s}`;
    },
    tail: () => (count ? "\n  ]\n}\n" : "]\n}\n"),
  };
}
