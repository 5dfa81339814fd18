/**
 * Robustness on real ASA inputs: every file of the Batfish ASA test configs and the ntc-templates
 * cisco_asa samples (show output) parses without an exception; prints per-corpus figures.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import { CORPUS, needsShared } from "./helpers/shared.js";
import * as assert from "uvu/assert";
import { evaluateAcl } from "../src/acl/evaluate.js";
import { parseIp } from "../src/model/addr.js";
import { packet, type Device } from "../src/model/types.js";
import { parseAsa } from "../src/parse/asa/index.js";

const corpusTest = needsShared("corpus-asa");
const SKIP = new Set(["BUILD.bazel", "SOURCE.txt", "LICENSE"]);

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const f of readdirSync(dir).sort()) {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else if (!SKIP.has(f)) out.push(p);
  }
  return out;
}

function corpus(dir: string): string[] {
  const root = join(CORPUS, dir);
  if (!existsSync(root))
    throw new Error(`ASA corpus missing: ${root} — the shared corpus must sit at ../shared/corpus beside the repository`);
  const files = walk(root);
  if (files.length === 0) throw new Error(`ASA corpus ${root} is empty`);
  return files;
}

const parsed = new Map<string, Device>();

for (const dir of ["batfish/asa", "ntc-templates/cisco_asa"]) {
  corpusTest(`${dir}: every file parses without an exception`, () => {
    const files = corpus(dir);
    const crashes: string[] = [];
    let unrecognized = 0;
    let unmodelled = 0;
    let lines = 0;
    const top = new Map<string, number>();
    for (const f of files) {
      let d: Device;
      try {
        d = parseAsa(readFileSync(f, "utf8"), f);
      } catch (e) {
        crashes.push(`${f}: ${(e as Error).stack ?? e}`);
        continue;
      }
      parsed.set(f.slice(CORPUS.length + 1), d);
      lines += d.lineCount;
      for (const x of d.diagnostics) {
        if (x.kind === "unrecognized-syntax") unrecognized++;
        if (x.kind === "unmodelled") unmodelled++;
        const k = `${x.kind}: ${x.message.replace(/"[^"]*"/g, '"…"').replace(/\b\d+\b/g, "N")}`;
        top.set(k, (top.get(k) ?? 0) + 1);
      }
      assert.not.ok(
        d.diagnostics.some((x) => x.message.includes("internal error")),
        `${f}: ${d.diagnostics.find((x) => x.message.includes("internal error"))?.message}`,
      );
    }
    console.log(
      `  ${dir}: ${files.length} files, ${lines} lines, ${crashes.length} crashes, ${unrecognized} unrecognized-syntax, ${unmodelled} unmodelled`,
    );
    for (const [k, n] of [...top].sort((a, b) => b[1] - a[1]).slice(0, 8)) console.log(`    ${String(n).padStart(4)}  ${k}`);
    assert.equal(crashes, []);
  });
}

corpusTest("spot checks on Batfish ASA configs", () => {
  const ip = (s: string) => parseIp(s)!;
  const acl = parsed.get("batfish/asa/aclAsa")!.acls.get("acl")!;
  assert.is(evaluateAcl(acl, packet({ protocol: 6, src: ip("1.2.3.77"), dst: ip("4.3.9.9") })).action, "permit");
  assert.is(evaluateAcl(acl, packet({ protocol: 6, src: ip("1.2.4.77"), dst: ip("4.3.9.9") })).action, "deny");
  const mixed = parsed.get("batfish/asa/asa-nat-mixed")!;
  assert.equal(
    mixed.natRules.map((r) => r.section),
    ["manual", "manual", "auto", "auto", "auto", "auto", "auto", "auto", "after-auto", "after-auto"],
  );
  assert.is(parsed.get("batfish/asa/asa-filters-global")!.globalAcl?.acl, "FILTER_GLOBAL");
  assert.ok(parsed.get("batfish/asa/asa-gh-6042")!.otherMentions.has("acl_name"), "crypto map match address");
  const inline = parsed.get("batfish/asa/asa-service-object-inline")!.acls.get("ACL_ICMP")!;
  assert.is(evaluateAcl(inline, packet({ protocol: 1, src: 1, dst: 2, icmpType: 8 })).action, "permit");
  assert.is(evaluateAcl(inline, packet({ protocol: 1, src: 1, dst: 2, icmpType: 0 })).action, "deny");
});

test.run();
