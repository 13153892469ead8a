#!/usr/bin/env node
/**
 * Memory and CPU per connection of the Node engine's socket, measured in one process, free of the
 * scheduling noise of a full run: N VUs each open one socket (lib/node/vu.ts → socket.ts on `ws`)
 * to a bare `ws` server in a child process, then each pings once. Heap and RSS are read after two
 * full GCs, before the connections and after the pongs.
 *
 *   node --expose-gc bench/socket-memory.js [wsbench root, default .] [connections, default 5000] [ws|raw, default raw]
 *
 * HEAP_SNAPSHOT=file writes a heap snapshot with the connections open (bench/heap-by-type.js sums it by type).
 * Give another checkout's root to compare two versions of the engine on the same machine.
 */
const { spawn } = require('node:child_process');
const esbuild = require('esbuild');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(process.argv[2] ?? '.');
const conns = Number(process.argv[3] ?? 5000);
const transport = process.argv[4] ?? 'raw'; // the client (docs/transport.md): raw is the runner's default
if (typeof global.gc !== 'function') {
  console.error('run with node --expose-gc');
  process.exit(1);
}

const entry = `
const { Meter } = require(${JSON.stringify(path.join(root, 'lib/node/meter'))});
const { NodeVu } = require(${JSON.stringify(path.join(root, 'lib/node/vu'))});
const { rawClient } = require(${JSON.stringify(path.join(root, 'lib/node/raw-client'))});
module.exports = { Meter, NodeVu, rawClient };
`;
// the bundle lives under bench/.peers (git-ignored) so that its external packages (ws: leave.ts reads ws's own Sender) resolve from this checkout
fs.mkdirSync(path.join(__dirname, '.peers'), { recursive: true });
const dir = fs.mkdtempSync(path.join(__dirname, '.peers', 'mem-'));
fs.writeFileSync(path.join(dir, 'entry.js'), entry);
esbuild.buildSync({ entryPoints: [path.join(dir, 'entry.js')], bundle: true, platform: 'node', format: 'cjs', outfile: path.join(dir, 'out.js'), logLevel: 'silent', packages: 'external' });
const { Meter, NodeVu, rawClient } = require(path.join(dir, 'out.js'));

const server = spawn(process.execPath, ['-e', `
const { WebSocketServer } = require(${JSON.stringify(require.resolve('ws'))});
const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: false }, () => process.stdout.write(String(wss.address().port) + '\\n'));
`], { stdio: ['ignore', 'pipe', 'inherit'] });

const mem = () => {
  global.gc();
  global.gc();
  const m = process.memoryUsage();
  return { heap: m.heapUsed, ext: m.external + m.arrayBuffers, rss: m.rss };
};
const waitFor = async (pred) => {
  while (!pred()) await new Promise((r) => setTimeout(r, 20));
};

server.stdout.once('data', async (buf) => {
  const target = `ws://127.0.0.1:${String(buf).trim()}/ws`;
  const meter = new Meter();
  const live = new Set();
  const host = {
    meter,
    options: { target, tokens: undefined, headers: undefined, protocols: undefined },
    settings: { connectTimeoutMs: 60000, pongTimeoutMs: 60000, pingType: 'protocol', wsOptions: {}, ...(transport === 'raw' ? { client: rawClient } : {}) },
    localAddressFor: () => undefined,
    socketCreated: (s) => live.add(s),
    socketDone: (s) => live.delete(s),
  };
  const vus = [];
  const before = mem();
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < conns; i++) {
    const vu = new NodeVu(i, host);
    vus.push(vu);
    vu.connect();
    if (i % 200 === 199) await new Promise((r) => setImmediate(r));
  }
  const open = () => (meter.second.counters.get('ws_sessions') ?? 0) + (meter.second.counters.get('ws_connect_errors') ?? 0);
  await waitFor(() => open() >= conns);
  const cpu1 = process.cpuUsage(cpu0);
  const opened = mem();
  if (process.env.HEAP_SNAPSHOT) require('node:v8').writeHeapSnapshot(process.env.HEAP_SNAPSHOT); // what each connection keeps: bench/heap-by-type.js
  for (const s of live) s.ping();
  await waitFor(() => (meter.second.counters.get('ws_pongs_received') ?? 0) >= conns);
  const pinged = mem();
  const kb = (a, b, k) => ((b[k] - a[k]) / conns / 1024).toFixed(2);
  console.log(JSON.stringify({
    root, conns, transport, sessions: meter.second.counters.get('ws_sessions') ?? 0,
    open: { heapKbPerConn: kb(before, opened, 'heap'), externalKbPerConn: kb(before, opened, 'ext'), rssKbPerConn: kb(before, opened, 'rss') },
    afterPing: { heapKbPerConn: kb(before, pinged, 'heap'), externalKbPerConn: kb(before, pinged, 'ext'), rssKbPerConn: kb(before, pinged, 'rss') },
    connectCpuMsPerConn: ((cpu1.user + cpu1.system) / 1000 / conns).toFixed(3),
  }));
  for (const s of live) s.terminate();
  server.kill();
  fs.rmSync(dir, { recursive: true, force: true });
  process.exit(0);
});
