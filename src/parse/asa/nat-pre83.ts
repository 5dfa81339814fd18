/**
 * ASA pre-8.3 NAT (Cisco document 15243-19, "ASA/PIX NAT and PAT"): `nat (if) ID NET MASK | nat (if) ID access-list ACL` paired with
 * `global (if) ID interface | IP | START-END`, and `static (real,mapped) …`. Identity/exemption
 * (`nat (if) 0 …`) is a static rule whose mapped addresses equal the real ones. Exemptions,
 * statics and policy NAT go in section 1 (config order), regular dynamic NAT in section 2.
 */
import { maskToPrefix, parseIp } from "../../model/addr.js";
import { NatSection, type AddrSet, type NatMapped, type NatRule, type SourceRef } from "../../model/types.js";
import { Cursor, ParseError } from "../common/cursor.js";
import { ipOrName, parseIfs, piecesToAddrs, portToken, subnetPiece, type AsaCtx, type NetPiece } from "./context.js";
import type { RawNat } from "./nat.js";

/** The dynamic NAT/PAT mapped side (shared with 8.3+ NAT, see ./nat.ts). */
export type DynamicMapped = (
  m: { pieces: NetPiece[]; patPool: boolean; ifFallback: boolean; ifaceOnly: boolean },
  mappedIf: string,
  src: SourceRef,
) => { mapped: NatMapped; pat: boolean };

type Ranges = Array<{ start: number; end: number }>;

/** AddrSet with contiguous wildcards → address ranges (non-contiguous patterns are skipped). */
function addrsToRanges(set: AddrSet): Ranges {
  const out: Ranges = [];
  for (const w of set) {
    if (maskToPrefix(~w.wildcard >>> 0) === undefined) continue;
    out.push({ start: w.addr, end: (w.addr | w.wildcard) >>> 0 });
  }
  return out;
}

/** pre-8.3 address: `0` is shorthand for 0.0.0.0. */
function pre83Ip(ctx: AsaCtx, tok: string): number | undefined {
  if (tok === "0") return 0;
  return ipOrName(ctx, tok);
}

export class Pre83Nat {
  /** Section 1 rules (exemptions, statics, policy NAT) in config order, after `finish()`. */
  sec1: NatRule[] = [];
  /** Section 2 rules (regular dynamic NAT) with their real pieces, ordered by the caller. */
  sec2: Array<{ rule: NatRule; pieces: NetPiece[] }> = [];

  constructor(
    readonly ctx: AsaCtx,
    private readonly dynamicMapped: DynamicMapped,
  ) {}

  private ifRef(name: string, src: SourceRef, context: string): void {
    if (name !== "any") this.ctx.ref("interface", name, src, "nat", context);
  }

  nats: Array<{ src: SourceRef; iface: string; id: number; acl?: string; pieces?: NetPiece[] }> = [];
  globals: Array<{ src: SourceRef; iface: string; id: number; pieces: NetPiece[]; isInterface: boolean }> = [];

  /** `nat|global (IF) ID …`: the cursor after the id, the interface and the id. */
  private head(raw: RawNat, kw: "nat" | "global"): { cur: Cursor; iface: string; id: number } {
    const cur = new Cursor(raw.toks);
    const m = /^\(([^,()\s]+)\)$/.exec(cur.next("(interface)"));
    if (!m) throw new ParseError(`expected (interface) after ${kw}`);
    const iface = m[1]!;
    this.ifRef(iface, raw.src, kw);
    const idTok = cur.next("a NAT id");
    if (!/^\d+$/.test(idTok)) throw new ParseError(`"${idTok}" is not a NAT id`);
    return { cur, iface, id: Number(idTok) };
  }

