// The wsbench scenario of bench/k6-cost-heap.sh: bench/k6-cost/hold.ts's load made short (500 VUs
// ramped over 3 s, held 10 s, a protocol ping every 5 s), as the bundle's own stages, so that k6
// runs it as `make bench-k6` runs hold.ts: its own scenario, no --stage.
import { hold, keepAlive, ramp } from 'wsbench';
import type { ScenarioOptions, VuContext } from 'wsbench';

export const options: ScenarioOptions = { stages: [ramp('3s', 500), hold('10s')], pingInterval: '5s' };

export default function (vu: VuContext): void {
  keepAlive(vu);
}
