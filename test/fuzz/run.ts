/**
 * natlint's coverage-guided fuzzer (`npm run fuzz`, and a short run in .ci/run).
 *
 * Jazzer.js (@jazzer.js/core 4.0.0) installs here but its native addon needs GLIBC 2.38 (this
 * Debian 12 machine has 2.36), and the older releases fetch their addon from GitHub at install
 * time, which CI cannot reach; so this is the same loop in plain Node.js: V8's own block
 * coverage (the inspector's `Profiler.takePreciseCoverage`, as `c8` uses it) guides libFuzzer-style
 * mutations of a corpus of seeds (test/fuzz/seeds/<kind>/, plus examples/ and the rule fixtures).
 *
 *   node --import tsx test/fuzz/run.ts [--target NAME|all] [--time SECONDS] [--runs N] [--seed N]
 *                                      [--save-corpus DIR]
 *
 * Each target runs in a worker thread; the main thread is the watchdog: an input still running
 * after 10 s is a hang (the worker is stopped and the input saved), one that took more than 2 s is
 * reported as slow, and an exception that breaks a target's contract (./targets.ts) is a crash.
 * Every hang, slow input and crash is written to test/fuzz/crashes/<target>-<hash> (commit it to
 * test/fuzz/seeds/ once fixed: test/fuzz.test.ts replays every seed). Exit 1 when anything was
 * found. The closing line gives the inputs run and the coverage (blocks of src/ executed).
 */
import { Worker, isMainThread, parentPort, workerData } from "node:worker_threads";
import { Session } from "node:inspector";
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { seedFiles } from "./seeds.js";
import { rng } from "../../bench/random.js";
import path from "node:path";
import { fileURLToPath } from "node:url";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.join(HERE, "..", "..");
const SLOW_MS = 2000;
const HANG_MS = 10_000;
const MAX_LEN = 48 * 1024;

interface Job {
  target: string;
  seconds: number;
  runs: number;
  seed: number;
  saveCorpus?: string;
  shared: SharedArrayBuffer;
}

interface Report {
  kind: "progress" | "done" | "found";
  target: string;
  execs: number;
  covered: number;
  total: number;
  corpus: number;
  found?: { what: "crash" | "slow"; message: string; input: string; ms: number };
}

// ------------------------------------------------------------------------------ mutations

const WORDS = (
  "permit deny ip tcp udp icmp esp gre any any4 host eq neq lt gt range established log fragments " +
  "object-group object network service group-object network-object port-object service-object " +
  "access-list extended standard remark line inactive ip access-list access-group in out global " +
  "interface nameif security-level ip address nat inside outside source list pool overload static " +
  "dynamic pat-pool route-map match crypto map isakmp non500-isakmp 500 4500 0.0.0.0 255.255.255.255 " +
  "255.255.255.0 0.0.0.255 10.0.0.1 192.0.2.2 203.0.113.10 exit end ! : banner motd ^C # quit " +
  "certificate time-range dscp tos precedence ttl option ASA Version 9.8(1) hostname description " +
  "ip inspect zone-member security evaluate reflect sequence 10 4294967295 65535 65536 -1 999.1.1.1"
).split(" ");
const ODD = ["\u00a0", "\u2003", "\u200b", "\ufeff", "\u0000", "\u001b[2J", "\u0007", "\t", "\r", "\r\n", " ", "\\", '"', "<img src=x>", "@here", "https://x.test/", "%0A", "::error::", "]]>", "x".repeat(5000)];

