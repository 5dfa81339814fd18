/**
 * A remedy (./edits.ts) rendered in the config's own form: text edits of the file and the device
 * commands that make the same change, with their rollback.
 *
 * - IOS / IOS-XE named ACLs: a line keeps its sequence number; new lines get free numbers between
 *   the line and the next entry when the ACL is written with numbers (without numbers, text order
 *   is entry order). Commands: `ip access-list extended NAME`, `no SEQ`, `SEQ permit …` (Cisco IOS
 *   Security Configuration Guide, "IP Access List Entry Sequence Numbering", 12.2(14)S / 12.3(2)T).
 * - IOS IPv6 ACLs (`ipv6 access-list NAME`): the same, with `sequence N` before the entry (the form
 *   IOS-XE shows; a line written with `… sequence N` after the entry keeps its form) and commands
 *   `ipv6 access-list NAME`, `no sequence N`, `sequence N permit …`; entries written without numbers
 *   are numbered 10, 20, … (Cisco IOS command reference, `deny (IPv6 access-list configuration)`:
 *   "the first statement in an access list is number 10, and the subsequent statements are
 *   numbered in increments of 10").
 * - IOS numbered ACLs: file lines are full `access-list N …` lines in place; commands edit the ACL
 *   through `ip access-list extended N` (the same feature: numbered ACLs take sequence numbers too),
 *   and on releases before 12.3 the documented way: `no access-list N`, then every line again.
 * - ASA: `access-list X [extended] …` lines in place (a file written with `line N` is not edited);
 *   commands `access-list X line N extended …` and `no access-list X extended …` (Cisco ASA command
 *   reference, `access-list extended`: `line` inserts before the N-th line, remarks count).
 * - Object-groups: members are added after the group's last member line, with its indentation;
 *   commands re-enter the group (`object-group service NAME`) and add or remove (`no …`) members.
 * Indentation is the edited line's; line endings are kept by `applyEdits` (./edits.ts).
 */
import type { Acl, Ace, Device } from "./types.js";
import type { AclEdit, FixEdit, Remedy, TextLines } from "./edits.js";

export interface Rendered {
  edits: FixEdit[];
  commands: string;
  rollback: string;
}

interface Form {
  kind: "ios-named" | "ios-numbered" | "asa";
  indent: string;
  /** The line's text before the action (`20 `, `access-list 101 `, `access-list X extended `). */
  prefix: string;
  /** From the action on. */
  body: string;
}

function formOf(device: Device, t: TextLines, ace: Ace): Form | string {
  const raw = t.lines[ace.source.line - 1];
  if (raw === undefined) return "the line is not in the file";
  const indent = /^\s*/.exec(raw)![0];
  const text = raw.trim();
  const m = /(^|\s)(permit|deny)(\s|$)/i.exec(text);
  if (!m) return "the line has no permit or deny";
  const at = m.index + m[1]!.length;
  const prefix = text.slice(0, at);
  const body = text.slice(at);
  if (device.vendor === "asa") {
    if (/\sline\s+\d+\s/i.test(` ${prefix}`)) return "the file writes this ACL with `line N` positions; natlint edits only ACLs written in order";
    return { kind: "asa", indent, prefix, body };
  }
  if (/^access-list\s+\d+\s+$/i.test(prefix)) return { kind: "ios-numbered", indent, prefix, body };
  if (/^sequence\s+\d+\s+$/i.test(prefix)) return { kind: "ios-named", indent, prefix, body };
  if (/^(\d+\s+)?$/.test(prefix)) return { kind: "ios-named", indent, prefix, body };
  return `unexpected text before "${m[2]}"`;
}

/** Sequence numbers in use in an IOS ACL: entries, and remarks written with one. */
function usedSeqs(acl: Acl): number[] {
  const s = acl.entries.flatMap((e) => (e.seq !== undefined ? [e.seq] : []));
  for (const r of acl.remarks) {
    const m = /^(\d+)\s/.exec(r.text);
    if (m) s.push(Number(m[1]));
  }
  return s;
}

