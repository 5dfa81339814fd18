/** The natlint commands. Each parses its arguments, calls the library API and prints. */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { parseArgs } from "node:util";
import ora from "ora";
import { explain, flow, lint, loadDevice, parseFlow, simulate, summarize, type ExplainResult } from "../api.js";
import type { LintResult } from "../engine/types.js";
import { writeBaseline } from "../engine/baseline.js";
import { formatSarif } from "../report/sarif.js";
import { formatGithub } from "../report/github.js";
import { formatJunit } from "../report/junit.js";
import { formatMarkdown } from "../report/markdown.js";
import { TCP, type Packet, type Vendor } from "../model/types.js";
import { PROTO, hasPorts, parsePortList, protocolName } from "../model/ports.js";
import { formatIp } from "../model/addr.js";
import { HeaderSpace, type PSet } from "../headerspace/index.js";
import { parseHeaderSpace } from "../headerspace/parse.js";
import { diffAcls, searchAcl } from "../diff/index.js";
import { rulesCmd } from "./rules-command.js";
import { formatExplainMarkdown } from "../report/explain-markdown.js";
import { InputError } from "../io/files.js";
import { formatJson } from "../report/json.js";
import { formatStylish } from "../report/stylish.js";
import { colourWanted, styler } from "../report/style.js";
import { table } from "../report/table.js";
import { choiceOption, homepage, intOption, parseCommandArgs, plainParseError, UsageError, version } from "./args.js";

export interface Command {
  name: string;
  summary: string;
  help: string;
  run(args: string[]): Promise<number>;
}

const out = (s: string) => process.stdout.write(s);

const SIM_OPTIONS = {
  clients: { type: "string" },
  profile: { type: "string" },
  peer: { type: "string" },
} as const;

function vendorOption(cmd: { name: string }, v: string | undefined): Vendor | undefined {
  return v === undefined ? undefined : choiceOption(cmd, "vendor", v, ["ios", "asa"] as const, "ios");
}

// ---------------------------------------------------------------------------------------------

const LINT_FORMATS = ["stylish", "json", "sarif", "github", "junit", "markdown"] as const;
type LintFormat = (typeof LINT_FORMATS)[number];

/**
 * Pair each --format with the --output-file that follows it (before the next --format); a
 * format without one goes to stdout, and at most one may.
 */
export function pairFormats(args: string[]): Array<{ format: LintFormat; file?: string }> {
  const out: Array<{ format: LintFormat; file?: string }> = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const [flag, inline] = a.startsWith("--") && a.includes("=") ? [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)] : [a, undefined];
    if (flag !== "--format" && flag !== "--output-file" && flag !== "-o" && flag !== "-f") continue;
    const v = inline ?? args[++i];
    if (v === undefined) throw new UsageError(`lint: ${flag} needs a value`);
    if (flag === "--format" || flag === "-f") {
      if (!(LINT_FORMATS as readonly string[]).includes(v)) throw new UsageError(`lint: --format must be one of ${LINT_FORMATS.join(", ")} (got "${v}")`);
      out.push({ format: v as LintFormat });
    } else {
      const last = out[out.length - 1];
      if (!last) out.push({ format: "stylish", file: v });
      else if (last.file !== undefined) throw new UsageError(`lint: two --output-file for --format ${last.format}`);
      else last.file = v;
    }
  }
  if (out.length === 0) out.push({ format: "stylish" });
  if (out.filter((o) => o.file === undefined).length > 1) throw new UsageError("lint: several --format go to stdout; give each but one an --output-file");
  return out;
}

