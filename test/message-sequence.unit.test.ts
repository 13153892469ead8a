import { SequenceWindow } from '../lib/helpers/sequence';

describe('SequenceWindow: lost, duplicated and out of order per pair, in bounded memory', () => {
  test('known answers', () => {
    const w = new SequenceWindow(64);
    const seen = [0, 1, 2, 2, 5, 4, 4, 3, 0, 6].map((s) => w.arrive('a', s));
    expect(seen).toEqual(['new', 'new', 'new', 'duplicate', 'new', 'reordered', 'duplicate', 'reordered', 'duplicate', 'new']);
    // pairs are independent
    expect(w.arrive('b', 3)).toBe('new');
    expect(w.arrive('b', 0)).toBe('reordered');
    expect(w.pairCount).toBe(2);
    // a forgotten pair's row is reused, clean
    w.forget('a');
    expect(w.arrive('c', 1)).toBe('new');
    expect(w.arrive('c', 0)).toBe('reordered');
    expect(w.arrive('c', 4)).toBe('new');
    expect(w.arrive('c', 2)).toBe('reordered');
    expect(w.pairCount).toBe(2);
  });

  test('grows past its first rows without mixing pairs', () => {
    const w = new SequenceWindow(64);
    for (let p = 0; p < 1000; p++) expect(w.arrive(`p${p}`, p % 7)).toBe('new');
    for (let p = 0; p < 1000; p++) expect(w.arrive(`p${p}`, p % 7)).toBe('duplicate');
    for (let p = 0; p < 1000; p++) expect(w.arrive(`p${p}`, (p % 7) + 1)).toBe('new');
  });

  test('the window slides: older than the window is stale; a jump clears the bits it passes', () => {
    const w = new SequenceWindow(32);
    for (let s = 0; s < 40; s++) expect(w.arrive('p', s)).toBe('new');
    expect(w.arrive('p', 7)).toBe('stale'); // 39 − 7 >= 32
    expect(w.arrive('p', 9)).toBe('duplicate'); // 39 − 9 = 30: still inside
    expect(w.arrive('p', 100)).toBe('new');
    expect(w.arrive('p', 99)).toBe('reordered'); // its bit was cleared by the jump, not left from 35 (99 % 32 === 35 % 32)
    expect(w.arrive('p', 68)).toBe('stale');
  });

  test('exact over a long shuffled stream with duplicates, memory independent of length', () => {
    const w = new SequenceWindow(256);
    let s = 12345;
    const rand = (): number => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const counts = { new: 0, reordered: 0, duplicate: 0, stale: 0 };
    const n = 100_000;
    // each message is overtaken by at most 100 later ones, and every 50th is delivered twice
    const order = Array.from({ length: n }, (_, i) => ({ i, key: i + rand() * 100 }))
      .sort((x, y) => x.key - y.key)
      .map((x) => x.i);
    for (const seq of order) {
      counts[w.arrive('x', seq)]++;
      if (seq % 50 === 0) counts[w.arrive('x', seq)]++;
    }
    expect(counts.new + counts.reordered).toBe(n);
    expect(counts.duplicate).toBe(n / 50);
    expect(counts.stale).toBe(0);
    expect(counts.reordered).toBeGreaterThan(0);
  });

  test('rejects a window that is not a multiple of 32 and negative sequence numbers', () => {
    expect(() => new SequenceWindow(100)).toThrow('SequenceWindow: size must be a multiple of 32 (got 100)');
    expect(() => new SequenceWindow().arrive('a', -1)).toThrow('SequenceWindow: sequence numbers must be whole numbers >= 0 (got -1)');
  });
});
