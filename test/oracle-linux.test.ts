/**
 * Validates the `linux` PAT profile against a real Linux NAT: ../shared/oracles/netfilter-pat.sh
 * builds clients, a MASQUERADE/SNAT router and a server in network namespaces and prints the
 * ports the kernel assigned. Every observed port must be one the profile predicts (the kept port,
 * or a member of the predicted random set). Needs root, iproute2, iptables and python3; where they
 * are missing the test is reported as skipped (never as passed).
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { PatTable } from "../src/nat/pat.js";
import { linuxProfile } from "../src/nat/profiles.js";
import { inPorts } from "../src/model/ports.js";
import { parseIp } from "../src/model/addr.js";

const ORACLE = fileURLToPath(new URL("../../shared/oracles/netfilter-pat.sh", import.meta.url));
const has = (cmd: string) => spawnSync("sh", ["-c", `command -v ${cmd}`]).status === 0;
const why = !existsSync(ORACLE)
  ? "oracle script not found"
  : process.getuid?.() !== 0
    ? "not root"
    : !["ip", "iptables", "python3"].every(has)
      ? "iproute2, iptables or python3 missing"
      : undefined;

interface Record_ {
  client: number;
  innerSrcPort: number;
  translatedSrcPort: number;
  dstPort: number;
  replyOk: boolean;
}

function oracle(n: number, mode: string, ports: string): Record_[] {
  const r = spawnSync("bash", [ORACLE, String(n), mode, ports], { encoding: "utf8", env: { ...process.env, QUIET: "1" }, timeout: 150_000 });
  assert.is(r.status, 0, `oracle failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as Record_[];
}

/** Replays the oracle's sessions (same order) through the linux profile and checks each port. */
function check(records: Record_[]) {
  const table = new PatTable(linuxProfile, [parseIp("192.0.2.2")!]);
  const peer = parseIp("198.51.100.10")!;
  for (const r of records) {
    const t = table.allocate({ protocol: 17, insideIp: 0x0a00000a + r.client, insidePort: r.innerSrcPort, dstIp: peer, dstPort: r.dstPort })!;
    assert.ok(t, "the profile translates");
    assert.ok(r.replyOk, "the kernel NAT delivered the reply");
    if (t.port !== undefined) assert.is(r.translatedSrcPort, t.port, `client ${r.client} port ${r.innerSrcPort}: kept`);
    else assert.ok(inPorts(t.ports, r.translatedSrcPort), `client ${r.client} port ${r.innerSrcPort} → ${r.translatedSrcPort}, predicted ${JSON.stringify(t.ports)}`);
  }
}

const t = why ? test.skip : test;
if (why) console.log(`  oracle-linux: skipped (${why})`);

t("linux profile matches the kernel: MASQUERADE, 20 IKE/NAT-T clients to one server", () => {
  const recs = oracle(20, "masquerade", "500,4500");
  assert.is(recs.length, 40);
  assert.equal([recs[0]!.translatedSrcPort, recs[1]!.translatedSrcPort], [500, 4500], "the first client keeps 500/4500");
  check(recs);
});

t("linux profile matches the kernel: SNAT, low ports 123/550/600/1000/1023 (the 600–1023 band)", () => {
  check(oracle(5, "snat", "123,550,600,1000,1023"));
});

test.run();
