/**
 * The HEADERSPACE syntax used on the command line and in rule options:
 *
 *   PROTO SRC SPORT DST DPORT      e.g. `udp 10.0.0.0/8 any 192.0.2.1 500`
 *   PROTO SRC DST                  ports omitted (any), e.g. `icmp any any`, `esp any 192.0.2.1`
 *
 * PROTO: a protocol name (tcp, udp, icmp, esp, ahp, gre, …), a number 0-255, or `ip` (any).
 * SRC/DST: `any`, `A.B.C.D` (one host) or `A.B.C.D/N` (host bits are ignored).
 * SPORT/DPORT: `any`, `N` or `N-M` (inclusive); only tcp, udp and sctp take ports.
 * Fields not mentioned (ICMP type, TCP flags, fragment, ToS) are unconstrained.
 */
import { parseCidr, parseIp } from "../model/addr.js";
import { hasPorts, parseProtocol } from "../model/ports.js";
import type { AddrSet, PortSet } from "../model/types.js";
import type { HeaderSpace, PSet } from "./index.js";

const SYNTAX = `expected "PROTO SRC SPORT DST DPORT" or "PROTO SRC DST"`;

export function parseHeaderSpace(text: string, hs: HeaderSpace): PSet | { error: string } {
  const toks = text.trim().split(/\s+/).filter((t) => t !== "");
  if (toks.length === 0) return { error: `empty header space: ${SYNTAX}` };
  const proto = parseProtocol(toks[0]);
  if (proto === undefined) {
    return { error: `unknown protocol "${toks[0]}": use a name (tcp, udp, icmp, esp, ahp, gre, …), a number 0-255, or ip` };
  }
  let srcTok: string;
  let dstTok: string;
  let sportTok = "any";
  let dportTok = "any";
  if (toks.length === 3) {
    [, srcTok, dstTok] = toks as [string, string, string];
  } else if (toks.length === 5) {
    [, srcTok, sportTok, dstTok, dportTok] = toks as [string, string, string, string, string];
  } else {
    return { error: `"${text.trim()}" has ${toks.length} fields: ${SYNTAX}` };
  }
  const src = parseAddr(srcTok);
  if (typeof src === "string") return { error: `source ${src}` };
  const dst = parseAddr(dstTok);
  if (typeof dst === "string") return { error: `destination ${dst}` };
  const sport = parsePort(sportTok);
  if (typeof sport === "string") return { error: `source port ${sport}` };
  const dport = parsePort(dportTok);
  if (typeof dport === "string") return { error: `destination port ${dport}` };
  if ((sport !== undefined || dport !== undefined) && (proto === null || !hasPorts(proto))) {
    return { error: `ports apply only to tcp, udp and sctp, not "${toks[0]}"; write "${toks[0]} SRC DST" or use any for the ports` };
  }
  let r = hs.protocol(proto);
  r = hs.and(r, hs.addrSet("src", src));
  r = hs.and(r, hs.addrSet("dst", dst));
  if (sport !== undefined) r = hs.and(r, hs.portSet("srcPort", sport));
  if (dport !== undefined) r = hs.and(r, hs.portSet("dstPort", dport));
  return r;
}

function parseAddr(tok: string): AddrSet | string {
  if (tok.toLowerCase() === "any") return [{ addr: 0, wildcard: 0xffffffff }];
  if (tok.includes("/")) {
    const w = parseCidr(tok);
    return w ? [w] : `address "${tok}" is not a valid A.B.C.D/N prefix (N 0-32)`;
  }
  const ip = parseIp(tok);
  return ip !== undefined ? [{ addr: ip, wildcard: 0 }] : `address "${tok}": expected any, A.B.C.D or A.B.C.D/N`;
}

/** undefined = any */
function parsePort(tok: string): PortSet | undefined | string {
  if (tok.toLowerCase() === "any") return undefined;
  const m = /^(\d+)(?:-(\d+))?$/.exec(tok);
  if (!m) return `"${tok}": expected any, N or N-M`;
  const lo = Number(m[1]);
  const hi = m[2] === undefined ? lo : Number(m[2]);
  if (lo > 65535 || hi > 65535) return `"${tok}" is out of range 0-65535`;
  if (lo > hi) return `range "${tok}" is empty (start > end)`;
  return [{ lo, hi }];
}
