import type { LoadFailure, SuiteRun, TestCase, Totals } from '../model.js';

/** The stable id of a test: the same test keeps it across runs, checkouts and worktrees. */
export function testId(suite: string, file: string, fullName: string): string {
  return `${suite}::${file}::${fullName}`;
}

export function countTotals(tests: TestCase[], loadFailures: LoadFailure[]): Totals {
  const totals: Totals = { tests: tests.length, passed: 0, failed: 0, skipped: 0, loadErrors: loadFailures.length };
  for (const test of tests) {
    if (test.status === 'passed') totals.passed++;
    else if (test.status === 'failed') totals.failed++;
    // A todo is a test that was not run: for the loop it weighs like a skipped one.
    else totals.skipped++;
  }
  return totals;
}

export function sumTotals(runs: Pick<SuiteRun, 'totals'>[]): Totals {
  const sum: Totals = { tests: 0, passed: 0, failed: 0, skipped: 0, loadErrors: 0 };
  for (const { totals } of runs) {
    sum.tests += totals.tests;
    sum.passed += totals.passed;
    sum.failed += totals.failed;
    sum.skipped += totals.skipped;
    sum.loadErrors += totals.loadErrors;
  }
  return sum;
}
