/**
 * `natlint lsp --stdio`: a Language Server Protocol server (vscode-languageserver) for editors.
 *
 * - Lints an open document on open and on change (debounced: 300 ms, or the client's
 *   `initializationOptions.debounceMs`), from the editor's text, with the config that applies to
 *   the file on disk (searched upward from the workspace folder that holds it, else from its own
 *   directory), and publishes diagnostics: range (the line without its indentation), severity,
 *   the rule id as `code` with its doc page as `codeDescription`, and related locations (the line
 *   that drops a session, the lines that shadow one). A config that cannot be used is one
 *   diagnostic on line 1.
 * - Code actions: a finding whose details carry a proven fix (`fix.edits`, see src/model/edits.ts)
 *   becomes a quick fix that applies those edits.
 * - Hover on a line: the verdict of every simulated IPsec session that one of its ACL checkpoints
 *   decides on that line (`natlint explain`, for the buffer's text).
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  CodeActionKind,
  createConnection,
  DiagnosticSeverity,
  TextDocuments,
  TextDocumentSyncKind,
  type CodeAction,
  type Connection,
  type Diagnostic,
  type DiagnosticRelatedInformation,
  type TextEdit,
} from "vscode-languageserver/node";
import { TextDocument } from "vscode-languageserver-textdocument";
import { explain, lintText, newLintSession, packageInfo, type ExplainResult, type Finding, type Fix, type LintSession, type RuleMeta } from "../api/index.js";
import { ruleDocUrl } from "../report/sarif-help.js";
import { UsageError, type Command } from "./args.js";

const HELP = `Usage: natlint lsp --stdio

Run natlint as a Language Server (LSP) over standard input and output, for editors:
diagnostics as you type, quick fixes where a finding carries a proven fix, and the
simulated sessions' verdicts when hovering a line. See the README, section "Editor".
`;

interface DocState {
  findings: Finding[];
  rules: Map<string, RuleMeta>;
  explained?: { version: number; result: ExplainResult | undefined };
}

const SEVERITY = { error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning, info: DiagnosticSeverity.Information } as const;

function lineRange(doc: TextDocument, line: number, column?: number, endColumn?: number) {
  const l = Math.max(0, Math.min(line - 1, doc.lineCount - 1));
  const text = doc.getText({ start: { line: l, character: 0 }, end: { line: l, character: Number.MAX_SAFE_INTEGER } }).replace(/\r?\n$/, "");
  const start = column !== undefined ? column - 1 : Math.max(0, text.search(/\S/));
  const end = endColumn !== undefined ? endColumn - 1 : text.trimEnd().length;
  return { start: { line: l, character: start }, end: { line: l, character: Math.max(start, end) } };
}

/** The lines a finding points at besides its own, from its details. */
function related(f: Finding, uri: string, doc: TextDocument): DiagnosticRelatedInformation[] {
  const d = (f.details ?? {}) as Record<string, unknown>;
  const out: DiagnosticRelatedInformation[] = [];
  const add = (line: unknown, message: string) => {
    if (typeof line === "number" && line >= 1 && line !== f.line && !out.some((o) => o.location.range.start.line === line - 1))
      out.push({ location: { uri, range: lineRange(doc, line) }, message });
  };
  if (Array.isArray(d.sessions))
    for (const s of d.sessions as Array<{ client?: number; flow?: string; acl?: string; line?: number | null }>) add(s.line, `drops ${s.flow ?? "the session"} of client ${s.client ?? "?"} (${s.acl ?? "ACL"})`);
  if (Array.isArray(d.blockingLines)) for (const l of d.blockingLines) add(l, "an earlier line that takes its packets");
  if (Array.isArray(d.decidedBy)) for (const l of d.decidedBy) add(l, "decides the packets instead");
  return out;
}

