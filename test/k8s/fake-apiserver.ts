/**
 * A Kubernetes API server that answers from recorded responses, for running the real kubectl
 * against it (collect.sh's k8s section): legacy discovery, the namespace, pods (one of which
 * restarted), their logs, deployments, services, jobs, PVCs, an HPA, events, and metrics.k8s.io for
 * `kubectl top`. Everything asked is recorded in `requests`; anything not recorded answers 404.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

const NS = 'wsbench';
const T0 = '2026-12-01T10:00:00Z';
const meta = (name: string, extra: object = {}) => ({ name, namespace: NS, uid: `uid-${name}`, creationTimestamp: T0, ...extra });
const list = (kind: string, apiVersion: string, items: object[]) => ({ kind: `${kind}List`, apiVersion, metadata: { resourceVersion: '100' }, items });
const SHORT: Record<string, string[]> = { pods: ['po'], services: ['svc'], events: ['ev'], persistentvolumeclaims: ['pvc'], namespaces: ['ns'], nodes: ['no'], deployments: ['deploy'], horizontalpodautoscalers: ['hpa'] };
const resources = (groupVersion: string, rs: Array<[string, string, boolean]>) => ({
  kind: 'APIResourceList', apiVersion: 'v1', groupVersion,
  resources: rs.map(([name, kind, namespaced]) => ({ name, singularName: '', namespaced, kind, verbs: ['get', 'list'], shortNames: SHORT[name] })),
});

export const PODS = ['delivery-service-7d9f-abcde', 'wsbench-segments-0-xyz12'];
/** The second pod restarted once: it has a previous container's log. */
const RESTARTED = PODS[1] as string;

function pod(name: string, app: string, container: string, restarts: number): object {
  return {
    apiVersion: 'v1', kind: 'Pod', metadata: meta(name, { labels: { app } }),
    spec: { nodeName: 'node-1', containers: [{ name: container, image: 'wsbench/runner:latest' }] },
    status: {
      phase: 'Running', podIP: '10.1.0.7', hostIP: '192.0.2.10', startTime: T0,
      conditions: [{ type: 'Ready', status: 'True' }],
      containerStatuses: [{ name: container, ready: true, restartCount: restarts, image: 'wsbench/runner:latest', imageID: '', started: true, state: { running: { startedAt: T0 } } }],
    },
  };
}

const pods = [pod(PODS[0] as string, 'delivery-service', 'server', 0), pod(RESTARTED, 'wsbench-runner', 'runner', 1)];
const hpa = {
  apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: meta('delivery-service'),
  spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'delivery-service' }, minReplicas: 2, maxReplicas: 8, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }] },
  status: { currentReplicas: 3, desiredReplicas: 4, currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 91, averageValue: '910m' } } }] },
};
const events = [
  { apiVersion: 'v1', kind: 'Event', metadata: meta('e1'), involvedObject: { kind: 'HorizontalPodAutoscaler', name: 'delivery-service', namespace: NS }, reason: 'SuccessfulRescale', message: 'New size: 4; reason: cpu resource utilization (percentage of request) above target', type: 'Normal', count: 1, firstTimestamp: T0, lastTimestamp: '2026-12-01T10:05:00Z', source: { component: 'horizontal-pod-autoscaler' } },
  { apiVersion: 'v1', kind: 'Event', metadata: meta('e2'), involvedObject: { kind: 'Pod', name: RESTARTED, namespace: NS }, reason: 'BackOff', message: 'Back-off restarting failed container runner', type: 'Warning', count: 2, firstTimestamp: T0, lastTimestamp: '2026-12-01T10:03:00Z', source: { component: 'kubelet' } },
];
const usage = (cpu: string, memory: string) => ({ cpu, memory });

