/** Every declared check option changes what the check does (a declared option that is ignored is a defect). */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { parseConfig } from "../src/parse/index.js";
import { check as patDrops } from "../src/checks/pat-drops-ipsec.js";
import { runCheck } from "./helpers/check.js";

const CFG = `interface Gi0/0
 ip address 192.168.1.1 255.255.255.0
 ip nat inside
interface Gi0/1
 ip address 192.0.2.2 255.255.255.252
 ip nat outside
 ip access-group OUT out
ip access-list standard LAN
 permit 192.168.1.0 0.0.0.255
ip nat inside source list LAN interface Gi0/1 overload
ip access-list extended OUT
 permit udp host 192.0.2.2 host 203.0.113.10 eq isakmp
 permit udp host 192.0.2.2 host 203.0.113.10 eq non500-isakmp
 permit udp host 192.0.2.2 eq 1194 host 203.0.113.10 eq 1194
 deny ip any any
`;

test("pat-drops-ipsec ports: simulating udp/1194 as well finds the line pinned to source port 1194", () => {
  const { device } = parseConfig(CFG, "l2tp.cfg");
  assert.equal(runCheck(patDrops, device), [], "IKE and NAT-T (the default ports) pass");
  const f = runCheck(patDrops, device, { ports: [500, 4500, 1194] });
  assert.equal(f.map((x) => x.line), [14]);
  assert.match(f[0]!.message, /udp\/1194 of clients 2, 3 of 3/);
});

test("pat-drops-ipsec ports: L2TP (1701) rides inside NAT-T, so a line pinned to 1701 is not what drops it", () => {
  const { device } = parseConfig(CFG.replace(/1194/g, "1701"), "l2tp.cfg");
  assert.equal(runCheck(patDrops, device, { ports: [500, 4500, 1701] }), []);
});

test("pat-drops-ipsec ports: the option is validated against its schema", () => {
  assert.ok(patDrops.validate({ ports: [0] }));
  assert.ok(patDrops.validate({ ports: [500, 500] }));
  assert.is(patDrops.validate({ ports: [1701] }), undefined);
});

test.run();