const lintCmd: Command = {
  name: "lint",
  summary: "lint config files (the CI command)",
  help: `Usage: natlint lint [PATH|GLOB ...] [options]

Lint Cisco IOS and ASA configs. Directories are searched recursively for config
files (*.cfg, *.conf, *.config, *.txt, *.ios, *.asa and files without an
extension); default: the current directory.

Output:
  -f, --format NAME        stylish (default), json, sarif, github, junit, markdown;
                           repeatable, each followed by its own --output-file
  -o, --output-file FILE   write the preceding --format to FILE
  --quiet                  report errors only
  --max-warnings N         exit 1 when there are more than N warnings

Simulation:
  --clients N       IPsec clients to simulate behind each PAT (default 3)
  --profile ID      PAT profile: ios, asa, asa-flat, asa-flat-include-reserve,
                    asa-9.15, asa-block-allocation, linux
                    (default: chosen from each config)
  --peer IP         IPsec peer to simulate (default: picked from the ACLs)
  --vendor ios|asa  skip vendor detection

Configuration:
  --config FILE     use this .natlintrc.json (default: searched upward)
  --no-config       use no config file
  --report-unused-disable-directives
                    report natlint-disable directives that suppress nothing
  --baseline FILE   report only findings not recorded in FILE
  --write-baseline FILE
                    record today's findings in FILE (and exit 0)
  -h, --help        show this help

Exit codes: 0 no error findings, 1 error findings (or too many warnings),
2 usage, I/O or configuration error.
`,
  async run(args) {
    let a;
    try {
      a = parseArgs({
        args,
        allowPositionals: true,
        strict: true,
        options: {
          clients: { type: "string" },
          profile: { type: "string" },
          peer: { type: "string" },
          vendor: { type: "string" },
          format: { type: "string", short: "f", multiple: true },
          "output-file": { type: "string", short: "o", multiple: true },
          quiet: { type: "boolean" },
          "max-warnings": { type: "string" },
          config: { type: "string" },
          "no-config": { type: "boolean" },
          "report-unused-disable-directives": { type: "boolean" },
          baseline: { type: "string" },
          "write-baseline": { type: "string" },
        },
      });
    } catch (e) {
      throw new UsageError(`lint: ${plainParseError((e as Error).message)} (see natlint lint --help)`);
    }
    const v = a.values;
    const outputs = pairFormats(args);
    const clients = intOption(this, "clients", v.clients, 1, 65535);
    const maxWarnings = intOption(this, "max-warnings", v["max-warnings"], 0, Number.MAX_SAFE_INTEGER);
    if (v.config !== undefined && v["no-config"]) throw new UsageError("lint: --config and --no-config contradict each other");
    let baseline: string | undefined;
    if (v.baseline !== undefined) {
      try {
        baseline = readFileSync(resolve(v.baseline), "utf8");
      } catch {
        throw new InputError(`${v.baseline}: cannot read baseline file`);
      }
    }
    const toStdout = outputs.find((o) => o.file === undefined);
    const interactive = toStdout?.format === "stylish" && process.stdout.isTTY === true && process.stderr.isTTY === true && !process.env.CI;
    const spinner = interactive ? ora({ text: "natlint: finding config files", stream: process.stderr }).start() : undefined;
    let result;
    try {
      result = await lint({
        patterns: a.positionals,
        ...(clients !== undefined ? { clients } : {}),
        ...(v.profile !== undefined ? { profile: v.profile } : {}),
        ...(v.peer !== undefined ? { peer: v.peer } : {}),
        ...(v.vendor !== undefined ? { vendor: vendorOption(this, v.vendor)! } : {}),
        ...(v["no-config"] ? { config: false as const } : v.config !== undefined ? { config: v.config } : {}),
        ...(v["report-unused-disable-directives"] ? { reportUnusedDisableDirectives: true } : {}),
        ...(baseline !== undefined ? { baseline } : {}),
        ...(spinner ? { onFile: (f: string, i: number, n: number) => void (spinner.text = `natlint: ${i + 1}/${n} ${f}`) } : {}),
      });
    } finally {
      spinner?.stop();
    }
    if (v["write-baseline"] !== undefined) {
      writeOutput(v["write-baseline"], writeBaseline(result.findings, { cwd: process.cwd() }));
      process.stderr.write(`natlint: wrote ${result.findings.length} finding${result.findings.length === 1 ? "" : "s"} to ${v["write-baseline"]}\n`);
      return 0;
    }
    const warnings = result.summary.warnings;
    if (v.quiet) {
      const findings = result.findings.filter((f) => f.severity === "error");
      result = { ...result, findings, summary: { ...result.summary, ...summarize(findings) } };
    }
    for (const o of outputs) {
      const text = formatLint(o.format, result, o.file === undefined && colourWanted(process.stdout));
      if (o.file === undefined) out(text);
      else writeOutput(o.file, text);
    }
    if (result.summary.errors > 0) return 1;
    if (maxWarnings !== undefined && warnings > maxWarnings) {
      process.stderr.write(`natlint: ${warnings} warnings exceed --max-warnings ${maxWarnings}\n`);
      return 1;
    }
    return 0;
  },
};

