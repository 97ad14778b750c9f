// What a test run says, in one place for the loop, verification and reports: which test is which
// (ids with their occurrence), how each one came out, the totals and their text, whether a run is
// green, and which of a problem's tests still fail.
import type { Blocker, LoadFailure, Problem, SuiteRun, TestCase, TestRun, Totals } from './model.js';

/**
 * The stable id of a test: the same test keeps it across runs, checkouts and worktrees. Tests that
 * share a file and full name (a loop or `test.each` with a constant title) are told apart by their
 * order in the run: the first keeps `suite::file::name`, so ids recorded before occurrences were
 * counted still name it, and the n-th gets ` [n]`.
 */
export function testId(suite: string, file: string, fullName: string, occurrence = 1): string {
  return `${suite}::${file}::${shownName({ fullName, occurrence })}`;
}

/**
 * Numbers the tests that share a file and full name in the order the runner reported them, and
 * gives every test its id. Runs once per suite run, after parsing: parsers need not count, and a
 * run read again (or by a custom adapter) gets the same ids.
 */
export function identifyTests(tests: TestCase[]): void {
  const seen = new Map<string, number>();
  for (const test of tests) {
    const key = `${test.file}\u0000${test.fullName}`;
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    if (n > 1) test.occurrence = n;
    else delete test.occurrence;
    test.id = testId(test.suite, test.file, test.fullName, n);
  }
}

/** A test's full name as a person reads it: with ` [n]` when an earlier test of its file has the same name. */
export function shownName(test: Pick<TestCase, 'fullName' | 'occurrence'>): string {
  return test.occurrence && test.occurrence > 1 ? `${test.fullName} [${test.occurrence}]` : test.fullName;
}

/** A load failure is tracked like a test of its own: the file's tests never ran. */
export function loadId(suite: string, file: string): string {
  return `${suite}::${file}::<load>`;
}

export function isLoadId(id: string): boolean {
  return id.endsWith('::<load>');
}

/** An id as a person reads it in a list: a file that fails to load by its path. */
export function shownId(id: string): string {
  return isLoadId(id) ? id.slice(id.indexOf('::') + 2, -'::<load>'.length) : id;
}

export const NO_TESTS: Readonly<Totals> = Object.freeze({ tests: 0, passed: 0, failed: 0, skipped: 0, loadErrors: 0 });

export function countTotals(tests: TestCase[], loadFailures: LoadFailure[]): Totals {
  const totals: Totals = { ...NO_TESTS, tests: tests.length, loadErrors: loadFailures.length };
  for (const test of tests) {
    // A test retried within the run counts as its first attempt went: one that failed and then
    // passed would have failed the user's own run, so it is no pass here (it is named flaky apart).
    const status = test.attempts?.[0] ?? test.status;
    if (status === 'passed') totals.passed++;
    else if (status === 'failed') totals.failed++;
    // A todo is a test that was not run: for the loop it weighs like a skipped one.
    else totals.skipped++;
  }
  return totals;
}

export function sumTotals(runs: Pick<SuiteRun, 'totals'>[]): Totals {
  const sum: Totals = { ...NO_TESTS };
  for (const { totals } of runs) {
    sum.tests += totals.tests;
    sum.passed += totals.passed;
    sum.failed += totals.failed;
    sum.skipped += totals.skipped;
    sum.loadErrors += totals.loadErrors;
  }
  return sum;
}

/**
 * Totals as every message and report words them: "3 passed, 1 failed, 2 files failed to load".
 * Skipped tests and files that failed to load are left out when there are none, unless `every`
 * asks for all four counts (the reports' tables and summaries, which compare runs side by side).
 */
export function formatTotals(t: Totals, opts: { every?: boolean } = {}): string {
  const parts = [`${t.passed} passed`, `${t.failed} failed`];
  if (t.skipped || opts.every) parts.push(`${t.skipped} skipped`);
  if (t.loadErrors || opts.every) parts.push(`${t.loadErrors} file${t.loadErrors === 1 ? '' : 's'} failed to load`);
  return parts.join(', ');
}

export function allTests(run: TestRun): TestCase[] {
  return run.suites.flatMap((s) => s.tests);
}