/** The proven fix of a finding (`details.fix`, see src/model/edits.ts), if it has one. */
export function fixOf(f: Finding): Fix | undefined {
  const fix = (f.details as { fix?: unknown } | undefined)?.fix;
  if (!fix || typeof fix !== "object" || Array.isArray(fix)) return undefined;
  const edits = (fix as { edits?: unknown }).edits;
  const ok = (e: unknown) => {
    const x = e as { line?: unknown; op?: unknown; text?: unknown } | null;
    return !!x && typeof x.line === "number" && (x.op === "replace" || x.op === "insertAfter" || x.op === "delete") && typeof x.text === "string";
  };
  if (!Array.isArray(edits) || edits.length === 0 || !edits.every(ok)) return undefined;
  return fix as Fix;
}

/**
 * A fix's edits as LSP text edits on `doc`. Edit lines refer to the file as it is (before any
 * edit), as the LSP wants all edits of one change against the same text: `replace` a line's text,
 * `insertAfter` a line (several after one line keep their order), `delete` a line.
 */
export function textEdits(doc: TextDocument, fix: Pick<Fix, "edits">): TextEdit[] {
  const eol = doc.getText().includes("\r\n") ? "\r\n" : "\n";
  const lineEnd = (l: number) => ({ line: l, character: doc.getText({ start: { line: l, character: 0 }, end: { line: l + 1, character: 0 } }).replace(/\r?\n$/, "").length });
  return fix.edits.map((e) => {
    const l = e.line - 1;
    if (e.op === "replace") return { range: { start: { line: l, character: 0 }, end: lineEnd(l) }, newText: e.text };
    if (e.op === "insertAfter") return { range: { start: lineEnd(l), end: lineEnd(l) }, newText: `${eol}${e.text}` };
    const last = l + 1 >= doc.lineCount;
    return last
      ? { range: { start: l > 0 ? lineEnd(l - 1) : { line: 0, character: 0 }, end: lineEnd(l) }, newText: "" }
      : { range: { start: { line: l, character: 0 }, end: { line: l + 1, character: 0 } }, newText: "" };
  });
}

function hoverText(result: ExplainResult, line: number): string | undefined {
  const rows: string[] = [];
  for (const s of result.sessions) {
    const cps = s.checkpoints.filter((c) => c.line === line);
    for (const c of cps) {
      const t = s.translated ? `${s.translated.ip}:${s.translated.port ?? "?"}` : "no translation";
      const ports = c.portsTotal !== undefined ? ` (${c.portsDenied} of ${c.portsTotal} ports denied)` : "";
      rows.push(`| ${s.client} | ${s.flow} | ${s.direction} | ${s.inside.ip}:${s.inside.port} → ${t} | ${c.interface} ${c.direction} ${c.acl}: ${c.action}${ports} | ${s.verdict} |`);
    }
  }
  if (rows.length === 0) return undefined;
  return ["**natlint**: simulated IPsec sessions this line decides", "", "| client | flow | direction | inside → translated | checkpoint | verdict |", "|---|---|---|---|---|---|", ...rows].join("\n");
}

