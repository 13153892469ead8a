import fs from 'node:fs';
import path from 'node:path';
import { tmpDir } from '../helpers';
import { freePort, listening, startProcess } from './processes';

/**
 * A private tinyproxy (Debian's /usr/bin/tinyproxy) on a free loopback port, in the foreground,
 * with its own config and log. Its log has a line per CONNECT request it read
 * (`Request (file descriptor N): CONNECT host:port HTTP/1.1`); `auth` makes it demand Basic
 * credentials (407 without them).
 */
export const TINYPROXY = '/usr/bin/tinyproxy';
export const hasTinyproxy = (): boolean => fs.existsSync(TINYPROXY);

export interface Tinyproxy {
  /** http://127.0.0.1:<port> (no credentials in it). */
  url: string;
  port: number;
  log: string;
  /** The CONNECT requests its log shows, for `authority` (host:port). */
  connects(authority: string): number;
  stop(): Promise<void>;
}

export async function startTinyproxy(o: { auth?: { user: string; password: string } } = {}): Promise<Tinyproxy> {
  const dir = tmpDir('wsbench-tinyproxy-');
  const port = await freePort();
  const log = path.join(dir, 'tinyproxy.log');
  const conf = path.join(dir, 'tinyproxy.conf');
  fs.writeFileSync(conf, [
    `Port ${port}`, 'Listen 127.0.0.1', 'Timeout 120', `LogFile "${log}"`, 'LogLevel Connect', 'MaxClients 1000', 'Allow 127.0.0.1',
    ...(o.auth ? [`BasicAuth ${o.auth.user} ${o.auth.password}`] : []), '',
  ].join('\n'));
  const p = startProcess(TINYPROXY, ['-d', '-c', conf]);
  await listening(port, p.proc, () => `${p.log()} ${fs.existsSync(log) ? fs.readFileSync(log, 'utf8') : ''}`);
  const connects = (authority: string): number => {
    const text = fs.existsSync(log) ? fs.readFileSync(log, 'utf8') : '';
    return text.split('\n').filter((l) => l.includes(`: CONNECT ${authority} HTTP/1.1`)).length;
  };
  return { url: `http://127.0.0.1:${port}`, port, log, connects, stop: p.stop };
}

/** A WebSocket server on `host` (a non-loopback address: the environment's proxies skip loopback) that counts the connections it accepted. */
export async function startLanWsServer(host: string): Promise<{ url: string; authority: string; accepted: () => number; close: () => Promise<void> }> {
  const { WebSocketServer } = await import('ws');
  const wss = new WebSocketServer({ host, port: 0 });
  let accepted = 0;
  wss.on('connection', () => accepted++);
  await new Promise<void>((r) => wss.once('listening', () => r()));
  const authority = `${host}:${(wss.address() as { port: number }).port}`;
  return {
    url: `ws://${authority}/`, authority, accepted: () => accepted,
    close: () => new Promise<void>((r) => {
      for (const c of wss.clients) c.terminate();
      wss.close(() => r());
    }),
  };
}
