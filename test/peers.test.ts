/**
 * Every peer, the device's own IKE, and per-device settings: peers come from the config (crypto
 * map `set peer`, `tunnel destination`, Easy VPN `peer` — the device's own — and every host an ACL
 * matches on udp 500/4500 — the clients'), each is simulated on its own, and the findings do not
 * move when unrelated lines are added, removed or reordered.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { explain, lint, lintText, printConfig, type Finding } from "../src/api/index.js";

const FX = fileURLToPath(new URL("./fixtures/rules/pat-drops-ipsec/", import.meta.url));
const EX = fileURLToPath(new URL("../examples/", import.meta.url));
const base = readFileSync(FX + "site-to-site-and-ra.cfg", "utf8");

function edit(text: string, edits: Array<[string, string]>): string {
  for (const [a, b] of edits) {
    assert.ok(text.includes(a), `edit: ${a}`);
    text = text.replace(a, b);
  }
  return text;
}
/** Findings keyed by the text of their line, so moved lines compare equal. */
async function keyed(text: string): Promise<string[]> {
  const r = await lintText(text, { filename: "r.cfg", config: false });
  return r.findings.map((f: Finding) => `${f.ruleId} | ${f.source} | ${f.message.replace(/line \d+/g, "line N")}`).sort();
}

test("findings are the same when unrelated lines are added, removed or reordered", async () => {
  const want = await keyed(base);
  assert.ok(want.filter((k) => k.startsWith("pat-drops-ipsec")).length === 4, want.join("\n"));
  const variants: Record<string, string> = {
    "an unrelated ACL line first": edit(base, [["ip access-list extended OUTSIDE-OUT\n", "ip access-list extended OUTSIDE-OUT\n permit tcp host 192.0.2.2 any eq 22\n"]]),
    "an unrelated interface and description": edit(base, [["interface GigabitEthernet0/0\n", "interface Loopback0\n ip address 10.255.255.1 255.255.255.255\ninterface GigabitEthernet0/0\n description LAN\n"]]),
    "the ESP line removed": edit(base, [[" permit esp host 198.51.100.7 host 192.0.2.2\n", ""]]),
    "the https line removed": edit(base, [[" permit tcp host 192.0.2.2 any eq 443\n", ""]]),
    "the ACLs in the other order": (() => {
      const out = base.slice(base.indexOf("ip access-list extended OUTSIDE-OUT"), base.indexOf("ip access-list extended OUTSIDE-IN"));
      return base.replace(out, "") + out;
    })(),
    "the crypto map block after the interfaces": (() => {
      const cm = base.slice(base.indexOf("crypto map VPN 10"), base.indexOf("interface GigabitEthernet0/0"));
      return base.replace(cm, "") + cm;
    })(),
    "the site-to-site lines after the head-end's": edit(
      base,
      [[" permit udp host 192.0.2.2 eq isakmp host 198.51.100.7 eq isakmp\n permit udp host 192.0.2.2 eq non500-isakmp host 198.51.100.7 eq non500-isakmp\n", ""]],
    ).replace(" permit tcp host 192.0.2.2 any eq 443\n", " permit tcp host 192.0.2.2 any eq 443\n permit udp host 192.0.2.2 eq isakmp host 198.51.100.7 eq isakmp\n permit udp host 192.0.2.2 eq non500-isakmp host 198.51.100.7 eq non500-isakmp\n"),
  };
  for (const [name, text] of Object.entries(variants)) assert.equal(await keyed(text), want, name);
});

