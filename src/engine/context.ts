/**
 * The analyses of one device, each computed at most once whichever checks ask for it: packet
 * sets (one header space and compiled-ACL cache), the NAT setup, and the IPsec simulation per set
 * of simulated ports.
 */
import { HeaderSpace } from "../headerspace/index.js";
import { AclSets } from "../acl/sets.js";
import type { Device } from "../model/types.js";
import { natSetup, type NatSetup } from "../nat/setup.js";
import { simulateDevice, type DeviceSimulation } from "../sim/device.js";
import { flowsForPorts } from "../sim/sessions.js";
import type { CheckContext, SimulationSettings } from "../checks/define.js";

/** Real source ports simulated unless a check asks for others: IKE and NAT-T. */
export const IPSEC_PORTS: readonly number[] = [500, 4500];

export class DeviceAnalyses implements CheckContext {
  private setsMemo: AclSets | undefined;
  private natMemo: NatSetup | undefined;
  private readonly sims = new Map<string, DeviceSimulation[]>();

  constructor(
    readonly device: Device,
    readonly settings: SimulationSettings,
  ) {}

  get sets(): AclSets {
    this.setsMemo ??= new AclSets(new HeaderSpace());
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
      const { clients, peer, peers, inside } = this.settings;
      s = simulateDevice(this.device, this.nat, {
        clients,
        flows: flowsForPorts(ports),
        sets: this.sets,
        ...(peer !== undefined ? { peer } : {}),
        ...(peers?.length ? { peers } : {}),
        ...(inside?.length ? { inside } : {}),
      });
      this.sims.set(key, s);
    }
    return s;
  };
}
