/**
 * Shared by the policy checks `acl-must-permit` and `acl-must-deny` (rule files give them a
 * HEADERSPACE and an ACL selection as options; see rules/acl-must-permit.md and README "Custom policy rules").
 *
 * ACL selection (`options.acls`):
 * - `names`: exact ACL names or patterns where `*` is any run of characters and `?` one
 *   character (case-sensitive, like IOS/ASA ACL names).
 * - `interfaceRole` / `direction`: where the ACL is applied with `ip access-group` (IOS) or
 *   `access-group … interface` (ASA). Control-plane access-groups (ASA) are never selected.
 *   Interface roles:
 *   - IOS: `ip nat outside` / `ip nat inside` (an interface without either has no role);
 *   - ASA: `outside` is nameif `outside` or security-level 0, `inside` is nameif `inside` or
 *     security-level 100 (ASA's own defaults: a named interface is level 0 unless it is called
 *     `inside`); a global ACL (`access-group NAME global`) applies inbound on every interface,
 *     so it has both roles and direction `in`;
 *   - on either vendor, an explicit NAT role (`natRole`) wins.
 * - No `acls` at all (or none of its keys): every ACL applied to an interface.
 *   Only `names`: every defined ACL whose name matches, applied or not.
 *   `interfaceRole` and/or `direction` (a missing one means `any`): the ACLs applied there; with
 *   `names` too, those of them whose name matches.
 * - An IOS interface whose access-group names an undefined ACL permits everything (commonly
 *   documented; unconfirmed in a Cisco reference);
 *   such a binding is selected too (`acl` undefined) so `acl-must-deny` can report it.
 */
import type { HeaderSpace, PSet } from "../headerspace/index.js";
import { specSet } from "../headerspace/parse.js";
import { formatPacket, parseSpaceSpec } from "../model/packet.js";
import { TCP, type Acl, type Device, type Interface, type Packet } from "../model/types.js";
import { ConfigError } from "../core/errors.js";
import { aclBindings, bindingLabel, type AclBinding } from "../model/device.js";
import type { CheckContext, FromSchema, Report } from "./define.js";

export type InterfaceRole = "inside" | "outside";

/**
 * Shape only: 5 or 3 whitespace-separated fields. ajv checks it when the rule file is loaded (so
 * the error names the file and `options.space`); the fields themselves are checked by
 * `validatePolicyOptions` (the check's `validateOptions`) and again when the check runs.
 */
export const HEADERSPACE_SHAPE = String.raw`^\s*(?<PROTO>\S+)\s+(?<SRC>\S+)\s+(?:(?<SPORT>\S+)\s+(?<DST>\S+)\s+(?<DPORT>\S+)|(?<DST_>\S+))\s*$`;

export const POLICY_OPTIONS_SCHEMA = {
  type: "object",
  additionalProperties: false,
  required: ["space"],
  properties: {
    space: {
      description: 'Packets the policy is about: "PROTO SRC SPORT DST DPORT" or "PROTO SRC DST", e.g. "tcp any any any 23".',
      type: "string",
      minLength: 1,
      pattern: HEADERSPACE_SHAPE,
    },
    acls: {
      description: "Which ACLs the policy applies to (default: every ACL applied to an interface).",
      type: "object",
      additionalProperties: false,
      properties: {
        names: {
          description: "ACL names or patterns (* any characters, ? one character).",
          type: "array",
          minItems: 1,
          items: { type: "string", minLength: 1, pattern: String.raw`^\S+$` },
        },
        interfaceRole: { enum: ["inside", "outside", "any"] },
        direction: { enum: ["in", "out", "any"] },
      },
    },
    message: { description: "Text that starts each finding's message.", type: "string", minLength: 1 },
    packets: {
      description: '"initial" (default): judge only packets that open a flow (no non-initial fragments; tcp with SYN set and ACK, RST clear); "all": every packet of the space.',
      enum: ["initial", "all"],
    },
  },
} as const;

/** The options (typed from the schema): `space` (HEADERSPACE), `acls` (selection), `message`, `packets`. */
export type PolicyOptions = FromSchema<typeof POLICY_OPTIONS_SCHEMA>;
export type AclSelector = NonNullable<PolicyOptions["acls"]>;

// ------------------------------------------------------------------------------ HEADERSPACE