/** k free sequence numbers right after `ace`'s (`before`: right before it), spread over the gap to the neighbouring entry. */
function freeSeqs(acl: Acl, ace: Ace, k: number, before = false): number[] | string {
  let a = ace.seq ?? 0;
  let b: number | undefined;
  // loops, not Math.max(...seqs): a spread of an ACL-sized array overflows the call stack
  if (before) {
    b = a;
    a = 0;
    for (const x of usedSeqs(acl)) if (x < b && x > a) a = x;
  } else {
    for (const x of usedSeqs(acl)) if (x > a && (b === undefined || x < b)) b = x;
  }
  if (b === undefined) return Array.from({ length: k }, (_, i) => a + 10 * (i + 1));
  const reseq = acl.family === "ipv6" ? `ipv6 access-list resequence ${acl.name} 10 10` : `ip access-list resequence ${acl.name} 10 10`;
  if (b - a - 1 < k) return `no free sequence number between ${a} and ${b} in ${acl.name}: renumber it first (${reseq})`;
  const step = Math.floor((b - a) / (k + 1));
  return Array.from({ length: k }, (_, i) => a + step * (i + 1));
}

/** An IPv6 entry's `sequence N` written after it (older IOS releases' form). */
const TRAILING_SEQ = /\s+sequence\s+\d+(?=\s|$)/i;

/** Does the line's text carry its sequence number (`20 …`; IPv6 `sequence 20 …` or `… sequence 20`)? */
function hasWrittenSeq(acl: Acl, text: string): boolean {
  return acl.family === "ipv6" ? /^sequence\s+\d+\s/i.test(text) || TRAILING_SEQ.test(text) : /^\d+\s/.test(text);
}

/** Is the ACL written with sequence numbers in the file? */
function writtenWithSeqs(acl: Acl): boolean {
  return acl.entries.some((e) => hasWrittenSeq(acl, e.source.text));
}

/** IOS release known to predate ACL entry sequence numbering (before 12.3; 12.2 mainline lacks it). */
function iosWithoutSeqEditing(device: Device): boolean {
  const m = /^(\d+)\.(\d+)/.exec(device.version ?? "");
  if (!m) return false;
  const [maj, min] = [Number(m[1]), Number(m[2])];
  return maj < 12 || (maj === 12 && min < 3);
}

/**
 * The lines of an ASA ACL (entries and remarks) in file order, trimmed, with their line numbers:
 * its `access-list NAME …` lines, or (`v6`) its ASA 8.x `ipv6 access-list NAME …` lines.
 */
function asaItems(t: TextLines, name: string, v6 = false): Array<{ line: number; text: string }> {
  const out: Array<{ line: number; text: string }> = [];
  t.lines.forEach((raw, i) => {
    const toks = raw.trim().split(/\s+/);
    const k = v6 ? (toks[0] === "ipv6" ? 1 : -1) : 0;
    if (k >= 0 && toks[k] === "access-list" && toks[k + 1] === name && toks[k + 2] !== undefined) out.push({ line: i + 1, text: raw.trim() });
  });
  return out;
}

/** The numbered IOS ACL's lines in file order. */
function numberedLines(t: TextLines, name: string): Array<{ line: number; text: string }> {
  const out: Array<{ line: number; text: string }> = [];
  t.lines.forEach((raw, i) => {
    const toks = raw.trim().split(/\s+/);
    if (toks[0]?.toLowerCase() === "access-list" && toks[1] === name) out.push({ line: i + 1, text: raw.trim() });
  });
  return out;
}

type AceEdit = Exclude<AclEdit, { kind: "addMembers" }>;