function writeOutput(file: string, text: string): void {
  try {
    mkdirSync(dirname(resolve(file)), { recursive: true });
    writeFileSync(resolve(file), text);
  } catch (e) {
    throw new InputError(`${file}: cannot write (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

export function formatLint(format: LintFormat, result: LintResult, colour: boolean): string {
  const cwd = process.cwd();
  switch (format) {
    case "stylish":
      return formatStylish(result, { colour });
    case "json":
      return formatJson(result);
    case "sarif":
      return formatSarif(result, { cwd, version: version(), ...(homepage() ? { informationUri: homepage()! } : {}) });
    case "github":
      return formatGithub(result, { cwd });
    case "junit":
      return formatJunit(result, { cwd });
    case "markdown":
      return formatMarkdown(result, { cwd });
  }
}

// ---------------------------------------------------------------------------------------------

const simulateCmd: Command = {
  name: "simulate",
  summary: "show the PAT translation table for N IPsec clients",
  help: `Usage: natlint simulate [--clients N] [--profile ID] [--ports 500,4500] [options]

Simulate N clients behind one PAT address, each opening a session from every
port in --ports (default IKE 500 then NAT-T 4500) to one peer, and print the
translation table. Random profiles (asa, linux, …) show the set of ports the
client may get.

Options:
  --clients N      number of clients (default 3)
  --profile ID     ios (default), asa, asa-flat, asa-flat-include-reserve,
                   asa-9.15, asa-block-allocation, linux
  --ports LIST     real source ports each client uses (default 500,4500)
  --inside IP      first client's address (default 192.168.100.11)
  --global IP      PAT address (default 192.0.2.2)
  --peer IP        peer address (default 203.0.113.10)
  --format table|json
  -h, --help       show this help
`,
  async run(args) {
    const a = parseCommandArgs(this, args, { ...SIM_OPTIONS, ports: { type: "string" }, inside: { type: "string" }, global: { type: "string" }, format: { type: "string" } });
    if (a.positionals.length) throw new UsageError(`simulate: unexpected argument "${a.positionals[0]}" (simulate takes no file; use explain FILE)`);
    const format = choiceOption(this, "format", a.values.format, ["table", "json"] as const, "table");
    let ports: number[] | undefined;
    if (a.values.ports !== undefined) {
      const set = parsePortList(a.values.ports);
      if (!set || set.some((r) => r.lo !== r.hi) || a.values.ports.split(",").length !== set.length)
        throw new UsageError(`simulate: --ports must be a comma-separated list of distinct ports, e.g. 500,4500 (got "${a.values.ports}")`);
      ports = a.values.ports.split(",").map(Number);
    }
    const clients = intOption(this, "clients", a.values.clients, 1, 65535);
    const r = simulate({
      ...(clients !== undefined ? { clients } : {}),
      ...(a.values.profile !== undefined ? { profile: a.values.profile } : {}),
      ...(ports ? { ports } : {}),
      ...(a.values.inside !== undefined ? { inside: a.values.inside } : {}),
      ...(a.values.global !== undefined ? { global: a.values.global } : {}),
      ...(a.values.peer !== undefined ? { peer: a.values.peer } : {}),
    });
    if (format === "json") {
      out(JSON.stringify(r, null, 2) + "\n");
      return 0;
    }
    const tp = (t: (typeof r.sessions)[number]["translated"]) =>
      t === null ? "(PAT exhausted)" : t.port !== undefined ? `${t.ip}:${t.port}` : `${t.ip}:{${t.ports!.map(([lo, hi]) => (lo === hi ? `${lo}` : `${lo}-${hi}`)).join(",")}}`;
    out(`PAT profile ${r.profile}, global ${r.global}, peer ${r.peer}\n`);
    for (const n of r.assumptions) out(`assumption: ${n}\n`);
    out("\n" + table(["session", "client", "flow", "inside", "translated"], r.sessions.map((s, i) => [String(i + 1), String(s.client), s.flow, `${s.inside.ip}:${s.inside.port}`, tp(s.translated)])) + "\n");
    return 0;
  },
};

// ---------------------------------------------------------------------------------------------

function explainTable(r: ExplainResult, colour: boolean): string {
  const c = styler(colour);
  const lines: string[] = [`${r.file} (${r.vendor})`];
  for (const n of r.nat) lines.push(`PAT: line ${n.line} "${n.rule}" → ${n.globals.join(", ")} (profile ${n.profile}; inside ${n.insideInterface ?? "?"}, outside ${n.outsideInterface ?? "?"})`);
  for (const n of r.notes) lines.push(`note: ${n}`);
  if (r.sessions.length === 0) return lines.join("\n") + "\n";
  const tport = (s: ExplainResult["sessions"][number]) =>
    s.translated === null ? "(exhausted)" : s.translated.port !== undefined ? `${s.translated.ip}:${s.translated.port}` : `${s.translated.ip}:{${s.translated.ports!.map(([a, b]) => (a === b ? a : `${a}-${b}`)).join(",")}}`;
  const rows = r.sessions.map((s) => [
    String(s.client),
    s.flow,
    s.direction,
    s.direction === "outbound" ? `${s.inside.ip}:${s.inside.port}` : `${s.peer.ip}:${s.peer.port}`,
    s.direction === "outbound" ? `${tport(s)} → ${s.peer.ip}:${s.peer.port}` : `→ ${tport(s)} → ${s.inside.ip}:${s.inside.port}`,
    s.checkpoints.length === 0
      ? s.direction === "return" && r.vendor === "asa"
        ? "(stateful: not checked)"
        : "(no ACL)"
      : s.checkpoints
          .map((k) => `${k.interface} ${k.direction} ${k.acl} ${k.defined ? (k.line === null ? "implicit deny" : `line ${k.line}`) : "(undefined ACL)"} ${k.action}${k.portsTotal !== undefined && k.portsDenied ? ` (${k.portsDenied}/${k.portsTotal} ports)` : ""}`)
          .join("; "),
    s.verdict === "permit" ? c("green", "permit") : c("red", "drop"),
  ]);
  lines.push("", table(["client", "flow", "direction", "from", "translated", "checkpoints", "verdict"], rows));
  const drops = r.sessions.filter((s) => s.verdict === "drop");
  if (drops.length) {
    lines.push("");
    for (const d of drops) {
      const k = d.checkpoints.find((x) => x.action === "deny");
      lines.push(`client ${d.client} ${d.flow} ${d.direction}: ${d.detail ?? "dropped"}${k?.source ? ` — "${k.source}"` : ""}`);
    }
  }
  return lines.join("\n") + "\n";
}

const explainCmd: Command = {
  name: "explain",
  summary: "trace every client's IKE and NAT-T session through a device",
  help: `Usage: natlint explain FILE [--clients N] [--peer IP] [options]

For the device in FILE, simulate N clients behind its PAT and show every IKE and
NAT-T session, outbound and return: inside address, translated address, each
ACL checkpoint in the vendor's order of operations with the matching line (or
the implicit deny), and the verdict. Without --peer the peer is picked from
the ACLs, and the output says which.

Options:
  --clients N       number of clients (default 3)
  --peer IP         IPsec peer address
  --profile ID      PAT profile (default: chosen from the config)
  --vendor ios|asa  skip vendor detection
  --format table|json|markdown
                    markdown: the session table and a Mermaid sequence
                    diagram for a pull-request comment
  -h, --help        show this help
`,
  async run(args) {
    const a = parseCommandArgs(this, args, { ...SIM_OPTIONS, format: { type: "string" }, vendor: { type: "string" } });
    if (a.positionals.length !== 1) throw new UsageError(`explain: expected one FILE (got ${a.positionals.length})`);
    const format = choiceOption(this, "format", a.values.format, ["table", "json", "markdown"] as const, "table");
    const clients = intOption(this, "clients", a.values.clients, 1, 65535);
    const v = vendorOption(this, a.values.vendor);
    const r = explain(a.positionals[0]!, {
      ...(clients !== undefined ? { clients } : {}),
      ...(a.values.peer !== undefined ? { peer: a.values.peer } : {}),
      ...(a.values.profile !== undefined ? { profile: a.values.profile } : {}),
      ...(v ? { vendor: v } : {}),
    });
    out(format === "json" ? JSON.stringify(r, null, 2) + "\n" : format === "markdown" ? formatExplainMarkdown(r) : explainTable(r, colourWanted(process.stdout)));
    return 0;
  },
};

// ---------------------------------------------------------------------------------------------

const flowCmd: Command = {
  name: "flow",
  summary: "evaluate flows against one ACL",
  help: `Usage: natlint flow FILE --acl NAME "PROTO SRC SPORT DST DPORT"
       natlint flow FILE --acl NAME --flows FLOWFILE

Evaluate one flow, or every line of FLOWFILE (one flow per line, same form;
blank lines and lines starting with # are skipped), against ACL NAME of the
device in FILE. Ports are given only for tcp, udp and sctp: "icmp SRC DST
[TYPE [CODE]]", "esp SRC DST".

Options:
  --acl NAME        the ACL
  --flows FILE      batch mode
  --vendor ios|asa  skip vendor detection
  --format text|json
  -h, --help        show this help
`,
  async run(args) {
    const a = parseCommandArgs(this, args, { acl: { type: "string" }, flows: { type: "string" }, format: { type: "string" }, vendor: { type: "string" } });
    const format = choiceOption(this, "format", a.values.format, ["text", "json"] as const, "text");
    if (!a.values.acl) throw new UsageError("flow: --acl NAME is required");
    const [file, ...flowArgs] = a.positionals;
    if (!file) throw new UsageError("flow: expected FILE");
    const batch = a.values.flows !== undefined;
    if (batch && flowArgs.length) throw new UsageError("flow: give either a flow or --flows FLOWFILE, not both");
    if (!batch && flowArgs.length === 0) throw new UsageError('flow: expected a flow such as "udp 10.0.0.1 500 203.0.113.10 500" (or --flows FLOWFILE)');
    const v = vendorOption(this, a.values.vendor);
    const { device } = loadDevice(file, v ? { vendor: v } : {});
    const texts: Array<{ text: string; where: string }> = [];
    if (batch) {
      let content: string;
      try {
        content = readFileSync(resolve(a.values.flows!), "utf8");
      } catch {
        throw new InputError(`${a.values.flows}: cannot read flow file`);
      }
      content.split(/\r?\n/).forEach((l, i) => {
        if (l.trim() && !l.trim().startsWith("#")) texts.push({ text: l.trim(), where: `${a.values.flows}:${i + 1}` });
      });
    } else texts.push({ text: flowArgs.join(" "), where: "flow" });
    const packets: Packet[] = texts.map(({ text, where }) => {
      const p = parseFlow(text);
      if ("error" in p) throw new InputError(`${where}: ${p.error}`);
      return p;
    });
    const results = flow(device, a.values.acl, packets);
    if (format === "json") {
      const strip = ({ acl: _a, source: _s, ...rest }: (typeof results)[number]) => rest;
      out(
        JSON.stringify(
          batch ? { acl: a.values.acl, results: results.map((r, i) => ({ flow: texts[i]!.text, ...strip(r), ...(r.source ? { source: r.source } : {}) })) } : results[0],
          null,
          2,
        ) + "\n",
      );
      return 0;
    }
    results.forEach((r, i) => {
      const by = r.line === null ? "implicit deny" : `line ${r.line}: ${r.source}`;
      out(`${batch ? `${texts[i]!.text}  ` : ""}${r.action} (${a.values.acl} ${by})\n`);
    });
    return 0;
  },
};

// ---------------------------------------------------------------------------------------------

/** A witness packet as JSON: the flow fields, plus ICMP/TCP details when they matter. */
export function packetJson(p: Packet): Record<string, unknown> {
  return {
    protocol: protocolName(p.protocol),
    src: formatIp(p.src),
    srcPort: hasPorts(p.protocol) ? p.srcPort : null,
    dst: formatIp(p.dst),
    dstPort: hasPorts(p.protocol) ? p.dstPort : null,
    ...(p.protocol === PROTO.ICMP ? { icmpType: p.icmpType, icmpCode: p.icmpCode } : {}),
    ...(p.protocol === PROTO.TCP ? { tcpFlags: p.tcpFlags } : {}),
    ...(p.fragment ? { fragment: true } : {}),
    ...(p.tos ? { tos: p.tos } : {}),
  };
}

/** `udp 192.0.2.2:1 → 203.0.113.10:500`, `icmp 10.0.0.1 → 10.0.0.2 type 8/0`. */
export function packetText(p: Packet): string {
  const proto = protocolName(p.protocol);
  const extra = [
    p.protocol === PROTO.ICMP ? `type ${p.icmpType}/${p.icmpCode}` : "",
    p.protocol === PROTO.TCP && p.tcpFlags ? `flags ${tcpFlagText(p.tcpFlags)}` : "",
    p.fragment ? "fragment" : "",
    p.tos ? `tos ${p.tos}` : "",
  ].filter(Boolean);
  const ends = hasPorts(p.protocol) ? `${formatIp(p.src)}:${p.srcPort} → ${formatIp(p.dst)}:${p.dstPort}` : `${formatIp(p.src)} → ${formatIp(p.dst)}`;
  return [proto, ends, ...extra].join(" ");
}

function tcpFlagText(f: number): string {
  return (Object.entries(TCP) as Array<[string, number]>).filter(([, b]) => f & b).map(([n]) => n.toLowerCase()).join(",");
}

function loadOrExit(file: string, vendor?: Vendor) {
  return loadDevice(file, vendor ? { vendor } : {}).device;
}

function decisionText(d: { action: string; line: number | null }): string {
  return `${d.action} (${d.line === null ? "implicit deny" : `line ${d.line}`})`;
}

const diffCmd: Command = {
  name: "diff",
  summary: "what an ACL change permits or denies that it did not before",
  help: `Usage: natlint diff OLD NEW [--acl NAME] [--intent "HEADERSPACE"] [--format table|json]

For each ACL in both files, the packet sets whose action changed, each with one
concrete witness packet and the deciding line in OLD and NEW (null: the
implicit deny). ACLs only in one file are listed as added or removed. With
--intent, changes are split into inside the intent and outside it
(collateral).

HEADERSPACE is "PROTO SRC SPORT DST DPORT": PROTO a name, a number or ip; an
address any, A.B.C.D or A.B.C.D/N; a port any, N or N-M; e.g.
"tcp 10.0.0.0/8 any any 80-8080". Ports are omitted for protocols without
them ("icmp any any").

Options:
  --acl NAME        only this ACL
  --intent SPACE    the packets the change is meant to affect
  --vendor ios|asa  skip vendor detection
  --format table|json
  -h, --help        show this help

Exit codes: 0 no change outside the intent (no change at all without
--intent), 1 otherwise, 2 usage, I/O or configuration error.
`,
  async run(args) {
    const a = parseCommandArgs(this, args, { acl: { type: "string" }, intent: { type: "string" }, format: { type: "string" }, vendor: { type: "string" } });
    const format = choiceOption(this, "format", a.values.format, ["table", "json"] as const, "table");
    if (a.positionals.length !== 2) throw new UsageError(`diff: expected OLD and NEW files (got ${a.positionals.length} argument${a.positionals.length === 1 ? "" : "s"})`);
    const v = vendorOption(this, a.values.vendor);
    const oldDev = loadOrExit(a.positionals[0]!, v);
    const newDev = loadOrExit(a.positionals[1]!, v);
    const hs = new HeaderSpace();
    let intent: PSet | undefined;
    if (a.values.intent !== undefined) {
      const r = parseHeaderSpace(a.values.intent, hs);
      if (typeof r !== "number") throw new UsageError(`diff: --intent: ${r.error}`);
      intent = r;
    }
    const names = [...new Set([...oldDev.acls.keys(), ...newDev.acls.keys()])];
    if (a.values.acl !== undefined && !names.includes(a.values.acl)) throw new InputError(`ACL "${a.values.acl}" is in neither ${oldDev.file} nor ${newDev.file}`);
    const selected = a.values.acl !== undefined ? [a.values.acl] : names;
    const diffs = selected.map((n) => {
      const o = oldDev.acls.get(n);
      const nw = newDev.acls.get(n);
      // An ACL only in one file is listed; its packets are not compared against "no ACL".
      if (!o || !nw) return { acl: n, status: o ? ("removed" as const) : ("added" as const), changes: [] };
      return diffAcls(hs, o, nw, intent);
    });
    const outside = diffs.some((d) => d.status === "added" || d.status === "removed" || d.changes.some((c) => c.inIntent !== true));
    if (format === "json") {
      out(
        JSON.stringify(
          {
            old: oldDev.file,
            new: newDev.file,
            ...(a.values.intent !== undefined ? { intent: a.values.intent } : {}),
            acls: diffs.map((d) => ({
              acl: d.acl,
              status: d.status,
              changes: d.changes.map((c) => ({
                witness: packetJson(c.witness),
                old: c.old,
                new: c.new,
                ...(c.inIntent !== undefined ? { inIntent: c.inIntent } : {}),
                packets: c.count.toString(),
              })),
            })),
          },
          null,
          2,
        ) + "\n",
      );
      return outside ? 1 : 0;
    }
    const lines: string[] = [];
    for (const d of diffs) {
      lines.push(`ACL ${d.acl}: ${d.status}${d.changes.length ? `, ${d.changes.length} changed packet set${d.changes.length === 1 ? "" : "s"}` : ""}`);
      if (d.changes.length) {
        const rows = d.changes.map((c) => [packetText(c.witness), decisionText(c.old), decisionText(c.new), ...(intent !== undefined ? [c.inIntent ? "inside" : "OUTSIDE"] : [])]);
        lines.push(table(["witness", "old", "new", ...(intent !== undefined ? ["intent"] : [])], rows).replace(/^/gm, "  "));
      }
    }
    if (diffs.length === 0) lines.push("no ACLs in either file");
    lines.push("", outside ? (intent !== undefined ? "changes outside the intent" : "the ACLs changed") : intent !== undefined ? "all changes are inside the intent" : "no change");
    out(lines.join("\n") + "\n");
    return outside ? 1 : 0;
  },
};

const searchCmd: Command = {
  name: "search",
  summary: "find a packet in a header space that an ACL permits or denies",
  help: `Usage: natlint search FILE --acl NAME --action permit|deny "HEADERSPACE" [--format text|json]

One witness packet in HEADERSPACE that ACL NAME gives that action, with the
deciding line, or "none". HEADERSPACE is "PROTO SRC SPORT DST DPORT" (see
natlint diff --help), e.g. "udp 10.0.0.0/24 any 203.0.113.10 500".

Exit codes: 0 a packet was found, 1 none, 2 usage, I/O or configuration error.
`,
  async run(args) {
    const a = parseCommandArgs(this, args, { acl: { type: "string" }, action: { type: "string" }, format: { type: "string" }, vendor: { type: "string" } });
    const format = choiceOption(this, "format", a.values.format, ["text", "json"] as const, "text");
    if (!a.values.acl) throw new UsageError("search: --acl NAME is required");
    if (a.values.action === undefined) throw new UsageError("search: --action permit|deny is required");
    const action = choiceOption(this, "action", a.values.action, ["permit", "deny"] as const, "permit");
    const [file, ...space] = a.positionals;
    if (!file || space.length === 0) throw new UsageError('search: expected FILE and a HEADERSPACE such as "udp 10.0.0.0/24 any 203.0.113.10 500"');
    const device = loadOrExit(file, vendorOption(this, a.values.vendor));
    const acl = device.acls.get(a.values.acl);
    if (!acl) throw new InputError(`ACL "${a.values.acl}" is not defined in ${device.file}`);
    const hs = new HeaderSpace();
    const text = space.join(" ");
    const set = parseHeaderSpace(text, hs);
    if (typeof set !== "number") throw new UsageError(`search: ${set.error}`);
    const r = searchAcl(hs, acl, action, set);
    const src = r && r.line !== null ? acl.entries.find((e) => e.source.line === r.line)?.source.text : undefined;
    if (format === "json") {
      out(JSON.stringify({ acl: acl.name, action, space: text, found: !!r, witness: r ? packetJson(r.witness) : null, line: r ? r.line : null, ...(src ? { source: src } : {}) }, null, 2) + "\n");
    } else if (r) out(`${action}: ${packetText(r.witness)} (${acl.name} ${r.line === null ? "implicit deny" : `line ${r.line}: ${src}`})\n`);
    else out(`none: no packet in "${text}" is ${action === "permit" ? "permitted" : "denied"} by ${acl.name}\n`);
    return r ? 0 : 1;
  },
};

export const COMMANDS: Command[] = [lintCmd, simulateCmd, explainCmd, flowCmd, diffCmd, searchCmd, rulesCmd];
