/**
 * Per-ACL results shared between versions of one file. A fix is proven by linting the edited
 * config again (./fix-batch.ts); most of its ACLs are the same, line for line, as before. A check's
 * result for an ACL that depends only on the ACL's lines (and on inputs the check puts in its key)
 * is computed once: the edited device's copy of an unchanged ACL is looked up under the original.
 * Results are plain data in entry indices (no packet sets: each version has its own header space).
 */
import type { Acl, Device } from "../model/types.js";
import { sameAclContent } from "../model/ace-key.js";
import type { PerAcl } from "../checks/define.js";

export class AclMemo {
  private readonly results = new WeakMap<Acl, Map<string, unknown>>();

  /** The memo as a device's checks see it; `same` maps that device's ACLs to the equal ones they stand for. */
  view(same?: ReadonlyMap<Acl, Acl>): PerAcl {
    return <T>(acl: Acl, key: string, compute: () => T): T => {
      const base = same?.get(acl) ?? acl;
      let byKey = this.results.get(base);
      if (byKey === undefined) this.results.set(base, (byKey = new Map()));
      if (byKey.has(key)) return byKey.get(key) as T;
      const v = compute(); // a budget or heap error leaves nothing behind
      byKey.set(key, v);
      return v;
    };
  }
}

/** The ACLs of `edited` whose lines are those of the ACL of the same name in `original`. */
export function unchangedAcls(original: Device, edited: Device): Map<Acl, Acl> {
  const out = new Map<Acl, Acl>();
  for (const [name, acl] of edited.acls) {
    const old = original.acls.get(name);
    if (old !== undefined && sameAclContent(old, acl)) out.set(acl, old);
  }
  return out;
}
