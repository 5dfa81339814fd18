/**
 * The Capirca differential (test/capirca.test.ts) on IPv6 and mixed policies: random inet6 and
 * mixed policies (test/helpers/capirca-gen.ts generate6, seeded) are rendered by Capirca's `cisco`
 * generator (inet6: one `ipv6 access-list NAME`; mixed: `ip access-list extended NAME` and
 * `ipv6 access-list ipv6-NAME`) and, for mixed ones, as one ASA 9 unified ACL by Capirca's
 * ciscoasa.Term per address family (test/helpers/capirca_oracle.py); every flow (IPv6, and IPv4
 * in mixed policies) is evaluated by `natlint flow` on the rendered ACL of its family and by
 * Capirca's aclcheck on the policy: 100% agreement, and the rendered files read cleanly.
 *
 * One divergence is by design: when no term of a policy has IPv6 addresses that fit, Capirca
 * renders an IPv6 ACL without entries, and IOS applies the implicit ND permits and final deny
 * only to an IPv6 ACL with at least one entry (Cisco IOS IPv6 Command Reference, `ipv6
 * access-list`, usage guidelines): such an ACL permits everything, where aclcheck says the policy
 * denies. Those flows are expected to be permitted (and counted).
 *
 * Default size: 3 policies (8 with NATLINT_SLOW_TESTS=1, as in CI) x 2 seeds, 100 flows each; NATLINT_CAPIRCA_POLICIES,
 * NATLINT_CAPIRCA_FLOWS and NATLINT_CAPIRCA_SEED as in the IPv4 test.
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
import { flowText, generate6, isV6Flow, type Flow } from "./helpers/capirca-gen.js";

const PY = "/usr/bin/python3";
const ORACLE = fileURLToPath(new URL("./helpers/capirca_oracle.py", import.meta.url));
const probe = spawnSync(PY, ["-c", "import capirca.lib.aclcheck, capirca.lib.cisco, capirca.lib.ciscoasa"], { encoding: "utf8" });
const why = probe.error ? `${PY} not found` : probe.status !== 0 ? "capirca is not installed for /usr/bin/python3 (apt-get install python3-capirca)" : undefined;
const t = why ? test.skip : test;
if (why) console.log(`  capirca6: skipped (${why})`);

interface OraclePolicy {
  name: string;
  outputs: Record<string, string>;
  actions: Array<string | null>;
}

function oracle(defs: string, policies: unknown[]): OraclePolicy[] {
  const r = spawnSync(PY, [ORACLE], { input: JSON.stringify({ defs, policies }), encoding: "utf8", maxBuffer: 256 * 1024 * 1024, timeout: 120_000 });
  const out = JSON.parse(r.stdout || "{}") as { policies?: OraclePolicy[]; error?: string };
  assert.ok(r.status === 0 && out.policies, `capirca oracle failed: ${out.error ?? r.stderr}`);
  return out.policies!;
}

const SEED = Number(process.env.NATLINT_CAPIRCA_SEED ?? 9);
// CI (NATLINT_SLOW_TESTS=1, as .ci/run sets) runs 8 policies
const POLICIES = Number(process.env.NATLINT_CAPIRCA_POLICIES ?? (process.env.NATLINT_SLOW_TESTS === "1" ? 8 : 3));
const FLOWS = Number(process.env.NATLINT_CAPIRCA_FLOWS ?? 100);

t(`natlint flow = Capirca aclcheck on random inet6 and mixed policies (cisco, ciscoasa unified; seed ${SEED})`, async () => {
  const tmp = mkdtempSync(join(tmpdir(), "natlint-capirca6-"));
  const defs = join(tmp, "def");
  mkdirSync(defs);
  const agree: Record<string, number> = { ios6: 0, ios4: 0, asa6: 0, asa4: 0 };
  let flows = 0;
  let emptyV6 = 0;
  const bad: string[] = [];
  for (const seed of [SEED, SEED + 1]) {
    const gen = generate6(seed, POLICIES, FLOWS);
    writeFileSync(join(defs, "NETWORK.net"), gen.network);
    writeFileSync(join(defs, "SERVICES.svc"), gen.services);
    const results = oracle(
      defs,
      gen.policies.map((p) => ({ name: p.name, text: p.text, targets: p.targets, flows: p.flows, asa_mixed: p.family === "mixed" })),
    );
    for (const [i, pol] of gen.policies.entries()) {
      const res = results[i]!;
      flows += pol.flows.length;
      const want = pol.flows.map((_, j) => (res.actions[j] === "accept" ? "permit" : "deny"));
      // one run of `natlint flow` per ACL over the flows it filters
      const runs: Array<{ target: "cisco" | "ciscoasa"; acl: string; key: string; pick: (f: Flow) => boolean }> = [{ target: "cisco", acl: pol.acl.cisco6, key: "ios6", pick: isV6Flow }];
      if (pol.acl.cisco4) runs.push({ target: "cisco", acl: pol.acl.cisco4, key: "ios4", pick: (f) => !isV6Flow(f) });
      if (pol.acl.ciscoasa) {
        runs.push({ target: "ciscoasa", acl: pol.acl.ciscoasa, key: "asa6", pick: isV6Flow });
        runs.push({ target: "ciscoasa", acl: pol.acl.ciscoasa, key: "asa4", pick: (f) => !isV6Flow(f) });
      }
      for (const target of pol.targets) {
        const file = join(tmp, `${pol.name}.${target === "cisco" ? "acl" : "asa"}`);
        writeFileSync(file, res.outputs[target]!);
        const linted = await lint({ patterns: [file], cwd: tmp, config: false });
        assert.is(linted.files[0]!.vendor, target === "cisco" ? "ios" : "asa", `${file}: ${linted.files[0]!.vendorReason}`);
        const noisy = linted.findings.filter((f) => ["unrecognized-syntax", "unmodelled-feature", "unsupported-input", "config-note"].includes(f.ruleId));
        assert.equal(noisy.map((f) => `${f.line}: ${f.message}`), [], `${pol.name} (${target}) reads cleanly:\n${res.outputs[target]}`);
      }
      for (const run of runs) {
        const idx = pol.flows.flatMap((f, j) => (run.pick(f) ? [j] : []));
        if (idx.length === 0) continue;
        const file = join(tmp, `${pol.name}.${run.target === "cisco" ? "acl" : "asa"}`);
        const flowFile = join(tmp, `${pol.name}.${run.key}.flows`);
        writeFileSync(flowFile, idx.map((j) => flowText(pol.flows[j]!)).join("\n") + "\n");
        // an IPv6 ACL with no entry filters nothing on IOS (see the header)
        const body = res.outputs.cisco!.split(`\nipv6 access-list ${pol.acl.cisco6}\n`)[1]?.split("\nexit")[0] ?? "";
        const empty6 = run.key === "ios6" && !/^\s*(permit|deny)\s/m.test(body);
        if (empty6) emptyV6 += idx.length;
        const r = await cli(["flow", file, "--acl", run.acl, "--flows", flowFile, "--format", "json"], { cwd: tmp });
        assert.is(r.code, 0, `${pol.name} ${run.acl}: ${r.stderr}`);
        const got = (JSON.parse(r.stdout) as { results: Array<{ flow: string; action: string; line: number | null }> }).results;
        assert.is(got.length, idx.length);
        got.forEach((g, k) => {
          const j = idx[k]!;
          if (g.action === (empty6 ? "permit" : want[j])) agree[run.key]!++;
          else if (bad.length < 20) bad.push(`${pol.name} ${run.acl}: "${g.flow}" natlint ${g.action} (line ${g.line}), aclcheck ${res.actions[j] ?? "no match"}\n${pol.text}\n${res.outputs[run.target]}`);
        });
      }
    }
  }
  rmSync(tmp, { recursive: true, force: true });
  console.log(`  capirca6: ${POLICIES * 2} policies, ${flows} flows; agreement ios6 ${agree.ios6}, ios4 ${agree.ios4}, asa6 ${agree.asa6}, asa4 ${agree.asa4} flows (${emptyV6} IPv6 flows through an IPv6 ACL without entries)`);
  assert.equal(bad, []);
  assert.ok(agree.ios6! + agree.ios4! === flows && agree.asa6! > 0 && agree.asa4! > 0, "every flow was compared");
});

t("Capirca's IPv6 rendering bugs are reported by natlint, not read silently", async () => {
  const tmp = mkdtempSync(join(tmpdir(), "natlint-capirca6-bugs-"));
  const defs = join(tmp, "def");
  mkdirSync(defs);
  writeFileSync(join(defs, "NETWORK.net"), "LAN6 = 2001:db8::/32\n");
  writeFileSync(join(defs, "SERVICES.svc"), "WEB = 80/tcp\n");
  // 1. the cisco generator prints IPv4 protocol names in IPv6 ACLs ("deny gre …"), which IOS
  //    rejects there (Cisco IOS IPv6 Command Reference, permit (IPv6): ahp, esp, hbh, icmp, ipv6,
  //    pcp, sctp, tcp, udp or a number)
  // 2. the ciscoasa Term prints "icmpv6" for ICMPv6, which is not an ASA protocol keyword (icmp6)
  const text = "header {\n  target:: cisco B6 inet6\n  target:: ciscoasa AB6\n}\nterm g {\n  source-address:: LAN6\n  protocol:: gre\n  action:: deny\n}\nterm i {\n  source-address:: LAN6\n  protocol:: icmpv6\n  action:: accept\n}\n";
  const [res] = oracle(defs, [{ name: "bugs6", text, targets: ["cisco", "ciscoasa"], flows: [], asa_mixed: true }]);
  const ios = join(tmp, "bugs6.acl");
  const asa = join(tmp, "bugs6.asa");
  writeFileSync(ios, res!.outputs.cisco!);
  writeFileSync(asa, res!.outputs.ciscoasa!);
  const r = await lint({ patterns: [ios, asa], cwd: tmp, config: false });
  const syntax = r.findings.filter((f) => f.ruleId === "unrecognized-syntax").map((f) => `${f.file.slice(f.file.lastIndexOf("/") + 1)}: ${f.source}`);
  assert.equal(syntax, ["bugs6.acl: deny gre 2001:db8::/32 any", "bugs6.asa: access-list AB6 extended permit icmpv6 2001:db8::/32 any"]);
  rmSync(tmp, { recursive: true, force: true });
});

test.run();
