/** The findings JSON of a config with the ACL restriction on or off (src/acl/restrict.ts `restriction`), for the differential tests. */
import { lintText } from "../../src/api/index.js";
import { restriction } from "../../src/acl/restrict.js";
import type { loadBuiltinRules } from "../../src/engine/rules.js";

export async function findingsWith(text: string, name: string, rules: ReturnType<typeof loadBuiltinRules>, on: boolean): Promise<string> {
  restriction.enabled = on;
  try {
    const r = await lintText(text, { filename: name, config: false, rules });
    return JSON.stringify(r.findings, null, 1);
  } finally {
    restriction.enabled = true;
  }
}
