import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';

/** A free TCP port on 127.0.0.1 (the kernel's choice, released at once). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** Resolves once something accepts TCP on the port (the server is up), checked on each refused try; rejects after `timeoutMs`. */
export function listening(port: number, p: ChildProcess, log: () => string, timeoutMs = 15_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = (): void => {
      if (p.exitCode !== null) return reject(new Error(`exited ${p.exitCode}: ${log()}`));
      const s = net.connect(port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        resolve();
      });
      s.once('error', () => {
        s.destroy();
        if (Date.now() > until) reject(new Error(`nothing listens on ${port} after ${timeoutMs} ms: ${log()}`));
        else setTimeout(attempt, 50);
      });
    };
    attempt();
  });
}

/** Starts `cmd`, keeping its stderr for errors; `stop()` ends it by its PID and waits for its exit. */
export function startProcess(cmd: string, args: string[]): { proc: ChildProcess; log: () => string; stop: () => Promise<void> } {
  const proc = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  proc.stderr?.on('data', (d) => (err += d));
  const stop = (): Promise<void> => {
    if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
    return new Promise((r) => {
      proc.once('exit', () => r());
      proc.kill('SIGTERM');
    });
  };
  return { proc, log: () => err, stop };
}

/** The lines of a log file that `match` picks, once there are `n` of them (a server writes them as connections end); the lines found after `timeoutMs` otherwise. */
export async function logLines(file: string, match: RegExp, n: number, timeoutMs = 15_000): Promise<string[]> {
  const read = (): string[] => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter((l) => match.test(l)) : []);
  const until = Date.now() + timeoutMs;
  let lines = read();
  while (lines.length < n && Date.now() < until) {
    await new Promise<void>((r) => {
      const w = fs.watch(file.replace(/[^/]+$/, ''), () => {
        w.close();
        r();
      });
      setTimeout(() => {
        w.close();
        r();
      }, 500);
    });
    lines = read();
  }
  return lines;
}
