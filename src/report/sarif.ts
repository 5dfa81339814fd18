/**
 * SARIF 2.1.0 output, in the shape GitHub code scanning ingests
 * (`github/codeql-action/upload-sarif`). Deterministic: no timestamps, no invocation data, findings
 * sorted by file/line/rule, rules sorted by id, JSON with sorted property bags.
 *
 * Paths: `artifactLocation.uri` is the finding's file relative to `opts.cwd` (forward slashes,
 * percent-encoded) with `uriBaseId: "%SRCROOT%"`; `run.originalUriBaseIds["%SRCROOT%"]` is the
 * `file://` URL of `opts.cwd`. A file outside `opts.cwd` gets an absolute `file://` URI instead.
 * Run natlint from the repository root so code scanning can place the results.
 *
 * Rules carry their full doc page as `help` and its address at this version as `helpUri`
 * (./sarif-help.ts), and `properties["security-severity"]` (with the `security` tag) when the rule
 * file gives a `securitySeverity`. Results carry columns (`startColumn`/`endColumn`: the line's
 * text without its indentation), GitHub's `primaryLocationLineHash` (./line-hash.ts, from the
 * file's text) and natlint's own line-number-free fingerprint.
 */
import { inPieces, nested } from "./pieces.js";
import { sarifFix, type SarifFixEdit } from "./sarif-fix.js";
import { createHash } from "node:crypto";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { compareStrings, findingJson, type Finding, type Severity } from "../core/finding.js";
import type { LintResult, RuleMeta } from "../engine/types.js";
import { readConfigText } from "../io/files.js";
import { isOutside, repoRelative, sortFindings } from "../io/paths.js";
import { lineHashes } from "./line-hash.js";
import { ruleDocMarkdown, ruleDocUrl } from "./sarif-help.js";


export const SARIF_SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json";

/** Key under `result.partialFingerprints` (versioned so the scheme can change later). */
export const FINGERPRINT_KEY = "natlintFingerprint/v1";

export interface SarifOptions {
  /** Directory results are made relative to (the repository root in CI). */
  cwd: string;
  /** natlint version (`tool.driver.version`). */
  version: string;
  /** `tool.driver.informationUri` (the CLI passes package.json's `homepage`); omitted when unknown. */
  informationUri?: string;
  /**
   * The repository's web address (package.json `repository`): built-in rules' `helpUri` is
   * `<repositoryUrl>/blob/v<version>/rules/<id>.md`. Without it they carry no helpUri.
   */
  repositoryUrl?: string;
  /** The git ref doc links point at (default `v<version>`). */
  ref?: string;
  /** A file's text for `primaryLocationLineHash` (default: read from disk; undefined skips the hash). */
  readSource?: (file: string) => string | undefined;
}

type SarifLevel = "error" | "warning" | "note";

/** natlint severity → SARIF level. */
export function sarifLevel(severity: Severity | string): SarifLevel {
  return severity === "error" ? "error" : severity === "warning" ? "warning" : "note";
}

/** Descriptors for findings the engine itself produces (not backed by a rules/*.json file). */
const BUILTIN_RULES: Record<string, { title: string; description: string; severity: Severity }> = {
  "unused-disable-directive": {
    title: "Unused natlint-disable directive",
    description:
      "A natlint-disable or natlint-disable-next-line comment suppressed no finding; remove it so it cannot hide a future problem.",
    severity: "warning",
  },
};

/** `pat-drops-ipsec` → `PatDropsIpsec` (SARIF recommends an identifier-like `name`). */
function pascalCase(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join("");
}

/** Percent-encode each segment of a forward-slash path for use in a URI reference. */
function encodePath(rel: string): string {
  return rel
    .split("/")
    .map((seg) => encodeURIComponent(seg))
    .join("/");
}

/** Collapse whitespace so re-indenting a line does not change its fingerprint. */
function normalizeSource(text: string): string {
  return text.trim().replace(/\s+/g, " ");
}

