/**
 * no-any-any-permit: an active permit line of an extended ACL whose source and destination are
 * both any (`permit ip any any`, also `0.0.0.0 255.255.255.255` or an object-group holding
 * 0.0.0.0/0 — decided on packet sets, not on spelling).
 *
 * - `protocols: "ip-only"` (default): the line permits every packet (every protocol and port).
 *   A line narrowed by dscp/precedence/tos or `fragments` is not reported.
 * - `protocols: "all"`: also a line that permits every packet of one protocol from any to any
 *   (`permit tcp any any`, `permit udp any any`, `permit esp any any`); a port, ICMP type,
 *   `established` or flag test narrows it, so `permit tcp any any eq 443` is not reported.
 *   Non-initial fragments are ignored when judging "every packet" (an ACE with a port test cannot
 *   match them).
 *
 * ACLs used only to select NAT traffic (`ip nat inside source list ACL`) are skipped: there
 * `permit ip any any` chooses what to translate, it does not let anything through.
 */
import { popcount } from "../model/addr.js";
import { hasPorts, protocolName } from "../model/ports.js";
import type { AddrSet } from "../model/types.js";
import { aclBindings } from "../model/device.js";
import { defineCheck } from "./define.js";

export const check = defineCheck({
  id: "no-any-any-permit",
  needs: ["sets"],
  optionsSchema: {
    type: "object",
    additionalProperties: false,
    properties: {
      protocols: {
        description: '"ip-only" (default): only lines that permit every protocol; "all": also every packet of one protocol (permit tcp any any).',
        enum: ["ip-only", "all"],
      },
    },
  },
  messages: {
    anyAny: "ACL {{acl}} permits {{what}}: every {{which}}packet the lines above do not deny gets through; permit only the sources, destinations and services that are needed",
  },
  run({ device, sets }, options, report) {
    const hs = sets.hs;
    const all = options.protocols === "all";
    const applied = new Set(aclBindings(device).map((b) => b.group.acl));
    const natOnly = new Set(device.natRules.map((r) => r.match.acl).filter((n): n is string => n !== undefined && !applied.has(n)));
    const notFragment = hs.eq("fragment", 0);
    // Is a line's address operand every IPv4 address? Decided without a set when it holds `any`,
    // or when its patterns hold fewer than 2^32 addresses together (an object-group of hosts).
    const everyAddress = (f: "src" | "dst", ws: AddrSet): boolean =>
      ws.some((w) => w.addr === 0 && w.wildcard >>> 0 === 0xffffffff) || (ws.reduce((n, w) => n + 2 ** popcount(w.wildcard), 0) >= 2 ** 32 && hs.addrSet(f, ws) === hs.all);
    for (const acl of device.acls.values()) {
      if (acl.type !== "extended" || natOnly.has(acl.name)) continue;
      for (const ace of acl.entries) {
        if (ace.action !== "permit" || ace.inactive) continue;
        const m = ace.match;
        // the families in which the line is from any to any (IPv4, IPv6 — ASA `any` is both)
        const any4 = everyAddress("src", m.src) && everyAddress("dst", m.dst);
        const any6 = m.src6 !== undefined && m.dst6 !== undefined && hs.addrSet6("src6", m.src6) === hs.all && hs.addrSet6("dst6", m.dst6) === hs.all;
        if (!any4 && !any6) continue;
        const scope = hs.and(notFragment, any4 && any6 ? hs.all : hs.family(any4 ? 4 : 6));
        const set = sets.match(m, ace.action, acl.vendor);
        let protos: Array<number | null> = [];
        if (hs.subset(scope, set)) protos = [null];
        else if (all) {
          for (const t of m.services) {
            if (t.protocol === null || protos.includes(t.protocol)) continue;
            // icmp exists in IPv4 only, and icmp6 (on the ASA) in IPv6 only (src/acl/semantics.ts)
            const own = t.protocol === 1 ? hs.family(4) : t.protocol === 58 && acl.vendor === "asa" ? hs.family(6) : hs.all;
            if (hs.subset(hs.and(hs.protocol(t.protocol), hs.and(scope, own)), set)) protos.push(t.protocol);
          }
        }
        if (protos.length === 0) continue;
        const protocols = protos.map(protocolName);
        const names = protocols.join(" and ");
        const ip = any4 ? "" : "IPv6 ";
        const what = protos[0] === null ? `every ${ip}packet (${any4 ? "ip" : "ipv6"} from any to any)` : `every ${ip}${names} packet from any to any${protos.some(hasPorts) ? " on every port" : ""}`;
        report({ at: ace.source, acl: acl.name, messageId: "anyAny", data: { acl: acl.name, what, which: protos[0] === null ? "" : `${names} ` }, details: { protocols } });
      }
    }
  },
});

