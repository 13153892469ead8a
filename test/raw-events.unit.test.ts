import { EventEmitter } from 'node:events';
import { leanListeners } from '../lib/node/raw-events';

/** The RawWebSocket's fixed-shape listener table (lib/node/raw-events.ts) behaves as an EventEmitter's own. */
test('on, once, emit, listenerCount, removeListener and removeAllListeners as on a plain emitter; no inherited names', () => {
  const e = new EventEmitter();
  leanListeners(e);
  const got: string[] = [];
  const onOpen = (): number => got.push('open');
  e.on('open', onOpen);
  e.once('close', (code: number) => got.push(`close ${code}`));
  e.on('message', () => got.push('m1')).on('message', () => got.push('m2'));
  e.on('custom', () => got.push('custom')); // a name outside the table still works
  expect([e.listenerCount('open'), e.listenerCount('message'), e.listenerCount('pong'), e.listenerCount('toString')]).toEqual([1, 2, 0, 0]);
  expect([e.emit('open'), e.emit('close', 1000), e.emit('close', 1001), e.emit('message'), e.emit('custom'), e.emit('constructor'), e.emit('toString')])
    .toEqual([true, true, false, true, true, false, false]);
  expect(got).toEqual(['open', 'close 1000', 'm1', 'm2', 'custom']);
  e.removeListener('open', onOpen);
  expect(e.emit('open')).toBe(false);
  e.removeAllListeners();
  expect([e.emit('message'), e.emit('custom')]).toEqual([false, false]);
  expect(() => e.emit('error', new Error('boom'))).toThrow('boom'); // no error listener: thrown, as ws's own
});
