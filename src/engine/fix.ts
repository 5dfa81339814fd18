/**
 * Proven fixes. A check proposes a remedy with its finding (src/model/edits.ts); here each is
 * rendered in the config's own form (src/model/config-edit.ts) and offered only if, with the
 * file's proposed fixes applied in memory, the config parsed and every rule run again:
 *  (a) its finding is gone, (b) no finding and no parser diagnostic appears that was not there
 *      (but redundant-line on a line the fixes make redundant, which the next pass removes),
 *  (c) the ACLs it edits change exactly as intended: the packets whose action differs between the
 *      ACL before and with this fix alone (`regionDiff`, exact) go from deny to permit and lie in
 *      the remedy's intent (udp IKE/NAT-T between the line's endpoints, the PAT's port bands), or
 *      none changes (deleting a redundant line); and the file's fixes of one ACL together
 *      change no packet outside their intents;
 *  (d) its device commands, applied to the config the way the device applies them
 *      (src/model/device-cli.ts), give the same ACLs, and its rollback gives back the original.
 * (a), (b) and (d) are checked for the fixes of a file together (what `--fix` writes); a problem
 * that cannot be put on one fix is narrowed down by halving the set (a fix that wrote the line a
 * new finding names as its cause is tried alone first). A fix that fails says why.
 */
import type { Finding } from "../core/finding.js";
import type { Device } from "../model/types.js";
import { splitLines, type Fix, type TextLines } from "../model/edits.js";
import { renderRemedy } from "../model/config-edit.js";
import { REMEDIES } from "./remedies.js";
import { checkCommands, runBatch, type Batch, type Candidate, type FileContext } from "./fix-batch.js";

export type { FileContext } from "./fix-batch.js";

export interface FileFixes {
  /** Proven fixes by finding. */
  fixes: Map<Finding, Fix>;
  /** Why a finding with a remedy has no fix. */
  refused: Map<Finding, string>;
  /** The text with every proven fix applied (the input text when there is none). */
  output: string;
  /** The device and raw findings of `output` (for another pass). */
  device: Device;
  raw: Finding[];
}

// ------------------------------------------------------------------------------ the file

function touched(c: Candidate): string[] {
  const k = c.rendered.edits.map((e) => `line:${e.line}`);
  for (const e of c.remedy.edits) if (e.kind === "addMembers") k.push(`group:${e.group}`);
  else k.push(`ace:${e.ace.source.line}`);
  return k;
}

/**
 * The fixes of one file: the remedies of `findings` (the file's reported findings, optionally only
 * some rules') proven as described in the file comment. One pass; `--fix` runs passes until no
 * fix is left (see ./run.ts).
 */
/**
 * How many fixes are proven per file and pass: at most 100, and fewer for long ACLs (each fix's
 * exact diff walks its ACL), at least 10; the rest say so and `--fix` reaches them in later passes.
 */
export function fixBudget(device: Device): number {
  let longest = 1;
  for (const a of device.acls.values()) longest = Math.max(longest, a.entries.length);
  return Math.min(100, Math.max(10, Math.floor(200_000 / longest)));
}

