// The same test has the same id in the loop's checkout and in a verification worktree, and tests
// that share a name are judged one by one: a correct fix is committed, not "regressed".
import { describe, expect, it } from 'vitest';
import { createLoop } from '../../src/loop/index.js';
import { makeVitestRepo } from '../helpers/git-repo.js';
import { collect, COUNTER, COUNTER_FIXED, scripted } from '../helpers/loop-fixtures.js';

const WHERE = [
  "import { existsSync } from 'node:fs';",
  "import path from 'node:path';",
  "import { expect, it } from 'vitest';",
  "import { next } from '../src/counter';",
  'it(`finds its sources under ${process.cwd()}`, () => {',
  "  expect(existsSync(path.join(process.cwd(), 'src', 'counter.ts'))).toBe(true);",
  '});',
  'for (const n of [1, 2, 3]) {',
  "  it('next stays below n + 2', () => {",
  '    expect(next(n) < n + 2 || n !== 2).toBe(true);',
  '  });',
  '}',
  '',
].join('\n');

describe('test identity across checkouts', () => {
  it('commits the fix although a title holds the checkout\'s path and three tests share a name', async () => {
    const repo = makeVitestRepo({ ...COUNTER, 'test/where.test.ts': WHERE });
    const loop = createLoop({ cwd: repo, providers: [scripted('manual', { 'src/counter.ts': COUNTER_FIXED })] });
    const events = await collect(loop);
    const summary = await loop.result;
    const found = events.filter((e) => e.type === 'problem:found');
    expect(found).toHaveLength(2);
    expect(events.filter((e) => e.type === 'candidate:verified').map((e) => e.type === 'candidate:verified' && [e.verdict, e.summary])).toEqual([
      ['fixed', 'fixed: 2 tests now pass'],
    ]);
    expect([summary.status, summary.commits.length]).toEqual(['green', 1]);
    expect(summary.totalsBefore).toEqual({ tests: 6, passed: 4, failed: 2, skipped: 0, loadErrors: 0 });
    expect(summary.totalsAfter).toEqual({ tests: 6, passed: 6, failed: 0, skipped: 0, loadErrors: 0 });
  });
});
