import fs from 'node:fs';
import path from 'node:path';
import { bundleImports } from '../build/k6';
import { k6Own } from '../lib/k6/names';
import { parseDuration } from '../lib/scenario/duration';
import YAML from 'yaml';
import { sendPlan } from '../lib/helpers/send-plan';
import { startFaultServer } from './fault-server';
import { ROOT } from './helpers';
import { allowedGlobals, freeGlobals, K6Sandbox, VirtualClock } from './k6-sandbox';
import { bundle, buildBundles, expected, K6_IMPORTS, NAMES, pingTimers, stagesOf, startServer, until, type Expected } from './k6-bundle-helpers';

/** Every scenario's k6 bundle: what it imports and exports, and one VU of it against a real loopback server. */

/** Scenarios that measure messages (MessageMeter), and those that speak a broker's protocol rather than WebSocket pings. */
const MESSAGING = ['messaging', 'stomp', 'mqtt', 'protobuf', 'graphql-ws'];
const PROTOCOL = ['stomp', 'mqtt', 'graphql-ws'];

beforeAll(buildBundles);

test('`runner build` bundles connect-only, 10k and 50k (and every other scenario) for k6', () => {
  expect(NAMES).toEqual(expect.arrayContaining(['connect-only', '10k', '50k']));
  for (const name of NAMES) expect(fs.existsSync(bundle(name))).toBe(true);
});

/**
 * Globals a bundled package only probes, never needs: protobufjs's util/minimal.js and long's UMD
 * wrapper test them with `typeof` or inside `try` (`arguments` is a function's own, which the
 * static reading cannot tell); the bundle runs on the k6 double (test/k6-double-protocols.test.ts).
 */
const PROBED: Record<string, string[]> = { protobuf: ['WebAssembly', 'arguments', 'define', 'self', 'setTimeout', 'window'] };