export function failingTests(run: TestRun): TestCase[] {
  return allTests(run).filter((t) => t.status === 'failed');
}

/** Skipped and todo tests: both were not executed. */
export function skippedTests(run: TestRun): TestCase[] {
  return allTests(run).filter((t) => t.status === 'skipped' || t.status === 'todo');
}

export function loadFailures(run: TestRun): LoadFailure[] {
  return run.suites.flatMap((s) => s.loadFailures);
}

export function blockedSuites(run: TestRun): (SuiteRun & { blocker: Blocker })[] {
  return run.suites.filter((s): s is SuiteRun & { blocker: Blocker } => s.blocker !== undefined);
}

export interface GreenOptions {
  /** How many tests the project is known to have: fewer reported means some silently did not run. */
  expectedTests?: number;
}

/** Expected tests that did not report at all (0 when no expectation was given). */
export function missingTests(run: TestRun, opts: GreenOptions = {}): number {
  return opts.expectedTests === undefined ? 0 : Math.max(0, opts.expectedTests - run.totals.tests);
}

/**
 * The only state fixloop may call green or 100%: at least one test executed, none failed, every
 * file loaded, every suite ran and no expected test is missing. Skipped tests do not prevent
 * green (they are always listed as skipped), but a run with nothing executed is not green.
 */
/**
 * Every test that failed (on its first attempt) is flaky, and nothing else stands between the run
 * and green: the user's own run would fail now and then, and no repair is owed.
 */
export function onlyFlakyFail(run: TestRun, flaky: ReadonlySet<string>): boolean {
  const t = run.totals;
  if (t.failed === 0 || t.loadErrors > 0 || blockedSuites(run).length > 0) return false;
  return run.suites.every((s) => s.tests.every((test) => (test.attempts?.[0] ?? test.status) !== 'failed' || flaky.has(test.id)));
}

export function isGreen(run: TestRun, opts: GreenOptions = {}): boolean {
  const t = run.totals;
  return t.passed > 0 && t.failed === 0 && t.loadErrors === 0 && blockedSuites(run).length === 0 && missingTests(run, opts) === 0;
}

/** Every test and load-failed file of a run by how it came out, by id (load failures by loadId). */
export interface Outcomes {
  passed: Set<string>;
  failing: Set<string>;
  skipped: Set<string>;
}

export function outcomes(run: TestRun): Outcomes {
  const passed = new Set<string>();
  const failing = new Set<string>();
  const skipped = new Set<string>();
  for (const suite of run.suites) {
    for (const t of suite.tests) {
      if (t.status === 'passed') passed.add(t.id);
      else if (t.status === 'failed') failing.add(t.id);
      else skipped.add(t.id);
    }
    for (const lf of suite.loadFailures) failing.add(loadId(lf.suite, lf.file));
  }
  return { passed, failing, skipped };
}

/**
 * Tests passing in `after` that were failing or absent (not run: their file failed to load or
 * their suite was blocked) in `before`. A test skipped before is not counted: un-skipping is not a fix.
 */
export function newlyPassing(before: TestRun, after: TestRun): string[] {
  const was = new Map(allTests(before).map((t) => [t.id, t.status]));
  return allTests(after)
    .filter((t) => t.status === 'passed' && (was.get(t.id) ?? 'failed') === 'failed')
    .map((t) => t.id);
}

/** The ids that stand for a problem: its failing tests and its load-failed files, per suite of the baseline. */
export function problemIds(problem: Problem, baseline: TestRun): string[] {
  const ids = new Set(problem.testIds);
  for (const suite of baseline.suites) {
    for (const lf of suite.loadFailures) if (problem.loadFailedFiles.includes(lf.file)) ids.add(loadId(suite.suite, lf.file));
  }
  return [...ids];
}

/** A problem's tests and load-failed files (as loadId) that still fail in `run`; `baseline` is the run it was found in. */
export function stillFailing(problem: Problem, baseline: TestRun, run: TestRun): string[] {
  const { failing } = outcomes(run);
  return problemIds(problem, baseline).filter((id) => failing.has(id));
}
