/**
 * The analyses of one device, each computed at most once whichever checks ask for it: packet
 * sets (one header space and compiled-ACL cache), the NAT setup, and the IPsec simulation per set
 * of simulated ports.
 */
import { HeaderSpace } from "../headerspace/index.js";
import { BddBudgetError } from "../headerspace/bdd.js";
import { AclSets } from "../acl/sets.js";
import type { Device } from "../model/types.js";
import { natSetup, type NatSetup } from "../nat/setup.js";
import { simulateDevice, type DeviceSimulation } from "../sim/device.js";
import { flowsForPorts } from "../sim/sessions.js";
import { parseRemoteNat, remoteClients, remoteNatSimulations, type RemoteNat } from "../sim/remote.js";
import { NO_MEMO, type CheckContext, type PerAcl, type SimulationSettings } from "../checks/define.js";

/**
 * Simulations a caller adds to the device's own (the sessions of a path that other devices
 * translated, `lint --path`); called again with the fixed device when a fix is proven.
 */
export type ExtraSimulations = (device: Device, ports: readonly number[], sets: AclSets) => DeviceSimulation[];

/** The remote NATs of a `remoteNat` setting (checked when the settings are resolved). */
export function remoteNats(ids: readonly string[]): RemoteNat[] {
  return ids.map((id) => {
    const r = parseRemoteNat(id);
    if ("error" in r) throw new Error(`remoteNat: ${r.error}`);
    return r;
  });
}

/** Real source ports simulated unless a check asks for others: IKE and NAT-T. */
export const IPSEC_PORTS: readonly number[] = [500, 4500];

export class DeviceAnalyses implements CheckContext {
  private setsMemo: AclSets | undefined;
  /** The node budget was used up: the packet sets are not used again (an interrupted operation may have left them inconsistent). */
  exhausted: BddBudgetError | undefined;
  private natMemo: NatSetup | undefined;
  private readonly sims = new Map<string, DeviceSimulation[]>();

  constructor(
    readonly device: Device,
    readonly settings: SimulationSettings,
    private readonly extra?: ExtraSimulations,
    /** The BDD node budget of this device's packet sets (`Limits.bddNodes`). */
    readonly bddNodes?: number,
    /** Per-ACL results shared with other versions of the file (see ./acl-memo.ts). */
    readonly perAcl: PerAcl = NO_MEMO,
  ) {}

  get sets(): AclSets {
    if (this.exhausted) throw this.exhausted;
    if (!this.setsMemo) {
      const hs = new HeaderSpace();
      if (this.bddNodes !== undefined) hs.bdd.maxNodes = this.bddNodes;
      this.setsMemo = new AclSets(hs);
    }
    return this.setsMemo;
  }

  get nat(): NatSetup {
    this.natMemo ??= natSetup(this.device, this.settings.profile);
    return this.natMemo;
  }

  simulation = (ports: readonly number[] = IPSEC_PORTS): DeviceSimulation[] => {
    const key = ports.join(",");
    let s = this.sims.get(key);
    if (!s) {
      const { clients, peer, peers, inside, remoteNat, profile } = this.settings;
      s = simulateDevice(this.device, this.nat, {
        clients,
        flows: flowsForPorts(ports),
        sets: this.sets,
        ...(peer !== undefined ? { peer } : {}),
        ...(peers?.length ? { peers } : {}),
        ...(inside?.length ? { inside } : {}),
      });
      if (remoteNat?.length)
        s = [...s, ...remoteNatSimulations(this.device, remoteNats(remoteNat), { clients: remoteClients(clients), flows: flowsForPorts(ports), sets: this.sets, ...(peer !== undefined ? { peer } : {}), ...(profile !== undefined ? { profile } : {}) })];
      if (this.extra) s = [...s, ...this.extra(this.device, ports, this.sets)];
      this.sims.set(key, s);
    }
    return s;
  };
}
