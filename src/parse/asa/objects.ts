/**
 * `object network|service` and `object-group network|service|protocol|icmp-type` definitions,
 * nesting resolution (with cycle detection) and the model `ObjectGroup`s.
 */
import { normalizePorts } from "../../model/ports.js";
import type { ObjectGroup, PortRange, Reference, ServiceTerm, SourceRef } from "../../model/types.js";
import { Cursor, ParseError } from "../common/cursor.js";
import {
  ipOrName,
  isV6Token,
  parsePortOp,
  parseServiceSpec,
  piecesToAddrs,
  stripComment,
  subnetPiece,
  type AsaCtx,
  type GroupDef,
  type NetPiece,
  type PortProto,
  type Resolved,
} from "./context.js";
import { asaProtocol, icmpType } from "./names.js";

/** Starts (or re-enters) a definition. ASA re-enters an existing object when its name is repeated. */
export function openDef(ctx: AsaCtx, toks: string[], src: SourceRef): GroupDef | undefined {
  const cur = new Cursor(toks);
  const head = cur.take()!.toLowerCase(); // object | object-group
  let kindTok = cur.next("an object type").toLowerCase();
  if (head === "object-group" && kindTok === "group") kindTok = cur.next("an object-group type").toLowerCase(); // `object-group group network N`
  const name = cur.next("an object name");
  let kind: GroupDef["kind"];
  let portProto: PortProto | undefined;
  if (head === "object") {
    if (kindTok === "network") kind = "object-network";
    else if (kindTok === "service") kind = "object-service";
    else {
      ctx.diag("unmodelled", src, `object ${kindTok} ${name} is not modelled`);
      kind = "unmodelled";
    }
    cur.end();
  } else {
    if (kindTok === "network" || kindTok === "protocol" || kindTok === "icmp-type") kind = kindTok;
    else if (kindTok === "service") {
      kind = "service";
      const p = cur.peekKw();
      if (p === "tcp" || p === "udp" || p === "tcp-udp") {
        portProto = p;
        cur.skip();
      }
    } else {
      // user, security, local-user, …: identity-firewall groups
      ctx.diag("unmodelled", src, `object-group ${kindTok} ${name} is not modelled`);
      kind = "unmodelled";
    }
    if (kind !== "unmodelled") cur.end();
  }
  const existing = ctx.defs.get(name);
  if (existing && existing.kind === kind) {
    if (portProto && !existing.portProto) existing.portProto = portProto;
    return existing;
  }
  if (existing)
    ctx.diag(
      "unrecognized-syntax",
      src,
      `${head} ${kindTok} ${name}: the name is already used by ${describeKind(existing)} defined on line ${existing.source.line}; this definition replaces it`,
    );
  const def: GroupDef = { name, kind, source: src, pieces: [], services: [], members: [], approx: [], v6: [] };
  if (portProto) def.portProto = portProto;
  ctx.defs.set(name, def);
  return def;
}

export function describeKind(d: GroupDef): string {
  switch (d.kind) {
    case "object-network":
      return "object network";
    case "object-service":
      return "object service";
    case "unmodelled":
      return "an unmodelled object";
    default:
      return `object-group ${d.kind}`;
  }
}

/** Parses a host, subnet or range body line of `object network` (or network-object). */
function v4orV6(ctx: AsaCtx, def: GroupDef, tok: string, src: SourceRef, what: string): number | undefined {
  if (isV6Token(ctx, tok)) {
    const msg = `IPv6 ${what} ${tok} is not modelled (matches no IPv4 packet)`;
    def.v6.push(`${what} ${tok}`);
    ctx.diag("unmodelled", src, msg);
    return undefined;
  }
  const ip = ipOrName(ctx, tok);
  if (ip === undefined) throw new ParseError(`"${tok}" is not an IPv4 address or a defined name`);
  return ip;
}

function mask(ctx: AsaCtx, tok: string | undefined, after: string): number {
  if (tok === undefined) throw new ParseError(`expected a netmask after ${after}`);
  const m = ipOrName(ctx, tok);
  if (m === undefined) throw new ParseError(`"${tok}" is not a netmask`);
  return m;
}

