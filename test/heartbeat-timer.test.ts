import { keepAlive } from '../lib/helpers/heartbeat';
import { hold, ramp, resolveOptions } from '../lib/options/options';
import type { Socket, SocketEvent, VuContext } from '../lib/scenario/types';

/**
 * keepAlive sets a ping timer only for a VU whose first ping can come before the run ends (its
 * planned start + one interval, within a second of the end): a connect-only load whose interval
 * outlasts the run holds no timer per VU. A VU and socket stand-in record the calls.
 */
function vuAt(id: number, pingInterval: string, shared = false): { vu: VuContext; timers: number[]; open: () => void } {
  const options = resolveOptions('t', { stages: [ramp('10s', 10), hold('20s')], pingInterval }, {});
  const listeners: Array<() => void> = [];
  const socket = { addEventListener: (e: SocketEvent, fn: () => void) => (e === 'open' ? listeners.push(fn) : undefined) } as unknown as Socket;
  const timers: number[] = [];
  const vu = {
    id, options, connect: () => socket,
    setInterval: (_fn: () => void, ms: number) => timers.push(ms), clearTimer: () => undefined,
    // the Node engine's shared wheel (lib/node/interval-wheel.ts): keepAlive takes it over setInterval when the engine has it
    ...(shared ? { setSharedInterval: (_fn: () => void, ms: number) => timers.push(-ms), setInterval: () => expect('setInterval').toBe('unused') } : {}),
  } as unknown as VuContext;
  return { vu, timers, open: () => listeners.forEach((f) => f()) };
}

test.each([
  // [vu id (starts at id s), ping interval, timers set once open]
  [0, '5s', 1], // pings at 5, 10, ... s
  [9, '20s', 1], // starts at 9 s, first ping at 29 s < 30 s
  [9, '21s', 1], // 30 s: at the end, within the second the runner may still be closing
  [9, '22s', 0], // 31 s: after the end, never sent
  [0, '120s', 0], // the connect-only bench: the interval outlasts the run
])('VU %i with pings every %s: %i timer(s)', (id, interval, n) => {
  const { vu, timers, open } = vuAt(id, interval);
  keepAlive(vu);
  open();
  expect(timers).toHaveLength(n);
});

test.each([
  [0, '5s', [-5000]],
  [9, '22s', []],
])('with a shared wheel (Node), VU %i with pings every %s: timers %j on it', (id, interval, timers) => {
  const v = vuAt(id, interval, true);
  keepAlive(v.vu);
  v.open();
  expect(v.timers).toEqual(timers);
});
