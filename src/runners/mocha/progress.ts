// mocha's spec reporter prints `✔ title` for a passing test, `- title` for a pending one and `1) title` for a failing one as
// they end; after "N passing" comes the list of failures, which is not more tests.
import { add, lineCounter, type ProgressCounter } from '../progress.js';

export function mochaProgress(): ProgressCounter {
  let summary = false;
  return lineCounter((line, progress) => {
    if (summary || /^\s+\d+ passing\b/.test(line)) {
      summary = true;
      return;
    }
    if (/^\s+([✔✓]|-) /.test(line)) add(progress, 'tests', 1);
    else if (/^\s+\d+\) /.test(line)) {
      add(progress, 'tests', 1);
      add(progress, 'failed', 1);
    }
  });
}
