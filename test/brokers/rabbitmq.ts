import { ChildProcess, execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../servers/processes';

/**
 * A private RabbitMQ node for the STOMP tests (Debian's rabbitmq-server, its rabbitmq_web_stomp and
 * rabbitmq_management plugins; .ci/run installs it): its own folders, node name, ports and Erlang
 * cookie (HOME) in a temporary folder, on loopback only; the epmd Erlang starts for it listens on a
 * private port (ERL_EPMD_PORT) and is stopped through it. The system service is never touched.
 */
export const RABBITMQ_BIN = '/usr/lib/rabbitmq/bin';
const EPMD = '/usr/bin/epmd';

export function rabbitmqInstalled(): boolean {
  return fs.existsSync(path.join(RABBITMQ_BIN, 'rabbitmq-server')) && fs.existsSync(EPMD);
}

export interface Rabbit {
  /** The web_stomp endpoint, `ws://127.0.0.1:<port>/ws`. */
  url: string;
  /** Sum over the vhost's queues of the management API's message_stats (publish, deliver_get). */
  queueTotals(): Promise<{ published: number; delivered: number; queues: number }>;
  /** GET of the management API (guest:guest), parsed. */
  api<T>(p: string): Promise<T>;
  /** Kills the broker (SIGKILL to its PID: a crash, all its connections drop at once) and resolves once it exited; `stop()` also stops epmd. */
  stopBroker(): Promise<void>;
  stop(): Promise<void>;
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const c = net.connect(port, '127.0.0.1', () => {
      c.destroy();
      resolve(true);
    });
    c.on('error', () => resolve(false));
  });
}

/** Polls `ok` every 100 ms until it holds; rejects after `timeoutMs`. */
async function until(ok: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((r) => child.once('exit', () => r()));
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { env, cwd: env.RABBITMQ_BASE }, (err, stdout, stderr) => (err ? reject(new Error(`${cmd} ${args.join(' ')}: ${stderr || err.message}`)) : resolve(stdout)));
  });
}

