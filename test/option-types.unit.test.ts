import path from 'node:path';
import ts from 'typescript';
import { keepAlive, ScenarioOptions, VuContext, VuFunction } from '../lib';
import { messagingSettings, MessagingExtra } from '../lib/helpers';
import { checkModule, resolveOptions } from '../lib/options/options';
import { ramp } from '../lib/scenario/stages';
import { ROOT } from './helpers';

/**
 * The scenario's `extra` type reaches `vu.options.extra` with no cast, for an interface as for a type
 * alias. Type-level: the last test compiles this file with the project's tsconfig (as `npm run
 * typecheck` does): no error, and each `@ts-expect-error` below must be one (else it is unused, an error).
 */

interface Rooms {
  rooms: number;
  topic?: string;
}
type Pace = { rate: number };

const rooms: ScenarioOptions<Rooms> = { stages: [ramp('1s', 4)], extra: { rooms: 2, topic: 'news' } };
const pace: ScenarioOptions<Pace> = { stages: [ramp('1s', 1)], extra: { rate: 3 } };

// @ts-expect-error extra of the wrong shape
const wrongExtra: ScenarioOptions<Rooms> = { stages: [], extra: { rooms: 'two' } };
// @ts-expect-error extra is an object of settings
type NotAnObject = ScenarioOptions<string>;

/** A VU typed by its extra: `rooms` is a number, and every helper takes the context as it is. */
const roomsVu: VuFunction<Rooms> = (vu: VuContext<Rooms>) => {
  const n: number = vu.options.extra.rooms;
  const topic: string | undefined = vu.options.extra.topic;
  // @ts-expect-error no such setting
  void vu.options.extra.room;
  const ws = keepAlive(vu);
  ws.addEventListener('open', () => ws.send(`${topic ?? ''}${vu.id % n}`));
};

/** Without a type, extra holds unknown values: read, not assumed. */
function untyped(vu: VuContext): unknown {
  // @ts-expect-error unknown is not a number
  const n: number = vu.options.extra.rooms;
  return n;
}

/** The messaging helpers read the built-in scenario's typed extra. */
const messagingVu = (vu: VuContext<MessagingExtra>): number => messagingSettings(vu.options.extra).msgRate;

test('typed extra: what the scenario sets is what its VU reads', () => {
  const resolved = resolveOptions('rooms', rooms, {}, 'ws://127.0.0.1:1/ws');
  expect(resolved.extra).toEqual({ rooms: 2, topic: 'news' });
  expect(resolveOptions('pace', pace, { extra: { rate: 5 } }, 'ws://127.0.0.1:1/ws').extra).toEqual({ rate: 5 });
  const { vu } = checkModule({ options: rooms, default: roomsVu }, 'rooms.ts');
  expect(vu).toBe(roomsVu);
  expect(messagingVu({ options: { extra: { msgRate: 4 } } } as VuContext<MessagingExtra>)).toBe(4);
  expect([wrongExtra, untyped].length).toBe(2);
});

test('this file type-checks: what must fail fails, what must pass passes', () => {
  const config = ts.getParsedCommandLineOfConfigFile(path.join(ROOT, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
  const program = ts.createProgram([__filename], config?.options ?? {});
  const errors = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, ' '));
  expect(errors).toEqual([]);
});

export type { NotAnObject };