function renderAce(device: Device, t: TextLines, e: AceEdit, out: Rendered): string | undefined {
  const acl = device.acls.get(e.acl);
  if (!acl) return `ACL ${e.acl} is not defined`;
  const f = formOf(device, t, e.ace);
  if (typeof f === "string") return f;
  const v6 = acl.family === "ipv6";
  const line = e.ace.source.line;
  // a new IPv6 line takes its own number: a `sequence N` copied from the line it is made from goes
  const own = (b: string) => (v6 ? b.replace(TRAILING_SEQ, "") : b);
  const added = (e.kind === "delete" ? [] : e.kind === "replace" ? e.bodies.slice(1) : e.bodies).map(own);
  const first = e.kind === "replace" ? e.bodies[0]! : undefined;
  const before = e.kind === "insertBefore";
  if (before && (device.vendor === "asa" || f.kind !== "ios-named")) return "natlint inserts lines before a line only in IOS named ACLs";
  if (device.vendor === "asa") return renderAsa(t, acl, f, e, line, first, added, out);
  // IOS
  const seqs = added.length ? freeSeqs(acl, e.ace, added.length, before) : [];
  if (typeof seqs === "string") return seqs;
  const numbered = f.kind === "ios-numbered";
  const withSeq = !numbered && writtenWithSeqs(acl);
  if (withSeq && !hasWrittenSeq(acl, f.prefix + f.body)) return `line ${line} has no sequence number although ${acl.name} is written with them`;
  const trailing = v6 && TRAILING_SEQ.test(f.body);
  const seqWord = v6 ? "sequence " : "";
  const newLine = (b: string, i: number) => (numbered ? f.prefix + b : !withSeq ? b : trailing ? `${b} sequence ${seqs[i]}` : `${seqWord}${seqs[i]} ${b}`);
  if (first !== undefined) out.edits.push({ line, op: "replace", text: f.indent + f.prefix + first });
  if (e.kind === "delete") out.edits.push({ line, op: "delete", text: t.lines[line - 1]! });
  // lines before this one: after the file line above it (the ACL's header, a remark or an entry)
  const at = before ? line - 1 : line;
  for (const text of added.map((b, i) => f.indent + newLine(b, i))) out.edits.push({ line: at, op: "insertAfter", text });
  // device commands
  const seq = e.ace.seq!;
  if (numbered && iosWithoutSeqEditing(device)) {
    const old = numberedLines(t, acl.name);
    const next: string[] = [];
    for (const o of old) {
      if (o.line !== line) next.push(o.text);
      else {
        if (first !== undefined) next.push(f.prefix + first);
        else if (e.kind !== "delete") next.push(o.text);
        for (const b of added) next.push(f.prefix + b);
      }
    }
    const note = `! IOS ${device.version} predates ACL entry sequence numbering (12.2(14)S, 12.3(2)T): the whole ACL is entered again (it is briefly absent)`;
    out.commands += [note, `no access-list ${acl.name}`, ...next].join("\n") + "\n";
    out.rollback += [`no access-list ${acl.name}`, ...old.map((o) => o.text)].join("\n") + "\n";
    return undefined;
  }
  // the ACL's own header (`ip access-list extended NAME`; `ip access-list NAME` as EOS writes it; `ipv6 access-list NAME`)
  const head = v6
    ? `ipv6 access-list ${acl.name}`
    : f.kind === "ios-named" && /^ip\s+access-list\s/i.test(acl.source.text)
      ? acl.source.text.split(/\s+/).join(" ")
      : `ip access-list ${acl.type} ${acl.name}`;
  const cmds = [head];
  const back = [head];
  const show = v6 ? `show ipv6 access-list ${acl.name}` : `show access-lists ${acl.name}`;
  if (numbered) cmds.unshift(`! numbered ACL ${acl.name} edited by sequence number (IOS 12.2(14)S, 12.3(2)T and later); numbers as the device gives them after a reload (10, 20, …): check with show access-lists ${acl.name}`);
  else if (!withSeq) cmds.unshift(`! sequence numbers as the device numbers ${acl.name} after a reload (10, 20, …): check them with ${show}`);
  const body = own(f.body);
  if (first !== undefined || e.kind === "delete") cmds.push(` no ${seqWord}${seq}`);
  if (first !== undefined) cmds.push(` ${seqWord}${seq} ${own(first)}`);
  added.forEach((b, i) => cmds.push(` ${seqWord}${seqs[i]} ${b}`));
  added.forEach((_b, i) => back.push(` no ${seqWord}${seqs[i]}`));
  if (first !== undefined) back.push(` no ${seqWord}${seq}`);
  if (first !== undefined || e.kind === "delete") back.push(` ${seqWord}${seq} ${body}`);
  cmds.push("exit");
  back.push("exit");
  out.commands += cmds.join("\n") + "\n";
  out.rollback += back.join("\n") + "\n";
  return undefined;
}

