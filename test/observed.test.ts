/**
 * Observed state (`explain --observed`, a path hop's `observed`): the parsers on real command
 * output from vendor documents, books and public parser projects (test/fixtures/observed/SOURCE
 * names the origin and licence of each file), then explanations that use the observed ports.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { explainObserved, explainPath } from "../src/api/index.js";
import { parseObserved, type ObservedState } from "../src/parse/observed.js";
import { formatIp } from "../src/model/addr.js";
import { cli } from "./helpers/cli.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const DIR = join(ROOT, "test/fixtures/observed");

function read(name: string): ObservedState {
  return parseObserved(readFileSync(join(DIR, name), "utf8"), name);
}
const ep = (e: { ip: number; port?: number }) => `${formatIp(e.ip)}${e.port !== undefined ? `:${e.port}` : ""}`;
const tr = (s: ObservedState) => s.translations.map((t) => `${t.protocol ?? "-"} ${ep(t.local)} > ${ep(t.global)}${t.remote ? ` @ ${ep(t.remote)}` : ""}`);

test("every fixture has its origin in SOURCE", () => {
  const source = readFileSync(join(DIR, "SOURCE"), "utf8");
  for (const f of ["ntc-ios-show-ip-nat-translations.raw", "ntc-asa-show-xlate.raw", "genie-iosxe-show-crypto-isakmp-sa.txt", "genie-ios-show-ip-nat-translations.txt", "genie-iosxe-show-ip-nat-translations-2.txt", "cisco-115992-asa-xlate-conn.txt", "cisco-115993-asa-show-conn.txt", "ciscopress-ios-show-crypto-isakmp-sa.txt", "ciscopress-asa-show-crypto-isakmp-sa-detail.txt", "indeni-asa-show-crypto-isakmp-sa.txt"])
    assert.ok(source.split("\n").some((l) => l.startsWith(`${f}\t`)), f);
});

test("IOS show ip nat translations (ntc-templates, genieparser)", () => {
  const ntc = read("ntc-ios-show-ip-nat-translations.raw");
  assert.equal(tr(ntc), [
    "6 10.1.0.2:51776 > 10.9.0.0:51776 @ 10.2.0.2:21",
    "6 10.1.0.2:51778 > 10.9.0.0:51778 @ 10.2.0.2:21",
    "6 10.1.0.2:56384 > 10.9.0.0:56384 @ 10.2.0.2:22",
    "1 10.1.0.2:512 > 10.9.0.0:513 @ 10.2.0.2:513",
    "6 192.168.1.12:80 > 100.95.3.180:8080",
    "- 10.1.0.2 > 10.9.0.0",
  ]);
  assert.equal(ntc.unread, []);
  assert.equal(tr(read("genie-ios-show-ip-nat-translations.txt")), ["6 192.168.2.3:53 > 192.168.1.1:514 @ 192.168.2.22:256", "6 192.168.2.2:53 > 192.168.1.1:513 @ 192.168.2.22:256", "6 192.168.2.4:53 > 192.168.1.1:512 @ 192.168.2.22:256"]);
  assert.equal(tr(read("genie-iosxe-show-ip-nat-translations-2.txt"))[0], "17 192.168.1.95:1220 > 10.1.7.2:1220 @ 10.100.20.100:53");
});

test("ASA show xlate (8.3+ PAT and NAT lines, wrapped lists) and show conn (Cisco documents 115992, 115993)", () => {
  assert.equal(tr(read("cisco-115992-asa-xlate-conn.txt")).slice(0, 2), ["6 10.20.33.2:54676 > 192.0.2.3:54676", "6 10.20.33.2:54397 > 192.0.2.3:54397"]);
  const x = read("ntc-asa-show-xlate.raw");
  // subnets and wrapped lists of twice NAT have no one address: only host-to-host lines are kept
  assert.equal(tr(x), ["- 10.90.67.2 > 10.86.94.0", "- 192.168.1.150 > 172.18.254.252"]);
  assert.equal(x.unread, []);
  const c = read("cisco-115993-asa-show-conn.txt");
  assert.equal(c.conns.map((k) => `${k.outside.iface} ${ep(k.outside)} ${k.inside.iface} ${ep(k.inside)}`), ["outside 10.107.84.210:443 dmz 10.36.103.86:53613", "outside 10.107.84.210:80 dmz 10.36.103.86:52723"]);
});

test("show crypto isakmp sa: IOS rows (genieparser, Cisco Press) and ASA blocks (Cisco Press, indeni)", () => {
  const g = read("genie-iosxe-show-crypto-isakmp-sa.txt");
  assert.equal(g.ikeSas.map((s) => `${formatIp(s.dst)} ${formatIp(s.src!)} ${s.state}`), ["100.0.10.2 100.13.220.2 QM_IDLE", "100.0.10.2 100.12.82.2 MM_NO_STATE", "100.0.10.2 100.11.106.2 QM_IDLE"], "the IPv6 section is left out");
  assert.is(g.ikeSas[1]!.status, "ACTIVE (deleted)");
  assert.equal(read("ciscopress-ios-show-crypto-isakmp-sa.txt").ikeSas.map((s) => `${formatIp(s.dst)} ${formatIp(s.src!)} ${s.state} ${s.status}`), ["192.1.1.40 192.1.1.20 QM_IDLE ACTIVE"]);
  assert.equal(read("ciscopress-asa-show-crypto-isakmp-sa-detail.txt").ikeSas.map((s) => `${formatIp(s.dst)} ${s.state}`), ["209.165.201.1 MM_ACTIVE"]);
  const i = read("indeni-asa-show-crypto-isakmp-sa.txt");
  assert.equal(i.ikeSas.map((s) => `${formatIp(s.dst)} ${s.state}`), ["62.23.139.254 MM_ACTIVE", "195.110.91.242 MM_KEY_EXCH"]);
  assert.equal(i.unread, []);
});

test("a path with observed translations: the ports the branch chose decide the verdicts", () => {
  const r = explainPath("test/fixtures/paths/observed/path.json", { cwd: ROOT });
  assert.equal(r.clients, ["192.168.100.12", "192.168.100.13"], "the observed clients");
  const out = r.sessions.filter((s) => s.direction === "outbound");
  assert.equal(out.map((s) => `${s.client} ${s.flow} ${s.hops[0]!.translated!.to.port} ${s.verdict} ${s.droppedAt?.acl ?? ""}:${s.droppedAt?.line ?? ""}`), [
    "1 IKE 1 drop INTERNET-IN:20",
    "1 NAT-T 4500 permit :",
    "2 IKE 500 permit :",
    "2 NAT-T 1024 drop CUSTOMER-IN:21",
  ]);
  // an IKE SA from the branch's address is consistent: client 2's IKE (kept 500) gets through
  assert.ok(r.notes.some((n) => /IKE SA 192\.0\.2\.2 ↔ 203\.0\.113\.10 QM_IDLE$/.test(n)), r.notes.join("\n"));
});

test("explain FILE --observed: connections from the source ports the remote NAT chose", async () => {
  const r = explainObserved("test/fixtures/paths/asa-transit/transit-asa.cfg", "test/fixtures/paths/observed/conn-transit.txt", { cwd: ROOT });
  const out = r.sessions.filter((s) => s.direction === "outbound");
  assert.equal(out.map((s) => `${s.client} ${s.flow} ${s.hops[0]!.translated!.to.port} ${s.verdict}`), ["1 NAT-T 62636 drop", "2 NAT-T 4500 permit"]);
  assert.ok(r.notes.some((n) => n.includes("line 3: the device shows this connection, although natlint drops it")));
  const j = await cli(["explain", "examples/ios-pat-broken.cfg", "--observed", "test/fixtures/observed/ntc-asa-show-xlate.raw", "--format", "json"], { cwd: ROOT });
  assert.is(j.code, 0, j.stderr);
  assert.equal((JSON.parse(j.stdout) as { sessions: unknown[] }).sessions, [], "no IPsec translation: nothing to follow");
  const none = await cli(["explain", "examples/ios-pat-broken.cfg", "--observed", "examples/ios-pat-fixed.cfg"], { cwd: ROOT });
  assert.is(none.code, 2);
  assert.match(none.stderr, /^natlint: examples\/ios-pat-fixed\.cfg: no show ip nat translations, show xlate, show conn or show crypto isakmp sa output found/);
});

test.run();
