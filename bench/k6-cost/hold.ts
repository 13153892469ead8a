// The wsbench scenario of `make bench-k6` (bench/k6-cost.sh), built as a k6 bundle: 500 VUs ramped
// over 10 s, held 20 s, a protocol ping every 5 s (the same load as bench/k6-cost/hand-written.js).
import { hold, keepAlive, ramp } from 'wsbench';
import type { ScenarioOptions, VuContext } from 'wsbench';

export const options: ScenarioOptions = { stages: [ramp('10s', 500), hold('20s')], pingInterval: '5s' };

export default function (vu: VuContext): void {
  keepAlive(vu);
}
