/**
 * deploy/scripts/collect.sh with the real kubectl, against an API server that answers from recorded
 * responses (test/k8s/fake-apiserver.ts): every section of its k8s/ folder (pods, descriptions, logs
 * and a restarted pod's previous log, deployments, HPA, events, kubectl top) is filled from the API.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { FakeApiServer, logLine, PODS, startFakeApiServer } from './k8s/fake-apiserver';
import { ROOT, tmpDir } from './helpers';

const SCRIPT = path.join(ROOT, 'deploy', 'scripts', 'collect.sh');
const hasKubectl = spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' }).status === 0;
if (!hasKubectl) console.log('collect-apiserver: skipped: no kubectl on this machine');
const d = hasKubectl ? describe : describe.skip;

d('collect.sh with kubectl against a recorded API server', () => {
  let api: FakeApiServer;
  let out = '';
  let code: number | null = null;
  let stdout = '';
  const read = (...p: string[]): string => fs.readFileSync(path.join(out, 'k8s', ...p), 'utf8');

  beforeAll(async () => {
    api = await startFakeApiServer();
    const home = tmpDir('wsbench-kube-');
    const kubeconfig = path.join(home, 'config');
    fs.writeFileSync(kubeconfig, [
      'apiVersion: v1', 'kind: Config', 'current-context: fake',
      `clusters: [{name: fake, cluster: {server: "${api.url}"}}]`, 'users: [{name: fake, user: {}}]',
      'contexts: [{name: fake, context: {cluster: fake, user: fake}}]', '',
    ].join('\n'));
    out = path.join(tmpDir(), 'collected');
    // the server lives in this process: the script must run asynchronously
    const child = spawn('/bin/bash', [SCRIPT, 'wsbench', out], { env: { ...process.env, KUBECONFIG: kubeconfig, HOME: home } });
    child.stdout.on('data', (b) => (stdout += b));
    code = await new Promise((resolve) => child.on('close', resolve));
  }, 120_000);
  afterAll(() => api?.close());

  test('it exits 0, says where, and notes no kubectl failure', () => {
    expect(code).toBe(0);
    expect(stdout).toBe(`collected into ${out}\n`);
    expect(fs.readFileSync(path.join(out, 'NOTES.txt'), 'utf8')).not.toMatch(/kubectl|failed/);
    expect(fs.existsSync(path.join(out, 'kubectl-error.txt'))).toBe(false);
  });

  test('pods: both listed with their state; descriptions hold each pod and its events', () => {
    const pods = read('pods.txt');
    for (const p of PODS) expect(pods).toMatch(new RegExp(`^${p}\\s+1/1\\s+Running\\s+`, 'm'));
    expect(pods).toMatch(new RegExp(`^${PODS[1]}\\s+1/1\\s+Running\\s+1 `, 'm'));
    const described = read('pods-describe.txt');
    for (const p of PODS) expect(described).toMatch(new RegExp(`^Name:\\s+${p}$`, 'm'));
    expect(described).toContain('Back-off restarting failed container runner');
    expect(read('deployments.txt')).toMatch(/delivery-service[\s\S]*wsbench-segments[\s\S]*wsbench-results/);
  });

  test('logs: every pod\'s current log, and the previous log of the pod that restarted only', () => {
    for (const p of PODS) expect(read('logs', `${p}.log`)).toBe(logLine(p, false));
    expect(read('logs', `${PODS[1]}.previous.log`)).toBe(logLine(PODS[1] as string, true));
    expect(fs.existsSync(path.join(out, 'k8s', 'logs', `${PODS[0]}.previous.log`))).toBe(false);
  });

  test('HPA, events (by last time), kubectl top of pods and nodes', () => {
    expect(read('hpa.txt')).toMatch(/^delivery-service\s+Deployment\/delivery-service\s+cpu: 91%\/70%\s+2\s+8\s+3\s+/m);
    expect(read('hpa-describe.txt')).toContain('New size: 4; reason: cpu resource utilization (percentage of request) above target');
    const events = read('events.txt');
    expect(events.indexOf('BackOff')).toBeGreaterThan(0);
    expect(events.indexOf('SuccessfulRescale')).toBeGreaterThan(events.indexOf('BackOff'));
    expect(read('top-pods.txt')).toMatch(new RegExp(`^${PODS[0]}\\s+912m\\s+301Mi`, 'm'));
    expect(read('top-nodes.txt')).toMatch(/^node-1\s+1734m\s+43%\s+2871Mi\s+35%/m);
  });

  test('each section was read from the API', () => {
    const asked = new Set(api.requests.map((r) => r.split('?')[0]));
    for (const p of [
      'GET /api/v1/namespaces/wsbench', 'GET /api/v1/namespaces/wsbench/pods', 'GET /apis/apps/v1/namespaces/wsbench/deployments',
      'GET /apis/autoscaling/v2/namespaces/wsbench/horizontalpodautoscalers', 'GET /api/v1/namespaces/wsbench/events',
      'GET /apis/metrics.k8s.io/v1beta1/namespaces/wsbench/pods', 'GET /apis/metrics.k8s.io/v1beta1/nodes',
      ...PODS.map((p) => `GET /api/v1/namespaces/wsbench/pods/${p}/log`),
    ]) expect([p, asked.has(p)]).toEqual([p, true]);
  });
});
