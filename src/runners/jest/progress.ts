// jest prints `PASS test/a.test.js` / `FAIL test/b.test.js` as each test file ends (its tests
// only when it runs one file): files are what it counts.
import { add, lineCounter, type ProgressCounter } from '../progress.js';

export function jestProgress(): ProgressCounter {
  return lineCounter((line, progress) => {
    const match = /^(PASS|FAIL)\s+\S/.exec(line);
    if (!match) return;
    add(progress, 'files', 1);
    if (match[1] === 'FAIL') add(progress, 'failedFiles', 1);
  });
}
