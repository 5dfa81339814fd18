/**
 * diffAcls / searchAcl: exactly the packets whose action changed, split by (old line, new line)
 * and intent, each with a witness that really changes action — checked against sets computed
 * independently (textbook reach sets) and against evaluateAcl.
 */
import { AclSets } from "../src/acl/sets.js";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { evaluateAcl } from "../src/acl/evaluate.js";
import { diffAcls, type AclDiff } from "../src/analysis/diff.js";
import { searchAcl } from "../src/analysis/search.js";
import { verdictLine as lineOf } from "../src/acl/evaluate.js";
import { HeaderSpace, type PSet } from "../src/headerspace/index.js";
import { parseHeaderSpace } from "../src/headerspace/parse.js";
import type { Ace, Acl } from "../src/model/types.js";
import { Gen, randomMatch, randomPacket } from "../bench/random.js";

function acl(g: Gen, name: string, n: number, firstLine = 10): Acl {
  const entries: Ace[] = [];
  for (let i = 0; i < n; i++) {
    entries.push({ action: g.chance(0.5) ? "permit" : "deny", match: randomMatch(g), source: { file: "a.cfg", line: firstLine + i, text: `l${i}` } });
  }
  return { name, type: "extended", source: { file: "a.cfg", line: 1, text: name }, entries, remarks: [], vendor: "ios" };
}

/** An edited copy: lines deleted, inserted, moved, actions flipped; new lines get fresh numbers. */
function edit(g: Gen, a: Acl): Acl {
  const entries = [...a.entries];
  let fresh = 1000;
  const edits = g.int(1, 4);
  for (let k = 0; k < edits; k++) {
    const op = g.int(0, 3);
    const i = g.int(0, Math.max(0, entries.length - 1));
    if (op === 0 && entries.length > 0) entries.splice(i, 1);
    else if (op === 1) entries.splice(i, 0, { action: g.chance(0.5) ? "permit" : "deny", match: randomMatch(g), source: { file: "b.cfg", line: fresh++, text: "new" } });
    else if (op === 2 && entries.length > 1) {
      const [e] = entries.splice(i, 1);
      entries.splice(g.int(0, entries.length), 0, e!);
    } else if (entries[i]) {
      const e = entries[i]!;
      entries[i] = { ...e, action: e.action === "permit" ? "deny" : "permit", source: { ...e.source, line: fresh++ } };
    }
  }
  return { ...a, entries };
}

/** line number → textbook reach set, null = implicit deny (or a missing ACL: permit all). */
function parts(sets: AclSets, a: Acl | undefined): Map<number | null, { set: PSet; action: string }> {
  const hs = sets.hs;
  const out = new Map<number | null, { set: PSet; action: string }>();
  if (!a) return out.set(null, { set: hs.all, action: "permit" });
  let covered = hs.none;
  for (const e of a.entries) {
    const m = sets.match(e.match, e.action, "ios");
    out.set(e.source.line, { set: hs.diff(m, covered), action: e.action });
    covered = hs.or(covered, m);
  }
  return out.set(null, { set: hs.not(covered), action: "deny" });
}

function checkDiff(sets: AclSets, a: Acl | undefined, b: Acl | undefined, d: AclDiff, intent?: PSet): void {
  const hs = sets.hs;
  const pa = parts(sets, a);
  const pb = parts(sets, b);
  const permit = (p: Map<number | null, { set: PSet; action: string }>): PSet => hs.union([...p.values()].filter((x) => x.action === "permit").map((x) => x.set));
  // among the packets the ACL filters (IPv4 for these ACLs; a missing version takes the other's family)
  const domain = hs.or(sets.domain(a ?? b!), sets.domain(b ?? a!));
  const changed = hs.and(domain, hs.or(hs.diff(permit(pa), permit(pb)), hs.diff(permit(pb), permit(pa))));
  let union = hs.none;
  const seen = new Set<string>();
  for (const c of d.changes) {
    // the witness really changes action, and the lines are the deciding ones
    const va = a ? evaluateAcl(a, c.witness) : undefined;
    const vb = b ? evaluateAcl(b, c.witness) : undefined;
    assert.is.not(va?.action ?? "permit", vb?.action ?? "permit");
    assert.is(c.old.action, va?.action ?? "permit");
    assert.is(c.new.action, vb?.action ?? "permit");
    assert.is(lineOf(c.old), va?.ace?.source.line ?? null);
    assert.is(lineOf(c.new), vb?.ace?.source.line ?? null);
    // the part's set, rebuilt from the pair: its size is the reported count
    let s = hs.and(hs.and(pa.get(lineOf(c.old))!.set, pb.get(lineOf(c.new))!.set), changed);
    if (intent !== undefined) s = c.inIntent ? hs.and(s, intent) : hs.diff(s, intent);
    else assert.is(c.inIntent, undefined);
    assert.ok(hs.contains(s, c.witness));
    assert.is(c.count, hs.count(s));
    union = hs.or(union, s);
    const key = `${lineOf(c.old)}/${lineOf(c.new)}/${c.inIntent}`;
    assert.not.ok(seen.has(key), `one change per (old, new, intent): ${key}`);
    seen.add(key);
  }
  assert.is(union, changed, "the changes cover exactly the packets whose action changed");
  // deterministic order: old line, new line (implicit deny last), inside the intent first
  const key = (c: AclDiff["changes"][number]): number[] => [
    lineOf(c.old) === null ? Infinity : a!.entries.findIndex((e) => e.source.line === lineOf(c.old)),
    lineOf(c.new) === null ? Infinity : b!.entries.findIndex((e) => e.source.line === lineOf(c.new)),
    c.inIntent === false ? 1 : 0,
  ];
  for (let i = 1; i < d.changes.length; i++) {
    const x = key(d.changes[i - 1]!);
    const y = key(d.changes[i]!);
    const cmp = x[0]! - y[0]! || x[1]! - y[1]! || x[2]! - y[2]!;
    assert.ok(cmp < 0, `order at ${i}`);
  }
}

