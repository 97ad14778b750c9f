// Views over an IterationRecord shared by the Markdown and JSON reports. They only select,
// compare and count what the loop recorded; they never re-run or re-derive a verdict.
import type { Attempt, CommitRecord, IterationRecord, LoadFailure, MissingDependency, Problem, SuiteRun, TestCase, TestRun } from '../model.js';
import { failingTests, loadFailures } from '../test-run.js';

/** What a report needs beyond the record to judge a run green (see isGreen). */
export type { GreenOptions as ReportOptions } from '../test-run.js';

/** Each dependency a suite lacks, with the suite: environment blockers of single files and tests. */
export function missingDependencies(run: TestRun): { suite: SuiteRun; missing: MissingDependency }[] {
  return run.suites.flatMap((suite) => (suite.missing ?? []).map((missing) => ({ suite, missing })));
}

/** What a missing dependency stops: "test/a.test.ts (failed to load), 2 tests". */
export function missingImpact(m: MissingDependency): string {
  const parts = [...m.files.map((f) => `${f} (failed to load)`), ...(m.testIds.length ? [`${m.testIds.length} test${m.testIds.length === 1 ? '' : 's'}`] : [])];
  return parts.join(', ');
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
