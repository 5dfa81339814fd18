/** `natlint flow FILE --acl NAME FLOW | --flows FLOWFILE`: concrete flows against one ACL. */
import { closeSync, openSync, readSync } from "node:fs";
import { resolve } from "node:path";
import { flow, FLOW_COMPILED_BATCH, flowError, flowJudge, fsReason, InputError, loadDevice, parseFlow, type FlowResult, type Packet } from "../api/index.js";
import { flowPacket, readFlowLine } from "../api/flow-lines.js";
import { FlowStreamOut } from "../report/flow-stream.js";
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

/** The flow file is read in pieces of this many bytes. */
const READ_CHUNK = 1 << 20;
const LF = 0x0a;

/**
 * `--flows FLOWFILE`, streamed: read in pieces, each line parsed and judged as it comes, the
 * output handed to standard output in pieces (../report/flow-stream.ts), waiting for it to drain
 * after each piece read. The first `FLOW_COMPILED_BATCH` flows are held back: a shorter file is
 * judged by the reference evaluator, as `flow` does, a longer one by the compiled one. A bad line
 * is the same error, at the same line, as when the file was read whole; the output of the flows
 * before it that went out already stays written (the last `OUT_CHUNK` characters are held back,
 * so a short output never precedes the error). Once the compiled judge is there, the common
 * IPv4 lines are read from their bytes (`readFlowLine`); any other line is decoded and read by
 * `parseFlow`, as before.
 */
async function streamFlows(io: CliIo, device: Parameters<typeof flow>[0], acl: string, flowsFile: string, format: "text" | "json"): Promise<number> {
  const cannotRead = (e: unknown) => new InputError(`${flowsFile}: cannot read flow file: ${fsReason(e)}`);
  let fd: number;
  try {
    fd = openSync(resolve(io.cwd, flowsFile), "r");
  } catch (e) {
    throw cannotRead(e);
  }
  const out = new FlowStreamOut(acl, format, (t) => io.stdout(t));
  const defined = device.acls.has(acl);
  const fp = flowPacket();
  // the common lines are IPv4 flows: read from their bytes only when the ACL takes those
  const fastOk = defined && flowError(device, acl, fp) === undefined;
  let judge: ((p: Packet) => FlowResult) | undefined;
  let fast = false;
  const held: Array<{ text: string; p: Packet }> = [];
  const release = (compiled: boolean) => {
    judge = flowJudge(device, acl, { compiled });
    for (const h of held.splice(0)) out.item(h.text, judge(h.p));
    fast = fastOk && compiled;
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
    if (judge) return out.item(text, judge(p));
    held.push({ text, p });
    if (held.length === FLOW_COMPILED_BATCH) release(true);
  };
  try {
    let buf = Buffer.allocUnsafe(READ_CHUNK);
    let len = 0; // bytes in buf: the start of a line (no LF), then what was read
    for (;;) {
      if (buf.length - len < READ_CHUNK / 2) {
        const next = Buffer.allocUnsafe(Math.max(buf.length, 2 * len));
        buf.copy(next, 0, 0, len);
        buf = next;
      }
      let n: number;
      try {
        n = readSync(fd, buf, len, buf.length - len, null);
      } catch (e) {
        throw cannotRead(e);
      }
      const from = len;
      len += n;
      if (n === 0) break;
      // the bytes before `from` hold no LF: the lines that end in this piece end by its last LF
      const inPiece = buf.subarray(from, len).lastIndexOf(LF);
      if (inPiece < 0) continue;
      const last = from + inPiece;
      let start = 0;
      while (start <= last) {
        let nl: number;
        if (fast && (nl = readFlowLine(buf, start, fp)) >= 0) {
          lineNo++;
          out.itemBytes(buf, start, buf[nl - 1] === 0x0d ? nl - 1 : nl, judge!(fp));
        } else {
          nl = buf.indexOf(LF, start);
          take(buf.toString("utf8", start, nl));
        }
        start = nl + 1;
      }
      buf.copy(buf, 0, start, len);
      len -= start;
      if (out.written && io.drain) await io.drain();
      out.written = false;
    }
    take(buf.toString("utf8", 0, len));
    if (!defined) flowJudge(device, acl, { compiled: false }); // throws: the ACL is not defined
    if (!judge) release(false);
  } finally {
    closeSync(fd);
  }
  out.end();
  return 0;
}
