import { describe, expect, it } from 'vitest';
import type { Problem, SuiteRun, TestCase, TestRun, TestStatus } from '../../src/model.js';
import { compareRuns, loadId, stillFailing } from '../../src/verify/index.js';
import { targetedSuites } from '../../src/verify/verify.js';

function test(file: string, name: string, status: TestStatus): TestCase {
  return { id: `unit::${file}::${name}`, suite: 'unit', file, fullName: name, status };
}

function run(tests: TestCase[], loadFailed: string[] = [], blocked = false): TestRun {
  const suite: SuiteRun = {
    suite: 'unit',
    command: 'npx vitest run',
    exitCode: 1,
    durationMs: 10,
    timedOut: false,
    tests,
    loadFailures: loadFailed.map((file) => ({ suite: 'unit', file, failure: { message: 'ReferenceError: x is not defined' } })),
    totals: { tests: tests.length, passed: 0, failed: 0, skipped: 0, loadErrors: loadFailed.length },
    ...(blocked ? { blocker: { reason: 'command-not-found' as const, message: 'npx: not found', outputTail: '' } } : {}),
  };
  return { startedAt: '2026-11-24T00:00:00.000Z', durationMs: 10, suites: [suite], totals: suite.totals };
}

const loadProblem: Problem = {
  id: 'p1',
  kind: 'reference',
  title: 'ReferenceError: x is not defined (src/a.ts:1)',
  message: 'ReferenceError: x is not defined',
  location: { file: 'src/a.ts', line: 1 },
  testIds: [],
  loadFailedFiles: ['test/a.test.ts', 'test/b.test.ts'],
  testFiles: ['test/a.test.ts', 'test/b.test.ts'],
  failures: [],
};

const baseline = run([test('test/c.test.ts', 'c1', 'passed'), test('test/c.test.ts', 'c2', 'skipped')], ['test/a.test.ts', 'test/b.test.ts']);

describe('compareRuns', () => {
  it('is "fixed" when every load-failed file loads again and nothing that passed breaks', () => {
    const after = run([test('test/a.test.ts', 'a1', 'passed'), test('test/b.test.ts', 'b1', 'failed'), test('test/c.test.ts', 'c1', 'passed'), test('test/c.test.ts', 'c2', 'passed')]);
    const verdict = compareRuns(loadProblem, baseline, after);
    expect(verdict.kind).toBe('fixed');
    expect(verdict.fixed).toEqual([loadId('unit', 'test/a.test.ts'), loadId('unit', 'test/b.test.ts'), 'unit::test/a.test.ts::a1']);
    expect(verdict.broke).toEqual([]);
    expect(verdict.stillFailing).toEqual([]);
    expect(verdict.summary).toBe('fixed: 1 test now passes, 2 files load again');
  });

  it('is "partial" when one of two files still fails to load', () => {
    const after = run([test('test/a.test.ts', 'a1', 'passed'), test('test/c.test.ts', 'c1', 'passed')], ['test/b.test.ts']);
    const verdict = compareRuns(loadProblem, baseline, after);
    expect(verdict.kind).toBe('partial');
    expect(verdict.stillFailing).toEqual([loadId('unit', 'test/b.test.ts')]);
    expect(verdict.summary).toBe("partial: 1 test now passes, 1 file loads again; 1 of the problem's failures remain");
  });

  it('is "regressed" when a test that passed in the baseline fails, whatever else it fixed', () => {
    const after = run([test('test/a.test.ts', 'a1', 'passed'), test('test/b.test.ts', 'b1', 'passed'), test('test/c.test.ts', 'c1', 'failed')]);
    const verdict = compareRuns(loadProblem, baseline, after);
    expect(verdict.kind).toBe('regressed');
    expect(verdict.broke).toEqual(['unit::test/c.test.ts::c1']);
  });

  it('does not count a known flaky test failing as broken', () => {
    const after = run([test('test/a.test.ts', 'a1', 'passed'), test('test/b.test.ts', 'b1', 'passed'), test('test/c.test.ts', 'c1', 'failed')]);
    const verdict = compareRuns(loadProblem, baseline, after, new Set(['unit::test/c.test.ts::c1']));
    expect(verdict.kind).toBe('fixed');
    expect(verdict.broke).toEqual([]);
  });

  it('counts a failing test that no longer runs as broken: the test set may not shrink', () => {
    const withFailure = run([test('test/c.test.ts', 'c1', 'passed'), test('test/c.test.ts', 'c3', 'failed')], ['test/a.test.ts', 'test/b.test.ts']);
    const after = run([test('test/a.test.ts', 'a1', 'passed'), test('test/b.test.ts', 'b1', 'passed'), test('test/c.test.ts', 'c1', 'passed')]);
    const verdict = compareRuns(loadProblem, withFailure, after);
    expect(verdict.kind).toBe('regressed');
    expect(verdict.broke).toEqual(['unit::test/c.test.ts::c3']);
  });

  it('counts a passing test that vanished as broken', () => {
    const after = run([test('test/a.test.ts', 'a1', 'passed'), test('test/b.test.ts', 'b1', 'passed')]);
    expect(compareRuns(loadProblem, baseline, after).broke).toEqual(['unit::test/c.test.ts::c1']);
  });

  it('is "no-effect" when the problem is untouched', () => {
    const verdict = compareRuns(loadProblem, baseline, baseline);
    expect(verdict.kind).toBe('no-effect');
    expect(verdict.summary).toBe("no-effect: nothing fixed; 2 of the problem's failures remain");
  });

  it('is "broken" when a suite that ran no longer runs', () => {
    const verdict = compareRuns(loadProblem, baseline, run([], [], true));
    expect(verdict.kind).toBe('broken');
  });
});

