/** natlint diff and natlint search in process (test/helpers/cli.ts) (pre-change review). */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { cli } from "./helpers/cli.js";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { evaluateAcl } from "../src/acl/evaluate.js";
import { parseIp } from "../src/model/addr.js";
import { parseProtocol } from "../src/model/ports.js";
import { packet } from "../src/model/types.js";
import { loadDevice } from "../src/api/index.js";
import { errorLine } from "../src/cli/main.js";
import { BddBudgetError } from "../src/headerspace/bdd.js";

async function run(args: string[]) {
  const r = await cli(args);
  return { code: r.code, out: r.stdout, err: r.stderr };
}

const dir = mkdtempSync(join(tmpdir(), "natlint-review-"));
const OLD = join(dir, "old.cfg");
const NEW = join(dir, "new.cfg");
/** NEW without line 25: only the intended 443 change. */
const NEW443 = join(dir, "new443.cfg");
writeFileSync(
  OLD,
  `interface Gi0/0
 ip access-group EDGE in
ip access-list extended EDGE
 10 permit tcp any host 10.1.2.10 eq 443
 20 deny   tcp any any eq 23
 30 permit udp any host 10.1.2.53 eq domain
 40 deny   ip any any
ip access-list extended GONE
 permit ip any any
`,
);
writeFileSync(
  NEW,
  `interface Gi0/0
 ip access-group EDGE in
ip access-list extended EDGE
 10 permit tcp any 10.1.2.0 0.0.0.255 eq 443
 20 deny   tcp any any eq 23
 25 permit tcp any any eq 23
 30 permit udp any host 10.1.2.53 eq domain
 40 deny   ip any any
ip access-list extended ADDED
 deny ip any any
`,
);
writeFileSync(
  NEW443,
  `interface Gi0/0
 ip access-group EDGE in
ip access-list extended EDGE
 10 permit tcp any 10.1.2.0 0.0.0.255 eq 443
 20 deny   tcp any any eq 23
 30 permit udp any host 10.1.2.53 eq domain
 40 deny   ip any any
`,
);

interface Change {
  witness: { protocol: string; src: string; srcPort: number | null; dst: string; dstPort: number | null; fragment?: boolean };
  old: { action: string; line: number | null };
  new: { action: string; line: number | null };
  inIntent?: boolean;
}
interface DiffJson {
  acls: Array<{ acl: string; status: string; changes: Change[] }>;
}

test("diff: exactly the changed packet sets, each witness really changes action", async () => {
  const r = await run(["diff", OLD, NEW, "--format", "json"]);
  assert.is(r.code, 1, r.err);
  const j = JSON.parse(r.out) as DiffJson;
  const byName = new Map(j.acls.map((a) => [a.acl, a]));
  assert.is(byName.get("GONE")!.status, "removed");
  assert.is(byName.get("ADDED")!.status, "added");
  const edge = byName.get("EDGE")!;
  assert.is(edge.status, "changed");
  // 443 to the rest of 10.1.2.0/24 is newly permitted (old: line 40 deny, new: line 4 permit).
  // Telnet itself does not change (line 20 denies it first), but line 25 is a permit with layer-4
  // information: on IOS its layer-3 part ("tcp any any") permits every non-initial TCP fragment
  // (Cisco document 8014), which line 20, a deny, does not take. That is the second change.
  assert.equal(
    edge.changes.map((c) => [c.old.action, c.old.line, c.new.action, c.new.line, c.witness.dstPort, c.witness.fragment ?? false]),
    [
      ["deny", 7, "permit", 4, 443, false],
      ["deny", 7, "permit", 6, 80, true],
    ],
    JSON.stringify(edge.changes),
  );
  const oldDev = loadDevice(OLD).device;
  const newDev = loadDevice(NEW).device;
  for (const ch of edge.changes) {
    const p = packet({
      protocol: parseProtocol(ch.witness.protocol) as number,
      src: parseIp(ch.witness.src)!,
      dst: parseIp(ch.witness.dst)!,
      srcPort: ch.witness.srcPort ?? 0,
      dstPort: ch.witness.dstPort ?? 0,
      tcpFlags: 2,
      fragment: ch.witness.fragment === true,
    });
    const o = evaluateAcl(oldDev.acls.get("EDGE")!, p);
    const n = evaluateAcl(newDev.acls.get("EDGE")!, p);
    assert.is.not(o.action, n.action, "the witness changes action");
    assert.is(o.ace?.source.line ?? null, ch.old.line);
    assert.is(n.ace?.source.line ?? null, ch.new.line);
  }
});

test("diff --intent: inside the intent exits 0, collateral exits 1", async () => {
  const inside = await run(["diff", OLD, NEW443, "--acl", "EDGE", "--intent", "tcp any any 10.1.2.0/24 443", "--format", "json"]);
  assert.is(inside.code, 0, inside.out);
  const j = JSON.parse(inside.out) as DiffJson;
  assert.ok(j.acls[0]!.changes.every((c) => c.inIntent === true));
  // with line 25, the non-initial TCP fragments to any host it permits are collateral (the intent's
  // flows take only the fragments to 10.1.2.0/24)
  const frag = await run(["diff", OLD, NEW, "--acl", "EDGE", "--intent", "tcp any any 10.1.2.0/24 443", "--format", "json"]);
  assert.is(frag.code, 1, frag.out);
  assert.ok((JSON.parse(frag.out) as DiffJson).acls[0]!.changes.some((c) => c.inIntent === false && c.witness.fragment === true));
  const narrow = await run(["diff", OLD, NEW, "--acl", "EDGE", "--intent", "tcp any any 10.1.2.20 443", "--format", "json"]);
  assert.is(narrow.code, 1);
  const k = JSON.parse(narrow.out) as DiffJson;
  assert.ok(k.acls[0]!.changes.some((c) => c.inIntent === true));
  assert.ok(k.acls[0]!.changes.some((c) => c.inIntent === false), "the rest of the /24 is collateral");
  const same = await run(["diff", OLD, OLD]);
  assert.is(same.code, 0);
  assert.match(same.out, /no change/);
  const t = await run(["diff", OLD, NEW, "--acl", "EDGE"]);
  assert.match(t.out, /deny \(line 7\)\s+permit \(line 4\)/);
});

