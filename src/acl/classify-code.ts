/**
 * ACL line plans (./semantics.ts `AcePlan`) as flat code for the classifier (./classify.ts): the
 * same tests as the reference evaluator's `planMatches` (./evaluate.ts), in the same order and
 * with the same comparisons, read from one Float64Array instead of test objects of many shapes.
 * Code of a plan: per conjunction its length, then each test as an op and its operands; a plan
 * with a test on IPv6 addresses or ToS has no code (`planCode` false: the classifier asks
 * `planMatches`).
 */
import type { AcePlan } from "./semantics.js";
import type { Packet } from "../model/types.js";

const FAMILY = 0;
const PROTOCOL = 1;
const SRC = 2;
const DST = 3;
const SRC_PORT = 4;
const DST_PORT = 5;
const ICMP_TYPE = 6;
const ICMP_CODE = 7;
const FLAGS_ALL = 8;
const FLAGS_ANY = 9;
const FRAGMENT = 10;

const VALUE_OPS = { family: FAMILY, protocol: PROTOCOL, icmpType: ICMP_TYPE, icmpCode: ICMP_CODE, fragment: FRAGMENT } as const;

/**
 * Appends the code of `plan` to `out`: per conjunction [length, tests…], a test
 * [op, value] (family, protocol, ICMP type and code, fragment), [op, n, (wildcard, addr) × n]
 * (src, dst), [op, n, (lo, hi) × n] (ports), [op, set, clear] (TCP flags). False (and `out` part
 * written) when a test has no code.
 */
export function planCode(plan: AcePlan, out: number[]): boolean {
  for (const c of plan) {
    const at = out.length;
    out.push(0);
    for (const t of c.tests) {
      switch (t.field) {
        case "family":
        case "protocol":
        case "icmpType":
        case "icmpCode":
        case "fragment":
          out.push(VALUE_OPS[t.field], t.value);
          break;
        case "src":
        case "dst":
          if (!Array.isArray(t.addrs)) return false;
          out.push(t.field === "src" ? SRC : DST, t.addrs.length);
          for (const w of t.addrs) out.push(w.wildcard, w.addr);
          break;
        case "srcPort":
        case "dstPort":
          if (!Array.isArray(t.ports)) return false;
          out.push(t.field === "srcPort" ? SRC_PORT : DST_PORT, t.ports.length);
          for (const r of t.ports) out.push(r.lo, r.hi);
          break;
        case "tcpFlags":
          out.push(t.flags.any ? FLAGS_ANY : FLAGS_ALL, t.flags.set, t.flags.clear);
          break;
        default:
          return false;
      }
    }
    out[at] = out.length - at - 1;
  }
  return true;
}

/** Does the plan whose code is `code[from, to)` match the packet (`planMatches`)? */
export function runCode(code: Float64Array, from: number, to: number, p: Packet): boolean {
  let pc = from;
  while (pc < to) {
    const next = pc + 1 + code[pc]!;
    pc++;
    let ok = true;
    while (ok && pc < next) {
      const op = code[pc]!;
      switch (op) {
        case FAMILY:
          ok = (p.v6 ? 1 : 0) === code[pc + 1];
          pc += 2;
          break;
        case PROTOCOL:
          ok = p.protocol === code[pc + 1];
          pc += 2;
          break;
        case SRC:
        case DST: {
          const ip = op === SRC ? p.src : p.dst;
          const e = pc + 2 + 2 * code[pc + 1]!;
          ok = false;
          for (let q = pc + 2; q < e; q += 2)
            if (((ip & ~code[q]!) >>> 0) === code[q + 1]) {
              ok = true;
              break;
            }
          pc = e;
          break;
        }
        case SRC_PORT:
        case DST_PORT: {
          const port = op === SRC_PORT ? p.srcPort : p.dstPort;
          const e = pc + 2 + 2 * code[pc + 1]!;
          ok = false;
          for (let q = pc + 2; q < e; q += 2)
            if (port >= code[q]! && port <= code[q + 1]!) {
              ok = true;
              break;
            }
          pc = e;
          break;
        }
        case ICMP_TYPE:
          ok = p.icmpType === code[pc + 1];
          pc += 2;
          break;
        case ICMP_CODE:
          ok = p.icmpCode === code[pc + 1];
          pc += 2;
          break;
        case FLAGS_ALL: {
          const set = code[pc + 1]!;
          ok = (p.tcpFlags & set) === set && (p.tcpFlags & code[pc + 2]!) === 0;
          pc += 3;
          break;
        }
        case FLAGS_ANY:
          ok = (p.tcpFlags & code[pc + 1]!) !== 0 || (~p.tcpFlags & code[pc + 2]!) !== 0;
          pc += 3;
          break;
        default:
          ok = (p.fragment ? 1 : 0) === code[pc + 1];
          pc += 2;
      }
    }
    if (ok) return true;
    pc = next;
  }
  return false;
}

/** A wildcard whose matches are exactly its hull (a prefix: contiguous, no address bit under the wildcard). */
function prefixLike(w: { addr: number; wildcard: number }): boolean {
  const { addr, wildcard } = w;
  return addr >>> 0 === addr && wildcard >>> 0 === wildcard && ((wildcard + 1) & wildcard) === 0 && (addr & wildcard) === 0;
}

/**
 * Does the classifier's index decide the plan exactly, for an IPv4 packet whose indexed fields
 * are whole numbers in range: one conjunction of tests only on the IPv4 family, the protocol,
 * one prefix-like wildcard each address, one destination port set, the fragment bit (the
 * destination port is indexed per fragment bit)? Then a packet that is a candidate for the line
 * matches it.
 */
export function planExact(plan: AcePlan): boolean {
  if (plan.length !== 1) return false;
  const seen = new Set<string>();
  for (const t of plan[0]!.tests) {
    if (seen.has(t.field)) return false;
    seen.add(t.field);
    if (t.field === "family") {
      if (t.value !== 0) return false;
    } else if (t.field === "src" || t.field === "dst") {
      if (!Array.isArray(t.addrs) || t.addrs.length !== 1 || !prefixLike(t.addrs[0]!)) return false;
    } else if (t.field === "dstPort") {
      if (!Array.isArray(t.ports) || !t.ports.every((r) => Number.isInteger(r.lo) && Number.isInteger(r.hi))) return false;
    } else if (t.field !== "protocol" && t.field !== "fragment") return false;
  }
  return seen.has("family");
}
