// The human progress lines name what fails, not only how many: a problem's failing tests, and at
// the end of a run the tests still failing and the suites that could not run.
import { describe as suite, expect, it } from 'vitest';
import { describe } from '../../src/cli/describe.js';
import type { LoopEvent } from '../../src/model.js';

const base = { runId: 'r1', at: '2026-01-01T00:00:00.000Z' };
const totals = { tests: 3, passed: 1, failed: 2, skipped: 0, loadErrors: 1 };
const failing = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `unit::test/a.test.ts::t${i}`, suite: 'unit', file: 'test/a.test.ts', title: `t${i}`, message: `AssertionError: expected ${i} to be 9` }));

suite('progress lines', () => {
  it('name the tests a problem fails', () => {
    const e: LoopEvent = { ...base, type: 'problem:found', iteration: 1, problem: { id: 'p1', kind: 'assertion', title: 'AssertionError (src/a.ts:3)', testFiles: ['test/a.test.ts'], tests: 4, failing: failing(4) } };
    expect(describe(e)).toBe('  problem [assertion] AssertionError (src/a.ts:3) — 4 failing: t0, t1, t2, … 1 more');
  });

  it('end a run with what still fails and which suite is blocked', () => {
    const loadFailed = { id: 'unit::test/b.test.ts::<load>', suite: 'unit', file: 'test/b.test.ts', title: 'test/b.test.ts (beforeAll failed)', message: 'Error: no db' };
    const e: LoopEvent = {
      ...base, type: 'run:end', status: 'failing', stopReason: 'nothing-fixable', commits: [], totalsBefore: totals, totalsAfter: totals, reports: [], reportDir: '/r', branch: '',
      failing: [loadFailed, ...failing(6)], blocked: [{ suite: 'e2e', reason: 'command-not-found', message: 'playwright: not found' }],
    };
    expect(describe(e)?.split('\n')).toEqual([
      'run ended: failing (nothing-fixable); 1 passed, 2 failed, 1 file failed to load → 1 passed, 2 failed, 1 file failed to load',
      'still failing:',
      '  test/b.test.ts (beforeAll failed): Error: no db',
      '  test/a.test.ts > t0: AssertionError: expected 0 to be 9',
      '  test/a.test.ts > t1: AssertionError: expected 1 to be 9',
      '  test/a.test.ts > t2: AssertionError: expected 2 to be 9',
      '  test/a.test.ts > t3: AssertionError: expected 3 to be 9',
      '  … 2 more in the reports',
      'blocked: suite e2e (command-not-found): playwright: not found',
      'no commits',
      'reports: /r',
    ]);
  });
});
