import { startFaultServer } from './fault-server';
import { runCli, writeScenario } from './helpers';

/**
 * A scenario that throws in a VU: its own error, with its file and line, is printed once; the VU
 * counts as failed (`vus.failed`, and a `scenario error: ...` class); the other VUs and the run go on.
 * Scenario options with a wrong form fail before the run, naming the option and the form.
 */
const opts = "export const options = { stages: [ramp('500ms', 20), hold('1s')] };";

describe('a scenario that throws in a VU', () => {
  test('synchronously in every 5th VU: 4 VUs failed, the other 16 connected', async () => {
    const file = writeScenario(`import { hold, keepAlive, ramp } from 'wsbench';
${opts}
export default function (vu) {
  if (vu.id % 5 === 0) throw new Error('no room for VU ' + (vu.id % 5));
  keepAlive(vu);
}
`, 'throws-in-vu.ts');
    const r = await runCli('runner', ['run', file]);
    const s = r.summary!;
    const cls = `scenario error: no room for VU 0 (${file}:4)`;
    expect(s.vus).toEqual({ started: 20, failed: 4 });
    expect(s.connections).toMatchObject({ attempted: 16, succeeded: 16, failed: 0, final: 16 });
    expect(s.connections.errors).toEqual({ [cls]: 4 });
    expect(r.stderr.split('\n').filter((l) => l === cls)).toHaveLength(1); // printed once, not 4 times
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).toContain(`4  ${cls}  → the scenario threw: fix the error named above`);
  });

  test('errors that differ per VU: the first 20 printed and kept as classes, the rest counted together', async () => {
    const file = writeScenario(`import { hold, ramp } from 'wsbench';
export const options = { stages: [ramp('500ms', 30), hold('500ms')] };
export default function (vu) { throw new Error('VU ' + vu.id + ' has no token'); }
`, 'distinct.ts');
    const r = await runCli('runner', ['run', file, '--workers', '1']);
    const s = r.summary!;
    expect(s.vus).toEqual({ started: 30, failed: 30 });
    const errors = Object.entries(s.connections.errors);
    expect(errors).toHaveLength(21);
    expect(s.connections.errors['scenario error: other messages (only the first 20 distinct ones are printed)']).toBe(10);
    expect(r.stderr.split('\n').filter((l) => l.startsWith('scenario error: VU '))).toHaveLength(20);
  });

  test('in a message listener: each VU counts once as failed, its connection stays open', async () => {
    const server = await startFaultServer({ sendOnOpen: 'hello' });
    try {
      const file = writeScenario(`import { hold, keepAlive, ramp } from 'wsbench';
${opts}
export default function (vu) {
  const s = keepAlive(vu);
  s.addEventListener('message', (e) => { JSON.parse(e.data); });
}
`, 'throws-in-listener.ts');
      const r = await runCli('runner', ['run', file, '--target', server.url]);
      const s = r.summary!;
      expect(s.vus).toEqual({ started: 20, failed: 20 });
      expect(s.connections).toMatchObject({ attempted: 20, succeeded: 20, disconnected: 0, final: 20 });
      const [cls, n] = Object.entries(s.connections.errors)[0] ?? [];
      expect(n).toBe(20);
      expect(cls).toMatch(new RegExp(`^scenario error: Unexpected token .*\\(${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:5\\)$`));
    } finally {
      await server.close();
    }
  });

  test('an async VU function that rejects after connecting', async () => {
    const file = writeScenario(`import { hold, keepAlive, ramp } from 'wsbench';
${opts}
export default async function (vu) {
  keepAlive(vu);
  await new Promise((r) => vu.setTimeout(r, 100));
  if (vu.id < 3) throw new TypeError('late failure');
}
`, 'rejects.ts');
    const r = await runCli('runner', ['run', file]);
    const s = r.summary!;
    expect(s.vus).toEqual({ started: 20, failed: 3 });
    expect(s.connections).toMatchObject({ succeeded: 20, final: 20 });
    expect(s.connections.errors).toEqual({ [`scenario error: late failure (${file}:6)`]: 3 });
  });
});

test('a connection the scenario asks for wrongly is a failed attempt of its own class, not an exception', async () => {
  const file = writeScenario(`import { hold, keepAlive, ramp } from 'wsbench';
${opts}
export default function (vu) {
  keepAlive(vu, vu.id % 2 ? vu.connect(vu.options.target + '#frag') : vu.connect(undefined, { protocols: ['a b'] }));
}
`, 'bad-connect.ts');
  const r = await runCli('runner', ['run', file]);
  const s = r.summary!;
  expect(s.vus).toEqual({ started: 20, failed: 0 });
  expect(s.connections).toMatchObject({
    attempted: 20, succeeded: 0, failed: 20,
    errors: { 'invalid request: The URL contains a fragment identifier': 10, 'invalid request: An invalid or duplicated subprotocol was specified': 10 },
  });
});

