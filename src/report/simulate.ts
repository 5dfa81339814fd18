/**
 * `natlint simulate`'s table and JSON written straight from the simulation's translations
 * (src/analysis/simulate.ts `simulateRun`), in chunks of about a MiB: byte for byte the
 * previous table (a header, then `table()` of ./table.ts over the sessions) and
 * `JSON.stringify(result, null, 2)` of the `SimulateResult` (test/simulate-fast.test.ts). The rows are ASCII (numbers, addresses, the flows' names, fixed JSON): they
 * are written as bytes into one buffer, without a row object, a cell or a string per session.
 */
import { formatIp } from "../model/addr.js";
import { EXHAUSTED, L2TP_NOTE, type SimulateRun } from "../analysis/simulate.js";
import { visible } from "./text.js";

/** Bytes per chunk written. */
const CHUNK = 1 << 20;

/** The `SimulateResult` without its sessions, its keys in the same order. */
function head(r: SimulateRun) {
  return { profile: r.profile, assumptions: r.assumptions, global: formatIp(r.global), peer: formatIp(r.peer), sessions: [] as never[], ...(r.carried ? { notes: [L2TP_NOTE] } : {}) };
}

/** The number of digits of a whole number ≥ 0. */
function digits(v: number): number {
  if (v >= 1e10) return String(v).length;
  return v < 10 ? 1 : v < 100 ? 2 : v < 1000 ? 3 : v < 10000 ? 4 : v < 100000 ? 5 : v < 1000000 ? 6 : v < 10000000 ? 7 : v < 100000000 ? 8 : v < 1000000000 ? 9 : 10;
}

/** The length of a dotted quad. */
function ipLength(ip: number): number {
  return digits(ip >>> 24) + digits((ip >>> 16) & 255) + digits((ip >>> 8) & 255) + digits(ip & 255) + 3;
}

/** A text the rows are made of, as its bytes: it must be ASCII (one byte per character). */
function ascii(s: string): Uint8Array {
  if (!/^[\x20-\x7e\n]*$/.test(s)) throw new Error(`simulate: not ASCII: ${JSON.stringify(s)}`);
  return Buffer.from(s, "latin1");
}

const DOT = 0x2e;
const NEWLINE = 0x0a;

/** ASCII written into a buffer, handed out as strings of a chunk each (`out`, in order). */
class Rows {
  readonly out: string[] = [];
  private buf = Buffer.allocUnsafe(CHUNK);
  private pos = 0;
  /** Text of any characters, as it is (its own piece of the output). */
  text(s: string): void {
    this.flush();
    this.out.push(s);
  }
  /** An ASCII text (`ascii`). */
  str(s: Uint8Array): void {
    const n = s.length;
    if (this.pos + n > CHUNK) {
      this.flush();
      if (n > CHUNK) return void this.out.push(Buffer.from(s.buffer, s.byteOffset, n).toString("latin1"));
    }
    if (n > 12) {
      this.buf.set(s, this.pos);
      this.pos += n;
      return;
    }
    const b = this.buf;
    let p = this.pos;
    for (let i = 0; i < n; i++) b[p++] = s[i]!;
    this.pos = p;
  }
  /** One ASCII character. */
  char(c: number): void {
    if (this.pos + 1 > CHUNK) this.flush();
    this.buf[this.pos++] = c;
  }
  /** A whole number ≥ 0; returns its number of digits. */
  int(v: number): number {
    if (v > 0x7fffffff) {
      const s = String(v);
      this.str(ascii(s));
      return s.length;
    }
    if (this.pos + 10 > CHUNK) this.flush();
    const d = digits(v);
    let p = (this.pos += d);
    const b = this.buf;
    do {
      const q = (v / 10) | 0;
      b[--p] = 48 + v - q * 10;
      v = q;
    } while (v > 0);
    return d;
  }
  /** A dotted quad. */
  ip(v: number): void {
    this.int(v >>> 24);
    this.char(DOT);
    this.int((v >>> 16) & 255);
    this.char(DOT);
    this.int((v >>> 8) & 255);
    this.char(DOT);
    this.int(v & 255);
  }
  spaces(n: number): void {
    if (this.pos + n > CHUNK) {
      this.flush();
      if (n > CHUNK) return void this.out.push(" ".repeat(n));
    }
    const b = this.buf;
    let p = this.pos;
    for (const end = p + n; p < end; ) b[p++] = 32;
    this.pos = p;
  }
  flush(): void {
    if (this.pos) this.out.push(this.buf.toString("latin1", 0, this.pos));
    this.pos = 0;
  }
}

