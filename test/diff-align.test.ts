/**
 * `diff` by structure first (src/analysis/diff-align.ts): the aligned comparison, which compiles
 * only the region of the differing lines, gives exactly the whole-ACL comparison's output (the
 * `full` option: changes, witnesses, counts, lines, statuses, JSON) on random pairs — IOS IPv4,
 * IOS IPv6 (implicit neighbor-discovery lines), ASA unified ACLs, object-group edits, moved and
 * reordered lines, whole ACLs added or removed — and leaves unchanged lines outside it uncompiled.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { AclSets } from "../src/acl/sets.js";
import { aceKey, differingEntries, editScript } from "../src/analysis/diff-align.js";
import { diffAcls, diffDevices } from "../src/analysis/diff.js";
import { HeaderSpace } from "../src/headerspace/index.js";
import { parseConfig } from "../src/parse/index.js";
import { formatDiffJson, formatDiffText } from "../src/report/review.js";
import type { Ace, Acl } from "../src/model/types.js";
import { Gen, randomMatch } from "../bench/random.js";

const fresh = (): AclSets => new AclSets(new HeaderSpace());

// ------------------------------------------------------------------ model level

function acl(g: Gen, n: number): Acl {
  const entries: Ace[] = [];
  for (let i = 0; i < n; i++) entries.push({ action: g.chance(0.5) ? "permit" : "deny", match: randomMatch(g), source: { file: "a.cfg", line: 10 + i, text: `l${i}` } });
  return { name: "A", type: "extended", source: { file: "a.cfg", line: 1, text: "A" }, entries, remarks: [], vendor: "ios" };
}

/** Deletions, insertions, moves, flipped actions, duplicated lines; renumbered lines keep their match. */
function edit(g: Gen, a: Acl): Acl {
  const entries = a.entries.map((e) => (g.chance(0.2) ? { ...e, source: { ...e.source, line: e.source.line + 5000 } } : e));
  let line = 1000;
  for (let k = g.int(0, 5); k > 0; k--) {
    const op = g.int(0, 4);
    const i = g.int(0, Math.max(0, entries.length - 1));
    if (op === 0 && entries.length > 0) entries.splice(i, 1);
    else if (op === 1) entries.splice(i, 0, { action: g.chance(0.5) ? "permit" : "deny", match: randomMatch(g), source: { file: "b.cfg", line: line++, text: "new" } });
    else if (op === 2 && entries.length > 1) {
      const [e] = entries.splice(i, 1);
      entries.splice(g.int(0, entries.length), 0, e!);
    } else if (op === 3 && entries[i]) entries.splice(g.int(0, entries.length), 0, { ...entries[i]!, source: { file: "b.cfg", line: line++, text: "dup" } });
    else if (entries[i]) {
      const e = entries[i]!;
      entries[i] = { ...e, action: e.action === "permit" ? "deny" : "permit", source: { ...e.source, line: line++ } };
    }
  }
  return { ...a, entries };
}

test("random IOS pairs: the aligned diff equals the whole-ACL diff, with and without an intent", () => {
  const g = new Gen(2024);
  let changes = 0;
  for (let k = 0; k < (process.env.NATLINT_SLOW_TESTS === "1" ? 150 : 40); k++) {
    const a = acl(g, g.int(0, 25));
    const b = g.chance(0.1) ? { ...a, entries: [...a.entries].reverse() } : edit(g, a);
    const sets = fresh();
    const intent = g.chance(0.4) ? sets.match(randomMatch(g), "permit", "ios") : undefined;
    const got = diffAcls(sets, a, b, intent);
    assert.equal(got, diffAcls(sets, a, b, intent, { full: true }), `pair ${k}`);
    changes += got.changes.length;
  }
  assert.ok(changes > (process.env.NATLINT_SLOW_TESTS === "1" ? 100 : 30), `edits produce changes (${changes})`);
});

test("unchanged lines outside the region are not compiled", () => {
  const g = new Gen(31);
  // 2,000-line ACLs in CI (NATLINT_SLOW_TESTS=1), 1,000 by default (the whole-ACL diff it is held to is most of the cost)
  const n = process.env.NATLINT_SLOW_TESTS === "1" ? 2000 : 1000;
  const a = acl(g, n);
  const b = { ...a, entries: [...a.entries] };
  const mid = n / 2;
  b.entries.splice(mid, 1, { ...a.entries[mid]!, action: a.entries[mid]!.action === "permit" ? "deny" : "permit" });
  const sets = fresh();
  let built = 0;
  const match = sets.match.bind(sets);
  sets.match = (m, action, vendor) => (built++, match(m, action, vendor));
  const got = diffAcls(sets, a, b);
  assert.ok(built < n / 2, `line sets built: ${built} of ${a.entries.length + b.entries.length}`);
  assert.equal(got, diffAcls(fresh(), a, b, undefined, { full: true }));
  assert.equal(differingEntries(a, b), { old: [a.entries[mid]!], new: [b.entries[mid]!] });
});

