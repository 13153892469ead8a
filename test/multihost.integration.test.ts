/**
 * Generators on separate hosts, for real: network namespaces made here are the hosts, each with its
 * own addresses. Two generator hosts share a bridge with a router host; the server host sits behind
 * the router on another subnet, so every connection crosses a routed path (gen -> bridge -> router ->
 * server). The generators run one segment each with --local-address set to their own interface
 * addresses; the merged summary must match the server's own /stats exactly, and the server must see
 * each connection come from the address the runner assigned to its VU. Needs root (ip netns); the
 * test creates and removes everything it makes, even on failure.
 */
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Summary } from '../lib/results/summary';
import type { ServerStats } from '../server/server';
import { countsOf, exec, probeScenario, unionProbeStats, VUS, waitFor } from './deploy-probe';
import { readSummary, ROOT, tmpDir } from './helpers';

const isRoot = process.getuid?.() === 0;
const hasIp = spawnSync('ip', ['netns', 'list'], { stdio: 'ignore' }).status === 0;
if (!isRoot || !hasIp) console.log(`multihost.integration: skipped: needs root and iproute2 to make network namespaces (root: ${isRoot}, ip netns: ${hasIp})`);
const d = isRoot && hasIp ? describe : describe.skip;

const tag = (process.pid % 0xffff).toString(16).padStart(4, '0');
/** Two /24s of the private range, used only inside the namespaces below. */
const net = 100 + (process.pid % 50) * 2;
const GEN_NET = `10.233.${net}`;
const SRV_NET = `10.233.${net + 1}`;
const SERVER_IP = `${SRV_NET}.1`;
const PORT = 30084;
const ns = { srv: `wsb-${tag}-srv`, rt: `wsb-${tag}-rt`, g0: `wsb-${tag}-g0`, g1: `wsb-${tag}-g1` };
const BRIDGE = `wsb${tag}br`;
/**
 * Each generator host's own addresses: two, as many as there are segments, so that a runner giving
 * VU k the address k % 2 would load only one address per host (each segment's VUs are all odd or all even).
 */
const GEN_ADDRS = [0, 1].map((g) => [1, 2].map((a) => `${GEN_NET}.${(g + 1) * 10 + a}`));

