/**
 * ASA `access-list` lines (collected in file order in pass 1, with `line N` insertion) and
 * `access-group` lines, turned into ACLs and bindings in pass 2 once every object is known.
 *
 * Address families: from ASA 9.0 extended ACLs are unified (IPv4 and IPv6 in one ACL: family
 * `both`); before 9.0 they are IPv4 only and IPv6 has `ipv6 access-list NAME …` (ASA 8.x command
 * reference, `ipv6 access-list`), bound by the same `access-group NAME`. An IPv6 ACL of the name of
 * an IPv4 one is therefore merged into it (its lines after the IPv4 ones: a packet is matched
 * only by lines of its own family, so the order across families does not matter).
 */
import type { Acl, Interface, SourceRef } from "../../model/types.js";
import { ParseError } from "../common/cursor.js";
import { parseExtendedAce, parseStandardAce } from "./acl.js";
import type { AsaCtx } from "./context.js";

/** An ACL line (entry or remark) in final ACL order. */
export interface AclItem {
  kind: "ace" | "remark";
  type: "extended" | "standard";
  toks: string[];
  src: SourceRef;
  seq?: number;
}

export interface RawAccessGroup {
  toks: string[];
  src: SourceRef;
}

/** What pass 1 collects for the access lists. */
export interface AclLines {
  aclItems: Map<string, AclItem[]>;
  /** `ipv6 access-list` lines (ASA before 9.0), by ACL name. */
  aclItems6: Map<string, AclItem[]>;
  aclFirst: Map<string, SourceRef>;
  unmodelledAcl: Set<string>;
  accessGroups: RawAccessGroup[];
  mention: (toks: readonly string[]) => void;
}

/** Pass 2: access-group bindings, then the ACLs (each entry parsed on its own; errors become diagnostics). */
export function buildAccessLists(ctx: AsaCtx, st: AclLines): void {
  for (const ag of st.accessGroups) {
    try {
      accessGroup(ctx, ag.toks, ag.src);
    } catch (e) {
      ctx.diag("unrecognized-syntax", ag.src, `access-group: ${e instanceof ParseError ? e.message : `internal error: ${(e as Error).message}`}`);
    }
  }
  const unified = asaUnified(ctx.dev.version);
  const fill = (acl: Acl, items: readonly AclItem[], family: "both" | "ipv4" | "ipv6"): void => {
    for (const it of items) {
      if (it.kind === "remark") {
        acl.remarks.push(it.src);
        continue;
      }
      try {
        const ace = it.type === "standard" ? parseStandardAce(ctx, acl.name, it.toks, it.src) : parseExtendedAce(ctx, acl.name, it.toks, it.src, family);
        if (it.seq !== undefined) ace.seq = it.seq;
        acl.entries.push(ace);
      } catch (e) {
        const what = family === "ipv6" ? "ipv6 access-list" : "access-list";
        ctx.diag("unrecognized-syntax", it.src, `${what} ${acl.name}: ${e instanceof ParseError ? e.message : `internal error: ${(e as Error).message}`}`);
      }
    }
  };
  for (const [name, items] of st.aclItems) {
    const first = st.aclFirst.get(name)!;
    const acl: Acl = { name, type: items.find((x) => x.kind === "ace")?.type ?? "extended", source: first, entries: [], remarks: [], vendor: "asa" };
    if (unified && acl.type === "extended") acl.family = "both";
    fill(acl, items, unified ? "both" : "ipv4");
    ctx.dev.acls.set(name, acl);
  }
  for (const [name, items] of st.aclItems6) {
    const v4 = ctx.dev.acls.get(name);
    if (v4 && v4.type !== "extended") {
      ctx.diag("unrecognized-syntax", items[0]!.src, `ipv6 access-list ${name}: the name of a standard ACL (line ${v4.source.line}); not analysed`);
      continue;
    }
    const acl: Acl = v4 ?? { name, type: "extended", source: items[0]!.src, entries: [], remarks: [], vendor: "asa", family: "ipv6" };
    if (v4) acl.family = "both";
    fill(acl, items, "ipv6");
    ctx.dev.acls.set(name, acl);
  }
}

/** Unified (IPv4 + IPv6) extended ACLs: ASA 9.0 and later, or an unknown version (taken as current). */
export function asaUnified(version: string | undefined): boolean {
  const m = version === undefined ? null : /^(\d+)\.(\d+)/.exec(version);
  return m === null ? version === undefined : Number(m[1]) >= 9;
}

/**
 * `access-list …`, or (`v6`) `ipv6 access-list NAME [line N] {permit|deny} …` / `… remark` (ASA
 * before 9.0; the caller passes the tokens from `access-list`).
 */
