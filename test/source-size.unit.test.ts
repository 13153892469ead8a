import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.join(__dirname, '..');

/**
 * The house rule (CONTRIBUTING.md): no source file over 250 lines. Every tracked source file of
 * the repository counts, tests and benchmarks included; a split, not a longer line, keeps it.
 */
describe('source files', () => {
  const files = execFileSync('git', ['ls-files', '*.ts', '*.js', '*.mjs', '*.cjs', '*.sh', '*.py'], { cwd: ROOT, encoding: 'utf8' })
    .split('\n')
    .filter((f) => f && fs.existsSync(path.join(ROOT, f)));

  test('there are some to check', () => {
    expect(files.length).toBeGreaterThan(200);
  });

  test('none is over 250 lines', () => {
    const long = files
      .map((f) => ({ f, lines: fs.readFileSync(path.join(ROOT, f), 'utf8').trimEnd().split('\n').length }))
      .filter((x) => x.lines > 250)
      .map((x) => `${x.f}: ${x.lines}`);
    expect(long).toEqual([]);
  });
});
