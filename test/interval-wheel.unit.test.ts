import { IntervalWheel } from '../lib/node/interval-wheel';

/**
 * The worker's shared wheel of repeating timers (lib/node/interval-wheel.ts), on Jest's fake
 * clock: every run's times are known exactly, so the test asserts them, not a tolerance. A run
 * keeps its own phase: first at the first slot boundary at or after one interval from its start
 * (slots of 100 ms for 5 s), then exactly one interval apart; a cancelled run never runs again.
 */
let lag = 0; // how late the wheel's timer fires, added to the clock it reads (a worker busy elsewhere)
const clock = (): number => Date.now() + lag;

beforeEach(() => {
  jest.useFakeTimers({ now: 1_000_000 });
  lag = 0;
});
afterEach(() => jest.useRealTimers());

/** Starts `fn` at `at` ms after the fake clock's origin, recording each run's time relative to the origin. */
function runsOf(wheel: IntervalWheel, ms: number, startsAt: number[]): number[][] {
  const times = startsAt.map(() => [] as number[]);
  startsAt.forEach((at, i) => setTimeout(() => wheel.add(() => times[i]?.push(clock() - 1_000_000), ms), at));
  return times;
}

test('each run: first a full interval after its start (rounded up to its 100 ms slot), then every 5 s exactly', () => {
  const wheel = new IntervalWheel(clock);
  const starts = [0, 1, 37, 99, 100, 4_999, 12_345];
  const times = runsOf(wheel, 5_000, starts);
  jest.advanceTimersByTime(30_000);
  starts.forEach((at, i) => {
    const first = Math.ceil((1_000_000 + at + 5_000) / 100) * 100 - 1_000_000;
    const expected = [];
    for (let t = first; t <= 30_000; t += 5_000) expected.push(t);
    expect(times[i]).toEqual(expected);
    expect(first - (at + 5_000)).toBeLessThan(100);
  });
  // 7 starts, 7 distinct phases, one Node timer
  expect(jest.getTimerCount()).toBe(1);
});

test('1 s: slots of 20 ms; 30 s: 100 ms; 20 ms: 1 ms (never more than 1/50 of the interval, 100 ms at most)', () => {
  for (const [ms, width] of [[1_000, 20], [30_000, 100], [20, 1]] as const) {
    const wheel = new IntervalWheel(clock);
    const times = runsOf(wheel, ms, [3]);
    jest.advanceTimersByTime(ms * 3 + 3);
    const first = Math.ceil((1_000_000 + 3 + ms) / width) * width - 1_000_000;
    expect(times[0]).toEqual([first, first + ms, first + 2 * ms].filter((t) => t <= Date.now() - 1_000_000));
    jest.clearAllTimers();
    jest.setSystemTime(1_000_000);
  }
});

test('cancel: a run cancelled by itself, by another run of its slot, or from outside never runs again; the last one stops the timer', () => {
  const wheel = new IntervalWheel(clock);
  const log: string[] = [];
  const a = wheel.add(() => {
    log.push(`a@${clock() - 1_000_000}`);
    a.cancel(); // once only
  }, 1_000);
  const b = wheel.add(() => {
    log.push(`b@${clock() - 1_000_000}`);
    c.cancel(); // same slot, later in it: c never runs
  }, 1_000);
  const c = wheel.add(() => log.push(`c@${clock() - 1_000_000}`), 1_000);
  jest.advanceTimersByTime(1_000);
  expect(log).toEqual(['a@1000', 'b@1000']);
  jest.advanceTimersByTime(1_500);
  expect(log).toEqual(['a@1000', 'b@1000', 'b@2000']);
  b.cancel();
  b.cancel(); // twice: no effect
  expect(jest.getTimerCount()).toBe(0);
  jest.advanceTimersByTime(5_000);
  expect(log).toHaveLength(3);
  // a new run after the wheel emptied starts its own phase
  const times = runsOf(wheel, 1_000, [10]);
  jest.advanceTimersByTime(2_100);
  expect(times[0]).toEqual([8_520, 9_520]);
});

test('a run that starts another from inside its slot: the new one waits its full interval', () => {
  const wheel = new IntervalWheel(clock);
  const inner: number[] = [];
  let started = false;
  wheel.add(() => {
    if (!started) wheel.add(() => inner.push(clock() - 1_000_000), 1_000);
    started = true;
  }, 1_000);
  jest.advanceTimersByTime(3_500);
  expect(inner).toEqual([2_000, 3_000]);
});

test('a late wake-up: each run due meanwhile runs once, and its phase is kept after', () => {
  const wheel = new IntervalWheel(clock);
  const times = runsOf(wheel, 1_000, [0, 500]);
  jest.advanceTimersByTime(1_600); // runs at 1000 and 1500
  lag = 2_700; // the worker was busy: the next wake-up (due at 2000) sees 4700
  jest.advanceTimersByTime(400);
  expect(times).toEqual([[1_000, 4_700], [1_500, 4_700]]);
  jest.advanceTimersByTime(1_000); // clock 5000 → 5700: back on each run's own phase
  expect(times).toEqual([[1_000, 4_700, 5_000], [1_500, 4_700, 5_500]]);
});
