import { test } from "uvu";
import * as assert from "uvu/assert";
import path from "node:path";
import type { Finding } from "../src/core/finding.js";
import type { LintResult } from "../src/engine/types.js";
import { escapeXmlAttr, escapeXmlText, formatJunit } from "../src/report/junit.js";

const CWD = path.resolve("/work/repo");

function result(findings: Finding[], extraFiles: string[] = []): LintResult {
  const files = [...new Set([...findings.map((f) => f.file), ...extraFiles])].map((p) => ({ path: p, vendor: "asa" as const }));
  return { findings, files, summary: { errors: 0, warnings: 0, infos: 0 }, rules: [] };
}

interface XmlNode {
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
  text: string;
}

/** A strict little XML parser: throws on anything not well-formed (enough for our output). */
function parseXml(xml: string): XmlNode {
  let i = 0;
  const decode = (s: string) => {
    if (/&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.test(s)) throw new Error(`bad entity in ${JSON.stringify(s)}`);
    return s.replace(/&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/g, (_, e: string) =>
      e === "amp" ? "&" : e === "lt" ? "<" : e === "gt" ? ">" : e === "quot" ? '"' : e === "apos" ? "'"
      : String.fromCodePoint(e[1] === "x" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10)),
    );
  };
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/.test(xml)) throw new Error("illegal control character");
  const decl = /^<\?xml version="1\.0" encoding="UTF-8"\?>\n/.exec(xml);
  if (!decl) throw new Error("missing XML declaration");
  i = decl[0].length;
  const element = (): XmlNode => {
    const m = /^<([A-Za-z_][\w.-]*)/.exec(xml.slice(i));
    if (!m) throw new Error(`expected element at ${i}`);
    i += m[0].length;
    const node: XmlNode = { name: m[1]!, attrs: {}, children: [], text: "" };
    for (;;) {
      const a = /^\s+([A-Za-z_][\w.-]*)="([^"<]*)"/.exec(xml.slice(i));
      if (!a) break;
      if (a[1]! in node.attrs) throw new Error(`duplicate attribute ${a[1]}`);
      node.attrs[a[1]!] = decode(a[2]!);
      i += a[0].length;
    }
    const end = /^\s*(\/?)>/.exec(xml.slice(i));
    if (!end) throw new Error(`bad tag end at ${i}: ${xml.slice(i, i + 20)}`);
    i += end[0].length;
    if (end[1]) return node;
    for (;;) {
      const t = /^[^<]*/.exec(xml.slice(i))![0];
      if (t.includes(">") && /]]>/.test(t)) throw new Error("]]> in text");
      node.text += decode(t);
      i += t.length;
      if (xml.startsWith(`</${node.name}>`, i)) {
        i += node.name.length + 3;
        return node;
      }
      if (xml.startsWith("</", i)) throw new Error(`mismatched close tag at ${i}`);
      node.children.push(element());
    }
  };
  const root = element();
  if (xml.slice(i).trim() !== "") throw new Error("content after root element");
  return root;
}

const F: Finding[] = [
  { ruleId: "pat-drops-ipsec", severity: "error", file: "edge/r1.cfg", line: 12, message: 'ACL "IN" <drops> UDP 4500 & 500\nfor 3 clients', source: "access-list IN deny udp any any eq 4500", acl: "IN" },
  { ruleId: "shadowed-ace", severity: "warning", file: "edge/r1.cfg", line: 4, message: "shadowed by 'line 2'" },
  { ruleId: "info-rule", severity: "info", file: "edge/r1.cfg", line: 5, message: "note \u0007 bell" },
  { ruleId: "pat-drops-ipsec", severity: "error", file: path.join(CWD, "core/r2.cfg"), line: 9, message: "x" },
];

test("escaping helpers", () => {
  assert.is(escapeXmlText(`a<b>&"c"`), `a&lt;b&gt;&amp;"c"`);
  assert.is(escapeXmlAttr(`a<b>&"c'\n`), "a&lt;b&gt;&amp;&quot;c&apos;&#10;");
  assert.is(escapeXmlText("bell\u0007"), "bell\\x07"); // control characters as visible escapes (report/text.ts)
});

test("well-formed XML; one testsuite per file, one testcase per finding", () => {
  const xml = formatJunit(result(F, ["clean.cfg"]), { cwd: CWD });
  const root = parseXml(xml);
  assert.is(root.name, "testsuites");
  assert.equal(root.attrs, { name: "natlint", tests: "5", failures: "2", errors: "0" });
  assert.equal(root.children.map((s) => s.attrs.name), ["clean.cfg", "core/r2.cfg", "edge/r1.cfg"]);
  const [clean, core, edge] = root.children as [XmlNode, XmlNode, XmlNode];
  assert.equal(clean.children.map((c) => c.attrs.name), ["natlint"]);
  assert.equal(Object.keys(clean.children[0]!.attrs), ["name", "classname"], "no file attribute on testcase (xUnit schema)");
  assert.is(clean.children[0]!.children.length, 0);
  assert.is(core.attrs.failures, "1");
  assert.equal(edge.attrs, { name: "edge/r1.cfg", tests: "3", failures: "1", errors: "0", skipped: "1", file: "edge/r1.cfg" });
  assert.equal(edge.children.map((c) => c.attrs.name), ["shadowed-ace: shadowed by 'line 2'", "info-rule: note \\x07 bell", "pat-drops-ipsec: IN: access-list IN deny udp any any eq 4500"]);
  const pat = edge.children[2]!.children[0]!;
  assert.is(pat.name, "failure");
  assert.is(pat.attrs.type, "error");
  assert.is(pat.attrs.message, 'ACL "IN" <drops> UDP 4500 & 500\nfor 3 clients');
  assert.match(pat.text, "source: access-list IN deny udp any any eq 4500");
  assert.match(pat.text, "at edge/r1.cfg:12");
  assert.is(edge.children[0]!.children[0]!.name, "skipped", "a warning is a skipped test with its message");
  assert.is(edge.children[0]!.children[0]!.attrs.message, "shadowed by 'line 2'");
  const strict = parseXml(formatJunit(result(F), { cwd: CWD, warnings: "failure" }));
  assert.is(strict.children.find((c) => c.attrs.name === "edge/r1.cfg")!.children[0]!.children[0]!.name, "failure");
  const info = edge.children[1]!.children[0]!;
  assert.is(info.name, "system-out");
  assert.match(info.text, "note \\x07 bell");
});

test("the checker rejects bad XML (sanity)", () => {
  assert.throws(() => parseXml('<?xml version="1.0" encoding="UTF-8"?>\n<a b="x & y"></a>'));
  assert.throws(() => parseXml('<?xml version="1.0" encoding="UTF-8"?>\n<a><b></a></b>'));
});

test("empty result and determinism", () => {
  const empty = formatJunit(result([]), { cwd: CWD });
  assert.equal(parseXml(empty).attrs.tests, "0");
  assert.is(formatJunit(result(F), { cwd: CWD }), formatJunit(result([...F].reverse()), { cwd: CWD }));
});

test.run();
