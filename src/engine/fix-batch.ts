/**
 * One batch of a file's fixes applied in memory and proven (see ./fix.ts): the config parsed and
 * linted again, findings and parser diagnostics compared line by line, every ACL's change per fix
 * (an exact region diff), and the device commands checked against the device-command model.
 */
import type { Finding } from "../core/finding.js";
import { ResourceError } from "../core/limits.js";
import type { Ace, Acl, Device, Vendor } from "../model/types.js";
import { applyEdits, type Applied, type FixIntent, type ProofChange, type Remedy } from "../model/edits.js";
import type { Rendered } from "../model/config-edit.js";
import { applyDeviceCommands } from "../model/device-cli.js";
import { parseConfig } from "../parse/index.js";
import { HeaderSpace, type PSet } from "../headerspace/index.js";
import { AclSets } from "../acl/sets.js";
import { regionDiff } from "../analysis/diff.js";
import { describeSet, wordsText } from "../analysis/describe.js";
import { unchangedAcls } from "./acl-memo.js";

/** Everything the proof needs to analyse a version of the file again. */
export interface FileContext {
  file: string;
  vendor: Vendor;
  text: string;
  device: Device;
  /** Every finding of the rules on `device`, before suppressions (what (b) compares with). */
  raw: Finding[];
  /**
   * Runs the same rules with the same settings on another version of the device; `unchanged` maps
   * its ACLs whose lines are those of an ACL of `device` to that ACL (their per-ACL results are reused).
   */
  lint(device: Device, unchanged?: ReadonlyMap<Acl, Acl>): Finding[];
  /** Packet sets for the proofs (one header space per file, made on first use, so the old ACLs are encoded once). */
  sets?: AclSets;
}

export interface Candidate {
  finding: Finding;
  remedy: Remedy;
  rendered: Rendered;
}

// ------------------------------------------------------------------------------ one batch

export interface Batch {
  applied: Applied;
  device: Device;
  raw: Finding[];
  failed: Map<Candidate, string>;
  /** Problems no single fix can be blamed for. */
  loose: string[];
  /**
   * Fixes that wrote a line a loose new finding names as the cause (a line it is shadowed by or
   * redundant to, from the finding's details): the first ones to try alone.
   */
  suspects: Set<Candidate>;
  proofs: Map<Candidate, { changes: ProofChange[]; summary: string; changed: string[] }>;
}

const key = (f: { ruleId: string }, line: number) => `${f.ruleId}\0${line}`;

function multiset(keys: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const k of keys) m.set(k, (m.get(k) ?? 0) + 1);
  return m;
}

function take(m: Map<string, number>, k: string): boolean {
  const n = m.get(k) ?? 0;
  if (n === 0) return false;
  m.set(k, n - 1);
  return true;
}

/** New line → old line, for lines kept or replaced. */
function backMap(a: Applied): Map<number, number> {
  const m = new Map<number, number>();
  for (const [o, n] of a.kept) m.set(n, o);
  for (const [o, n] of a.replaced) m.set(n, o);
  return m;
}

/**
 * The same entry in both versions: same action and match. A line whose text is unchanged and that
 * uses no object-group a fix edits matches what it matched (the cheap test, for long ACLs); else
 * the packet sets are compared.
 */
function sameEntry(sets: AclSets, vendor: Vendor, a: Ace, b: Ace, edited: ReadonlySet<string>): boolean {
  if (a.action !== b.action || !!a.inactive !== !!b.inactive) return false;
  if (a.source.text === b.source.text && !(b.refs ?? []).some((r) => edited.has(r.name))) return true;
  return sets.match(a.match, a.action, vendor) === sets.match(b.match, b.action, vendor);
}

function intentSet(sets: AclSets, intent: FixIntent): PSet {
  const hs = sets.hs;
  if (intent.change === "none") return hs.none;
  let u: PSet = hs.none;
  for (const b of intent.boxes) {
    let addrs = hs.and(hs.addrSet("src", b.src), hs.addrSet("dst", b.dst));
    if (b.src6 && b.dst6) addrs = hs.or(addrs, hs.and(hs.family(6), hs.and(hs.addrSet6("src6", b.src6), hs.addrSet6("dst6", b.dst6))));
    let s = hs.and(hs.protocol(b.protocol), addrs);
    if (b.srcPorts) s = hs.and(s, hs.portSet("srcPort", b.srcPorts));
    if (b.dstPorts) s = hs.and(s, hs.portSet("dstPort", b.dstPorts));
    if (b.icmpTypes) s = hs.and(s, hs.and(hs.eq("fragment", 0), hs.union(b.icmpTypes.map((t) => hs.eq("icmpType", t)))));
    if (b.fragments) s = hs.and(s, hs.eq("fragment", 1));
    u = hs.or(u, s);
  }
  return u;
}