test("a line for another peer adds that peer's findings and leaves the others' untouched", async () => {
  const want = await keyed(base);
  const text = edit(base, [["ip access-list extended OUTSIDE-OUT\n", "ip access-list extended OUTSIDE-OUT\n permit udp host 192.0.2.2 eq isakmp host 203.0.113.99 eq isakmp\n"]]);
  const got = await keyed(text);
  const added = got.filter((k) => !want.includes(k));
  assert.equal(want.filter((k) => !got.includes(k)), [], "no finding of the untouched lines changed");
  const line = "permit udp host 192.0.2.2 eq isakmp host 203.0.113.99 eq isakmp";
  assert.ok(added.every((k) => k.includes(`| ${line} |`)), added.join("\n"));
  assert.ok(added.some((k) => k.startsWith("pat-drops-ipsec") && /to 203\.0\.113\.99/.test(k)), added.join("\n"));
  const r = explain("r.cfg", { text });
  assert.equal(r.nat[0]!.peers, ["203.0.113.10", "203.0.113.99"], "both client peers, by address; the router's own peer is not one");
  assert.ok(r.sessions.every((s) => s.peer.ip !== "198.51.100.7"));
  assert.ok(r.notes.some((n) => /198\.51\.100\.7 is the device's own IKE peer/.test(n)));
});

test("a line that drops the same sessions for several peers says it once, naming the peers by address", async () => {
  const text = [
    "hostname r",
    "interface GigabitEthernet0/0",
    " ip address 192.168.1.1 255.255.255.0",
    " ip nat inside",
    "interface GigabitEthernet0/1",
    " ip address 192.0.2.2 255.255.255.0",
    " ip nat outside",
    " ip access-group IN in",
    "ip nat inside source list 1 interface GigabitEthernet0/1 overload",
    "access-list 1 permit 192.168.1.0 0.0.0.255",
    "ip access-list extended IN",
    " permit udp any eq isakmp host 192.0.2.2 eq isakmp",
    " permit udp host 203.0.113.10 eq non500-isakmp any gt 1023",
    " permit udp host 198.51.100.50 eq non500-isakmp any gt 1023",
    " deny ip any any",
  ].join("\n");
  const r = await lintText(text, { filename: "r.cfg", config: false });
  const f = r.findings.filter((x) => x.ruleId === "pat-drops-ipsec");
  assert.is(f.length, 1, f.map((x) => x.message).join("\n"));
  assert.match(f[0]!.message, /^PAT drops IKE replies from 198\.51\.100\.50, 203\.0\.113\.10 to clients 2, 3 of 3: /);
  assert.is(f[0]!.message.split("replies from").length, 2, "said once");
  const peers = (f[0]!.details as { sessions: Array<{ peer: string }> }).sessions.map((s) => s.peer);
  assert.equal([...new Set(peers)].sort(), ["198.51.100.50", "203.0.113.10"], "details keep one session per peer");
});

test("the device's own IKE on its PAT address is reserved before allocation, and said: crypto map, tunnel protection, Easy VPN, ASA ikev2", () => {
  const cm = explain("r.cfg", { text: base });
  assert.equal(cm.nat[0]!.ownIke, [{ ip: "192.0.2.2", line: 21, what: "crypto map VPN on GigabitEthernet0/1" }]);
  const ports = cm.sessions.filter((s) => s.direction === "outbound").map((s) => s.translated!.port);
  assert.equal(ports, [1, 1024, 2, 1025, 3, 1026], "client 1 does not get 500/4500");
  assert.ok(cm.notes.some((n) => /udp\/500 and udp\/4500 on 192\.0\.2\.2 are the device's own IKE/.test(n)));
  const broken = readFileSync(EX + "ios-pat-broken.cfg", "utf8");
  const dmvpn = edit(broken, [["ip route 0.0.0.0", "interface Tunnel0\n ip address 10.0.0.2 255.255.255.0\n tunnel source GigabitEthernet0/1\n tunnel destination 198.51.100.1\n tunnel protection ipsec profile DMVPN\nip route 0.0.0.0"]]);
  const t = explain("d.cfg", { text: dmvpn });
  assert.match(t.nat[0]!.ownIke[0]!.what, /tunnel protection on Tunnel0 \(tunnel source GigabitEthernet0\/1\)/);
  assert.is(session0(t), 1);
  assert.ok(t.notes.some((n) => /198\.51\.100\.1 is the device's own IKE peer \(tunnel destination of Tunnel0/.test(n)));
  const ez = edit(broken, [["interface GigabitEthernet0/1\n", "crypto ipsec client ezvpn EZ\n connect auto\n peer 198.51.100.2\n mode client\ninterface GigabitEthernet0/1\n crypto ipsec client ezvpn EZ\n"]]);
  const e = explain("e.cfg", { text: ez });
  assert.match(e.nat[0]!.ownIke[0]!.what, /Easy VPN remote EZ on GigabitEthernet0\/1/);
  assert.is(session0(e), 1);
  const asa = edit(readFileSync(EX + "asa-pat-clients.cfg", "utf8"), [["dhcpd enable inside\n", "dhcpd enable inside\ncrypto ikev2 enable outside\n"]]);
  const a = explain("a.cfg", { text: asa });
  assert.equal(a.nat[0]!.ownIke.map((o) => o.what), ["crypto ikev2 enable outside"]);
  const first = a.sessions.find((s) => s.client === 1 && s.flow === "IKE" && s.direction === "outbound")!;
  assert.equal(first.translated!.ports, [[1, 499], [501, 511]], "ASA 9.12: client 1 cannot keep 500 either");
  // without own IKE the first client keeps 500
  assert.is(session0(explain("b.cfg", { text: broken })), 500);
});
function session0(r: ReturnType<typeof explain>): number | undefined {
  return r.sessions.find((s) => s.client === 1 && s.flow === "IKE" && s.direction === "outbound")!.translated!.port;
}

test("overrides by file glob set peers, clients, profile and inside; --print-config shows them; a bad address is a config error", async () => {
  const d = mkdtempSync(join(tmpdir(), "natlint-peers-"));
  mkdirSync(join(d, "branch"));
  writeFileSync(join(d, "branch", "r1.cfg"), readFileSync(EX + "ios-pat-broken.cfg", "utf8"));
  writeFileSync(
    join(d, ".natlintrc.json"),
    JSON.stringify({ overrides: [{ files: ["branch/**"], peers: ["198.51.100.50", "203.0.113.10"], clients: 2, profile: "ios", inside: ["192.168.100.200", "192.168.100.64/30"] }] }),
  );
  const p = printConfig("branch/r1.cfg", { cwd: d });
  assert.equal([p.clients, p.profile, p.peers, p.inside], [2, "ios", ["198.51.100.50", "203.0.113.10"], ["192.168.100.200", "192.168.100.65", "192.168.100.66"]]);
  const r = await lint({ patterns: ["branch/r1.cfg"], cwd: d });
  const drops = r.findings.filter((f) => f.ruleId === "pat-drops-ipsec");
  assert.ok(drops.length === 4 && drops.every((f) => /client 2 of 2/.test(f.message) && /203\.0\.113\.10/.test(f.message)), drops.map((f) => f.message).join("\n"));
  const sessions = (drops[0]!.details as { sessions: Array<{ client: number; peer: string }> }).sessions;
  assert.equal(sessions.map((s) => [s.client, s.peer]), [[2, "203.0.113.10"]]);
  writeFileSync(join(d, ".natlintrc.json"), JSON.stringify({ overrides: [{ files: ["branch/**"], peers: ["198.51.100"] }] }));
  let err = "";
  try {
    await lint({ patterns: ["branch/r1.cfg"], cwd: d });
  } catch (e) {
    err = String((e as Error).message);
  }
  assert.match(err, /overrides\[0\]\.peers\[0\]/);
});

test("explain with several peers: one block per peer, sessions carry their peer", () => {
  const text = edit(base, [["ip access-list extended OUTSIDE-OUT\n", "ip access-list extended OUTSIDE-OUT\n permit udp host 192.0.2.2 host 203.0.113.99 eq isakmp\n"]]);
  const r = explain("r.cfg", { text });
  assert.equal([...new Set(r.sessions.map((s) => s.peer.ip))], ["203.0.113.10", "203.0.113.99"]);
  assert.ok(r.notes.some((n) => /several peers/.test(n)));
});

test.run();
