import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { parseSegment } from '../runner/flags';
import { ROOT } from './helpers';
import { builtinModules } from 'node:module';

/* eslint-disable @typescript-eslint/no-explicit-any -- manifests are untyped YAML */
type Obj = Record<string, any>;
interface Doc {
  file: string;
  obj: Obj;
}

const K8S = path.join(ROOT, 'deploy', 'k8s');
const DOCKERFILE = path.join(ROOT, 'deploy', 'docker', 'Dockerfile');
const files = fs.readdirSync(K8S).filter((f) => /\.ya?ml$/.test(f)).sort();

function load(): Doc[] {
  const docs: Doc[] = [];
  for (const file of files) {
    for (const d of YAML.parseAllDocuments(fs.readFileSync(path.join(K8S, file), 'utf8'))) {
      if (d.errors.length > 0) throw new Error(`${file}: ${d.errors[0]?.message}`);
      const obj = d.toJS() as Obj | null;
      if (obj) docs.push({ file, obj });
    }
  }
  return docs;
}

const docs = load();
const objects = docs.filter((d) => d.obj.kind !== 'Kustomization');
const ofKind = (kind: string): Doc[] => objects.filter((d) => d.obj.kind === kind);
const named = (kind: string, name: string): Doc | undefined => ofKind(kind).find((d) => d.obj.metadata?.name === name);
const id = (d: Doc): string => `${d.file}: ${d.obj.kind}/${d.obj.metadata?.name}`;

/** The image the Makefile builds (`make image`), which every wsbench pod must run. */
const IMAGE = /^IMAGE \?= (\S+)$/m.exec(fs.readFileSync(path.join(ROOT, 'Makefile'), 'utf8'))?.[1];
const NAMESPACE = ofKind('Namespace')[0]?.obj.metadata.name as string;

/** Pod templates of the workloads (Deployments and Jobs). */
const workloads = [...ofKind('Deployment'), ...ofKind('Job')];
const podSpec = (d: Doc): Obj => d.obj.spec.template.spec;
const containers = (spec: Obj): Obj[] => [...(spec.initContainers ?? []), ...(spec.containers ?? [])];

/** Kubernetes' expansion of command and args: $(VAR) from the container's env, $$ to $. */
function expand(text: string, env: Record<string, string>): string {
  return text.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (m, name: string | undefined) => (m === '$$' ? '$' : name !== undefined && name in env ? (env[name] as string) : m));
}

