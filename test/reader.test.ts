/**
 * The mode-aware reader (src/parse/common/reader.ts with the IOS and ASA tables): which mode each
 * line belongs to, decided as the CLI decides it, with indentation only as a hint.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readConfig, type ReadStats } from "../src/parse/common/reader.js";
import { IOS_GRAMMAR } from "../src/parse/ios/modes.js";
import { ASA_GRAMMAR } from "../src/parse/asa/modes.js";
import { parseIos } from "../src/parse/ios/index.js";
import { parseAsa } from "../src/parse/asa/index.js";

/** `line: mode>mode text` for every line the reader returns. */
function placed(text: string, grammar = IOS_GRAMMAR): string[] {
  return readConfig(text, grammar).map((l) => `${l.line}: ${[...l.path.map((m) => m.id), ...(l.opens ? [`+${l.opens.id}`] : [])].join(">") || "global"} ${l.text}`);
}

test("a global command leaves the sub-mode whatever its indentation; a sub-command stays whatever its indentation", () => {
  assert.equal(placed(" interface Ethernet0\n ip address 10.0.0.1 255.255.255.0\n ip nat inside\n access-list 103 permit ip any any\n ip nat inside source list 1 interface Ethernet0 overload"), [
    "1: +interface interface Ethernet0",
    "2: interface ip address 10.0.0.1 255.255.255.0",
    "3: interface ip nat inside",
    "4: global access-list 103 permit ip any any",
    "5: global ip nat inside source list 1 interface Ethernet0 overload",
  ]);
  assert.equal(placed("ip access-list extended A\npermit ip any any\nremark x\n10 deny ip any any\nhostname r"), [
    "1: +acl ip access-list extended A",
    "2: acl permit ip any any",
    "3: acl remark x",
    "4: acl 10 deny ip any any",
    "5: global hostname r",
  ]);
});

test("exit leaves one mode, end all; ! leaves nothing; no interface X enters no mode", () => {
  assert.equal(placed("policy-map type inspect P\n class type inspect C\n  inspect\n !\n  drop\n exit\n class class-default\nend\nno interface Loopback1\n ip address 1.1.1.1 255.255.255.255"), [
    "1: +inspect-policy-map policy-map type inspect P",
    "2: inspect-policy-map>+inspect-class class type inspect C",
    "3: inspect-policy-map>inspect-class inspect",
    "5: inspect-policy-map>inspect-class drop",
    "6: inspect-policy-map exit",
    "7: inspect-policy-map>+inspect-class class class-default",
    "8: global end",
    "9: global no interface Loopback1",
    "10: global ip address 1.1.1.1 255.255.255.255",
  ]);
});

test("banners, macros, certificates and key hex are skipped exactly", () => {
  const stats: ReadStats = { commands: 0, known: 0, text: 0 };
  const lines = readConfig(
    [
      "banner motd ^C",
      "interface Fake0",
      " permit ip any any",
      "^C",
      "crypto pki certificate chain TP",
      " certificate self-signed 01",
      "  3082032E 30820216 A0030201",
      "  access-list 1 permit any",
      "  \tquit",
      "interface GigabitEthernet0/0",
      "crypto key pubkey-chain rsa",
      " named-key R2",
      "  key-string",
      "   30819F30 0D06092A",
      "  quit",
      "macro name M",
      "interface Fake1",
      "@",
      "hostname r",
    ].join("\n"),
    IOS_GRAMMAR,
    stats,
  ).map((l) => l.text);
  assert.equal(lines, ["banner motd ^C", "crypto pki certificate chain TP", "certificate self-signed 01", "interface GigabitEthernet0/0", "crypto key pubkey-chain rsa", "named-key R2", "key-string", "macro name M", "hostname r"]);
  assert.is(stats.text, 10);
  const d = parseAsa("ASA Version 9.8\ncrypto ca certificate chain TP\n certificate ca 01\n    308204a3 30820",
    "asa.cfg");
  assert.equal(d.diagnostics, []);
});

