import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, tmpDir } from './helpers';

const SCRIPT = path.join(ROOT, 'deploy', 'scripts', 'collect.sh');

/** A PATH holding every program of this machine's PATH except `without`, plus the given scripts. */
function pathWithout(without: string[], scripts: Record<string, string> = {}): string {
  const bin = tmpDir('wsbench-path-');
  for (const dir of (process.env.PATH ?? '').split(':')) {
    if (!dir || !fs.existsSync(dir)) continue;
    for (const name of fs.readdirSync(dir)) {
      const link = path.join(bin, name);
      if (without.includes(name) || fs.existsSync(link)) continue;
      try {
        fs.symlinkSync(path.join(dir, name), link);
      } catch {
        /* a racing duplicate */
      }
    }
  }
  for (const [name, body] of Object.entries(scripts)) {
    fs.rmSync(path.join(bin, name), { force: true });
    fs.writeFileSync(path.join(bin, name), body, { mode: 0o755 });
  }
  return bin;
}

function collect(ns: string, PATH: string, env: Record<string, string> = {}): { code: number | null; stdout: string; out: string } {
  const out = path.join(tmpDir(), 'collected');
  const r = spawnSync('/bin/bash', [SCRIPT, ns, out], { env: { ...process.env, ...env, PATH }, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, out };
}

const read = (...p: string[]): string => fs.readFileSync(path.join(...p), 'utf8');
const sysctl = (key: string): string => fs.readFileSync(`/proc/sys/${key.replace(/\./g, '/')}`, 'utf8').trim().replace(/\s+/g, ' ');

describe('deploy/scripts/collect.sh <namespace> <outdir>', () => {
  test('without kubectl (and without ss) it still writes the local part, notes what it skipped, and exits 0', () => {
    const r = collect('im', pathWithout(['kubectl', 'ss']));
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`collected into ${r.out}\n`);
    const softLimit = spawnSync('/bin/bash', ['-c', 'ulimit -Sn'], { encoding: 'utf8' }).stdout.trim();
    expect(read(r.out, 'local', 'limits.txt')).toContain(`ulimit -n (open files, soft): ${softLimit}\n`);
    const sysctls = read(r.out, 'local', 'sysctls.txt');
    for (const key of ['net.core.somaxconn', 'net.ipv4.tcp_max_syn_backlog', 'net.ipv4.ip_local_port_range', 'fs.file-max']) {
      expect(sysctls).toContain(`${key} = ${sysctl(key)}\n`);
    }
    expect(read(r.out, 'local', 'machine.txt')).toContain('namespace: im\n');
    expect(read(r.out, 'NOTES.txt')).toBe(
      'skipped: ss not found (for ss-s.txt)\nskipped: kubectl not found: no pods, logs, HPA, events or kubectl top collected\n',
    );
    expect(fs.existsSync(path.join(r.out, 'k8s'))).toBe(false);
  });

  test('with kubectl: pods, descriptions, every pod\'s logs, HPA, events, top; a failing kubectl top is a note', () => {
    const log = path.join(tmpDir(), 'kubectl.log');
    const fake = `#!/bin/sh
echo "$*" >> "$FAKE_LOG"
case "$*" in
  *"get namespace"*) exit 0 ;;
  *"get pods -o name"*) printf 'pod/delivery-service-a\\npod/delivery-service-b\\n' ;;
  *" top "*) echo "error: Metrics API not available" >&2; exit 1 ;;
  *"--previous"*) echo "previous terminated container not found" >&2; exit 1 ;;
  *) echo "fake: $*" ;;
esac
`;
    const r = collect('im', pathWithout(['kubectl'], { kubectl: fake }), { FAKE_LOG: log });
    expect(r.code).toBe(0);
    const k = path.join(r.out, 'k8s');
    expect(read(k, 'pods.txt')).toBe('fake: --request-timeout=20s -n im get pods -o wide\n');
    expect(read(k, 'pods-describe.txt')).toBe('fake: --request-timeout=20s -n im describe pods\n');
    expect(read(k, 'hpa.txt')).toBe('fake: --request-timeout=20s -n im get hpa\n');
    expect(read(k, 'events.txt')).toBe('fake: --request-timeout=20s -n im get events --sort-by=.lastTimestamp\n');
    expect(read(k, 'top-pods.txt')).toBe('error: Metrics API not available\n');
    for (const pod of ['delivery-service-a', 'delivery-service-b']) {
      expect(read(k, 'logs', `${pod}.log`)).toBe(`fake: --request-timeout=20s -n im logs pod/${pod} --all-containers --timestamps\n`);
      expect(fs.existsSync(path.join(k, 'logs', `${pod}.previous.log`))).toBe(false);
    }
    expect(read(r.out, 'NOTES.txt')).toBe('failed: kubectl -n im top pods (see top-pods.txt)\nfailed: kubectl --request-timeout=20s top nodes (see top-nodes.txt)\n');
    if (fs.existsSync('/usr/bin/ss') || fs.existsSync('/bin/ss')) expect(read(r.out, 'local', 'ss-s.txt')).toMatch(/^Total: \d+/);
  });

  test('with kubectl but no cluster: the Kubernetes part is skipped with kubectl\'s reason, exit 0', () => {
    const fake = '#!/bin/sh\necho "The connection to the server localhost:8080 was refused - did you specify the right host or port?" >&2\nexit 1\n';
    const r = collect('im', pathWithout(['kubectl'], { kubectl: fake }));
    expect(r.code).toBe(0);
    expect(read(r.out, 'NOTES.txt')).toContain(
      'skipped: namespace im not reachable with kubectl: The connection to the server localhost:8080 was refused - did you specify the right host or port? (full error in kubectl-error.txt)\n',
    );
    expect(read(r.out, 'local', 'limits.txt')).toContain('ulimit -n (open files, soft): ');
  });
});
