/**
 * SARIF for GitHub code scanning on a real lint run: validated against the official 2.1.0 schema
 * and GitHub's requirements, with the new fields — helpUri at the package's version, the full doc
 * page as help, security-severity, primaryLocationLineHash as GitHub computes it, columns.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { lint, packageInfo } from "../src/api/index.js";
import { formatSarif } from "../src/report/sarif.js";
import { lineHashes } from "../src/report/line-hash.js";
import { githubValidator, sarifValidator } from "./helpers/sarif.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

interface Log {
  runs: Array<{
    tool: { driver: { informationUri?: string; rules: Array<{ id: string; helpUri?: string; help: { text: string; markdown: string }; properties: { tags: string[]; "security-severity"?: string } }> } };
    results: Array<{ ruleId: string; partialFingerprints: Record<string, string>; locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn?: number; endColumn?: number } } }> }>;
  }>;
}

test("line hashes equal GitHub's (the codeql-action test vectors)", () => {
  assert.equal(lineHashes(""), ["c129715d7a2bc9a3:1"]);
  assert.equal(lineHashes(" a\nb\n  \t\tc\n d"), ["271789c17abda88f:1", "54703d4cd895b18:1", "180aee12dab6264:1", "a23a3dc5e078b07b:1"]);
  const crlf = lineHashes(" hello; \t\r\nworld!!!\r\n\r\n\r\n  \t\tGreetings\r\n End\r\n");
  assert.equal(crlf, lineHashes(" hello; \t\nworld!!!\n\n\n  \t\tGreetings\n End\n"));
  assert.equal(crlf, ["e9496ae3ebfced30:1", "fb7c023a8b9ccb3f:1", "ce8ba1a563dcdaca:1", "e20e36e16fcb0cc8:1", "b3edc88f2938467e:1", "c8e28b0b4002a3a0:1", "c129715d7a2bc9a3:1"]);
  const rep = lineHashes("Lorem ipsum dolor sit amet.\n".repeat(10));
  assert.equal(rep.slice(4, 8), ["a7f2ff13bc495cf2:5", "a7f2ff13bc495cf2:6", "a7f2ff1481e87703:1", "a9cf91f7bbf1862b:1"]);
});

/** GitHub's computation as codeql-action writes it (BigInt, one character at a time): the reference. */
function referenceHashes(text: string): string[] {
  const mod = 37n;
  const mask = (1n << 64n) - 1n;
  let first = 1n;
  for (let i = 0; i < 100; i++) first = (first * mod) & mask;
  const window = new Array<number>(100).fill(0);
  const lineAt = new Array<number>(100).fill(-1);
  const out: string[] = [];
  const counts = new Map<string, number>();
  let hash = 0n;
  let index = 0;
  let line = 0;
  let lineStart = true;
  let prevCR = false;
  const emit = () => {
    const hex = hash.toString(16);
    const n = (counts.get(hex) ?? 0) + 1;
    counts.set(hex, n);
    out[lineAt[index]! - 1] = `${hex}:${n}`;
    lineAt[index] = -1;
  };
  const update = (c: number) => {
    const begin = window[index]!;
    window[index] = c;
    hash = (mod * hash + BigInt(c) - first * BigInt(begin)) & mask;
    index = (index + 1) % 100;
  };
  const feed = (c: number) => {
    if (c === 0x20 || c === 0x09 || (prevCR && c === 0x0a)) {
      prevCR = false;
      return;
    }
    if (c === 0x0d) {
      c = 0x0a;
      prevCR = true;
    } else prevCR = false;
    if (lineAt[index] !== -1) emit();
    if (lineStart) {
      lineStart = false;
      lineAt[index] = ++line;
    }
    if (c === 0x0a) lineStart = true;
    update(c);
  };
  for (let i = 0; i < text.length; i++) feed(text.charCodeAt(i));
  feed(65535);
  for (let i = 0; i < 100; i++) {
    if (lineAt[index] !== -1) emit();
    update(0);
  }
  return out;
}

