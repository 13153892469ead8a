import { hold, ramp, ScenarioOptions, VuContext } from '../lib';

/**
 * The load of `make bench-compression` (bench/compression.js): each VU sends IM-like JSON text
 * (about 180 bytes, a chat line in it) every 1000/RATE ms, and the echo server sends each back.
 * `compression` is set by the bench's --compression flag, per run; CONNS, RATE and HOLD by the environment.
 */
const RATE = Number(process.env.RATE ?? 20);

export const options: ScenarioOptions = { stages: [ramp('2s', Number(process.env.CONNS ?? 100)), hold(process.env.HOLD ?? '15s')] };

const LINES = ['see you at the standup tomorrow', 'the build is green again', 'can you review my pull request', 'lunch at noon?', 'deploying to staging now'];

export default function (vu: VuContext): void {
  const s = vu.connect();
  let seq = 0;
  s.addEventListener('open', () => {
    vu.setInterval(() => {
      const line = LINES[seq % LINES.length] as string;
      s.send(JSON.stringify({ type: 'send', to: String((vu.id + 1) % 1000), id: String(seq++), ts: vu.wallNow(), body: { text: `${line} ${line}`, lang: 'en', client: 'wsbench-bench/1.0', thread: `t-${vu.id % 17}` } }));
    }, 1000 / RATE);
  });
}
