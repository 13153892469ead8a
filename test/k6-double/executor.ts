import fs from 'node:fs';
import { parseDuration } from '../../lib/scenario/duration';
import { VirtualClock } from './clock';
import type { K6Version } from './modules';
import { VuRealm } from './realm';
import { Registry } from './registry';
import { gracefulSteps, ordered, rawSteps, StageMs } from './steps';
import type { SocketRecord } from './websocket';

/**
 * `k6 run` of a bundle's one ramping-vus scenario, on virtual time with real sockets:
 * - every VU gets its own realm, its init context evaluated before the test starts, plus VU 0
 *   that k6 evaluates to read `options` (js/bundle.go, js/runner.go);
 * - a started VU loops iterations: when one ends (its event loop empty) while the VU is still
 *   active, default runs again (lib/executor/vu_handle.go runLoopsIfPossible);
 * - a ramp-down or the end of the stages stops VUs gracefully (no new iteration; the current one
 *   may finish), and gracefulRampDown / gracefulStop later interrupts what still runs
 *   (lib/executor/ramping_vus.go scheduledVUsHandlerStrategy, maxAllowedVUsHandlerStrategy);
 * - VUs come from a FIFO pool, lowest id first (lib/execution.go GetPlannedVU / ReturnVU).
 */

type HandleState = 'stopped' | 'running' | 'toGracefulStop';

interface RunOptions {
  version?: K6Version;
  env: Record<string, string>;
  /** What `k6 run --stage ...` would make of the script's options. Default: the bundle's options. */
  testOptions?: Record<string, unknown>;
  /** Where in its millisecond the scenario starts (virtual). Default 0.6. */
  startFractionMs?: number;
  /** Extra condition for real I/O to count as settled before virtual time moves on. */
  idle?: (sockets: SocketRecord[]) => boolean;
}

interface ScenarioConfig {
  startVUs?: number;
  stages: Array<{ duration: string; target: number }>;
  gracefulRampDown?: string;
  gracefulStop?: string;
}

export interface K6RunResult {
  registry: Registry;
  sockets: SocketRecord[];
  clock: VirtualClock;
  startMs: number;
  /** Virtual time at which the stages ended. */
  stagesEndMs: number;
  /** Iterations each VU ran (started), by VU id. */
  iterations: Map<number, number>;
  interrupted: number;
  logs: string[];
  realms: VuRealm[];
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function runK6(file: string, o: RunOptions): Promise<K6RunResult> {
  const code = fs.readFileSync(file, 'utf8');
  const clock = new VirtualClock();
  const registry = new Registry();
  const sockets: SocketRecord[] = [];
  const logs: string[] = [];
  const version = o.version ?? '1.6';
  let scenario: { name: string; startMs: number } | undefined;
  let options: unknown;
  let iterationsInTest = 0;
  const base = {
    code, version, env: o.env, clock, registry, logs, sockets, testOptions: () => options, scenario: () => scenario,
    nextIteration: () => iterationsInTest++, testStartMs: clock.now, shared: new Map<string, string[]>(),
  };
  const vu0 = new VuRealm({ ...base, vu: 0 });
  options = o.testOptions ?? vu0.exports.options;
  const scenarios = (options as { scenarios: Record<string, ScenarioConfig> }).scenarios;
  const [name, cfg] = Object.entries(scenarios)[0] as [string, ScenarioConfig];
  const stages: StageMs[] = cfg.stages.map((s) => ({ ms: parseDuration(s.duration), target: s.target }));
  const startVUs = cfg.startVUs ?? 1; // k6: NewRampingVUsConfig, StartVUs default 1
  const rampDownMs = parseDuration(cfg.gracefulRampDown ?? '30s');
  const stopMs = parseDuration(cfg.gracefulStop ?? '30s'); // k6: lib/executor/base_config.go, gracefulStop default 30s
  const raw = rawSteps(startVUs, stages, true);
  const graceful = gracefulSteps(startVUs, stages, rampDownMs, stopMs);
  const maxVUs = Math.max(...graceful.map((s) => s.vus));
  const realms = Array.from({ length: maxVUs }, (_, i) => new VuRealm({ ...base, vu: i + 1 }));
  const pool = [...realms];
  const state: HandleState[] = Array(maxVUs).fill('stopped');
  const held: Array<VuRealm | undefined> = Array(maxVUs).fill(undefined);
  const iterations = new Map<number, number>();
  let interrupted = 0;

  const loop = async (h: number): Promise<void> => {
    const realm = held[h] as VuRealm;
    while (state[h] === 'running') {
      iterations.set(realm.vu, (iterations.get(realm.vu) ?? 0) + 1);
      if ((await realm.iterate()) === 'interrupted') interrupted++;
      // an iteration with nothing asynchronous takes no virtual time: k6 would spin it as fast as it
      // can; the double re-runs it once per event-loop turn so that the schedule still moves on
      await new Promise((r) => setImmediate(r));
    }
    state[h] = 'stopped';
    held[h] = undefined;
    pool.push(realm);
  };
  const start = (h: number): void => {
    if (state[h] === 'toGracefulStop') {
      state[h] = 'running';
      return;
    }
    if (state[h] !== 'stopped') return;
    held[h] = pool.shift();
    state[h] = 'running';
    void loop(h);
  };
  let rawCur = 0;
  let maxCur = 0;
  const onRaw = (pv: number): void => {
    for (; rawCur < pv; rawCur++) start(rawCur);
    for (; pv < rawCur; rawCur--) if (state[rawCur - 1] === 'running') state[rawCur - 1] = 'toGracefulStop';
  };
  const onGraceful = (pv: number): void => {
    for (; pv < maxCur; maxCur--) {
      const h = maxCur - 1;
      if (state[h] !== 'stopped') {
        state[h] = 'toGracefulStop';
        held[h]?.interrupt();
      }
    }
    maxCur = pv;
  };

  // k6's scenario start has ns precision; start mid-millisecond so that scripts must cope with
  // exec.scenario.startTime being whole ms (execution.go) while Date.now() moves on
  clock.now += o.startFractionMs ?? 0.6;
  const startMs = clock.now;
  scenario = { name, startMs };
  for (const e of ordered(raw, graceful)) {
    clock.set(() => (e.kind === 'raw' ? onRaw(e.step.vus) : onGraceful(e.step.vus)), e.step.t, false);
  }
  const settled = async (): Promise<void> => {
    for (let i = 0; i < 4000; i++) {
      await new Promise((r) => setImmediate(r));
      const busy = realms.some((r) => r.realSockets().some((s) => s.readyState === 0 || s.readyState === 2));
      if (!busy && (o.idle?.(sockets) ?? true)) {
        await sleep(2);
        const still = realms.some((r) => r.realSockets().some((s) => s.readyState === 0 || s.readyState === 2));
        if (!still && (o.idle?.(sockets) ?? true)) return;
      }
      if (i % 50 === 49) await sleep(5);
    }
    throw new Error('the double waited too long for real I/O to settle');
  };
  for (;;) {
    await settled();
    if (!clock.step()) break;
  }
  await settled();
  return { registry, sockets, clock, startMs, stagesEndMs: startMs + stages.reduce((t, s) => t + s.ms, 0), iterations, interrupted, logs, realms: [vu0, ...realms] };
}

/** Closes every real socket a run left open (test cleanup). */
export function destroyRun(r: K6RunResult): void {
  for (const realm of r.realms) for (const s of realm.realSockets()) s.terminate();
}