/** Problem with the options ajv cannot see (the HEADERSPACE fields), as `space: …`, or undefined. */
export function validatePolicyOptions(options: { space?: unknown }): string | undefined {
  if (typeof options.space !== "string") return undefined; // ajv reports it
  const r = parseSpaceSpec(options.space);
  return "error" in r ? `space: invalid HEADERSPACE "${options.space}": ${r.error}` : undefined;
}

/** The packet set of `options.space`; a bad one is a configuration error. */
export function compileSpace(checkId: string, hs: HeaderSpace, space: string): PSet {
  const r = parseSpaceSpec(space);
  if ("error" in r) throw new ConfigError(`${checkId}: options.space: invalid HEADERSPACE "${space}": ${r.error}`);
  return specSet(r, hs);
}

/**
 * Packets that open a flow: not a non-initial fragment (it carries no ports, so a policy about
 * ports cannot be about it), and for tcp a connection request — SYN set, ACK and RST clear — so
 * that `permit tcp any any established` (return traffic) does not "permit telnet", and a
 * must-permit policy fails when only established packets get through.
 */
export function initialPackets(hs: HeaderSpace): PSet {
  const bit = (mask: number, v: boolean) => hs.bit("tcpFlags", Math.log2(mask), v);
  const opening = hs.and(bit(TCP.SYN, true), hs.and(bit(TCP.ACK, false), bit(TCP.RST, false)));
  const tcp = hs.protocol(6);
  return hs.and(hs.eq("fragment", 0), hs.or(hs.diff(hs.all, tcp), hs.and(tcp, opening)));
}

// ------------------------------------------------------------------------------ selection

/** `*` any run of characters, `?` one character; everything else literal; whole name. */
export function namePattern(p: string): RegExp {
  const body = p.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  return new RegExp(`^${body}$`, "s");
}

/** The roles of a binding's interface; the ASA global ACL applies on every interface, so it has both. */
export function bindingRoles(device: Device, b: AclBinding): InterfaceRole[] {
  return b.iface ? interfaceRoles(device, b.iface) : ["inside", "outside"];
}

/** The roles of an interface (see the file comment). */
export function interfaceRoles(device: Device, i: Interface): InterfaceRole[] {
  if (i.natRole) return [i.natRole];
  if (device.vendor !== "asa" || i.nameif === undefined) return [];
  const n = i.nameif.toLowerCase();
  const roles: InterfaceRole[] = [];
  if (n === "inside" || i.securityLevel === 100) roles.push("inside");
  if (n === "outside" || i.securityLevel === 0) roles.push("outside");
  return roles;
}

export interface SelectedAcl {
  name: string;
  /** undefined: applied but not defined (IOS permits everything through it). */
  acl?: Acl;
  /** Where it is applied among the selected places (empty when selected by name only). */
  bindings: AclBinding[];
}

/** The selected ACLs in definition order (undefined ones last, in binding order). */
export function selectAcls(device: Device, sel: AclSelector | undefined): SelectedAcl[] {
  const patterns = sel?.names?.map(namePattern);
  const nameOk = (n: string) => !patterns || patterns.some((re) => re.test(n));
  const role = sel?.interfaceRole ?? "any";
  const dir = sel?.direction ?? "any";
  const byPlacement = sel?.interfaceRole !== undefined || sel?.direction !== undefined || !patterns;
  const out: SelectedAcl[] = [];
  if (!byPlacement) {
    for (const acl of device.acls.values()) if (nameOk(acl.name)) out.push({ name: acl.name, acl, bindings: [] });
    return out;
  }
  const bound = new Map<string, AclBinding[]>();
  for (const b of aclBindings(device)) {
    if (role !== "any" && !bindingRoles(device, b).includes(role)) continue;
    const group = b.group;
    if (group.controlPlane || (dir !== "any" && group.direction !== dir) || !nameOk(group.acl)) continue;
    const list = bound.get(group.acl) ?? [];
    list.push(b);
    bound.set(group.acl, list);
  }
  for (const acl of device.acls.values()) {
    const b = bound.get(acl.name);
    if (b) out.push({ name: acl.name, acl, bindings: b });
  }
  for (const [name, b] of bound) if (!device.acls.has(name)) out.push({ name, bindings: b });
  return out;
}


