/**
 * Parse → render → parse (issue #11): every ACL natlint reads from the examples, the fixtures,
 * the repository's corpus, the shared corpus (when present) and generated ACLs is rendered back
 * as plain lines (test/helpers/render-acl.ts) and parsed again; the second parse must report
 * nothing about the rendered text, and each original line must match exactly the packets its
 * rendered lines match together (BDD equality, per vendor semantics), so the ACL decides every
 * packet the same way. A parser that drops or misreads a part of a line it accepted shows up
 * here as a changed set.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import fg from "fast-glob";
import { readFileSync, existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseConfig } from "../src/parse/index.js";
import { AclSets } from "../src/acl/sets.js";
import { HeaderSpace } from "../src/headerspace/index.js";
import type { Acl } from "../src/model/types.js";
import { renderAcl } from "./helpers/render-acl.js";
import { CORPUS } from "./helpers/shared.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const sets = new AclSets(new HeaderSpace());

interface Tally {
  acls: number;
  rendered: number;
  lines: number;
}

/** The round trip of one ACL; undefined when it holds, else what differs. */
function roundTrip(acl: Acl, where: string, tally: Tally): string | undefined {
  tally.acls++;
  if (acl.entries.length === 0 || acl.entries.length > 400) return undefined;
  const r = renderAcl(acl);
  if (!r) return undefined;
  tally.rendered++;
  tally.lines += acl.entries.length;
  const again = parseConfig(r.text, "rt.cfg", acl.vendor).device;
  const problems = again.diagnostics.filter((d) => d.kind !== "note");
  if (problems.length) return `${where}: the rendering of ${acl.name} does not parse back: ${problems[0]!.message} (line ${problems[0]!.source.line}: ${problems[0]!.source.text})`;
  const back = again.acls.get("RT");
  if (!back) return `${where}: the rendering of ${acl.name} has no ACL`;
  if (back.entries.length !== r.lineOf.length) return `${where}: ${acl.name} rendered ${r.lineOf.length} lines, parsed back ${back.entries.length}`;
  const hs = sets.hs;
  const dom = sets.domain(acl);
  for (const [i, ace] of acl.entries.entries()) {
    const want = hs.and(dom, sets.match(ace.match, ace.action, acl.vendor));
    let got = 0;
    back.entries.forEach((b, k) => {
      if (r.lineOf[k] === i) got = hs.or(got, hs.and(dom, sets.match(b.match, b.action, back.vendor)));
    });
    if (got !== want) return `${where}: line ${ace.source.line} of ${acl.name} (${ace.source.text}) matches other packets after the round trip`;
  }
  return undefined;
}

function files(): string[] {
  const mine = fg.sync(["examples/**/*.cfg", "test/fixtures/**/*.{cfg,txt,conf}", "test/corpus/**/*"], { cwd: ROOT, absolute: true, onlyFiles: true, ignore: ["**/SOURCE*", "**/LICENSE*", "**/EXPECTED*"] });
  const shared = existsSync(CORPUS) ? fg.sync(["**/*"], { cwd: CORPUS, absolute: true, onlyFiles: true, ignore: ["**/SOURCE.txt", "**/LICENSE", "**/BUILD.bazel"] }) : [];
  return [...mine, ...shared].sort();
}

test("every ACL of the examples, fixtures and corpora: parse → render → parse keeps each line's packets", () => {
  const tally: Tally = { acls: 0, rendered: 0, lines: 0 };
  const bad: string[] = [];
  let n = 0;
  for (const f of files()) {
    const text = readFileSync(f, "latin1");
    if (text.includes("\u0000")) continue;
    const p = parseConfig(text, f);
    n++;
    for (const acl of p.device.acls.values()) {
      const why = roundTrip(acl, f.slice(ROOT.length), tally);
      if (why) bad.push(why);
    }
  }
  console.log(`  round trip: ${n} files, ${tally.rendered} of ${tally.acls} ACLs rendered exactly (${tally.lines} lines), ${bad.length} differ`);
  assert.equal(bad.slice(0, 5), []);
  assert.ok(tally.rendered >= 100, `only ${tally.rendered} ACLs were rendered: the round trip would prove little`);
});

// generated IOS lines with the parts plain rendering must keep: protocols, ports, ICMP, flags, ToS, fragments, log
const ip4 = fc.constantFrom("10.0.0.1", "10.0.0.0", "192.0.2.7", "203.0.113.128", "0.0.0.0");
const wc = fc.constantFrom("0.0.0.255", "0.0.255.255", "0.0.0.0", "0.255.0.255", "255.255.255.255", "0.0.0.127");
const addr = fc.oneof(fc.constant("any"), ip4.map((a) => `host ${a}`), fc.tuple(ip4, wc).map(([a, w]) => `${a} ${w}`));
const port = fc.constantFrom(0, 1, 22, 80, 500, 1023, 1024, 4500, 65534, 65535);
const portOp = fc.oneof(fc.constant(""), port.map((p) => ` eq ${p}`), port.filter((p) => p < 65535).map((p) => ` gt ${p}`), port.filter((p) => p > 0).map((p) => ` lt ${p}`), port.filter((p) => p > 0 && p < 65535).map((p) => ` neq ${p}`), fc.tuple(port, port).map(([a, b]) => ` range ${Math.min(a, b)} ${Math.max(a, b)}`));
const extra = fc.constantFrom("", " log", " dscp 46", " precedence 5", " tos 4", " fragments");
const line = fc.oneof(
  fc.tuple(fc.constantFrom("permit", "deny"), fc.constantFrom("ip", "esp", "gre", "47", "ahp"), addr, addr, extra).map(([a, p, s, d, x]) => `${a} ${p} ${s} ${d}${x}`),
  fc.tuple(fc.constantFrom("permit", "deny"), fc.constantFrom("tcp", "udp"), addr, portOp, addr, portOp, extra).map(([a, p, s, sp, d, dp, x]) => `${a} ${p} ${s}${sp} ${d}${dp}${x}`),
  fc.tuple(fc.constantFrom("permit", "deny"), addr, addr, fc.constantFrom(" established", " syn", " match-all +syn -ack", " match-any +rst +fin", "")).map(([a, s, d, x]) => `${a} tcp ${s} ${d}${x}`),
  fc.tuple(fc.constantFrom("permit", "deny"), addr, addr, fc.constantFrom("", " echo", " 8", " 3 4", " unreachable", " echo-reply log")).map(([a, s, d, x]) => `${a} icmp ${s} ${d}${x}`),
);

test("generated IOS ACLs: parse → render → parse keeps each line's packets", () => {
  const tally: Tally = { acls: 0, rendered: 0, lines: 0 };
  fc.assert(
    fc.property(fc.array(line, { minLength: 1, maxLength: 10 }), (lines) => {
      const text = `ip access-list extended GEN\n${lines.map((l) => ` ${l}`).join("\n")}\n`;
      const p = parseConfig(text, "gen.cfg", "ios").device;
      const acl = p.acls.get("GEN")!;
      const why = roundTrip(acl, "generated", tally);
      if (why) throw new Error(`${why}\n${text}`);
    }),
    { seed: 11, numRuns: process.env.NATLINT_SLOW_TESTS === "1" ? 300 : 120 },
  );
  assert.ok(tally.rendered >= 100, `only ${tally.rendered} generated ACLs were rendered`);
});

test.run();