describe('stillFailing and targetedSuites', () => {
  it('marks a suite whose every file is targeted as whole', () => {
    const suite = { name: 'unit', command: 'npx vitest run', format: 'vitest' as const, timeoutSec: 60 };
    const onlyLoadFailures = run([], ['test/a.test.ts', 'test/b.test.ts']);
    expect(targetedSuites(loadProblem, onlyLoadFailures, [suite])).toEqual([{ suite, files: ['test/a.test.ts', 'test/b.test.ts'], whole: true }]);
  });

  it('runs a slow suite whole when it ran no test at all: its load failures may be source files a compile step named', () => {
    const suite = { name: 'unit', command: 'npm test', format: 'node-test' as const, timeoutSec: 60 };
    // uuid's pretest tsc failing on src/v5.ts and src/uuid-bin.ts: `node --test src/v5.ts` would run nothing of the suite.
    const compiled = run([], ['src/uuid-bin.ts', 'src/v5.ts']);
    const slow = { ...compiled, suites: compiled.suites.map((x) => ({ ...x, durationMs: 60_000 })) };
    const problem: Problem = { ...loadProblem, loadFailedFiles: ['src/v5.ts'], testFiles: ['src/v5.ts'] };
    expect(targetedSuites(problem, slow, [suite])).toEqual([{ suite, files: ['src/v5.ts'], whole: true }]);
  });

  it('lists the problem ids still failing in a run', () => {
    expect(stillFailing(loadProblem, baseline, baseline)).toEqual([loadId('unit', 'test/a.test.ts'), loadId('unit', 'test/b.test.ts')]);
  });

  it('re-runs only the problem files each suite ran in the baseline', () => {
    const suites = [
      { name: 'unit', command: 'npx vitest run', format: 'vitest' as const, timeoutSec: 60 },
      { name: 'other', command: 'npx vitest run other', format: 'vitest' as const, timeoutSec: 60 },
    ];
    const slow = { ...baseline, suites: baseline.suites.map((x) => ({ ...x, durationMs: 60_000 })) };
    expect(targetedSuites(loadProblem, slow, suites)).toEqual([{ suite: suites[0], files: ['test/a.test.ts', 'test/b.test.ts'], whole: false }]);
    // A suite that runs in seconds is not worth filtering: its one run serves as targeted and full.
    expect(targetedSuites(loadProblem, baseline, suites)).toEqual([{ suite: suites[0], files: ['test/a.test.ts', 'test/b.test.ts'], whole: true }]);
  });

  it("chooses a slow suite's failing tests by name, unless one of its files failed to load", () => {
    const suite = { name: 'unit', command: 'npx vitest run', format: 'vitest' as const, timeoutSec: 60 };
    const failing = [test('test/a.test.ts', 'adds', 'failed'), test('test/b.test.ts', 'rounds', 'failed')];
    const slow = (r: TestRun) => ({ ...r, suites: r.suites.map((x) => ({ ...x, durationMs: 60_000 })) });
    const tests = slow(run([...failing, test('test/a.test.ts', 'subtracts', 'passed'), test('test/c.test.ts', 'other', 'passed')]));
    const testProblem: Problem = { ...loadProblem, loadFailedFiles: [], testIds: failing.map((t) => t.id) };
    expect(targetedSuites(testProblem, tests, [suite])).toEqual([{ suite, files: ['test/a.test.ts', 'test/b.test.ts'], whole: false, tests: failing }]);
    // test/b.test.ts did not load: it has no test names to choose, so both files run whole.
    const mixed = slow(run([failing[0], test('test/c.test.ts', 'other', 'passed')], ['test/b.test.ts']));
    const mixedProblem: Problem = { ...loadProblem, loadFailedFiles: ['test/b.test.ts'], testIds: [failing[0].id] };
    expect(targetedSuites(mixedProblem, mixed, [suite])).toEqual([{ suite, files: ['test/a.test.ts', 'test/b.test.ts'], whole: false }]);
  });

  it('runs a slow suite whole when the filter would keep more than half of its tests', () => {
    const suite = { name: 'unit', command: 'python -m pytest', format: 'pytest' as const, timeoutSec: 60 };
    const slow = (r: TestRun) => ({ ...r, suites: r.suites.map((x) => ({ ...x, durationMs: 60_000 })) });
    // itsdangerous with a misspelled name in signer.py: 266 of its 297 tests fail, in most of its files.
    const failing = [test('test/a.test.ts', 'a1', 'failed'), test('test/a.test.ts', 'a2', 'failed'), test('test/b.test.ts', 'b1', 'failed')];
    const passing = [test('test/b.test.ts', 'b2', 'passed'), test('test/c.test.ts', 'c1', 'passed')];
    const problem: Problem = { ...loadProblem, loadFailedFiles: [], testIds: failing.map((t) => t.id) };
    expect(targetedSuites(problem, slow(run([...failing, ...passing])), [suite])).toEqual([{ suite, files: ['test/a.test.ts', 'test/b.test.ts'], whole: true }]);
    // By file: a.test.ts did not load and b.test.ts holds 3 of the 5 tests.
    const byFile = slow(run([test('test/b.test.ts', 'b1', 'failed'), ...passing, test('test/b.test.ts', 'b3', 'passed')], ['test/a.test.ts']));
    const fileProblem: Problem = { ...loadProblem, loadFailedFiles: ['test/a.test.ts'], testIds: [failing[2].id] };
    expect(targetedSuites(fileProblem, byFile, [suite])).toEqual([{ suite, files: ['test/a.test.ts', 'test/b.test.ts'], whole: true }]);
    // Half is not more than half: 2 failing of 4 still run by name.
    const half = slow(run([failing[0], failing[1], ...passing]));
    const halfProblem: Problem = { ...problem, testIds: [failing[0].id, failing[1].id], testFiles: ['test/a.test.ts'] };
    expect(targetedSuites(halfProblem, half, [suite])).toEqual([{ suite, files: ['test/a.test.ts'], whole: false, tests: [failing[0], failing[1]] }]);
  });
});