export function accessListLine(ctx: AsaCtx, toks: string[], src: SourceRef, st: AclLines, v6 = false): void {
  toks = [...toks];
  let name = toks[1];
  if (name === undefined) throw new ParseError(`access-list: expected a name`);
  // global settings, not ACLs
  if ((name === "alert-interval" || name === "deny-flow-max") && /^\d+$/.test(toks[2] ?? "")) return;
  // `show access-list` output: header lines, and `(hitcnt=N) [(inactive)] 0xHASH` after each entry
  if (name.endsWith(";") || (name === "cached" && toks[2] === "ACL")) {
    st.mention([name.replace(/;$/, "")]);
    return;
  }
  const hit = toks.findIndex((t) => /^\(hitcnt=\d+\)$/.test(t));
  if (hit > 0) toks = toks.slice(0, hit);
  name = toks[1]!;
  let i = 2;
  let seq: number | undefined;
  if (toks[i]?.toLowerCase() === "line") {
    const n = toks[i + 1];
    if (!n || !/^\d+$/.test(n) || Number(n) < 1) throw new ParseError(`access-list ${name}: expected a line number after "line"`);
    seq = Number(n);
    i += 2;
  }
  const kind = toks[i]?.toLowerCase();
  let item: AclItem;
  if (v6) {
    if (kind === "remark") item = { kind: "remark", type: "extended", toks: [], src };
    else if (kind === "permit" || kind === "deny") item = { kind: "ace", type: "extended", toks: toks.slice(i), src };
    else throw new ParseError(`ipv6 access-list ${name}: expected permit, deny or remark${kind === undefined ? "" : `, found "${toks[i]}"`}`);
    if (seq !== undefined) item.seq = seq;
    let items = st.aclItems6.get(name);
    if (!items) st.aclItems6.set(name, (items = []));
    if (seq !== undefined) items.splice(Math.min(seq - 1, items.length), 0, item);
    else items.push(item);
    return;
  }
  if (kind === "remark") item = { kind: "remark", type: "extended", toks: [], src };
  else if (kind === "extended" || kind === "standard") item = { kind: "ace", type: kind, toks: toks.slice(i + 1), src };
  else if (kind === "permit" || kind === "deny") item = { kind: "ace", type: "extended", toks: toks.slice(i), src }; // PIX 6 (no "extended")
  else if (kind === "webtype" || kind === "ethertype" || kind === "advanced" || kind === "rule-based") {
    if (!st.unmodelledAcl.has(name)) {
      st.unmodelledAcl.add(name);
      // webtype (clientless VPN) and ethertype (non-IP, transparent mode) ACLs do not filter IPv4 through-traffic
      ctx.diag(kind === "webtype" || kind === "ethertype" ? "note" : "unmodelled", src, `access-list ${name}: ${kind} ACLs are not analysed (natlint models extended and standard ACLs)`);
    }
    st.mention([name]);
    return;
  } else if (kind === undefined) throw new ParseError(`access-list ${name}: expected extended, standard or remark`);
  else throw new ParseError(`access-list ${name}: unknown ACL type "${toks[i]}" (expected extended, standard, remark, webtype or ethertype)`);
  if (seq !== undefined) item.seq = seq;
  let items = st.aclItems.get(name);
  if (!items) {
    items = [];
    st.aclItems.set(name, items);
    st.aclFirst.set(name, src);
  }
  // ASA numbers remarks too: `line N` inserts before the current N-th line (entries and remarks)
  if (seq !== undefined) items.splice(Math.min(seq - 1, items.length), 0, item);
  else items.push(item);
}

function accessGroup(ctx: AsaCtx, toks: string[], src: SourceRef): void {
  const name = toks[1];
  const dir = toks[2]?.toLowerCase();
  if (!name || !dir) throw new ParseError(`expected "access-group NAME in|out interface IF" or "access-group NAME global"`);
  if (dir === "global") {
    if (toks.length > 3) throw new ParseError(`unexpected "${toks[3]}"`);
    ctx.ref("acl", name, src, "access-group", "access-group");
    // one global ACL per device: a later line replaces an earlier one, as on the ASA
    ctx.dev.globalAcl = { acl: name, direction: "in", source: src };
    return;
  }
  if (dir !== "in" && dir !== "out") throw new ParseError(`expected in, out or global after the ACL name, found "${toks[2]}"`);
  if (toks[3]?.toLowerCase() !== "interface" || !toks[4])
    throw new ParseError(`expected "interface IF" after ${dir}`);
  const ifName = toks[4];
  let controlPlane = false;
  for (const t of toks.slice(5)) {
    const lc = t.toLowerCase();
    if (lc === "control-plane") controlPlane = true;
    else if (lc !== "per-user-override") throw new ParseError(`unexpected "${t}"`);
  }
  ctx.ref("acl", name, src, "access-group", "access-group");
  ctx.ref("interface", ifName, src, "access-group", "access-group");
  const iface = ctx.ifaces.get(ifName);
  if (!iface) return; // undefined interface: the reference reports it
  const ag: Interface["accessGroups"][number] = { acl: name, direction: dir, source: src };
  if (controlPlane) ag.controlPlane = true;
  iface.accessGroups.push(ag);
}