/** Start the server on `connection` (the process's stdio, or a test's streams). */
export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  const states = new Map<string, DocState>();
  const timers = new Map<string, NodeJS.Timeout>();
  /** The version of each document last linted: the change event that follows an open does not lint it twice. */
  const linted = new Map<string, number>();
  /** Per open document: the analyses of its ACLs, kept for the next version (an edit re-analyses the ACLs it changed). */
  const sessions = new Map<string, LintSession>();
  let roots: string[] = [];
  let debounceMs = 300;
  const pkg = packageInfo();
  const repoBlob = pkg.repositoryUrl ? `${pkg.repositoryUrl}/blob/v${pkg.version}/` : undefined;

  const fileOf = (uri: string) => (uri.startsWith("file:") ? fileURLToPath(uri) : undefined);
  const cwdFor = (file: string) => roots.filter((r) => file.startsWith(r + path.sep)).sort((a, b) => b.length - a.length)[0] ?? path.dirname(file);

  const validate = async (doc: TextDocument) => {
    linted.set(doc.uri, doc.version);
    const file = fileOf(doc.uri);
    const cwd = file ? cwdFor(file) : process.cwd();
    let diagnostics: Diagnostic[];
    try {
      let session = sessions.get(doc.uri);
      if (session === undefined) sessions.set(doc.uri, (session = newLintSession()));
      const r = await lintText(doc.getText(), { cwd, session, ...(file ? { filename: file } : {}) });
      const rules = new Map(r.rules.map((x) => [x.id, x]));
      states.set(doc.uri, { findings: r.findings, rules });
      diagnostics = r.findings.map((f, i) => {
        const href = rules.get(f.ruleId) ? ruleDocUrl(rules.get(f.ruleId)!, repoBlob) : undefined;
        const rel = related(f, doc.uri, doc);
        return {
          range: lineRange(doc, f.line, f.column, f.endColumn),
          severity: SEVERITY[f.severity],
          code: f.ruleId,
          ...(href ? { codeDescription: { href } } : {}),
          source: "natlint",
          message: f.message,
          ...(rel.length ? { relatedInformation: rel } : {}),
          data: { index: i },
        };
      });
    } catch (e) {
      states.delete(doc.uri);
      diagnostics = [{ range: lineRange(doc, 1), severity: DiagnosticSeverity.Error, source: "natlint", message: `natlint could not lint this file: ${(e as Error).message.split("\n")[0]}` }];
    }
    // the document may have changed or closed meanwhile: publish only for the current one
    if (documents.get(doc.uri)?.version === doc.version) void connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics });
  };

  const schedule = (doc: TextDocument) => {
    clearTimeout(timers.get(doc.uri));
    timers.set(doc.uri, setTimeout(() => void (linted.get(doc.uri) !== doc.version && validate(doc)), debounceMs));
  };

  connection.onInitialize((params) => {
    const o = params.initializationOptions as { debounceMs?: unknown } | undefined;
    if (typeof o?.debounceMs === "number" && o.debounceMs >= 0) debounceMs = o.debounceMs;
    roots = (params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : [])).map(fileOf).filter((f): f is string => f !== undefined);
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        hoverProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
      },
      serverInfo: { name: "natlint", version: pkg.version },
    };
  });

  documents.onDidOpen((e) => void validate(e.document));
  documents.onDidChangeContent((e) => schedule(e.document));
  documents.onDidClose((e) => {
    clearTimeout(timers.get(e.document.uri));
    states.delete(e.document.uri);
    linted.delete(e.document.uri);
    sessions.delete(e.document.uri);
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });

  connection.onCodeAction((params) => {
    const doc = documents.get(params.textDocument.uri);
    const state = states.get(params.textDocument.uri);
    if (!doc || !state) return [];
    const actions: CodeAction[] = [];
    for (const d of params.context.diagnostics) {
      const i = (d.data as { index?: number } | undefined)?.index;
      const f = i !== undefined ? state.findings[i] : undefined;
      const fix = f ? fixOf(f) : undefined;
      if (!f || !fix) continue;
      actions.push({ title: `natlint: ${fix.describe}`, kind: CodeActionKind.QuickFix, diagnostics: [d], isPreferred: true, edit: { changes: { [doc.uri]: textEdits(doc, fix) } } });
    }
    return actions;
  });

  connection.onHover((params) => {
    const doc = documents.get(params.textDocument.uri);
    if (!doc) return null;
    const file = fileOf(doc.uri) ?? doc.uri;
    const state: DocState = states.get(doc.uri) ?? { findings: [], rules: new Map() };
    if (state.explained?.version !== doc.version) {
      let result: ExplainResult | undefined;
      try {
        result = explain(file, { text: doc.getText(), cwd: cwdFor(file) });
      } catch {
        result = undefined;
      }
      state.explained = { version: doc.version, result };
      states.set(doc.uri, state);
    }
    const text = state.explained.result ? hoverText(state.explained.result, params.position.line + 1) : undefined;
    return text ? { contents: { kind: "markdown", value: text } } : null;
  });

  documents.listen(connection);
  connection.listen();
}

export const lspCmd: Command = {
  name: "lsp",
  summary: "the language server for editors (--stdio)",
  help: HELP,
  async run(args) {
    if (!args.includes("--stdio") || args.some((a) => a !== "--stdio")) throw new UsageError("lsp: use natlint lsp --stdio (the only transport)");
    const connection = createConnection(process.stdin, process.stdout);
    startServer(connection);
    // the server runs until the client sends exit
    return await new Promise<number>(() => undefined);
  },
};