function sha256(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

const CORE_KEYS = new Set(["ruleId", "severity", "file", "line", "column", "endColumn", "message", "source"]);

/** Extra finding keys (acl and the rule's details: reason, …) as a key-sorted SARIF property bag; undefined if none. */
function propertyBag(f: Finding): Record<string, unknown> | undefined {
  const extra = findingJson(f);
  const keys = Object.keys(extra)
    .filter((k) => !CORE_KEYS.has(k))
    .sort(compareStrings);
  if (keys.length === 0) return undefined;
  const bag: Record<string, unknown> = {};
  for (const k of keys) bag[k] = extra[k];
  return bag;
}

interface SarifRule {
  id: string;
  name: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  help: { text: string; markdown: string };
  helpUri?: string;
  defaultConfiguration: { level: SarifLevel };
  properties: { tags: string[]; "security-severity"?: string };
}

function ruleDescriptor(rule: RuleMeta, repoBlob: string | undefined): SarifRule {
  const helpUri = ruleDocUrl(rule, repoBlob);
  const page = ruleDocMarkdown(rule, helpUri);
  const docsText = helpUri ? `\n\nDocumentation: ${helpUri}` : "";
  const refsText = rule.references.length ? `\n\nReferences:\n${rule.references.map((r) => `- ${r}`).join("\n")}` : "";
  const refsMd = rule.references.length ? `\n\n## References\n\n${rule.references.map((r) => `- ${r}`).join("\n")}` : "";
  const rationale = rule.rationale ? `\n\n${rule.rationale}` : "";
  const rationaleMd = rule.rationale ? `\n\n## Rationale\n\n${rule.rationale}` : "";
  const markdown = page ?? `# ${rule.title}\n\n${rule.description || ""}${rationaleMd}${refsMd}${helpUri ? `\n\n[Rule documentation](${helpUri})` : ""}`;
  const tags = ["natlint", rule.check].filter((t): t is string => !!t);
  const sev = rule.securitySeverity;
  if (sev !== undefined) tags.push("security");
  return {
    id: rule.id,
    name: pascalCase(rule.id),
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.description || rule.title },
    help: { text: `${rule.description || rule.title}${rationale}${refsText}${docsText}`, markdown },
    ...(helpUri ? { helpUri } : {}),
    defaultConfiguration: { level: sarifLevel(rule.severity) },
    properties: { tags, ...(sev !== undefined ? { "security-severity": sev.toFixed(1) } : {}) },
  };
}

function syntheticDescriptor(id: string): SarifRule {
  const b = BUILTIN_RULES[id];
  const title = b?.title ?? id;
  const description = b?.description ?? `Findings reported by natlint under the id '${id}'.`;
  const rule: RuleMeta = { id, title, severity: b?.severity ?? "warning", description, rationale: "", references: [], check: "", options: {}, file: "", docs: "" };
  const d = ruleDescriptor(rule, undefined);
  d.properties.tags = ["natlint"];
  return d;
}

function defaultReadSource(cwd: string): (file: string) => string | undefined {
  return (file) => {
    try {
      return readConfigText(path.resolve(cwd, file), file);
    } catch {
      return undefined;
    }
  };
}

export function formatSarif(result: LintResult, opts: SarifOptions): string {
  return sarifChunks(result, opts).join("");
}

/**
 * The text of `formatSarif` in pieces of about a MiB, byte for byte `JSON.stringify(log, null, 2)`
 * of the whole log: a fleet's log outgrows the longest string V8 can make (~512 MiB; some
 * 330 KB per config with its fixes, so about 1,600 configs), so the CLI writes it piece by piece.
 */
export function sarifChunks(result: LintResult, opts: SarifOptions): string[] {
  return [...inPieces(sarifParts(result, opts))];
}

/**
 * The text of `sarifChunks` in its small parts (a result each), each result made as the one
 * before is written; the source of one file at a time is kept (for its line hashes and fixes),
 * since a file's results are together.
 */
