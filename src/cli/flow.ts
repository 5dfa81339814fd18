/** `natlint flow FILE --acl NAME FLOW | --flows FLOWFILE`: concrete flows against one ACL. */
import { closeSync, openSync, readSync } from "node:fs";
import { resolve } from "node:path";
import { StringDecoder } from "node:string_decoder";
import { flow, FLOW_COMPILED_BATCH, flowError, flowJudge, fsReason, InputError, loadDevice, parseFlow, type FlowResult, type Packet } from "../api/index.js";
import { flowStreamFormat } from "../report/flow-stream.js";
import { formatFlowJson, formatFlowText, type FlowReport } from "../report/review.js";
import { choiceOption, parseCommandArgs, UsageError, vendorOption, type CliIo, type Command } from "./args.js";

export const flowCmd: Command = {
  name: "flow",
  summary: "evaluate flows against one ACL",
  help: `Usage: natlint flow FILE --acl NAME "PROTO SRC SPORT DST DPORT"
       natlint flow FILE --acl NAME --flows FLOWFILE

Evaluate one flow, or every line of FLOWFILE (one flow per line, same form;
blank lines and lines starting with # are skipped), against ACL NAME of the
device in FILE. Ports are given only for tcp, udp and sctp: "icmp SRC DST
[TYPE [CODE]]", "esp SRC DST". Addresses are IPv4 or IPv6
("udp 2001:db8::10 500 2001:db8:1::1 500", "icmp6 SRC DST [TYPE [CODE]]"); an
IPv4 ACL takes IPv4 flows, an IPv6 ACL IPv6 ones, an ASA 9.0+ ACL both.

Options:
  --acl NAME        the ACL
  --flows FILE      batch mode
  --vendor ios|asa  skip vendor detection
  --format text|json
  -h, --help        show this help
`,
  async run(args, io) {
    const a = parseCommandArgs(this, args, { acl: { type: "string" }, flows: { type: "string" }, format: { type: "string" }, vendor: { type: "string" } });
    const format = choiceOption(this, "format", a.values.format, ["text", "json"] as const, "text");
    if (!a.values.acl) throw new UsageError("flow: --acl NAME is required");
    const [file, ...flowArgs] = a.positionals;
    if (!file) throw new UsageError("flow: expected FILE");
    const batch = a.values.flows !== undefined;
    if (batch && flowArgs.length) throw new UsageError("flow: give either a flow or --flows FLOWFILE, not both");
    if (!batch && flowArgs.length === 0) throw new UsageError('flow: expected a flow such as "udp 10.0.0.1 500 203.0.113.10 500" (or --flows FLOWFILE)');
    const vendor = vendorOption(this, a.values.vendor);
    const { device } = loadDevice(file, { cwd: io.cwd, ...(vendor ? { vendor } : {}) });
    const acl = a.values.acl;
    if (batch) return streamFlows(io, device, acl, a.values.flows!, format);
    const text = flowArgs.join(" ");
    const p = parseFlow(text);
    if ("error" in p) throw new InputError(`flow: ${p.error}`);
    const family = flowError(device, acl, p);
    if (family) throw new InputError(`flow: ${family}`);
    const report: FlowReport = { acl, flows: [text], results: flow(device, acl, [p]), batch };
    io.stdout(format === "json" ? formatFlowJson(report) : formatFlowText(report));
    return 0;
  },
};

/** Output is handed to standard output in pieces of about this many characters. */
const OUT_CHUNK = 1 << 16;
/** The flow file is read in pieces of this many bytes. */
const READ_CHUNK = 1 << 20;

/**
 * `--flows FLOWFILE`, streamed: read in pieces, each line parsed and judged as it comes, the
 * output handed to standard output in pieces, waiting for it to drain after each piece read. The
 * first `FLOW_COMPILED_BATCH` flows are held back: a shorter file is judged by the reference
 * evaluator, as `flow` does, a longer one by the compiled one. A bad line is the same error, at
 * the same line, as when the file was read whole; the output of the flows before it that went out
 * already stays written (the last `OUT_CHUNK` characters are held back, so a short output never
 * precedes the error).
 */
async function streamFlows(io: CliIo, device: Parameters<typeof flow>[0], acl: string, flowsFile: string, format: "text" | "json"): Promise<number> {
  const cannotRead = (e: unknown) => new InputError(`${flowsFile}: cannot read flow file: ${fsReason(e)}`);
  let fd: number;
  try {
    fd = openSync(resolve(io.cwd, flowsFile), "r");
  } catch (e) {
    throw cannotRead(e);
  }
  const out = flowStreamFormat(acl, format);
  const defined = device.acls.has(acl);
  let judge: ((p: Packet) => FlowResult) | undefined;
  const held: Array<{ text: string; p: Packet }> = [];
  let pending = out.head();
  let written = false;
  const emit = (text: string, r: FlowResult) => {
    pending += out.item(text, r);
    if (pending.length >= OUT_CHUNK) {
      io.stdout(pending);
      pending = "";
      written = true;
    }
  };
  const release = (compiled: boolean) => {
    judge = flowJudge(device, acl, { compiled });
    for (const h of held.splice(0)) emit(h.text, judge(h.p));
  };
  let lineNo = 0;
  const take = (line: string) => {
    lineNo++;
    const text = line.trim();
    if (!text || text.startsWith("#")) return;
    const p = parseFlow(text);
    if ("error" in p) throw new InputError(`${flowsFile}:${lineNo}: ${p.error}`);
    const family = flowError(device, acl, p);
    if (family) throw new InputError(`${flowsFile}:${lineNo}: ${family}`);
    if (!defined) return; // every line is still checked first, as when the file was read whole
    if (judge) return emit(text, judge(p));
    held.push({ text, p });
    if (held.length === FLOW_COMPILED_BATCH) release(true);
  };
  try {
    const buf = Buffer.allocUnsafe(READ_CHUNK);
    const decoder = new StringDecoder("utf8");
    let rest = "";
    for (;;) {
      let n: number;
      try {
        n = readSync(fd, buf, 0, READ_CHUNK, null);
      } catch (e) {
        throw cannotRead(e);
      }
      const text = rest + (n === 0 ? decoder.end() : decoder.write(buf.subarray(0, n)));
      let start = 0;
      for (let nl = text.indexOf("\n"); nl >= 0; nl = text.indexOf("\n", start)) {
        take(text.slice(start, nl));
        start = nl + 1;
      }
      rest = text.slice(start);
      if (n === 0) break;
      if (written && io.drain) await io.drain();
      written = false;
    }
    take(rest);
    if (!defined) flowJudge(device, acl, { compiled: false }); // throws: the ACL is not defined
    if (!judge) release(false);
  } finally {
    closeSync(fd);
  }
  io.stdout(pending + out.tail());
  return 0;
}
