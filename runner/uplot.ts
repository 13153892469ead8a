import fs from 'node:fs';
import path from 'node:path';

let cache: { js: string; css: string } | undefined;

/** uPlot's browser build and stylesheet, read once from the installed package, for the HTML report (lib/results/report/html.ts). */
export function uplotAssets(): { js: string; css: string } {
  if (!cache) {
    const dir = path.join(path.dirname(require.resolve('uplot/package.json')), 'dist');
    cache = {
      js: fs.readFileSync(path.join(dir, 'uPlot.iife.min.js'), 'utf8'),
      css: fs.readFileSync(path.join(dir, 'uPlot.min.css'), 'utf8'),
    };
  }
  return cache;
}
