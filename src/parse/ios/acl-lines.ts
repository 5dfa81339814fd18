/**
 * IOS ACL lines (Cisco IOS Security Configuration Guide, "IP Access List Entry Sequence Numbering"; Catalyst configuration guides): numbered `access-list N …` lines, the lines of an `ip access-list`
 * context (sequence numbers, `no …`, remarks) and `ip access-list resequence`.
 */
import { ANY6 } from "../../model/addr6.js";
import { PROTO } from "../../model/ports.js";
import type { Acl, Device, ImplicitLine, SourceRef } from "../../model/types.js";
import { Cursor, ParseError } from "../common/cursor.js";
import { splitBlank } from "../common/text.js";
import { aclTypeForNumber, parseAce, type AclType, type ParsedAce } from "./acl.js";
import { parseAce6 } from "./acl6.js";
import { diag, type ParseState } from "./util.js";

/** Per-ACL sequence numbers in use and the highest one, so long ACLs insert in O(log n). */
const seqIndex = new WeakMap<Acl, { seqs: Set<number>; max: number }>();

function indexOf(acl: Acl): { seqs: Set<number>; max: number } {
  let ix = seqIndex.get(acl);
  if (!ix) {
    ix = { seqs: new Set(), max: 0 };
    for (const e of acl.entries)
      if (e.seq !== undefined) {
        ix.seqs.add(e.seq);
        if (e.seq > ix.max) ix.max = e.seq;
      }
    seqIndex.set(acl, ix);
  }
  return ix;
}

/** Forget the index after entries were removed or renumbered. */
function invalidate(acl: Acl): void {
  seqIndex.delete(acl);
}

/** Inserts in sequence order; a duplicate sequence number is rejected (as IOS does) with a diagnostic. */
function insertEntry(st: ParseState, acl: Acl, parsed: ParsedAce, seq: number | undefined): void {
  const { ace, refs } = parsed;
  const ix = indexOf(acl);
  if (seq === undefined) seq = ix.max + 10;
  else if (ix.seqs.has(seq)) {
    const clash = acl.entries.find((e) => e.seq === seq);
    diag(
      st,
      "unrecognized-syntax",
      ace.source,
      `duplicate sequence number ${seq} in ACL ${acl.name}: IOS rejects this entry${clash ? ` and keeps line ${clash.source.line}` : ""}`,
    );
    return;
  }
  ace.seq = seq;
  const es = acl.entries;
  if (seq > ix.max) es.push(ace);
  else {
    let lo = 0;
    let hi = es.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((es[mid]!.seq ?? 0) < seq) lo = mid + 1;
      else hi = mid;
    }
    es.splice(lo, 0, ace);
  }
  ix.seqs.add(seq);
  if (seq > ix.max) ix.max = seq;
  if (refs.length > 0) {
    ace.refs = refs;
    st.dev.references.push(...refs);
  }
}

export function getOrCreateAcl(st: ParseState, name: string, type: AclType, source: SourceRef): Acl | undefined {
  const existing = st.dev.acls.get(name);
  if (existing) {
    if (existing.family === "ipv6") {
      diag(st, "unrecognized-syntax", source, `ACL ${name} is already defined as an IPv6 ACL (line ${existing.source.line}); natlint keeps one ACL per name, so this IPv4 ACL is not analysed`);
      return undefined;
    }
    if (existing.type !== type) {
      diag(st, "unrecognized-syntax", source, `ACL ${name} is already defined as ${existing.type} (line ${existing.source.line}); IOS rejects a ${type} ACL of the same name`);
      return undefined;
    }
    return existing;
  }
  const acl: Acl = { name, type, source, entries: [], remarks: [], vendor: "ios" };
  st.dev.acls.set(name, acl);
  return acl;
}

/** `ipv6 access-list NAME`: a named IPv6 ACL (re-entering it adds to it). */
export function getOrCreateAcl6(st: ParseState, name: string, source: SourceRef): Acl | undefined {
  const existing = st.dev.acls.get(name);
  if (existing) {
    if (existing.family === "ipv6") return existing;
    diag(st, "unmodelled", source, `IPv6 ACL ${name} has the name of IPv4 ACL ${name} (line ${existing.source.line}); natlint keeps one ACL per name, so this IPv6 ACL is not analysed (its traffic-filters see the IPv4 one)`);
    return undefined;
  }
  const acl: Acl = { name, type: "extended", source, entries: [], remarks: [], vendor: "ios", family: "ipv6" };
  st.dev.acls.set(name, acl);
  return acl;
}

