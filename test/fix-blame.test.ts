/**
 * A fix whose new line shadows a line below it (a new finding on a line no fix wrote) is named by
 * that finding's blockers: it is tried alone and refused, and the file's other fixes are proven
 * without it, in three analyses of the file instead of a halving down to it.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { parseConfig } from "../src/parse/index.js";
import { proveFile } from "../src/engine/fix.js";
import { runRules } from "../src/engine/checks-run.js";
import { loadBuiltinRules } from "../src/engine/rules.js";
import type { Device } from "../src/model/types.js";

const HOSTS = 8;
const text = [
  "hostname r",
  "interface GigabitEthernet0/0",
  " ip address 198.51.100.1 255.255.255.0",
  " ip access-group EDGE in",
  "ip access-list extended EDGE",
  ...Array.from({ length: HOSTS }, (_, i) => ` permit udp any host 192.0.2.${i + 1} eq isakmp`),
  // NAT-T from one peer only: the fix for 192.0.2.3 (NAT-T from any) shadows this line
  " permit udp host 203.0.113.11 host 192.0.2.3 eq non500-isakmp",
  " deny ip any any log",
  "",
].join("\n");

test("the fix a new shadowed line names is tried alone and refused; the others are proven without it", () => {
  const { device } = parseConfig(text, "edge.cfg");
  const rules = loadBuiltinRules();
  let analyses = 0;
  const lintDevice = (d: Device) => {
    analyses++;
    return runRules(d, rules, { clients: 3 });
  };
  const raw = lintDevice(device);
  const missing = raw.filter((f) => f.ruleId === "ipsec-nat-t-missing");
  assert.is(missing.length, HOSTS, JSON.stringify(raw.map((f) => [f.ruleId, f.line])));
  analyses = 0;
  const r = proveFile({ file: "edge.cfg", vendor: "ios", text, device, raw, lint: lintDevice }, missing);
  const culprit = missing.find((f) => f.source?.includes("192.0.2.3 "))!;
  assert.ok(culprit);
  assert.is(r.fixes.size, HOSTS - 1);
  assert.not.ok(r.fixes.has(culprit));
  const why = r.refused.get(culprit) ?? "(none)";
  assert.match(why, /^a new finding: shadowed-line on line 15: line 15 "permit udp host 203\.0\.113\.11 host 192\.0\.2\.3 eq non500-isakmp" can never match/, why);
  // every batch: all fixes, the named one alone, the others (halving took 2 per level down to it)
  assert.is(analyses, 3);
  assert.match(r.output, /permit udp any host 192\.0\.2\.8 eq non500-isakmp/);
  assert.not.match(r.output, /permit udp any host 192\.0\.2\.3 eq non500-isakmp/);
});

test.run();
