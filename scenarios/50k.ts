import { hold, keepAlive, ramp, ScenarioOptions, VuContext } from '../lib';

/** The seed's 50K target: 50,000 connections, 120 s in all with a 90 s ramp, pings every 30 s (3 worker processes). */
export const options: ScenarioOptions = {
  stages: [ramp('90s', 50_000), hold('30s')],
  pingInterval: '30s',
};

export default function (vu: VuContext): void {
  keepAlive(vu);
}
