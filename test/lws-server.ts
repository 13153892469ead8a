import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import { freePort } from './servers/processes';

/**
 * Debian's libwebsockets test server (package libwebsockets-test-server, /usr/bin), which
 * negotiates permessage-deflate on its `lws-status` protocol, run with its info log (-d 15): that
 * log is its own count of what it wrote on the wire (`ssl_capable_write (N)`, the 101 answer first),
 * of the compressed bytes of each frame it read (`using N of raw input`) and of what they inflated
 * to (`pmd test: RX len N`). Stopped by PID.
 */
export const LWS_SERVER = '/usr/bin/libwebsockets-test-server';
export const hasLws = (): boolean => fs.existsSync(LWS_SERVER);

export interface LwsCounts {
  /** Every raw write, in order: the upgrade answer, frames, its echo of the client's close. */
  writes: number[];
  /** Compressed payload bytes of each data frame read. */
  framesIn: number[];
  /** Inflated payload bytes read, summed. */
  inflated: number;
}

export interface LwsServer {
  url: string;
  counts(): LwsCounts;
  stop(): Promise<void>;
}

const sum = (text: string, re: RegExp): number[] => [...text.matchAll(re)].map((m) => Number(m[1]));

export async function startLws(): Promise<LwsServer> {
  const port = await freePort();
  const child: ChildProcess = spawn(LWS_SERVER, [`--port=${port}`, '-d', '15'], { cwd: '/tmp', stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const ready = new Promise<void>((resolve, reject) => {
    const on = (d: Buffer): void => {
      log += String(d);
      if (log.includes(`Creating Vhost 'default' port ${port}`)) resolve();
    };
    child.stdout?.on('data', on);
    child.stderr?.on('data', on);
    child.once('exit', (code) => reject(new Error(`libwebsockets-test-server exited (${code}): ${log.slice(-300)}`)));
  });
  await ready;
  return {
    url: `ws://127.0.0.1:${port}/`,
    counts: () => ({
      writes: sum(log, /ssl_capable_write \((\d+)\) says/g),
      framesIn: sum(log, /using (\d+) of raw input/g),
      inflated: sum(log, /pmd test: RX len (\d+)/g).reduce((a, b) => a + b, 0),
    }),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        process.kill(child.pid as number, 'SIGTERM');
      }),
  };
}