class Mutator {
  constructor(private readonly r: () => number) {}
  int(n: number): number {
    return Math.floor(this.r() * n);
  }
  pick<T>(a: readonly T[]): T {
    return a[this.int(a.length)]!;
  }
  mutate(input: string, corpus: readonly string[]): string {
    let s = input;
    const n = 1 + this.int(4);
    for (let i = 0; i < n; i++) s = this.once(s, corpus);
    return s.length > MAX_LEN ? s.slice(0, MAX_LEN) : s;
  }
  private once(s: string, corpus: readonly string[]): string {
    const lines = s.split("\n");
    const li = this.int(lines.length);
    const line = lines[li] ?? "";
    const toks = line.split(" ");
    switch (this.int(12)) {
      case 0: {
        // replace a word
        toks[this.int(toks.length)] = this.pick(WORDS);
        lines[li] = toks.join(" ");
        break;
      }
      case 1: {
        // insert a word
        toks.splice(this.int(toks.length + 1), 0, this.pick(WORDS));
        lines[li] = toks.join(" ");
        break;
      }
      case 2:
        toks.splice(this.int(toks.length), 1);
        lines[li] = toks.join(" ");
        break;
      case 3:
        lines.splice(li, 1);
        break;
      case 4:
        lines.splice(li, 0, line);
        break;
      case 5: {
        // a line from another input
        const other = this.pick(corpus).split("\n");
        lines.splice(li, 0, this.pick(other));
        break;
      }
      case 6: {
        // a number changed
        lines[li] = line.replace(/\d+/, () => String(this.pick([0, 1, 2, 255, 256, 511, 512, 1023, 1024, 4294967295, 65535, 65536, this.int(100000)])));
        break;
      }
      case 7: {
        // an odd character somewhere
        const at = this.int(line.length + 1);
        lines[li] = line.slice(0, at) + this.pick(ODD) + line.slice(at);
        break;
      }
      case 8: {
        // indentation
        lines[li] = this.r() < 0.5 ? line.replace(/^\s+/, "") : " ".repeat(1 + this.int(3)) + line;
        break;
      }
      case 9: {
        // swap two lines
        const lj = this.int(lines.length);
        [lines[li], lines[lj]] = [lines[lj] ?? "", line];
        break;
      }
      case 10: {
        // a byte-level edit
        const at = this.int(s.length + 1);
        return this.r() < 0.5 ? s.slice(0, at) + String.fromCharCode(this.int(256)) + s.slice(at + 1) : s.slice(0, at) + s.slice(at + 1 + this.int(8));
      }
      default: {
        // splice a block of another input
        const other = this.pick(corpus).split("\n");
        const a = this.int(other.length);
        lines.splice(li, 0, ...other.slice(a, a + 1 + this.int(6)));
      }
    }
    return lines.join("\n");
  }
}


// ------------------------------------------------------------------------------ the worker

interface Coverage {
  result: Array<{ url: string; functions: Array<{ ranges: Array<{ startOffset: number; endOffset: number; count: number }> }> }>;
}

