/**
 * Object-group nesting, resolved the same way for every vendor: iteratively (no recursion, so no
 * nesting depth can overflow the stack), without spreading input-sized arrays, and without any
 * catch that turns an error into content.
 *
 * 1. Cycles (a vendor policy): the nesting graph becomes a DAG of *units*.
 *    - `refuse-closing-reference` (IOS): depth-first over the groups in file order, the nested
 *      reference that closes a loop is refused; a group keeps what it has without that edge.
 *      Each unit is one group.
 *    - `merge-component` (ASA): each strongly connected component is one unit; every group of
 *      it gets the union of the component.
 * 2. Limits (`GroupLimits`): bottom-up over the DAG, a nested reference is left out when
 *    following it would make its group nest more than `maxDepth` levels deep, or expand to more
 *    than `maxSize` entries (a group's own entries are always kept). Each such reference is one
 *    `LimitCut`, reported once; every group whose expansion passes through it is *incomplete*.
 * 3. Content is expanded lazily, per group, on request (`expand`): a long chain costs nothing for
 *    the groups no line uses. `repeats` says whether a group reached along several paths
 *    contributes once per path (`every-path`, IOS keeps repeated entries) or once (`once`, ASA
 *    removes duplicates — then the size limit counts distinct groups).
 */
import type { Reference, SourceRef } from "../../model/types.js";
import { stronglyConnected } from "./scc.js";

/** Default nesting-depth limit: nested references followed below one group. */
export const MAX_GROUP_DEPTH = 100_000;
/** Default expanded-size limit: entries (addresses, services) one group may expand to through nesting. */
export const MAX_GROUP_SIZE = 4_000_000;

export interface GroupLimits {
  maxDepth: number;
  maxSize: number;
}

export const DEFAULT_GROUP_LIMITS: Readonly<GroupLimits> = { maxDepth: MAX_GROUP_DEPTH, maxSize: MAX_GROUP_SIZE };

/** The groups of one file. They are numbered 0..count-1 in resolution (file) order. */
export interface GroupGraph {
  readonly count: number;
  source(g: number): SourceRef;
  /** Nested references of group g, in the order written. */
  refs(g: number): readonly Reference[];
  /**
   * The group a nested reference stands for, or undefined when it is not followed (undefined
   * name, incompatible kind: the vendor reports it here). Called once per reference, in
   * traversal order.
   */
  target(g: number, ref: Reference): number | undefined;
  /** Entries written directly in group g (what the size limit counts). */
  weight(g: number): number;
}

export type CyclePolicy = "refuse-closing-reference" | "merge-component";

export type Cycle =
  /** The refused reference `ref` closes `path` (group numbers, first = last = the group reached again). */
  | { policy: "refuse-closing-reference"; path: number[]; ref: Reference }
  /** The groups of one component (sorted by line) that reach each other. */
  | { policy: "merge-component"; members: number[] };

/** A nested reference left out because of a limit. */
export interface LimitCut {
  limit: "depth" | "size";
  /** The group whose nested reference `ref` is not followed. */
  from: number;
  ref: Reference;
  /** The group `ref` stands for. */
  to: number;
  /** depth: the nesting levels `from` would reach through `ref`. size: unused (0). */
  amount: number;
  /** The limit in force. */
  max: number;
  /**
   * Depth cuts further up the same chain (their target was already incomplete because of this
   * one): reported with this cut, not each on its own. Set when the resolver has run.
   */
  more?: number;
}

export interface ResolverOptions {
  cycles: CyclePolicy;
  repeats: "every-path" | "once";
  limits?: Partial<GroupLimits>;
  onCycle(c: Cycle): void;
  onLimit(cut: LimitCut): void;
}

interface Edge {
  /** Target unit. */
  to: number;
  /** Target group. */
  group: number;
  ref: Reference;
  from: number;
  kept: boolean;
  cut?: LimitCut;
}
/** A unit's body in expansion order: a group number (its own entries) or an edge to a unit. */
type Step = number | Edge;

export class GroupResolver {
  readonly limits: GroupLimits;
  private readonly unitOf: Int32Array;
  private readonly bodies: Step[][] = [];
  /** Units in an order where every edge points to an earlier unit. */
  private readonly order: number[] = [];
  private readonly height: number[] = [];
  private readonly size: number[] = [];
  private readonly firstCut: Array<LimitCut | undefined> = [];
  /** A depth cut folded into the message of the deeper cut of its chain. */
  private readonly origin = new Map<LimitCut, LimitCut>();
  private readonly stamp: Uint32Array;
  private epoch = 0;

  constructor(
    private readonly graph: GroupGraph,
    private readonly opts: ResolverOptions,
  ) {
    this.limits = { ...DEFAULT_GROUP_LIMITS, ...opts.limits };
    this.unitOf = new Int32Array(graph.count).fill(-1);
    if (opts.cycles === "refuse-closing-reference") this.refuseClosing();
    else this.mergeComponents();
    this.stamp = new Uint32Array(this.bodies.length);
    this.applyLimits();
  }