  nat(raw: RawNat): void {
    const { cur, iface, id } = this.head(raw, "nat");
    if (cur.accept("access-list")) {
      const acl = cur.next("an access-list name");
      this.ctx.ref("acl", acl, raw.src, "nat", "nat");
      this.nats.push({ src: raw.src, iface, id, acl });
    } else {
      const a = pre83Ip(this.ctx, cur.next("a real address"));
      const mk = cur.peek() === undefined ? 0xffffffff : pre83Ip(this.ctx, cur.peek()!);
      if (a === undefined) throw new ParseError(`"${cur.prev()}" is not an IPv4 address`);
      if (cur.peek() !== undefined && mk !== undefined) cur.skip();
      this.nats.push({ src: raw.src, iface, id, pieces: [subnetPiece(a, mk ?? 0xffffffff)] });
    }
    // dns, norandomseq, connection limits, tcp/udp/emb N: nothing the model represents
    while (!cur.done()) {
      const t = cur.take()!.toLowerCase();
      if (t === "tcp" || t === "udp" || t === "emb") cur.skip();
      else if (t === "outside") this.ctx.diag("unmodelled", raw.src, `"outside" NAT (translating the outside interface's addresses) is not modelled: the rule is analysed as inside NAT`);
      else if (!(t === "dns" || t === "norandomseq" || /^\d+$/.test(t))) throw new ParseError(`unexpected "${cur.prev()}"`);
    }
  }

  global(raw: RawNat): void {
    const { cur, iface, id } = this.head(raw, "global");
    const t = cur.next("interface, an address or a range");
    if (t.toLowerCase() === "interface") {
      this.globals.push({ src: raw.src, iface, id, pieces: [], isInterface: true });
    } else {
      const [a, b] = t.split("-");
      const ia = pre83Ip(this.ctx, a ?? "");
      const ib = b === undefined ? ia : pre83Ip(this.ctx, b);
      if (ia === undefined || ib === undefined || ib < ia) throw new ParseError(`"${t}" is not an address or START-END range`);
      const piece: NetPiece = ia === ib ? { type: "host", start: ia, end: ia } : { type: "range", start: ia, end: ib };
      this.globals.push({ src: raw.src, iface, id, pieces: [piece], isInterface: false });
    }
    if (cur.accept("netmask")) cur.next("a netmask");
    cur.end();
  }

  staticLine(raw: RawNat): void {
    const { ctx } = this;
    const cur = new Cursor(raw.toks);
    const ifs = parseIfs(cur.take());
    if (!ifs) throw new ParseError(`expected (real_ifc,mapped_ifc) after static`);
    this.ifRef(ifs.realIf, raw.src, "static");
    this.ifRef(ifs.mappedIf, raw.src, "static");
    let protocol: number | undefined;
    const p = cur.peekKw();
    if (p === "tcp" || p === "udp") {
      cur.skip();
      protocol = p === "tcp" ? 6 : 17;
    }
    const table = protocol === 17 ? "udp" : "tcp";
    const mTok = cur.next("the mapped address");
    const mIsIf = mTok.toLowerCase() === "interface";
    const mIp = mIsIf ? undefined : pre83Ip(ctx, mTok);
    if (!mIsIf && mIp === undefined) throw new ParseError(`"${mTok}" is not a mapped address`);
    const mPort = protocol !== undefined ? portToken(cur.next("the mapped port"), table) : undefined;
    const rule: NatRule = {
      source: raw.src,
      type: "static",
      pat: false,
      match: {},
      mapped: { kind: "addresses", ranges: [] },
      realIf: ifs.realIf,
      mappedIf: ifs.mappedIf,
      section: NatSection.Manual,
    };
    let realIp: number | undefined;
    if (cur.accept("access-list")) {
      const acl = cur.next("an access-list name");
      ctx.ref("acl", acl, raw.src, "nat", "static");
      rule.match.acl = acl;
    } else {
      realIp = pre83Ip(ctx, cur.next("the real address"));
      if (realIp === undefined) throw new ParseError(`"${cur.prev()}" is not a real address`);
    }
    if (protocol !== undefined) {
      rule.match.protocol = protocol;
      rule.match.realPort = portToken(cur.next("the real port"), table);
      rule.mappedPort = mPort!;
    }
    let mask = 0xffffffff;
    while (!cur.done()) {
      const t = cur.take()!.toLowerCase();
      if (t === "netmask") {
        const mk = parseIp(cur.next("a netmask"));
        if (mk === undefined) throw new ParseError(`invalid netmask`);
        mask = mk;
      } else if (t === "tcp" || t === "udp" || t === "emb") cur.skip();
      else if (!(t === "dns" || t === "norandomseq" || t === "nailed" || /^\d+$/.test(t)))
        throw new ParseError(`unexpected "${cur.prev()}"`);
    }
    if (realIp !== undefined) rule.match.realAddrs = piecesToAddrs([subnetPiece(realIp, mask)]);
    if (mIsIf) rule.mapped = { kind: "interface", iface: ifs.mappedIf };
    else {
      const sp = subnetPiece(mIp!, mask);
      rule.mapped = { kind: "addresses", ranges: [{ start: sp.start, end: sp.end }] };
    }
    this.sec1.push(rule);
  }

