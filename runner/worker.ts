import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { loadBundle } from './load-bundle';
import { M } from '../lib/core/metric-names';
import { reportScenarioError } from '../lib/node/vu';
import { checkModule } from '../lib/options/options';
import { setRunClock } from '../lib/core/run-clock';
import { learnSecrets, redactor } from '../lib/core/redact';
import { clientSecrets, tlsClientOptions } from '../lib/node/client-settings';
import { proxyResolver } from '../lib/node/proxy-route';
import { redactWrites } from './redact-streams';
import { Executor } from './executor';
import { busyPct, machineCpuTimes } from './machine';
import type { Diagnostics, FromWorker, ToWorker } from './ipc';
import { parent } from './worker-parent';

/**
 * A worker (a process, or a thread of the runner's process: runner/worker-handle.ts): runs its
 * share of the VUs and streams a snapshot every second of the run's clock. A worker process
 * ignores SIGINT (Ctrl-C reaches the whole process group; a thread sees no signals): the
 * coordinator decides, and tells it to stop, so that nothing measured is lost.
 */
process.setSourceMapsEnabled(true);
process.on('SIGINT', () => undefined);
process.on('SIGTERM', () => undefined);
process.on('disconnect', () => process.exit(0)); // the coordinator is gone: nobody to report to
// a promise the scenario let fail (not awaited by its VU function) is its error, not a reason to die
process.on('unhandledRejection', (err) => {
  executor?.meter.add(M.callbackErrors);
  reportScenarioError(err);
});

const send = (m: FromWorker): void => parent.send(m);

let executor: Executor | undefined;
/**
 * The soak (bench/soak.js) runs workers with --expose-gc and asks for a full collection every few
 * seconds before RSS is sampled, so that RSS after a recovery is the memory kept, not the storm's
 * garbage that V8 collects whenever it likes: a leak check on RSS is then meaningful.
 */
const GC_EVERY_SEC = Number(process.env.WSBENCH_SOAK_GC_EVERY_SEC ?? 0);
let stopping = false;

parent.onMessage((m: ToWorker) => {
  if (m.t === 'load') {
    try {
      load(m);
    } catch (err) {
      fatal(err as Error);
    }
  } else if (m.t === 'go') run(m.startAtWall).catch((err: Error) => fatal(err));
  else if (m.t === 'stop') {
    stopping = true;
    executor?.stop();
  }
});

function fatal(err: Error): void {
  parent.send({ t: 'fatal', message: err.message }, () => process.exit(1));
}

function load(m: Extract<ToWorker, { t: 'load' }>): void {
  learnSecrets(m.options); // a scenario error that quotes a token is printed masked
  redactor.add(clientSecrets(m.client));
  redactWrites(process.stderr);
  const { vu, options } = checkModule(loadBundle(m.bundle, m.options.scenario), m.options.scenario);
  executor = new Executor({
    options: m.options,
    share: m.share,
    vuFn: vu,
    scenarioOptions: options,
    localAddresses: m.localAddresses,
    wsOptions: tlsClientOptions(m.client),
    proxy: proxyResolver(m.client.proxy, m.options.connectTimeoutMs),
  });
  send({ t: 'ready', plannedStarts: executor.plannedStarts, baseRssBytes: residentSetSize(0) });
}

async function run(startAtWall: number): Promise<void> {
  const ex = executor;
  if (!ex) throw new Error('go before load');
  const t0 = performance.now() + (startAtWall - Date.now());
  ex.setStart(t0);

  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  let cpu = parent.cpuUsage();
  let cpuAt = performance.now();
  let machine = machineCpuTimes();
  let maxRss = 0;
  let sec = 0;
  const clock = { sec, recovery: ex.meter.recovery.bind(ex.meter) };
  const sample = (): void => {
    const now = parent.cpuUsage();
    const c = { user: now.user - cpu.user, system: now.system - cpu.system };
    cpu = now;
    // a late tick (busy loop) spans more than a second: divide by the time it really covers
    const spanMs = Math.max(1, performance.now() - cpuAt);
    cpuAt = performance.now();
    if (GC_EVERY_SEC > 0 && sec % GC_EVERY_SEC === 0) (globalThis as { gc?: () => void }).gc?.();
    const rss = residentSetSize(maxRss);
    const machineNow = machineCpuTimes();
    const machinePct = busyPct(machine, machineNow);
    machine = machineNow ?? machine;
    maxRss = Math.max(maxRss, rss);
    const diag: Diagnostics = {
      cpuPct: Math.round((c.user + c.system) / 10 / spanMs),
      machineCpuPct: machinePct,
      loopP99Ms: Math.round(loop.percentile(99) / 1e4) / 100,
      loopMaxMs: Math.round(loop.max / 1e4) / 100,
      rssBytes: rss,
    };
    ex.meter.trend(M.loopDelay, loop.percentile(99) / 1e6);
    loop.reset();
    // each value was recorded once, into this second: the coordinator folds the totals (runner/accounting.ts)
    send({ t: 'tick', sec, interval: ex.meter.second.snapshot(), open: ex.meter.open, peak: ex.meter.peak, diag });
    ex.meter.second.reset();
    sec++;
    clock.sec = sec; // recovery is booked under the second being recorded (lib/core/run-clock.ts)
  };
  // ticks on whole seconds of the run's clock, so that every worker's seconds line up
  let ticker: NodeJS.Timeout | undefined;
  const schedule = (): void => {
    const wait = t0 + (sec + 1) * 1000 - performance.now();
    ticker = setTimeout(() => {
      sample();
      schedule();
    }, Math.max(0, wait));
  };
  await waitUntil(t0);
  setRunClock(clock);
  schedule();
  await ex.run();
  // a schedule that ends on a whole second ends with that second's tick due: report the second as
  // run, before the drain closes anything (the runner's close is immediate, so it would land in it)
  if (ticker && performance.now() >= t0 + (sec + 1) * 1000) {
    clearTimeout(ticker);
    sample();
    schedule();
  }
  await ex.drainAndClose(!stopping);
  if (ticker) clearTimeout(ticker);
  sample();
  const done: FromWorker = {
    t: 'done', open: ex.meter.open, peak: ex.meter.peak,
    final: ex.finalOpen ?? 0, maxRssBytes: maxRss, measuredEndWall: ex.measuredEndWall ?? Date.now(),
  };
  parent.send(done, () => process.exit(0));
}

function waitUntil(t: number): Promise<void> {
  return new Promise((r) => setTimeout(r, Math.max(0, t - performance.now())));
}

/** RSS reads /proc and needs a free file descriptor: when every one is taken (EMFILE), report the last value. */
function residentSetSize(fallback: number): number {
  try {
    return process.memoryUsage.rss();
  } catch {
    return fallback;
  }
}
