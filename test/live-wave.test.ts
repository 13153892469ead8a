import { liveWaveText, LiveWaveTracker } from '../lib/results/live-wave';

/** Live progress follows a wave from its drops until every dropped VU is back. */
test('a wave shows from its drops until all its VUs are back, then disappears', () => {
  const t = new LiveWaveTracker();
  const feed = (sec: number, open: number, disconnects: number, recovered: number) => t.feed({ sec, open, disconnects, recovered });
  expect(feed(0, 2000, 0, 0)).toBeUndefined();
  expect(feed(1, 500, 1500, 0)).toEqual({ atSec: 1, dropped: 1500, recovered: 0 });
  expect(feed(2, 0, 500, 0)).toEqual({ atSec: 1, dropped: 2000, recovered: 0 });
  const w = feed(3, 1500, 0, 1500);
  expect(w).toEqual({ atSec: 1, dropped: 2000, recovered: 1500 });
  expect(liveWaveText(w!)).toBe('wave@1s 2000 dropped, 1500 back (75%)');
  expect(feed(4, 2000, 0, 500)).toBeUndefined();
  expect(feed(5, 2000, 0, 0)).toBeUndefined();
  // 50 drops of 2,000 are no wave
  expect(feed(6, 1950, 50, 0)).toBeUndefined();
});
