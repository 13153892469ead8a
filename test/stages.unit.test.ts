import { formatDuration, parseDuration, tryParseDuration } from '../lib/scenario/duration';
import { hold, planStages, planVuEvents, ramp, totalDurationMs } from '../lib/scenario/stages';

describe('durations', () => {
  test.each([
    ['500ms', 500], ['30s', 30_000], ['1m30s', 90_000], ['2h', 7_200_000], ['1.5s', 1500], ['1h2m3s4ms', 3_723_004],
  ])('%s = %d ms', (text, ms) => expect(parseDuration(text)).toBe(ms));

  test.each(['2x', '', '30', 's', '1m30', '-5s', 'abc'])('%j is not a duration', (text) => {
    expect(tryParseDuration(text)).toBeUndefined();
  });

  test('the error names the field and the accepted form', () => {
    expect(() => parseDuration('2x', 'stages[1].duration')).toThrow('stages[1].duration must be a duration like "30s", "1m30s" or "500ms" (got "2x")');
  });

  test('formats back', () => expect(formatDuration(90_000)).toBe('1m30s'));
});

describe('stage planning and pacing', () => {
  test('a ramp of 10,000 over 30 s starts VUs evenly, 333.3 per second, and reaches the target', () => {
    const stages = planStages([ramp('30s', 10_000), hold('30s')]);
    expect(totalDurationMs(stages)).toBe(60_000);
    const starts = planVuEvents(stages).filter((e) => e.kind === 'start');
    expect(starts).toHaveLength(10_000);
    expect(new Set(starts.map((e) => e.vu)).size).toBe(10_000);
    const gaps = starts.slice(1).map((e, i) => e.atMs - (starts[i] as { atMs: number }).atMs);
    for (const g of gaps) expect(g).toBeCloseTo(3, 9);
    const firstSecond = starts.filter((e) => e.atMs < 1000).length;
    expect(firstSecond).toBe(334); // t = 0, 3, ..., 999
    expect(starts[starts.length - 1]?.atMs).toBeLessThan(30_000);
  });

  test('worker shares are disjoint, cover every VU and pace each share evenly', () => {
    const stages = planStages([ramp('10s', 1000), hold('5s'), ramp('5s', 400)]);
    const all = new Set<number>();
    for (let w = 0; w < 3; w++) {
      const ev = planVuEvents(stages, { segment: { index: 0, count: 1 }, worker: { index: w, count: 3 } });
      const starts = ev.filter((e) => e.kind === 'start');
      expect(Math.abs(starts.length - 1000 / 3)).toBeLessThan(1);
      for (const e of starts) {
        expect(all.has(e.vu)).toBe(false);
        all.add(e.vu);
      }
      const stops = ev.filter((e) => e.kind === 'stop');
      expect(Math.abs(stops.length - 600 / 3)).toBeLessThan(1);
    }
    expect(all.size).toBe(1000);
  });

  test('a ramp down stops the highest VUs first', () => {
    const ev = planVuEvents(planStages([ramp('0s', 4), ramp('4s', 0)]));
    expect(ev.filter((e) => e.kind === 'stop').map((e) => [e.vu, e.atMs])).toEqual([[3, 0], [2, 1000], [1, 2000], [0, 3000]]);
  });

  test('bad stages say what is wrong', () => {
    expect(() => planStages([])).toThrow('options.stages must be a non-empty array');
    expect(() => planStages([ramp('2x', 5)])).toThrow('stages[0].duration must be a duration');
    expect(() => planStages([ramp('1s', -1)])).toThrow('stages[0].target must be a whole number of VUs >= 0 (got -1)');
  });
});
