/**
 * `natlint explain --format markdown` (src/report/explain-markdown.ts) on examples/ios-pat-broken.cfg:
 * client 1 gets through, clients 2 and 3 are dropped. Structural assertions on the table and the
 * Mermaid sequence diagram, not a golden file.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { fileURLToPath } from "node:url";
import { explain, type ExplainResult } from "../src/api/index.js";
import { EXPLAIN_MARKDOWN_MARKER, formatExplainMarkdown } from "../src/report/explain-markdown.js";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const result = explain("examples/ios-pat-broken.cfg", { cwd: ROOT });
const md = formatExplainMarkdown(result);
const lines = md.split("\n");

/** Split a GFM table row into cells the way GitHub does: on `|` not preceded by a backslash. */
function cells(row: string): string[] {
  return row.slice(1, -1).split(/(?<!\\)\|/).map((c) => c.trim());
}
function tableRows(text: string): string[][] {
  const ls = text.split("\n");
  const start = ls.findIndex((l) => l.startsWith("| client |"));
  assert.ok(start >= 0, "no table");
  const rows: string[][] = [];
  for (let i = start + 2; i < ls.length && ls[i]!.startsWith("|"); i++) rows.push(cells(ls[i]!));
  return rows;
}
function mermaid(text: string): string[] {
  const ls = text.split("\n");
  const a = ls.indexOf("```mermaid");
  assert.ok(a >= 0, "no mermaid block");
  const b = ls.indexOf("```", a + 1);
  assert.ok(b > a, "mermaid block not closed");
  return ls.slice(a + 1, b);
}
const clone = (r: ExplainResult): ExplainResult => JSON.parse(JSON.stringify(r)) as ExplainResult;

test("the example behaves as the ticket says", () => {
  assert.equal(
    [...new Set(result.sessions.filter((s) => s.verdict === "drop").map((s) => s.client))],
    [2, 3],
  );
  assert.ok(result.sessions.filter((s) => s.client === 1).every((s) => s.verdict === "permit"));
});

test("heading, PAT rule and notes", () => {
  assert.is(lines[0], EXPLAIN_MARKDOWN_MARKER);
  assert.is(lines[1], "### natlint explain: `examples/ios-pat-broken.cfg` (ios)");
  assert.ok(md.includes("- PAT: line 29 `ip nat inside source list NAT-CLIENTS interface GigabitEthernet0/1 overload` → 192.0.2.2"));
  assert.is(result.notes.length, 3);
  for (const n of result.notes) assert.ok(lines.some((l) => l.startsWith("- ") && l.replace(/\\/g, "") === `- ${n}`), n);
  assert.ok(md.includes("**8 sessions of 12 dropped: clients 2, 3 of 3.**"), md);
});

test("session table: one row per session with 7 cells; client 1 permitted, 2 and 3 dropped", () => {
  const header = lines.find((l) => l.startsWith("| client |"))!;
  assert.equal(cells(header), ["client", "flow", "direction", "inside", "translated", "checkpoints", "verdict"]);
  const rows = tableRows(md);
  assert.is(rows.length, result.sessions.length);
  rows.forEach((r, i) => {
    const s = result.sessions[i]!;
    assert.is(r.length, 7, r.join(" | "));
    assert.is(r[0], String(s.client));
    assert.is(r[1], s.flow);
    assert.is(r[2], s.direction);
    assert.is(r[3], `${s.inside.ip}:${s.inside.port}`);
    assert.ok(r[4]!.includes(`${s.translated!.ip}:${s.translated!.port}`), r[4]);
    assert.is(r[6], s.verdict === "permit" ? "✅ permit" : "❌ drop");
    assert.is(r[6]!.endsWith("permit"), s.client === 1);
  });
  // client 2's IKE leaves from port 1 and is dropped by OUTSIDE-OUT line 38
  const c2 = rows.find((r) => r[0] === "2" && r[1] === "IKE" && r[2] === "outbound")!;
  assert.is(c2[4], "192.0.2.2:1 → 203.0.113.10:500");
  assert.ok(c2[5]!.startsWith("GigabitEthernet0/1 out OUTSIDE-OUT line 38 deny `deny   ip any any log`"), c2[5]);
  const c1 = rows.find((r) => r[0] === "1" && r[1] === "NAT-T" && r[2] === "return")!;
  assert.ok(c1[5]!.includes("OUTSIDE-IN line 43 permit"), c1[5]);
});

test("| in any text cannot break the table", () => {
  const r = clone(result);
  r.sessions[0]!.checkpoints[0]!.source = "permit udp any | include x";
  r.sessions[0]!.checkpoints[0]!.acl = "A|B";
  r.sessions[0]!.flow = "IKE|x";
  r.notes.push("a | note");
  const text = formatExplainMarkdown(r);
  const rows = tableRows(text);
  assert.is(rows.length, r.sessions.length);
  for (const row of rows) assert.is(row.length, 7, row.join(" | "));
  assert.ok(rows[0]![5]!.includes("`permit udp any \\| include x`"), rows[0]![5]);
  // the Mermaid block is not a table: ; and # are entity-encoded there instead
  const r2 = clone(result);
  r2.sessions[4]!.checkpoints[0]!.source = "deny ip any any ; # weird";
  const m = mermaid(formatExplainMarkdown(r2)).join("\n");
  assert.ok(m.includes("deny ip any any #59; #35; weird"), m);
});

