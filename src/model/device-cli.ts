/**
 * A small model of how IOS and ASA apply configuration commands to their running config, for
 * the commands natlint's fixes print: pasted onto a config's text, they give the config the
 * device would then have (in a canonical form), which is parsed and compared with the edited file.
 *
 * IOS (Cisco IOS Security Configuration Guide, "IP Access List Entry Sequence Numbering"): in
 * `ip access-list {standard|extended} NAME` (NAME may be an ACL number), `SEQ permit|deny …`
 * inserts at SEQ (a sequence number in use is refused), `permit|deny …` appends at the highest
 * number + 10, `no SEQ` removes that entry; entries without written numbers are numbered 10, 20, …
 * in order. `no access-list N` removes a numbered ACL, `access-list N …` appends to it. IPv6 ACLs
 * (`ipv6 access-list NAME`) alike, with the number written `sequence N` (before the entry, or after
 * it as older releases show it): `sequence N permit …` inserts, `no sequence N` removes.
 * ASA (command reference, `access-list extended`): `access-list X line N extended …` inserts
 * before the N-th line (remarks count), without `line` it appends; `no access-list X extended …`
 * removes the line with that text; ASA 8.x IPv6 ACLs (command reference, `ipv6 access-list`)
 * alike: `ipv6 access-list X line N permit …` inserts before the N-th of X's IPv6 lines, `no ipv6
 * access-list X permit …` removes one. Both: `object-group TYPE NAME` re-enters the group, a member
 * line adds a member, `no MEMBER` removes it. `!` lines are comments; `exit` leaves a sub-mode.
 */
import type { Vendor } from "./types.js";

/** A command the model does not know, or one the device would refuse. */
export class DeviceCommandError extends Error {
  override name = "DeviceCommandError";
}

const norm = (s: string): string => s.trim().split(/\s+/).join(" ");

interface Block {
  /** Index of the header line. */
  start: number;
  /** One past the last member line. */
  end: number;
}

/** Lines that do not end a context: blanks and `!` comments (the IOS CLI stays in the sub-mode). */
const neutral = (l: string): boolean => l.trim() === "" || l.trim().startsWith("!");

/** Non-indented lines that still belong to an open context (a config pasted without indentation). */
function continues(header: string, l: string): boolean {
  const k = l.trim().split(/\s+/)[0]!.toLowerCase();
  if (/^ip access-list /i.test(header)) return k === "permit" || k === "deny" || k === "remark" || /^\d+$/.test(k);
  if (/^ipv6 access-list /i.test(header)) return k === "permit" || k === "deny" || k === "remark" || k === "sequence";
  return false;
}

/** Blocks whose header, normalised, is `header` (a context and its member lines). */
function blocks(lines: string[], header: string): Block[] {
  const out: Block[] = [];
  const h = norm(header).toLowerCase();
  const head = h.slice(0, h.indexOf(" ") + 1 || h.length);
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (l.length < h.length || !l.slice(0, head.length).toLowerCase().startsWith(head) || norm(l).toLowerCase() !== h) continue;
    let end = i + 1;
    for (let j = i + 1; j < lines.length; j++) {
      const l = lines[j]!;
      if (neutral(l)) continue;
      if (!/^\s/.test(l) && !continues(header, l)) break;
      end = j + 1;
    }
    out.push({ start: i, end });
  }
  return out;
}

interface IosEntry {
  seq: number;
  body: string;
  remarks: string[];
}

/** An entry's written sequence number and its text without it: `20 permit …`; IPv6 `sequence 20 permit …` or `permit … sequence 20`. */
function numberOf(text: string, v6: boolean): { seq?: number; body: string } {
  const m = v6 ? /^sequence\s+(\d+)\s+(.*)$/i.exec(text) : /^(\d+)\s+(.*)$/.exec(text);
  if (m) return { seq: Number(m[1]), body: m[2]! };
  const t = v6 ? /^((?:permit|deny)\s.*?)\s+sequence\s+(\d+)(\s.*)?$/i.exec(text) : null;
  return t ? { seq: Number(t[2]), body: t[1]! + (t[3] ?? "") } : { body: text };
}

/** The entries of an IOS ACL as the device numbers them, and the lines they come from. */
function iosAcl(lines: string[], header: string, name: string): { entries: IosEntry[]; from: number[] } {
  const from: number[] = [];
  const entries: IosEntry[] = [];
  const v6 = /^ipv6\s/i.test(header);
  let remarks: string[] = [];
  let max = 0;
  const seqs = new Set<number>();
  const add = (text: string) => {
    const m = numberOf(text, v6);
    const body = m.body;
    if (/^remark\b/i.test(body)) {
      remarks.push(body);
      return;
    }
    if (!/^(permit|deny)\b/i.test(body)) return;
    const seq = m.seq ?? max + 10;
    if (seqs.has(seq)) return;
    seqs.add(seq);
    entries.push({ seq, body, remarks });
    remarks = [];
    max = Math.max(max, seq);
  };
  for (const b of blocks(lines, header)) {
    for (let i = b.start; i < b.end; i++) {
      if (i > b.start && neutral(lines[i]!)) continue;
      from.push(i);
      if (i > b.start) add(lines[i]!.trim());
    }
  }
  if (/^\d+$/.test(name))
    lines.forEach((l, i) => {
      if (!l.startsWith("access-list") && !l.startsWith("ACCESS-LIST")) return;
      const t = norm(l).split(" ");
      if (t[0]?.toLowerCase() === "access-list" && t[1] === name && !/^\s/.test(l)) {
        from.push(i);
        add(t.slice(2).join(" "));
      }
    });
  entries.sort((a, b) => a.seq - b.seq);
  return { entries, from: from.sort((a, b) => a - b) };
}

