/**
 * Property tests (fast-check) for issue #11: rendered addresses parse back to the same packets,
 * the reference evaluator agrees with the BDD encoding, every diff witness re-evaluates to the
 * change it claims, and findings do not move under unrelated edits. Generated ACLs are small and
 * the run counts fixed (a fixed seed: the same cases in every run), so the file takes well under
 * 2 s; the coverage-guided fuzzer (test/fuzz/run.ts) searches far wider.
 */
import { test } from "uvu";
import fc from "fast-check";
import { parseConfig } from "../src/parse/index.js";
import { AclSets } from "../src/acl/sets.js";
import { HeaderSpace } from "../src/headerspace/index.js";
import { evaluateAcl, aceMatches } from "../src/acl/evaluate.js";
import { diffDevices } from "../src/analysis/diff.js";
import { renderAddr } from "../src/model/render.js";
import { formatIp } from "../src/model/addr.js";
import { lintText } from "../src/api/index.js";
import type { Acl, Packet, Vendor } from "../src/model/types.js";

const SEED = 11;
const sets = new AclSets(new HeaderSpace());

// addresses from a small pool, so lines overlap and shadow each other
const POOL = [0x0a000000, 0x0a000001, 0x0a0000ff, 0x0a000100, 0xc0000201, 0xc0000202, 0xffffffff, 0];
const PORTS = [0, 22, 80, 443, 500, 501, 1023, 1024, 4500, 65535];
const ip = fc.constantFrom(...POOL);
const prefix = fc.constantFrom(0, 8, 16, 24, 30, 31, 32);
const wildcardOf = (len: number) => (len === 0 ? 0xffffffff : len === 32 ? 0 : (0xffffffff >>> len) >>> 0);

const addr = fc.oneof(
  fc.constant("any"),
  ip.map((a) => `host ${formatIp(a)}`),
  fc.tuple(ip, prefix).map(([a, len]) => `${formatIp((a & ~wildcardOf(len)) >>> 0)} ${formatIp(wildcardOf(len))}`),
);
const portOp = fc.oneof(
  fc.constant(""),
  fc.constantFrom(...PORTS).map((p) => ` eq ${p}`),
  fc.constantFrom(...PORTS).filter((p) => p < 65535).map((p) => ` gt ${p}`),
  fc.constantFrom(...PORTS).filter((p) => p > 0).map((p) => ` lt ${p}`),
  fc.tuple(fc.constantFrom(...PORTS), fc.constantFrom(...PORTS)).map(([a, b]) => ` range ${Math.min(a, b)} ${Math.max(a, b)}`),
);
const ace = fc.oneof(
  fc.tuple(fc.constantFrom("permit", "deny"), fc.constantFrom("ip", "icmp", "esp", "gre"), addr, addr).map(([a, p, s, d]) => `${a} ${p} ${s} ${d}`),
  fc.tuple(fc.constantFrom("permit", "deny"), fc.constantFrom("tcp", "udp"), addr, portOp, addr, portOp).map(([a, p, s, sp, d, dp]) => `${a} ${p} ${s}${sp} ${d}${dp}`),
);
const aclLines = fc.array(ace, { minLength: 1, maxLength: 8 });

const packet: fc.Arbitrary<Packet> = fc.record({
  protocol: fc.constantFrom(1, 6, 17, 47, 50, 0, 255),
  src: fc.oneof(ip, fc.nat({ max: 0xffffffff })),
  dst: fc.oneof(ip, fc.nat({ max: 0xffffffff })),
  srcPort: fc.oneof(fc.constantFrom(...PORTS), fc.nat({ max: 65535 })),
  dstPort: fc.oneof(fc.constantFrom(...PORTS), fc.nat({ max: 65535 })),
  icmpType: fc.nat({ max: 255 }),
  icmpCode: fc.nat({ max: 255 }),
  tcpFlags: fc.nat({ max: 63 }),
  fragment: fc.boolean(),
  tos: fc.nat({ max: 255 }),
});

function iosAcl(lines: readonly string[], name = "A"): { text: string; acl: Acl } {
  const text = `hostname r1\nip access-list extended ${name}\n${lines.map((l) => ` ${l}`).join("\n")}\ninterface Gi0/1\n ip access-group ${name} in\n`;
  const acl = parseConfig(text, "p.cfg", "ios").device.acls.get(name);
  if (!acl) throw new Error(`no ACL parsed from:\n${text}`);
  return { text, acl };
}