  /** Pairs pre-8.3 `nat` with `global` and orders everything (call after ACLs are parsed). */
  finish(): void {
    const { ctx } = this;
    const exempt: NatRule[] = [];
    const policy: NatRule[] = [];
    for (const n of this.nats) {
      if (n.id === 0) {
        // identity / exemption: mapped = real
        let real: AddrSet;
        if (n.acl) {
          const acl = ctx.dev.acls.get(n.acl);
          real = [];
          for (const e of acl?.entries ?? []) if (e.action === "permit" && !e.inactive) for (const w of e.match.src) real.push(w);
        } else real = piecesToAddrs(n.pieces!);
        const rule: NatRule = {
          source: n.src,
          type: "static",
          pat: false,
          match: n.acl ? { acl: n.acl, realAddrs: real } : { realAddrs: real },
          mapped: { kind: "addresses", ranges: addrsToRanges(real) },
          realIf: n.iface,
          mappedIf: "any",
          section: n.acl ? NatSection.Manual : NatSection.Auto,
        };
        if (n.acl) exempt.push(rule);
        else this.sec2.push({ rule, pieces: n.pieces! });
        continue;
      }
      const globals = this.globals.filter((g) => g.id === n.id);
      if (globals.length === 0) {
        ctx.diag("unmodelled", n.src, `nat id ${n.id} has no global (…) ${n.id}; no translation is modelled`);
        continue;
      }
      const byIf = new Map<string, typeof globals>();
      for (const g of globals) byIf.set(g.iface, [...(byIf.get(g.iface) ?? []), g]);
      for (const [gif, gs] of byIf) {
        const ifaceOnly = gs.every((g) => g.isInterface);
        const d = this.dynamicMapped(
          {
            pieces: gs.flatMap((g) => g.pieces),
            patPool: false,
            ifFallback: !ifaceOnly && gs.some((g) => g.isInterface),
            ifaceOnly,
          },
          gif,
          gs[0]!.src,
        );
        const rule: NatRule = {
          source: n.src,
          type: "dynamic",
          pat: d.pat,
          match: n.acl ? { acl: n.acl } : { realAddrs: piecesToAddrs(n.pieces!) },
          mapped: d.mapped,
          realIf: n.iface,
          mappedIf: gif,
          section: n.acl ? NatSection.Manual : NatSection.Auto,
        };
        if (n.acl) policy.push(rule);
        else this.sec2.push({ rule, pieces: n.pieces! });
      }
    }
    for (const g of this.globals)
      if (!this.nats.some((n) => n.id === g.id))
        ctx.diag("unmodelled", g.src, `global (${g.iface}) ${g.id} has no nat (…) ${g.id}; it translates nothing`);
    this.sec1 = [...exempt, ...this.sec1, ...policy];
  }
}