function writeIosAcl(lines: string[], header: string, entries: IosEntry[], from: number[]): string[] {
  const at = from.length ? from[0]! : lines.length;
  // one named block with the numbers (a numbered ACL too: `ip access-list extended 101` edits it), so
  // later commands see the device's numbering
  const word = /^ipv6\s/i.test(header) ? "sequence " : "";
  const text = [header, ...entries.flatMap((e) => [...e.remarks.map((r) => ` ${r}`), ` ${word}${e.seq} ${e.body}`])];
  const drop = new Set(from);
  const out: string[] = [];
  lines.forEach((l, i) => {
    if (i === at) for (const t of text) out.push(t);
    if (!drop.has(i)) out.push(l);
  });
  if (at >= lines.length) for (const t of text) out.push(t);
  return out;
}

function groupEdit(lines: string[], header: string, member: string): string[] {
  const bs = blocks(lines, header);
  const neg = /^no\s+/i.exec(member);
  if (neg) {
    const want = norm(member.slice(neg[0].length));
    for (const b of bs)
      for (let i = b.start + 1; i < b.end; i++) if (!neutral(lines[i]!) && norm(lines[i]!) === want) return [...lines.slice(0, i), ...lines.slice(i + 1)];
    throw new DeviceCommandError(`${header}: no member "${want}" to remove`);
  }
  if (bs.length === 0) return [...lines, header, ` ${member}`];
  const b = bs[bs.length - 1]!;
  const first = lines.slice(b.start + 1, b.end).find((l) => !neutral(l));
  const indent = first !== undefined ? /^\s*/.exec(first)![0] || " " : " ";
  return [...lines.slice(0, b.end), indent + member, ...lines.slice(b.end)];
}

type Mode = { k: "top" } | { k: "acl"; header: string; name: string; entries: IosEntry[]; from: number[] } | { k: "group"; header: string };

/** Leaving an ACL sub-mode writes its entries back. */
function leave(lines: string[], mode: Mode): string[] {
  return mode.k === "acl" ? writeIosAcl(lines, mode.header, mode.entries, mode.from) : lines;
}

function iosCommand(lines: string[], mode: Mode, cmd: string): { lines: string[]; mode: Mode } {
  const t = norm(cmd).split(" ");
  const k = t.map((x) => x.toLowerCase());
  if (mode.k === "acl") {
    const acl = mode;
    const v6 = /^ipv6\s/i.test(acl.header);
    const m = numberOf(norm(cmd), v6);
    // `no SEQ`; IPv6 `no sequence SEQ`
    const del = v6 ? (k[1] === "sequence" && t.length === 3 ? t[2] : undefined) : t.length === 2 ? t[1] : undefined;
    if (k[0] === "no" && /^\d+$/.test(del ?? "")) {
      const i = acl.entries.findIndex((e) => e.seq === Number(del));
      if (i < 0) throw new DeviceCommandError(`${mode.name}: no entry ${del}`);
      acl.entries.splice(i, 1);
    } else if (m.seq !== undefined && /^(permit|deny)\b/i.test(m.body)) {
      if (acl.entries.some((e) => e.seq === m.seq)) throw new DeviceCommandError(`${mode.name}: duplicate sequence number ${m.seq}`);
      acl.entries.push({ seq: m.seq, body: m.body, remarks: [] });
      acl.entries.sort((a, b) => a.seq - b.seq);
    } else if (k[0] === "permit" || k[0] === "deny") {
      // entries are kept sorted by sequence number: the last is the largest
      acl.entries.push({ seq: (acl.entries[acl.entries.length - 1]?.seq ?? 0) + 10, body: norm(cmd), remarks: [] });
    } else throw new DeviceCommandError(`unknown ACL command "${cmd.trim()}"`);
    return { lines, mode };
  }
  if (k[0] === "no" && k[1] === "access-list" && t.length === 3) {
    const acl = iosAcl(lines, `ip access-list extended ${t[2]}`, t[2]!);
    const std = iosAcl(lines, `ip access-list standard ${t[2]}`, t[2]!);
    const drop = new Set([...acl.from, ...std.from]);
    return { lines: lines.filter((_l, i) => !drop.has(i)), mode: { k: "top" } };
  }
  if (k[0] === "access-list" && /^\d+$/.test(t[1] ?? "")) return { lines: [...lines, norm(cmd)], mode: { k: "top" } };
  throw new DeviceCommandError(`unknown command "${cmd.trim()}"`);
}

