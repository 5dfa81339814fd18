/** `natlint simulate`: the PAT translation table for N clients, without a config. */
import { simulateText } from "../api/simulate.js";
import { choiceOption, intOption, ipFlag, parseCommandArgs, portsFlag, SIM_OPTIONS, UsageError, type Command } from "./args.js";

export const simulateCmd: Command = {
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
                   asa-9.15, asa-block-allocation, linux; the NATs users sit
                   behind: windows-rras, cgnat (cgnat:BLOCKSIZE), unknown
  --ports LIST     real source ports each client uses (default 500,4500;
                   1701 is L2TP, carried inside the NAT-T session)
  --inside ADDRS   first client's address (default 192.168.100.11), or the
                   clients' addresses: A,B,… or A-B or A/N
  --global IP      PAT address (default 192.0.2.2)
  --peer IP        peer address (default 203.0.113.10)
  --format table|json
  -h, --help       show this help
`,
  async run(args, io) {
    const a = parseCommandArgs(this, args, { ...SIM_OPTIONS, ports: { type: "string" }, inside: { type: "string" }, global: { type: "string" }, format: { type: "string" } });
    if (a.positionals.length) throw new UsageError(`simulate: unexpected argument "${a.positionals[0]}" (simulate takes no file; use explain FILE)`);
    const format = choiceOption(this, "format", a.values.format, ["table", "json"] as const, "table");
    const ports = portsFlag(this, a.values.ports);
    const clients = intOption(this, "clients", a.values.clients, 1, 65535);
    const inside = a.values.inside;
    const global = ipFlag(this, "global", a.values.global);
    const peer = ipFlag(this, "peer", a.values.peer);
    const chunks = simulateText({
      ...(clients !== undefined ? { clients } : {}),
      ...(a.values.profile !== undefined ? { profile: a.values.profile } : {}),
      ...(ports ? { ports } : {}),
      ...(inside !== undefined ? { inside } : {}),
      ...(global !== undefined ? { global } : {}),
      ...(peer !== undefined ? { peer } : {}),
    }, format);
    // the output is written as it was built, in big pieces (byte for byte the formatted `simulate()` result)
    for (const c of chunks) {
      io.stdout(c);
      await io.drain?.();
    }
    return 0;
  },
};
