import { hold, keepAlive, ramp, ScenarioOptions, VuContext } from '../lib';

/** The seed guide's standard test: 10,000 connections, 60 s in all with a 30 s ramp, pings every 30 s. */
export const options: ScenarioOptions = {
  stages: [ramp('30s', 10_000), hold('30s')],
  pingInterval: '30s',
};

export default function (vu: VuContext): void {
  keepAlive(vu);
}