function change(sets: AclSets, acl: string, action: "permit" | "deny", set: PSet): { change: ProofChange; words: string } {
  const w = describeSet(sets.hs, set);
  return { change: { acl, action, protocol: w.protocol, src: w.src, srcPorts: w.srcPorts, dst: w.dst, dstPorts: w.dstPorts, packets: w.count.toString() }, words: wordsText(w) };
}

function words(sets: AclSets, set: PSet): string {
  return wordsText(describeSet(sets.hs, set));
}

/** Is the ACL used by something other than interface filtering (NAT, route-maps, crypto, …)? */
function otherUse(device: Device, name: string): string | undefined {
  if (device.natRules.some((r) => r.match.acl === name)) return "NAT";
  if (device.otherMentions.has(name)) return "a feature natlint does not model (route-map, crypto map, class-map, …)";
  return undefined;
}

/** The lines a finding names as its cause: shadowed-line's blockers, redundant-line's deciders. */
function causeLines(f: Finding): number[] {
  const d = f.details as { blockingLines?: unknown; decidedBy?: unknown } | undefined;
  const lines = [d?.blockingLines, d?.decidedBy].flatMap((x) => (Array.isArray(x) ? x : []));
  return lines.filter((n): n is number => typeof n === "number");
}

export function runBatch(ctx: FileContext, cands: readonly Candidate[]): Batch {
  const applied = applyEdits(ctx.text, cands.map((c) => c.rendered.edits));
  const parsed = parseConfig(applied.text, ctx.file, ctx.vendor);
  const device = parsed.device;
  const raw = ctx.lint(device, unchangedAcls(ctx.device, device));
  const failed = new Map<Candidate, string>();
  const loose: string[] = [];
  const suspects = new Set<Candidate>();
  const fail = (c: Candidate, why: string) => {
    if (!failed.has(c)) failed.set(c, why);
  };
  const back = backMap(applied);
  const byLine = (n: number) => {
    const i = applied.written.get(n);
    return i === undefined ? undefined : cands[i];
  };

  // (b) parser diagnostics
  const oldDiags = multiset(ctx.device.diagnostics.map((d) => `${d.kind}\0${d.message}\0${d.source.line}`));
  for (const d of device.diagnostics) {
    const c = byLine(d.source.line);
    const o = back.get(d.source.line);
    if (o !== undefined && take(oldDiags, `${d.kind}\0${d.message}\0${o}`)) continue;
    if (c) fail(c, `the edited config does not parse as intended: ${d.message}`);
    else loose.push(`line ${d.source.line}: ${d.message}`);
  }

  // (a), (b) findings
  const targets = new Map<string, Candidate>();
  for (const c of cands) targets.set(key(c.finding, c.finding.line), c);
  const oldFindings = multiset(ctx.raw.map((f) => key(f, f.line)));
  for (const f of raw) {
    const c = byLine(f.line);
    const o = back.get(f.line);
    const target = o !== undefined ? targets.get(key(f, o)) : undefined;
    if (target) {
      fail(target, "the finding is still there after the fix");
      continue;
    }
    if (c && f.ruleId === c.finding.ruleId) {
      fail(c, "the finding is still there after the fix");
      continue;
    }
    if (o !== undefined && take(oldFindings, key(f, o))) continue;
    // a line the fixes make redundant (deleting one redundant line can make the one above it
    // redundant): reported, and removed by the next pass of --fix
    if (f.ruleId === "redundant-line") continue;
    const text = `${f.ruleId} on line ${f.line}: ${f.message}`;
    const on = c ?? (o !== undefined ? cands.find((x) => x.finding.line === o) : undefined);
    if (on) fail(on, `the fix would add a finding: ${text}`);
    else {
      loose.push(`a new finding: ${text}`);
      for (const n of causeLines(f)) {
        const s = byLine(n);
        if (s) suspects.add(s);
      }
    }
  }

  // (c) every ACL, each fix on its own
  const sets = (ctx.sets ??= new AclSets(new HeaderSpace()));
  const editedGroups = new Set(cands.flatMap((c) => c.remedy.edits.flatMap((e) => (e.kind === "addMembers" ? [e.group] : []))));
  const proofs = new Map<Candidate, { changes: ProofChange[]; summary: string; changed: string[] }>();
  for (const c of cands) proofs.set(c, { changes: [], summary: "", changed: [] });
  const removedBy = new Map<number, Candidate>();
  cands.forEach((c) => {
    for (const e of c.rendered.edits) if (e.op === "replace" || e.op === "delete") removedBy.set(e.line, c);
  });
  const groupOwner = (a: Ace): Candidate | undefined =>
    cands.find((c) => c.remedy.edits.some((e) => e.kind === "addMembers" && a.refs?.some((r) => r.name === e.group)));
  const names = [...new Set([...ctx.device.acls.keys(), ...device.acls.keys()])];
  for (const name of names) {
    const oldAcl = ctx.device.acls.get(name);
    const newAcl = device.acls.get(name);
    if (!oldAcl || !newAcl) {
      loose.push(`ACL ${name} would be ${oldAcl ? "removed" : "added"}`);
      continue;
    }
    const oldAt = new Map(oldAcl.entries.map((e, i) => [e.source.line, i]));
    const keptOld = new Set<number>();
    /** per fix: old indices removed, new entries with the old index they follow (-1: first) */
    const work = new Map<Candidate, { removed: Set<number>; added: Array<{ ace: Ace; after: number }> }>();
    const of = (c: Candidate) => {
      let w = work.get(c);
      if (!w) work.set(c, (w = { removed: new Set(), added: [] }));
      return w;
    };
    let lastKept = -1;
    let ordered = true;
    for (const e of newAcl.entries) {
      const o = back.get(e.source.line);
      const oi = o !== undefined && !applied.replaced.has(o) ? oldAt.get(o) : undefined;
      if (oi !== undefined && sameEntry(sets, oldAcl.vendor, oldAcl.entries[oi]!, e, editedGroups)) {
        if (oi < lastKept) ordered = false;
        lastKept = oi;
        keptOld.add(oi);
        continue;
      }
      const c = byLine(e.source.line) ?? groupOwner(e);
      if (!c) {
        loose.push(`${name}: line ${e.source.line} changed`);
        continue;
      }
      of(c).added.push({ ace: e, after: lastKept });
      if (oi !== undefined) of(c).removed.add(oi);
    }
    if (!ordered) loose.push(`${name}: the order of its lines changed`);
    oldAcl.entries.forEach((e, i) => {
      if (keptOld.has(i)) return;
      const c = removedBy.get(e.source.line) ?? groupOwner(e);
      if (c) of(c).removed.add(i);
      else loose.push(`${name}: line ${e.source.line} is gone`);
    });
    if (work.size > 1 && ordered) {
      // the fixes together: their changes must not add up to more than each allows
      const differing = [...work.values()].flatMap((w) => [...[...w.removed].map((i) => oldAcl.entries[i]!), ...w.added.map((a) => a.ace)]);
      const d = regionDiff(sets, oldAcl.vendor, oldAcl.entries, newAcl.entries, differing);
      let allowed = sets.hs.none;
      for (const c of work.keys()) if (c.remedy.intent.change !== "none") allowed = sets.hs.or(allowed, intentSet(sets, c.remedy.intent));
      if (d.lost !== sets.hs.none) loose.push(`together, the fixes of ${name} would deny what it permits now: ${words(sets, d.lost)}`);
      else if (sets.hs.diff(d.gained, allowed) !== sets.hs.none) loose.push(`together, the fixes of ${name} would also permit ${words(sets, sets.hs.diff(d.gained, allowed))}`);
    }
    for (const [c, w] of work) {
      // where the fix meant its lines to go: right after the edited line (or in its place)
      const edit = c.remedy.edits.find((x) => x.kind !== "addMembers" && x.acl === name);
      if (edit && edit.kind !== "addMembers" && w.added.length) {
        const ei = oldAt.get(edit.ace.source.line)!;
        const want = edit.kind === "insertAfter" ? ei : lastBelow(keptOld, ei);
        const next = edit.kind === "insertBefore" ? newAcl.entries.findIndex((x) => back.get(x.source.line) === edit.ace.source.line) : -1;
        const lastNew = edit.kind === "insertBefore" ? newAcl.entries.findIndex((x) => x === w.added[w.added.length - 1]!.ace) : -1;
        if (w.added.some((a) => a.after !== want) || (edit.kind === "insertBefore" && next !== lastNew + 1)) {
          fail(c, `in the edited config the new line would not come right ${edit.kind === "insertBefore" ? "before" : "after"} line ${edit.ace.source.line} of ${name}`);
          continue;
        }
      }
      const entries: Ace[] = [];
      const pending = [...w.added];
      const flush = (after: number) => {
        while (pending.length && pending[0]!.after === after) entries.push(pending.shift()!.ace);
      };
      flush(-1);
      oldAcl.entries.forEach((e, i) => {
        if (!w.removed.has(i)) entries.push(e);
        flush(i);
      });
      for (const p of pending) entries.push(p.ace);
      const differing = [...[...w.removed].map((i) => oldAcl.entries[i]!), ...w.added.map((a) => a.ace)];
      const d = regionDiff(sets, oldAcl.vendor, oldAcl.entries, entries, differing);
      const p = proofs.get(c)!;
      if (d.lost !== sets.hs.none) {
        fail(c, `it would deny what ${name} permits now: ${words(sets, d.lost)}`);
        continue;
      }
      if (d.gained === sets.hs.none) continue;
      if (c.remedy.intent.change === "none") {
        fail(c, `it would change what ${name} permits: ${words(sets, d.gained)}`);
        continue;
      }
      const outside = sets.hs.diff(d.gained, intentSet(sets, c.remedy.intent));
      if (outside !== sets.hs.none) {
        fail(c, `it would also permit ${words(sets, outside)} in ${name}, which is not ${c.remedy.intent.meant ?? "IKE/NAT-T to the PAT's ports"}`);
        continue;
      }
      const use = otherUse(device, name);
      if (use) {
        fail(c, `ACL ${name} is also used by ${use}; natlint proves only what it filters`);
        continue;
      }
      // in words per part of the intent (each usually a box: exact)
      const parts: string[] = [];
      let left = d.gained;
      for (const b of c.remedy.intent.boxes) {
        const piece = sets.hs.and(left, intentSet(sets, { change: "permit", boxes: [b] }));
        if (piece === sets.hs.none) continue;
        left = sets.hs.diff(left, piece);
        const ch = change(sets, name, "permit", piece);
        // the words have no ICMP type: the box's types the piece holds
        const types = (b.icmpTypes ?? []).filter((t) => sets.hs.and(piece, sets.hs.eq("icmpType", t)) !== sets.hs.none);
        if (types.length) ch.change.icmpTypes = types.join(",");
        if (b.fragments) ch.change.nonInitialFragments = true;
        p.changes.push(ch.change);
        parts.push(ch.words + (types.length ? ` type ${types.join(",")}` : "") + (b.fragments ? " (non-initial fragments)" : ""));
      }
      p.changed.push(name);
      p.summary += `${p.summary ? "; " : ""}${name} permits ${parts.join(" and ")} in addition`;
    }
  }
  return { applied, device, raw, failed, loose, suspects, proofs };
}

