/** `natlint flow FILE --acl NAME FLOW | --flows FLOWFILE`: concrete flows against one ACL. */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { flow, flowError, fsReason, InputError, loadDevice, parseFlow, type Packet } from "../api/index.js";
import { formatFlowJson, formatFlowText, type FlowReport } from "../report/review.js";
import { choiceOption, parseCommandArgs, UsageError, vendorOption, type Command } from "./args.js";

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
    const texts: Array<{ text: string; where: string }> = [];
    if (batch) {
      let content: string;
      try {
        content = readFileSync(resolve(io.cwd, a.values.flows!), "utf8");
      } catch (e) {
        throw new InputError(`${a.values.flows}: cannot read flow file: ${fsReason(e)}`);
      }
      content.split(/\r?\n/).forEach((l, i) => {
        if (l.trim() && !l.trim().startsWith("#")) texts.push({ text: l.trim(), where: `${a.values.flows}:${i + 1}` });
      });
    } else texts.push({ text: flowArgs.join(" "), where: "flow" });
    const packets: Packet[] = texts.map(({ text, where }) => {
      const p = parseFlow(text);
      if ("error" in p) throw new InputError(`${where}: ${p.error}`);
      const family = flowError(device, a.values.acl!, p);
      if (family) throw new InputError(`${where}: ${family}`);
      return p;
    });
    const results = flow(device, a.values.acl, packets);
    const report: FlowReport = {
      acl: a.values.acl,
      flows: texts.map((t) => t.text),
      results,
      batch,
    };
    io.stdout(format === "json" ? formatFlowJson(report) : formatFlowText(report));
    return 0;
  },
};
