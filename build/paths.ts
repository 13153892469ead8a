import fs from 'node:fs';
import path from 'node:path';

/** The package root, found from wherever this code runs (sources under ts-jest, or dist/). */
export const ROOT = (() => {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) return process.cwd();
    dir = up;
  }
  return dir;
})();

/** A built entry point under dist/ (`npm run build` writes them): the runner forks its workers and the embedded server, the server its cluster workers. */
export function built(name: 'cli' | 'worker' | 'server-worker'): string {
  return path.join(ROOT, 'dist', `${name}.js`);
}
