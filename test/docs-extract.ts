import fs from 'node:fs';
import path from 'node:path';

/**
 * Pure readers of the manual, for the tests that keep it true (docs*.test.ts): the fenced blocks
 * marked runnable, the field table of docs/outputs.md, and the leaf paths of a summary JSON.
 */

export interface Block {
  /** Where the block starts, as `docs/outputs.md:42` (the opening fence's line). */
  where: string;
  /** Info string after the fence: `bash runnable exit=99`. */
  info: string;
  code: string;
}

/** Every fenced block (``` or ~~~) of a Markdown text, with its info string and first line. */
export function fencedBlocks(md: string, file: string): Block[] {
  const out: Block[] = [];
  const lines = md.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})(.*)$/.exec(lines[i]!);
    if (!open) continue;
    const [, indent, fence, info] = open as unknown as [string, string, string, string];
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const line = lines[j]!;
      if (line.trim().startsWith(fence) && line.trim().replace(/[`~]/g, '') === '') break;
      body.push(line.startsWith(indent) ? line.slice(indent.length) : line);
    }
    out.push({ where: `${file}:${i + 1}`, info: info.trim(), code: body.join('\n') });
    i = j;
  }
  return out;
}

export interface Runnable extends Block {
  /**
   * The exit codes the block may end with: `exit=N`, else 0. `exit=0|99` is for a run judged by the
   * default latency thresholds, which a busy machine may cross (docs.test.ts then checks that only
   * latency thresholds were crossed).
   */
  exit: number[];
  /** The files the page shows (```ts file=hello.ts), written where the block runs. */
  files: { name: string; code: string }[];
}

/** The blocks a reader can paste and run: ```bash runnable (optionally `exit=N`). */
export function runnableBlocks(md: string, file: string): Runnable[] {
  const blocks = fencedBlocks(md, file);
  const files = blocks.flatMap((b) => {
    const name = /\bfile=(\S+)/.exec(b.info)?.[1];
    return name ? [{ name, code: `${b.code}\n` }] : [];
  });
  return blocks
    .filter((b) => /^(bash|sh)\b/.test(b.info) && /\brunnable\b/.test(b.info))
    .map((b) => ({ ...b, exit: (/\bexit=([\d|]+)/.exec(b.info)?.[1] ?? '0').split('|').map(Number), files }));
}

/** `a.{b,c}.d` → `a.b.d`, `a.c.d` (one brace group or several, not nested). */
export function expandBraces(p: string): string[] {
  const m = /\{([^{}]*)\}/.exec(p);
  if (!m) return [p];
  const head = p.slice(0, m.index);
  const tail = p.slice(m.index + m[0].length);
  return m[1]!.split(',').flatMap((alt) => expandBraces(`${head}${alt.trim()}${tail}`));
}

/**
 * The field paths of the summary table of docs/outputs.md: every backquoted dotted path in the
 * first cell of the rows between the markers `<!-- summary-fields -->` and `<!-- /summary-fields -->`. `<name>` is any key of an object, `[]` any element of an array.
 */
export function documentedFields(md: string): string[] {
  const start = md.indexOf('<!-- summary-fields -->');
  const end = md.indexOf('<!-- /summary-fields -->');
  if (start < 0 || end < start) throw new Error('docs/outputs.md has no <!-- summary-fields --> ... <!-- /summary-fields --> table');
  const rows = md.slice(start, end).split('\n').filter((l) => l.startsWith('|'));
  const paths: string[] = [];
  for (const row of rows) {
    const first = row.split('|')[1] ?? '';
    for (const m of first.matchAll(/`([^`]+)`/g)) paths.push(...expandBraces(m[1]!));
  }
  return paths;
}

/** A path as its keys: `runner.workers[].cpuPctMax` → `['runner', 'workers', '[]', 'cpuPctMax']`. */
export function segments(p: string): string[] {
  return p.replace(/\[\]/g, '.[]').split('.').filter(Boolean);
}

/** Keys back to a readable path (a key holding dots, a threshold's expression, is quoted). */
export function pathOf(keys: string[]): string {
  return keys.map((k, i) => (k === '[]' ? k : `${i ? '.' : ''}${k.includes('.') ? JSON.stringify(k) : k}`)).join('');
}

export interface Leaf {
  keys: string[];
  /** An empty object or array, or a null: a container with nothing in it this time, or "no data". */
  open: boolean;
}

/** Every leaf of a JSON value: objects by key, arrays as `[]`; empty containers and nulls are leaves too. */
export function leaves(v: unknown, keys: string[] = []): Leaf[] {
  if (Array.isArray(v)) return v.length ? v.flatMap((e) => leaves(e, [...keys, '[]'])) : [{ keys, open: true }];
  if (v !== null && typeof v === 'object') {
    const ks = Object.keys(v);
    if (!ks.length) return [{ keys, open: true }];
    return ks.flatMap((k) => leaves((v as Record<string, unknown>)[k], [...keys, k]));
  }
  return [{ keys, open: v === null }];
}

/**
 * A documented path matches a real leaf when both have the same keys, `<x>` standing for any key
 * (never for an array element). An open leaf is matched by any documented path that goes on below it.
 */
export function matches(doc: string, leaf: Leaf): boolean {
  const d = segments(doc);
  const r = leaf.keys;
  if (leaf.open ? r.length > d.length : r.length !== d.length) return false;
  return r.every((k, i) => d[i] === k || (/^<.+>$/.test(d[i]!) && k !== '[]'));
}

/** Markdown files of the manual: docs/**\/*.md, as paths relative to the repository root. */
export function docsFiles(root: string): string[] {
  const walk = (dir: string): string[] =>
    fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(path.join(dir, e.name)) : e.name.endsWith('.md') ? [path.join(dir, e.name)] : []);
  return fs.existsSync(path.join(root, 'docs')) ? walk('docs').sort() : [];
}

/** Relative link targets of a Markdown text (`[x](docs/a.md#b)` → `docs/a.md#b`), external ones left out. */
export function relativeLinks(md: string): string[] {
  const out: string[] = [];
  const text = md.replace(/```[\s\S]*?```/g, '');
  for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
    const href = m[1]!;
    if (!/^[a-z]+:/i.test(href)) out.push(href);
  }
  return out;
}

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to dashes. */
export function anchorOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** The anchors of a Markdown text's headings (outside fenced blocks). */
export function anchors(md: string): Set<string> {
  const text = md.replace(/```[\s\S]*?```/g, '');
  return new Set([...text.matchAll(/^#{1,6}\s+(.+)$/gm)].map((m) => anchorOf(m[1]!)));
}
