/**
 * The runner image, run for real (make test-deploy builds it and names it in WSBENCH_IMAGE): the
 * embedded server in one container, two generator containers with --segment 0/2 and 1/2 writing to a
 * bind-mounted results folder, `runner merge` in a container, and an unsplit run to compare with.
 * Containers use the host's network (this machine's dockerd runs without a bridge).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Summary } from '../lib/results/summary';
import type { ServerStats } from '../server/server';
import { countsOf, exec, probeScenario, unionProbeStats, VUS, waitFor } from './deploy-probe';
import { readSummary, ROOT, tmpDir } from './helpers';
import { freePort } from './servers/processes';

const IMAGE = process.env.WSBENCH_IMAGE ?? '';
const ready = IMAGE !== '' && spawnSync('docker', ['image', 'inspect', IMAGE], { stdio: 'ignore' }).status === 0;
if (!ready) console.log(`docker-image.integration: skipped: no image to test (make test-deploy builds one and sets WSBENCH_IMAGE; got "${IMAGE}")`);
const d = ready ? describe : describe.skip;

const docker = (args: string[], timeoutMs = 180_000) => exec('docker', args, { timeoutMs });

d('the runner image (docker, host network)', () => {
  const tag = `wsbench-test-${process.pid}`;
  const results = tmpDir('wsbench-docker-');
  const scenarios = tmpDir('wsbench-docker-scen-');
  let port = 0;
  let statsAfterSegments: ServerStats;
  let statsAfterWhole: ServerStats;
  let segs: Summary[] = [];
  let merged: Summary;
  let whole: Summary;
  let mergeOut = '';

  const stats = async (): Promise<ServerStats> => (await (await fetch(`http://127.0.0.1:${port}/stats`)).json()) as ServerStats;
  /** `runner <args>` in a container as the image's own user, scenarios read-only, results read-write. */
  const runner = (name: string, args: string[]) =>
    docker(['run', '--rm', '--name', `${tag}-${name}`, '--network', 'host', '-v', `${scenarios}:/scenarios:ro`, '-v', `${results}:/results`, IMAGE, ...args]);
  const target = (): string => `ws://127.0.0.1:${port}/ws`;
  const segment = (i: number) =>
    runner(`seg${i}`, ['run', '/scenarios/probe.ts', '--target', target(), '--segment', `${i}/2`, '--out-dir', `/results/seg-${i}`, '--summary-export', `/results/seg-${i}.json`, '--quiet']);

  beforeAll(async () => {
    fs.writeFileSync(path.join(scenarios, 'probe.ts'), probeScenario());
    fs.chmodSync(scenarios, 0o755);
    // the image runs as uid 1000: the bind-mounted results folder must be its to write
    fs.chownSync(results, 1000, 1000);
    port = await freePort();
    const srv = await docker(['run', '-d', '--name', `${tag}-server`, '--network', 'host', IMAGE, 'serve', '--host', '127.0.0.1', '--port', String(port), '--path', '/ws', '--workers', '1']);
    expect(srv.stderr).toBe('');
    await waitFor(() => stats(), 'the server container\'s /stats');

    const runs = await Promise.all([segment(0), segment(1)]);
    runs.forEach((r, i) => expect([r.code, r.stderr]).toEqual([0, `results: /results/seg-${i}\n`]));
    segs = [0, 1].map((i) => JSON.parse(fs.readFileSync(path.join(results, `seg-${i}.json`), 'utf8')) as Summary);
    statsAfterSegments = await stats();

    const m = await runner('merge', ['merge', '/results/seg-0', '/results/seg-1', '--out', '/results/merged']);
    expect([m.code, m.stderr]).toEqual([0, 'merged 2 segments: /results/merged\n']);
    mergeOut = m.stdout;
    merged = readSummary(path.join(results, 'merged'));

    const w = await runner('whole', ['run', '/scenarios/probe.ts', '--target', target(), '--out-dir', '/results/whole', '--quiet']);
    expect([w.code, w.stderr]).toEqual([0, 'results: /results/whole\n']);
    whole = readSummary(path.join(results, 'whole'));
    statsAfterWhole = await stats();
  }, 600_000);

  afterAll(async () => {
    await docker(['rm', '-f', `${tag}-server`, `${tag}-seg0`, `${tag}-seg1`, `${tag}-merge`, `${tag}-whole`]);
    fs.rmSync(results, { recursive: true, force: true });
    fs.rmSync(scenarios, { recursive: true, force: true });
  });

  test('it runs as uid 1000 (not root); runner --version and runner run --help work inside it', async () => {
    const user = await docker(['image', 'inspect', '-f', '{{.Config.User}}', IMAGE]);
    expect(user.stdout.trim()).toBe('1000:1000');
    const id = await docker(['run', '--rm', '--entrypoint', 'id', IMAGE]);
    expect(id.stdout.trim()).toBe('uid=1000(node) gid=1000(node) groups=1000(node)');
    const version = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version as string;
    expect((await docker(['run', '--rm', IMAGE, '--version'])).stdout.trim()).toBe(version);
    const help = await docker(['run', '--rm', IMAGE, 'run', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--segment');
    expect(help.stdout).toContain('--local-address');
  });

  test('each segment container ran half of the VUs, and wrote its results folder to the bind mount', () => {
    expect(segs.map((s) => s.connections.attempted)).toEqual([VUS / 2, VUS / 2]);
    for (const i of [0, 1]) {
      for (const f of ['summary.json', 'timeseries.ndjson', 'report.html', 'raw/totals.json']) expect(fs.existsSync(path.join(results, `seg-${i}`, f))).toBe(true);
    }
  });

  test('the merged counts equal the unsplit run\'s, and every connection succeeded', () => {
    expect(countsOf(merged)).toEqual(countsOf(whole));
    expect(countsOf(merged)).toEqual({ attempted: VUS, succeeded: VUS, failed: 0, disconnected: 0, connectCount: VUS, probeCount: VUS });
    // peak and final are sums over the aligned seconds: at most every VU, and each segment's own add up
    expect(merged.connections.peak).toBeLessThanOrEqual(VUS);
    expect(merged.connections.final).toBe(segs[0]!.connections.final + segs[1]!.connections.final);
    // what the merge container printed is the merged summary, segment hostnames in segments.json
    expect(mergeOut).toContain(String(VUS));
    const seen = JSON.parse(fs.readFileSync(path.join(results, 'merged', 'segments.json'), 'utf8')) as Array<{ segment: string }>;
    expect(seen.map((x) => x.segment)).toEqual(['0/2', '1/2']);
  });

  test('the merged percentiles equal those of the union of all values (and the unsplit run\'s)', () => {
    const union = unionProbeStats();
    expect(merged.metrics.probe_ms).toEqual(union);
    expect(whole.metrics.probe_ms).toEqual(union);
  });

  test('the server container\'s own /stats count exactly what the merged summary says', () => {
    expect(statsAfterSegments).toMatchObject({ accepted: merged.connections.succeeded, rejected: 0, pings: merged.heartbeat.pingsSent });
    expect(statsAfterWhole.accepted - statsAfterSegments.accepted).toBe(whole.connections.succeeded);
    console.log(`docker: merged ${JSON.stringify(merged.connections)} heartbeat ${merged.heartbeat.pingsSent}/${merged.heartbeat.pongsReceived}; server /stats ${JSON.stringify(statsAfterSegments)}`);
  });
});
