/**
 * ASA interface mode: nameif, security-level, shutdown, IPv4 and IPv6 addresses, policy routing;
 * the names every other command uses are mentions (Cisco ASA Series General Operations CLI
 * Configuration Guide, "Basic Interface Configuration").
 */
import { parseIp } from "../../model/addr.js";
import { parseInterfaceAddress6 } from "../../model/addr6.js";
import type { Interface, SourceRef } from "../../model/types.js";
import { ParseError } from "../common/cursor.js";
import type { AsaCtx } from "./context.js";

export function setNameif(ctx: AsaCtx, iface: Interface, n: string): void {
  if (iface.nameif && ctx.ifaces.get(iface.nameif) === iface) ctx.ifaces.delete(iface.nameif);
  iface.nameif = n;
  ctx.ifaces.set(n, iface);
}

/** One line inside `interface NAME`. */
export function interfaceLine(ctx: AsaCtx, iface: Interface, kw: string, toks: string[], src: SourceRef, mention: (toks: readonly string[]) => void): void {
  if (kw === "nameif" && toks[1]) setNameif(ctx, iface, toks[1]);
  else if (kw === "security-level" && /^\d+$/.test(toks[1] ?? "")) iface.securityLevel = Number(toks[1]);
  else if (kw === "shutdown") iface.shutdown = true;
  else if (kw === "ip" && toks[1]?.toLowerCase() === "address") {
    const ip = parseIp(toks[2]);
    const m = parseIp(toks[3]);
    if (ip !== undefined && m !== undefined) iface.addresses = [{ ip, mask: m }]; // `standby B` is the failover peer
    else if (ip !== undefined) throw new ParseError(`interface ${iface.name}: expected a netmask after ip address ${toks[2]}`);
    else if (toks[2] !== undefined)
      ctx.diag("note", src, `${iface.nameif ?? iface.name} learns its address at run time ("ip address ${toks[2]}"): natlint does not know it; where it needs it (a PAT onto this interface, the device's own addresses) it infers one from the ACLs or uses a stand-in, and explain says which`);
  } else if (kw === "ipv6" && toks[1]?.toLowerCase() === "address") {
    // ASA command reference, `ipv6 address {X:X::X/N [eui-64] [standby X:X::X] | autoconfig | X:X::X link-local}`
    const a = parseInterfaceAddress6(toks[2], toks[3]?.toLowerCase());
    if (a) (iface.addresses6 ??= []).push(a);
    mention(toks);
  } else if (kw === "no" && toks[1]?.toLowerCase() === "nameif") {
    if (iface.nameif && ctx.ifaces.get(iface.nameif) === iface) ctx.ifaces.delete(iface.nameif);
    delete iface.nameif;
  } else if (kw === "no" && toks[1]?.toLowerCase() === "shutdown") delete iface.shutdown;
  else if (kw === "policy-route" && toks[1]?.toLowerCase() === "route-map" && toks[2] !== undefined) {
    mention(toks);
    ctx.dev.features.policyRoutes.push({ iface: iface.nameif ?? iface.name, routeMap: toks[2], source: src });
  } else if (kw !== "description") mention(toks);
}
