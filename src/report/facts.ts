// Views over an IterationRecord shared by the Markdown and JSON reports. They only select,
// compare and count what the loop recorded; they never re-run or re-derive a verdict.
import type { Attempt, Blocker, CommitRecord, IterationRecord, LoadFailure, MissingDependency, Problem, SuiteRun, TestCase, TestRun } from '../model.js';

export interface ReportOptions {
  /** How many tests the project is known to have: fewer reported means some silently did not run. */
  expectedTests?: number;
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

/** Each dependency a suite lacks, with the suite: environment blockers of single files and tests. */
export function missingDependencies(run: TestRun): { suite: SuiteRun; missing: MissingDependency }[] {
  return run.suites.flatMap((suite) => (suite.missing ?? []).map((missing) => ({ suite, missing })));
}

/** What a missing dependency stops: "test/a.test.ts (failed to load), 2 tests". */
export function missingImpact(m: MissingDependency): string {
  const parts = [...m.files.map((f) => `${f} (failed to load)`), ...(m.testIds.length ? [`${m.testIds.length} test${m.testIds.length === 1 ? '' : 's'}`] : [])];
  return parts.join(', ');
}

export function blockedSuites(run: TestRun): (SuiteRun & { blocker: Blocker })[] {
  return run.suites.filter((s): s is SuiteRun & { blocker: Blocker } => s.blocker !== undefined);
}

/** Expected tests that did not report at all (0 when no expectation was given). */
export function missingTests(run: TestRun, opts: ReportOptions = {}): number {
  return opts.expectedTests === undefined ? 0 : Math.max(0, opts.expectedTests - run.totals.tests);
}

/**
 * The only state a report may call green or 100%: at least one test executed, none failed,
 * every file loaded, every suite ran and no expected test is missing. Skipped tests do not
 * prevent green (they are always listed as skipped), but a run with nothing executed is not green.
 */
export function isGreen(run: TestRun, opts: ReportOptions = {}): boolean {
  const t = run.totals;
  return t.passed > 0 && t.failed === 0 && t.loadErrors === 0 && blockedSuites(run).length === 0 && missingTests(run, opts) === 0;
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

export function suiteStatus(s: SuiteRun): string {
  if (s.blocker) return `blocked: ${s.blocker.reason}`;
  if (s.totals.failed > 0 || s.totals.loadErrors > 0) return 'failing';
  if (s.totals.passed === 0) return 'no tests executed';
  if (s.totals.skipped > 0) return `passed (${s.totals.skipped} skipped)`;
  return 'passed';
}

export function attemptFor(rec: IterationRecord, commit: CommitRecord): Attempt | undefined {
  return (
    rec.attempts.find((a) => a.candidateId === commit.candidateId && a.outcome === 'committed') ??
    rec.attempts.find((a) => a.candidateId === commit.candidateId)
  );
}

export function problemFor(rec: IterationRecord, problemId: string): Problem | undefined {
  return rec.problems.find((p) => p.id === problemId);
}

/** A problem's tests and load-failed files that still fail in `after`. */
export function stillFailingOf(problem: Problem, after: TestRun): string[] {
  const failing = new Set(failingTests(after).map((t) => t.id));
  const unloaded = new Set(loadFailures(after).map((l) => l.file));
  return [...problem.testIds.filter((id) => failing.has(id)), ...problem.loadFailedFiles.filter((f) => unloaded.has(f))];
}

/** Failures in `after` that no problem of this iteration explains: new, or not triaged yet. */
export function unexplained(rec: IterationRecord): { tests: TestCase[]; files: LoadFailure[] } {
  // A missing dependency explains its failures too: they are named with it, as environment blockers.
  const missing = rec.after.suites.flatMap((s) => s.missing ?? []);
  const ids = new Set([...rec.problems.flatMap((p) => p.testIds), ...missing.flatMap((m) => m.testIds)]);
  const files = new Set([...rec.problems.flatMap((p) => p.loadFailedFiles), ...missing.flatMap((m) => m.files)]);
  return {
    tests: failingTests(rec.after).filter((t) => !ids.has(t.id)),
    files: loadFailures(rec.after).filter((l) => !files.has(l.file)),
  };
}
