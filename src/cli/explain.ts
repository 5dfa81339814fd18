/** `natlint explain FILE`: every client's IKE and NAT-T session through a device. */
import { explain } from "../api/index.js";
import { formatExplainMarkdown } from "../report/explain-markdown.js";
import { formatExplainTable } from "../report/explain-table.js";
import { colourWanted } from "../report/style.js";
import { choiceOption, intOption, ipFlag, parseCommandArgs, portsFlag, SIM_OPTIONS, UsageError, vendorOption, type Command } from "./args.js";

export const explainCmd: Command = {
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
  --ports LIST      real source ports each client opens (default 500,4500;
                    1701 is L2TP, carried inside the NAT-T session)
  --peer IP         IPsec peer address
  --profile ID      PAT profile (default: chosen from the config)
  --vendor ios|asa  skip vendor detection
  --format table|json|markdown
                    markdown: the session table and a Mermaid sequence
                    diagram for a pull-request comment
  -h, --help        show this help
`,
  async run(args, io) {
    const a = parseCommandArgs(this, args, { ...SIM_OPTIONS, ports: { type: "string" }, format: { type: "string" }, vendor: { type: "string" } });
    if (a.positionals.length !== 1) throw new UsageError(`explain: expected one FILE (got ${a.positionals.length})`);
    const format = choiceOption(this, "format", a.values.format, ["table", "json", "markdown"] as const, "table");
    const clients = intOption(this, "clients", a.values.clients, 1, 65535);
    const peer = ipFlag(this, "peer", a.values.peer);
    const vendor = vendorOption(this, a.values.vendor);
    const ports = portsFlag(this, a.values.ports);
    const r = explain(a.positionals[0]!, {
      cwd: io.cwd,
      ...(clients !== undefined ? { clients } : {}),
      ...(peer !== undefined ? { peer } : {}),
      ...(a.values.profile !== undefined ? { profile: a.values.profile } : {}),
      ...(vendor ? { vendor } : {}),
      ...(ports ? { ports } : {}),
    });
    io.stdout(format === "json" ? JSON.stringify(r, null, 2) + "\n" : format === "markdown" ? formatExplainMarkdown(r) : formatExplainTable(r, colourWanted(io)));
    return 0;
  },
};
