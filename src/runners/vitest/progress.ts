// vitest's default reporter prints a line per test file as it ends:
// ` ✓ test/math.test.ts (2 tests) 3ms`, ` ❯ test/price.test.ts (5 tests | 2 failed | 1 skipped) 9ms`.
import { add, lineCounter, type ProgressCounter } from '../progress.js';

const FILE_LINE = /^\s*[✓❯×↓]\s+\S.*?\s+\((\d+) tests?((?:\s*\|\s*\d+ [a-z]+)*)\)/;

export function vitestProgress(): ProgressCounter {
  return lineCounter((line, progress) => {
    const match = FILE_LINE.exec(line);
    if (!match) return;
    add(progress, 'tests', Number(match[1]));
    add(progress, 'failed', Number(/(\d+) failed/.exec(match[2])?.[1] ?? 0));
    add(progress, 'files', 1);
  });
}