// ------------------------------------------------------------------------------ packets

/** A readable witness: a TEST-NET host where any address would do, a client-ish source port. */
function witnessOf(hs: HeaderSpace, set: PSet): Packet {
  return hs.witness(set, { src: 0xc6336417, dst: 0xc0000221, srcPort: 1024 })!;
}

// ------------------------------------------------------------------------------ the policy run

/**
 * `want: "permit"` (acl-must-permit): every packet of the space is permitted by each selected ACL.
 * `want: "deny"` (acl-must-deny): none is. One finding per violating ACL, at the first line that
 * decides part of the violating packets (the ACL's definition line for the implicit deny; the
 * access-group line for an undefined ACL), with a concrete witness packet from that line.
 */
export const POLICY_MESSAGES = {
  violation: "{{lead}}: ACL {{acl}}{{applied}} {{verb}} e.g. {{packet}} {{how}}{{more}}",
  undefinedAcl: "{{lead}}: ACL {{acl}} is applied{{applied}} but not defined, so IOS permits every packet, e.g. {{packet}}",
} as const;

export function runPolicy(
  checkId: string,
  want: "permit" | "deny",
  ctx: CheckContext<"sets">,
  options: PolicyOptions,
  report: (r: Report<keyof typeof POLICY_MESSAGES>) => void,
): void {
  const { device, sets } = ctx;
  const hs = sets.hs;
  const written = compileSpace(checkId, hs, options.space);
  const space = options.packets === "all" ? written : hs.and(written, initialPackets(hs));
  if (space === hs.none) return;
  const lead = (name: string) => options.message ?? `ACL ${name} must ${want} every packet of "${options.space.trim()}"`;
  for (const sel of selectAcls(device, options.acls)) {
    const applied = [...new Set(sel.bindings.map(bindingLabel))];
    const appliedText = applied.length ? ` (${applied.join(", ")})` : "";
    const base = { space: options.space.trim(), ...(applied.length ? { appliedTo: applied } : {}) };
    if (!sel.acl) {
      // IOS permits everything through an access-group whose ACL does not exist (commonly documented).
      if (want === "permit" || device.vendor !== "ios") continue;
      const seen = hs.and(space, hs.family(sel.bindings[0]!.group.family === "ipv6" ? 6 : 4));
      if (seen === hs.none) continue;
      const w = formatPacket(witnessOf(hs, seen));
      report({
        at: sel.bindings[0]!.group.source,
        acl: sel.name,
        messageId: "undefinedAcl",
        data: { lead: lead(sel.name), acl: sel.name, applied: appliedText, packet: w },
        details: { ...base, witness: w, lines: [], implicitDeny: false, undefinedAcl: true },
      });
      continue;
    }
    const c = sets.compile(sel.acl);
    // the packets of the space this ACL filters (an IPv4 ACL never sees IPv6 packets, nor the reverse)
    const own = hs.and(space, sets.domain(sel.acl));
    const bad = want === "permit" ? hs.diff(own, c.permit) : hs.and(own, c.permit);
    if (bad === hs.none) continue;
    const deciding = c.lines.filter((l) => l.ace.action !== want && !hs.disjoint(l.reach, bad));
    const implicit = want === "permit" && !hs.disjoint(c.implicit, bad);
    const first = deciding[0];
    const w = formatPacket(witnessOf(hs, first ? hs.and(first.reach, bad) : hs.and(c.implicit, bad)));
    const lines = deciding.map((l) => l.ace.source.line);
    const how = first ? `(line ${first.ace.source.line})` : "by its implicit deny (no line matches it)";
    const rest = lines.slice(1);
    const parts = [...(rest.length ? [`line${rest.length > 1 ? "s" : ""} ${rest.join(", ")}`] : []), ...(implicit && first ? ["the implicit deny"] : [])];
    const more = parts.length ? `; also ${want === "permit" ? "denied" : "permitted"} by ${parts.join(" and ")}` : "";
    report({
      at: first ? first.ace.source : sel.acl.source,
      acl: sel.name,
      messageId: "violation",
      data: { lead: lead(sel.name), acl: sel.name, applied: appliedText, verb: want === "permit" ? "denies" : "permits", packet: w, how, more },
      details: { ...base, witness: w, lines, implicitDeny: implicit },
    });
  }
}