test("random ACL vs edited copy: exactly the changed packets, witnesses change action", () => {
  const g = new Gen(555);
  let changes = 0;
  for (let k = 0; k < 60; k++) {
    const sets = new AclSets(new HeaderSpace());
    const a = acl(g, "A", g.int(1, 15));
    const b = edit(g, a);
    const d = diffAcls(sets, a, b);
    assert.is(d.acl, "A");
    assert.is(d.status, d.changes.length > 0 ? "changed" : "unchanged");
    checkDiff(sets, a, b, d);
    changes += d.changes.length;
  }
  assert.ok(changes > 50, `edits produce changes (${changes})`);
});

test("with an intent: parts split inside/outside, inside first", () => {
  const g = new Gen(777);
  let inside = 0;
  let outside = 0;
  for (let k = 0; k < 40; k++) {
    const sets = new AclSets(new HeaderSpace());
    const hs = sets.hs;
    const a = acl(g, "A", g.int(1, 12));
    const b = edit(g, a);
    const intent = hs.or(sets.match(randomMatch(g), "permit", "ios"), hs.protocol(g.pick([6, 17, 1])));
    const d = diffAcls(sets, a, b, intent);
    checkDiff(sets, a, b, d, intent);
    for (const c of d.changes) {
      assert.is(hs.contains(intent, c.witness), c.inIntent);
      if (c.inIntent) inside++;
      else outside++;
    }
  }
  assert.ok(inside > 5 && outside > 5, `both sides exercised (${inside}/${outside})`);
});

test("identical, added and removed ACLs", () => {
  const g = new Gen(9);
  const sets = new AclSets(new HeaderSpace());
  const a = acl(g, "A", 8);
  assert.equal(diffAcls(sets, a, { ...a, entries: [...a.entries] }), { acl: "A", status: "unchanged", changes: [] });
  const added = diffAcls(sets, undefined, a);
  assert.is(added.status, "added");
  checkDiff(sets, undefined, a, added);
  const removed = diffAcls(sets, a, undefined);
  assert.is(removed.status, "removed");
  checkDiff(sets, a, undefined, removed);
  assert.throws(() => diffAcls(sets, undefined, undefined));
});

test("a concrete edit: permit moved below a deny", () => {
  const sets = new AclSets(new HeaderSpace());
  const hs = sets.hs;
  const any = [{ addr: 0, wildcard: 0xffffffff }];
  const mk = (line: number, action: "permit" | "deny", proto: number | null, port?: number): Ace => ({
    action,
    match: { src: any, dst: any, services: [{ protocol: proto, ...(port !== undefined ? { dstPorts: [{ lo: port, hi: port }] } : {}) }] },
    source: { file: "x", line, text: "" },
  });
  const old: Acl = { name: "X", type: "extended", source: { file: "x", line: 1, text: "" }, remarks: [], vendor: "ios", entries: [mk(10, "permit", 17, 500), mk(20, "deny", 17), mk(30, "permit", null)] };
  const neu: Acl = { ...old, entries: [mk(20, "deny", 17), mk(10, "permit", 17, 500), mk(30, "permit", null)] };
  const d = diffAcls(sets, old, neu);
  // one change (old line 10 → new line 20): udp to port 500, and every non-initial udp fragment,
  // which old line 10 (a permit with layer-4 information) permits by its layer-3 part and new
  // line 20 (layer 3 only) denies
  assert.equal(
    d.changes.map((c) => [c.old.action, lineOf(c.old), c.new.action, lineOf(c.new)]),
    [["permit", 10, "deny", 20]],
  );
  const c = d.changes[0]!;
  assert.is(c.witness.protocol, 17);
  assert.is(c.witness.dstPort, 500);
  assert.is(c.count, (1n << BigInt(135 - 8 - 16 - 1)) + (1n << BigInt(135 - 8 - 1)));
  const ike = parseHeaderSpace("udp any any any 500", hs);
  assert.type(ike, "number");
  const d2 = diffAcls(sets, old, neu, ike as number);
  assert.equal(
    d2.changes.map((x) => x.inIntent),
    [true],
    "the flows of udp/500 include their non-initial fragments",
  );
});

test("searchAcl: a witness with the asked action, and its deciding line", () => {
  const g = new Gen(4);
  for (let k = 0; k < 60; k++) {
    const sets = new AclSets(new HeaderSpace());
    const hs = sets.hs;
    const a = acl(g, "S", g.int(0, 10));
    const space = g.chance(0.3) ? hs.all : sets.match(randomMatch(g), "permit", "ios");
    for (const action of ["permit", "deny"] as const) {
      const r = searchAcl(sets, a, action, space);
      const c = sets.compile(a);
      const exists = !hs.isEmpty(hs.and(space, action === "permit" ? c.permit : c.deny));
      assert.is(r !== undefined, exists);
      if (!r) continue;
      assert.ok(hs.contains(space, r.witness));
      const v = evaluateAcl(a, r.witness);
      assert.is(v.action, action);
      assert.is(lineOf(r.verdict), v.ace?.source.line ?? null);
    }
    // preferences steer the witness when possible
    const p = randomPacket(g);
    const r = searchAcl(sets, a, evaluateAcl(a, p).action, hs.all, p);
    assert.equal(r?.witness, p);
  }
});

test.run();
