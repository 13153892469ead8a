import fs from 'node:fs';
import path from 'node:path';
import {
  anchors, docsFiles, documentedFields, expandBraces, fencedBlocks, leaves, matches, relativeLinks, runnableBlocks,
} from './docs-extract';
import type { Leaf } from './docs-extract';
import { ROOT } from './helpers';

/**
 * The manual's shape, without running anything: the README fits its budget and links every page,
 * every relative link lands on a file (and heading) that exists, and the connect-only scenario
 * the README shows is the file in scenarios/. The commands and fields are proven by docs.test.ts.
 */

const read = (f: string): string => fs.readFileSync(path.join(ROOT, f), 'utf8');
const README = read('README.md');
const PAGES = docsFiles(ROOT);
/** Every page whose links are checked: the manual, and the benchmarks' current figures and history. */
const ALL = ['README.md', 'CONTRIBUTING.md', ...PAGES, 'bench/README.md', 'bench/history.md'];

describe('README', () => {
  test('is under 12,000 characters and 90 lines: one screen, the manual in docs/', () => {
    expect(Buffer.byteLength(README, 'utf8')).toBeLessThan(12_000);
    expect(README.trimEnd().split('\n').length).toBeLessThanOrEqual(90);
  });

  test('links every page of docs/', () => {
    expect(PAGES.length).toBeGreaterThanOrEqual(8);
    const linked = new Set(relativeLinks(README).map((l) => path.normalize(l.split('#')[0]!)));
    expect(PAGES.filter((p) => !linked.has(p))).toEqual([]);
  });

  test('shows scenarios/connect-only.ts verbatim', () => {
    const scenario = read('scenarios/connect-only.ts').trimEnd();
    expect(fencedBlocks(README, 'README.md').some((b) => b.code.trimEnd() === scenario)).toBe(true);
  });

  test('first screen in the order of issue 14: pitch, make, scenario, run commands, sample, exit codes', () => {
    const at = (needle: string): number => {
      const i = README.indexOf(needle);
      if (i < 0) throw new Error(`README lacks ${needle}`);
      return i;
    };
    const order = [
      at('make run'), at('make test'), at("export default function (vu: VuContext)"),
      at('npx runner run scenarios/10k.ts'), at('npx wsbench --target'), at('--- Connect latency (ms) ---'), at('| 130 |'),
      at('## Manual'),
    ];
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });
});

describe('links', () => {
  test.each(ALL)('every relative link of %s resolves', (file) => {
    const broken: string[] = [];
    for (const href of relativeLinks(read(file))) {
      const [target, anchor] = href.split('#') as [string, string | undefined];
      const dest = target ? path.join(path.dirname(file), target) : file;
      if (!fs.existsSync(path.join(ROOT, dest))) { broken.push(href); continue; }
      if (anchor && dest.endsWith('.md') && !anchors(read(dest)).has(anchor)) broken.push(href);
    }
    expect(broken).toEqual([]);
  });
});

describe('the readers of the manual (docs-extract)', () => {
  test('runnable blocks: marker, declared exit code, line', () => {
    const md = 'x\n```bash runnable\nrunner run a.ts\n```\n```bash\nnot me\n```\n```bash runnable exit=99\nb\n```\n';
    expect(runnableBlocks(md, 'f.md')).toEqual([
      { where: 'f.md:2', info: 'bash runnable', code: 'runner run a.ts', exit: [0], files: [] },
      { where: 'f.md:8', info: 'bash runnable exit=99', code: 'b', exit: [99], files: [] },
    ]);
    expect(runnableBlocks('```bash runnable exit=0|99\nx\n```\n', 'q.md')[0]!.exit).toEqual([0, 99]);
    const page = '```ts file=a.ts\nexport {};\n```\n```bash runnable\nrunner run a.ts\n```\n';
    expect(runnableBlocks(page, 'p.md')[0]!.files).toEqual([{ name: 'a.ts', code: 'export {};\n' }]);
  });

  test('field table: brace groups expand, only rows between the markers count', () => {
    const md = '| `x` |\n<!-- summary-fields -->\n| path | m |\n|---|---|\n| `a.{b,c}.d` | m |\n| `e[].f`, `g` | m `h` |\n<!-- /summary-fields -->\n';
    expect(documentedFields(md)).toEqual(['a.b.d', 'a.c.d', 'e[].f', 'g']);
    expect(expandBraces('s.{p50,p99}')).toEqual(['s.p50', 's.p99']);
  });

  test('leaf paths and matching of placeholders', () => {
    expect(leaves({ a: { b: 1, c: {} }, w: [{ i: 0 }], t: { 'x.p99 < 1': { ok: true } }, n: null })).toEqual([
      { keys: ['a', 'b'], open: false }, { keys: ['a', 'c'], open: true }, { keys: ['w', '[]', 'i'], open: false },
      { keys: ['t', 'x.p99 < 1', 'ok'], open: false }, { keys: ['n'], open: true },
    ]);
    const leaf = (keys: string[], open = false): Leaf => ({ keys, open });
    expect(matches('connections.errors.<class>', leaf(['connections', 'errors', 'ECONNREFUSED']))).toBe(true);
    expect(matches('connections.errors.<class>', leaf(['connections', 'errors'], true))).toBe(true);
    expect(matches('connections.errors.<class>', leaf(['connections', 'errors']))).toBe(false);
    expect(matches('thresholds.<expression>.ok', leaf(['thresholds', 'connectLatencyMs.p99 < 100', 'ok']))).toBe(true);
    expect(matches('runner.workers[].cpuPctMax', leaf(['runner', 'workers', '[]', 'cpuPctMax']))).toBe(true);
    expect(matches('runner.workers[].cpuPctMax', leaf(['runner', 'workers', '[]', 'cpuPctAvg']))).toBe(false);
    expect(matches('runner.<x>', leaf(['runner', '[]']))).toBe(false);
  });
});
