/**
 * `natlint simulate`'s table and JSON written straight from the simulation's translations
 * (src/analysis/simulate.ts `simulateRun`), in chunks of about a MiB: byte for byte
 * `formatSimulateTable` (./explain-table.ts) and `JSON.stringify(result, null, 2)` of the
 * `SimulateResult`, without a row object, a cell array or the whole text per session.
 */
import { formatIp } from "../model/addr.js";
import { EXHAUSTED, L2TP_NOTE, type SimulateRun } from "../analysis/simulate.js";
import { visible } from "./text.js";

/** About this many characters per chunk written. */
const CHUNK = 1 << 20;
/** Rows are joined this many characters at a time (their strings die young: less for the garbage collector to copy). */
const PIECE = 1 << 15;

/** The `SimulateResult` without its sessions, its keys in the same order. */
function head(r: SimulateRun) {
  return { profile: r.profile, assumptions: r.assumptions, global: formatIp(r.global), peer: formatIp(r.peer), sessions: [] as never[], ...(r.carried ? { notes: [L2TP_NOTE] } : {}) };
}

/** The length of a dotted quad. */
function ipLength(ip: number): number {
  let n = 3;
  for (let s = 0; s < 32; s += 8) {
    const o = (ip >>> s) & 255;
    n += o >= 100 ? 3 : o >= 10 ? 2 : 1;
  }
  return n;
}

/** Collects strings and hands them out joined, about `CHUNK` characters at a time. */
class Chunks {
  readonly out: string[] = [];
  private parts: string[] = [];
  private size = 0;
  private pieces: string[] = [];
  private piecesSize = 0;
  add(s: string): void {
    this.parts.push(s);
    this.size += s.length;
    if (this.size >= PIECE) this.piece();
  }
  private piece(): void {
    if (this.parts.length) this.pieces.push(this.parts.join(""));
    this.piecesSize += this.size;
    this.parts = [];
    this.size = 0;
    if (this.piecesSize >= CHUNK) this.flush();
  }
  flush(): void {
    if (this.parts.length) this.piece();
    if (this.pieces.length) this.out.push(this.pieces.join(""));
    this.pieces = [];
    this.piecesSize = 0;
  }
}

/** The terminal table (`formatSimulateTable` of the run's `SimulateResult`), in chunks. */
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
  const sets = r.sets.map((ports) => `${h.global}:{${ports.map((p) => (p.lo === p.hi ? `${p.lo}` : `${p.lo}-${p.hi}`)).join(",")}}`);
  const EXHAUSTED_CELL = "(PAT exhausted)";
  const flows = r.flows.map((f) => visible(f.carrier ? `${f.name} (in ${f.carrier.name})` : f.name));
  const ports = r.flows.map((f) => `:${f.port}`);
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
    if (seen >= 0) tw = Math.max(tw, h.global.length + 1 + String(seen).length);
    w[4] = Math.max(w[4]!, tw);
    w[0] = Math.max(w[0]!, String(total).length);
    w[1] = Math.max(w[1]!, String(r.ips.length).length);
    for (const f of flows) w[2] = Math.max(w[2]!, f.length);
    let ipw = 0;
    for (const ip of r.ips) ipw = Math.max(ipw, ipLength(ip));
    let pw = 0;
    for (const p of ports) pw = Math.max(pw, p.length);
    w[3] = Math.max(w[3]!, ipw + pw);
  }
  const [w0, w1, w2, w3] = w as [number, number, number, number, number];
  const c = new Chunks();
  c.add(`${lines.join("\n")}\n${"session".padEnd(w0)}  ${"client".padEnd(w1)}  ${"flow".padEnd(w2)}  ${"inside".padEnd(w3)}  translated\n${w.map((n) => "-".repeat(n)).join("  ")}`);
  const flowCells = flows.map((f) => `  ${f.padEnd(w2)}  `);
  const at = `  ${h.global}:`;
  for (let i = 0, k = 0; i < r.ips.length; i++) {
    const client = `  ${String(i + 1).padEnd(w1)}`;
    const ip = formatIp(r.ips[i]!);
    for (let j = 0; j < nf; j++, k++) {
      const x = t[k]!;
      c.add(`\n${String(k + 1).padEnd(w0)}${client}${flowCells[j]}${(ip + ports[j]).padEnd(w3)}${x >= 0 ? at + x : x === EXHAUSTED ? `  ${EXHAUSTED_CELL}` : `  ${sets[-2 - x]}`}`);
    }
  }
  c.add("\n");
  c.flush();
  return c.out;
}

/** `JSON.stringify` of the run's `SimulateResult` with an indent of 2, and a newline, in chunks. */
export function simulateJsonChunks(r: SimulateRun): string[] {
  const h = head(r);
  const skeleton = JSON.stringify(h, null, 2);
  if (r.translated.length === 0) return [`${skeleton}\n`];
  const EMPTY = '\n  "sessions": []';
  const at = skeleton.indexOf(EMPTY);
  // a translation at its depth in the result: keys at 8 spaces, the closing brace at 6
  const ip = JSON.stringify(h.global);
  const portOpen = `{\n        "ip": ${ip},\n        "port": `;
  const sets = r.sets.map((ports) => JSON.stringify({ ip: h.global, ports: ports.map((p) => [p.lo, p.hi]) }, null, 2).replaceAll("\n", "\n      "));
  const a = r.flows.map((f) => `,\n      "flow": ${JSON.stringify(f.name)},\n      "inside": {\n        "ip": `);
  const b = r.flows.map((f) => `,\n        "port": ${JSON.stringify(f.port)}\n      },\n      "translated": `);
  const z = r.flows.map((f) => `${f.carrier ? `,\n      "carriedIn": ${JSON.stringify(f.carrier.name)}` : ""}\n    }`);
  const t = r.translated;
  const c = new Chunks();
  c.add(`${skeleton.slice(0, at)}\n  "sessions": [\n`);
  const nf = r.flows.length;
  for (let i = 0, k = 0; i < r.ips.length; i++) {
    const open = `    {\n      "client": ${i + 1}`;
    const ip = JSON.stringify(formatIp(r.ips[i]!));
    for (let j = 0; j < nf; j++, k++) {
      const x = t[k]!;
      c.add(`${k ? ",\n" : ""}${open}${a[j]}${ip}${b[j]}${x >= 0 ? `${portOpen}${x}\n      }` : x === EXHAUSTED ? "null" : sets[-2 - x]}${z[j]}`);
    }
  }
  c.add(`\n  ]${skeleton.slice(at + EMPTY.length)}\n`);
  c.flush();
  return c.out;
}
