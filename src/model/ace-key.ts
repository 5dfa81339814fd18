/**
 * Content keys of ACL lines and ACLs: two lines with the same key match the same packets with the
 * same action in ACLs of one vendor (the key is the resolved match, not the line's text, so an
 * object-group edit changes the key of every line that uses the group).
 */
import { createHash } from "node:crypto";
import type { Ace, AceMatch, Acl } from "./types.js";

const bigintJson = (_k: string, v: unknown): unknown => (typeof v === "bigint" ? `${v}n` : v);

export function matchKey(m: AceMatch): string {
  // IPv6 addresses are bigints; without them the replacer (a call per value, most of the key's
  // cost) would return every value as it is
  if (m.src6 === undefined && m.dst6 === undefined) {
    try {
      return JSON.stringify(m);
    } catch {
      // a bigint elsewhere: the replacer below
    }
  }
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

/** An ACL's content key by ACL, valid while its entry list is the one it was computed for. */
const contentKeys = new WeakMap<Acl, { entries: Acl["entries"]; length: number; key: string }>();

/**
 * A digest of everything that decides what an ACL does with each packet, line by line: name,
 * kind, vendor, family, implicit lines and each line's key in order. Computed once per ACL (a fix
 * proof compares the original's ACLs with each edited version's).
 */
export function aclContentKey(a: Acl): string {
  const hit = contentKeys.get(a);
  if (hit !== undefined && hit.entries === a.entries && hit.length === a.entries.length) return hit.key;
  const h = createHash("sha256").update(JSON.stringify([a.name, a.type, a.vendor, a.family ?? "", implicitKey(a)]));
  for (const e of a.entries) h.update("\n").update(aceKey(e));
  const key = h.digest("hex");
  contentKeys.set(a, { entries: a.entries, length: a.entries.length, key });
  return key;
}

/**
 * Do two ACLs decide every packet alike, line by line: same name, kind, vendor, family, implicit
 * lines and, at each position, a line with the same key? (Then an analysis of one, in entry
 * indices, is the other's.)
 */
export function sameAclContent(a: Acl, b: Acl): boolean {
  return a.entries.length === b.entries.length && aclContentKey(a) === aclContentKey(b);
}
