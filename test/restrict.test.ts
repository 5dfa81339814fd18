/**
 * restrictAcl (src/acl/restrict.ts): inside the cube, the restricted ACL decides every packet as
 * the whole ACL does (same action, same deciding line through `lines`), exactly as sets too; and
 * it does drop the lines that cannot touch the cube.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { evaluateAcl } from "../src/acl/evaluate.js";
import { cubeSet, restrictAcl, type Cube } from "../src/acl/restrict.js";
import { AclSets } from "../src/acl/sets.js";
import { HeaderSpace } from "../src/headerspace/index.js";
import type { Packet } from "../src/model/types.js";
import { Gen, randomAcl, randomPacket, realisticAcl } from "../bench/random.js";

const IKE: Cube = { protocol: 17, dstPort: [{ lo: 500, hi: 500 }, { lo: 4500, hi: 4500 }] };

/** A packet of the cube, near the ACL's values elsewhere. */
function inCube(g: Gen, p: Packet, cube: Cube): Packet {
  const q = { ...p };
  if (cube.protocol !== undefined) q.protocol = cube.protocol;
  if (cube.dstPort !== undefined) q.dstPort = g.pick(cube.dstPort).lo;
  if (cube.srcPort !== undefined) q.srcPort = g.pick(cube.srcPort).hi;
  if (cube.dst !== undefined) q.dst = cube.dst[0]!.addr >>> 0;
  return q;
}

test("inside the cube the restricted ACL decides every packet as the whole ACL does", () => {
  const g = new Gen(14);
  const cubes: Cube[] = [IKE, { protocol: 17, srcPort: [{ lo: 500, hi: 500 }], dst: [{ addr: 0x0a010203, wildcard: 0 }] }, { protocol: 6 }];
  for (let a = 0; a < 40; a++) {
    const acl = randomAcl(g, `R${a}`, 25);
    for (const cube of cubes) {
      const r = restrictAcl(acl, cube);
      assert.ok(r.lines.every((j, k) => r.acl.entries[k] === acl.entries[j]));
      for (let k = 0; k < 40; k++) {
        const p = inCube(g, randomPacket(g, g.pick(acl.entries).match), cube);
        const whole = evaluateAcl(acl, p);
        const part = evaluateAcl(r.acl, p);
        assert.is(part.action, whole.action);
        assert.is(part.index < 0 ? -1 : r.lines[part.index], whole.index);
      }
    }
  }
});

test("as sets: permit ∩ cube is the same; lines that cannot touch the cube are dropped", () => {
  const sets = new AclSets(new HeaderSpace());
  const hs = sets.hs;
  const acl = realisticAcl(7, 300);
  const r = restrictAcl(acl, IKE);
  const cube = cubeSet(hs, IKE);
  assert.is(hs.and(sets.compile(r.acl).permit, cube), hs.and(sets.compile(acl).permit, cube));
  // every dropped line is disjoint from the cube; the kept ones are a small part of the ACL
  const kept = new Set(r.lines);
  acl.entries.forEach((e, i) => {
    if (!kept.has(i) && !e.inactive) assert.ok(hs.disjoint(sets.match(e.match, e.action, "ios"), cube), `line ${i}`);
  });
  assert.ok(r.lines.length < acl.entries.length / 2, `${r.lines.length} of ${acl.entries.length} lines kept`);
});

test.run();
