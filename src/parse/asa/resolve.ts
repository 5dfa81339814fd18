/**
 * ASA object-group nesting, through the shared resolver (../common/groups.ts) with the ASA
 * policy: definitions that reach each other (a nesting cycle, which ASA itself refuses) form one
 * strongly connected component, each member gets the union of the whole component, and the cycle
 * is one `cycle` diagnostic. Duplicates are removed, so a group reached along several paths counts
 * once. Undefined members contribute nothing (undefined-reference reports them). Content is
 * expanded on demand; a nesting limit leaves a reference out with a `limit` diagnostic, and the
 * lines using the groups concerned are approximate.
 */
import { ALL_PORTS, normalizePorts } from "../../model/ports.js";
import type { AddrSet, ObjectGroup, PortRange, PortSet, Reference, ServiceTerm } from "../../model/types.js";
import { errorText } from "../common/cursor.js";
import { GroupResolver, limitMessage, type GroupGraph } from "../common/groups.js";
import { defineLazy } from "../common/lazy.js";
import { piecesToAddrs, type AsaCtx, type AsaGroups, type GroupDef, type Resolved } from "./context.js";
import { describeKind } from "./objects.js";

function label(d: GroupDef): string {
  return d.kind === "unmodelled" ? d.name : `${describeKind(d)} ${d.name}`;
}

/** Resolves the nesting of every definition (cycles and limits); content is expanded on demand. */
function resolveNesting(ctx: AsaCtx): AsaGroups {
  const defs = [...ctx.defs.values()];
  const index = new Map<string, number>();
  defs.forEach((d, i) => index.set(d.name, i));
  const graph: GroupGraph = {
    count: defs.length,
    source: (i) => defs[i]!.source,
    refs: (i) => defs[i]!.members,
    target: (_i, ref) => index.get(ref.name),
    weight: (i) => {
      const d = defs[i]!;
      return d.pieces.length + d.pieces6.length + d.services.length + d.approx.length + d.v6.length;
    },
  };
  const resolver = new GroupResolver(graph, {
    cycles: "merge-component",
    repeats: "once",
    ...(ctx.limits ? { limits: ctx.limits } : {}),
    onCycle: (c) => {
      if (c.policy === "merge-component") reportCycle(ctx, c.members.map((i) => defs[i]!));
    },
    onLimit: (cut) => ctx.diag("limit", cut.ref.source, limitMessage(cut, label(defs[cut.from]!), `${cut.ref.kind} ${cut.ref.name}`)),
  });
  const cache = new Map<number, Resolved>();
  return {
    resolve(name) {
      const i = index.get(name);
      if (i === undefined) return undefined;
      const u = resolver.unit(i);
      let r = cache.get(u);
      if (!r) {
        r = expanded(resolver.expand(i).map((n) => defs[n]!));
        const cut = resolver.incomplete(i);
        if (cut) r.incomplete = cut;
        cache.set(u, r);
      }
      return r;
    },
  };
}

/** The content of the definitions in expansion order, each piece/term/note once (first occurrence kept). */
function expanded(ds: readonly GroupDef[]): Resolved {
  const pieces: Resolved["pieces"] = [];
  const services: ServiceTerm[] = [];
  const approx = new Set<string>();
  const v6 = new Set<string>();
  const pieces6: Resolved["pieces6"] = [];
  const seen6 = new Set<string>();
  const seenP = new Set<string>();
  const seenS = new Set<string>();
  let allServices = 0;
  for (const d of ds) allServices += d.services.length;
  for (const d of ds) {
    for (const p of d.pieces) {
      const k = `${p.type}:${p.start}:${p.end}:${p.w?.wildcard ?? ""}`;
      if (seenP.has(k)) continue;
      seenP.add(k);
      pieces.push(p);
    }
    for (const t of d.services) {
      if (allServices > 1) {
        const k = JSON.stringify(t);
        if (seenS.has(k)) continue;
        seenS.add(k);
      }
      services.push(t);
    }
    for (const p of d.pieces6) {
      const k = `${p.addr}/${p.len}`;
      if (seen6.has(k)) continue;
      seen6.add(k);
      pieces6.push(p);
    }
    for (const a of d.approx) approx.add(a);
    for (const a of d.v6) v6.add(a);
  }
  return { pieces, services, approx: [...approx], v6: [...v6], pieces6 };
}

