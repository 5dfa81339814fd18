/**
 * ASA twice (manual) NAT, 8.3+ (ASA 8.4 configuration guide, "Configuring Twice NAT"):
 *   nat [(real,mapped)] [N | line N | after-auto [N]] source static|dynamic REAL MAPPED…
 *       [destination static MAPPED_DST REAL_DST] [service REAL_SVC MAPPED_SVC] [inactive] [description …]
 * The rules go to section 1 (or 3 with `after-auto`) of the builder in ./nat.ts.
 */
import { host } from "../../model/addr.js";
import { hasPorts } from "../../model/ports.js";
import { NatSection, type AddrSet, type NatRule, type SourceRef } from "../../model/types.js";
import { Cursor, ParseError } from "../common/cursor.js";
import { parseIfs, piecesToAddrs, toRanges } from "./context.js";
import type { NatBuilder, RawNat } from "./nat.js";
import { describeKind } from "./objects.js";
import { resolveDef } from "./resolve.js";

/** `nat [(r,m)] [N | line N | after-auto [N]] source …` */
export function twiceNat(b: NatBuilder, raw: RawNat): void {
  const { ctx } = b;
  const cur = new Cursor(raw.toks);
  const ifs = parseIfs(cur.peek());
  if (ifs) cur.skip();
  else if (cur.peek()?.startsWith("(")) throw new ParseError(`expected (real_ifc,mapped_ifc), found "${cur.peek()}"`);
  const realIf = ifs?.realIf ?? "any";
  const mappedIf = ifs?.mappedIf ?? "any";
  const context = "twice nat";
  b.ifRef(realIf, raw.src, context);
  b.ifRef(mappedIf, raw.src, context);
  let afterAuto = false;
  let position: number | undefined;
  if (cur.accept("after-auto")) afterAuto = true;
  if (cur.accept("line")) position = Number(cur.next("a line number"));
  else if (/^\d+$/.test(cur.peek() ?? "")) position = Number(cur.take());
  if (position !== undefined && (!Number.isInteger(position) || position < 1)) throw new ParseError(`invalid NAT line number`);
  if (!cur.accept("source")) throw new ParseError(`expected "source", found "${cur.peek() ?? "end of line"}"`);
  const type = cur.next("static or dynamic").toLowerCase();
  if (type !== "static" && type !== "dynamic") throw new ParseError(`expected static or dynamic after source, found "${cur.prev()}"`);
  const real = b.net(cur.next("the real source"), raw.src, context, false);
  const approx = [...real.approx];
  const rule: NatRule = {
    source: raw.src,
    type,
    pat: false,
    match: { realAddrs: piecesToAddrs(real.pieces) },
    mapped: { kind: "addresses", ranges: [] },
    realIf,
    mappedIf,
    section: afterAuto ? NatSection.AfterAuto : NatSection.Manual,
  };
  if (type === "static") {
    const t = cur.next("the mapped source");
    if (t.toLowerCase() === "interface") rule.mapped = { kind: "interface", iface: mappedIf };
    else {
      const n = b.net(t, raw.src, context, false);
      for (const a of n.approx) approx.push(a);
      rule.mapped = { kind: "addresses", ranges: toRanges(n.pieces) };
    }
    cur.accept("ipv6");
  } else {
    b.dynamicRule(rule, cur, raw.src, context, mappedIf, approx);
  }
  let inactive = false;
  while (!cur.done()) {
    const k = cur.peekKw();
    if (k === "destination") {
      cur.skip();
      if (!cur.accept("static")) throw new ParseError(`expected "static" after destination`);
      const mdTok = cur.next("the mapped destination");
      const rdTok = cur.next("the real destination");
      let md: AddrSet;
      if (mdTok.toLowerCase() === "interface") {
        const a = ctx.ifaces.get(realIf)?.addresses.find((x) => !x.secondary);
        md = a ? [host(a.ip)] : [];
        if (!a) approx.push(`interface ${realIf} has no static IPv4 address`);
      } else {
        const n = b.net(mdTok, raw.src, context, false);
        for (const a of n.approx) approx.push(a);
        md = piecesToAddrs(n.pieces);
      }
      const rd = b.net(rdTok, raw.src, context, false);
      for (const a of rd.approx) approx.push(a);
      rule.match.dstAddrs = md;
      if (mdTok !== rdTok)
        ctx.diag(
          "unmodelled",
          raw.src,
          `destination translation ${mdTok} → ${rdTok} is not modelled; the rule matches packets sent to ${mdTok}`,
        );
      continue;
    }
    if (k === "service") {
      cur.skip();
      const rs = cur.next("the real service object");
      const ms = cur.next("the mapped service object");
      twiceService(b, rule, rs, ms, raw.src, context);
      continue;
    }
    if (k === "inactive") {
      cur.skip();
      inactive = true;
      continue;
    }
    if (k === "description") {
      cur.rest();
      break;
    }
    if (!b.flag(cur)) throw new ParseError(`unexpected "${cur.peek()}"`);
  }
  if (approx.length > 0) ctx.diag("unmodelled", raw.src, [...new Set(approx)].join("; "));
  const list = afterAuto ? b.sec3 : b.sec1;
  const item = { rule, inactive };
  if (position !== undefined) list.splice(Math.min(position - 1, list.length), 0, item);
  else list.push(item);
}

function twiceService(b: NatBuilder, rule: NatRule, rs: string, ms: string, src: SourceRef, context: string): void {
  const { ctx } = b;
  const port = (name: string): { protocol?: number; port?: number } => {
    if (name.toLowerCase() === "any") return {};
    const d = ctx.defs.get(name);
    ctx.ref("object", name, src, "nat", context);
    if (!d) return {};
    if (d.kind !== "object-service") throw new ParseError(`${name} is ${describeKind(d)}, not an object service`);
    const t = resolveDef(ctx, name)?.services[0];
    if (!t || t.protocol === null || !hasPorts(t.protocol)) return t?.protocol == null ? {} : { protocol: t.protocol };
    const single = (s: typeof t.dstPorts) => (s && s.length === 1 && s[0]!.lo === s[0]!.hi ? s[0]!.lo : undefined);
    const p = single(t.dstPorts) ?? single(t.srcPorts);
    if (p === undefined)
      ctx.diag("unmodelled", src, `service object ${name}: only a single eq port is modelled for NAT port translation`);
    return p === undefined ? { protocol: t.protocol } : { protocol: t.protocol, port: p };
  };
  const r = port(rs);
  const m = port(ms);
  if (r.protocol !== undefined) rule.match.protocol = r.protocol;
  if (r.port !== undefined) rule.match.realPort = r.port;
  if (m.port !== undefined) rule.mappedPort = m.port;
}

