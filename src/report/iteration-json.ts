// The iteration report programs read. Absent values are null rather than missing so every
// document has the same keys; bump SCHEMA_VERSION whenever a key changes meaning or goes away.
import type { Attempt, Failure, IterationRecord, SourceLocation, SuiteRun, TestRun } from '../model.js';
import { blockedSuites, failingTests, isGreen, loadFailures, newlyPassing } from '../test-run.js';
import { attemptFor, missingDependencies, missingImpact, suiteStatus, type ReportOptions } from './facts.js';
import { whatIsMissing } from '../runners/missing.js';
import type { IterationReport } from './iteration-schema.js';
import { progressJson } from './progress.js';

export const SCHEMA_VERSION = 1;

function loc(l: SourceLocation | undefined): { file: string; line: number; column: number | null } | null {
  return l ? { file: l.file, line: l.line, column: l.column ?? null } : null;
}

function failureOf(f: Failure | undefined) {
  return { message: f?.message ?? null, errorName: f?.errorName ?? null, location: loc(f?.location) };
}

function suiteState(s: SuiteRun) {
  return {
    status: suiteStatus(s),
    totals: s.totals,
    failing: s.tests.filter((t) => t.status === 'failed').map((t) => t.id),
    loadFailed: s.loadFailures.map((l) => l.file),
    skipped: s.tests.filter((t) => t.status === 'skipped' || t.status === 'todo').map((t) => t.id),
  };
}

function suiteRows(before: TestRun, after: TestRun) {
  const was = new Map(before.suites.map((s) => [s.suite, s]));
  return after.suites.map((s) => {
    const b = was.get(s.suite);
    return {
      suite: s.suite,
      command: s.command,
      exitCode: s.exitCode,
      timedOut: s.timedOut,
      durationMs: s.durationMs,
      logFile: s.logFile ?? null,
      blocker: s.blocker ?? null,
      ...suiteState(s),
      before: b ? { ...suiteState(b), blocker: b.blocker ?? null } : null,
    };
  });
}

function verdictOf(a: Attempt | undefined) {
  const v = a?.verdict;
  return v ? { kind: v.kind, fixed: v.fixed, broke: v.broke, stillFailing: v.stillFailing, summary: v.summary } : null;
}

export function iterationJson(rec: IterationRecord, opts: ReportOptions = {}): IterationReport {
  return {
    schemaVersion: SCHEMA_VERSION,
    runId: rec.runId,
    iteration: rec.iteration,
    startedAt: rec.startedAt,
    endedAt: rec.endedAt,
    baseSha: rec.baseSha,
    expectedTests: opts.expectedTests ?? null,
    green: isGreen(rec.after, opts),
    totals: { before: rec.before.totals, after: rec.after.totals },
    newlyPassing: newlyPassing(rec.before, rec.after),
    suites: suiteRows(rec.before, rec.after),
    problems: rec.problems.map((p) => ({
      id: p.id,
      kind: p.kind,
      title: p.title,
      message: p.message,
      location: loc(p.location),
      testIds: p.testIds,
      loadFailedFiles: p.loadFailedFiles,
      testFiles: p.testFiles,
    })),
    fixes: rec.commits.map((c) => {
      const a = attemptFor(rec, c);
      return {
        sha: c.sha,
        message: c.message,
        files: c.files,
        problemId: c.problemId,
        candidateId: c.candidateId,
        provider: c.provider,
        iteration: c.iteration,
        rootCause: a?.rootCause ?? null,
        verdict: verdictOf(a),
      };
    }),
    attempts: rec.attempts.map((a) => ({
      problemId: a.problemId,
      candidateId: a.candidateId,
      provider: a.provider,
      title: a.title,
      outcome: a.outcome,
      reason: a.reason ?? null,
      rootCause: a.rootCause ?? null,
      verdict: verdictOf(a),
      diff: a.diff,
    })),
    flaky: rec.flaky ?? [],
    deploy: rec.deploy ?? null,
    ...progressJson(rec),
    blockers: blockersJson(rec),
    stillFailing: {
      tests: failingTests(rec.after).map((t) => ({ id: t.id, suite: t.suite, file: t.file, fullName: t.fullName, ...failureOf(t.failure) })),
      loadFailures: loadFailures(rec.after).map((l) => ({ suite: l.suite, file: l.file, ...failureOf(l.failure) })),
    },
    culprits: (rec.culprits ?? []).map((s) => ({
      problemId: s.problemId,
      culprit: s.culprit ? { ...s.culprit, diff: s.culprit.diff ?? null } : null,
      reason: s.reason ?? null,
      runs: s.runs,
      probes: s.probes,
    })),
  };
}

/** Suites that could not run, and dependencies that are not installed. */
function blockersJson(rec: IterationRecord): IterationReport['blockers'] {
  return [
    ...blockedSuites(rec.after).map((s) => ({
      suite: s.suite,
      command: s.command,
      exitCode: s.exitCode,
      timedOut: s.timedOut,
      reason: s.blocker.reason,
      message: s.blocker.message,
      outputTail: s.blocker.outputTail,
    })),
    // A dependency that is not installed blocks the files and tests it fails, not the whole suite.
    ...missingDependencies(rec.after).map(({ suite: s, missing: m }) => ({
      suite: s.suite,
      command: s.command,
      exitCode: s.exitCode,
      timedOut: s.timedOut,
      reason: 'environment' as const,
      message: `${whatIsMissing(m)} (${m.message}); it blocks ${missingImpact(m)}. To unblock: ${m.install}.`,
      outputTail: '',
    })),
  ];
}