describe('deploy/k8s manifests', () => {
  test('every file parses; every object has apiVersion, kind, a name, and the namespace of namespace.yaml', () => {
    expect(files).toEqual(expect.arrayContaining(['namespace.yaml', 'server.yaml', 'results-pvc.yaml', 'segments-job.yaml', 'merge-job.yaml', 'kustomization.yaml']));
    expect(NAMESPACE).toBe('wsbench');
    for (const d of objects) {
      expect([id(d), typeof d.obj.apiVersion, typeof d.obj.kind, typeof d.obj.metadata?.name]).toEqual([id(d), 'string', 'string', 'string']);
      if (d.obj.kind !== 'Namespace') expect([id(d), d.obj.metadata.namespace]).toEqual([id(d), NAMESPACE]);
    }
  });

  test('the kustomization names existing files, and kubectl kustomize builds it (when kubectl is here)', () => {
    const k = docs.find((d) => d.obj.kind === 'Kustomization')?.obj as Obj;
    expect(k.namespace).toBe(NAMESPACE);
    for (const r of k.resources as string[]) expect([r, fs.existsSync(path.join(K8S, r))]).toEqual([r, true]);
    const kubectl = spawnSync('kubectl', ['kustomize', K8S], { encoding: 'utf8' });
    if (kubectl.error) return; // no kubectl on this machine: the file checks above stand alone
    expect(kubectl.stderr).toBe('');
    const kinds = YAML.parseAllDocuments(kubectl.stdout).map((d) => (d.toJS() as Obj).kind).sort();
    expect(kinds).toEqual(['Deployment', 'Namespace', 'PersistentVolumeClaim', 'Service']);
  });

  test('every wsbench pod runs the image the Makefile builds, as a numeric non-root user (the Dockerfile\'s USER)', () => {
    const user = /^USER (\d+)(?::\d+)?$/m.exec(fs.readFileSync(DOCKERFILE, 'utf8'))?.[1];
    expect(IMAGE).toBe('wsbench/runner:latest');
    expect(workloads.length).toBeGreaterThanOrEqual(3);
    for (const w of workloads) {
      const spec = podSpec(w);
      expect([id(w), spec.securityContext?.runAsNonRoot, String(spec.securityContext?.runAsUser)]).toEqual([id(w), true, user]);
      for (const c of containers(spec)) expect([id(w), c.name, c.image]).toEqual([id(w), c.name, IMAGE]);
    }
  });

  test('volumes: every mount names a volume of its pod, every claim a PVC, every ConfigMap one that exists', () => {
    const makefile = fs.readFileSync(path.join(ROOT, 'Makefile'), 'utf8');
    const configMapExists = (name: string): boolean => named('ConfigMap', name) !== undefined || makefile.includes(`create configmap ${name}`);
    for (const w of workloads) {
      const spec = podSpec(w);
      const volumes = new Map<string, Obj>((spec.volumes ?? []).map((v: Obj) => [v.name, v]));
      for (const c of containers(spec)) {
        for (const m of c.volumeMounts ?? []) expect([id(w), m.name, volumes.has(m.name)]).toEqual([id(w), m.name, true]);
      }
      for (const v of volumes.values()) {
        if (v.persistentVolumeClaim) expect([id(w), named('PersistentVolumeClaim', v.persistentVolumeClaim.claimName) !== undefined]).toEqual([id(w), true]);
        if (v.configMap) expect([id(w), v.configMap.name, configMapExists(v.configMap.name)]).toEqual([id(w), v.configMap.name, true]);
      }
      for (const c of containers(spec)) {
        for (const e of c.envFrom ?? []) if (e.configMapRef) expect([id(w), configMapExists(e.configMapRef.name)]).toEqual([id(w), true]);
        for (const e of c.env ?? []) if (e.valueFrom?.configMapKeyRef) expect([id(w), configMapExists(e.valueFrom.configMapKeyRef.name)]).toEqual([id(w), true]);
      }
    }
  });

  test('labels and ports: selectors match their pods, Services reach a declared containerPort, probes name a port', () => {
    for (const d of ofKind('Deployment')) {
      const labels = d.obj.spec.template.metadata.labels as Obj;
      for (const [k, v] of Object.entries(d.obj.spec.selector.matchLabels as Obj)) expect([id(d), k, labels[k]]).toEqual([id(d), k, v]);
    }
    for (const s of ofKind('Service')) {
      const pods = workloads.filter((w) => Object.entries(s.obj.spec.selector as Obj).every(([k, v]) => w.obj.spec.template.metadata?.labels?.[k] === v));
      expect([id(s), pods.map(id)]).toEqual([id(s), [expect.any(String)]]);
      const ports: Obj[] = containers(podSpec(pods[0] as Doc)).flatMap((c) => c.ports ?? []);
      for (const p of s.obj.spec.ports as Obj[]) {
        const target = p.targetPort ?? p.port;
        const hit = ports.find((cp) => (typeof target === 'string' ? cp.name === target : cp.containerPort === target));
        expect([id(s), target, hit !== undefined]).toEqual([id(s), target, true]);
        if (p.nodePort !== undefined) expect(p.nodePort >= 30000 && p.nodePort <= 32767).toBe(true);
      }
    }
    for (const w of workloads) {
      for (const c of containers(podSpec(w))) {
        const names = new Set((c.ports ?? []).map((p: Obj) => p.name));
        for (const probe of [c.readinessProbe, c.livenessProbe].filter(Boolean)) {
          const port = probe.httpGet?.port ?? probe.tcpSocket?.port;
          if (typeof port === 'string') expect([id(w), port, names.has(port)]).toEqual([id(w), port, true]);
        }
      }
    }
  });

  test('the stand-in target: runner serve on /ws behind NodePort 30084, as the seed\'s delivery-service', () => {
    const svc = named('Service', 'delivery-service')?.obj as Obj;
    expect(svc.spec.type).toBe('NodePort');
    expect(svc.spec.ports[0]).toMatchObject({ port: 30084, nodePort: 30084 });
    const c = podSpec(named('Deployment', 'delivery-service') as Doc).containers[0] as Obj;
    expect(c.args.slice(0, 1)).toEqual(['serve']);
    const arg = (flag: string): string | undefined => c.args[c.args.indexOf(flag) + 1];
    expect([arg('--host'), arg('--port'), arg('--path')]).toEqual(['0.0.0.0', '30084', '/ws']);
  });

  describe('the Indexed Job of segments and the merge Job', () => {
    const seg = named('Job', 'wsbench-segments') as Doc;
    const merge = named('Job', 'wsbench-merge') as Doc;
    const runner = podSpec(seg).containers[0] as Obj;
    const envOf = (c: Obj): Record<string, string> => Object.fromEntries((c.env ?? []).filter((e: Obj) => 'value' in e).map((e: Obj) => [e.name, String(e.value)]));
    const n = Number(envOf(runner).SEGMENTS);
    const mountPath = (c: Obj): string => (c.volumeMounts as Obj[])[0]?.mountPath;

    test('n pods at once, each index once, never retried; SEGMENTS agrees everywhere', () => {
      expect(seg.obj.spec).toMatchObject({ completionMode: 'Indexed', completions: n, parallelism: n, backoffLimit: 0 });
      expect(n).toBeGreaterThanOrEqual(2);
      expect(Number(envOf(podSpec(merge).containers[0]).SEGMENTS)).toBe(n);
      expect(podSpec(seg).restartPolicy).toBe('Never');
      const idx = (runner.env as Obj[]).find((e) => e.name === 'JOB_COMPLETION_INDEX');
      expect(idx?.valueFrom?.fieldRef?.fieldPath).toBe("metadata.annotations['batch.kubernetes.io/job-completion-index']");
    });

    test('pod i runs runner run --segment i/n into its own folder on the shared volume, against the Service', () => {
      const declared = new Set((runner.env as Obj[]).map((e) => e.name));
      for (const a of runner.args as string[]) for (const m of a.matchAll(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g)) expect([m[1], declared.has(m[1] as string)]).toEqual([m[1], true]);
      const outDirs = new Set<string>();
      for (let i = 0; i < n; i++) {
        const args = (runner.args as string[]).map((a) => expand(a, { ...envOf(runner), JOB_COMPLETION_INDEX: String(i) }));
        const arg = (flag: string): string => args[args.indexOf(flag) + 1] as string;
        expect(args[0]).toBe('run');
        expect(fs.existsSync(path.join(ROOT, args[1] as string))).toBe(true);
        expect(parseSegment(arg('--segment'))).toEqual({ index: i, count: n });
        expect(arg('--out-dir').startsWith(`${mountPath(runner)}/seg-`)).toBe(true);
        outDirs.add(arg('--out-dir'));
        const url = new URL(arg('--target'));
        const [svcName, ns] = url.hostname.split('.');
        const svc = named('Service', svcName as string)?.obj as Obj;
        expect([ns, url.pathname]).toEqual([NAMESPACE, '/ws']);
        expect((svc.spec.ports as Obj[]).map((p) => String(p.port))).toContain(url.port);
      }
      expect(outDirs.size).toBe(n);
    });

    test('the merge Job mounts the same claim at the same path, and its script is valid sh once Kubernetes expands it', () => {
      const claim = (j: Doc): string => (podSpec(j).volumes as Obj[])[0]?.persistentVolumeClaim?.claimName;
      const c = podSpec(merge).containers[0] as Obj;
      expect(claim(merge)).toBe(claim(seg));
      expect(mountPath(c)).toBe(mountPath(runner));
      expect(envOf(c).RESULTS).toBe(mountPath(c));
      expect(podSpec(merge).restartPolicy).toBe('Never');
      const script = expand((c.args as string[]).join('\n'), envOf(c));
      expect(script).toContain('/app/bin/runner.js merge $(fresh) --out "$RESULTS/merged"');
      expect(script).toContain('"$RESULTS/seg-*/raw/totals.json"');
      const sh = spawnSync('sh', ['-n', '-c', script], { encoding: 'utf8' });
      expect([sh.status, sh.stderr]).toEqual([0, '']);
    });
  });

  test('k6-testrun.yaml, when present: a k6 operator TestRun in the namespace whose script ConfigMap is defined', () => {
    const runs = ofKind('TestRun');
    if (!files.includes('k6-testrun.yaml')) return;
    expect(runs.length).toBeGreaterThanOrEqual(1);
    const makefile = fs.readFileSync(path.join(ROOT, 'Makefile'), 'utf8');
    for (const r of runs) {
      expect([id(r), r.obj.apiVersion]).toEqual([id(r), 'k6.io/v1alpha1']);
      expect(r.obj.spec.parallelism).toBeGreaterThanOrEqual(1);
      const cm = r.obj.spec.script?.configMap;
      if (cm) expect([id(r), cm.name, named('ConfigMap', cm.name) !== undefined || makefile.includes(`create configmap ${cm.name}`)]).toEqual([id(r), cm.name, true]);
    }
  });
});