describe.each(NAMES)('dist/k6/%s.js', (name) => {
  test('static check: it imports only k6 modules and uses only globals k6 offers', async () => {
    expect(await bundleImports(bundle(name))).toEqual(K6_IMPORTS);
    const code = fs.readFileSync(bundle(name), 'utf8');
    const allowed = new Set([...allowedGlobals(), ...(PROBED[name] ?? [])]);
    expect(freeGlobals(code).filter((g) => !allowed.has(g))).toEqual([]);
    expect(code).toMatch(/\/\/# sourceMappingURL=data:application\/json;base64,/);
  });

  test('exports options: one ramping-vus scenario with the stages, k6 thresholds, metrics declared in init', () => {
    const sb = K6Sandbox.load(bundle(name), { env: { TARGET: 'ws://127.0.0.1:9/ws' } });
    const options = sb.exports.options as Record<string, unknown>;
    const scenario = (options.scenarios as Record<string, Record<string, unknown>>)[name] as Record<string, unknown>;
    expect(Object.keys(options.scenarios as object)).toEqual([name]);
    expect(scenario.executor).toBe('ramping-vus');
    expect(scenario.startVUs).toBe(0);
    expect(scenario.gracefulRampDown).toBe('0s');
    expect(parseDuration(scenario.gracefulStop)).toBe((expected[name] as Expected).drainMs);
    if (['connect-only', '10k', '50k'].includes(name)) expect(scenario.gracefulStop).toBe('15s');
    const ms = (stages: Array<{ duration: string; target: number }>): Array<[number, number]> => stages.map((st) => [parseDuration(st.duration), st.target]);
    expect(ms(scenario.stages as Array<{ duration: string; target: number }>)).toEqual(ms(stagesOf(name)));
    if (['connect-only', '10k', '50k'].includes(name)) {
      // connect latency of the attempts that opened (ws_connect_latency), as on Node: k6's ws_connecting counts failed dials too
      expect(options.thresholds).toEqual({ ws_connect_success: ['rate>=0.99'], ws_connect_latency: ['p(99)<100'], ws_pong_rate: ['rate>=0.99'] });
    }
    // every metric exists before any VU runs (k6 refuses new ones later); k6's own are left to k6
    const names = sb.declared.map((d) => d.name);
    const own = k6Own().map((d) => d.name).filter((n) => n !== 'ws_msg_latency');
    expect(names).toEqual(expect.arrayContaining(own));
    expect(names).not.toEqual(expect.arrayContaining(['ws_connecting']));
    // declared only when the scenario's code reaches lib/helpers/messages.ts (issue 11 point 5)
    if (MESSAGING.includes(name)) expect(sb.declared.find((d) => d.name === 'ws_msg_latency')).toEqual({ name: 'ws_msg_latency', type: 'Trend', isTime: true });
    else expect(names.filter((n) => n === 'ws_msg_latency' || n.startsWith('im_'))).toEqual([]);
  });

  // a protocol's scenario beats in its own frames after its handshake: test/k6-double-stomp.test.ts,
  // test/k6-double-graphql-ws.test.ts and test/k6-double-protocols.test.ts run those against their servers
  (PROTOCOL.includes(name) ? test.skip : test)('a VU opens a socket to TARGET, pings every pingInterval, records the shared metrics, ends clean', async () => {
    const server = await startServer();
    const sb = K6Sandbox.load(bundle(name), { env: { TARGET: server.url } });
    try {
      const endMs = stagesOf(name).reduce((t, st) => t + parseDuration(st.duration), 0);
      const every = (expected[name] as Expected).pingIntervalMs;
      sb.iteration(1);
      expect(sb.sockets).toHaveLength(1);
      expect((sb.sockets[0] as { url: string }).url.startsWith(server.url)).toBe(true);
      await until(() => sb.sockets[0]?.double.readyState === 1 && server.conns.length === 1, 'the socket to open');
      expect(pingTimers(sb, every)).toBe(1);
      const pings = Math.ceil(endMs / every) - 1; // pings at every, 2 every, ... strictly before the end (the end timer comes first)
      for (let k = 1; k <= pings; k++) {
        sb.clock.advance(every);
        await until(() => sb.count('ws_pongs_received') === k, `pong ${k}`);
      }
      sb.clock.advance(endMs - pings * every);
      await until(() => server.conns[0]?.closed !== undefined && sb.sockets[0]?.events.includes('close') === true, 'the close at the end');
      expect(server.conns[0]?.pings).toBe(pings);
      expect(server.conns[0]?.closed).toEqual({ code: 1000, reason: 'run ended' });
      expect(sb.count('ws_connect_attempts')).toBe(1);
      expect(sb.rates('ws_connect_success')).toEqual([true]);
      expect(sb.count('ws_pings_sent')).toBe(pings);
      expect(sb.count('ws_pongs_received')).toBe(pings);
      expect(sb.rates('ws_pong_rate')).toEqual(Array(pings).fill(true));
      expect(sb.count('ws_connect_errors')).toBe(0);
      expect(sb.count('ws_disconnects')).toBe(0);
      // nothing left to keep k6's event loop busy: the iteration ends by itself, 100 ms after the stages (lib/k6/entry.ts)
      sb.clock.advance(100);
      expect(sb.clock.pending).toEqual([]);
      expect(sb.logs.filter((l) => l.startsWith('error'))).toEqual([]);
    } finally {
      sb.destroy();
      await server.close();
    }
  });
});

test('dist/k6/messaging.js: two VUs exchange messages through a real server; acks, deliveries and latencies recorded', async () => {
  if (!NAMES.includes('messaging')) return;
  const server = await startFaultServer({ deliver: {} });
  const clock = new VirtualClock();
  const start = clock.now;
  // one test: one clock, one count of the scenario's iterations (exec.scenario.iterationInTest: the VU index)
  const iterationsInTest = { next: 0 };
  const a = K6Sandbox.load(bundle('messaging'), { env: { TARGET: server.url }, clock, iterationsInTest });
  const b = K6Sandbox.load(bundle('messaging'), { env: { TARGET: server.url }, clock, iterationsInTest });
  try {
    const stages = stagesOf('messaging');
    const endMs = stages.reduce((t, st) => t + parseDuration(st.duration), 0);
    // what each VU sends, from the scenario's own settings (msgRate 1/s, default warmup and drain)
    const { count } = sendPlan(stages, 0, { rate: 1 });
    expect(count).toBeGreaterThan(0);
    a.iteration(1); // user 0, sends to user 1
    clock.advance(30); // the runner's pacing: VU 1 starts 30 ms later in a 30 s ramp to 1000
    b.iteration(2); // user 1, sends to user 2 (nobody here)
    await until(() => a.sockets[0]?.double.readyState === 1 && b.sockets[0]?.double.readyState === 1, 'both open');
    // step one second at a time and let the real acks and deliveries arrive before time moves on
    for (let t = 1000; t < endMs - 1000; t += 1000) {
      clock.advance(1000);
      await until(() => a.trend('im_ack_rtt').length === a.count('im_sent') && b.count('im_delivered') === a.count('im_sent'), `acks at ${t} ms`);
    }
    expect(a.count('im_sent')).toBe(count);
    expect(b.count('im_sent')).toBe(count);
    expect(a.count('im_expected')).toBe(count);
    // virtual time stands still while the real round trips run: VU 0 sends on whole seconds (its phase is 0)
    // and time moves in 1 s steps that end 30 ms later, so every ack and delivery is read 30 ms after its send
    expect(a.trend('im_ack_rtt')).toEqual(Array(count).fill(30));
    expect(b.count('im_delivered')).toBe(count);
    expect(b.trend('ws_msg_latency')).toEqual(Array(count).fill(30));
    expect(a.count('im_ack_timeouts') + b.count('im_ack_timeouts')).toBe(0);
    clock.advance(endMs - (clock.now - start));
    await until(() => a.sockets[0]?.events.includes('close') === true && b.sockets[0]?.events.includes('close') === true, 'both closed');
    expect(server.counts.sends).toBe(2 * count);
    expect([...a.logs, ...b.logs].filter((l) => l.startsWith('error'))).toEqual([]);
  } finally {
    a.destroy();
    b.destroy();
    await server.close();
  }
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- manifests are untyped YAML
type Yaml = Record<string, any>;

test('deploy/k8s/k6-testrun.yaml: a k6 operator TestRun of the 10k bundle from a ConfigMap, with -e TARGET', () => {
  const docs = YAML.parseAllDocuments(fs.readFileSync(path.join(ROOT, 'deploy', 'k8s', 'k6-testrun.yaml'), 'utf8')).map((d) => d.toJSON() as Yaml);
  expect(docs).toHaveLength(1);
  const run = docs[0] as Yaml;
  expect([run.apiVersion, run.kind]).toEqual(['k6.io/v1alpha1', 'TestRun']);
  expect(run.spec.script.configMap).toEqual({ name: 'wsbench-k6-10k', file: '10k.js' });
  expect(fs.existsSync(bundle(path.basename(run.spec.script.configMap.file, '.js')))).toBe(true);
  expect(run.spec.arguments).toMatch(/(^| )-e TARGET=ws:\/\/\S+/);
  expect(run.spec.parallelism).toBeGreaterThanOrEqual(1);
});