// ------------------------------------------------------------------------------ device commands

/** The ACLs and object-groups of a device as comparable data: entries by action and text from the action on, groups by content. */
function aclShape(d: Device, names: readonly string[]): string {
  const body = (t: string) => {
    const m = /(^|\s)((permit|deny)\s.*)$/i.exec(t);
    // an IPv6 entry's `… sequence N` is its number, not its text
    return (m ? m[2]! : t).replace(/\s+sequence\s+\d+(?=\s|$)/i, "").split(/\s+/).join(" ");
  };
  const acls = names.map((n) => {
    const a: Acl | undefined = d.acls.get(n);
    return `${n}:${a ? a.entries.map((e) => `${e.inactive ? "!" : ""}${body(e.source.text)}`).join("|") : "-"}`;
  });
  const groups = [...d.objectGroups.values()].map((g) => `${g.name}=${JSON.stringify(g.addrs ?? null)}${JSON.stringify(g.services ?? null)}`).sort();
  return [...acls, ...groups].join("\n");
}

/**
 * (d): the commands of `cands`, applied to the original config as the device would (IOS in order,
 * ASA from the last line up, so `line N` positions hold), give the ACLs of the edited file; the
 * rollbacks, applied after them in reverse, give the original ACLs. Returns the problem, if any.
 */
