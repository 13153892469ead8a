/**
 * Checks Kubernetes objects against the Kubernetes OpenAPI schemas, through kubernetes-models (the
 * models generated from those schemas), twice over:
 *  - at run time, each model's validate() (ajv over the kind's schema: types, required, enums, formats);
 *  - at compile time, the object as a literal of the model's TypeScript interface: excess properties
 *    are errors, which catches a misspelt or misplaced field (what `kubectl apply` refuses under the
 *    API server's strict field validation, and what the OpenAPI schemas alone let through).
 * The Prometheus Operator's PodMonitor has its own models package; the k6 TestRun has none: its spec is typed in ./testrun.ts from the k6-operator's Go types, its
 * corev1 parts validated by their own models.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import ts from 'typescript';
import { POD_CORE_FIELDS } from './testrun';

/* eslint-disable @typescript-eslint/no-explicit-any -- manifests are untyped YAML */
export interface K8sObject {
  /** Where it comes from, for messages: `file: Kind/name`. */
  id: string;
  obj: Record<string, any>;
}

/** Packages of kubernetes-models for the CRDs used here, by API group (built-in groups are in kubernetes-models itself). */
const CRD_MODELS: Record<string, string> = { 'monitoring.coreos.com': '@kubernetes-models/prometheus-operator' };

/** kubernetes-models' module and interface of a kind: `apps/v1` Deployment -> kubernetes-models/apps/v1/Deployment, IDeployment. */
function modelOf(o: K8sObject): { module: string; model: string } | undefined {
  const { apiVersion, kind } = o.obj;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string' || apiVersion.endsWith('k6.io/v1alpha1')) return undefined;
  const pkg = CRD_MODELS[apiVersion.split('/')[0] as string] ?? 'kubernetes-models';
  return { module: `${pkg}/${apiVersion}`, model: kind };
}

/** The runtime part: every built-in object whole, and the corev1 parts of a TestRun's pods. */
export function modelErrors(objects: K8sObject[]): string[] {
  const checks: Array<{ id: string; module: string; model: string; data: unknown }> = [];
  for (const o of objects) {
    const m = modelOf(o);
    if (m) {
      checks.push({ id: o.id, ...m, data: o.obj });
      continue;
    }
    for (const pod of ['initializer', 'starter', 'runner']) {
      const spec = o.obj.spec?.[pod];
      if (!spec) continue;
      for (const [field, core] of Object.entries(POD_CORE_FIELDS)) {
        if (spec[field] === undefined) continue;
        const items: unknown[] = core.array && Array.isArray(spec[field]) ? spec[field] : [spec[field]];
        items.forEach((data, i) => checks.push({ id: `${o.id} spec.${pod}.${field}${core.array ? `[${i}]` : ''}`, module: 'kubernetes-models/v1', model: core.model, data }));
      }
    }
  }
  const r = spawnSync(process.execPath, [path.join(__dirname, 'validate-models.mjs')], { input: JSON.stringify(checks), encoding: 'utf8', cwd: path.join(__dirname, '..', '..') });
  if (r.status !== 0) throw new Error(`validate-models.mjs failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as string[];
}

/** The compile-time part: one `const` per object, typed with its model's interface (or ITestRun). */
export function typeErrors(objects: K8sObject[]): string[] {
  const file = path.join(__dirname, '__manifests_check.ts');
  const header = [`import type { ITestRun } from './testrun';`];
  const lines: string[] = [];
  objects.forEach((o, i) => {
    const m = modelOf(o);
    const type = m ? `I${m.model}` : 'ITestRun';
    if (m) header.push(`import type { ${type} as T${i} } from '${m.module}/${m.model}';`);
    lines.push(`export const o${i}: ${m ? `T${i}` : type} = ${JSON.stringify(o.obj)};`);
  });
  const source = [...header, ...lines].join('\n');
  const options: ts.CompilerOptions = {
    strict: true, noEmit: true, skipLibCheck: true, types: [], target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10,
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  host.getSourceFile = (name, lang, ...rest) => (name === file ? ts.createSourceFile(name, source, lang) : getSourceFile(name, lang, ...rest));
  host.fileExists = (name) => name === file || fileExists(name);
  const program = ts.createProgram([file], options, host);
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const text = ts.flattenDiagnosticMessageText(d.messageText, ' ');
    if (!d.file || d.start === undefined || d.file.fileName !== file) return text;
    const line = d.file.getLineAndCharacterOfPosition(d.start).line - header.length;
    const o = objects[line];
    return o ? `${o.id}: ${text}` : text;
  });
}
