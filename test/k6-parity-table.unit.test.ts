import fs from 'node:fs';
import path from 'node:path';
import { ROOT, tmpDir } from './helpers';
import { renderTable, TABLE_END, TABLE_START, writeTable } from './k6-real/parity-table';
import type { Figures } from './k6-real/loads';

/**
 * docs/k6.md holds the engine parity table between the markers the conformance tier writes into
 * (test/k6-real/parity.test.ts): once each, in order, with a table of the four loads between them.
 */

const DOC = path.join(ROOT, 'docs', 'k6.md');

test('docs/k6.md has the parity table markers once each, in order, and a table of the four loads between them', () => {
  const text = fs.readFileSync(DOC, 'utf8');
  expect(text.split(TABLE_START)).toHaveLength(2);
  expect(text.split(TABLE_END)).toHaveLength(2);
  const between = text.slice(text.indexOf(TABLE_START) + TABLE_START.length, text.indexOf(TABLE_END)).trim();
  const lines = between.split('\n');
  expect(lines[0]).toMatch(/^\| load \| figure \| server \| runner run \| k6 v\d+\.\d+\.\d+/);
  expect(lines.filter((l) => /^\| \S/.test(l) && !l.startsWith('| load |'))).toHaveLength(4);
});

test('the tier rewrites only what lies between the markers', () => {
  const f: Figures = {
    attempted: 2, succeeded: 1, failed: 1, failedBy: { 'HTTP 503': 1 }, disconnected: 0, disconnectedBy: {}, connectLatencySamples: 1,
    pings: 2, pongs: 1, pongRate: 0.5, sent: 0, acked: 0, delivered: 0, lost: 0,
  };
  const table = renderTable([{ name: 'a load', columns: [['server', f], ['runner run', f]] }]);
  expect(table.split('\n').slice(0, 4)).toEqual([
    '| load | figure | server | runner run |',
    '|---|---|---|---|',
    '| a load | attempted | 2 | 2 |',
    '|  | succeeded | 1 | 1 |',
  ]);
  expect(table).toContain('|  | failed, by class | HTTP 503: 1 | HTTP 503: 1 |');
  expect(table).toContain('|  | disconnected, by class | – | – |');
  expect(table).toContain('|  | pong rate | 50.00% | 50.00% |');
  const file = path.join(tmpDir(), 'k6.md');
  fs.writeFileSync(file, `before\n${TABLE_START}\nold\n${TABLE_END}\nafter\n`);
  writeTable(file, table);
  expect(fs.readFileSync(file, 'utf8')).toBe(`before\n${TABLE_START}\n${table}\n${TABLE_END}\nafter\n`);
});