const routes: Record<string, object | string> = {
  '/api': { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1' }] },
  '/apis': {
    kind: 'APIGroupList', apiVersion: 'v1',
    groups: [['apps', 'v1'], ['batch', 'v1'], ['autoscaling', 'v2'], ['metrics.k8s.io', 'v1beta1']].map(([g, v]) => ({
      name: g, versions: [{ groupVersion: `${g}/${v}`, version: v }], preferredVersion: { groupVersion: `${g}/${v}`, version: v },
    })),
  },
  '/api/v1': resources('v1', [['namespaces', 'Namespace', false], ['pods', 'Pod', true], ['pods/log', 'Pod', true], ['services', 'Service', true], ['events', 'Event', true], ['persistentvolumeclaims', 'PersistentVolumeClaim', true], ['nodes', 'Node', false]]),
  '/apis/apps/v1': resources('apps/v1', [['deployments', 'Deployment', true]]),
  '/apis/batch/v1': resources('batch/v1', [['jobs', 'Job', true]]),
  '/apis/autoscaling/v2': resources('autoscaling/v2', [['horizontalpodautoscalers', 'HorizontalPodAutoscaler', true]]),
  '/apis/metrics.k8s.io/v1beta1': resources('metrics.k8s.io/v1beta1', [['pods', 'PodMetrics', true], ['nodes', 'NodeMetrics', false]]),
  [`/api/v1/namespaces/${NS}`]: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS, uid: 'uid-ns', creationTimestamp: T0 }, status: { phase: 'Active' } },
  [`/api/v1/namespaces/${NS}/pods`]: list('Pod', 'v1', pods),
  [`/api/v1/namespaces/${NS}/services`]: list('Service', 'v1', [{ apiVersion: 'v1', kind: 'Service', metadata: meta('delivery-service'), spec: { type: 'NodePort', clusterIP: '10.96.0.20', ports: [{ name: 'ws', port: 30084, nodePort: 30084, protocol: 'TCP' }], selector: { app: 'delivery-service' } } }]),
  [`/api/v1/namespaces/${NS}/persistentvolumeclaims`]: list('PersistentVolumeClaim', 'v1', [{ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: meta('wsbench-results'), spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } }, status: { phase: 'Bound', capacity: { storage: '1Gi' } } }]),
  [`/apis/apps/v1/namespaces/${NS}/deployments`]: list('Deployment', 'apps/v1', [{ apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta('delivery-service'), spec: { replicas: 3, selector: { matchLabels: { app: 'delivery-service' } }, template: { spec: { containers: [{ name: 'server', image: 'wsbench/runner:latest' }] } } }, status: { replicas: 3, readyReplicas: 3, availableReplicas: 3, updatedReplicas: 3 } }]),
  [`/apis/batch/v1/namespaces/${NS}/jobs`]: list('Job', 'batch/v1', [{ apiVersion: 'batch/v1', kind: 'Job', metadata: meta('wsbench-segments'), spec: { completions: 4, parallelism: 4, template: { spec: { containers: [{ name: 'runner', image: 'wsbench/runner:latest' }] } } }, status: { active: 4 } }]),
  [`/apis/autoscaling/v2/namespaces/${NS}/horizontalpodautoscalers`]: list('HorizontalPodAutoscaler', 'autoscaling/v2', [hpa]),
  [`/apis/autoscaling/v2/namespaces/${NS}/horizontalpodautoscalers/delivery-service`]: hpa,
  [`/apis/metrics.k8s.io/v1beta1/namespaces/${NS}/pods`]: list('PodMetrics', 'metrics.k8s.io/v1beta1', PODS.map((p, i) => ({
    metadata: meta(p), timestamp: T0, window: '15s', containers: [{ name: i === 0 ? 'server' : 'runner', usage: usage(i === 0 ? '912m' : '455m', i === 0 ? '301Mi' : '188Mi') }],
  }))),
  '/apis/metrics.k8s.io/v1beta1/nodes': list('NodeMetrics', 'metrics.k8s.io/v1beta1', [{ metadata: { name: 'node-1', creationTimestamp: T0 }, timestamp: T0, window: '15s', usage: usage('1734m', '2871Mi') }]),
  '/api/v1/nodes': list('Node', 'v1', [{ apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1', uid: 'uid-node', creationTimestamp: T0 }, status: { capacity: usage('4', '8Gi'), allocatable: usage('4', '8Gi') } }]),
};
for (const p of pods as Array<{ metadata: { name: string } }>) routes[`/api/v1/namespaces/${NS}/pods/${p.metadata.name}`] = p;

/**
 * The server-side printing kubectl asks for (Accept: ...;as=Table): columns and cells as the API
 * server renders them (ages as they were when recorded). Priority 1 columns show with -o wide.
 */
type Col = [name: string, priority?: number];
const tables: Record<string, { cols: Col[]; rows: Array<[name: string, cells: unknown[]]> }> = {
  [`/api/v1/namespaces/${NS}/pods`]: {
    cols: [['Name'], ['Ready'], ['Status'], ['Restarts'], ['Age'], ['IP', 1], ['Node', 1]],
    rows: [[PODS[0] as string, ['1/1', 'Running', 0, '5m']], [RESTARTED, ['1/1', 'Running', '1 (2m ago)', '5m']]].map(([n, c]) => [n as string, [n, ...(c as unknown[]), '10.1.0.7', 'node-1']]),
  },
  [`/apis/autoscaling/v2/namespaces/${NS}/horizontalpodautoscalers`]: {
    cols: [['Name'], ['Reference'], ['Targets'], ['MinPods'], ['MaxPods'], ['Replicas'], ['Age']],
    rows: [['delivery-service', ['delivery-service', 'Deployment/delivery-service', 'cpu: 91%/70%', 2, 8, 3, '5m']]],
  },
  [`/api/v1/namespaces/${NS}/events`]: {
    cols: [['Last Seen'], ['Type'], ['Reason'], ['Object'], ['Message']],
    rows: [
      // newest first, as recorded: --sort-by=.lastTimestamp must put BackOff (10:03) before the rescale (10:05)
      ['e1', ['10s', 'Normal', 'SuccessfulRescale', 'horizontalpodautoscaler/delivery-service', 'New size: 4; reason: cpu resource utilization (percentage of request) above target']],
      ['e2', ['2m', 'Warning', 'BackOff', `pod/${RESTARTED}`, 'Back-off restarting failed container runner']],
    ],
  },
  [`/apis/apps/v1/namespaces/${NS}/deployments`]: { cols: [['Name'], ['Ready'], ['Up-to-date'], ['Available'], ['Age']], rows: [['delivery-service', ['delivery-service', '3/3', 3, 3, '5m']]] },
  [`/api/v1/namespaces/${NS}/services`]: { cols: [['Name'], ['Type'], ['Cluster-IP'], ['Ports'], ['Age']], rows: [['delivery-service', ['delivery-service', 'NodePort', '10.96.0.20', '30084:30084/TCP', '5m']]] },
  [`/apis/batch/v1/namespaces/${NS}/jobs`]: { cols: [['Name'], ['Status'], ['Completions'], ['Age']], rows: [['wsbench-segments', ['wsbench-segments', 'Running', '0/4', '2m']]] },
  [`/api/v1/namespaces/${NS}/persistentvolumeclaims`]: { cols: [['Name'], ['Status'], ['Capacity'], ['Age']], rows: [['wsbench-results', ['wsbench-results', 'Bound', '1Gi', '5m']]] },
};

/** `includeObject=Object` (what kubectl asks for with --sort-by): each row carries its whole object. */
function table(t: { cols: Col[]; rows: Array<[string, unknown[]]> }, items: Array<{ metadata: { name: string } }> | undefined): object {
  const full = (name: string): object | undefined => items?.find((i) => i.metadata.name === name);
  return {
    kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata: { resourceVersion: '100' },
    columnDefinitions: t.cols.map(([name, priority]) => ({ name, type: 'string', format: name === 'Name' ? 'name' : '', description: '', priority: priority ?? 0 })),
    rows: t.rows.map(([name, cells]) => ({ cells, object: full(name) ?? { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: meta(name) } })),
  };
}

/** A pod's log: one line naming the pod and which run of its container. */
export const logLine = (podName: string, previous: boolean): string => `2026-12-01T10:04:00.000000000Z ${podName} ${previous ? 'previous' : 'current'} container: wsbench embedded server listening\n`;

export interface FakeApiServer {
  url: string;
  requests: string[];
  close(): Promise<void>;
}

export function startFakeApiServer(): Promise<FakeApiServer> {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    requests.push(`${req.method} ${url.pathname}${url.search}`);
    const logOf = /^\/api\/v1\/namespaces\/wsbench\/pods\/([^/]+)\/log$/.exec(url.pathname);
    if (logOf) {
      const previous = url.searchParams.get('previous') === 'true';
      if (previous && logOf[1] !== RESTARTED) return status(res, 400, 'BadRequest', `previous terminated container "server" in pod "${logOf[1]}" not found`);
      res.writeHead(200, { 'content-type': 'text/plain' });
      return res.end(logLine(logOf[1] as string, previous));
    }
    let body = routes[url.pathname];
    const t = tables[url.pathname];
    if (t && (req.headers.accept ?? '').includes('as=Table')) {
      const items = url.searchParams.get('includeObject') === 'Object' ? ((url.pathname.endsWith('/events') ? { items: events } : body) as { items?: Array<{ metadata: { name: string } }> }).items : undefined;
      body = table(t, items);
    } else if (url.pathname.endsWith('/events')) {
      const about = /involvedObject\.name=([^,]+)/.exec(url.searchParams.get('fieldSelector') ?? '')?.[1];
      body = list('Event', 'v1', events.filter((e) => !about || e.involvedObject.name === about));
    }
    if (body === undefined) return status(res, 404, 'NotFound', `the server could not find the requested resource (get ${url.pathname})`);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  });
  function status(res: http.ServerResponse, code: number, reason: string, message: string): void {
    res.writeHead(code, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code }));
  }
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ url: `http://127.0.0.1:${port}`, requests, close: () => new Promise((done) => server.close(() => done())) });
    });
  });
}