async function workerMain(job: Job): Promise<void> {
  const { targetNamed } = await import("./targets.js");
  const target = targetNamed(job.target);
  const state = new Float64Array(job.shared, 0, 2); // [start time of the running input or 0, its length]
  const bytes = new Uint8Array(job.shared, 16);
  const session = new Session();
  session.connect();
  const post = (method: string, params?: object): unknown => {
    let out: unknown;
    let err: unknown;
    session.post(method, params ?? {}, (e, r) => {
      err = e;
      out = r;
    });
    if (err) throw err;
    return out;
  };
  post("Profiler.enable");
  post("Profiler.startPreciseCoverage", { callCount: true, detailed: true });
  const seen = new Set<string>();
  const all = new Set<string>();
  const ids = new Map<string, number>();
  /** The blocks executed since the last call that no corpus input has reached yet (`seen` is not changed). */
  const fresh = (): Set<string> => {
    const cov = post("Profiler.takePreciseCoverage") as Coverage;
    const out = new Set<string>();
    for (const s of cov.result) {
      if (!s.url.includes("/src/") || s.url.includes("node_modules")) continue;
      let id = ids.get(s.url);
      if (id === undefined) ids.set(s.url, (id = ids.size));
      for (const f of s.functions)
        for (const r of f.ranges) {
          const k = `${id}:${r.startOffset}:${r.endOffset}`;
          all.add(k);
          if (r.count > 0 && !seen.has(k)) out.add(k);
        }
    }
    return out;
  };
  const keep = (input: string, keys: Iterable<string>): void => {
    corpus.push(input);
    for (const k of keys) seen.add(k);
  };
  /**
   * Which inputs of a batch reach the new blocks `want`: halves are run again until one input is
   * left (2·log2(batch) coverage snapshots per discovery instead of one per input).
   */
  const attribute = (inputs: string[], want: Set<string>): void => {
    if (inputs.length === 1) return keep(inputs[0]!, want);
    const mid = inputs.length >> 1;
    for (const half of [inputs.slice(0, mid), inputs.slice(mid)]) {
      for (const i of half) runOne(i);
      execs += half.length;
      const got = new Set([...fresh()].filter((k) => want.has(k)));
      if (got.size > 0) attribute(half, got);
    }
  };
  const enc = new TextEncoder();
  const report = (r: Omit<Report, "target" | "covered" | "total">) => parentPort!.postMessage({ ...r, target: job.target, covered: seen.size, total: all.size });
  const runOne = (input: string): void => {
    const data = enc.encode(input);
    const n = Math.min(data.length, bytes.length);
    bytes.set(data.subarray(0, n));
    state[1] = n;
    state[0] = Date.now();
    const t0 = performance.now();
    try {
      target.run(data);
    } catch (e) {
      const message = e instanceof Error ? `${e.name}: ${e.message}`.slice(0, 2000) : String(e);
      report({ kind: "found", execs, corpus: corpus.length, found: { what: "crash", message, input, ms: performance.now() - t0 } });
    } finally {
      state[0] = 0;
    }
    let ms = performance.now() - t0;
    // slow only when it stays slow: a GC pause or a loaded machine does not repeat (the input is
    // run twice more and the fastest run counts)
    for (let again = 0; again < 2 && ms > SLOW_MS; again++) {
      const t1 = performance.now();
      state[0] = Date.now();
      try {
        target.run(data);
      } catch {
        // reported above
      } finally {
        state[0] = 0;
      }
      ms = Math.min(ms, performance.now() - t1);
    }
    if (ms > SLOW_MS) report({ kind: "found", execs, corpus: corpus.length, found: { what: "slow", message: `took ${Math.round(ms)} ms (the fastest of 3 runs)`, input, ms } });
  };

  const seedTexts = seedFiles(target.seeds).map((f) => readFileSync(f, "latin1").replace(/\r\n/g, "\n"));
  const corpus: string[] = [];
  let execs = 0;
  for (const s of seedTexts) {
    runOne(s);
    execs++;
    const f = fresh();
    if (f.size > 0 || corpus.length === 0) keep(s, f);
  }
  const m = new Mutator(rng(job.seed));
  const deadline = Date.now() + job.seconds * 1000;
  const BATCH = 128;
  let lastReport = Date.now();
  const pending: string[] = [];
  fresh();
  while (execs < job.runs && Date.now() < deadline) {
    pending.length = 0;
    for (let i = 0; i < BATCH && execs < job.runs; i++) {
      const input = m.mutate(m.pick(corpus), corpus);
      pending.push(input);
      runOne(input);
      execs++;
    }
    const f = fresh();
    if (f.size > 0) {
      attribute([...pending], f);
      for (const k of f) seen.add(k); // a block no single input reproduces (first-use code) is not chased again
    }
    if (Date.now() - lastReport > 5000) {
      lastReport = Date.now();
      report({ kind: "progress", execs, corpus: corpus.length });
    }
  }
  if (job.saveCorpus) {
    const dir = path.join(job.saveCorpus, job.target);
    mkdirSync(dir, { recursive: true });
    for (const c of corpus) writeFileSync(path.join(dir, createHash("sha1").update(c).digest("hex").slice(0, 16)), c, "latin1");
  }
  report({ kind: "done", execs, corpus: corpus.length });
}

// ------------------------------------------------------------------------------ the watchdog