describe('deploy/docker/Dockerfile', () => {
  const text = fs.readFileSync(DOCKERFILE, 'utf8');
  const stages = text.split(/^FROM /m).slice(1);
  const final = stages[stages.length - 1] as string;

  test('multi-stage; only production dependencies are installed; the final stage copies the build\'s output and runs as a non-root user', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(text.match(/\bnpm ci\b[^\n]*/g)).toEqual([expect.stringMatching(/^npm ci --omit=dev\b/)]);
    expect(final).toMatch(/^USER [1-9]\d*(:\d+)?$/m);
    expect(final).toMatch(/^COPY --from=build \/out\/ \/$/m);
    expect(final).not.toMatch(/^RUN /m);
    expect(final).toContain('ENTRYPOINT ["node", "/app/bin/runner.js"]');
  });

  test('everything it copies from the repository exists', () => {
    for (const m of text.matchAll(/^COPY (?!--from)(.+) \S+$/gm)) {
      for (const src of (m[1] as string).split(/\s+/)) expect([src, fs.existsSync(path.join(ROOT, src))]).toEqual([src, true]);
    }
  });

  test('every package the runtime loads is a dependency, not a devDependency (npm ci --omit=dev leaves those out)', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const bare = (spec: string): string | undefined => {
      if (spec.startsWith('.') || spec.startsWith('/') || spec.startsWith('node:') || spec === 'k6' || spec.startsWith('k6/')) return undefined;
      return spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
    };
    const used = new Set<string>();
    // the bundles keep packages external: their requires are what the image must install
    for (const f of fs.readdirSync(path.join(ROOT, 'dist')).filter((f) => f.endsWith('.js'))) {
      for (const m of fs.readFileSync(path.join(ROOT, 'dist', f), 'utf8').matchAll(/\brequire\("([^"]+)"\)/g)) {
        const b = bare(m[1] as string);
        if (b && !builtinModules.includes(b)) used.add(b);
      }
    }
    expect(used).toContain('esbuild'); // scenarios are bundled when a run starts
    for (const p of used) expect([p, p in pkg.dependencies]).toEqual([p, true]);
  });
});