export function checkCommands(ctx: FileContext, cands: readonly Candidate[], edited: Device): string | undefined {
  const order = commandOrder(ctx.vendor, cands);
  let text = ctx.text;
  try {
    text = applyDeviceCommands(ctx.vendor, text, order.map((c) => c.rendered.commands).join("\n"));
    const after = parseConfig(text, ctx.file, ctx.vendor).device;
    text = applyDeviceCommands(ctx.vendor, text, [...order].reverse().map((c) => c.rendered.rollback).join("\n"));
    const back = parseConfig(text, ctx.file, ctx.vendor).device;
    const names = [...new Set([...ctx.device.acls.keys(), ...edited.acls.keys()])];
    if (aclShape(after, names) !== aclShape(edited, names)) return "its device commands would not give the ACLs of the edited config";
    if (aclShape(back, names) !== aclShape(ctx.device, names)) return "its rollback would not restore the original ACLs";
  } catch (e) {
    if (e instanceof ResourceError) throw e; // the heap, not the commands: the run stops
    return `its device commands fail: ${(e as Error).message}`;
  }
  return undefined;
}

/** The order the fixes' commands are pasted in: IOS by line, ASA from the last line up. */
export function commandOrder<T extends { finding: Finding }>(vendor: Vendor, xs: readonly T[]): T[] {
  const s = [...xs].sort((a, b) => a.finding.line - b.finding.line);
  return vendor === "asa" ? s.reverse() : s;
}

/** The largest member of `set` below `x`, or -1 (a loop: a spread of an ACL-sized set overflows the call stack). */
function lastBelow(set: Iterable<number>, x: number): number {
  let m = -1;
  for (const k of set) if (k < x && k > m) m = k;
  return m;
}
