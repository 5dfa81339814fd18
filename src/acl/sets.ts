/**
 * ACEs and ACLs as exact packet sets over one HeaderSpace: the encoder of ./semantics.ts (the
 * same tests the reference evaluator runs) and the cache of compiled ACLs (./compile.ts).
 */
import type { Field, HeaderSpace, PSet } from "../headerspace/index.js";
import type { AceMatch, Acl, Vendor } from "../model/types.js";
import { commonTopWord, HI6, prefixesAbove, topWordPath } from "../headerspace/inet6.js";
import type { AddressAtoms } from "./atoms.js";
import { compileAcl, type CompiledAcl } from "./compile.js";
import { planOf, tosBits, type FieldTest, type FlagTest } from "./semantics.js";

export class AclSets {
  /**
   * By identity (model objects are not mutated after parsing). A Map rather than a WeakMap
   * (measured: WeakMap.set dominated building 100k lines); it lives as long as this object,
   * i.e. one analysis run.
   */
  private readonly aceCache = new Map<string, Map<AceMatch, PSet>>();
  private readonly aclCache = new WeakMap<Acl, CompiledAcl>();
  /** Field names bottom-up in the variable order. */
  private readonly bottomUp: readonly Field[];

  /**
   * `coder`: addresses encoded by the atoms of one ACL (./atoms.ts), for the line analyses'
   * private sets; without it (and in a field it does not code), addresses are their bits.
   */
  constructor(
    readonly hs: HeaderSpace,
    private readonly coder?: AddressAtoms,
  ) {
    this.bottomUp = [...hs.order].reverse();
  }

  /** The exact set a line with this match and action covers in a `vendor` ACL (the same semantics as `aceMatches`). */
  match(m: AceMatch, action: "permit" | "deny", vendor: Vendor): PSet {
    const key = vendor === "asa" ? "asa" : action;
    let cache = this.aceCache.get(key);
    if (!cache) this.aceCache.set(key, (cache = new Map()));
    const hit = cache.get(m);
    if (hit !== undefined) return hit;
    let r = 0;
    for (const conj of planOf(m, action, vendor)) {
      r = this.hs.or(r, this.conjunction(conj.tests));
      if (r === 1) break;
    }
    cache.set(m, r);
    return r;
  }

  /**
   * The packets an ACL filters (`Acl.family`): the IPv4 ones for IPv4 ACLs, the IPv6 ones for IOS
   * IPv6 ACLs, both for ASA unified ACLs. An analysis over packet sets looks only at these: an
   * IPv4 ACL denies no IPv6 packet, it never sees one.
   */
  domain(acl: Pick<Acl, "family">): PSet {
    return acl.family === "both" ? this.hs.all : this.hs.family(acl.family === "ipv6" ? 6 : 4);
  }

  /** First-match compilation of an ACL (see ./compile.ts), cached by identity. */
  compile(acl: Acl): CompiledAcl {
    let c = this.aclCache.get(acl);
    if (c === undefined) {
      c = compileAcl(this, acl);
      this.aclCache.set(acl, c);
    }
    return c;
  }

  /**
   * One conjunction of single-field tests, built from the bottom field of the variable order up,
   * each field's test wrapped around the set below it (no intermediate sets, no garbage nodes):
   * a line costs about as many new nodes as its BDD has.
   */
  private conjunction(tests: readonly FieldTest[]): PSet {
    const hs = this.hs;
    const byField = new Map<Field, FieldTest[]>();
    for (const t of tests) {
      const list = byField.get(t.field);
      if (list) list.push(t);
      else byField.set(t.field, [t]);
    }
    let r: PSet = 1;
    // The top words of src6 and dst6 lie below every field (src/headerspace/inet6.ts): when one
    // test gives each its word, that path is laid first, the deeper one (dst6's) first, and the
    // rest of its prefixes later around the set built above it.
    const lifted = new Set<FieldTest>();
    for (const f of ["dst6", "src6"] as const) {
      const ts = byField.get(f);
      const t = ts?.length === 1 ? ts[0]! : undefined;
      const top = t?.field === f && !this.coder?.coded(f) ? commonTopWord(t.addrs) : undefined;
      if (top === undefined) continue;
      r = topWordPath(hs.bdd, hs.at6[f], top, HI6, r);
      lifted.add(t!);
    }
    for (const f of this.bottomUp) {
      const ts = byField.get(f);
      if (!ts) continue;
      if (f === "tcpFlags" || f === "tos") {
        // tests on a field under `stack` must be one set: their conjunction first
        let upper: PSet = 1;
        for (const t of ts) upper = hs.and(upper, this.standalone(t));
        r = hs.stack(upper, r);
        continue;
      }
      for (const t of ts) {
        if (r === 0) return 0;
        switch (t.field) {
          case "family":
          case "protocol":
          case "icmpType":
          case "icmpCode":
          case "fragment":
            r = hs.range(t.field, t.value, t.value, r);
            break;
          case "src":
          case "dst":
            r = this.coder?.coded(t.field) ? this.coder.cube(hs, t.field, t.addrs, r) : hs.addrs(t.field, t.addrs, r);
            break;
          case "src6":
          case "dst6":
            if (this.coder?.coded(t.field)) r = this.coder.cube(hs, t.field, t.addrs, r);
            else r = lifted.has(t) ? prefixesAbove(hs.bdd, hs.at6[t.field], t.addrs, r) : hs.addrs6(t.field, t.addrs, r);
            break;
          case "srcPort":
          case "dstPort":
            r = hs.ports(t.field, t.ports, r);
            break;
          default:
            break;
        }
      }
    }
    return r;
  }

  /** A TCP-flag or ToS test on its own. */
  private standalone(t: FieldTest): PSet {
    if (t.field === "tcpFlags") return this.flags(t.flags);
    if (t.field === "tos") {
      const [low, width] = tosBits(t.tos.kind);
      return this.hs.tosBits(low, width, t.tos.value);
    }
    throw new Error(`standalone: unexpected ${t.field} test`);
  }

  /** match-all: every `set` bit 1 and every `clear` bit 0; match-any: at least one of them. */
  private flags(f: FlagTest): PSet {
    const hs = this.hs;
    const conds: PSet[] = [];
    for (let b = 0; b < 32; b++) {
      const m = 2 ** b;
      if (((f.set >>> b) & 1) === 1) conds.push(hs.tcpFlag(m, true));
      if (((f.clear >>> b) & 1) === 1) conds.push(hs.tcpFlag(m, false));
    }
    let r = f.any ? 0 : 1;
    for (const c of conds) r = f.any ? hs.or(r, c) : hs.and(r, c);
    return r;
  }
}
