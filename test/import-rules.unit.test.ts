import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, tmpDir } from './helpers';

/**
 * The import rules of docs/architecture.md are checked by dependency-cruiser (`npm run lint:deps`):
 * a scratch tree breaks each rule once, on purpose, and the checker with the repository's own
 * configuration must name every rule.
 */
const FILES: Record<string, string> = {
  'lib/index.ts': 'export const api = 1;',
  'lib/helpers.ts': 'export const helpers = 1;',
  'lib/core/x.ts': 'export const x = 1;',
  'lib/results/r.ts': 'export const r = 1;',
  'lib/helpers/h.ts': 'export const h = 1;',
  'lib/node/n.ts': 'export const n = 1;',
  'lib/k6/k.ts': 'export const k = 1;',
  'lib/metrics/m.ts': 'export const m = 1;',
  'runner/x.ts': 'export const run = 1;',
  // one break of each rule
  'lib/core/to-runner.ts': "export { run } from '../../runner/x';",
  'scenarios/s.ts': "export { x } from '../lib/core/x';",
  'server/s.ts': "export { n } from '../lib/node/n';",
  'lib/k6/to-hdr.ts': "export { m } from '../metrics/m';",
  'lib/k6/via.ts': "export { viaMetrics } from '../core/via';",
  'lib/core/via.ts': "export { m as viaMetrics } from '../metrics/m';",
  'lib/results/fs.ts': "import fs from 'node:fs';\nexport const f = fs.existsSync;",
  'lib/scenario/to-core.ts': "export { x } from '../core/x';",
  'lib/options/to-results.ts': "export { r } from '../results/r';",
  'lib/core/to-helpers.ts': "export { h } from '../helpers/h';",
  'lib/helpers/to-node.ts': "export { n } from '../node/n';",
  'lib/protocols/to-node.ts': "export { n } from '../node/n';",
  'lib/results/to-k6.ts': "export { k } from '../k6/k';",
  'lib/metrics/to-results.ts': "export { r } from '../results/r';",
  'lib/node/to-k6.ts': "export { k } from '../k6/k';",
  'lib/protocols/to-results.ts': "export { r } from '../results/r';",
  'lib/core/c1.ts': "import { c2 } from './c2';\nexport const c1 = (): number => c2();",
  'lib/core/c2.ts': "import { c1 } from './c1';\nexport const c2 = (): number => c1();",
};

const RULES = [
  'lib-not-to-runner-or-server', 'scenarios-only-public-api', 'server-not-to-runner-or-node-engine', 'k6-not-to-node-engine-or-hdr',
  'k6-not-to-hdr-transitively', 'pure-lib-no-node-builtins', 'contract-stands-alone', 'options-below-engines', 'core-below-engines',
  'helpers-engine-agnostic', 'protocols-engine-agnostic', 'results-not-to-engines', 'metrics-only-hdr', 'node-engine-not-to-k6', 'no-circular',
];

test('every import rule fails on a deliberate violation of it', () => {
  const dir = tmpDir('wsbench-rules-');
  for (const [file, text] of Object.entries(FILES)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), `${text}\n`);
  }
  fs.copyFileSync(path.join(ROOT, '.dependency-cruiser.cjs'), path.join(dir, '.dependency-cruiser.cjs'));
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'commonjs', moduleResolution: 'node', strict: true } }));
  let out: string;
  try {
    out = execFileSync(process.execPath, [path.join(ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs'),
      'lib', 'runner', 'server', 'scenarios', '--config', '.dependency-cruiser.cjs', '--output-type', 'json'], { cwd: dir, encoding: 'utf8' });
  } catch (err) {
    out = String((err as { stdout?: string }).stdout ?? '');
  }
  fs.rmSync(dir, { recursive: true, force: true });
  const found = new Set((JSON.parse(out) as { summary: { violations: Array<{ rule: { name: string } }> } }).summary.violations.map((v) => v.rule.name));
  // the configuration has no rule this test does not break
  const configured = [...fs.readFileSync(path.join(ROOT, '.dependency-cruiser.cjs'), 'utf8').matchAll(/^\s+name: '([\w-]+)',$/gm)].map((m) => m[1]);
  expect([...configured].sort()).toEqual([...RULES].sort());
  expect(RULES.filter((r) => !found.has(r))).toEqual([]);
});
