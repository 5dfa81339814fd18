/**
 * SARIF 2.1.0 output, in the shape GitHub code scanning ingests
 * (`github/codeql-action/upload-sarif`). Deterministic: no timestamps, no invocation data, findings
 * sorted by file/line/rule, rules sorted by id, JSON with sorted property bags.
 *
 * Paths: `artifactLocation.uri` is the finding's file relative to `opts.cwd` (forward slashes,
 * percent-encoded) with `uriBaseId: "%SRCROOT%"`; `run.originalUriBaseIds["%SRCROOT%"]` is the
 * `file://` URL of `opts.cwd`. A file outside `opts.cwd` gets an absolute `file://` URI instead.
 * Run natlint from the repository root so code scanning can place the results.
 */
import { createHash } from "node:crypto";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { compareStrings, findingJson, type Finding, type Severity } from "../core/finding.js";
import type { LintResult, RuleMeta } from "../engine/types.js";
import { isOutside, repoRelative, sortFindings } from "../io/paths.js";


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
   * Base URL of the rule doc pages; a rule's `helpUri` is `docsBaseUri + id + ".md"` unless its
   * `docs` is already an absolute http(s) URL. Default `<informationUri>/blob/main/rules/` when
   * there is an informationUri; with neither, rules carry no helpUri (their help text is inline).
   */
  docsBaseUri?: string;
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

export function helpUriFor(rule: Pick<RuleMeta, "id" | "docs">, docsBaseUri: string): string {
  if (/^https?:\/\//i.test(rule.docs ?? "")) return rule.docs;
  return docsBaseUri + encodeURIComponent(rule.id) + ".md";
}

/** Collapse whitespace so re-indenting a line does not change its fingerprint. */
function normalizeSource(text: string): string {
  return text.trim().replace(/\s+/g, " ");
}

function sha256(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

const CORE_KEYS = new Set(["ruleId", "severity", "file", "line", "message", "source"]);

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
  properties: { tags: string[] };
}

function ruleDescriptor(rule: RuleMeta, docsBaseUri: string | undefined): SarifRule {
  const helpUri = docsBaseUri === undefined ? undefined : helpUriFor(rule, docsBaseUri);
  const docsText = helpUri ? `\n\nDocumentation: ${helpUri}` : `\n\nDocumentation: rules/${rule.id}.md in the natlint package`;
  const docsMd = helpUri ? `\n\n[Rule documentation](${helpUri})` : `\n\nDocumentation: \`rules/${rule.id}.md\` in the natlint package`;
  const refsText = rule.references.length ? `\n\nReferences:\n${rule.references.map((r) => `- ${r}`).join("\n")}` : "";
  const refsMd = rule.references.length ? `\n\n## References\n\n${rule.references.map((r) => `- ${r}`).join("\n")}` : "";
  const rationale = rule.rationale ? `\n\n${rule.rationale}` : "";
  const rationaleMd = rule.rationale ? `\n\n## Rationale\n\n${rule.rationale}` : "";
  return {
    id: rule.id,
    name: pascalCase(rule.id),
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.description || rule.title },
    help: {
      text: `${rule.description || rule.title}${rationale}${refsText}${docsText}`,
      markdown: `# ${rule.title}\n\n${rule.description || ""}${rationaleMd}${refsMd}${docsMd}`,
    },
    ...(helpUri ? { helpUri } : {}),
    defaultConfiguration: { level: sarifLevel(rule.severity) },
    properties: { tags: ["natlint", rule.check].filter((t): t is string => !!t) },
  };
}

function syntheticDescriptor(id: string, docsBaseUri: string | undefined): SarifRule {
  const b = BUILTIN_RULES[id];
  const title = b?.title ?? id;
  const description = b?.description ?? `Findings reported by natlint under the id '${id}'.`;
  const rule: RuleMeta = {
    id,
    title,
    severity: b?.severity ?? "warning",
    description,
    rationale: "",
    references: [],
    check: "",
    options: {},
    file: "",
    docs: "",
  };
  const d = ruleDescriptor(rule, docsBaseUri);
  if (!b) delete d.helpUri;
  d.properties.tags = ["natlint"];
  return d;
}

export function formatSarif(result: LintResult, opts: SarifOptions): string {
  const informationUri = opts.informationUri;
  const docsBaseUri = opts.docsBaseUri ?? (informationUri ? `${informationUri.replace(/\/+$/, "")}/blob/main/rules/` : undefined);
  const findings = sortFindings(result.findings, opts.cwd);

  // Rules: every rule that ran, plus a synthetic descriptor for any other id a finding uses.
  const byId = new Map<string, SarifRule>();
  for (const r of result.rules) if (!byId.has(r.id)) byId.set(r.id, ruleDescriptor(r, docsBaseUri));
  for (const f of findings) if (!byId.has(f.ruleId)) byId.set(f.ruleId, syntheticDescriptor(f.ruleId, docsBaseUri));
  const rules = [...byId.values()].sort((a, b) => compareStrings(a.id, b.id));
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));

  const occurrences = new Map<string, number>();
  const results = findings.map((f) => {
    const rel = repoRelative(f.file, opts.cwd);
    const outside = isOutside(rel);
    const artifactLocation = outside
      ? { uri: pathToFileURL(path.resolve(opts.cwd, f.file)).href }
      : { uri: encodePath(rel), uriBaseId: "%SRCROOT%" };
    // GitHub requires a region; a file-level finding (line 0) points at line 1.
    const startLine = Number.isInteger(f.line) && f.line >= 1 ? f.line : 1;
    const physicalLocation = { artifactLocation, region: { startLine } };

    const basis = [f.ruleId, rel, f.acl ?? "", normalizeSource(f.source ?? f.message)].join("\0");
    const hash = sha256(basis).slice(0, 32);
    const n = (occurrences.get(hash) ?? 0) + 1;
    occurrences.set(hash, n);

    const res: Record<string, unknown> = {
      ruleId: f.ruleId,
      ruleIndex: ruleIndex.get(f.ruleId)!,
      level: sarifLevel(f.severity),
      message: { text: f.message },
      locations: [{ physicalLocation }],
      partialFingerprints: { [FINGERPRINT_KEY]: `${hash}:${n}` },
    };
    const bag = propertyBag(f);
    if (bag) res.properties = bag;
    return res;
  });

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
        results,
      },
    ],
  };
  return JSON.stringify(log, null, 2) + "\n";
}