function arg(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

function save(target: string, what: string, input: string): string {
  const dir = path.join(HERE, "crashes");
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${target}-${what}-${createHash("sha1").update(input).digest("hex").slice(0, 12)}`);
  writeFileSync(file, input, "latin1");
  return path.relative(ROOT, file);
}

function runTarget(job: Omit<Job, "shared">): Promise<{ execs: number; covered: number; total: number; found: number }> {
  return new Promise((resolve) => {
    let execsBefore = 0;
    let found = 0;
    let last: Report | undefined;
    const start = (runs: number, seconds: number, seed: number): void => {
      const shared = new SharedArrayBuffer(16 + MAX_LEN * 4);
      const state = new Float64Array(shared, 0, 2);
      const w = new Worker(path.join(HERE, "worker.mjs"), { workerData: { ...job, runs, seconds, seed, shared } });
      let broken = false;
      const t0 = Date.now();
      const dog = setInterval(() => {
        const began = state[0]!;
        if (began > 0 && Date.now() - began > HANG_MS) {
          clearInterval(dog);
          const input = Buffer.from(new Uint8Array(shared, 16, state[1]!)).toString("utf8");
          found++;
          console.log(`${job.target}: HANG (> ${HANG_MS / 1000} s): ${save(job.target, "hang", input)}`);
          void w.terminate();
        }
      }, 500);
      w.on("message", (r: Report) => {
        last = r;
        if (r.kind === "found" && r.found) {
          found++;
          console.log(`${job.target}: ${r.found.what.toUpperCase()} ${r.found.message.split("\n")[0]} (${Math.round(r.found.ms)} ms): ${save(job.target, r.found.what, r.found.input)}`);
        } else if (r.kind === "progress") console.log(`${job.target}: ${execsBefore + r.execs} inputs, ${r.covered} blocks covered, corpus ${r.corpus}`);
      });
      w.on("error", (e) => {
        found++;
        broken = true;
        console.log(`${job.target}: worker error: ${e.message}`);
      });
      w.on("exit", () => {
        clearInterval(dog);
        const done = last?.execs ?? 0;
        execsBefore += done;
        const left = runs - done;
        const secondsLeft = seconds - (Date.now() - t0) / 1000;
        if (!broken && last?.kind !== "done" && left > 0 && secondsLeft > 1) start(left, secondsLeft, seed + 1); // after a hang: go on
        else resolve({ execs: execsBefore, covered: last?.covered ?? 0, total: last?.total ?? 0, found });
      });
    };
    start(job.runs, job.seconds, job.seed);
  });
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const { TARGETS } = await import("./targets.js");
  const which = arg(argv, "--target") ?? "all";
  const names = which === "all" ? TARGETS.map((t) => t.name) : which.split(",");
  const seconds = Number(arg(argv, "--time") ?? 60);
  const runs = Number(arg(argv, "--runs") ?? Number.MAX_SAFE_INTEGER);
  const seed = Number(arg(argv, "--seed") ?? 1);
  const saveCorpus = arg(argv, "--save-corpus");
  const parallel = Math.max(1, Number(arg(argv, "--jobs") ?? 2));
  const per = { seconds: seconds / Math.ceil(names.length / parallel), runs: Math.ceil(runs / names.length) };
  const t0 = Date.now();
  const results: Array<{ name: string; execs: number; covered: number; total: number; found: number }> = [];
  const queue = [...names];
  await Promise.all(
    Array.from({ length: Math.min(parallel, names.length) }, async () => {
      for (let n = queue.shift(); n !== undefined; n = queue.shift()) {
        const r = await runTarget({ target: n, seconds: per.seconds, runs: per.runs, seed, ...(saveCorpus ? { saveCorpus } : {}) });
        results.push({ name: n, ...r });
        console.log(`${n}: ${r.execs} inputs, ${r.covered} of ${r.total} blocks covered (${((100 * r.covered) / Math.max(1, r.total)).toFixed(1)} %), ${r.found} found`);
      }
    }),
  );
  const execs = results.reduce((a, r) => a + r.execs, 0);
  const found = results.reduce((a, r) => a + r.found, 0);
  console.log(`fuzz: ${execs} inputs in ${Math.round((Date.now() - t0) / 1000)} s over ${results.length} targets, ${found} crashes, hangs or slow inputs`);
  process.exitCode = found > 0 ? 1 : 0;
}

if (isMainThread) await main();
else await workerMain(workerData as Job);