  /** The unit (cache key) of group g: groups of one merged component share it. */
  unit(g: number): number {
    return this.unitOf[g]!;
  }

  /** The first limit cut group g's content misses, in expansion order; undefined when complete. */
  incomplete(g: number): LimitCut | undefined {
    const c = this.firstCut[this.unitOf[g]!];
    return c === undefined ? undefined : (this.origin.get(c) ?? c);
  }

  /** The groups whose own entries make up g's content, in order (repeats per `repeats`). */
  expand(g: number): number[] {
    const out: number[] = [];
    const once = this.opts.repeats === "once";
    const epoch = this.nextEpoch();
    const units: number[] = [this.unitOf[g]!];
    const steps: number[] = [0];
    this.stamp[units[0]!] = epoch;
    while (units.length > 0) {
      const top = units.length - 1;
      const body = this.bodies[units[top]!]!;
      const k = steps[top]!;
      if (k >= body.length) {
        units.pop();
        steps.pop();
        continue;
      }
      steps[top] = k + 1;
      const s = body[k]!;
      if (typeof s === "number") {
        if (this.graph.weight(s) > 0) out.push(s);
        continue;
      }
      if (!s.kept || this.size[s.to] === 0) continue;
      if (once) {
        if (this.stamp[s.to] === epoch) continue;
        this.stamp[s.to] = epoch;
      }
      units.push(s.to);
      steps.push(0);
    }
    return out;
  }

  private nextEpoch(): number {
    if (this.epoch === 0xffffffff) {
      this.stamp.fill(0);
      this.epoch = 0;
    }
    return ++this.epoch;
  }

  /** IOS policy: depth-first in group order; a reference to a group still being expanded is refused. */
  private refuseClosing(): void {
    const { graph } = this;
    const n = graph.count;
    for (let g = 0; g < n; g++) {
      this.unitOf[g] = g;
      this.bodies.push([g]);
    }
    const state = new Uint8Array(n); // 0 unseen, 1 on the stack, 2 done
    const pos = new Int32Array(n);
    const stack: number[] = [];
    const next: number[] = [];
    for (let root = 0; root < n; root++) {
      if (state[root] !== 0) continue;
      state[root] = 1;
      pos[root] = 0;
      stack.push(root);
      next.push(0);
      while (stack.length > 0) {
        const top = stack.length - 1;
        const g = stack[top]!;
        const refs = graph.refs(g);
        const k = next[top]!;
        if (k >= refs.length) {
          stack.pop();
          next.pop();
          state[g] = 2;
          this.order.push(g);
          continue;
        }
        next[top] = k + 1;
        const ref = refs[k]!;
        const t = graph.target(g, ref);
        if (t === undefined) continue;
        if (state[t] === 1) {
          const path = stack.slice(pos[t]!);
          path.push(t);
          this.opts.onCycle({ policy: "refuse-closing-reference", path, ref });
          continue;
        }
        this.bodies[g]!.push({ to: t, group: t, ref, from: g, kept: false });
        if (state[t] === 2) continue;
        state[t] = 1;
        pos[t] = stack.length;
        stack.push(t);
        next.push(0);
      }
    }
  }

  /** ASA policy: one unit per strongly connected component, members in line order. */
  private mergeComponents(): void {
    const { graph } = this;
    const targets: Array<Array<number | undefined>> = [];
    const succ = (g: number): number[] => {
      const ts = graph.refs(g).map((r) => graph.target(g, r));
      targets[g] = ts;
      return ts.filter((t): t is number => t !== undefined);
    };
    for (const comp of stronglyConnected(graph.count, succ)) {
      const u = this.bodies.length;
      const members = comp.sort((a, b) => graph.source(a).line - graph.source(b).line);
      for (const g of members) this.unitOf[g] = u;
      const body: Step[] = [];
      let selfLoop = false;
      for (const g of members) {
        body.push(g);
        const refs = graph.refs(g);
        const ts = targets[g]!;
        for (let k = 0; k < refs.length; k++) {
          const t = ts[k];
          if (t === undefined) continue;
          if (this.unitOf[t] === u) {
            if (t === g) selfLoop = true;
            continue;
          }
          body.push({ to: this.unitOf[t]!, group: t, ref: refs[k]!, from: g, kept: false });
        }
      }
      this.bodies.push(body);
      this.order.push(u);
      if (members.length > 1 || selfLoop) this.opts.onCycle({ policy: "merge-component", members });
    }
  }

