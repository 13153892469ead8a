import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { tmpDir } from './helpers';
import { freePort } from './servers/processes';

/**
 * A real mosquitto (Debian's /usr/sbin/mosquitto 2.0) for the MQTT tests: a `websockets` listener
 * and a TCP listener on free loopback ports, a password file made with mosquitto_passwd, $SYS
 * every second; and an observer (mosquitto_sub over TCP) that streams its $SYS counters. Both are
 * stopped by PID.
 */
export const MOSQUITTO = '/usr/sbin/mosquitto';
export const USER = 'wsbench';
export const PASSWORD = 'secret-pw';

export const hasMosquitto = (): boolean => fs.existsSync(MOSQUITTO) && fs.existsSync('/usr/bin/mosquitto_sub');

function exited(p: ChildProcess): Promise<void> {
  return p.exitCode !== null || p.signalCode !== null ? Promise.resolve() : new Promise((r) => p.once('exit', () => r()));
}

/** The observer's view of $SYS: each topic's values in arrival order. */
export class SysTopics {
  readonly values = new Map<string, number[]>();
  private waiters: Array<() => void> = [];

  add(topic: string, value: number): void {
    const list = this.values.get(topic) ?? [];
    list.push(value);
    this.values.set(topic, list);
    for (const w of this.waiters.splice(0)) w();
  }

  last(topic: string): number | undefined {
    return this.values.get(topic)?.at(-1);
  }

  /** The topic's last value once it equals `expected`, else its last value after `timeoutMs` (for the test to show). */
  async settle(topic: string, expected: number, timeoutMs = 15_000): Promise<number | undefined> {
    await this.until(() => this.last(topic) === expected, `${topic} = ${expected}`, timeoutMs).catch(() => undefined);
    return this.last(topic);
  }

  /** Resolves once `ok()` holds, checked on each $SYS message (the broker publishes them every second). */
  until(ok: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`mosquitto $SYS: no ${what} within ${timeoutMs} ms`)), timeoutMs);
      const check = (): void => {
        if (ok()) {
          clearTimeout(timer);
          resolve();
        } else this.waiters.push(check);
      };
      check();
    });
  }
}

export interface Broker {
  /** ws://127.0.0.1:<port>/ of the websockets listener. */
  url: string;
  sys: SysTopics;
  stop(): Promise<void>;
}

/** `anonymous`: clients without a user name are let in too (the seed tool's command passes none). */
export async function startMosquitto(o: { anonymous?: boolean } = {}): Promise<Broker> {
  const dir = tmpDir('wsbench-mosquitto-');
  const [wsPort, tcpPort] = [await freePort(), await freePort()];
  const passwd = path.join(dir, 'passwd');
  execFileSync('mosquitto_passwd', ['-b', '-c', passwd, USER, PASSWORD], { stdio: 'ignore' });
  fs.chmodSync(passwd, 0o600);
  const conf = path.join(dir, 'mosquitto.conf');
  fs.writeFileSync(conf, [
    // as root, mosquitto would switch to the user mosquitto, who cannot read this test's password file
    ...(process.getuid?.() === 0 ? ['user root'] : []),
    'per_listener_settings false', `allow_anonymous ${o.anonymous ? 'true' : 'false'}`, `password_file ${passwd}`, 'sys_interval 1', 'persistence false',
    'log_dest stderr', 'log_type error', 'max_keepalive 65535',
    `listener ${wsPort} 127.0.0.1`, 'protocol websockets', `listener ${tcpPort} 127.0.0.1`, 'protocol mqtt', '',
  ].join('\n'));
  const broker = spawn(MOSQUITTO, ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  broker.stderr?.on('data', (d) => (log += d));
  const sys = new SysTopics();
  // the observer: retries until the TCP listener is up; its own packets are CONNECT and SUBSCRIBE
  let observer: ChildProcess | undefined;
  let stopped = false;
  const observe = (): void => {
    if (stopped) return;
    const o = spawn('mosquitto_sub', ['-h', '127.0.0.1', '-p', String(tcpPort), '-u', USER, '-P', PASSWORD, '-k', '600', '-v',
      '-t', '$SYS/broker/clients/connected', '-t', '$SYS/broker/messages/received', '-t', '$SYS/broker/publish/messages/received'], { stdio: ['ignore', 'pipe', 'ignore'] });
    observer = o;
    let buf = '';
    o.stdout?.on('data', (d) => {
      buf += d;
      const lines = buf.split('\n');
      buf = lines.pop() ?? '';
      for (const line of lines) {
        const [topic, value] = line.split(' ');
        if (topic && value !== undefined) sys.add(topic, Number(value));
      }
    });
    o.once('exit', () => {
      if (!stopped) setTimeout(observe, 100); // the broker was not listening yet
    });
  };
  const stop = async (): Promise<void> => {
    stopped = true;
    if (observer?.pid && observer.exitCode === null) process.kill(observer.pid, 'SIGTERM');
    if (broker.pid && broker.exitCode === null) process.kill(broker.pid, 'SIGTERM');
    await Promise.all([observer ? exited(observer) : undefined, exited(broker)]);
    fs.rmSync(dir, { recursive: true, force: true });
  };
  observe();
  // the observer counts itself once it is in: the broker is up and $SYS flows
  await sys.until(() => sys.last('$SYS/broker/clients/connected') === 1, 'observer connected', 20_000).catch(async (err: Error) => {
    await stop();
    throw new Error(`${err.message} (broker log: ${log.trim()})`);
  });
  return { url: `ws://127.0.0.1:${wsPort}/`, sys, stop };
}