test("sequence diagram: participants clients → PAT → checkpoints → peer", () => {
  const m = mermaid(md);
  assert.is(m[0], "sequenceDiagram");
  const parts = m.filter((l) => l.trimStart().startsWith("participant ")).map((l) => l.trim().split(" ")[1]);
  assert.equal(parts, ["C1", "C2", "C3", "PAT", "K1", "K2", "Peer"]);
  assert.ok(m.includes("    participant C2 as Client 2 (192.168.100.12)"));
  assert.ok(m.includes("    participant PAT as PAT 192.0.2.2"));
  assert.ok(m.includes("    participant K1 as OUTSIDE-OUT (GigabitEthernet0/1 out)"));
  assert.ok(m.includes("    participant K2 as OUTSIDE-IN (GigabitEthernet0/1 in)"));
  assert.ok(m.includes("    participant Peer as Peer 203.0.113.10"));
  // every other line is a message or a note between declared participants
  const declared = new Set(parts);
  for (const l of m.slice(1)) {
    if (l.trimStart().startsWith("participant ")) continue;
    const msg = /^ {4}(\w+)(->>|-x)(\w+): (.+)$/.exec(l);
    const note = /^ {4}Note over (\w+)(?:,(\w+))?: (.+)$/.exec(l);
    assert.ok(msg || note, `not a message or note: ${l}`);
    for (const id of msg ? [msg[1], msg[3]] : [note![1], note![2]]) if (id !== undefined) assert.ok(declared.has(id), `${id} in ${l}`);
    assert.not.match(l, /;/);
  }
});

test("sequence diagram: client 1's sessions get through, every drop is a -x arrow and a Note", () => {
  const m = mermaid(md);
  const c1 = m.filter((l) => /client 1 /.test(l));
  assert.ok(c1.length > 0);
  assert.ok(m.includes("    K1->>Peer: permit (line 33)"));
  assert.ok(m.includes("    PAT->>C1: untranslated 203.0.113.10:4500 → 192.168.100.11:4500"));
  const drops = m.map((l, i) => ({ l, i })).filter(({ l }) => /^ {4}\w+-x\w+:/.test(l));
  const dropped = result.sessions.filter((s) => s.verdict === "drop");
  assert.is(drops.length, dropped.length);
  for (const { l, i } of drops) {
    const target = /-x(\w+):/.exec(l)![1]!;
    assert.match(m[i + 1]!, new RegExp(`^ {4}Note over ${target}: dropped: client [23] `));
    assert.ok(target === "K1" || target === "K2", l);
  }
  assert.ok(m.includes("    PAT-xK1: translated 192.0.2.2:1 → 203.0.113.10:500"));
  assert.ok(m.includes("    Note over K1: dropped: client 2 IKE, OUTSIDE-OUT line 38 deny (deny ip any any log)"));
  assert.ok(m.includes("    Peer-xK2: client 3 NAT-T reply 203.0.113.10:4500 → 192.0.2.2:1025"));
  // nothing is sent past a drop: client 2 never reaches the peer, and no reply reaches it
  assert.not.ok(m.some((l) => l === "    K1->>Peer: permit (line 38)"));
  assert.not.ok(m.some((l) => /->>C2:/.test(l)));
});

test("deterministic", () => {
  assert.is(formatExplainMarkdown(explain("examples/ios-pat-broken.cfg", { cwd: ROOT })), md);
});

test("maxDiagramClients limits the diagram, not the table", () => {
  const text = formatExplainMarkdown(result, { maxDiagramClients: 1 });
  const m = mermaid(text);
  const parts = m.filter((l) => l.trimStart().startsWith("participant ")).map((l) => l.trim().split(" ")[1]);
  assert.equal(parts, ["C1", "PAT", "K1", "K2", "Peer"]);
  assert.ok(m.includes("    Note over C1,Peer: clients 2-3 are in the table only"));
  assert.not.ok(m.some((l) => l.includes("-x")));
  assert.is(tableRows(text).length, 12);
});

test("PAT exhausted: the drop is at the PAT; no sessions: notes only", () => {
  const r = clone(result);
  const s = r.sessions[8]!; // client 3 IKE outbound
  s.translated = null;
  s.checkpoints = [];
  s.verdict = "drop";
  const text = formatExplainMarkdown(r);
  assert.ok(mermaid(text).includes("    C3-xPAT: client 3 IKE 192.168.100.13:500 → 203.0.113.10:500"));
  assert.ok(mermaid(text).includes("    Note over PAT: dropped: client 3 IKE, no free port (PAT exhausted)"));
  assert.ok(tableRows(text)[8]![4]!.replace(/\\/g, "").startsWith("(PAT exhausted)"), tableRows(text)[8]![4]);

  const empty = clone(result);
  empty.sessions = [];
  empty.nat = [];
  empty.notes = ["no PAT (dynamic NAT with overload) in this config: nothing to simulate"];
  const t = formatExplainMarkdown(empty);
  assert.not.ok(t.includes("```mermaid"));
  assert.not.ok(t.includes("| client |"));
  assert.ok(t.includes("- no PAT"));
});

test.run();