/** One body line of an `object …` / `object-group …` definition. Returns false if not handled. */
export function defLine(ctx: AsaCtx, def: GroupDef, rawToks: string[], src: SourceRef): void {
  const first = rawToks[0]!.toLowerCase();
  if (first === "description") return;
  if (def.kind === "unmodelled") return;
  const toks = stripComment(rawToks);
  if (toks.length === 0) return;
  const cur = new Cursor(toks);
  const kw = cur.take()!.toLowerCase();
  switch (def.kind) {
    case "object-network": {
      if (kw === "host" || kw === "subnet" || kw === "range" || kw === "fqdn") {
        // a new address definition replaces the previous one
        def.pieces = [];
        def.approx = [];
        def.v6 = [];
      }
      if (kw === "host") {
        const t = cur.next("an address after host");
        const ip = v4orV6(ctx, def, t, src, "host");
        if (ip !== undefined) def.pieces.push({ type: "host", start: ip, end: ip });
      } else if (kw === "subnet") {
        const t = cur.next("an address after subnet");
        const ip = v4orV6(ctx, def, t, src, "subnet");
        if (ip !== undefined) def.pieces.push(subnetPiece(ip, mask(ctx, cur.take(), t)));
      } else if (kw === "range") {
        const a = cur.next("a start address after range");
        const b = cur.next("an end address after range");
        const ia = v4orV6(ctx, def, a, src, "range");
        if (ia !== undefined) {
          const ib = ipOrName(ctx, b);
          if (ib === undefined) throw new ParseError(`"${b}" is not an IPv4 address`);
          if (ib < ia) throw new ParseError(`range ${a} ${b}: end is below start`);
          def.pieces.push(ia === ib ? { type: "host", start: ia, end: ia } : { type: "range", start: ia, end: ib });
        }
      } else if (kw === "fqdn") {
        let t = cur.next("a domain name after fqdn");
        if ((t === "v4" || t === "v6") && cur.peek() !== undefined) t = cur.take()!;
        const msg = `fqdn ${t} is resolved by DNS at run time; its addresses are not modelled`;
        def.approx.push(msg);
        ctx.diag("unmodelled", src, `object network ${def.name}: ${msg}`);
        return;
      } else throw new ParseError(`object network ${def.name}: unknown command "${rawToks[0]}"`);
      cur.end();
      return;
    }
    case "object-service": {
      if (kw !== "service") throw new ParseError(`object service ${def.name}: unknown command "${rawToks[0]}"`);
      def.services = parseServiceSpec(cur);
      return;
    }
    case "network": {
      if (kw === "group-object") {
        def.members.push(ctx.ref("object-group", cur.next("a group name"), src, "group-member", `object-group ${def.name}`));
        cur.end();
        return;
      }
      if (kw !== "network-object") throw new ParseError(`object-group network ${def.name}: unknown command "${rawToks[0]}"`);
      const t = cur.next("an address after network-object");
      const lt = t.toLowerCase();
      if (lt === "object") {
        def.members.push(ctx.ref("object", cur.next("an object name"), src, "group-member", `object-group ${def.name}`));
      } else if (lt === "host") {
        const a = cur.next("an address after host");
        const ip = v4orV6(ctx, def, a, src, "host");
        if (ip !== undefined) def.pieces.push({ type: "host", start: ip, end: ip });
      } else if (lt === "range") {
        const a = ipOrName(ctx, cur.next("a start address"));
        const b = ipOrName(ctx, cur.next("an end address"));
        if (a === undefined || b === undefined || b < a) throw new ParseError(`invalid address range`);
        def.pieces.push({ type: "range", start: a, end: b });
      } else {
        const ip = v4orV6(ctx, def, t, src, "network");
        if (ip !== undefined) def.pieces.push(subnetPiece(ip, mask(ctx, cur.take(), t)));
      }
      cur.end();
      return;
    }
    case "service": {
      if (kw === "group-object") {
        def.members.push(ctx.ref("object-group", cur.next("a group name"), src, "group-member", `object-group ${def.name}`));
        cur.end();
        return;
      }
      if (kw === "port-object") {
        if (!def.portProto)
          throw new ParseError(
            `object-group service ${def.name}: port-object needs a group protocol (object-group service ${def.name} tcp|udp|tcp-udp)`,
          );
        const protos = def.portProto === "tcp" ? [6] : def.portProto === "udp" ? [17] : [6, 17];
        const set = parsePortOp(cur, def.portProto);
        if (!set) throw new ParseError(`expected eq or range after port-object`);
        cur.end();
        for (const p of protos) def.services.push({ protocol: p, dstPorts: set });
        return;
      }
      if (kw === "service-object") {
        if (cur.peekKw() === "object") {
          cur.skip();
          def.members.push(ctx.ref("object", cur.next("an object name"), src, "group-member", `object-group ${def.name}`));
          cur.end();
          return;
        }
        def.services.push(...parseServiceSpec(cur));
        return;
      }
      throw new ParseError(`object-group service ${def.name}: unknown command "${rawToks[0]}"`);
    }
    case "protocol": {
      if (kw === "group-object") {
        def.members.push(ctx.ref("object-group", cur.next("a group name"), src, "group-member", `object-group ${def.name}`));
        cur.end();
        return;
      }
      if (kw !== "protocol-object") throw new ParseError(`object-group protocol ${def.name}: unknown command "${rawToks[0]}"`);
      const t = cur.next("a protocol");
      const p = asaProtocol(t);
      if (p === undefined) throw new ParseError(`unknown protocol "${t}"`);
      cur.end();
      def.services.push({ protocol: p });
      return;
    }
    case "icmp-type": {
      if (kw === "group-object") {
        def.members.push(ctx.ref("object-group", cur.next("a group name"), src, "group-member", `object-group ${def.name}`));
        cur.end();
        return;
      }
      if (kw !== "icmp-object") throw new ParseError(`object-group icmp-type ${def.name}: unknown command "${rawToks[0]}"`);
      const t = cur.next("an ICMP type");
      const ty = icmpType(t, 1);
      if (ty === undefined) throw new ParseError(`"${t}" is not an ICMP type`);
      cur.end();
      def.services.push({ protocol: 1, icmpType: ty });
      return;
    }
  }
}

