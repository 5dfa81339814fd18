/**
 * `natlint explain`: every client's IKE and NAT-T session through a device (FILE), along a path
 * of devices (`--path`), from behind remote NATs to a head-end (FILE `--remote-nat`), or with the
 * ports the devices actually chose (FILE `--observed`).
 */
import { explain, explainHeadend, explainObserved, explainPath } from "../api/index.js";
import { formatExplainMarkdown } from "../report/explain-markdown.js";
import { formatExplainTable } from "../report/explain-table.js";
import { formatPathMarkdown } from "../report/path-markdown.js";
import { formatPathTable } from "../report/path-table.js";
import { colourWanted } from "../report/style.js";
import { choiceOption, intOption, ipFlag, parseCommandArgs, portsFlag, SIM_OPTIONS, UsageError, vendorOption, type Command } from "./args.js";

export const explainCmd: Command = {
  name: "explain",
  summary: "trace every client's IKE and NAT-T session through a device or a path",
  help: `Usage: natlint explain FILE [--clients N] [--peer IP] [options]
       natlint explain --path PATHFILE [--clients N] [--peer IP] [options]
       natlint explain HEADEND --remote-nat PROFILE[,PROFILE…] [--clients N] [--inside ADDRS]
       natlint explain FILE --observed SHOWFILE

For the device in FILE, simulate N clients behind its PAT and show every IKE and
NAT-T session, outbound and return: inside address, translated address, each
ACL checkpoint in the vendor's order of operations with the matching line (or
the implicit deny), and the verdict. Without --peer the peer is picked from
the ACLs, and the output says which.

--path follows the sessions along the devices of a path file (JSON, see
schemas/path.schema.json): the packet at every hop, every NAT on the way,
every checkpoint and where each session is dropped (file and line).
--remote-nat shows a head-end's view: N clients behind one remote NAT of each
profile arrive at the device in FILE. --observed uses the ports the device
actually chose (show ip nat translations, show xlate, show conn) and compares
show crypto isakmp sa with the verdicts.

Options:
  --clients N       number of clients (default 3)
  --ports LIST      real source ports each client opens (default 500,4500;
                    1701 is L2TP, carried inside the NAT-T session)
  --peer IP         IPsec peer address
  --profile ID      PAT profile (default: chosen from the config)
  --path PATHFILE   the path file (no FILE)
  --remote-nat LIST the NATs the head-end's clients sit behind: windows-rras,
                    cgnat, cgnat:BLOCKSIZE, unknown, linux, ios, asa, …
                    (PROFILE@IP for the NAT's outside address)
  --inside ADDRS    with --remote-nat: the clients' addresses (A,B,… or A-B
                    or A/N; default 192.168.1.11 on)
  --observed FILE   show command output of the device in FILE
  --vendor ios|asa  skip vendor detection
  --format table|json|markdown
                    markdown: the session table and a Mermaid sequence
                    diagram for a pull-request comment
  -h, --help        show this help
`,
  async run(args, io) {
    const a = parseCommandArgs(this, args, {
      ...SIM_OPTIONS,
      ports: { type: "string" },
      format: { type: "string" },
      vendor: { type: "string" },
      path: { type: "string" },
      "remote-nat": { type: "string" },
      inside: { type: "string" },
      observed: { type: "string" },
    });
    const v = a.values;
    const format = choiceOption(this, "format", v.format, ["table", "json", "markdown"] as const, "table");
    const clients = intOption(this, "clients", v.clients, 1, 65535);
    const peer = ipFlag(this, "peer", v.peer);
    const vendor = vendorOption(this, v.vendor);
    const ports = portsFlag(this, v.ports);
    const modes = [v.path !== undefined && "--path", v["remote-nat"] !== undefined && "--remote-nat", v.observed !== undefined && "--observed"].filter(Boolean);
    if (modes.length > 1) throw new UsageError(`explain: ${modes.join(" and ")} cannot be combined`);
    if (v.inside !== undefined && v["remote-nat"] === undefined) throw new UsageError("explain: --inside needs --remote-nat (a device's clients come from its config)");
    const common = { cwd: io.cwd, ...(peer !== undefined ? { peer } : {}) };
    const out = (r: Parameters<typeof formatPathTable>[0]) => (format === "json" ? JSON.stringify(r, null, 2) + "\n" : format === "markdown" ? formatPathMarkdown(r) : formatPathTable(r, colourWanted(io)));
    if (v.path !== undefined) {
      if (a.positionals.length) throw new UsageError(`explain: --path takes the devices from the path file; give no FILE (got "${a.positionals[0]}")`);
      if (ports || vendor) throw new UsageError("explain: with --path, flows and vendors are set in the path file");
      io.stdout(out(explainPath(v.path, { ...common, ...(clients !== undefined ? { clients } : {}), ...(v.profile !== undefined ? { profile: v.profile } : {}) })));
      return 0;
    }
    if (a.positionals.length !== 1) throw new UsageError(`explain: expected one FILE (got ${a.positionals.length})`);
    const file = a.positionals[0]!;
    if (v["remote-nat"] !== undefined) {
      const remoteNat = v["remote-nat"].split(",").filter((x) => x !== "");
      if (!remoteNat.length) throw new UsageError("explain: --remote-nat needs at least one NAT profile");
      io.stdout(
        out(
          explainHeadend(file, {
            ...common,
            remoteNat,
            ...(clients !== undefined ? { clients } : {}),
            ...(v.inside !== undefined ? { inside: v.inside } : {}),
            ...(ports ? { ports } : {}),
            ...(v.profile !== undefined ? { profile: v.profile } : {}),
            ...(vendor ? { vendor } : {}),
          }),
        ),
      );
      return 0;
    }
    if (v.observed !== undefined) {
      if (clients !== undefined) throw new UsageError("explain: with --observed the clients are those observed");
      io.stdout(out(explainObserved(file, v.observed, { ...common, ...(ports ? { ports } : {}), ...(vendor ? { vendor } : {}) })));
      return 0;
    }
    const r = explain(file, {
      ...common,
      ...(clients !== undefined ? { clients } : {}),
      ...(v.profile !== undefined ? { profile: v.profile } : {}),
      ...(vendor ? { vendor } : {}),
      ...(ports ? { ports } : {}),
    });
    io.stdout(format === "json" ? JSON.stringify(r, null, 2) + "\n" : format === "markdown" ? formatExplainMarkdown(r) : formatExplainTable(r, colourWanted(io)));
    return 0;
  },
};
