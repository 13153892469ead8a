#!/usr/bin/env node
// make bench-compression: the generator's CPU per message without and with permessage-deflate,
// side by side, in one invocation. The same load twice (bench/compression-scenario.ts: CONNS VUs,
// each RATE JSON messages a second of ~180 B for HOLD, echoed), against a `ws` echo server that
// negotiates permessage-deflate when offered (every message compressed), in a process of its own
// whose CPU is not counted. The generator's CPU is the whole runner tree's (its worker processes
// included), from this process's children times in /proc/self/stat around each run.
// Override: CONNS=100 RATE=20 HOLD=15s OUT=bench/results/<stamp>_compression node bench/compression.js
'use strict';
const { fork, spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.join(__dirname, '..');

if (process.argv[2] === 'server') {
  // the echo server (a child of the bench, so its CPU stays out of the runner's)
  const { WebSocketServer } = require('ws');
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: { threshold: 0 } });
  const negotiated = { 'permessage-deflate': 0, none: 0 };
  wss.on('connection', (ws) => {
    negotiated[ws.extensions === 'permessage-deflate' ? 'permessage-deflate' : 'none']++;
    ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
  });
  wss.on('listening', () => process.send({ t: 'listening', port: wss.address().port }));
  process.on('message', (m) => {
    if (m.t === 'stats?') process.send({ t: 'stats', negotiated: { ...negotiated } });
    if (m.t === 'reset') for (const k of Object.keys(negotiated)) negotiated[k] = 0;
  });
  return;
}

const env = (k, d) => process.env[k] || d;
const C = { conns: env('CONNS', '100'), rate: env('RATE', '20'), hold: env('HOLD', '15s') };
const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '_').slice(0, 15);
const OUT = env('OUT', path.join(ROOT, 'bench', 'results', `${stamp}_compression`));
const TICK = 100; // clock ticks per second (getconf CLK_TCK)

/** CPU seconds (user + system) of this process's children that have been waited for. */
function childrenCpu() {
  const stat = fs.readFileSync('/proc/self/stat', 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[13]) + Number(f[14])) / TICK; // cutime, cstime: fields 16 and 17
}

const ask = (child, t) => new Promise((resolve) => {
  const on = (m) => {
    if (m.t !== 'stats') return;
    child.off('message', on);
    resolve(m);
  };
  child.on('message', on);
  child.send({ t });
});

function runOnce(url, compression) {
  const dir = path.join(OUT, compression ? 'on' : 'off');
  fs.mkdirSync(dir, { recursive: true });
  const summaryFile = path.join(dir, 'summary-export.json');
  const args = [path.join(ROOT, 'bin', 'runner.js'), 'run', path.join(ROOT, 'bench', 'compression-scenario.ts'), '--target', url,
    '--workers', '1', '--summary-export', summaryFile, '--out-dir', path.join(dir, 'results'), '--quiet', ...(compression ? ['--compression'] : [])];
  const before = childrenCpu();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env: { ...process.env, CONNS: C.conns, RATE: C.rate, HOLD: C.hold }, stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`runner exited ${code}`));
      resolve({ cpu: childrenCpu() - before, s: JSON.parse(fs.readFileSync(summaryFile, 'utf8')) });
    });
  });
}

async function main() {
  const server = fork(__filename, ['server'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const { port } = await new Promise((r) => server.once('message', r));
  const url = `ws://127.0.0.1:${port}/`;
  const cols = [];
  for (const compression of [false, true]) {
    server.send({ t: 'reset' });
    const r = await runOnce(url, compression);
    const { negotiated } = await ask(server, 'stats?');
    cols.push({ compression, ...r, negotiated });
  }
  process.kill(server.pid, 'SIGTERM');
  const num = (v, d = 0) => (v === null || v === undefined ? 'n/a' : Number(v).toFixed(d));
  const rows = [
    ['Connections opened', (c) => c.s.connections.succeeded],
    ['Server negotiated permessage-deflate', (c) => `${c.negotiated['permessage-deflate']} of ${c.negotiated['permessage-deflate'] + c.negotiated.none}`],
    ['Messages sent / received', (c) => `${c.s.messages.frames.sent} / ${c.s.messages.frames.received}`],
    ['Payload bytes sent / received', (c) => `${c.s.bytes.payloadSent} / ${c.s.bytes.payloadReceived}`],
    ['Wire bytes sent / received', (c) => `${c.s.bytes.wireSent} / ${c.s.bytes.wireReceived}`],
    ['Wire / payload, sent / received', (c) => `${num(c.s.bytes.ratioSent, 3)} / ${num(c.s.bytes.ratioReceived, 3)}`],
    ['Generator CPU (s, runner tree)', (c) => num(c.cpu, 2)],
    ['Generator CPU per message (µs, sent + received)', (c) => num((c.cpu * 1e6) / (c.s.messages.frames.sent + c.s.messages.frames.received), 1)],
  ];
  const lines = [
    `# make bench-compression: ${C.conns} VUs, ${C.rate} msgs/s each, ${C.hold} hold, echoed (${new Date().toISOString()})`,
    '',
    '|  | compression off | compression on |',
    '| --- | --- | --- |',
    ...rows.map(([label, f]) => `| ${label} | ${f(cols[0])} | ${f(cols[1])} |`),
  ];
  const [off, on] = cols;
  const per = (c) => c.cpu / (c.s.messages.frames.sent + c.s.messages.frames.received);
  const msgs = on.s.messages.frames.sent + on.s.messages.frames.received;
  lines.push('', `CPU per message, on / off: ${num(per(on) / per(off), 2)}×; what compression adds, (CPU on − CPU off) / messages: `
    + `${num(((on.cpu - off.cpu) * 1e6) / msgs, 1)} µs per message. Each run's CPU includes the runner's start (bundle, worker) and close.`);
  lines.push(`Results: ${path.relative(ROOT, OUT) || OUT}`);
  fs.writeFileSync(path.join(OUT, 'table.md'), `${lines.join('\n')}\n`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((err) => {
  process.stderr.write(`bench-compression: ${err.message}\n`);
  process.exit(1);
});