test("the alignment key ignores line numbers, sequence numbers, log and text, not the match or action", () => {
  const g = new Gen(5);
  const [e] = acl(g, 1).entries;
  const same: Ace = { ...e!, source: { file: "z", line: 99, text: "other spelling" }, seq: 70, log: true, timeRange: "T" };
  assert.is(aceKey(same), aceKey(e!));
  assert.is.not(aceKey({ ...e!, action: e!.action === "permit" ? "deny" : "permit" }), aceKey(e!));
  assert.is.not(aceKey({ ...e!, inactive: true }), aceKey(e!));
  assert.is.not(aceKey({ ...e!, match: { ...e!.match, fragments: !e!.match.fragments } }), aceKey(e!));
});

// ------------------------------------------------------------------ parsed configs

type Dialect = "ios" | "ios6" | "asa";

const v4 = (g: Gen): string => `10.${g.int(0, 3)}.${g.int(0, 3)}.${g.int(1, 4)}`;
const v6 = (g: Gen): string => `2001:db8:${g.int(0, 3)}::${g.int(1, 4)}`;

function addr(g: Gen, d: Dialect, groups: readonly string[]): string {
  const k = g.int(0, 9);
  if (k < 2) return d === "asa" ? g.pick(["any", "any4", "any6"]) : "any";
  if (k < 4 && groups.length) return `object-group ${g.pick(groups)}`;
  if (d === "ios6") return g.chance(0.5) ? `host ${v6(g)}` : `2001:db8:${g.int(0, 3)}::/${g.pick([48, 64, 126])}`;
  if (d === "asa" && g.chance(0.3)) return `host ${v6(g)}`;
  return g.chance(0.5) ? `host ${v4(g)}` : d === "asa" ? `10.${g.int(0, 3)}.0.0 255.255.0.0` : `10.${g.int(0, 3)}.0.0 0.0.${g.pick([0, 3, 255])}.255`;
}

function ace(g: Gen, d: Dialect, groups: readonly string[]): string {
  const act = g.chance(0.6) ? "permit" : "deny";
  const proto = g.pick(["tcp", "udp", "icmp", "ip", "esp"]);
  const p = proto === "ip" && d === "ios6" ? "ipv6" : proto === "icmp" && d === "ios6" ? "icmp" : proto;
  const port = (proto === "tcp" || proto === "udp") && g.chance(0.7) ? ` ${g.pick(["eq 443", "eq 500", "range 1000 2000", "gt 1023", "eq 53"])}` : "";
  const log = g.chance(0.2) ? " log" : "";
  return `${act} ${p} ${addr(g, d, groups)} ${addr(g, d, groups)}${port}${log}`;
}

function member(g: Gen, d: Dialect): string {
  if (d === "ios") return g.chance(0.5) ? `host ${v4(g)}` : `10.${g.int(0, 3)}.${g.int(0, 3)}.0 255.255.255.0`;
  if (d === "ios6") return `host ${v6(g)}`;
  return `network-object host ${g.chance(0.7) ? v4(g) : v6(g)}`;
}

interface Cfg {
  groups: Map<string, string[]>;
  acls: Map<string, string[]>;
}

function config(g: Gen, d: Dialect): Cfg {
  const groups = new Map<string, string[]>();
  for (let i = 0; i < g.int(0, 3); i++) groups.set(`G${i}`, Array.from({ length: g.int(1, 3) }, () => member(g, d)));
  const acls = new Map<string, string[]>();
  for (let i = 0; i < g.int(1, 3); i++) acls.set(`ACL${i}`, Array.from({ length: g.int(1, 14) }, () => ace(g, d, [...groups.keys()])));
  return { groups, acls };
}

function text(c: Cfg, d: Dialect): string {
  const out = [d === "asa" ? "hostname fw" : "hostname r1", "!"];
  for (const [name, ms] of c.groups) {
    out.push(d === "ios6" ? `object-group v6-network ${name}` : `object-group network ${name}`, ...ms.map((m) => ` ${m}`), "!");
  }
  for (const [name, lines] of c.acls) {
    if (d === "asa") {
      for (const l of lines) out.push(`access-list ${name} extended ${l}`);
      continue;
    }
    out.push(d === "ios6" ? `ipv6 access-list ${name}` : `ip access-list extended ${name}`);
    lines.forEach((l, i) => out.push(d === "ios6" || i % 2 === 0 ? ` sequence ${(i + 1) * 10} ${l}` : ` ${l}`));
    out.push("!");
  }
  out.push("end");
  return out.join("\n") + "\n";
}

