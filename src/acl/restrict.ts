/**
 * An ACL restricted to a cube of the header space (a protocol and address / port sets), for the
 * checks that ask a small question of a large ACL — the IPsec checks only care about udp 500/4500
 * and the PAT bands between a few endpoints (RFC 7296 section 2.23, RFC 3947/3948: IKE on udp 500,
 * NAT-T on udp 4500).
 *
 * `restrictAcl` keeps, in order, the lines whose match may intersect the cube — one cheap test per
 * line on its plan (./semantics.ts), no packet set built — and drops the others. Dropped lines
 * match no packet of the cube, so for every packet inside the cube first-match over the
 * restricted ACL gives the same action and (through `lines`) the same deciding line as over the
 * whole ACL. Anything built from the restricted ACL (`AclSets.compile`, per-line set queries) must
 * be intersected with `cubeSet` before it is read as a statement about the whole ACL: outside the
 * cube the restricted ACL means nothing.
 */
import type { HeaderSpace, PSet } from "../headerspace/index.js";
import type { Acl, AddrSet, PortSet, Wildcard } from "../model/types.js";
import { plansOf } from "./evaluate.js";
import type { Conjunction } from "./semantics.js";

/** A cube: every field left out is unconstrained. */
export interface Cube {
  protocol?: number;
  src?: AddrSet;
  dst?: AddrSet;
  srcPort?: PortSet;
  dstPort?: PortSet;
}

export interface RestrictedAcl {
  /** The kept lines as an ACL (same Ace objects, same order, same vendor and name). */
  readonly acl: Acl;
  /** `lines[k]` = index in the original ACL of the restricted ACL's line k. */
  readonly lines: readonly number[];
  readonly cube: Cube;
}

/** Two wildcard patterns share an address (they agree on every bit both of them fix). */
function patternsMeet(a: Wildcard, b: Wildcard): boolean {
  return ((a.addr ^ b.addr) & ~a.wildcard & ~b.wildcard) === 0;
}

const addrsMeet = (a: AddrSet, b: AddrSet): boolean => a.some((x) => b.some((y) => patternsMeet(x, y)));
const portsMeet = (a: PortSet, b: PortSet): boolean => a.some((x) => b.some((y) => x.lo <= y.hi && y.lo <= x.hi));

/** May the conjunction hold for some packet of the cube? (Tests on other fields count as satisfiable.) */
function mayMeet(conj: Conjunction, cube: Cube): boolean {
  for (const t of conj.tests) {
    switch (t.field) {
      case "protocol":
        if (cube.protocol !== undefined && t.value !== cube.protocol) return false;
        break;
      case "src":
      case "dst": {
        const c = cube[t.field];
        if (c !== undefined && !addrsMeet(t.addrs, c)) return false;
        break;
      }
      case "srcPort":
      case "dstPort": {
        const c = cube[t.field];
        if (c !== undefined && !portsMeet(t.ports, c)) return false;
        break;
      }
      default:
        break;
    }
  }
  return true;
}

/** The lines of `acl` that may match a packet of `cube` (inactive lines never do). */
export function restrictAcl(acl: Acl, cube: Cube): RestrictedAcl {
  const plans = plansOf(acl);
  const lines: number[] = [];
  for (let i = 0; i < plans.length; i++) {
    const plan = plans[i];
    if (plan !== undefined && plan.some((c) => mayMeet(c, cube))) lines.push(i);
  }
  const entries = lines.map((i) => acl.entries[i]!);
  return { acl: { ...acl, entries }, lines, cube };
}

/** The cube as a packet set. */
export function cubeSet(hs: HeaderSpace, cube: Cube): PSet {
  let r: PSet = hs.all;
  if (cube.protocol !== undefined) r = hs.and(r, hs.protocol(cube.protocol));
  if (cube.src !== undefined) r = hs.and(r, hs.addrSet("src", cube.src));
  if (cube.dst !== undefined) r = hs.and(r, hs.addrSet("dst", cube.dst));
  if (cube.srcPort !== undefined) r = hs.and(r, hs.portSet("srcPort", cube.srcPort));
  if (cube.dstPort !== undefined) r = hs.and(r, hs.portSet("dstPort", cube.dstPort));
  return r;
}
