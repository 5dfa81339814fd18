/**
 * Issue #11's reproducers for config content, rebuilt from the audit's descriptions: each one
 * failed before its fix (the comment says how), and none may come back.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { lintText } from "../src/api/index.js";
import { detectVendor } from "../src/parse/detect.js";
import { parseConfig } from "../src/parse/index.js";
import { decodeConfig } from "../src/io/decode.js";
import { encodeLike } from "../src/io/encode.js";
import { evaluateAcl } from "../src/acl/evaluate.js";
import { parseFlow } from "../src/model/packet.js";
import { foreignInCommand, splitBlank, trimBlank } from "../src/parse/common/text.js";

const BROKEN = readFileSync(new URL("../examples/ios-pat-broken.cfg", import.meta.url), "utf8");

async function findings(text: string, filename = "r1.cfg"): Promise<Array<{ ruleId: string; line: number; message: string }>> {
  const r = await lintText(text, { filename, config: false, proveFixes: false });
  return r.findings.map((f) => ({ ruleId: f.ruleId, line: f.line, message: f.message }));
}

function ms(f: () => void): number {
  const t = performance.now();
  f();
  return performance.now() - t;
}

test("vendor detection is linear in runs of blank lines (was: 40,000 blank lines took 12-24 s)", () => {
  const blanks = `hostname r1\n${"\n".repeat(40_000)}interface Gi0/1\n ip address 10.0.0.1 255.255.255.0\n`;
  const crlf = `${BROKEN.replace(/\n/g, "\r\n")}${"\r\n".repeat(20_000)}`;
  const lines = `hostname r1\n${"hostname r1\n".repeat(40_000)}`;
  const base = ms(() => detectVendor(lines));
  const tBlank = ms(() => detectVendor(blanks));
  const tCrlf = ms(() => detectVendor(crlf));
  // a generous bound: the quadratic scan took seconds, the linear one a few milliseconds
  assert.ok(tBlank < Math.max(1000, 20 * base), `${tBlank} ms for 40,000 blank lines (baseline ${base} ms)`);
  assert.ok(tCrlf < Math.max(1000, 20 * base), `${tCrlf} ms for 20,000 CRLF blank lines (baseline ${base} ms)`);
  assert.is(detectVendor(crlf).vendor, "ios");
});

test("vendor detection by line gives the verdicts of the whole-text patterns (netmask / wildcard evidence)", () => {
  assert.is(detectVendor("access-list X extended permit ip 10.0.0.0 255.0.0.0 any\n").vendor, "asa");
  assert.is(detectVendor("access-list X permit ip 10.0.0.0 0.255.255.255 any\naccess-list X remark r\n").vendor, "ios");
  assert.is(detectVendor("hostname a\n  ASA Version 9.8(1)\n").reason, '"ASA Version 9.8(1)" header');
  // an ACL named like the action does not confuse the word positions
  assert.is(detectVendor("access-list permit permit ip 10.0.0.0 0.255.255.255 any\n").vendor, "ios");
});

test("Unicode spaces are not blanks: a line the device rejects is reported, not analysed (was: analysed as valid)", async () => {
  const base = "hostname r1\nip access-list extended A\n permit ip any any\n deny ip host 10.0.0.1 any\ninterface Gi0/1\n ip access-group A in\n";
  for (const sp of ["\u00a0", "\u2000", "\u2003", "\u200a", "\u202f", "\u3000", "\u200b", "\ufeff"]) {
    const f = await findings(base.replace(" permit ip any any", ` permit${sp}ip any any`));
    const at3 = f.filter((x) => x.line === 3);
    assert.equal(at3.map((x) => x.ruleId), ["unrecognized-syntax"], `${JSON.stringify(sp)}: ${JSON.stringify(f)}`);
    assert.match(at3[0]!.message, `U+${sp.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`);
    // the rejected permit is not there: nothing shadows the deny
    assert.not.ok(f.some((x) => x.ruleId === "shadowed-line"), JSON.stringify(f));
  }
  // leading, trailing, and in an interface command the device would reject
  const lead = await findings(base.replace(" ip access-group A in", "\u00a0ip access-group A in"));
  assert.ok(lead.some((x) => x.line === 6 && x.ruleId === "unrecognized-syntax"), JSON.stringify(lead));
  // free text keeps them: a description or remark with a no-break space is fine
  const desc = await findings(base.replace("interface Gi0/1\n", "interface Gi0/1\n description uplink\u00a0to\u00a0ISP\n").replace(" permit ip any any", " remark caf\u00e9\u00a0rule\n permit ip any any"));
  assert.not.ok(desc.some((x) => x.ruleId === "unrecognized-syntax"), JSON.stringify(desc));
});

test("text helpers: ASCII blanks only, single pass", () => {
  assert.equal(splitBlank("  a\tb \u00a0c  "), ["a", "b", "\u00a0c"]);
  assert.is(trimBlank("\u00a0 x \t"), "\u00a0 x");
  assert.is(foreignInCommand("description a\u00a0b"), undefined);
  assert.is(foreignInCommand("10 remark a\u0007b"), undefined);
  assert.match(foreignInCommand("permit\u001b[2Jip", 1) ?? "", "control character (U+001B) at column 8");
});

test("an unterminated banner is reported at its line (was: the rest of the config hidden, ✔ no problems)", async () => {
  const text = "hostname r1\nbanner motd ^C\nWelcome\nip access-list extended A\n permit ip any any\n deny ip host 1.1.1.1 any\ninterface Gi0/1\n ip access-group A in\n";
  const f = await findings(text);
  assert.equal(f.map((x) => [x.ruleId, x.line]), [["unrecognized-syntax", 2]], JSON.stringify(f));
  assert.match(f[0]!.message, "never closed");
  assert.match(f[0]!.message, "6 lines");
  // closed, it is skipped exactly and the rest is analysed
  const closed = await findings(text.replace("Welcome\n", "Welcome^C\n"));
  assert.ok(closed.some((x) => x.ruleId === "shadowed-line" && x.line === 6), JSON.stringify(closed));
  // ASA too
  const asa = await findings("ASA Version 9.8(1)\nhostname fw\nbanner motd hello\ncrypto ca certificate chain TP\n certificate ca 01\n  3082\naccess-list A extended permit ip any any\n");
  assert.ok(asa.some((x) => x.ruleId === "unrecognized-syntax" && x.line === 5 && /never closed/.test(x.message)), JSON.stringify(asa));
});

test("UTF-16 without a byte-order mark is decoded and linted (was: exit 0, 'nothing was analysed')", async () => {
  for (const [enc, bytes] of [
    ["le", Buffer.from(BROKEN, "utf16le")],
    ["be", Buffer.from(BROKEN, "utf16le").swap16()],
  ] as const) {
    const text = decodeConfig(bytes);
    assert.is(text, BROKEN, enc);
    const p = parseConfig(text, "r1.cfg");
    assert.ok(p.device.acls.size > 0, enc);
    assert.equal(Buffer.from(encodeLike(bytes, text)), bytes, `${enc}: written back the same way`);
  }
  const f = await findings(BROKEN);
  assert.ok(f.some((x) => x.ruleId === "pat-drops-ipsec"));
});

test("one stray NUL byte is a finding at its line; the rest is analysed (was: the binary-file message beside real findings)", async () => {
  const text = BROKEN.replace("hostname", "host\u0000name");
  const line = text.split("\n").findIndex((l) => l.includes("\u0000")) + 1;
  const f = await findings(text);
  assert.ok(f.some((x) => x.ruleId === "unrecognized-syntax" && x.line === line && /NUL \(U\+0000\)/.test(x.message)), JSON.stringify(f));
  assert.ok(f.some((x) => x.ruleId === "pat-drops-ipsec"));
  assert.not.ok(f.some((x) => x.ruleId === "unsupported-input"));
  // real binary data is still one unsupported-input error
  const bin = await findings(String.fromCharCode(...Array.from({ length: 600 }, (_, i) => (i * 37) % 256)));
  assert.equal(bin.map((x) => x.ruleId), ["unsupported-input"]);
});

test("ASA object network: a malformed host line keeps the object's valid address (was: erased, the ACE called unmatchable)", async () => {
  const text = [
    "ASA Version 9.8(1)",
    "hostname fw",
    "interface Gi0/0",
    " nameif inside",
    " security-level 100",
    " ip address 10.0.0.254 255.255.255.0",
    "object network WEB",
    " host 10.0.0.5",
    " host 999.1.1.1",
    " subnet 10.9.0.0 255.255.0.0 extra",
    "access-list IN extended permit tcp any object WEB eq 80",
    "access-group IN in interface inside",
  ].join("\n");
  const f = await findings(text, "fw.cfg");
  assert.equal(f.filter((x) => x.ruleId === "unrecognized-syntax").map((x) => x.line), [9, 10], JSON.stringify(f));
  assert.not.ok(f.some((x) => x.ruleId === "shadowed-line"), JSON.stringify(f));
  const acl = parseConfig(text, "fw.cfg").device.acls.get("IN")!;
  const pkt = (dst: string) => {
    const p = parseFlow(`tcp 192.0.2.1 1234 ${dst} 80`);
    if ("error" in p) throw new Error(p.error);
    return p;
  };
  assert.is(evaluateAcl(acl, pkt("10.0.0.5")).action, "permit");
  assert.is(evaluateAcl(acl, pkt("10.9.0.1")).action, "deny");
});

test.run();