function asaCommand(lines: string[], cmd: string): string[] {
  const t = norm(cmd).split(" ");
  const neg = t[0] === "no";
  let u = neg ? t.slice(1) : t;
  // `ipv6 access-list X …` (ASA 8.x): the same commands over X's IPv6 lines
  const v6 = u[0] === "ipv6";
  if (v6) u = u.slice(1);
  if (u[0] !== "access-list" || u[1] === undefined) throw new DeviceCommandError(`unknown command "${cmd.trim()}"`);
  const name = u[1];
  const head = `${v6 ? "ipv6 " : ""}access-list ${name}`;
  const items: number[] = [];
  lines.forEach((l, i) => {
    const x = norm(l).split(" ");
    const k = v6 ? (x[0] === "ipv6" ? 1 : -1) : 0;
    if (k >= 0 && x[k] === "access-list" && x[k + 1] === name && !/^\s/.test(l)) items.push(i);
  });
  if (neg) {
    const want = norm(`${v6 ? "ipv6 " : ""}${u.join(" ")}`);
    const i = items.find((j) => norm(lines[j]!) === want);
    if (i === undefined) throw new DeviceCommandError(`no line "${want}" to remove`);
    return [...lines.slice(0, i), ...lines.slice(i + 1)];
  }
  let rest = u.slice(2);
  let pos: number | undefined;
  if (rest[0] === "line" && /^\d+$/.test(rest[1] ?? "")) {
    pos = Number(rest[1]);
    rest = rest.slice(2);
  }
  const text = `${head} ${rest.join(" ")}`;
  if (pos === undefined || pos > items.length) {
    const at = items.length ? items[items.length - 1]! + 1 : lines.length;
    return [...lines.slice(0, at), text, ...lines.slice(at)];
  }
  const at = items[pos - 1]!;
  return [...lines.slice(0, at), text, ...lines.slice(at)];
}

/** The config text after the device applies `commands` in configuration mode (see the file comment). */
export function applyDeviceCommands(vendor: Vendor, text: string, commands: string): string {
  let lines = text.split(/\r\n|\r|\n/);
  let mode: Mode = { k: "top" };
  // An ACL sub-mode left by `exit` is written back when the next command is not the same ACL
  // entered again (fixes of one ACL, pasted one after the other): reading it back would give the
  // same entries, so it stays in memory — writing and reading the config per fix was quadratic.
  let parked: Mode | undefined;
  for (const raw of commands.split(/\r\n|\r|\n/)) {
    const cmd = raw.trim();
    if (cmd === "" || cmd.startsWith("!")) continue;
    if (parked !== undefined) {
      if (parked.k === "acl" && norm(cmd) === parked.header) {
        mode = parked;
        parked = undefined;
        continue;
      }
      lines = leave(lines, parked);
      parked = undefined;
    }
    const k = norm(cmd).split(" ").map((x) => x.toLowerCase());
    if (k[0] === "exit" || k[0] === "end") {
      if (mode.k === "acl") parked = mode;
      else lines = leave(lines, mode);
      mode = { k: "top" };
      continue;
    }
    if (k[0] === "object-group") {
      lines = leave(lines, mode);
      mode = { k: "group", header: norm(cmd) };
      continue;
    }
    // `ip access-list standard|extended NAME`, or `ip access-list NAME` as EOS writes it
    if (vendor === "ios" && k[0] === "ipv6" && k[1] === "access-list" && k.length === 3) {
      lines = leave(lines, mode);
      const name = norm(cmd).split(" ")[2]!;
      mode = { k: "acl", header: norm(cmd), name, ...iosAcl(lines, norm(cmd), name) };
      continue;
    }
    const typed = k[2] === "standard" || k[2] === "extended";
    if (vendor === "ios" && k[0] === "ip" && k[1] === "access-list" && (typed ? k.length === 4 : k.length === 3)) {
      lines = leave(lines, mode);
      const name = norm(cmd).split(" ")[typed ? 3 : 2]!;
      mode = { k: "acl", header: norm(cmd), name, ...iosAcl(lines, norm(cmd), name) };
      continue;
    }
    if (mode.k === "group" && !/^\s*(access-list|ip|no\s+access-list)\b/i.test(cmd)) {
      lines = groupEdit(lines, mode.header, cmd);
      continue;
    }
    if (vendor === "asa") {
      mode = { k: "top" };
      lines = asaCommand(lines, cmd);
      continue;
    }
    if (mode.k === "group") mode = { k: "top" };
    if (mode.k === "acl" && /^(no\s+)?access-list\s/i.test(cmd)) {
      lines = leave(lines, mode);
      mode = { k: "top" };
    }
    const r = iosCommand(lines, mode, cmd);
    lines = r.lines;
    mode = r.mode;
  }
  if (parked !== undefined) lines = leave(lines, parked);
  return leave(lines, mode).join("\n");
}
