/** Interface IPv6 addresses (`ipv6 address`, IOS and ASA): what the family-aware scope primitives of src/checks/scope.ts read. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { formatIp6 } from "../src/model/addr6.js";
import { parseIos } from "../src/parse/ios/index.js";
import { parseAsa } from "../src/parse/asa/index.js";
import type { Device } from "../src/model/types.js";

const v6 = (d: Device) => d.interfaces.map((i) => (i.addresses6 ?? []).map((a) => `${formatIp6(a.ip)}/${a.len}${a.eui64 ? " eui-64" : ""}`));

test("IOS ipv6 address: global addresses and EUI-64 prefixes kept, link-local, autoconfig and dhcp not", () => {
  const d = parseIos(
    "interface Gi0/0\n ipv6 address 2001:DB8:0:1::1/64\n ipv6 address 2001:db8:0:2::/64 eui-64\n ipv6 address FE80::1 link-local\n ipv6 address fe80::2/64\n ipv6 address autoconfig\n ipv6 address dhcp\n",
    "r.cfg",
  );
  assert.equal(v6(d), [["2001:db8:0:1::1/64", "2001:db8:0:2::/64 eui-64"]]);
  assert.equal(d.diagnostics.filter((x) => x.kind !== "note").map((x) => x.message), []);
});

test("ASA ipv6 address: the active unit's address (standby is the failover peer)", () => {
  const d = parseAsa("ASA Version 9.16(1)\ninterface Gi0/1\n nameif outside\n ipv6 address 2001:db8:1::1/64 standby 2001:db8:1::2\n ipv6 address fe80::1 link-local\n", "fw.cfg");
  assert.equal(v6(d), [["2001:db8:1::1/64"]]);
});

test.run();