/** One diagnostic per cycle, at the first nested reference that closes it, with the path. */
function reportCycle(ctx: AsaCtx, members: readonly GroupDef[]): void {
  const inComp = new Set(members.map((d) => d.name));
  const first = members[0]!;
  // breadth-first search inside the component from `first` back to `first`
  const prev = new Map<string, { from: string; ref: Reference }>();
  const queue = [first.name];
  let closing: { from: string; ref: Reference } | undefined;
  for (let q = 0; q < queue.length && !closing; q++) {
    const n = queue[q]!;
    for (const m of ctx.defs.get(n)!.members) {
      if (!inComp.has(m.name)) continue;
      if (m.name === first.name) {
        closing = { from: n, ref: m };
        break;
      }
      if (!prev.has(m.name)) {
        prev.set(m.name, { from: n, ref: m });
        queue.push(m.name);
      }
    }
  }
  if (!closing) return;
  const back: string[] = [];
  for (let n = closing.from; n !== first.name; n = prev.get(n)!.from) back.push(n);
  const path = [first.name, ...back.reverse(), first.name];
  ctx.diag(
    "cycle",
    closing.ref.source,
    `object-group nesting cycle ${path.join(" → ")}; each group in the cycle is taken to contain all of them`,
  );
}

/** The resolved (nesting expanded) content of a definition. */
export function resolveDef(ctx: AsaCtx, name: string): Resolved | undefined {
  if (!ctx.defs.has(name)) return undefined;
  if (ctx.groupsError !== undefined) throw new Error(`object-groups could not be resolved: ${ctx.groupsError}`);
  ctx.groups ??= resolveNesting(ctx);
  return ctx.groups.resolve(name);
}

/** Address sets of resolved objects/groups, computed once and shared by the ACEs that use them. */
const addrCache = new WeakMap<Resolved, AddrSet>();
export function addrsOf(r: Resolved | undefined): AddrSet {
  if (!r) return [];
  let a = addrCache.get(r);
  if (!a) {
    a = piecesToAddrs(r.pieces);
    addrCache.set(r, a);
  }
  return a;
}

/** Port set of a port-object group for one protocol, computed once per group and protocol. */
const portCache = new WeakMap<Resolved, Map<number, PortSet>>();
export function groupPorts(r: Resolved | undefined, protocol: number): PortSet {
  if (!r) return [];
  let m = portCache.get(r);
  if (!m) {
    m = new Map();
    portCache.set(r, m);
  }
  let set = m.get(protocol);
  if (!set) {
    const parts: PortSet = [];
    for (const t of r.services) if (t.protocol === protocol) for (const x of t.dstPorts ?? ALL_PORTS) parts.push(x);
    set = normalizePorts(parts);
    m.set(protocol, set);
  }
  return set;
}

/** Merges port-object terms of the same protocol so port groups stay compact. */
function compactServices(ts: ServiceTerm[]): ServiceTerm[] {
  const out: ServiceTerm[] = [];
  const portOnly = new Map<number, { term: ServiceTerm; parts: PortRange[] }>();
  const seen = new Set<string>();
  for (const t of ts) {
    if (t.protocol !== null && t.dstPorts && Object.keys(t).length === 2) {
      const prev = portOnly.get(t.protocol);
      if (prev) for (const r of t.dstPorts) prev.parts.push(r);
      else {
        const term: ServiceTerm = { protocol: t.protocol, dstPorts: [] };
        portOnly.set(t.protocol, { term, parts: [...t.dstPorts] });
        out.push(term);
      }
      continue;
    }
    const k = JSON.stringify(t);
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(t);
  }
  for (const { term, parts } of portOnly.values()) term.dstPorts = normalizePorts(parts);
  return out;
}

/**
 * Builds `device.objectGroups` (objects and object-groups share one namespace on ASA). The
 * content of each is expanded when first read.
 */
export function buildObjectGroups(ctx: AsaCtx): void {
  let groups: AsaGroups | undefined;
  try {
    groups = ctx.groups ??= resolveNesting(ctx);
  } catch (e) {
    // Not an empty result: the groups stay defined without content, and every line using one
    // becomes an `unrecognized-syntax` diagnostic (resolveDef throws).
    ctx.groupsError = errorText(e);
    const first = ctx.defs.values().next().value;
    if (first) ctx.diag("unrecognized-syntax", first.source, `internal error resolving object-groups: ${ctx.groupsError}`);
  }
  for (const def of ctx.defs.values()) {
    if (def.kind === "unmodelled") continue;
    const og: ObjectGroup = { name: def.name, kind: def.kind, source: def.source };
    if (groups) {
      const g = groups;
      if (def.kind === "network" || def.kind === "object-network") {
        defineLazy(og, "addrs", () => piecesToAddrs(g.resolve(def.name)!.pieces));
        defineLazy(og, "addrs6", () => g.resolve(def.name)!.pieces6);
      }
      else defineLazy(og, "services", () => compactServices(g.resolve(def.name)!.services));
    }
    if (def.members.length > 0) og.members = def.members;
    ctx.dev.objectGroups.set(def.name, og);
  }
}
