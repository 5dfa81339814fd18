/**
 * `natlint lint --path FILE`: every config of the path is linted as usual (its rules, its
 * suppressions, its fixes), with the path's clients and peer, and each device's simulations
 * include the path's sessions that another hop translated: `pat-drops-ipsec` reports the pinned
 * line on whichever device drops them, with the sessions and the NAT that caused it.
 */
import { iosProfile, type PatProfile } from "../nat/profiles.js";
import { natSetup } from "../nat/setup.js";
import { loadPathFile, type LoadedPath } from "../analysis/path-file.js";
import { deviceView } from "../sim/path-device.js";
import { simulatePath } from "../sim/path.js";
import type { PathHop } from "../sim/path-types.js";
import { flowsForPorts } from "../sim/sessions.js";
import type { DeviceSimulation } from "../sim/device.js";
import type { ExtraSimulations } from "./context.js";
import { lintText, type FileOutcome, type PreparedRun } from "./lint-file.js";

/** The NAT nearest before hop `i` (its profile names the translation in findings). */
function upstream(hops: readonly PathHop[], i: number): { profile: PatProfile; label: string } {
  for (let k = i - 1; k >= 0; k--) {
    const h = hops[k]!;
    if (h.kind === "nat") return { profile: h.profile, label: h.label };
    const pat = natSetup(h.device).pats[0];
    if (pat) return { profile: pat.profile, label: `PAT of ${h.device.hostname ?? h.device.file} line ${pat.rule.source.line}` };
  }
  return { profile: iosProfile, label: "NAT before this device" };
}

function pathSims(p: LoadedPath, hopIndexes: readonly number[]): ExtraSimulations {
  return (device, ports, sets) => {
    const out: DeviceSimulation[] = [];
    for (const i of hopIndexes) {
      const hops = p.hops.map((h, k) => (k === i && h.kind === "config" ? { ...h, device } : h));
      const sim = simulatePath({ hops, clients: p.clients, peer: p.peer, flows: flowsForPorts(ports) }, { sets, ...(p.profile !== undefined ? { profile: p.profile } : {}) });
      const u = upstream(hops, i);
      out.push(deviceView(sim, i, u.profile, u.label));
    }
    return out;
  };
}

/** Lint the configs of a path file (see the file comment), in hop order, each file once. */
export function lintPathFiles(prep: PreparedRun, file: string): FileOutcome[] {
  const { spec } = prep;
  const p = loadPathFile(file, {
    cwd: prep.cwd,
    ...(spec.clients !== undefined ? { clients: spec.clients } : {}),
    ...(spec.peer !== undefined ? { peer: spec.peer } : {}),
    ...(spec.profile !== undefined ? { profile: spec.profile } : {}),
  });
  const byFile = new Map<string, { hops: number[]; c: LoadedPath["configs"][number] }>();
  for (const c of p.configs) {
    const g = byFile.get(c.abs);
    if (g) g.hops.push(c.hop);
    else byFile.set(c.abs, { hops: [c.hop], c });
  }
  const out: FileOutcome[] = [];
  for (const { hops, c } of byFile.values()) {
    const { device, text, vendor, vendorReason } = c.parsed;
    out.push(
      lintText(prep, device.file, text, {
        simulation: { clients: p.clients.length, peer: p.peer, ...(p.profile !== undefined ? { profile: p.profile } : {}) },
        sims: pathSims(p, hops),
        ...(vendorReason === "--vendor" ? { vendor } : {}),
      }),
    );
  }
  return out;
}
