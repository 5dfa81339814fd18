/**
 * The layers of the lines a `diff` pass has passed (src/analysis/diff-layers.ts): their union is
 * the union of the lines, line by line, whatever layer each line goes to; lines with a specific
 * source and the same other fields share a source layer; and a diff whose wide region is met by
 * many such lines gives the whole-ACL comparison's output.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { AclSets } from "../src/acl/sets.js";
import { coveredBy, outside, PassedLines, type Passed } from "../src/analysis/diff-layers.js";
import { diffAcls } from "../src/analysis/diff.js";
import { HeaderSpace, type PSet } from "../src/headerspace/index.js";
import { parseConfig } from "../src/parse/index.js";
import { Gen } from "../bench/random.js";

const v4 = (g: Gen): string => `172.16.${g.int(0, 7)}.${g.int(1, 30)}`;
const src = (g: Gen): string => (g.chance(0.15) ? "any" : g.chance(0.7) ? `host ${v4(g)}` : `172.16.${g.int(0, 7)}.0 0.0.0.${g.pick([15, 63, 255])}`);
const dst = (g: Gen): string => (g.chance(0.5) ? "any" : g.chance(0.5) ? `host 10.1.2.${g.int(1, 9)}` : g.pick(["10.1.2.0 0.0.0.255", "10.0.0.0 0.255.255.255", "10.1.0.0 0.0.3.255"]));
/** Lines shaped as the costly ones: a specific source, a wide destination, few service shapes (so sources share their other fields), some that are not one product. */
function line(g: Gen): string {
  const act = g.chance(0.7) ? "permit" : "deny";
  const svc = g.pick(["ip", "tcp", "tcp", "udp", "icmp"]);
  const tail =
    svc === "tcp" ? g.pick(["", " established", " eq 443", " gt 1023", " neq 3306", " range 8000 9000"]) : svc === "udp" ? g.pick(["", " eq 53", " range 16384 32767"]) : svc === "icmp" ? g.pick(["", " echo"]) : "";
  // `eq 80` at the source too: a line testing ports on both sides
  const sport = svc === "tcp" && g.chance(0.1) ? " eq 80" : "";
  return ` ${act} ${svc} ${src(g)}${sport} ${dst(g)}${tail}`;
}

function acl(g: Gen, n: number, head: string[] = []): string {
  return ["hostname r1", "ip access-list extended A", ...head, ...Array.from({ length: n }, () => line(g)), " deny ip any any", "!", "end", ""].join("\n");
}

const union = (hs: HeaderSpace, p: Passed): PSet => p.bySource.reduce((u, s) => hs.or(u, s), hs.or(p.wide, p.spec));

test("the layers' union is the union of the lines passed; inclusion and difference agree with it", () => {
  let shared = 0;
  let layers = 0;
  for (let seed = 1; seed <= 12; seed++) {
    const g = new Gen(seed);
    const d = parseConfig(acl(g, 60), "a.cfg", "ios").device.acls.get("A")!;
    const sets = new AclSets(new HeaderSpace());
    const hs = sets.hs;
    const passed = new PassedLines(hs);
    let all: PSet = hs.none;
    const sourceLines = new Set<number>();
    for (const [k, e] of d.entries.entries()) {
      let m = sets.match(e.match, e.action, "ios");
      // some sets of two lines (not one product of a source set and the other fields' set)
      const next = d.entries[k + 1];
      if (k % 5 === 4 && next) m = hs.or(m, sets.match(next.match, next.action, "ios"));
      const before = passed.passed();
      assert.is(coveredBy(hs, m, before), hs.subset(m, all), `${e.source.text}: covered`);
      assert.is(outside(hs, m, before), hs.diff(m, all), `${e.source.text}: outside`);
      passed.add(m, m);
      all = hs.or(all, m);
      assert.is(union(hs, passed.passed()), all, `after ${e.source.text}`);
      if (k % 5 !== 4 && e.source.text.split(/\s+/)[2] !== "any") sourceLines.add(e.source.line);
    }
    layers += passed.passed().bySource.length;
    shared += sourceLines.size;
  }
  // lines with a specific source went to source layers, and many shared one
  assert.ok(layers > 0 && layers < shared / 2, `${layers} source layers for ${shared} lines with a specific source`);
});

test("a snapshot keeps the layers of its moment", () => {
  const g = new Gen(77);
  const d = parseConfig(acl(g, 40), "a.cfg", "ios").device.acls.get("A")!;
  const sets = new AclSets(new HeaderSpace());
  const hs = sets.hs;
  const passed = new PassedLines(hs);
  const snaps: Array<[Passed, PSet]> = [];
  let all: PSet = hs.none;
  for (const e of d.entries) {
    const m = sets.match(e.match, e.action, "ios");
    snaps.push([passed.passed(), all]);
    passed.add(m, m);
    all = hs.or(all, m);
  }
  for (const [p, u] of snaps) assert.is(union(hs, p), u);
});

test("wide regions met by many lines with a specific source: the aligned diff equals the whole-ACL diff", () => {
  let changes = 0;
  for (let seed = 1; seed <= 8; seed++) {
    const g = new Gen(100 + seed);
    // the edited lines: wide ones (a destination subnet or host for any source), flipped or deleted
    const head = [" permit ip any 10.1.2.0 0.0.0.255", " permit tcp any host 10.1.2.3 gt 1023"];
    const oldText = acl(g, 80, head);
    const lines = oldText.split("\n");
    const i = lines.indexOf(head[seed % 2]!);
    const at = g.int(i + 1, i + 60);
    // the wide line moves below some of the source lines, and one of those flips
    const moved = [...lines];
    const [w] = moved.splice(i, 1);
    moved.splice(at, 0, seed % 3 === 0 ? w!.replace("permit", "deny  ") : w!);
    const k = g.int(3, 40);
    moved[k] = moved[k]!.startsWith(" permit") ? moved[k]!.replace(" permit", " deny  ") : moved[k]!.replace(" deny", " permit");
    const a = parseConfig(oldText, "a.cfg", "ios").device.acls.get("A")!;
    const b = parseConfig(moved.join("\n"), "b.cfg", "ios").device.acls.get("A")!;
    const sets = new AclSets(new HeaderSpace());
    const got = diffAcls(sets, a, b);
    assert.equal(got, diffAcls(new AclSets(new HeaderSpace()), a, b, undefined, { full: true }), `seed ${seed}`);
    changes += got.changes.length;
  }
  assert.ok(changes > 20, `the edits change packets (${changes} changes)`);
});

test.run();