export function* sarifParts(result: LintResult, opts: SarifOptions): Generator<string> {
  const informationUri = opts.informationUri;
  const repoBlob = opts.repositoryUrl ? `${opts.repositoryUrl.replace(/\/+$/, "")}/blob/${opts.ref ?? `v${opts.version}`}/` : undefined;
  const findings = sortFindings(result.findings, opts.cwd);
  const readSource = opts.readSource ?? defaultReadSource(opts.cwd);
  const texts = new Map<string, string | undefined>();
  const textOf = (file: string): string | undefined => {
    if (!texts.has(file)) texts.set(file, readSource(file));
    return texts.get(file);
  };
  const hashes = new Map<string, string[] | undefined>();
  const hashOf = (file: string, line: number): string | undefined => {
    if (!hashes.has(file)) {
      const text = textOf(file);
      hashes.set(file, text === undefined ? undefined : lineHashes(text));
    }
    return hashes.get(file)?.[line - 1];
  };

  // Rules: every rule that ran, plus a synthetic descriptor for any other id a finding uses.
  const byId = new Map<string, SarifRule>();
  for (const r of result.rules) if (!byId.has(r.id)) byId.set(r.id, ruleDescriptor(r, repoBlob));
  for (const f of findings) if (!byId.has(f.ruleId)) byId.set(f.ruleId, syntheticDescriptor(f.ruleId));
  const rules = [...byId.values()].sort((a, b) => compareStrings(a.id, b.id));
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));

  const occurrences = new Map<string, number>();
  let current: string | undefined;
  const toResult = (f: Finding): Record<string, unknown> => {
    if (f.file !== current) {
      // the results are in file order: the file before is done
      texts.clear();
      hashes.clear();
      current = f.file;
    }
    const rel = repoRelative(f.file, opts.cwd);
    const outside = isOutside(rel);
    const artifactLocation = outside
      ? { uri: pathToFileURL(path.resolve(opts.cwd, f.file)).href }
      : { uri: encodePath(rel), uriBaseId: "%SRCROOT%" };
    // GitHub requires a region; a file-level finding (line 0) points at line 1.
    const startLine = Number.isInteger(f.line) && f.line >= 1 ? f.line : 1;
    const region: Record<string, number> = { startLine };
    if (startLine === f.line && f.column !== undefined) {
      region.startColumn = f.column;
      if (f.endColumn !== undefined && f.endColumn > f.column) {
        region.endLine = startLine;
        region.endColumn = f.endColumn;
      }
    }
    const physicalLocation = { artifactLocation, region };

    const basis = [f.ruleId, rel, f.acl ?? "", normalizeSource(f.source ?? f.message)].join("\0");
    const hash = sha256(basis).slice(0, 32);
    const n = (occurrences.get(hash) ?? 0) + 1;
    occurrences.set(hash, n);
    const lineHash = outside ? undefined : hashOf(f.file, startLine);

    const res: Record<string, unknown> = {
      ruleId: f.ruleId,
      ruleIndex: ruleIndex.get(f.ruleId)!,
      level: sarifLevel(f.severity),
      message: { text: f.message },
      locations: [{ physicalLocation }],
      partialFingerprints: lineHash ? { [FINGERPRINT_KEY]: `${hash}:${n}`, primaryLocationLineHash: lineHash } : { [FINGERPRINT_KEY]: `${hash}:${n}` },
    };
    const fix = f.details?.fix as { describe?: string; edits?: SarifFixEdit[] } | undefined;
    const text = fix?.edits && !outside ? textOf(f.file) : undefined;
    const sarif = text !== undefined ? sarifFix(fix!.describe ?? "natlint fix", fix!.edits!, text, artifactLocation) : undefined;
    if (sarif) res.fixes = [sarif];
    const bag = propertyBag(f);
    if (bag) res.properties = bag;
    return res;
  };

  let srcRoot = pathToFileURL(path.resolve(opts.cwd)).href;
  if (!srcRoot.endsWith("/")) srcRoot += "/";

  const log = {
    $schema: SARIF_SCHEMA_URI,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "natlint",
            ...(informationUri ? { informationUri } : {}),
            version: opts.version,
            semanticVersion: /^\d+\.\d+\.\d+/.test(opts.version) ? opts.version : undefined,
            rules,
          },
        },
        originalUriBaseIds: { "%SRCROOT%": { uri: srcRoot } },
        columnKind: "utf16CodeUnits",
        results: [] as unknown[],
      },
    ],
  };
  // the log with its results left out, then the results one by one where the empty array was
  // (the last key of the only run: `"results": []` occurs nowhere before it)
  const frame = JSON.stringify(log, null, 2);
  if (findings.length === 0) {
    yield `${frame}\n`;
    return;
  }
  const at = frame.lastIndexOf('"results": []');
  const pad = "        ";
  yield `${frame.slice(0, at)}"results": [\n`;
  for (let i = 0; i < findings.length; i++) yield `${i > 0 ? ",\n" : ""}${pad}${nested(toResult(findings[i]!), pad)}`;
  yield `\n      ]${frame.slice(at + '"results": []'.length)}\n`;
}
