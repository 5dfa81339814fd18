/** `natlint search FILE --acl NAME --action permit|deny "HEADERSPACE"`. */
import { search } from "../api/index.js";
import { formatSearchJson, formatSearchText } from "../report/review.js";
import { choiceOption, parseCommandArgs, UsageError, vendorOption, type Command } from "./args.js";

export const searchCmd: Command = {
  name: "search",
  summary: "find a packet in a header space that an ACL permits or denies",
  help: `Usage: natlint search FILE --acl NAME --action permit|deny "HEADERSPACE" [--format text|json]

One witness packet in HEADERSPACE that ACL NAME gives that action, with the
deciding line, or "none". HEADERSPACE is "PROTO SRC SPORT DST DPORT" (see
natlint diff --help), e.g. "udp 10.0.0.0/24 any 203.0.113.10 500" or
"udp any any 2001:db8::1 500"; only the packets the ACL filters are searched
(an IPv4 ACL's IPv4 packets).

Exit codes: 0 a packet was found, 1 none, 2 usage, I/O or configuration error.
`,
  async run(args, io) {
    const a = parseCommandArgs(this, args, { acl: { type: "string" }, action: { type: "string" }, format: { type: "string" }, vendor: { type: "string" } });
    const format = choiceOption(this, "format", a.values.format, ["text", "json"] as const, "text");
    if (!a.values.acl) throw new UsageError("search: --acl NAME is required");
    if (a.values.action === undefined) throw new UsageError("search: --action permit|deny is required");
    const action = choiceOption(this, "action", a.values.action, ["permit", "deny"] as const, "permit");
    const [file, ...space] = a.positionals;
    if (!file || space.length === 0) throw new UsageError('search: expected FILE and a HEADERSPACE such as "udp 10.0.0.0/24 any 203.0.113.10 500"');
    const vendor = vendorOption(this, a.values.vendor);
    const r = search(file, { cwd: io.cwd, acl: a.values.acl, action, space: space.join(" "), ...(vendor ? { vendor } : {}) });
    io.stdout(format === "json" ? formatSearchJson(r) : formatSearchText(r));
    return r.hit ? 0 : 1;
  },
};