function sh(cmd: string): void {
  const r = spawnSync('/bin/sh', ['-c', cmd], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd}: ${r.stderr.trim()}`);
}

/** veth pair: `outer` stays in the root namespace (or goes to `outerNs`), `inner` goes to `innerNs` as `innerName`. */
function link(outer: string, innerNs: string, innerName: string, outerNs?: string, outerName?: string): void {
  const peer = `${outer}p`;
  sh(`ip link add ${outer} type veth peer name ${peer}`);
  sh(`ip link set ${peer} netns ${innerNs} && ip -n ${innerNs} link set ${peer} name ${innerName} && ip -n ${innerNs} link set ${innerName} up`);
  if (outerNs) sh(`ip link set ${outer} netns ${outerNs} && ip -n ${outerNs} link set ${outer} name ${outerName} && ip -n ${outerNs} link set ${outerName} up`);
  else sh(`ip link set ${outer} up`);
}

function teardown(): void {
  for (const n of Object.values(ns)) spawnSync('ip', ['netns', 'del', n], { stdio: 'ignore' });
  spawnSync('ip', ['link', 'del', BRIDGE], { stdio: 'ignore' });
  for (const h of ['g0', 'g1', 'rt', 'sv']) spawnSync('ip', ['link', 'del', `wsb${tag}${h}`], { stdio: 'ignore' });
}

function setup(): void {
  teardown(); // leftovers of an earlier run of this pid, if any
  for (const n of Object.values(ns)) sh(`ip netns add ${n} && ip -n ${n} link set lo up`);
  sh(`ip link add ${BRIDGE} type bridge && ip link set ${BRIDGE} up`);
  // router: eth0 on the generators' bridge, eth1 straight to the server host
  link(`wsb${tag}rt`, ns.rt, 'eth0');
  sh(`ip link set wsb${tag}rt master ${BRIDGE}`);
  sh(`ip -n ${ns.rt} addr add ${GEN_NET}.254/24 dev eth0`);
  link(`wsb${tag}sv`, ns.srv, 'eth0', ns.rt, 'eth1');
  sh(`ip -n ${ns.rt} addr add ${SRV_NET}.254/24 dev eth1 && ip netns exec ${ns.rt} sysctl -qw net.ipv4.ip_forward=1`);
  sh(`ip -n ${ns.srv} addr add ${SERVER_IP}/24 dev eth0 && ip -n ${ns.srv} route add default via ${SRV_NET}.254`);
  (['g0', 'g1'] as const).forEach((g, i) => {
    link(`wsb${tag}${g}`, ns[g], 'eth0');
    sh(`ip link set wsb${tag}${g} master ${BRIDGE}`);
    for (const a of GEN_ADDRS[i] as string[]) sh(`ip -n ${ns[g]} addr add ${a}/24 dev eth0`);
    sh(`ip -n ${ns[g]} route add default via ${GEN_NET}.254`);
  });
}

/** Established connections to the server, by the client's address, as the server host's kernel sees them. */
function peersOnServer(): Map<string, number> {
  const r = spawnSync('ip', ['netns', 'exec', ns.srv, 'ss', '-Htn', 'state', 'established', `( sport = :${PORT} )`], { encoding: 'utf8' });
  const by = new Map<string, number>();
  for (const line of r.stdout.trim().split('\n').filter(Boolean)) {
    const peer = line.trim().split(/\s+/).pop() as string;
    const ip = peer.slice(0, peer.lastIndexOf(':'));
    by.set(ip, (by.get(ip) ?? 0) + 1);
  }
  return by;
}

/** What the runner assigns: segment g runs VUs k = g, g+2, ...: its j-th VU (j = floor(k / 2)) connects from its host's address j % 2. */
function expectedPeers(): Map<string, number> {
  const by = new Map<string, number>();
  for (let k = 0; k < VUS; k++) {
    const a = (GEN_ADDRS[k % 2] as string[])[Math.floor(k / 2) % 2] as string;
    by.set(a, (by.get(a) ?? 0) + 1);
  }
  return by;
}

d('generators on two network-namespace hosts, the server on a third behind a router', () => {
  const work = tmpDir('wsbench-multihost-');
  const scenario = path.join(work, 'probe.ts');
  let server: ChildProcess | undefined;
  let route = '';
  let peers = new Map<string, number>();
  let segs: Summary[] = [];
  let merged: Summary;
  let stats: ServerStats;

  /** The server's /stats, fetched from generator host 0 over the routed path. */
  const fetchStats = async (): Promise<ServerStats | undefined> => {
    const js = `fetch('http://${SERVER_IP}:${PORT}/stats').then((r) => r.text()).then((t) => process.stdout.write(t))`;
    const r = await exec('ip', ['netns', 'exec', ns.g0, process.execPath, '-e', js], { timeoutMs: 10_000 });
    return r.code === 0 && r.stdout ? (JSON.parse(r.stdout) as ServerStats) : undefined;
  };

  beforeAll(async () => {
    fs.writeFileSync(scenario, probeScenario(8));
    setup();
    route = spawnSync('ip', ['-n', ns.g0, 'route', 'get', SERVER_IP], { encoding: 'utf8' }).stdout;
    server = spawn('ip', ['netns', 'exec', ns.srv, process.execPath, path.join(ROOT, 'bin', 'runner.js'), 'serve', '--host', SERVER_IP, '--port', String(PORT), '--workers', '1'], { stdio: 'ignore' });
    await waitFor(fetchStats, 'the server host\'s /stats');

    const gens = [0, 1].map((g) =>
      exec('ip', [
        'netns', 'exec', ns[g === 0 ? 'g0' : 'g1'], process.execPath, path.join(ROOT, 'bin', 'runner.js'), 'run', scenario,
        '--target', `ws://${SERVER_IP}:${PORT}/ws`, '--segment', `${g}/2`, '--local-address', (GEN_ADDRS[g] as string[]).join(','),
        '--out-dir', path.join(work, `seg-${g}`), '--summary-export', path.join(work, `seg-${g}.json`), '--quiet',
      ], { timeoutMs: 120_000 }),
    );
    // while every VU holds its connection: who the server host sees connected
    peers = await waitFor(async () => {
      const p = peersOnServer();
      return [...p.values()].reduce((a, b) => a + b, 0) === VUS ? p : undefined;
    }, `all ${VUS} connections open on the server host`, 600, 20);
    const done = await Promise.all(gens);
    done.forEach((r, g) => expect([r.code, r.stderr]).toEqual([0, `results: ${path.join(work, `seg-${g}`)}\n`]));
    segs = [0, 1].map((g) => JSON.parse(fs.readFileSync(path.join(work, `seg-${g}.json`), 'utf8')) as Summary);
    stats = (await fetchStats()) as ServerStats;

    const m = await exec(process.execPath, [path.join(ROOT, 'bin', 'runner.js'), 'merge', path.join(work, 'seg-0'), path.join(work, 'seg-1'), '--out', path.join(work, 'merged')]);
    expect(m.code).toBe(0);
    merged = readSummary(path.join(work, 'merged'));
  }, 300_000);

  afterAll(() => {
    if (server?.pid) spawnSync('kill', ['-KILL', String(server.pid)]);
    teardown();
    fs.rmSync(work, { recursive: true, force: true });
  });

  test('the path from a generator host to the server host goes through the router', () => {
    expect(route).toContain(`${SERVER_IP} via ${GEN_NET}.254 dev eth0 src ${(GEN_ADDRS[0] as string[])[0]}`);
  });

  test('the server host saw every connection come from the address assigned to its VU (--local-address)', () => {
    expect(Object.fromEntries([...peers].sort())).toEqual(Object.fromEntries([...expectedPeers()].sort()));
  });

  test('each generator host ran its half; the merged summary equals the server\'s own counts exactly', () => {
    expect(segs.map((s) => s.connections.attempted)).toEqual([VUS / 2, VUS / 2]);
    expect(countsOf(merged)).toEqual({ attempted: VUS, succeeded: VUS, failed: 0, disconnected: 0, connectCount: VUS, probeCount: VUS });
    expect({ accepted: stats.accepted, rejected: stats.rejected, pings: stats.pings }).toEqual({
      accepted: merged.connections.succeeded, rejected: 0, pings: merged.heartbeat.pingsSent,
    });
    expect(merged.heartbeat.pongsReceived).toBe(merged.heartbeat.pingsSent);
    expect(merged.metrics.probe_ms).toEqual(unionProbeStats());
    console.log(`multihost: merged ${JSON.stringify(merged.connections)} heartbeat ${merged.heartbeat.pingsSent}/${merged.heartbeat.pongsReceived} connect p50/p99 ${merged.connectLatencyMs.p50}/${merged.connectLatencyMs.p99} ms; server /stats ${JSON.stringify(stats)}; peers ${JSON.stringify(Object.fromEntries(peers))}`);
  });
});