/**
 * Expands nesting for every definition at once. Definitions that reach each other (a nesting
 * cycle, which ASA itself refuses) form one strongly connected component: each member gets the
 * union of the whole component, and the cycle is one `cycle` diagnostic — never a hang.
 * Undefined members contribute nothing (undefined-reference reports them).
 */
export function resolveAll(ctx: AsaCtx): void {
  const defs = [...ctx.defs.values()];
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const sccs: string[][] = [];
  let counter = 0;
  const succ = (d: GroupDef): string[] => d.members.map((m) => m.name).filter((n) => ctx.defs.has(n));
  // iterative Tarjan: deep nesting cannot overflow the call stack
  for (const root of defs) {
    if (index.has(root.name)) continue;
    const work: Array<{ name: string; next: string[]; i: number }> = [];
    const visit = (name: string): void => {
      index.set(name, counter);
      low.set(name, counter);
      counter++;
      stack.push(name);
      onStack.add(name);
      work.push({ name, next: succ(ctx.defs.get(name)!), i: 0 });
    };
    visit(root.name);
    while (work.length > 0) {
      const f = work[work.length - 1]!;
      if (f.i < f.next.length) {
        const w = f.next[f.i++]!;
        if (!index.has(w)) visit(w);
        else if (onStack.has(w)) low.set(f.name, Math.min(low.get(f.name)!, index.get(w)!));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.name, Math.min(low.get(parent.name)!, low.get(f.name)!));
      if (low.get(f.name) === index.get(f.name)) {
        const comp: string[] = [];
        for (;;) {
          const x = stack.pop()!;
          onStack.delete(x);
          comp.push(x);
          if (x === f.name) break;
        }
        sccs.push(comp);
      }
    }
  }
  // Tarjan emits components sinks first, so successors are resolved before their users
  for (const comp of sccs) {
    const inComp = new Set(comp);
    const members = comp.map((n) => ctx.defs.get(n)!).sort((a, b) => a.source.line - b.source.line);
    const acc: Resolved = { pieces: [], services: [], approx: [], v6: [] };
    for (const d of members) {
      merge(acc, fresh(d));
      for (const m of d.members) {
        if (inComp.has(m.name)) continue;
        const r = ctx.resolved.get(m.name);
        if (r) merge(acc, r);
      }
    }
    dedupe(acc);
    for (const d of members) ctx.resolved.set(d.name, acc);
    const selfLoop = members.length === 1 && members[0]!.members.some((m) => m.name === members[0]!.name);
    if (members.length > 1 || selfLoop) reportCycle(ctx, members, inComp);
  }
}

