/**
 * The IPsec checks ask their set questions of ACLs restricted to small cubes (src/acl/restrict.ts:
 * udp to or from 500 / 4500, whole packets and non-initial fragments apart, the local end) and
 * find deciding lines through the restricted ACLs. Differential: on the rule fixtures with random
 * lines added to every ACL (IOS and ASA; ports, ranges, `fragments`, `log`, ip / udp / tcp / esp
 * lines, the config's own addresses), the findings — messages, witnesses, details, proven fixes —
 * are the same with the restriction and without it (`restriction.enabled` off: the whole compiled
 * ACL and the linear evaluator, as before restricting), and with the restriction answering every
 * permit question by first match over the lines filed under a line's addresses.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { findingsWith } from "./helpers/restriction.js";
import { loadBuiltinRules } from "../src/engine/rules.js";
import { NEAR_TUNING, restriction } from "../src/acl/restrict.js";
import { FEW_BEFORE } from "../src/acl/near-lines.js";
import { rng } from "../bench/random.js";

const RULES = ["ipsec-nat-t-missing", "ipsec-source-port-pinned", "pat-drops-ipsec", "ipsec-nat-helper", "l2tp-nat-t-missing", "l2tp-unprotected"];
const rules = loadBuiltinRules().filter((r) => RULES.includes(r.id));
const FX = fileURLToPath(new URL("./fixtures/rules/", import.meta.url));
const fixtures = RULES.flatMap((id) =>
  readdirSync(FX + id)
    .filter((f) => f.endsWith(".cfg"))
    .map((f) => ({ name: `${id}/${f}`, text: readFileSync(`${FX}${id}/${f}`, "utf8") })),
);

const ip = (n: number): string => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".");

/** A random ACL line body (after the action), in IOS (`wildcard`) or ASA (`mask`) address syntax. */
function body(r: () => number, addrs: readonly number[], asa: boolean): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const addr = (): string => {
    const k = r();
    if (k < 0.3) return "any";
    const a = addrs.length > 0 && r() < 0.7 ? pick(addrs) : (0xc6336400 + Math.floor(r() * 512)) >>> 0;
    if (k < 0.75) return `host ${ip(a)}`;
    const len = pick([24, 28, 30, 16]);
    const mask = len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
    return `${ip((a & mask) >>> 0)} ${ip(asa ? mask : ~mask >>> 0)}`;
  };
  const port = (): string => {
    const k = r();
    if (k < 0.35) return "";
    if (k < 0.55) return ` eq ${pick(["500", "4500", asa ? "isakmp" : "isakmp", asa ? "4500" : "non500-isakmp", "1701", "53"])}`;
    if (k < 0.7) return ` range ${pick(["1024 65535", "1 1023", "500 4500", "4500 4500", "501 600"])}`;
    if (k < 0.8) return ` gt ${pick(["1023", "500", "4500"])}`;
    if (k < 0.9) return ` lt ${pick(["1024", "501"])}`;
    return ` neq ${pick(["500", "4500"])}`;
  };
  const proto = pick(["udp", "udp", "udp", "ip", "tcp", "esp"]);
  const ports = proto === "udp" || proto === "tcp";
  let s = `${proto} ${addr()}${ports ? port() : ""} ${addr()}${ports ? port() : ""}`;
  // IOS refuses `fragments` with ports, but natlint parses it (as ports of non-initial fragments):
  // such a line makes the IPsec and L2TP checks ask about fragments separately
  if (!asa && (!ports || r() < 0.15) && r() < 0.3) s += " fragments";
  if (r() < 0.2) s += " log";
  return s;
}

/** The fixture with random lines added to every extended ACL (before and between its lines). */
function mutate(text: string, seed: number): string {
  const r = rng(seed);
  const addrs = [...new Set([...text.matchAll(/\b(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\b/g)].map((m) => ((+m[1]! << 24) | (+m[2]! << 16) | (+m[3]! << 8) | +m[4]!) >>> 0))];
  const out: string[] = [];
  let inIos = false;
  for (const line of text.split("\n")) {
    const asa = /^access-list (\S+) extended (permit|deny) /.exec(line);
    if (asa && r() < 0.6) {
      const n = 1 + Math.floor(r() * 3);
      for (let i = 0; i < n; i++) out.push(`access-list ${asa[1]} extended ${r() < 0.6 ? "permit" : "deny"} ${body(r, addrs, true)}`);
    }
    if (inIos && /^ (permit|deny) /.test(line) && r() < 0.6) {
      const n = 1 + Math.floor(r() * 3);
      for (let i = 0; i < n; i++) out.push(` ${r() < 0.6 ? "permit" : "deny"} ${body(r, addrs, false)}`);
    }
    out.push(line);
    if (/^ip access-list extended /.test(line)) inIos = true;
    else if (!/^ /.test(line)) inIos = false;
  }
  return out.join("\n");
}

const findings = (text: string, name: string, on: boolean): Promise<string> => findingsWith(text, name, rules, on);

test("the IPsec checks find the same with restricted ACLs as with whole ones, on the rule fixtures with random lines", async () => {
  let compared = 0;
  let nonEmpty = 0;
  for (const [k, fx] of fixtures.entries()) {
    // every variant of every fixture in CI (NATLINT_SLOW_TESTS=1); by default every other fixture,
    // each in one variant in turn: as written, or one of two mutations
    if (process.env.NATLINT_SLOW_TESTS !== "1" && k % 2 === 1) continue;
    for (const seed of process.env.NATLINT_SLOW_TESTS === "1" ? [0, 1, 2] : [(k / 2) % 3]) {
      const text = seed === 0 ? fx.text : mutate(fx.text, 1000 * k + seed);
      const name = fx.name.replace("/", "-");
      const [whole, near] = [await findings(text, name, false), await findings(text, name, true)];
      assert.is(near, whole, `${fx.name} seed ${seed}\n${text}`);
      // and with every question of the lines filed under a line's addresses asked that way
      // (permitNear's first match, which these short ACLs would leave for the cube's permit set),
      // and every line's reach from the forward pass (which they would take from the few lines
      // before it), in the first lint and in the fix proofs' lints of the edited config
      const saved = { ...NEAR_TUNING };
      Object.assign(NEAR_TUNING, { wide: 1, lines: Infinity });
      FEW_BEFORE.lines = 0;
      try {
        assert.is(await findings(text, name, true), whole, `${fx.name} seed ${seed}, every question by first match\n${text}`);
      } finally {
        Object.assign(NEAR_TUNING, saved);
        FEW_BEFORE.lines = 48;
      }
      compared++;
      if (whole !== "[]") nonEmpty++;
    }
  }
  assert.ok(compared >= (process.env.NATLINT_SLOW_TESTS === "1" ? 60 : 10), `${compared} configs compared`);
  assert.ok(nonEmpty >= compared / 2, `${nonEmpty} of ${compared} with findings`);
});

test("the switch is real: with it off, nothing is restricted", async () => {
  const { restricted, udpPortCube } = await import("../src/acl/restrict.js");
  const acl = { name: "A", type: "extended", vendor: "ios", entries: [] } as never;
  restriction.enabled = false;
  try {
    assert.is(restricted(acl, udpPortCube("dstPort", 500)).acl, acl);
  } finally {
    restriction.enabled = true;
  }
});

test.run();
