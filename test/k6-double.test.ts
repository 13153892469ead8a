import fs from 'node:fs';
import path from 'node:path';
import { tmpDir } from './helpers';
import { runK6 } from './k6-double/executor';

/** The double's executor against hand-written k6 scripts: k6's iteration loop and its two graceful periods. */

function script(body: string, scenario: Record<string, unknown>): string {
  const file = path.join(tmpDir('wsbench-k6-double-'), 'script.js');
  fs.writeFileSync(file, [
    'import { setTimeout } from "k6/timers";',
    'import exec from "k6/execution";',
    'import { Counter } from "k6/metrics";',
    'const started = new Counter("started");',
    'const finished = new Counter("finished");',
    `export const options = { scenarios: { s: ${JSON.stringify({ executor: 'ramping-vus', ...scenario })} } };`,
    `export default function () { started.add(1); ${body} }`,
  ].join('\n'));
  return file;
}

test('default runs again whenever its event loop empties while the VU is active; the last one finishes in gracefulStop', async () => {
  // 1 VU for 3.5 s, each iteration waits 1 s: iterations start at 0, 1, 2, 3 s; the 4th ends at 4 s, inside gracefulStop
  const file = script('setTimeout(() => finished.add(1), 1000);', { startVUs: 1, stages: [{ duration: '3500ms', target: 1 }], gracefulStop: '2s' });
  const r = await runK6(file, { env: {} });
  expect(r.iterations.get(1)).toBe(4);
  expect(r.registry.count('started')).toBe(4);
  expect(r.registry.count('finished')).toBe(4);
  expect(r.interrupted).toBe(0);
});

test('gracefulStop ends, then k6 interrupts: an iteration longer than it never finishes', async () => {
  const file = script('setTimeout(() => finished.add(1), 10000);', { startVUs: 1, stages: [{ duration: '1s', target: 1 }], gracefulStop: '2s' });
  const r = await runK6(file, { env: {} });
  expect(r.registry.count('started')).toBe(1);
  expect(r.registry.count('finished')).toBe(0);
  expect(r.interrupted).toBe(1);
  expect(r.clock.now - r.startMs).toBe(3000);
});

test('ramp-down honours gracefulRampDown: the stopped VU finishes its iteration if it fits, else is interrupted', async () => {
  // 2 VUs, ramp to 1 over 1 s (VU 2 stops at 1 s), hold 10 s; iterations last 3 s
  const stages = [{ duration: '1s', target: 1 }, { duration: '10s', target: 1 }];
  const fits = await runK6(script('setTimeout(() => finished.add(1), 3000);', { startVUs: 2, stages, gracefulRampDown: '5s', gracefulStop: '0s' }), { env: {} });
  expect(fits.iterations.get(2)).toBe(1); // no new iteration after the ramp-down...
  expect(fits.registry.of('finished').filter((s) => s.vu === 2)).toHaveLength(1); // ...but the running one finished
  const cut = await runK6(script('setTimeout(() => finished.add(1), 3000);', { startVUs: 2, stages, gracefulRampDown: '1s', gracefulStop: '0s' }), { env: {} });
  expect(cut.iterations.get(2)).toBe(1);
  expect(cut.registry.of('finished').filter((s) => s.vu === 2)).toHaveLength(0);
});

test('exec.scenario.startTime is whole milliseconds, the init context runs once per VU (plus VU 0 for options)', async () => {
  const file = script('const t = exec.scenario.startTime; setTimeout(() => finished.add(t % 1 === 0 ? 1 : 0), 100);', { startVUs: 3, stages: [{ duration: '150ms', target: 3 }], gracefulStop: '1s' });
  const r = await runK6(file, { env: {} });
  expect(r.realms.map((x) => x.vu)).toEqual([0, 1, 2, 3]);
  expect(r.realms.every((x) => x.declared.map((d) => d.name).join() === 'started,finished')).toBe(true);
  expect(r.registry.count('finished')).toBe(r.registry.count('started'));
  expect(r.startMs % 1).toBeCloseTo(0.6);
});
