/**
 * ipv6-nd-blocked asks its questions of each IPv6 ACL restricted to the cube of the ND traffic it
 * judges (src/acl/cube.ts: ICMPv6 types 135/136, link-local / unspecified sources, multicast and
 * link-local destinations). Differential: on its fixtures with random IPv6 lines added to every
 * IPv6 ACL (ipv6 / icmp / tcp / udp, ND types and others, link-local, multicast, global and
 * unspecified addresses, `log`), the findings — messages, witnesses, details, proven fixes — are
 * the same with the restriction and without it; and the cube's line test keeps exactly the lines
 * that may meet it.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { findingsWith } from "./helpers/restriction.js";
import { loadBuiltinRules } from "../src/engine/rules.js";
import { restricted, packetInCube, type Cube } from "../src/acl/restrict.js";
import { aceMatches } from "../src/acl/evaluate.js";
import { parseConfig } from "../src/parse/index.js";
import { parseCidr6, parseIp6 } from "../src/model/addr6.js";
import type { Packet } from "../src/model/types.js";
import { rng } from "../bench/random.js";

const rules = loadBuiltinRules().filter((r) => r.id === "ipv6-nd-blocked");
const FX = fileURLToPath(new URL("./fixtures/rules/ipv6-nd-blocked/", import.meta.url));
const fixtures = readdirSync(FX)
  .filter((f) => f.endsWith(".cfg"))
  .map((f) => ({ name: f, text: readFileSync(FX + f, "utf8") }));

const ADDRS = ["any", "host FE80::1", "FE80::/10", "FE80::/64", "host FF02::1", "FF02::1:FF00:0/104", "FF02::/16", "host ::", "2001:DB8::/32", "host 2001:DB8::1", "FF00::/8", "::/0"];
const ICMP = ["", " nd-na", " nd-ns", " 135", " 136", " echo-request", " 128", " router-advertisement", " 1 4"];

function body(r: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const proto = pick(["ipv6", "icmp", "icmp", "tcp", "udp"]);
  let s = `${proto} ${pick(ADDRS)} ${pick(ADDRS)}`;
  if (proto === "icmp") s += pick(ICMP);
  if (r() < 0.2) s += " log";
  return s;
}

function mutate(text: string, seed: number): string {
  const r = rng(seed);
  const out: string[] = [];
  let inAcl = false;
  for (const line of text.split("\n")) {
    if (inAcl && /^ (permit|deny) /.test(line) && r() < 0.7) {
      const n = 1 + Math.floor(r() * 3);
      for (let i = 0; i < n; i++) out.push(` ${r() < 0.5 ? "permit" : "deny"} ${body(r)}`);
    }
    out.push(line);
    if (/^ipv6 access-list /.test(line)) inAcl = true;
    else if (!/^ /.test(line)) inAcl = false;
  }
  return out.join("\n");
}

const findings = (text: string, name: string, on: boolean): Promise<string> => findingsWith(text, name, rules, on);

test("ipv6-nd-blocked finds the same with restricted ACLs as with whole ones, on its fixtures with random lines", async () => {
  let compared = 0;
  let nonEmpty = 0;
  for (const [k, fx] of fixtures.entries()) {
    for (let seed = 0; seed < 8; seed++) {
      const text = seed === 0 ? fx.text : mutate(fx.text, 100 * k + seed);
      const [whole, near] = [await findings(text, fx.name, false), await findings(text, fx.name, true)];
      assert.is(near, whole, `${fx.name} seed ${seed}\n${text}`);
      compared++;
      if (whole !== "[]") nonEmpty++;
    }
  }
  assert.ok(compared >= 20 && nonEmpty >= compared / 2, `${nonEmpty} of ${compared} with findings`);
});

test("the ND cube keeps every line that matches a packet of the cube, and drops lines for other types, protocols and addresses", () => {
  const r = rng(77);
  const lines = Array.from({ length: 300 }, () => ` ${r() < 0.5 ? "permit" : "deny"} ${body(r)}`);
  const dev = parseConfig(["ipv6 access-list X", ...lines].join("\n"), "x.cfg", "ios").device;
  const acl = dev.acls.get("X")!;
  const cidr = (s: string) => [parseCidr6(s)!];
  const cube: Cube = { protocol: 58, fragment: 0, icmpTypes: [135, 136], src6: [...cidr("fe80::/10"), ...cidr("::/128")], dst6: [...cidr("ff02::1:ff00:0/104"), ...cidr("ff02::1/128"), ...cidr("fe80::/10")] };
  const kept = new Set(restricted(acl, cube).lines);
  assert.ok(kept.size > 20 && kept.size < acl.entries.length - 50, `${kept.size} of ${acl.entries.length} kept`);
  // sample packets of the cube: a dropped line matches none of them
  const srcs = ["fe80::1", "fe80::abcd", "::"].map((a) => parseIp6(a)!);
  const dsts = ["ff02::1", "ff02::1:ff00:2", "fe80::2"].map((a) => parseIp6(a)!);
  let inside = 0;
  for (const s of srcs) {
    for (const d of dsts) {
      for (const t of [135, 136]) {
        const p: Packet = { protocol: 58, src: 0, dst: 0, srcPort: 0, dstPort: 0, icmpType: t, icmpCode: 0, tcpFlags: 0, fragment: false, tos: 0, v6: { src: s, dst: d } };
        assert.ok(packetInCube(cube, p));
        inside++;
        acl.entries.forEach((e, i) => {
          if (!kept.has(i)) assert.not.ok(aceMatches(e.match, p, e.action, "ios"), `dropped line ${i} "${e.source.text}" matches a packet of the cube`);
        });
      }
    }
  }
  assert.is(inside, 18);
  const echo: Packet = { protocol: 58, src: 0, dst: 0, srcPort: 0, dstPort: 0, icmpType: 128, icmpCode: 0, tcpFlags: 0, fragment: false, tos: 0, v6: { src: srcs[0]!, dst: dsts[0]! } };
  assert.not.ok(packetInCube(cube, echo));
});

test.run();
