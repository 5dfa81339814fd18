/**
 * Fuzz targets: one per entry point of natlint. Each takes the fuzzer's bytes and throws a
 * `FuzzFailure` when a contract breaks:
 * - an exception other than the expected kinds (`InputError`, `ConfigError`, `UsageError` for
 *   bad input) escapes — a crash;
 * - a changed verdict: the BDD evaluator and the reference evaluator disagree on a packet; a diff
 *   witness does not get the old and new actions the diff claims; a search hit is not decided
 *   as found; the findings change when only the line endings change (CRLF → LF) — an unrelated
 *   edit;
 * - (the runner adds) one input taking more than 2 s — a hang.
 * Used by test/fuzz/run.ts (coverage-guided) and by test/fuzz.test.ts (every seed, every run).
 */
import { Buffer } from "node:buffer";
import { rng as mulberry32 } from "../../bench/random.js";
import { parseConfig } from "../../src/parse/index.js";
import { detectVendor, looksLike } from "../../src/parse/detect.js";
import { decodeConfig } from "../../src/io/decode.js";
import { prepareRun, lintText, type PreparedRun } from "../../src/engine/lint-file.js";
import { AclSets } from "../../src/acl/sets.js";
import { HeaderSpace } from "../../src/headerspace/index.js";
import { evaluateAcl } from "../../src/acl/evaluate.js";
import { parseFlow } from "../../src/model/packet.js";
import { parseHeaderSpace } from "../../src/headerspace/parse.js";
import { diffDevices } from "../../src/analysis/diff.js";
import { searchAcl } from "../../src/analysis/search.js";
import { explainDevice } from "../../src/analysis/explain.js";
import { natSetup } from "../../src/nat/setup.js";
import { validateConfig } from "../../src/engine/config-load.js";
import { parseJsoncText } from "../../src/core/json.js";
import { parseBaseline } from "../../src/engine/baseline.js";
import { formatStylish } from "../../src/report/stylish.js";
import { formatGithub } from "../../src/report/github.js";
import { formatMarkdown } from "../../src/report/markdown.js";
import { formatJunit } from "../../src/report/junit.js";
import { summarize, type Finding } from "../../src/core/finding.js";
import type { Acl, Device, Packet } from "../../src/model/types.js";

export class FuzzFailure extends Error {
  override name = "FuzzFailure";
}

/** Errors that are natlint's answer to bad input (one line, exit 2), not crashes. */
const EXPECTED = new Set(["InputError", "ConfigError", "UsageError", "NatlintError", "ParseError"]);

function expectedError(e: unknown): boolean {
  return e instanceof Error && EXPECTED.has(e.name) && !/internal/i.test(e.message);
}

export interface Target {
  name: string;
  /** What the fuzzer's seeds for it look like (a folder of test/fuzz/seeds). */
  seeds: string;
  run(data: Uint8Array): void;
}

/** A small deterministic PRNG (mulberry32) from the input, so a failing input fails every time. */
function rng(data: Uint8Array): () => number {
  let h = 0x9e3779b9;
  for (let i = 0; i < data.length; i += 1 + (data.length >> 12)) h = Math.imul(h ^ data[i]!, 0x85ebca6b) >>> 0;
  return mulberry32(h);
}

const PORTS = [0, 1, 2, 21, 22, 23, 25, 53, 80, 443, 499, 500, 501, 511, 512, 1023, 1024, 1025, 1701, 4499, 4500, 4501, 65534, 65535];
const PROTOS = [0, 1, 2, 6, 17, 41, 47, 50, 51, 88, 89, 132, 255];

