/**
 * Fixes as data. A check proposes a `Remedy`: what to change in the vendor's own terms (edit an
 * ACL line, add lines beside it, delete it, add members to an object-group) and which packets the
 * change is meant to permit. ./config-edit.ts renders a remedy into text edits of the config file
 * and into device commands; the engine (src/engine/fix.ts) proves it before it is offered and
 * attaches the result to the finding as a `Fix`.
 */
import type { Ace, AddrSet, AddrSet6, PortSet } from "./types.js";

/** One semantic edit of a remedy. `bodies` are ACE texts from the action on ("permit udp …"). */
export type AclEdit =
  /** The line becomes bodies[0]; bodies[1…] are inserted right after it, in order. */
  | { kind: "replace"; acl: string; ace: Ace; bodies: string[] }
  /** bodies are inserted right after the line, in order (before the entry that follows it). */
  | { kind: "insertAfter"; acl: string; ace: Ace; bodies: string[] }
  /** bodies are inserted right before the line, in order (after the entry that precedes it). */
  | { kind: "insertBefore"; acl: string; ace: Ace; bodies: string[] }
  | { kind: "delete"; acl: string; ace: Ace }
  /** Member lines (as written inside the group, without indentation) added to an object-group. */
  | { kind: "addMembers"; group: string; members: string[] };

/**
 * Packets a fix is meant to permit: protocol, addresses and ports (absent ports: any). IPv4
 * packets between `src` and `dst`; with `src6` and `dst6`, also the IPv6 packets between those
 * (an IOS IPv6 ACL line has no IPv4 addresses: its `src`/`dst` are empty).
 */
export interface IntentBox {
  protocol: number;
  src: AddrSet;
  dst: AddrSet;
  src6?: AddrSet6;
  dst6?: AddrSet6;
  srcPorts?: PortSet;
  dstPorts?: PortSet;
  /** ICMP (ICMPv6 in IPv6) types, of packets that carry an ICMP header (not non-initial fragments); absent: any. */
  icmpTypes?: number[];
  /**
   * Only the non-initial fragments of the protocol between the addresses: an IOS permit with an
   * ICMP type or a port permits them too, through its layer-3 part (src/acl/semantics.ts).
   */
  fragments?: true;
}

/**
 * What the fix may change: "permit" — packets inside `boxes` may go from deny to permit, nothing
 * else may change; "none" — no packet's action may change (e.g. deleting a redundant line).
 */
export type FixIntent = { change: "permit"; boxes: IntentBox[]; /** The packets in words, for a refusal ("IKE/NAT-T to the PAT's ports" when absent). */ meant?: string } | { change: "none" };

export interface Remedy {
  /** What the fix does, in words ("widen the source port of this line to 1-511"). */
  describe: string;
  edits: AclEdit[];
  intent: FixIntent;
}

/** A check that has a remedy for this kind of finding but cannot write one here says why. */
export interface NoRemedy {
  reason: string;
}

// ------------------------------------------------------------------------------ what is offered

/** One edit of the config file: `line` is 1-based in the file as it is; `text` the whole line, indentation included, without its line ending. */
export interface FixEdit {
  line: number;
  op: "replace" | "insertAfter" | "delete";
  /** replace, insertAfter: the new line; delete: the line as it is now (to check before deleting). */
  text: string;
}

/** Packets whose action a fix changes, as one box per part (ports as `1-511,1024-65535`). */
export interface ProofChange {
  acl: string;
  /** The action these packets get after the fix. */
  action: "permit" | "deny";
  protocol: string;
  src: string;
  srcPorts: string;
  dst: string;
  dstPorts: string;
  /** ICMP (ICMPv6) types, when the fix is meant for some types only (`135,136`). */
  icmpTypes?: string;
  /** The packets are non-initial fragments only. */
  nonInitialFragments?: true;
  /** Exact number of packets (all header fields counted), as a decimal string. */
  packets: string;
}

export interface FixProof {
  /** "permits udp 192.0.2.2:1-499,501-511 → 203.0.113.10:500 in addition; nothing else changes". */
  summary: string;
  /** The finding is gone after the fix. */
  findingGone: true;
  /** Findings that appear after the fix (always 0: a fix with new findings is not offered). */
  newFindings: 0;
  /** ACLs whose packets change (in the file's ACL order). */
  changedAcls: string[];
  changes: ProofChange[];
  /** The device commands, applied to the config the way the device edits it, give the same ACLs as the edited file. */
  commandsChecked: boolean;
}

