/**
 * `natlint lsp --stdio` through the built binary with a real JSON-RPC client (vscode-jsonrpc):
 * initialize, open a document → diagnostics with rule ids, severities, ranges and the dropping
 * line as related information; change it → new diagnostics (debounced); hover a line → the
 * simulated sessions it decides; code actions from a finding's fix edits; shutdown and exit.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from "vscode-jsonrpc/node";
import { TextDocument } from "vscode-languageserver-textdocument";
import { fixOf, textEdits } from "../src/cli/lsp.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const BROKEN = readFileSync(join(ROOT, "examples/ios-pat-broken.cfg"), "utf8");

interface Diag {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  severity: number;
  code: string;
  codeDescription?: { href: string };
  message: string;
  relatedInformation?: Array<{ location: { range: { start: { line: number } } }; message: string }>;
}

test("diagnostics, changes, hover and shutdown over stdio", async () => {
  const ws = mkdtempSync(join(tmpdir(), "natlint-lsp-"));
  writeFileSync(join(ws, ".natlintrc.json"), JSON.stringify({ rules: { "unused-definition": "off" } }));
  const file = join(ws, "edge.cfg");
  writeFileSync(file, BROKEN);
  const uri = pathToFileURL(file).href;
  const child = spawn(process.execPath, [join(ROOT, "bin/natlint.js"), "lsp", "--stdio"], { cwd: ROOT, stdio: ["pipe", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));
  const conn = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const published: Array<{ uri: string; version?: number; diagnostics: Diag[] }> = [];
  const waiters: Array<() => void> = [];
  conn.onNotification("textDocument/publishDiagnostics", (p: (typeof published)[number]) => {
    published.push(p);
    waiters.splice(0).forEach((w) => w());
  });
  const next = (n: number) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no diagnostics after 20 s; stderr: ${stderr}`)), 20000);
      const check = () => (published.length >= n ? (clearTimeout(timer), resolve()) : waiters.push(check));
      check();
    });
  conn.listen();
  try {
    const init = (await conn.sendRequest("initialize", { processId: process.pid, rootUri: pathToFileURL(ws).href, capabilities: {}, initializationOptions: { debounceMs: 50 } })) as {
      capabilities: { hoverProvider: boolean; codeActionProvider: unknown; textDocumentSync: number };
      serverInfo: { name: string };
    };
    assert.is(init.serverInfo.name, "natlint");
    assert.ok(init.capabilities.hoverProvider);
    await conn.sendNotification("initialized", {});
    await conn.sendNotification("textDocument/didOpen", { textDocument: { uri, languageId: "cisco", version: 1, text: BROKEN } });
    await next(1);
    const d1 = published[0]!;
    assert.is(d1.uri, uri);
    const pat = d1.diagnostics.filter((d) => d.code === "pat-drops-ipsec");
    assert.is(pat.length, 4, JSON.stringify(d1.diagnostics.map((d) => d.code)));
    const first = pat[0]!;
    assert.is(first.severity, 1, "error");
    assert.equal(first.range, { start: { line: 32, character: 1 }, end: { line: 32, character: BROKEN.split("\n")[32]!.trimEnd().length } });
    assert.match(first.codeDescription!.href, /\/rules\/pat-drops-ipsec\.md$/);
    assert.is(first.relatedInformation![0]!.location.range.start.line, 37, "the dropping line 38");
    assert.not.ok(d1.diagnostics.some((d) => d.code === "unused-definition"), "the workspace config applies");

    // a change: the fixed text has no pat-drops-ipsec errors
    const fixed = readFileSync(join(ROOT, "examples/ios-pat-fixed.cfg"), "utf8");
    await conn.sendNotification("textDocument/didChange", { textDocument: { uri, version: 2 }, contentChanges: [{ text: fixed }] });
    await next(2);
    assert.is(published[1]!.version, 2);
    assert.not.ok(published[1]!.diagnostics.some((d) => d.code === "pat-drops-ipsec"));
    await conn.sendNotification("textDocument/didChange", { textDocument: { uri, version: 3 }, contentChanges: [{ text: BROKEN }] });
    await next(3);

    const hover = (await conn.sendRequest("textDocument/hover", { textDocument: { uri }, position: { line: 37, character: 3 } })) as { contents: { value: string } } | null;
    assert.ok(hover, "hover on the deny line");
    assert.match(hover!.contents.value, /\| 2 \| IKE \| outbound \|/);
    assert.match(hover!.contents.value, /drop/);
    const none = await conn.sendRequest("textDocument/hover", { textDocument: { uri }, position: { line: 0, character: 0 } });
    assert.is(none, null);
    const actions = (await conn.sendRequest("textDocument/codeAction", { textDocument: { uri }, range: first.range, context: { diagnostics: [first] } })) as unknown[];
    assert.ok(Array.isArray(actions), "code actions answer");
    await conn.sendRequest("shutdown");
    const exited = new Promise<number | null>((r) => child.on("exit", (c) => r(c)));
    await conn.sendNotification("exit");
    assert.is(await exited, 0);
  } finally {
    conn.dispose();
    child.kill();
  }
});

test("a finding's proven fix becomes a code action's edits (replace, insert after, delete)", () => {
  const fix = { describe: "widen", edits: [{ line: 3, op: "replace" as const, text: " permit udp host 192.0.2.2 host 203.0.113.10 eq isakmp" }], commands: "", rollback: "" };
  const f = { ruleId: "x", severity: "error" as const, file: "a.cfg", line: 3, message: "m", details: { fix } };
  assert.equal(fixOf(f as never)?.edits[0]?.line, 3);
  assert.is(fixOf({ ...f, details: { fix: ["a suggestion as text"] } } as never), undefined, "text-only fixes are not code actions");
  assert.is(fixOf({ ...f, details: {} } as never), undefined);
  for (const eol of ["\n", "\r\n"]) {
    const doc = TextDocument.create("file:///a.cfg", "cisco", 1, ["l1", "l2", "l3", "l4", ""].join(eol));
    const apply = (edits: Array<{ line: number; op: "replace" | "insertAfter" | "delete"; text: string }>) => TextDocument.applyEdits(doc, textEdits(doc, { edits }));
    assert.is(apply([{ line: 2, op: "replace", text: "new2" }]), ["l1", "new2", "l3", "l4", ""].join(eol), "replace a line");
    assert.is(apply([{ line: 2, op: "delete", text: "l2" }]), ["l1", "l3", "l4", ""].join(eol), "delete a line");
    assert.is(apply([{ line: 1, op: "insertAfter", text: "a" }, { line: 1, op: "insertAfter", text: "b" }]), ["l1", "a", "b", "l2", "l3", "l4", ""].join(eol), "insert after, in order");
  }
});

test.run();
