/**
 * Every object of deploy/k8s/ checked against the Kubernetes OpenAPI schemas (kubernetes-models; the
 * PodMonitor against the Prometheus Operator's CRD schema, @kubernetes-models/prometheus-operator) and
 * the k6 TestRun against the k6-operator's CRD fields (test/k8s/testrun.ts): what `kubectl apply`
 * would refuse fails here first. The checker is shown to fail on broken copies, so a pass means something.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { ROOT } from './helpers';
import { K8sObject, modelErrors, typeErrors } from './k8s/schema';

const K8S = path.join(ROOT, 'deploy', 'k8s');

function objectsOf(file: string, text: string): K8sObject[] {
  return YAML.parseAllDocuments(text)
    .map((d) => d.toJS() as K8sObject['obj'] | null)
    .filter((o): o is K8sObject['obj'] => !!o && o.kind !== 'Kustomization')
    .map((obj) => ({ id: `${file}: ${obj.kind}/${obj.metadata?.name}`, obj }));
}

const files = fs.readdirSync(K8S).filter((f) => /\.ya?ml$/.test(f)).sort();
const all = files.flatMap((f) => objectsOf(f, fs.readFileSync(path.join(K8S, f), 'utf8')));
const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;
const find = (kind: string): K8sObject => all.find((o) => o.obj.kind === kind) as K8sObject;

describe('deploy/k8s against the Kubernetes OpenAPI schemas', () => {
  test('every object of every file (Namespace, Deployment, Service, PVC, both Jobs, the PodMonitor, the TestRun) is valid', () => {
    expect(all.map((o) => o.obj.kind).sort()).toEqual(['Deployment', 'Job', 'Job', 'Namespace', 'PersistentVolumeClaim', 'PodMonitor', 'Service', 'TestRun']);
    expect(modelErrors(all)).toEqual([]);
    expect(typeErrors(all)).toEqual([]);
  });

  test('what kubectl kustomize builds from deploy/k8s is valid too', () => {
    const k = spawnSync('kubectl', ['kustomize', K8S], { encoding: 'utf8' });
    if (k.error) {
      console.log('manifests-schema: kubectl not found: the kustomize output is not checked (the files are)');
      return;
    }
    const built = objectsOf('kustomize', k.stdout);
    expect(built.length).toBe(4);
    expect(modelErrors(built)).toEqual([]);
    expect(typeErrors(built)).toEqual([]);
  });

  test('the checker refuses a misspelt field, a wrong type and a missing required field', () => {
    const dep = clone(find('Deployment'));
    dep.obj.spec.template.spec.containers[0].imagePulPolicy = 'IfNotPresent';
    const job = clone(find('Job'));
    job.obj.spec.template.spec.containers[0].resources.requests.cpu = { cores: 1 };
    const svc = clone(find('Service'));
    delete svc.obj.spec.ports[0].port;
    expect(typeErrors([dep])).toEqual([
      "server.yaml: Deployment/delivery-service: Object literal may only specify known properties, and '\"imagePulPolicy\"' does not exist in type 'IContainer'.",
    ]);
    expect(modelErrors([job, svc])).toEqual([
      // a quantity is a string or a number
      `${job.id}/spec/template/spec/containers/0/resources/requests/cpu must be number`,
      `${job.id}/spec/template/spec/containers/0/resources/requests/cpu must be string`,
      `${job.id}/spec/template/spec/containers/0/resources/requests/cpu must match exactly one schema in "oneOf"`,
      'server.yaml: Service/delivery-service/spec/ports/0 must have required property port',
    ]);
  });

  test('the TestRun checker refuses a field the k6-operator does not have, a wrong type, and a bad core object', () => {
    const tr = clone(find('TestRun'));
    tr.obj.spec.runner.imagee = 'grafana/k6:1.6.0';
    tr.obj.spec.parallelism = '4';
    const bad = clone(find('TestRun'));
    bad.obj.spec.runner.resources.limits = { memory: ['6Gi'] };
    expect(typeErrors([tr])).toEqual([
      "k6-testrun.yaml: TestRun/wsbench-10k: Type 'string' is not assignable to type 'number'.",
      "k6-testrun.yaml: TestRun/wsbench-10k: Object literal may only specify known properties, and '\"imagee\"' does not exist in type 'K6Pod'.",
    ]);
    delete tr.obj.spec.parallelism;
    delete tr.obj.spec.runner.imagee;
    expect(typeErrors([tr])).toEqual([expect.stringContaining("Property 'parallelism' is missing in type")]);
    expect(modelErrors([bad])).toContain('k6-testrun.yaml: TestRun/wsbench-10k spec.runner.resources/limits/memory must be string');
  });

  test('the TestRun pins its k6 images to a release the default build supports (k6 >= 1.6: k6/websockets)', () => {
    const spec = find('TestRun').obj.spec;
    for (const pod of ['runner', 'initializer']) {
      const m = /^grafana\/k6:(\d+)\.(\d+)\.(\d+)$/.exec(spec[pod]?.image ?? '');
      expect([pod, m !== null]).toEqual([pod, true]);
      const [major, minor] = [Number(m?.[1]), Number(m?.[2])];
      expect([pod, major > 1 || (major === 1 && minor >= 6)]).toEqual([pod, true]);
    }
    expect(spec.runner.image).toBe(spec.initializer.image);
  });
});