/**
 * The lines IOS adds to every IPv6 ACL after its entries, before the implicit deny: `permit icmp
 * any any nd-na` and `permit icmp any any nd-ns` (neighbor discovery). They and the deny take
 * effect only when the ACL has at least one entry: an IPv6 ACL without entries filters nothing
 * (Cisco IOS IPv6 Command Reference, `ipv6 access-list`, usage guidelines).
 */
export function setImplicitLines6(dev: Device): void {
  const icmp6 = (text: string, type: number): ImplicitLine => ({ text, match: { src: [], dst: [], src6: [ANY6], dst6: [ANY6], services: [{ protocol: PROTO.ICMP6, icmpType: type }] } });
  for (const acl of dev.acls.values()) {
    if (acl.family !== "ipv6") continue;
    acl.implicitPermits =
      acl.entries.length > 0
        ? [icmp6("permit icmp any any nd-na", 136), icmp6("permit icmp any any nd-ns", 135)]
        : [{ text: "an IPv6 ACL without entries filters nothing", match: { src: [], dst: [], src6: [ANY6], dst6: [ANY6], services: [{ protocol: null }] } }];
  }
}

/** Normalised entry text without sequence number, for `no permit …`. */
function entryKey(text: string): string {
  return splitBlank(text)
    .filter((t, i) => !(i === 0 && /^\d+$/.test(t)))
    .join(" ")
    .toLowerCase();
}

/** One line inside an `ip access-list standard|extended NAME` context. */
export function parseAclEntryLine(st: ParseState, acl: Acl, toks: string[], source: SourceRef): void {
  const cur = new Cursor(toks);
  let seq: number | undefined;
  const v6 = acl.family === "ipv6";
  // IPv6 ACLs number their entries `sequence N` (before the entry in IOS-XE output, after it in older releases)
  if (v6 && cur.peekKw() === "sequence" && /^\d+$/.test(cur.peek(1) ?? "")) {
    cur.skip();
    seq = cur.int("sequence number", 1, 4294967295);
  } else if (/^\d+$/.test(cur.peek() ?? "")) seq = cur.int("sequence number", 1, 2147483647);
  const kw = cur.peekKw();
  switch (kw) {
    case "permit":
    case "deny":
      if (v6) {
        const p = parseAce6(st, cur, source, acl.name);
        if (seq !== undefined && p.seq !== undefined && p.seq !== seq) throw new ParseError(`two sequence numbers (${seq} and ${p.seq})`);
        insertEntry(st, acl, p, seq ?? p.seq);
      } else insertEntry(st, acl, parseAce(st, acl.type, cur, source, acl.name), seq);
      return;
    case "remark":
      acl.remarks.push(source);
      return;
    case "no": {
      if (seq !== undefined) throw new ParseError(`unexpected "no" after sequence number`);
      cur.skip();
      if (v6 && cur.peekKw() === "sequence" && cur.toks.length === 3) cur.skip();
      const t = cur.peek();
      if (t !== undefined && /^\d+$/.test(t) && cur.toks.length === (cur.i === 1 ? 2 : 3)) {
        const n = Number(t);
        const i = acl.entries.findIndex((e) => e.seq === n);
        if (i < 0) diag(st, "unrecognized-syntax", source, `"no ${n}": ACL ${acl.name} has no entry with sequence number ${n}`);
        else {
          acl.entries.splice(i, 1);
          invalidate(acl);
        }
        return;
      }
      if (cur.peekKw() === "remark") {
        const key = entryKey(toks.slice(1).join(" "));
        acl.remarks = acl.remarks.filter((r) => entryKey(r.text) !== key);
        return;
      }
      if (cur.peekKw() === "permit" || cur.peekKw() === "deny") {
        const key = entryKey(toks.slice(1).join(" "));
        const i = acl.entries.findIndex((e) => entryKey(e.source.text) === key);
        if (i < 0) diag(st, "unrecognized-syntax", source, `"no ${toks.slice(1).join(" ")}": no such entry in ACL ${acl.name}`);
        else {
          acl.entries.splice(i, 1);
          invalidate(acl);
        }
        return;
      }
      if (cur.peekKw() === "statistics") return;
      throw new ParseError(`expected a sequence number, permit, deny or remark after "no"`);
    }
    case "evaluate": {
      // Cisco IOS Security Configuration Guide, "Configuring IP Session Filtering (Reflexive Access Lists)"
      cur.skip();
      const name = cur.next("reflexive ACL name");
      st.dev.otherMentions.add(name);
      const ev: (typeof st.dev.features.evaluates)[number] = { acl: acl.name, name, source };
      if (seq !== undefined) ev.seq = seq;
      st.dev.features.evaluates.push(ev);
      // reported with the reflect lines it stands for, once the whole file is read (./features.ts)
      return;
    }
    case "dynamic":
      diag(st, "unmodelled", source, `dynamic (lock-and-key) entry in ACL ${acl.name}: after a user authenticates ("access-enable"), it permits the traffic it names; natlint ignores it, so verdicts may be permit where natlint says deny`);
      return;
    case "statistics":
      return;
    case undefined:
      throw new ParseError("expected permit, deny or remark after sequence number");
    default:
      throw new ParseError(`expected permit, deny, remark or a sequence number, got "${cur.peek()}"`);
  }
}

