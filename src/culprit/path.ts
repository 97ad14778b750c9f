// The failing path: the files a problem's failures go through. A culprit's change to one of them
// is the likely cause; its other changes are bystanders.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Problem } from '../model.js';

/** Words that look like a relative path with an extension: "src/a.ts", "./lib/x.js", "pkg/mod.py". */
const PATH_LIKE = /(?:\.{0,2}\/)?[\w@$.+-]+(?:\/[\w@$.+-]+)*\.[A-Za-z0-9]+/g;

/**
 * Tracked files a problem names: its location, its failures' locations, every path in their
 * messages and stacks (settled runs name them relative to the root), and its test files; first
 * mention first.
 */
export function failingPath(problem: Problem, tracked: Set<string>): string[] {
  const named: string[] = [];
  const add = (file: string | undefined) => {
    if (!file) return;
    const clean = file.replace(/^\.\//, '').replace(/^\/+/, '');
    if (tracked.has(clean)) named.push(clean);
  };
  add(problem.location?.file);
  for (const f of problem.failures) add(f.location?.file);
  for (const f of problem.failures) {
    for (const text of [f.message, f.stack ?? '']) {
      for (const match of text.matchAll(PATH_LIKE)) add(match[0]);
    }
  }
  for (const file of problem.testFiles) add(file);
  return [...new Set(named)];
}

const JS_IMPORT = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)['"](\.{1,2}\/[^'"]+)['"]/g;
const PY_IMPORT = /^\s*(?:from\s+([\w.]+)\s+import|import\s+([\w.]+))/gm;
const JS_EXTENSIONS = ['', '.ts', '.tsx', '.mts', '.cts', '.js', '.mjs', '.cjs', '.jsx', '/index.ts', '/index.js', '/index.mjs'];
/** Enough to cover a test's own modules; a whole package's graph would name everything. */
const MAX_IMPORTED = 200;

/** The tracked files a file imports by a relative path (JS/TS) or a module path (Python). */
function importsOf(file: string, text: string, tracked: Set<string>): string[] {
  const found: string[] = [];
  if (file.endsWith('.py')) {
    for (const m of text.matchAll(PY_IMPORT)) {
      const mod = (m[1] ?? m[2]).replace(/^\.+/, '').split('.').join('/');
      const relative = path.posix.join(path.posix.dirname(file), mod);
      for (const base of [mod, `src/${mod}`, relative]) {
        for (const candidate of [`${base}.py`, `${base}/__init__.py`]) if (tracked.has(candidate)) found.push(candidate);
      }
    }
    return found;
  }
  for (const m of text.matchAll(JS_IMPORT)) {
    const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), m[1]));
    // An ESM import of "./a.js" names the TypeScript source "./a.ts".
    const stems = [target, target.replace(/\.[cm]?js$/, '')];
    const hit = stems.flatMap((stem) => JS_EXTENSIONS.map((ext) => stem + ext)).find((f) => tracked.has(f));
    if (hit) found.push(hit);
  }
  return found;
}

/**
 * The failing path widened by what its files import, transitively (read from the checkout at
 * `root`): an assertion's stack names only the test, yet the module it tests is on the path.
 */
export function importedPath(root: string, start: string[], tracked: Set<string>): string[] {
  const seen = new Set(start);
  const queue = [...start];
  while (queue.length > 0 && seen.size < MAX_IMPORTED) {
    const file = queue.shift()!;
    let text: string;
    try {
      text = readFileSync(path.join(root, file), 'utf8');
    } catch {
      continue;
    }
    for (const next of importsOf(file, text, tracked)) {
      if (seen.has(next)) continue;
      seen.add(next);
      queue.push(next);
    }
  }
  return [...seen];
}
