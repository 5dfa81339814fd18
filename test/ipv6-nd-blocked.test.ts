/**
 * ipv6-nd-blocked, ESLint RuleTester style: configs where the rule must stay silent (valid) and
 * configs where it reports exactly the given lines (invalid), with the message and witness.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { parseConfig } from "../src/parse/index.js";
import { check } from "../src/checks/ipv6-nd-blocked.js";
import { runCheck } from "./helpers/check.js";

/** An IOS router with IPv6 ACL A on Gi0/0 (`dir`), its entries `lines` (one per line, indented). */
const cfg = (lines: string, dir = "in", extra = "") => `hostname r6
interface GigabitEthernet0/0
 ipv6 address 2001:DB8::1/64
 ipv6 traffic-filter A ${dir}
${extra}ipv6 access-list A
${lines
  .trim()
  .split("\n")
  .map((l) => ` ${l.trim()}`)
  .join("\n")}
end
`;
/** Line number of entry k (1-based) of A in `cfg` without `extra`. */
const entry = (k: number) => 5 + k;

const valid: Array<{ name: string; text: string; vendor?: "ios" | "asa" }> = [
  { name: "ND permitted explicitly before the final deny", text: cfg("permit tcp any any eq 443\npermit icmp any any nd-na\npermit icmp any any nd-ns\ndeny ipv6 any any log") },
  { name: "no explicit deny: the implicit lines permit ND", text: cfg("permit tcp any any eq 443") },
  { name: "a final permit ipv6 any any", text: cfg("deny tcp any any eq 23\npermit ipv6 any any") },
  { name: "applied outbound only: not the router's own ND, and other hosts' ND never crosses it", text: cfg("permit tcp any any eq 443\ndeny ipv6 any any log", "out") },
  { name: "not applied with ipv6 traffic-filter", text: cfg("deny ipv6 any any log").replace(" ipv6 traffic-filter A in\n", "") },
  { name: "a deny that names nd-ns: an explicit choice", text: cfg("deny icmp any any nd-ns\npermit ipv6 any any") },
  { name: "a deny that names type 136: an explicit choice", text: cfg("deny icmp FE80::/10 any 136\npermit ipv6 any any") },
  { name: "router advertisements are not among the implicit permits", text: cfg("deny icmp any any router-advertisement\ndeny icmp any any router-solicitation\npermit ipv6 any any") },
  { name: "ND from a global source only", text: cfg("deny ipv6 2001:DB8:BAD::/48 any\npermit ipv6 any any") },
  { name: "to the router's global address (unicast NS to a global target is left out)", text: cfg("deny ipv6 any host 2001:DB8::1\npermit ipv6 any any") },
  { name: "an extension-header test natlint does not model (the line may not match)", text: cfg("deny ipv6 any any routing\npermit ipv6 any any") },
  { name: "a deny of other ICMPv6 only", text: cfg("deny icmp any any echo-request\npermit ipv6 any any") },
  { name: "IPv4 ACLs are not IPv6 ACLs", text: "interface Gi0/0\n ip address 192.0.2.1 255.255.255.0\n ip access-group B in\nip access-list extended B\n deny ip any any log\nend\n" },
];

const invalid: Array<{ name: string; text: string; lines: number[]; message?: RegExp; witness?: string }> = [
  {
    name: "the usual final deny ipv6 any any log",
    text: cfg("sequence 10 permit tcp any any eq 443\nsequence 20 deny ipv6 any any log"),
    lines: [entry(2)],
    message: /^this line denies IPv6 neighbor solicitations and advertisements inbound on GigabitEthernet0\/0, e\.g\. icmp6 fe80::1 → ff02::1:ff00:2 type 135 code 0: IOS's implicit permit icmp any any nd-na \/ nd-ns come after every line of A/,
    witness: "icmp6 fe80::1 → ff02::1:ff00:2 type 135 code 0",
  },
  { name: "all of ICMPv6 denied before a final permit", text: cfg("permit icmp any any echo-request\ndeny icmp any any\npermit ipv6 any any"), lines: [entry(2)] },
  { name: "link-local sources denied", text: cfg("deny ipv6 FE80::/10 any\npermit ipv6 any any"), lines: [entry(1)] },
  {
    name: "NS permitted, NA denied: only advertisements",
    text: cfg("permit icmp any any nd-ns\ndeny ipv6 any any"),
    lines: [entry(2)],
    message: /denies IPv6 neighbor advertisements inbound/,
    witness: "icmp6 fe80::1 → ff02::1 type 136 code 0",
  },
  {
    name: "only the duplicate address detection NS from :: is left to deny",
    text: cfg("permit icmp any any nd-na\npermit icmp FE80::/10 any nd-ns\ndeny ipv6 any any log"),
    lines: [entry(3)],
    witness: "icmp6 :: → ff02::1:ff00:2 type 135 code 0",
  },
  { name: "each deny that takes some of it: two lines", text: cfg("deny icmp FE80::/10 ff02::/16\ndeny ipv6 any any log"), lines: [entry(1), entry(2)] },
  { name: "applied inbound on two interfaces: both named", text: cfg("deny ipv6 any any", "in", "interface GigabitEthernet0/1\n ipv6 traffic-filter A in\n"), lines: [entry(1) + 2], message: /inbound on GigabitEthernet0\/0, GigabitEthernet0\/1,/ },
];

for (const v of valid)
  test(`valid: ${v.name}`, () => {
    const { device } = parseConfig(v.text, "t.cfg", v.vendor ?? "ios");
    assert.equal(runCheck(check, device).map((f) => `${f.line}: ${f.message}`), []);
  });

for (const c of invalid)
  test(`invalid: ${c.name}`, () => {
    const { device } = parseConfig(c.text, "t.cfg", "ios");
    const found = runCheck(check, device);
    assert.equal(found.map((f) => f.line), c.lines, found.map((f) => f.message).join("\n"));
    if (c.message) assert.match(found[0]!.message, c.message);
    if (c.witness) assert.is(found[0]!.details?.witness, c.witness);
  });

test("ASA configs are not checked (ASA unified ACLs have no implicit ND permits)", () => {
  const { device } = parseConfig("interface GigabitEthernet0/0\n nameif outside\n ipv6 address 2001:db8::1/64\naccess-list OUT extended deny ip any6 any6\naccess-group OUT in interface outside\n", "a.cfg", "asa");
  assert.equal(runCheck(check, device), []);
});

test.run();