export function proveFile(ctx: FileContext, findings: readonly Finding[], only?: ReadonlySet<string>, max = fixBudget(ctx.device)): FileFixes {
  const refused = new Map<Finding, string>();
  const t: TextLines = splitLines(ctx.text);
  const cands: Candidate[] = [];
  const deferred: Candidate[] = [];
  const taken = new Map<string, Finding>();
  for (const f of findings) {
    const r = REMEDIES.get(f);
    if (!r || (only && !only.has(f.ruleId))) continue;
    if ("reason" in r) {
      refused.set(f, r.reason);
      continue;
    }
    if (cands.length + deferred.length >= max) {
      refused.set(f, `natlint proves at most ${max} fixes of this file in one pass; natlint lint --fix applies them in passes`);
      continue;
    }
    const rendered = renderRemedy(ctx.device, t, r);
    if ("reason" in rendered) {
      refused.set(f, rendered.reason);
      continue;
    }
    const c = { finding: f, remedy: r, rendered };
    const clash = touched(c).map((k) => taken.get(k)).find((x) => x !== undefined);
    if (clash) {
      refused.set(f, `its edit overlaps the fix for ${clash.ruleId} on line ${clash.line}; natlint lint --fix applies it in a later pass`);
      deferred.push(c);
      continue;
    }
    for (const k of touched(c)) taken.set(k, f);
    cands.push(c);
  }
  const none = (): FileFixes => ({ fixes: new Map(), refused, output: ctx.text, device: ctx.device, raw: ctx.raw });
  if (cands.length === 0) return none();

  /** A clean batch over a subset of cands (failures recorded in `refused`). */
  const solve = (set: Candidate[]): { set: Candidate[]; batch?: Batch } => {
    let cur = set;
    for (;;) {
      if (cur.length === 0) return { set: [] };
      const b = runBatch(ctx, cur);
      if (b.failed.size > 0) {
        for (const [c, why] of b.failed) refused.set(c.finding, why);
        cur = cur.filter((c) => !b.failed.has(c));
        continue;
      }
      const cmd = b.loose.length === 0 ? checkCommands(ctx, cur, b.device) : undefined;
      if (b.loose.length === 0 && cmd === undefined) return { set: cur, batch: b };
      const problem = b.loose[0] ?? cmd!;
      if (cur.length === 1) {
        refused.set(cur[0]!.finding, problem);
        return { set: [] };
      }
      // a fix the problem names (it wrote the line a new finding is shadowed by): alone first. If
      // it fails alone, it is refused as halving would refuse it, and the rest is tried without it
      // (one batch each, not two per halving step down to it); if it passes alone, halving finds
      // the problem
      const suspect = cur.find((c) => b.suspects.has(c));
      if (suspect !== undefined && solve([suspect]).set.length === 0) {
        cur = cur.filter((c) => c !== suspect);
        continue;
      }
      const half = Math.ceil(cur.length / 2);
      const left = solve(cur.slice(0, half)).set;
      const right = solve(cur.slice(half)).set;
      const both = [...left, ...right];
      if (both.length === cur.length) {
        // each half is fine on its own, together they are not: keep the first half
        for (const c of right) refused.set(c.finding, `together with the other fixes of this file: ${problem}; natlint lint --fix applies it in a later pass`);
        cur = left;
      } else cur = both;
    }
  };
  let { set, batch } = solve(cands);
  // a fix deferred for an overlap with a fix that was then refused gets its turn now
  const retry: Candidate[] = [];
  for (const d of deferred) {
    const keys = touched(d);
    if (set.some((c) => touched(c).some((k) => keys.includes(k))) || retry.some((c) => touched(c).some((k) => keys.includes(k)))) continue;
    refused.delete(d.finding);
    retry.push(d);
  }
  if (retry.length > 0) {
    // one more batch; if it is not clean, the clean batch above stands and the retried fixes wait
    // for the next --fix pass (no further re-analysis here)
    const b = runBatch(ctx, [...set, ...retry]);
    const cmd = b.failed.size === 0 && b.loose.length === 0 ? checkCommands(ctx, [...set, ...retry], b.device) : "not proven together";
    if (cmd === undefined) ({ set, batch } = { set: [...set, ...retry], batch: b });
    else
      for (const c of retry) {
        const why = b.failed.get(c);
        refused.set(c.finding, why ?? `its edit overlapped another fix; natlint lint --fix applies it in a later pass`);
      }
  }
  if (!batch) return none();
  const fixes = new Map<Finding, Fix>();
  for (const c of set) {
    const p = batch.proofs.get(c)!;
    const summary = c.remedy.intent.change === "none" ? "no packet changes" : p.summary ? `${p.summary}; nothing else changes` : "no packet changes";
    fixes.set(c.finding, {
      describe: c.remedy.describe,
      edits: c.rendered.edits,
      commands: c.rendered.commands,
      rollback: c.rendered.rollback,
      proof: { summary, findingGone: true, newFindings: 0, changedAcls: p.changed, changes: p.changes, commandsChecked: true },
    });
  }
  return { fixes, refused, output: batch.applied.text, device: batch.device, raw: batch.raw };
}