  /** Bottom-up: heights, sizes, the references left out, and which units they leave incomplete. */
  private applyLimits(): void {
    const { maxDepth, maxSize } = this.limits;
    const once = this.opts.repeats === "once";
    const reported: LimitCut[] = [];
    for (const u of this.order) {
      const body = this.bodies[u]!;
      let own = 0;
      for (const s of body) if (typeof s === "number") own += this.graph.weight(s);
      const candidates: Edge[] = [];
      for (const s of body) {
        if (typeof s === "number") continue;
        const h = this.height[s.to]! + 1;
        if (h > maxDepth) s.cut = this.cut(s, "depth", h);
        else candidates.push(s);
      }
      let size = own;
      if (!once) {
        for (const e of candidates) {
          const add = this.size[e.to]!;
          if (size + add > maxSize) e.cut = this.cut(e, "size", 0);
          else {
            e.kept = true;
            size += add;
          }
        }
      } else {
        for (const e of candidates) size += this.size[e.to]!;
        if (size <= maxSize) for (const e of candidates) e.kept = true;
        else size = this.exactOnce(u, own, candidates);
      }
      let height = 0;
      for (const s of body) {
        if (typeof s === "number") continue;
        if (s.cut) {
          // a depth cut whose target is already cut deeper in the same chain: one message for the chain
          const deeper = s.cut.limit === "depth" ? this.firstCut[s.to] : undefined;
          const origin = deeper ? (this.origin.get(deeper) ?? deeper) : undefined;
          if (origin && origin.limit === "depth") {
            origin.more = (origin.more ?? 0) + 1;
            this.origin.set(s.cut, origin);
          } else reported.push(s.cut);
        }
        const missing = s.cut ?? (s.kept ? this.firstCut[s.to] : undefined);
        if (this.firstCut[u] === undefined && missing) this.firstCut[u] = missing;
        if (s.kept) height = Math.max(height, this.height[s.to]! + 1);
      }
      this.height[u] = height;
      this.size[u] = size;
    }
    for (const c of reported) this.opts.onLimit(c);
  }

  private cut(e: Edge, limit: "depth" | "size", amount: number): LimitCut {
    const max = limit === "depth" ? this.limits.maxDepth : this.limits.maxSize;
    return { limit, from: e.from, ref: e.ref, to: e.group, amount, max };
  }

  /**
   * `once` with a size bound over the limit: count the entries of the distinct units each
   * reference adds, and leave out those that would pass the limit. Returns the exact size.
   */
  private exactOnce(u: number, own: number, candidates: Edge[]): number {
    const { maxSize } = this.limits;
    const epoch = this.nextEpoch();
    this.stamp[u] = epoch;
    let count = own;
    const added: number[] = [];
    const todo: number[] = [];
    for (const e of candidates) {
      added.length = 0;
      let sum = 0;
      if (this.stamp[e.to] !== epoch) {
        this.stamp[e.to] = epoch;
        todo.push(e.to);
      }
      while (todo.length > 0 && count + sum <= maxSize) {
        const v = todo.pop()!;
        added.push(v);
        for (const s of this.bodies[v]!) {
          if (typeof s === "number") sum += this.graph.weight(s);
          else if (s.kept && this.stamp[s.to] !== epoch) {
            this.stamp[s.to] = epoch;
            todo.push(s.to);
          }
        }
      }
      if (count + sum > maxSize) {
        for (const v of todo) this.stamp[v] = 0;
        for (const v of added) this.stamp[v] = 0;
        todo.length = 0;
        e.cut = this.cut(e, "size", 0);
      } else {
        count += sum;
        e.kept = true;
      }
    }
    return count;
  }
}

const LIMIT_NAME = { depth: "nesting-depth", size: "expanded-size" } as const;

/** The `limit` diagnostic for a cut, at the cut reference's line. `parent`/`child`: "object-group A", "group-object B". */
export function limitMessage(cut: LimitCut, parent: string, child: string): string {
  const why =
    cut.limit === "depth"
      ? `through it ${parent} would nest ${cut.amount} levels deep, more than natlint's nesting-depth limit of ${cut.max} (--max-nesting-depth)${cut.more ? `; the same chain of nested groups is cut ${cut.more} more ${cut.more === 1 ? "time" : "times"} further up, every ${cut.max} levels` : ""}`
      : `with it ${parent} would expand to more than natlint's expanded-size limit of ${cut.max} entries`;
  return `${child} is left out of ${parent}, and of every group that contains ${parent}: ${why}; the entries it would add are not analysed`;
}

/** Why a line using an incomplete group is approximate: "object-group A is incomplete (…)". */
export function incompleteNote(label: string, cut: LimitCut): string {
  return `${label} is incomplete (the ${LIMIT_NAME[cut.limit]} limit of ${cut.max} was reached at line ${cut.ref.source.line})`;
}

/** The `limit` diagnostic on a line that uses incomplete groups (`notes` from `incompleteNote`). */
export function incompleteUse(notes: readonly string[]): string {
  return `${notes.join("; ")}: this line is analysed with the entries that were kept`;
}