/** The terminal table of the run (a header, then the sessions as `table()` lays them out), in chunks. */
export function simulateTableChunks(r: SimulateRun): string[] {
  const h = head(r);
  const lines = [`PAT profile ${h.profile}, global ${h.global}, peer ${h.peer}`];
  for (const n of h.assumptions) lines.push(`assumption: ${n}`);
  for (const n of h.notes ?? []) lines.push(`note: ${n}`);
  lines.push("");
  const nf = r.flows.length;
  const t = r.translated;
  const total = t.length;
  // the cells of a random choice (`192.0.2.2:{1024-65535}`), each set once
  const EXHAUSTED_CELL = "(PAT exhausted)";
  const sets = r.sets.map((ports) => ascii(`${h.global}:{${ports.map((p) => (p.lo === p.hi ? `${p.lo}` : `${p.lo}-${p.hi}`)).join(",")}}`));
  const exhausted = ascii(EXHAUSTED_CELL);
  const flows = r.flows.map((f) => visible(f.carrier ? `${f.name} (in ${f.carrier.name})` : f.name));
  const ports = r.flows.map((f) => ascii(`:${f.port}`));
  // column widths: the header's, or the widest cell (every client opens every flow)
  const w = [7, 6, 4, 6, 10];
  if (total > 0) {
    let tw = 0;
    let seen = -1;
    for (let k = 0; k < total; k++) {
      const x = t[k]!;
      if (x >= 0) {
        if (x > seen) seen = x;
      } else {
        const n = x === EXHAUSTED ? EXHAUSTED_CELL.length : sets[-2 - x]!.length;
        if (n > tw) tw = n;
      }
    }
    if (seen >= 0) tw = Math.max(tw, h.global.length + 1 + digits(seen));
    w[4] = Math.max(w[4]!, tw);
    w[0] = Math.max(w[0]!, digits(total));
    w[1] = Math.max(w[1]!, digits(r.ips.length));
    for (const f of flows) w[2] = Math.max(w[2]!, f.length);
    let ipw = 0;
    for (const ip of r.ips) ipw = Math.max(ipw, ipLength(ip));
    let pw = 0;
    for (const p of ports) pw = Math.max(pw, p.length);
    w[3] = Math.max(w[3]!, ipw + pw);
  }
  const [w0, w1, w2, w3] = w as [number, number, number, number, number];
  const o = new Rows();
  o.text(`${lines.join("\n")}\n${"session".padEnd(w0)}  ${"client".padEnd(w1)}  ${"flow".padEnd(w2)}  ${"inside".padEnd(w3)}  translated\n${w.map((n) => "-".repeat(n)).join("  ")}`);
  // each row: the cells padded to their column and two spaces apart; the last one unpadded
  const flowCells = flows.map((f) => ascii(`${f.padEnd(w2)}  `));
  const at = ascii(`${h.global}:`);
  for (let i = 0, k = 0; i < r.ips.length; i++) {
    const ip = r.ips[i]!;
    const ipw = ipLength(ip);
    for (let j = 0; j < nf; j++, k++) {
      o.char(NEWLINE);
      o.spaces(w0 - o.int(k + 1) + 2);
      o.spaces(w1 - o.int(i + 1) + 2);
      o.str(flowCells[j]!);
      o.ip(ip);
      o.str(ports[j]!);
      o.spaces(w3 - ipw - ports[j]!.length + 2);
      const x = t[k]!;
      if (x >= 0) {
        o.str(at);
        o.int(x);
      } else o.str(x === EXHAUSTED ? exhausted : sets[-2 - x]!);
    }
  }
  o.char(NEWLINE);
  o.flush();
  return o.out;
}

/** `JSON.stringify` of the run's `SimulateResult` with an indent of 2, and a newline, in chunks. */
export function simulateJsonChunks(r: SimulateRun): string[] {
  const h = head(r);
  const skeleton = JSON.stringify(h, null, 2);
  if (r.translated.length === 0) return [`${skeleton}\n`];
  const EMPTY = '\n  "sessions": []';
  const at = skeleton.indexOf(EMPTY);
  // a translation at its depth in the result: keys at 8 spaces, the closing brace at 6
  const portOpen = ascii(`{\n        "ip": ${JSON.stringify(h.global)},\n        "port": `);
  const portClose = ascii("\n      }");
  const comma = ascii(",\n");
  const exhausted = ascii("null");
  const sets = r.sets.map((ports) => ascii(JSON.stringify({ ip: h.global, ports: ports.map((p) => [p.lo, p.hi]) }, null, 2).replaceAll("\n", "\n      ")));
  // each session: its client, then a[j], its address, b[j], its translation, z[j]
  const a = r.flows.map((f) => ascii(`,\n      "flow": ${JSON.stringify(f.name)},\n      "inside": {\n        "ip": "`));
  const b = r.flows.map((f) => ascii(`",\n        "port": ${JSON.stringify(f.port)}\n      },\n      "translated": `));
  const z = r.flows.map((f) => ascii(`${f.carrier ? `,\n      "carriedIn": ${JSON.stringify(f.carrier.name)}` : ""}\n    }`));
  const t = r.translated;
  const o = new Rows();
  o.text(`${skeleton.slice(0, at)}\n  "sessions": [\n`);
  const open = ascii('    {\n      "client": ');
  const nf = r.flows.length;
  for (let i = 0, k = 0; i < r.ips.length; i++) {
    const ip = r.ips[i]!;
    for (let j = 0; j < nf; j++, k++) {
      if (k) o.str(comma);
      o.str(open);
      o.int(i + 1);
      o.str(a[j]!);
      o.ip(ip);
      o.str(b[j]!);
      const x = t[k]!;
      if (x >= 0) {
        o.str(portOpen);
        o.int(x);
        o.str(portClose);
      } else o.str(x === EXHAUSTED ? exhausted : sets[-2 - x]!);
      o.str(z[j]!);
    }
  }
  o.text(`\n  ]${skeleton.slice(at + EMPTY.length)}\n`);
  return o.out;
}