test("the reference evaluator and the BDD encoding give the same verdict and line for every packet", () => {
  fc.assert(
    fc.property(aclLines, fc.array(packet, { minLength: 1, maxLength: 12 }), (lines, packets) => {
      const { acl } = iosAcl(lines);
      const c = sets.compile(acl);
      for (const p of packets) {
        const a = evaluateAcl(acl, p);
        const b = c.evaluate(p);
        if (a.action !== b.action || a.index !== b.index) return false;
        if (sets.hs.contains(c.permit, p) !== (a.action === "permit")) return false;
      }
      return true;
    }),
    { seed: SEED, numRuns: 60 },
  );
});

test("every diff witness re-evaluates to the change it claims, in the old and the new ACL", () => {
  fc.assert(
    fc.property(aclLines, aclLines, (a, b) => {
      const o = parseConfig(iosAcl(a).text, "old.cfg", "ios").device;
      const n = parseConfig(iosAcl(b).text, "new.cfg", "ios").device;
      const d = diffDevices(sets, o, n);
      for (const acl of d.acls)
        for (const ch of acl.changes) {
          if (evaluateAcl(o.acls.get(acl.acl)!, ch.witness).action !== ch.old.action) return false;
          if (evaluateAcl(n.acls.get(acl.acl)!, ch.witness).action !== ch.new.action) return false;
        }
      // and no change claimed where the permitted sets are the same (BDDs are canonical: equal sets, equal nodes)
      const same = sets.compile(o.acls.get("A")!).permit === sets.compile(n.acls.get("A")!).permit;
      if (same && d.acls.some((x) => x.changes.some((ch) => ch.old.action !== ch.new.action))) return false;
      return true;
    }),
    { seed: SEED, numRuns: 40 },
  );
});

test("a rendered address operand parses back to the same addresses (IOS wildcard, ASA mask)", () => {
  fc.assert(
    fc.property(fc.constantFrom<Vendor>("ios", "asa"), ip, prefix, fc.array(fc.nat({ max: 0xffffffff }), { minLength: 4, maxLength: 8 }), (vendor, a, len, probes) => {
      const w = { addr: (a & ~wildcardOf(len)) >>> 0, wildcard: wildcardOf(len) };
      const text = renderAddr(vendor, [w]);
      if (text === undefined) return true;
      const cfg = vendor === "ios" ? `hostname r1\naccess-list 101 permit ip ${text} any\n` : `ASA Version 9.8(1)\nhostname fw\naccess-list A extended permit ip ${text} any\n`;
      const acl = parseConfig(cfg, "r.cfg", vendor).device.acls.get(vendor === "ios" ? "101" : "A");
      if (!acl || acl.entries.length !== 1) return false;
      const m = acl.entries[0]!;
      for (const src of [...probes, w.addr, (w.addr | w.wildcard) >>> 0]) {
        const p: Packet = { protocol: 6, src, dst: 1, srcPort: 1, dstPort: 1, icmpType: 0, icmpCode: 0, tcpFlags: 0, fragment: false, tos: 0 };
        const inside = ((src & ~w.wildcard) >>> 0) === w.addr;
        if (aceMatches(m.match, p, "permit", vendor) !== inside) return false;
      }
      return true;
    }),
    { seed: SEED, numRuns: 100 },
  );
});

test("findings do not move under unrelated edits (a comment line above, CRLF line endings)", async () => {
  await fc.assert(
    fc.asyncProperty(aclLines, async (lines) => {
      const { text } = iosAcl(lines);
      const opts = { filename: "r1.cfg", config: false as const, proveFixes: false };
      const key = (f: { ruleId: string; line: number; message: string }, shift = 0) => `${f.ruleId}|${f.line - shift}|${f.message}`;
      const a = (await lintText(text, opts)).findings.map((f) => key(f));
      const b = (await lintText(`! an unrelated comment\n${text}`, opts)).findings.map((f) => key(f, 1));
      const c = (await lintText(text.replace(/\n/g, "\r\n"), opts)).findings.map((f) => key(f));
      // line numbers inside messages ("blocked by line 3") move with the edit: compare them shifted
      const unshift = (k: string) => k.replace(/\bline (\d+)\b/g, (_, n: string) => `line ${Number(n) - 1}`);
      return a.join("\n") === b.map(unshift).join("\n") && a.join("\n") === c.join("\n");
    }),
    { seed: SEED, numRuns: 15 },
  );
});

test.run();