/** `wsFrame: 'binary'`: web_stomp sends its frames as binary WebSocket messages (`web_stomp.ws_frame`). */
export async function startRabbit(o: { wsFrame?: 'text' | 'binary' } = {}): Promise<Rabbit> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wsbench-rabbit-'));
  const [amqp, dist, epmdPort, stomp, mgmt] = [await freePort(), await freePort(), await freePort(), await freePort(), await freePort()];
  for (const d of ['base', 'mnesia', 'log', 'home']) fs.mkdirSync(path.join(dir, d));
  fs.writeFileSync(path.join(dir, 'rabbitmq.conf'), [
    `listeners.tcp.default = 127.0.0.1:${amqp}`,
    'stomp.listeners.tcp = none',
    `web_stomp.tcp.port = ${stomp}`,
    'web_stomp.tcp.ip = 127.0.0.1',
    `web_stomp.ws_frame = ${o.wsFrame ?? 'text'}`,
    `management.tcp.port = ${mgmt}`,
    'management.tcp.ip = 127.0.0.1',
    // queue counters every 500 ms instead of 5 s, so that the totals are read soon after a run
    'collect_statistics_interval = 500',
    '',
  ].join('\n'));
  fs.writeFileSync(path.join(dir, 'enabled_plugins'), '[rabbitmq_web_stomp,rabbitmq_management].\n');
  const node = `wsbench${process.pid}@localhost`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOME: path.join(dir, 'home'),
    RABBITMQ_BASE: path.join(dir, 'base'),
    RABBITMQ_MNESIA_BASE: path.join(dir, 'mnesia'),
    RABBITMQ_LOG_BASE: path.join(dir, 'log'),
    RABBITMQ_NODENAME: node,
    RABBITMQ_NODE_IP_ADDRESS: '127.0.0.1',
    RABBITMQ_NODE_PORT: String(amqp),
    RABBITMQ_DIST_PORT: String(dist),
    RABBITMQ_CONFIG_FILE: path.join(dir, 'rabbitmq.conf'),
    RABBITMQ_ENABLED_PLUGINS_FILE: path.join(dir, 'enabled_plugins'),
    RABBITMQ_ADVANCED_CONFIG_FILE: path.join(dir, 'advanced.config'),
    RABBITMQ_CONF_ENV_FILE: path.join(dir, 'rabbitmq-env.conf'),
    RABBITMQ_PID_FILE: path.join(dir, 'pid'),
    RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS: '-kernel inet_dist_use_interface {127,0,0,1}',
    // a crash dump (the VM killed while booting) goes into the node's folder, not the test's working directory
    ERL_CRASH_DUMP: path.join(dir, 'log', 'erl_crash.dump'),
    ERL_EPMD_PORT: String(epmdPort),
    ERL_EPMD_ADDRESS: '127.0.0.1',
  };
  // run in the node's folder: Erlang writes MnesiaCore.* files into its working directory when mnesia is cut off
  const broker = spawn(path.join(RABBITMQ_BIN, 'rabbitmq-server'), [], { env, cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  broker.stdout?.on('data', (d) => (log += d));
  broker.stderr?.on('data', (d) => (log += d));
  const pidFile = path.join(dir, 'pid');
  const stopBroker = async (): Promise<void> => {
    // rabbitmq-server is a shell that runs the Erlang VM as its child: the VM's PID is in the pid file.
    // A private throwaway node: SIGKILL (a crash; SIGTERM's graceful stop takes Erlang seconds)
    const vm = fs.existsSync(pidFile) ? Number(fs.readFileSync(pidFile, 'utf8').trim()) : NaN;
    if (Number.isInteger(vm) && vm > 0) {
      try {
        process.kill(vm, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    if (broker.exitCode === null && broker.signalCode === null) broker.kill('SIGKILL');
    await exited(broker);
  };
  const stop = async (): Promise<void> => {
    await stopBroker();
    // the epmd the node started on its private port (ERL_EPMD_PORT), stopped through that port
    // (it refuses while it still lists the killed node, until it sees that node's connection close)
    await until(async () => !(await listening(epmdPort)) || (await run(EPMD, ['-port', String(epmdPort), '-kill'], env).then(() => true, () => false)), 'epmd to stop');
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    // await_startup waits for the boot once the node is registered with epmd; before that it fails at once
    const ctl = path.join(RABBITMQ_BIN, 'rabbitmqctl');
    let last: unknown;
    await until(async () => {
      if (broker.exitCode !== null) throw new Error(`rabbitmq-server exited with ${broker.exitCode}`);
      return run(ctl, ['-n', node, 'await_startup', '--timeout', '120'], env).then(() => true, (err: unknown) => ((last = err), false));
    }, 'RabbitMQ to boot', 120_000).catch((err: Error) => {
      throw new Error(`${err.message}: ${(last as Error | undefined)?.message ?? ''}`, { cause: err });
    });
  } catch (err) {
    await stop();
    throw new Error(`RabbitMQ did not start: ${(err as Error).message}\n${log.slice(-2000)}`, { cause: err });
  }
  const api = async <T>(p: string): Promise<T> => {
    const res = await fetch(`http://127.0.0.1:${mgmt}/api${p}`, { headers: { authorization: `Basic ${Buffer.from('guest:guest').toString('base64')}` } });
    if (!res.ok) throw new Error(`management API ${p}: HTTP ${res.status}`);
    return (await res.json()) as T;
  };
  type Queue = { message_stats?: { publish?: number; deliver_get?: number } };
  return {
    url: `ws://127.0.0.1:${stomp}/ws`,
    api,
    async queueTotals() {
      const qs = await api<Queue[]>('/queues/%2F');
      let published = 0;
      let delivered = 0;
      for (const q of qs) {
        published += q.message_stats?.publish ?? 0;
        delivered += q.message_stats?.deliver_get ?? 0;
      }
      return { published, delivered, queues: qs.length };
    },
    stopBroker,
    stop,
  };
}

/** Polls `read` (the broker's counters lag by their collection interval) until `done` holds, or gives the last value after `timeoutMs`. */
export async function settle<T>(read: () => Promise<T>, done: (v: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (done(v) || Date.now() > until) return v;
    await new Promise((r) => setTimeout(r, 250));
  }
}
