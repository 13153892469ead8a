import net from 'node:net';
import { WebSocketServer } from 'ws';
import { exposureLine, parseDashboard } from '../runner/dashboard/address';
import { spawnRun } from './dashboard-helpers';
import { badInputLine, CONNECT_ONLY } from './helpers';

const SHORT = [CONNECT_ONLY, '--conns', '2', '--ramp', '0s', '--duration', '1s'];

describe('--dashboard: bad input is one line, exit 1', () => {
  test('a port in use is named', async () => {
    const busy = net.createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', () => r()));
    const port = (busy.address() as net.AddressInfo).port;
    try {
      expect(await badInputLine('runner', ['run', ...SHORT, '--dashboard', `127.0.0.1:${port}`]))
        .toBe(`--dashboard: port ${port} is in use on 127.0.0.1 (another run's dashboard? give a free one: --dashboard 127.0.0.1:PORT)`);
    } finally {
      busy.close();
    }
  });

  test('a host that is not an address of this machine', async () => {
    // 192.0.2.0/24 is TEST-NET-1: documentation only, never a local address
    expect(await badInputLine('wsbench', [...SHORT.slice(1), '--dashboard', '192.0.2.1:5665']))
      .toMatch(/^--dashboard: 192\.0\.2\.1 is not an address of this machine \(its addresses: .*127\.0\.0\.1.*; 0\.0\.0\.0 binds them all\)$/);
  });

  test('malformed address, linger without dashboard', async () => {
    expect(await badInputLine('runner', ['run', ...SHORT, '--dashboard', 'localhost:http']))
      .toBe('--dashboard must be HOST:PORT, e.g. 127.0.0.1:5665, 0.0.0.0:5665 or [::1]:5665 (got "localhost:http")');
    expect(await badInputLine('runner', ['run', ...SHORT, '--dashboard-linger', '5s'])).toBe('--dashboard-linger needs --dashboard');
    expect(await badInputLine('runner', ['run', ...SHORT, '--dashboard', '127.0.0.1:0', '--dashboard-linger', '5x']))
      .toMatch(/^--dashboard-linger /);
  });
});

describe('--dashboard addresses', () => {
  test('forms of HOST:PORT; the bare flag is k6\'s 127.0.0.1:5665', () => {
    expect(parseDashboard('')).toEqual({ host: '127.0.0.1', port: 5665 });
    expect(parseDashboard('0.0.0.0:8080')).toEqual({ host: '0.0.0.0', port: 8080 });
    expect(parseDashboard(':9000')).toEqual({ host: '127.0.0.1', port: 9000 });
    expect(parseDashboard('9000')).toEqual({ host: '127.0.0.1', port: 9000 });
    expect(parseDashboard('[::1]:5665')).toEqual({ host: '::1', port: 5665 });
    expect(() => parseDashboard('h:70000')).toThrow('--dashboard must be HOST:PORT');
  });

  test('a non-loopback bind says who can read it; loopback says nothing', () => {
    expect(exposureLine('127.0.0.1', 5665)).toBeUndefined();
    expect(exposureLine('::1', 5665)).toBeUndefined();
    expect(exposureLine('0.0.0.0', 5665)).toBe('dashboard: http://0.0.0.0:5665/ binds a non-loopback address: anyone who can reach port 5665 of this machine on any of its networks can now read this run\'s live figures, /metrics and /summary.json (no authentication; secrets are redacted)');
    expect(exposureLine('10.1.2.3', 80)).toMatch(/^dashboard: http:\/\/10\.1\.2\.3:80\/ binds a non-loopback address: anyone who can reach 10\.1\.2\.3 port 80 can now read/);
  });
});

describe('--dashboard shows no secret', () => {
  test('userinfo and query tokens of the target reach neither /summary.json, /metrics, the page nor /events', async () => {
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise<void>((r) => wss.once('listening', () => r()));
    const port = (wss.address() as net.AddressInfo).port;
    const target = `ws://alice:pw-s3cr3t@127.0.0.1:${port}/ws?token=tok-s3cr3t&access_token=at-s3cr3t&auth=au-s3cr3t`;
    const run = spawnRun([CONNECT_ONLY, '--target', target, '--conns', '3', '--ramp', '0s', '--duration', '1s', '--dashboard', '127.0.0.1:0', '--dashboard-linger', '60s']);
    try {
      const url = (await run.line(/dashboard: (http:\/\/127\.0\.0\.1:\d+\/) \(live page\)/))[1] as string;
      await run.line(/serving the final state/);
      const summary = await (await fetch(`${url}summary.json`)).text();
      const metrics = await (await fetch(`${url}metrics`)).text();
      const page = await (await fetch(url)).text();
      const ac = new AbortController();
      const events = await fetch(`${url}events`, { signal: ac.signal });
      const reader = events.body!.getReader();
      let sse = '';
      while (!sse.includes('event: final')) sse += new TextDecoder().decode((await reader.read()).value);
      ac.abort();
      expect(JSON.parse(summary).target).toBe(`ws://***@127.0.0.1:${port}/ws?token=***&access_token=***&auth=***`);
      expect(JSON.parse(summary).connections.succeeded).toBe(3);
      expect(sse).toContain(`"target":"ws://***@127.0.0.1:${port}/ws?token=***`);
      for (const text of [summary, metrics, page, sse, run.stderr()]) expect(text).not.toMatch(/s3cr3t|alice/);
    } finally {
      run.proc.kill('SIGINT');
      await run.exited;
      wss.close();
    }
  });
});
