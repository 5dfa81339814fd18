/** Shared helpers of the IOS parser: parse state, diagnostics, mentions (the cursor is ../common/cursor.ts). */
import type { Ace, Device, DiagnosticKind, ObjectGroupKind, Prefix6, Reference, ServiceTerm, SourceRef, Wildcard } from "../../model/types.js";
import type { GroupLimits, LimitCut } from "../common/groups.js";

/** Object-group content as written, before nested groups are expanded. */
export interface RawGroup {
  name: string;
  kind: ObjectGroupKind;
  source: SourceRef;
  addrs: Wildcard[];
  /** `v6-network` content. */
  addrs6: Prefix6[];
  services: ServiceTerm[];
  nested: Reference[];
}

/** Work left until the whole file is read: filling an ACE operand from an object-group. */
export interface Fixup {
  ace: Ace;
  run(): void;
}

export interface ParseState {
  dev: Device;
  groups: Map<string, RawGroup>;
  /** Run after the whole file is read (object-group resolution for ACEs). */
  fixups: Fixup[];
  /** Nesting limits (defaults: `DEFAULT_GROUP_LIMITS`). */
  limits?: Partial<GroupLimits>;
  /** Set once object-group nesting is resolved: the limit cut a group's content misses, if any. */
  incomplete?: (name: string) => LimitCut | undefined;
}

export function diag(st: ParseState, kind: DiagnosticKind, source: SourceRef, message: string): void {
  st.dev.diagnostics.push({ kind, source, message });
}

/** Adds the tokens of a line the parser does not model to `otherMentions`. */
export function mention(st: ParseState, toks: readonly string[]): void {
  for (const t of toks) st.dev.otherMentions.add(t);
}

/**
 * Set an ACE operand now when it is written out, or once the object-groups are resolved when it
 * names one (`resolve` reads the group; `set` stores the value in the ACE).
 */
export function bindOperand<T>(st: ParseState, ace: Ace, op: { set: T } | { group: string }, resolve: (group: string) => T, set: (v: T) => void): void {
  if ("set" in op) set(op.set);
  else {
    const g = op.group;
    st.fixups.push({ ace, run: () => set(resolve(g)) });
  }
}

/**
 * An IPv6 NAT line — NAT64 (`nat64 …`, Cisco IOS XE "Stateful Network Address Translation 64"),
 * NPTv6 / NAT66 (`nat66 …`), NAT-PT (`ipv6 nat …`), globally or on an interface: read, not
 * modelled (natlint translates IPv4 packets only).
 */
export function ipv6Nat(st: ParseState, toks: readonly string[], source: SourceRef): void {
  mention(st, toks);
  diag(st, "unmodelled", source, `"${toks.slice(0, 3).join(" ")}": IPv6 NAT (NAT64, NPTv6 / NAT66, NAT-PT) is not modelled: natlint does not translate IPv6 packets, so the addresses and ports of the sessions it translates are not simulated`);
}