test("line hashes in two 32-bit halves equal the BigInt computation (random texts: CR, CRLF, tabs, non-ASCII, long lines)", () => {
  let seed = 12345;
  const rand = (n: number) => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed % n;
  };
  const alphabet = ["a", "Z", "0", " ", "\t", "\n", "\r", "\r\n", "!", "é", "\uffff", "\u{1f600}", "access-list 101 permit udp any any eq 500\n"];
  for (let t = 0; t < 300; t++) {
    const parts: string[] = [];
    const len = rand(t < 150 ? 40 : 400);
    for (let i = 0; i < len; i++) parts.push(alphabet[rand(alphabet.length)]!);
    const text = parts.join("");
    assert.equal(lineHashes(text), referenceHashes(text), JSON.stringify(text));
  }
  const config = readFileSync(join(ROOT, "examples/ios-pat-broken.cfg"), "utf8");
  assert.equal(lineHashes(config), referenceHashes(config));
});

test("a real run: schema-valid, helpUri at the version, full doc page, security-severity, line hashes, columns", async () => {
  const result = await lint({ cwd: ROOT, patterns: ["examples/"], config: false });
  const pkg = packageInfo();
  assert.ok(pkg.repositoryUrl, "package.json has a repository");
  const text = formatSarif(result, { cwd: ROOT, version: pkg.version, informationUri: pkg.homepage!, repositoryUrl: pkg.repositoryUrl! });
  const log = JSON.parse(text) as Log;
  const v = sarifValidator();
  assert.ok(v(log), JSON.stringify(v.errors?.slice(0, 3)));
  const g = githubValidator();
  assert.ok(g(log), JSON.stringify(g.errors?.slice(0, 3)));
  const run = log.runs[0]!;
  assert.is(run.tool.driver.informationUri, pkg.homepage);
  const pat = run.tool.driver.rules.find((r) => r.id === "pat-drops-ipsec")!;
  assert.is(pat.helpUri, `${pkg.repositoryUrl}/blob/v${pkg.version}/rules/pat-drops-ipsec.md`);
  for (const h of ["## Bad", "## Good", "## How to fix", "## Rationale", "## References"]) assert.match(pat.help.markdown, h);
  assert.not.match(pat.help.markdown, /<!-- generated/);
  assert.not.match(text, /\.\.\/shared|in the natlint package/);
  assert.match(pat.help.markdown, new RegExp(`\\]\\(${pkg.repositoryUrl!.replace(/[.]/g, "\\.")}/blob/v${pkg.version}/docs/sources\\.md`), "relative links made absolute");
  assert.is(pat.properties["security-severity"], "7.5");
  assert.ok(pat.properties.tags.includes("security"));
  assert.is(run.tool.driver.rules.find((r) => r.id === "redundant-line")!.properties["security-severity"], undefined, "hygiene rules have none");
  const broken = readFileSync(join(ROOT, "examples/ios-pat-broken.cfg"), "utf8");
  const hashes = lineHashes(broken);
  const lines = broken.split("\n");
  const results = run.results.filter((r) => r.locations[0]!.physicalLocation.artifactLocation.uri === "examples/ios-pat-broken.cfg");
  assert.ok(results.length >= 4);
  for (const r of results) {
    const reg = r.locations[0]!.physicalLocation.region;
    assert.is(r.partialFingerprints.primaryLocationLineHash, hashes[reg.startLine - 1]);
    const line = lines[reg.startLine - 1]!;
    assert.is(reg.startColumn, line.search(/\S/) + 1, "column of the first non-blank character");
    assert.is(reg.endColumn, line.trimEnd().length + 1);
  }
});

test("a custom rule: its own https docs URL is kept as it is; a local page is inline without a helpUri", async () => {
  const base = { severity: "warning" as const, description: "d", rationale: "r", references: [], check: "acl-must-deny", options: {} };
  const result = {
    findings: [],
    files: [],
    summary: { errors: 0, warnings: 0, infos: 0 },
    rules: [
      { ...base, id: "corp-web", title: "Corp rule", file: "/corp/rules/corp-web.json", docs: "https://wiki.example.com/natlint/corp-web?x=1#top" },
      { ...base, id: "corp-local", title: "Corp local", file: join(ROOT, "test/fixtures/policy/rules/x.json"), docs: join(ROOT, "rules/pat-drops-ipsec.md") },
    ],
  };
  const log = JSON.parse(formatSarif(result, { cwd: ROOT, version: "1.0.0", repositoryUrl: "https://github.com/o/r" })) as Log;
  const [local, web] = log.runs[0]!.tool.driver.rules;
  assert.is(web!.helpUri, "https://wiki.example.com/natlint/corp-web?x=1#top");
  assert.is(local!.helpUri, undefined);
  assert.match(local!.help.markdown, "## Bad");
});

test.run();