export interface Fix {
  /** What the fix does, in words. */
  describe: string;
  edits: FixEdit[];
  /** Device commands to paste in configuration mode. */
  commands: string;
  /** Commands that restore the original. */
  rollback: string;
  proof: FixProof;
}

// ------------------------------------------------------------------------------ text edits

/** The lines of a text with their own line endings ("" for a last line without one). */
export interface TextLines {
  lines: string[];
  endings: string[];
  /** A leading byte-order mark, kept. */
  bom: string;
}

export function splitLines(text: string): TextLines {
  const bom = text.startsWith("\uFEFF") ? "\uFEFF" : "";
  const body = bom ? text.slice(1) : text;
  const lines: string[] = [];
  const endings: string[] = [];
  const re = /\r\n|\r|\n/g;
  let last = 0;
  for (let m = re.exec(body); m; m = re.exec(body)) {
    lines.push(body.slice(last, m.index));
    endings.push(m[0]);
    last = m.index + m[0].length;
  }
  if (last < body.length) {
    lines.push(body.slice(last));
    endings.push("");
  }
  return { lines, endings, bom };
}

export function joinLines(t: TextLines): string {
  let out = t.bom;
  for (let i = 0; i < t.lines.length; i++) out += t.lines[i]! + t.endings[i]!;
  return out;
}

/** The line ending most lines of the text use ("\n" for a text without any). */
export function dominantEnding(t: TextLines): string {
  const n = new Map<string, number>();
  for (const e of t.endings) if (e) n.set(e, (n.get(e) ?? 0) + 1);
  let best = "\n";
  let count = 0;
  for (const [e, c] of n) if (c > count) [best, count] = [e, c];
  return best;
}

export interface Applied {
  text: string;
  /** Old 1-based line → new 1-based line, for lines no edit touched. */
  kept: Map<number, number>;
  /** New 1-based line → index of the edit group (fix) that wrote it. */
  written: Map<number, number>;
  /** Old line → the new line that replaced it (first line of a replacement). */
  replaced: Map<number, number>;
}

/**
 * Apply edit groups (one per fix; lines must not overlap between groups) to a text. Every new
 * line takes the line ending of the line it is written beside (so CRLF stays CRLF), and a line
 * inserted after the last line of a file without a final newline gets the file's usual one.
 */
export function applyEdits(text: string, groups: readonly (readonly FixEdit[])[]): Applied {
  const t = splitLines(text);
  const ending = dominantEnding(t);
  type Op = { group: number; edit: FixEdit; order: number };
  const at = new Map<number, Op[]>();
  let order = 0;
  groups.forEach((g, gi) =>
    g.forEach((e) => {
      const list = at.get(e.line) ?? [];
      list.push({ group: gi, edit: e, order: order++ });
      at.set(e.line, list);
    }),
  );
  const out: TextLines = { lines: [], endings: [], bom: t.bom };
  const kept = new Map<number, number>();
  const written = new Map<number, number>();
  const replaced = new Map<number, number>();
  const push = (line: string, end: string, group?: number): number => {
    out.lines.push(line);
    out.endings.push(end);
    const n = out.lines.length;
    if (group !== undefined) written.set(n, group);
    return n;
  };
  for (let i = 0; i < t.lines.length; i++) {
    const ln = i + 1;
    const ops = (at.get(ln) ?? []).sort((a, b) => a.order - b.order);
    const own = t.endings[i] || ending;
    const del = ops.find((o) => o.edit.op === "delete");
    const rep = ops.find((o) => o.edit.op === "replace");
    const inserts = ops.filter((o) => o.edit.op === "insertAfter");
    if (del) {
      // the line goes; keep the previous line's ending right if this was the last line
    } else if (rep) {
      replaced.set(ln, push(rep.edit.text, inserts.length ? own : t.endings[i]!, rep.group));
    } else {
      kept.set(ln, push(t.lines[i]!, inserts.length ? own : t.endings[i]!));
    }
    inserts.forEach((o, k) => push(o.edit.text, k === inserts.length - 1 ? t.endings[i]! : own, o.group));
  }
  return { text: joinLines(out), kept, written, replaced };
}