/** Edits: ACL lines deleted, inserted, modified, moved, reordered; group members changed; whole ACLs added or removed. */
function editCfg(g: Gen, c: Cfg, d: Dialect): Cfg {
  const groups = new Map([...c.groups].map(([k, v]) => [k, [...v]]));
  const acls = new Map([...c.acls].map(([k, v]) => [k, [...v]]));
  for (let k = g.int(1, 4); k > 0; k--) {
    const op = g.int(0, 7);
    const names = [...acls.keys()];
    const lines = names.length ? acls.get(g.pick(names))! : undefined;
    const i = lines ? g.int(0, Math.max(0, lines.length - 1)) : 0;
    if (op === 0 && lines && lines.length > 1) lines.splice(i, 1);
    else if (op === 1 && lines) lines.splice(i, 0, ace(g, d, [...groups.keys()]));
    else if (op === 2 && lines && lines[i]) lines[i] = lines[i]!.replace(/^(permit|deny)/, (a) => (a === "permit" ? "deny" : "permit"));
    else if (op === 3 && lines && lines.length > 1) {
      const [l] = lines.splice(i, 1);
      lines.splice(g.int(0, lines.length), 0, l!);
    } else if (op === 4 && lines) lines.reverse();
    else if (op === 5 && groups.size) {
      const ms = groups.get(g.pick([...groups.keys()]))!;
      if (g.chance(0.5) && ms.length > 1) ms.splice(g.int(0, ms.length - 1), 1);
      else ms.push(member(g, d));
    } else if (op === 6 && names.length > 1) acls.delete(g.pick(names));
    else acls.set(`NEW${k}`, Array.from({ length: g.int(1, 5) }, () => ace(g, d, [...groups.keys()])));
  }
  return { groups, acls };
}

test("parsed IOS, IOS IPv6 and ASA unified pairs: the same text, JSON and exit status as the whole-ACL diff", () => {
  const g = new Gen(99);
  const seen = { changed: 0, added: 0, removed: 0, unchanged: 0 };
  for (let k = 0; k < (process.env.NATLINT_SLOW_TESTS === "1" ? 90 : 30); k++) {
    const d: Dialect = (["ios", "ios6", "asa"] as const)[k % 3]!;
    const c = config(g, d);
    const oldDev = parseConfig(text(c, d), "old.cfg").device;
    const newDev = parseConfig(text(editCfg(g, c, d), d), "new.cfg").device;
    assert.ok(oldDev.acls.size > 0, `${d}: ACLs parsed`);
    if (d === "asa") for (const a of oldDev.acls.values()) assert.is(a.family, "both");
    if (d === "ios6") for (const a of oldDev.acls.values()) assert.ok(a.implicitPermits?.length);
    const sets = fresh();
    const intent = k % 2 === 0 ? sets.match(randomMatch(g), "permit", "ios") : undefined;
    const opts = intent === undefined ? {} : { intent };
    const got = diffDevices(sets, oldDev, newDev, opts);
    const want = diffDevices(sets, oldDev, newDev, { ...opts, full: true });
    assert.is(formatDiffJson(got), formatDiffJson(want), `${d} pair ${k}`);
    assert.is(formatDiffText(got, intent !== undefined), formatDiffText(want, intent !== undefined));
    assert.is(got.outsideIntent, want.outsideIntent);
    for (const a of got.acls) seen[a.status]++;
  }
  assert.ok(seen.changed > 20 && seen.added > 3 && seen.removed > 3 && seen.unchanged > 3, JSON.stringify(seen));
});


test("editScript: a longest common subsequence (checked against dynamic programming), undefined beyond the limit", () => {
  const g = new Gen(8);
  const lcs = (a: number[], b: number[]): number => {
    const dp = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
    for (let i = 1; i <= a.length; i++) for (let j = 1; j <= b.length; j++) dp[i]![j] = a[i - 1] === b[j - 1] ? dp[i - 1]![j - 1]! + 1 : Math.max(dp[i - 1]![j]!, dp[i]![j - 1]!);
    return dp[a.length]![b.length]!;
  };
  for (let t = 0; t < 2000; t++) {
    const a = Array.from({ length: g.int(0, 14) }, () => g.int(0, 4));
    const b = Array.from({ length: g.int(0, 14) }, () => g.int(0, 4));
    const e = editScript(a, b, 100)!;
    const ka = a.filter((_, i) => e.old[i] === 0);
    const kb = b.filter((_, j) => e.new[j] === 0);
    assert.equal(ka, kb, `common: ${a} / ${b}`);
    assert.is(ka.length, lcs(a, b), `longest: ${a} / ${b}`);
  }
  assert.is(editScript([1, 2, 3, 4], [5, 6, 7, 8], 7), undefined);
  assert.ok(editScript([1, 2, 3, 4], [5, 6, 7, 8], 8));
});

test.run();
