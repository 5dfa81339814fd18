/**
 * Per-ACL results shared between versions of one file. A fix is proven by linting the edited
 * config again (./fix-batch.ts); most of its ACLs are the same, line for line, as before. A check's
 * result for an ACL that depends only on the ACL's lines (and on inputs the check puts in its key)
 * is computed once: the edited device's copy of an unchanged ACL is looked up under the original.
 * Results are plain data in entry indices (no packet sets: each version has its own header space).
 * The language server keeps one per open document (a `LintSession`), so an edit re-analyses only
 * the ACLs it changed.
 */
import type { Acl, Device } from "../model/types.js";
import { sameAclContent } from "../model/ace-key.js";
import type { PerAcl } from "../checks/define.js";

export class AclMemo {
  private readonly results = new WeakMap<Acl, Map<string, unknown>>();
  /** An ACL → the first of the equal ACLs its results are kept under. */
  private readonly bases = new WeakMap<Acl, Acl>();
  /** The device of the last `next` (the previous version of the text). */
  private last: Device | undefined;
  /** Results taken from the memo rather than computed (for tests and benchmarks). */
  hits = 0;

  /** The memo as a device's checks see it; `same` maps that device's ACLs to the equal ones they stand for. */
  view(same?: ReadonlyMap<Acl, Acl>): PerAcl {
    if (same) for (const [acl, old] of same) this.bases.set(acl, this.bases.get(old) ?? old);
    return <T>(acl: Acl, key: string, compute: () => T): T => {
      const base = this.bases.get(acl) ?? acl;
      let byKey = this.results.get(base);
      if (byKey === undefined) this.results.set(base, (byKey = new Map()));
      if (byKey.has(key)) {
        this.hits++;
        return byKey.get(key) as T;
      }
      const v = compute(); // a budget or heap error leaves nothing behind
      byKey.set(key, v);
      return v;
    };
  }

  /** The view for the next version of a text (an editor buffer): its ACLs whose lines are the previous version's share their results. */
  next(device: Device): PerAcl {
    const same = this.last !== undefined ? unchangedAcls(this.last, device) : undefined;
    this.last = device;
    return this.view(same);
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
