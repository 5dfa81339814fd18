/**
 * A rule's help for SARIF (`help.markdown`, `help.text`, `helpUri`): its doc page in full
 * (rules/<id>.md: description, rationale, Bad, Good, How to fix, Options, references), with the
 * generator's markers removed and relative links made absolute against the page's address in
 * the repository at the package's version, so that they work in the code-scanning view.
 *
 * - A built-in rule's page is `<repository>/blob/v<version>/rules/<id>.md`.
 * - A rule from `rulesDirs` with an http(s) `docs` keeps that URL; with a local page, its text is
 *   inline and it has no `helpUri` (natlint cannot know where that page is published).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { BUILTIN_RULES_DIR } from "../engine/rules.js";
import type { RuleMeta } from "../engine/types.js";

export function isBuiltinRule(rule: Pick<RuleMeta, "id" | "file">): boolean {
  return rule.file !== "" && path.resolve(rule.file) === path.join(BUILTIN_RULES_DIR, `${rule.id}.json`);
}

/** Where a rule's page is on the web, or undefined. `repoBlob`: `<repository>/blob/<ref>/` (built-in rules). */
export function ruleDocUrl(rule: Pick<RuleMeta, "id" | "file" | "docs">, repoBlob: string | undefined): string | undefined {
  if (/^https?:\/\//i.test(rule.docs ?? "")) return rule.docs;
  if (repoBlob && isBuiltinRule(rule)) return `${repoBlob}rules/${encodeURIComponent(rule.id)}.md`;
  return undefined;
}

/** The page's markdown, or undefined when the rule has no readable local page. */
export function ruleDocMarkdown(rule: Pick<RuleMeta, "docs">, pageUrl: string | undefined): string | undefined {
  if (!rule.docs || /^https?:\/\//i.test(rule.docs)) return undefined;
  let text: string;
  try {
    text = readFileSync(rule.docs, "utf8");
  } catch {
    return undefined;
  }
  text = text.replace(/^<!-- (?:generated from [^>]*|end generated) -->\n/gm, "").replace(/\n{3,}/g, "\n\n").trim();
  if (pageUrl) {
    // [text](relative) → absolute against the page; anchors and absolute links are kept
    text = text.replace(/\]\((?!https?:|mailto:|#)([^)\s]+)\)/g, (_m, href: string) => `](${new URL(href, pageUrl).href})`);
  }
  return text + "\n";
}