test("an unknown command: deeper stays, flat stays in a flat block, and an unknown global command with indented lines opens an unknown mode", () => {
  // indented: the unknown command is the interface's
  assert.equal(placed("interface Gi0/0\n frobnicate 1\n ip nat outside")[1], "2: interface frobnicate 1");
  // flat: it stays in a block written flat
  assert.equal(placed("interface Gi0/0\ndescription x\nfrobnicate 1\nip nat outside")[2], "3: interface frobnicate 1");
  // a closed mode (ACL) keeps an unknown line at its own indentation only when its next line is its own
  assert.equal(placed("ip access-list extended A\npermit ip any any\nfrobnicate\ndeny ip any any")[2], "3: acl frobnicate");
  assert.equal(placed("ip access-list extended A\npermit ip any any\nfrobnicate\nhostname r")[2], "3: global frobnicate");
  // an unknown global command whose next line is deeper: its body stays with it
  assert.equal(placed("telemetry ietf subscription 1\n permit everything\nhostname r"), ["1: +unknown telemetry ietf subscription 1", "2: unknown permit everything", "3: global hostname r"]);
});

test("known global one-liners an interface may have stay in it when indented under it (show running-config all)", () => {
  assert.equal(placed("interface Gi0/0\n ip cef accounting non-recursive internal\n ip access-group A in\naccess-list 1 permit any"), [
    "1: +interface interface Gi0/0",
    "2: interface ip cef accounting non-recursive internal",
    "3: interface ip access-group A in",
    "4: global access-list 1 permit any",
  ]);
  // the global commands natlint models leave the interface however they are indented
  assert.equal(placed("interface Gi0/0\n  access-list 1 permit any")[1], "2: global access-list 1 permit any");
});

test("ASA: object NAT stays in its object, twice NAT is global; PIX 6 global nameif is global", () => {
  assert.equal(placed("object network WEB\nhost 10.0.0.5\nnat (inside,outside) static 198.51.100.5\nnat (inside,outside) source dynamic any interface", ASA_GRAMMAR), [
    "1: +object object network WEB",
    "2: object host 10.0.0.5",
    "3: object nat (inside,outside) static 198.51.100.5",
    "4: global nat (inside,outside) source dynamic any interface",
  ]);
  assert.equal(placed("interface ethernet0 auto\nnameif ethernet0 outside security0\ninterface Gi0/1\nnameif inside", ASA_GRAMMAR), [
    "1: +interface interface ethernet0 auto",
    "2: global nameif ethernet0 outside security0",
    "3: +interface interface Gi0/1",
    "4: interface nameif inside",
  ]);
});

test("the parsers use the placement: an unindented lab router and an indented paste give the same device", () => {
  const flat = parseIos("int gi0/1\nip address 10.0.0.1 255.255.255.0\nip nat inside\nno shut\nint gi0/0\nip address dhcp\nip nat outside\nip nat inside source list 1 interface gi0/0 overload\naccess-list 1 permit 10.0.0.0 0.0.0.255\n", "flat.cfg");
  const indented = parseIos(" interface GigabitEthernet0/1\n  ip address 10.0.0.1 255.255.255.0\n  ip nat inside\n  no shutdown\n interface GigabitEthernet0/0\n  ip address dhcp\n  ip nat outside\n ip nat inside source list 1 interface GigabitEthernet0/0 overload\n access-list 1 permit 10.0.0.0 0.0.0.255\n", "indented.cfg");
  const view = (d: typeof flat) => ({ ifaces: d.interfaces.map((i) => [i.name, i.natRole, i.addresses.length]), nat: d.natRules.map((r) => r.mapped), acls: [...d.acls.keys()], kinds: d.diagnostics.map((x) => x.kind) });
  assert.equal(view(flat), view(indented));
  assert.equal(view(flat).ifaces, [["GigabitEthernet0/1", "inside", 1], ["GigabitEthernet0/0", "outside", 0]]);
});

test.run();