/** Addresses the ACL mentions (and their neighbours), so random packets hit its lines. */
function addressPool(acl: Acl): number[] {
  const out = new Set<number>([0, 0xffffffff, 0xc0000202, 0xcb00710a, 0x0a000001]);
  for (const e of acl.entries)
    for (const m of e.source.text.matchAll(/\b(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\b/g)) {
      const [a, b, c, d] = [m[1], m[2], m[3], m[4]].map(Number) as [number, number, number, number];
      if (a > 255 || b > 255 || c > 255 || d > 255) continue;
      const ip = ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;
      out.add(ip);
      out.add((ip + 1) >>> 0);
      out.add((ip - 1) >>> 0);
      out.add((ip | 0xff) >>> 0);
    }
  return [...out];
}

function randomPacket(r: () => number, addrs: readonly number[]): Packet {
  const pick = <T>(a: readonly T[]): T => a[Math.floor(r() * a.length)]!;
  const port = () => (r() < 0.7 ? pick(PORTS) : Math.floor(r() * 65536));
  return {
    protocol: r() < 0.8 ? pick(PROTOS) : Math.floor(r() * 256),
    src: r() < 0.8 ? pick(addrs) : Math.floor(r() * 4294967296),
    dst: r() < 0.8 ? pick(addrs) : Math.floor(r() * 4294967296),
    srcPort: port(),
    dstPort: port(),
    icmpType: Math.floor(r() * 256),
    icmpCode: Math.floor(r() * 256),
    tcpFlags: Math.floor(r() * 64),
    fragment: r() < 0.15,
    tos: Math.floor(r() * 256),
  };
}

function guard<T>(what: string, f: () => T): T | undefined {
  try {
    return f();
  } catch (e) {
    if (expectedError(e)) return undefined;
    throw new FuzzFailure(`${what}: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`, { cause: e });
  }
}

/** The evaluator against the compiled (BDD) ACLs of one device, on packets drawn from the input. */
function checkAcls(dev: Device, data: Uint8Array, packets = 24): void {
  const s = sets();
  const r = rng(data);
  for (const acl of dev.acls.values()) {
    if (acl.entries.length > 2000) continue;
    const c = s.compile(acl);
    const addrs = addressPool(acl);
    for (let i = 0; i < packets; i++) {
      const p = randomPacket(r, addrs);
      const a = evaluateAcl(acl, p);
      const b = c.evaluate(p);
      if (a.action !== b.action || a.index !== b.index)
        throw new FuzzFailure(`changed verdict: ACL ${acl.name}: reference ${a.action} at ${a.index}, BDD ${b.action} at ${b.index} for ${JSON.stringify(p)}`);
      const inPermit = s.hs.contains(c.permit, p);
      if (inPermit !== (a.action === "permit")) throw new FuzzFailure(`changed verdict: ACL ${acl.name}: permit set says ${inPermit}, evaluator ${a.action}`);
    }
  }
}

let shared: AclSets | undefined;
let uses = 0;
/** One header space for many inputs (a new one costs ~1 ms), renewed so its node table stays small. */
function sets(): AclSets {
  if (!shared || ++uses > 200) {
    shared = new AclSets(new HeaderSpace());
    uses = 0;
  }
  return shared;
}

function text(data: Uint8Array): string {
  return decodeConfig(data);
}

let prep: PreparedRun | undefined;
function lintPrep(): PreparedRun {
  prep ??= prepareRun({ cwd: process.cwd(), config: false, fixes: { prove: false, apply: false } });
  return prep;
}

function lintFindings(t: string): Finding[] {
  return lintText(lintPrep(), "fuzz.cfg", t).findings;
}

const key = (f: Finding) => `${f.ruleId}|${f.severity}|${f.line}|${f.message}`;

export const TARGETS: readonly Target[] = [
  {
    name: "parse",
    seeds: "config",
    run(data) {
      const t = text(data);
      guard("detect", () => detectVendor(t));
      guard("looksLike", () => looksLike(t));
      for (const vendor of ["ios", "asa"] as const) {
        const p = guard(`parse ${vendor}`, () => parseConfig(t, "fuzz.cfg", vendor));
        if (!p) continue;
        for (const d of p.device.diagnostics)
          if (d.source.line < 1 || d.source.line > Math.max(1, p.device.lineCount + 1)) throw new FuzzFailure(`diagnostic outside the file: line ${d.source.line} of ${p.device.lineCount}`);
        guard(`acls ${vendor}`, () => checkAcls(p.device, data));
      }
    },
  },
  {
    name: "lint",
    seeds: "config",
    run(data) {
      const t = text(data).replace(/\r\n|\r/g, "\n");
      const a = guard("lint", () => lintFindings(t));
      if (!a) return;
      // an unrelated edit: the same config with CRLF line endings reports the same findings
      const b = guard("lint crlf", () => lintFindings(t.replace(/\n/g, "\r\n")));
      const ka = a.map(key).join("\n");
      const kb = (b ?? []).map(key).join("\n");
      if (ka !== kb) throw new FuzzFailure(`changed verdict under CRLF line endings:\n${ka}\n---\n${kb}`);
      // every format renders it, and no control character reaches a terminal or a PR comment raw
      const result = { findings: a, files: [{ path: "fuzz.cfg", vendor: "ios" as const }], summary: summarize(a) };
      for (const [name, out] of [
        ["stylish", guard("stylish", () => formatStylish(result as never, { colour: false }))],
        ["github", guard("github", () => formatGithub(result as never, { cwd: process.cwd() }))],
        ["markdown", guard("markdown", () => formatMarkdown(result as never, { cwd: process.cwd() }))],
        ["junit", guard("junit", () => formatJunit(result as never, { cwd: process.cwd() }))],
      ] as const)
        if (out !== undefined && /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u0080-\u009f]/.test(out)) throw new FuzzFailure(`${name}: a raw control character in the output`);
    },
  },
  {
    name: "explain",
    seeds: "config",
    run(data) {
      const p = guard("parse", () => parseConfig(text(data), "fuzz.cfg"));
      if (!p) return;
      guard("explain", () => explainDevice({ device: p.device, nat: natSetup(p.device), sets: sets(), clients: 1 + (data.length % 4) }));
    },
  },
  {
    name: "diff",
    seeds: "config",
    run(data) {
      // old: the first half of the lines, new: the whole input — every claimed change is re-evaluated
      const t = text(data);
      const lines = t.split(/\r\n|\r|\n/);
      const oldText = lines.filter((_, i) => i % 3 !== 1).join("\n");
      const o = guard("parse old", () => parseConfig(oldText, "old.cfg"));
      const n = guard("parse new", () => parseConfig(t, "new.cfg", o?.vendor));
      if (!o || !n) return;
      if ([...o.device.acls.values(), ...n.device.acls.values()].some((a) => a.entries.length > 500)) return;
      const d = guard("diff", () => diffDevices(sets(), o.device, n.device));
      for (const acl of d?.acls ?? [])
        for (const ch of acl.changes) {
          const w = ch.witness;
          const oa = o.device.acls.get(acl.acl);
          const na = n.device.acls.get(acl.acl);
          const ov = oa ? evaluateAcl(oa, w).action : "permit";
          const nv = na ? evaluateAcl(na, w).action : "permit";
          if (ov !== ch.old.action || nv !== ch.new.action) throw new FuzzFailure(`diff witness of ${acl.acl}: claimed ${ch.old.action}→${ch.new.action}, evaluates ${ov}→${nv}`);
        }
    },
  },
  {
    name: "search",
    seeds: "space",
    run(data) {
      // the input is a header space on its first line and an ACL (IOS lines) after it
      const t = text(data);
      const nl = t.indexOf("\n");
      const spaceText = nl < 0 ? t : t.slice(0, nl);
      guard("flow", () => parseFlow(spaceText));
      const p = guard("parse", () => parseConfig(nl < 0 ? "" : t.slice(nl + 1), "fuzz.cfg"));
      const ss = sets();
      const space = guard("space", () => parseHeaderSpace(spaceText, ss.hs));
      if (typeof space !== "number" || !p) return;
      for (const acl of p.device.acls.values()) {
        if (acl.entries.length > 500) continue;
        for (const action of ["permit", "deny"] as const) {
          const hit = guard("search", () => searchAcl(ss, acl, action, space));
          if (hit && evaluateAcl(acl, hit.witness).action !== action) throw new FuzzFailure(`search: the packet found for ${action} in ${acl.name} is not ${action}ed`);
        }
      }
    },
  },
  {
    name: "settings",
    seeds: "json",
    run(data) {
      const t = new TextDecoder().decode(data);
      const parsed = guard("jsonc", () => parseJsoncText(t, "fuzz.json", "fuzz.json"));
      if (parsed !== undefined) guard("config", () => validateConfig(parsed.value, "fuzz.json", process.cwd(), parsed.positionOf));
      guard("baseline", () => parseBaseline(t, "fuzz.json"));
    },
  },
];

export function targetNamed(name: string): Target {
  const t = TARGETS.find((x) => x.name === name);
  if (!t) throw new Error(`no fuzz target "${name}" (targets: ${TARGETS.map((x) => x.name).join(", ")})`);
  return t;
}

export { Buffer };
