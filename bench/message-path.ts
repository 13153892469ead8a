/**
 * The messaging path's own CPU per message, for direction on a busy machine (bench/history.md,
 * "Messaging cost"): the runner's Executor, NodeVu, NodeSocket, Meter and scenarios/messaging.ts
 * as they run in a worker, over an in-process client that answers each send as the embedded server
 * does (an ack to the sender, a deliver to the peer), in place of `ws`, the kernel and the server.
 * `floor` runs the floor's own code (bench/peers/floor.js: one bucketed timer, sends, acks and
 * deliveries counted by their first letter) over the same client: the difference is wsbench's layer.
 * Prints the process's CPU and the main thread's, per delivered message. Not a benchmark: no sockets.
 *
 *   npx esbuild bench/message-path.ts --bundle --platform=node --packages=external --outfile=bench/.peers/message-path.js
 *   node bench/.peers/message-path.js wsbench|floor [CONNS=500] [SECONDS=10]
 */
import { readFileSync } from 'node:fs';
import { Executor } from '../runner/executor';
import { resolveOptions } from '../lib/options/options';
import { WHOLE } from '../lib/scenario/stages';
import * as scen from '../scenarios/messaging';

const [mode, connsS, secsS] = process.argv.slice(2);
const N = Number(connsS ?? 500);
const SECS = Number(secsS ?? 10);
const byUid = new Map<string, Fake>();
let q: Array<[Fake, Buffer]> = [];
let scheduled = false;
const flush = (): void => {
  scheduled = false;
  const b = q;
  q = [];
  for (const [ws, buf] of b) if (ws.readyState === 1) ws.h.message?.call(ws, buf, false);
};
const push = (ws: Fake, text: string): void => {
  q.push([ws, Buffer.from(text)]);
  if (!scheduled) {
    scheduled = true;
    setImmediate(flush);
  }
};
class Fake {
  readyState = 0;
  bufferedAmount = 0;
  extensions = '';
  protocol = '';
  h: Record<string, (...a: unknown[]) => void> = {};
  constructor(url: string) {
    byUid.set(new URL(url).searchParams.get('uid') as string, this);
    setImmediate(() => {
      this.readyState = 1;
      this.h.open?.call(this);
    });
  }
  on(ev: string, fn: (...a: unknown[]) => void): this {
    this.h[ev] = fn;
    return this;
  }
  send(data: string): void {
    // the server's work, done the same for both modes: id and to read by position
    const toAt = data.indexOf('"to":"') + 6;
    const to = data.slice(toAt, data.indexOf('"', toAt));
    const idAt = data.indexOf('"id":"') + 6;
    const id = data.slice(idAt, data.indexOf('"', idAt));
    const rest = data.slice(data.indexOf(',"ts":'), -1);
    const peer = byUid.get(to);
    if (peer) push(peer, `{"type":"deliver","from":"${this.uid()}","to":"${to}","id":"${id}"${rest}}`);
    push(this, `{"type":"ack","id":"${id}"}`);
  }
  private u: string | undefined;
  uid(): string {
    if (this.u === undefined) for (const [k, v] of byUid) if (v === this) this.u = k;
    return this.u as string;
  }
  ping(): void {}
  close(): void {
    this.end();
  }
  terminate(): void {
    this.end();
  }
  private end(): void {
    if (this.readyState === 3) return;
    this.readyState = 3;
    setImmediate(() => this.h.close?.call(this, 1000, Buffer.alloc(0)));
  }
}

async function wsbench(): Promise<{ sent: number; delivered: number }> {
  const scenarioOptions = { ...scen.options, pingInterval: '600s', extra: { msgSize: 256, msgRate: 10, roomSize: 0 } };
  const options = resolveOptions('messaging', scenarioOptions, { conns: N, ramp: 2000, duration: 2000 + (SECS + 3) * 1000 }, 'ws://fake/ws');
  const ex = new Executor({ options, share: WHOLE, vuFn: scen.default as never, scenarioOptions, localAddresses: [], wsOptions: {} });
  (ex.settings as { client?: unknown }).client = (req: { url: string }) => new Fake(req.url);
  ex.setStart(performance.now());
  let sent = 0;
  let delivered = 0;
  const acc = setInterval(() => {
    const c = ex.meter.second.counters;
    sent += c.get('im_sent') ?? 0;
    delivered += c.get('im_delivered') ?? 0;
    ex.meter.second.reset();
  }, 1000);
  await ex.run();
  clearInterval(acc);
  const c = ex.meter.second.counters;
  return { sent: sent + (c.get('im_sent') ?? 0), delivered: delivered + (c.get('im_delivered') ?? 0) };
}

function sendFrame(to: string, seq: number, size: number): string {
  const start = `{"type":"send","to":"${to}","id":"${seq}","ts":${Math.round(Date.now() * 1000) / 1000},"body":"`;
  return `${start}${'x'.repeat(Math.max(0, size - start.length - 2))}"}`;
}
async function floor(): Promise<{ sent: number; delivered: number }> {
  const socks: Fake[] = [];
  const seqs = new Uint32Array(N);
  const st = { sent: 0, acks: 0, delivered: 0 };
  function onMessage(data: Buffer): void {
    const c = data[9];
    if (c === 0x61) st.acks++;
    else if (c === 0x64) st.delivered++;
  }
  for (let i = 0; i < N; i++) {
    const ws = new Fake(`ws://fake/ws?uid=${i}`);
    ws.on('message', onMessage as never);
    socks.push(ws);
  }
  await new Promise((r) => setTimeout(r, 3000));
  const t0 = performance.now();
  const step = 100 / 20;
  let done = 0;
  await new Promise<void>((resolve) => {
    const iv = setInterval(() => {
      const due = Math.floor((performance.now() - t0) / step);
      while (done < due && done < SECS * 200) {
        const b = done++ % 20;
        for (let i = b; i < N; i += 20) {
          socks[i]!.send(sendFrame(String((i + 1) % N), seqs[i]!++, 256));
          st.sent++;
        }
      }
      if (done >= SECS * 200) {
        clearInterval(iv);
        setTimeout(resolve, 2000);
      }
    }, step);
  });
  for (const s of socks) s.terminate();
  return { sent: st.sent, delivered: st.delivered };
}

const threadTicks = (): number => {
  const f = readFileSync('/proc/thread-self/stat', 'utf8').split(') ')[1]!.split(' ');
  return Number(f[11]) + Number(f[12]);
};
(async () => {
  const c0 = process.cpuUsage();
  const t0 = threadTicks();
  const r = mode === 'floor' ? await floor() : await wsbench();
  const c = process.cpuUsage(c0);
  const cpu = (c.user + c.system) / 1e6;
  const main = (threadTicks() - t0) / 100;
  console.log(JSON.stringify({ mode, ...r, cpuS: +cpu.toFixed(3), mainS: main, mainUs: +((main * 1e6) / r.delivered).toFixed(2), usPerMsg: +((cpu * 1e6) / r.delivered).toFixed(2) }));
  process.exit(0);
})();
