/** `natlint diff OLD NEW`: what an ACL change permits or denies that it did not before. */
import { diff } from "../api/index.js";
import { formatDiffJson, formatDiffText } from "../report/review.js";
import { choiceOption, intOption, parseCommandArgs, UsageError, vendorOption, type Command } from "./args.js";

export const diffCmd: Command = {
  name: "diff",
  summary: "what an ACL change permits or denies that it did not before",
  help: `Usage: natlint diff OLD NEW [--acl NAME] [--intent "HEADERSPACE"] [--format table|json] [--max-bdd-nodes N]

For each ACL of OLD and NEW, the packet sets whose action changed, each with one
concrete witness packet and the deciding line in OLD and NEW (null: the
implicit deny). An ACL only in one file is listed as added or removed and
compared with "permit everything" (what an interface applying a missing ACL
does on IOS). With --intent, changes are split into inside the intent and
outside it (collateral).

HEADERSPACE is "PROTO SRC SPORT DST DPORT": PROTO a name, a number, ip or
ipv6 (any protocol, IPv6 only); an address any (IPv4 and IPv6), any4, any6,
A.B.C.D, A.B.C.D/N, X:X::X or X:X::X/N; a port any, N or N-M; e.g.
"tcp 10.0.0.0/8 any any 80-8080", "ipv6 2001:db8::/32 any". Ports are omitted
for protocols without them ("icmp any any"). Each ACL is compared over the
packets it filters (an IPv4 ACL over IPv4 packets).

Options:
  --acl NAME        only this ACL
  --intent SPACE    the packets the change is meant to affect
  --vendor ios|asa  skip vendor detection
  --format table|json
  --max-bdd-nodes N node budget of the comparison's packet sets (1024 to
                    268435456, the default); past it the run stops (exit 2)
  -h, --help        show this help

Exit codes: 0 no change outside the intent (no change at all without
--intent), 1 otherwise, 2 usage, I/O or configuration error.
`,
  async run(args, io) {
    const a = parseCommandArgs(this, args, { acl: { type: "string" }, intent: { type: "string" }, format: { type: "string" }, vendor: { type: "string" }, "max-bdd-nodes": { type: "string" } });
    const budget = intOption(this, "max-bdd-nodes", a.values["max-bdd-nodes"], 1024, 268_435_456);
    const format = choiceOption(this, "format", a.values.format, ["table", "json"] as const, "table");
    if (a.positionals.length !== 2) throw new UsageError(`diff: expected OLD and NEW files (got ${a.positionals.length} argument${a.positionals.length === 1 ? "" : "s"})`);
    const vendor = vendorOption(this, a.values.vendor);
    const d = diff(a.positionals[0]!, a.positionals[1]!, {
      cwd: io.cwd,
      ...(vendor ? { vendor } : {}),
      ...(a.values.acl !== undefined ? { acl: a.values.acl } : {}),
      ...(a.values.intent !== undefined ? { intent: a.values.intent } : {}),
      ...(budget !== undefined ? { maxBddNodes: budget } : {}),
    });
    io.stdout(format === "json" ? formatDiffJson(d, a.values.intent) : formatDiffText(d, a.values.intent !== undefined));
    return d.outsideIntent ? 1 : 0;
  },
};