/** One diagnostic per cycle, at the first nested reference that closes it, with the path. */
function reportCycle(ctx: AsaCtx, members: GroupDef[], inComp: Set<string>): void {
  const first = members[0]!;
  // breadth-first search inside the component from `first` back to `first`
  const prev = new Map<string, { from: string; ref: Reference }>();
  const queue = [first.name];
  let closing: { from: string; ref: Reference } | undefined;
  while (queue.length > 0 && !closing) {
    const n = queue.shift()!;
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
  const path = [first.name];
  for (let n = closing.from; n !== first.name; n = prev.get(n)!.from) path.splice(1, 0, n);
  path.push(first.name);
  ctx.diag(
    "cycle",
    closing.ref.source,
    `object-group nesting cycle ${path.join(" → ")}; each group in the cycle is taken to contain all of them`,
  );
}

/** The resolved (nesting expanded) content of a definition. */
export function resolveDef(ctx: AsaCtx, name: string): Resolved | undefined {
  if (!ctx.defs.has(name)) return undefined;
  if (!ctx.resolved.has(name)) resolveAll(ctx);
  return ctx.resolved.get(name);
}

function fresh(d: GroupDef): Resolved {
  return { pieces: [...d.pieces], services: [...d.services], approx: [...d.approx], v6: [...d.v6] };
}

/** Drops repeated pieces/terms (a group reachable along several paths), keeping sizes bounded. */
function dedupe(r: Resolved): void {
  const seenP = new Set<string>();
  r.pieces = r.pieces.filter((p) => {
    const k = `${p.type}:${p.start}:${p.end}:${p.w?.wildcard ?? ""}`;
    if (seenP.has(k)) return false;
    seenP.add(k);
    return true;
  });
  if (r.services.length > 1) {
    const seenS = new Set<string>();
    r.services = r.services.filter((t) => {
      const k = JSON.stringify(t);
      if (seenS.has(k)) return false;
      seenS.add(k);
      return true;
    });
  }
}

function merge(into: Resolved, from: Resolved): void {
  for (const p of from.pieces) into.pieces.push(p);
  for (const t of from.services) into.services.push(t);
  for (const a of from.approx) if (!into.approx.includes(a)) into.approx.push(a);
  for (const a of from.v6) if (!into.v6.includes(a)) into.v6.push(a);
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

/** Builds `device.objectGroups` (objects and object-groups share one namespace on ASA). */
export function buildObjectGroups(ctx: AsaCtx): void {
  try {
    resolveAll(ctx);
  } catch (e) {
    const first = ctx.defs.values().next().value;
    if (first) ctx.diag("unrecognized-syntax", first.source, `internal error resolving object-groups: ${(e as Error).message}`);
  }
  for (const def of ctx.defs.values()) {
    if (def.kind === "unmodelled") continue;
    let r: Resolved | undefined;
    try {
      r = ctx.resolved.get(def.name);
    } catch (e) {
      ctx.diag("unrecognized-syntax", def.source, `internal error resolving ${def.name}: ${(e as Error).message}`);
    }
    const og: ObjectGroup = { name: def.name, kind: def.kind, source: def.source };
    if (def.kind === "network" || def.kind === "object-network") og.addrs = piecesToAddrs(r?.pieces ?? []);
    else {
      og.services = compactServices(r?.services ?? []);
    }
    if (def.members.length > 0) og.members = def.members;
    ctx.dev.objectGroups.set(def.name, og);
  }
}

export type { NetPiece };
