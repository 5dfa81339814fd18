/**
 * Differential test against Capirca (Google's multi-platform ACL generator; Debian's
 * python3-capirca): random policies of our own (test/helpers/capirca-gen.ts, seeded) are rendered
 * by Capirca's `cisco` (extended, numbered and standard) and `ciscoasa` generators, and every flow
 * is evaluated by `natlint flow` (in process) on the rendered ACL and by Capirca's flow checker
 * (capirca.lib.aclcheck) on the policy: the actions must agree, 100%. The rendered files must also
 * read cleanly: the right vendor detected, no unrecognized-syntax, unmodelled-feature or
 * unsupported-input finding.
 *
 * What aclcheck does not decide exactly is not generated: address excludes (it ignores them), ICMP
 * types (ignored), TCP options such as established (only a "possible" match). Standard ACL terms
 * use `address::`, which aclcheck does not read, so the oracle checks a copy that says
 * `source-address::` (test/helpers/capirca_oracle.py). Capirca's own rendering bugs found on the
 * way are pinned in the last test, each with what natlint reports for it.
 *
 * Default size: 5 policies (16 with NATLINT_SLOW_TESTS=1, as in CI), 2 seeds, 160 flows each; NATLINT_CAPIRCA_POLICIES and
 * NATLINT_CAPIRCA_FLOWS make it bigger, NATLINT_CAPIRCA_SEED changes the seed.
 * Skipped (one line, why) where /usr/bin/python3 has no capirca (.ci/run installs it, best effort).
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { lint } from "../src/api/index.js";
import { cli } from "./helpers/cli.js";
import { flowText, generate, type GenPolicy } from "./helpers/capirca-gen.js";

const PY = "/usr/bin/python3";
const ORACLE = fileURLToPath(new URL("./helpers/capirca_oracle.py", import.meta.url));
const probe = spawnSync(PY, ["-c", "import capirca.lib.aclcheck, capirca.lib.cisco, capirca.lib.ciscoasa"], { encoding: "utf8" });
const why = probe.error ? `${PY} not found` : probe.status !== 0 ? "capirca is not installed for /usr/bin/python3 (apt-get install python3-capirca)" : undefined;
const t = why ? test.skip : test;
if (why) console.log(`  capirca: skipped (${why})`);

interface OracleOut {
  policies?: Array<{ name: string; outputs: Record<string, string>; actions: Array<string | null> }>;
  error?: string;
}

function oracle(defs: string, policies: ReadonlyArray<Pick<GenPolicy, "name" | "text" | "targets" | "flows">>): NonNullable<OracleOut["policies"]> {
  const r = spawnSync(PY, [ORACLE], { input: JSON.stringify({ defs, policies }), encoding: "utf8", maxBuffer: 256 * 1024 * 1024, timeout: 120_000 });
  const out = JSON.parse(r.stdout || "{}") as OracleOut;
  assert.ok(r.status === 0 && out.policies, `capirca oracle failed: ${out.error ?? r.stderr}`);
  return out.policies!;
}

const SEED = Number(process.env.NATLINT_CAPIRCA_SEED ?? 9);
// CI (NATLINT_SLOW_TESTS=1, as .ci/run sets) runs 16 policies
const POLICIES = Number(process.env.NATLINT_CAPIRCA_POLICIES ?? (process.env.NATLINT_SLOW_TESTS === "1" ? 16 : 5));
const FLOWS = Number(process.env.NATLINT_CAPIRCA_FLOWS ?? 160);

const EXT: Record<string, string> = { cisco: "acl", ciscoasa: "asa" };
const VENDOR: Record<string, string> = { cisco: "ios", ciscoasa: "asa" };

t(`natlint flow = Capirca aclcheck on random policies rendered by the cisco and ciscoasa generators (seed ${SEED})`, async () => {
  const tmp = mkdtempSync(join(tmpdir(), "natlint-capirca-"));
  const defs = join(tmp, "def");
  mkdirSync(defs);
  let flows = 0;
  const agree: Record<string, number> = { cisco: 0, ciscoasa: 0 };
  const bad: string[] = [];
  for (const seed of [SEED, SEED + 1]) {
    const gen = generate(seed, POLICIES, FLOWS);
    writeFileSync(join(defs, "NETWORK.net"), gen.network);
    writeFileSync(join(defs, "SERVICES.svc"), gen.services);
    const results = oracle(defs, gen.policies);
    for (const [i, pol] of gen.policies.entries()) {
      const res = results[i]!;
      const flowFile = join(tmp, `${pol.name}.flows`);
      writeFileSync(flowFile, pol.flows.map(flowText).join("\n") + "\n");
      flows += pol.flows.length;
      for (const target of pol.targets) {
        const file = join(tmp, `${pol.name}.${EXT[target]}`);
        writeFileSync(file, res.outputs[target]!);
        const acl = pol.acl[target]!;
        const linted = await lint({ patterns: [file], cwd: tmp, config: false });
        assert.is(linted.files[0]!.vendor, VENDOR[target], `${pol.name}.${EXT[target]}: ${linted.files[0]!.vendorReason}`);
        const noisy = linted.findings.filter((f) => ["unrecognized-syntax", "unmodelled-feature", "unsupported-input"].includes(f.ruleId));
        assert.equal(noisy.map((f) => `${f.line}: ${f.message}`), [], `${pol.name}.${EXT[target]} reads cleanly`);
        const r = await cli(["flow", file, "--acl", acl, "--flows", flowFile, "--format", "json"], { cwd: tmp });
        assert.is(r.code, 0, `${pol.name}.${EXT[target]}: ${r.stderr}`);
        const got = (JSON.parse(r.stdout) as { results: Array<{ flow: string; action: string; line: number | null }> }).results;
        got.forEach((g, j) => {
          const want = res.actions[j] === "accept" ? "permit" : "deny";
          if (g.action === want) agree[target]!++;
          else if (bad.length < 20) bad.push(`${pol.name}.${EXT[target]} ${acl}: "${g.flow}" natlint ${g.action} (line ${g.line}), aclcheck ${res.actions[j] ?? "no match"}\n${pol.text}`);
        });
      }
    }
  }
  rmSync(tmp, { recursive: true, force: true });
  console.log(`  capirca: ${POLICIES * 2} policies, ${flows} flows; agreement cisco ${agree.cisco}, ciscoasa ${agree.ciscoasa} flows`);
  assert.equal(bad, []);
  assert.ok(agree.cisco! >= flows && agree.ciscoasa! > 0, "every flow was compared");
});

t("Capirca's own rendering bugs are reported by natlint, not read silently", async () => {
  const tmp = mkdtempSync(join(tmpdir(), "natlint-capirca-bugs-"));
  const defs = join(tmp, "def");
  mkdirSync(defs);
  writeFileSync(join(defs, "NETWORK.net"), "LAN = 10.0.0.0/8\n");
  writeFileSync(join(defs, "SERVICES.svc"), "WEB = 80/tcp\n");
  // 1. a protocol number: the cisco generator prints "permit None any any" (Capirca 2.0.6)
  // 2. vrrp: the ciscoasa generator prints "vrrp", which is not an ASA protocol keyword
  const text = "header {\n  target:: cisco BUGS extended\n  target:: ciscoasa BUGS\n}\nterm num {\n  protocol:: 112\n  action:: accept\n}\nterm v {\n  protocol:: vrrp\n  action:: accept\n}\n";
  const [res] = oracle(defs, [{ name: "bugs", text, targets: ["cisco", "ciscoasa"], flows: [] }]);
  const ios = join(tmp, "bugs.acl");
  const asa = join(tmp, "bugs.asa");
  writeFileSync(ios, res!.outputs.cisco!);
  writeFileSync(asa, res!.outputs.ciscoasa!);
  assert.match(res!.outputs.cisco!, "permit None any any");
  const r = await lint({ patterns: [ios, asa], cwd: tmp, config: false });
  const syntax = r.findings.filter((f) => f.ruleId === "unrecognized-syntax").map((f) => `${f.file.slice(f.file.lastIndexOf("/") + 1)}: ${f.source}`);
  assert.equal(syntax, ["bugs.acl: permit None any any", "bugs.asa: access-list BUGS extended permit vrrp any any"]);
  rmSync(tmp, { recursive: true, force: true });
});

test.run();