/** Top-level keywords after `access-list` that are not ACL definitions. */
const ACCESS_LIST_GLOBALS = new Set(["compiled", "rate-limit", "dynamic-extended", "hardware", "logging", "log-update"]);

/** `access-list N …` (numbered ACL line). */
export function parseNumberedLine(st: ParseState, toks: string[], source: SourceRef): void {
  const cur = new Cursor(toks, 1);
  const id = cur.next("ACL number");
  if (!/^\d+$/.test(id)) {
    if (ACCESS_LIST_GLOBALS.has(id.toLowerCase())) return;
    const second = cur.peekKw();
    if (second === "extended" || second === "standard" || second === "remark" || second === "permit" || second === "deny")
      throw new ParseError(`"access-list ${id} ${second}": IOS numbered ACLs take a number (named ACLs use "ip access-list ${second === "standard" ? "standard" : "extended"} ${id}"); this looks like ASA syntax`);
    throw new ParseError(`expected an ACL number after "access-list", got "${id}"`);
  }
  const n = Number(id);
  const type = aclTypeForNumber(n);
  if (type === undefined) {
    diag(st, "note", source, `access-list ${n} is not an IPv4 ACL number (standard 1-99, 1300-1999; extended 100-199, 2000-2699; the others are MAC, protocol-type and legacy protocol ACLs): not analysed`);
    return;
  }
  const acl = getOrCreateAcl(st, id, type, source);
  if (!acl) return;
  const kw = cur.peekKw();
  if (kw === "remark") {
    acl.remarks.push(source);
    return;
  }
  if (kw === "dynamic") {
    diag(st, "unmodelled", source, `dynamic (lock-and-key) entry in access-list ${n}: after a user authenticates ("access-enable"), it permits the traffic it names; natlint ignores it, so verdicts may be permit where natlint says deny`);
    return;
  }
  if (kw === "permit" || kw === "deny") {
    insertEntry(st, acl, parseAce(st, type, cur, source, id), undefined);
    return;
  }
  if (kw === undefined) throw new ParseError(`expected permit, deny or remark after "access-list ${n}"`);
  throw new ParseError(`expected permit, deny or remark after "access-list ${n}", got "${cur.peek()}"`);
}

/** `ip access-list resequence NAME START STEP`. */
export function resequence(st: ParseState, toks: string[], source: SourceRef): void {
  const cur = new Cursor(toks, 3);
  const name = cur.next("ACL name");
  const start = cur.int("starting sequence number", 1, 2147483647);
  const step = cur.int("increment", 1, 2147483647);
  const acl = st.dev.acls.get(name);
  if (!acl) {
    diag(st, "unrecognized-syntax", source, `ip access-list resequence: ACL ${name} is not defined`);
    return;
  }
  acl.entries.forEach((e, i) => (e.seq = start + i * step));
  invalidate(acl);
}
