/**
 * Content keys of ACL lines and ACLs: two lines with the same key match the same packets with the
 * same action in ACLs of one vendor (the key is the resolved match, not the line's text, so an
 * object-group edit changes the key of every line that uses the group).
 */
import type { Ace, AceMatch, Acl } from "./types.js";

const bigintJson = (_k: string, v: unknown): unknown => (typeof v === "bigint" ? `${v}n` : v);

export function matchKey(m: AceMatch): string {
  return JSON.stringify(m, bigintJson);
}

/** What decides the set a line matches and what it does with it: action, `inactive`, resolved match. */
export function aceKey(e: Ace): string {
  return `${e.action}${e.inactive ? "!" : ""} ${matchKey(e.match)}`;
}

/** The lines the platform adds after the written ones, as a key. */
export function implicitKey(a: Acl): string {
  return JSON.stringify((a.implicitPermits ?? []).map((l) => [l.text, matchKey(l.match)]));
}

/**
 * Do two ACLs decide every packet alike, line by line: same name, kind, vendor, family, implicit
 * lines and, at each position, a line with the same key? (Then an analysis of one, in entry
 * indices, is the other's.)
 */
export function sameAclContent(a: Acl, b: Acl): boolean {
  if (a.name !== b.name || a.type !== b.type || a.vendor !== b.vendor || a.family !== b.family) return false;
  if (a.entries.length !== b.entries.length || implicitKey(a) !== implicitKey(b)) return false;
  for (let i = 0; i < a.entries.length; i++) if (aceKey(a.entries[i]!) !== aceKey(b.entries[i]!)) return false;
  return true;
}