test("diff past its BDD node budget stops with one line and exit 2, not an internal error", async () => {
  // a comparison that builds more than 1,024 nodes: two versions of a generated 400-line ACL
  const body = (n: number, off: number) => Array.from({ length: n }, (_, i) => ` permit tcp 10.${i % 200}.${(i * 7) % 250}.0 0.0.0.255 host 192.0.2.${(i + off) % 250} eq ${1000 + i}`).join("\n");
  const a = join(dir, "big-a.cfg");
  const b = join(dir, "big-b.cfg");
  writeFileSync(a, `hostname r\nip access-list extended BIG\n${body(400, 0)}\n`);
  writeFileSync(b, `hostname r\nip access-list extended BIG\n${body(400, 1)}\n`);
  const r = await run(["diff", a, b, "--max-bdd-nodes", "1024"]);
  assert.is(r.code, 2);
  assert.match(r.err, /^natlint: diff: stopped: comparing .*big-a\.cfg with .*big-b\.cfg needs more than 1024 BDD nodes \(the node budget, --max-bdd-nodes\)\n$/);
  assert.not.match(r.err, /internal error/);
  const ok = await run(["diff", a, b, "--max-bdd-nodes", "268435456", "--format", "json"]);
  assert.is(ok.code, 1);
  const bad = await run(["diff", a, b, "--max-bdd-nodes", "12"]);
  assert.is(bad.code, 2);
  assert.match(bad.err, /--max-bdd-nodes must be a whole number from 1024/);
});

test("a node budget used up where no command says more is one 'stopped' line, not an internal error", () => {
  assert.is(errorLine(new BddBudgetError(4096)), "natlint: stopped: BDD node budget of 4096 nodes used up (this input needs more packet-set nodes than natlint's budget)\n");
  assert.match(errorLine(new TypeError("x is undefined")), /^natlint: internal error: x is undefined/);
});

test("diff and search: bad header spaces and missing ACLs exit 2 with one line", async () => {
  for (const args of [
    ["diff", OLD, NEW, "--intent", "tcp any any 10.1.2.0/33 443"],
    ["diff", OLD, NEW, "--acl", "NOPE"],
    ["diff", OLD],
    ["search", OLD, "--acl", "EDGE", "--action", "permit", "tcp any any any 99999"],
    ["search", OLD, "--acl", "NOPE", "--action", "permit", "ip any any"],
    ["search", OLD, "--acl", "EDGE", "--action", "maybe", "ip any any"],
  ]) {
    const r = await run(args);
    assert.is(r.code, 2, `${args.join(" ")}: ${r.out}`);
    assert.is(r.err.trim().split("\n").length, 1, r.err);
  }
});

test("search: a witness with its line, or none (exit 1)", async () => {
  const r = await run(["search", OLD, "--acl", "EDGE", "--action", "permit", "udp any any 10.1.2.0/24 any", "--format", "json"]);
  assert.is(r.code, 0, r.err);
  const j = JSON.parse(r.out) as { found: boolean; witness: { dst: string; dstPort: number }; line: number };
  assert.ok(j.found);
  assert.equal([j.witness.dst, j.witness.dstPort, j.line], ["10.1.2.53", 53, 6]);
  // no telnet packet gets through, but a non-initial fragment of a telnet flow to 10.1.2.10 does:
  // line 4's layer-3 part permits it (Cisco document 8014)
  const telnet = await run(["search", OLD, "--acl", "EDGE", "--action", "permit", "tcp any any any 23", "--format", "json"]);
  const t = JSON.parse(telnet.out) as { witness: { dst: string; fragment?: boolean }; line: number };
  assert.equal([t.witness.dst, t.witness.fragment, t.line], ["10.1.2.10", true, 4]);
  const none = await run(["search", OLD, "--acl", "EDGE", "--action", "permit", "udp any any 10.1.2.10 any"]);
  assert.is(none.code, 1);
  assert.match(none.out, /^none: /);
  // Every packet of the flows to 10.1.2.10:443 is permitted by line 4, their non-initial fragments
  // too (line 4's layer-3 part); what line 7 denies to that host is other ports.
  const deny = await run(["search", OLD, "--acl", "EDGE", "--action", "deny", "tcp any any 10.1.2.10 443"]);
  assert.is(deny.code, 1, deny.out);
  const other = await run(["search", OLD, "--acl", "EDGE", "--action", "deny", "tcp any 10.1.2.10", "--format", "json"]);
  const d = JSON.parse(other.out) as { witness: { fragment?: boolean; dstPort: number }; line: number };
  assert.equal([d.witness.fragment ?? false, d.witness.dstPort !== 443, d.line], [false, true, 7]);
});

test.run();