function renderAsa(t: TextLines, acl: Acl, f: Form, e: AceEdit, line: number, first: string | undefined, added: string[], out: Rendered): string | undefined {
  // an ASA 8.x `ipv6 access-list NAME …` line: positions among the ACL's IPv6 lines, no ACL type
  // word (Cisco ASA 8.x command reference, `ipv6 access-list id [line line-num] {deny | permit} …`)
  const v6 = /^ipv6\s/i.test(e.ace.source.text);
  const items = asaItems(t, acl.name, v6);
  const pos = items.findIndex((x) => x.line === line) + 1;
  if (pos === 0) return "the line is not an access-list line of its ACL";
  const kw = v6 ? "" : acl.type === "standard" ? "standard " : "extended ";
  const x = `${v6 ? "ipv6 " : ""}access-list ${acl.name}`;
  if (first !== undefined) out.edits.push({ line, op: "replace", text: f.indent + f.prefix + first });
  if (e.kind === "delete") out.edits.push({ line, op: "delete", text: t.lines[line - 1]! });
  for (const b of added) out.edits.push({ line, op: "insertAfter", text: f.indent + f.prefix + b });
  const cmds: string[] = [];
  const back: string[] = [];
  if (first !== undefined) {
    [first, ...added].forEach((b, i) => cmds.push(`${x} line ${pos + i} ${kw}${b}`));
    cmds.push(`no ${x} ${kw}${f.body}`);
    back.push(`${x} line ${pos} ${kw}${f.body}`);
    for (const b of [first, ...added]) back.push(`no ${x} ${kw}${b}`);
  } else if (e.kind === "delete") {
    cmds.push(`no ${x} ${kw}${f.body}`);
    back.push(`${x} line ${pos} ${kw}${f.body}`);
  } else {
    added.forEach((b, i) => cmds.push(`${x} line ${pos + 1 + i} ${kw}${b}`));
    for (const b of added) back.push(`no ${x} ${kw}${b}`);
  }
  out.commands += cmds.join("\n") + "\n";
  out.rollback += back.join("\n") + "\n";
  return undefined;
}

function renderMembers(device: Device, t: TextLines, e: Extract<AclEdit, { kind: "addMembers" }>, out: Rendered): string | undefined {
  const g = device.objectGroups.get(e.group);
  if (!g) return `object-group ${e.group} is not defined`;
  const header = g.source.line;
  let last = header;
  let indent = " ";
  for (let i = header; i < t.lines.length; i++) {
    const raw = t.lines[i]!;
    if (raw.trim() === "" || raw.trim().startsWith("!")) continue; // comments stay in the sub-mode
    if (!/^\s/.test(raw)) break;
    if (last === header) indent = /^\s*/.exec(raw)![0];
    last = i + 1;
  }
  for (const m of e.members) out.edits.push({ line: last, op: "insertAfter", text: indent + m });
  const head = g.source.text;
  out.commands += [head, ...e.members.map((m) => ` ${m}`), "exit"].join("\n") + "\n";
  out.rollback += [head, ...e.members.map((m) => ` no ${m}`), "exit"].join("\n") + "\n";
  return undefined;
}

/** The remedy as file edits and device commands, or why it cannot be written in this config. */
export function renderRemedy(device: Device, t: TextLines, remedy: Remedy): Rendered | { reason: string } {
  const out: Rendered = { edits: [], commands: "", rollback: "" };
  for (const e of remedy.edits) {
    const problem = e.kind === "addMembers" ? renderMembers(device, t, e, out) : renderAce(device, t, e, out);
    if (problem) return { reason: problem };
  }
  return out;
}
