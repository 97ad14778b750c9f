// Tests that share a file and a name (a loop or test.each with a constant title) are distinct
// tests: compared, re-run and reported one by one, by their order in the run.
import { describe, expect, it } from 'vitest';
import type { Problem, SuiteRun, TestCase, TestRun, TestStatus } from '../../src/model.js';
import type { SuiteConfig } from '../../src/policy/schema.js';
import type { TestRunnerAdapter } from '../../src/runners/index.js';
import { identifyTests, newlyPassing, stillFailing } from '../../src/test-run.js';
import { groupProblems } from '../../src/triage/group.js';
import { findFlaky } from '../../src/verify/flaky.js';
import { compareRuns, targetedSuites } from '../../src/verify/index.js';

const FILE = 'test/math.test.ts';

/** Tests as a parser reads them (ids without occurrence), then numbered as every run is. */
function tests(...entries: [string, TestStatus][]): TestCase[] {
  const read = entries.map(([fullName, status]): TestCase => ({
    id: `unit::${FILE}::${fullName}`,
    suite: 'unit',
    file: FILE,
    fullName,
    status,
    ...(status === 'failed' ? { failure: { message: 'AssertionError: expected 3 to be 2', location: { file: 'src/math.ts', line: 2 } } } : {}),
  }));
  identifyTests(read);
  return read;
}

function runOf(list: TestCase[], durationMs = 60_000): TestRun {
  const totals = { tests: list.length, passed: 0, failed: 0, skipped: 0, loadErrors: 0 };
  const suite: SuiteRun = { suite: 'unit', command: 'npx vitest run', exitCode: 1, durationMs, timedOut: false, tests: list, loadFailures: [], totals };
  return { startedAt: '', durationMs, suites: [suite], totals };
}

describe('identifyTests', () => {
  it('keeps the first test of a name as it was and numbers the next ones, per file', () => {
    const list = tests(['adds 1', 'passed'], ['adds 1', 'failed'], ['other', 'passed'], ['adds 1', 'passed']);
    list.push({ ...list[0], file: 'test/b.test.ts' });
    identifyTests(list);
    expect(list.map((t) => [t.id, t.occurrence])).toEqual([
      ['unit::test/math.test.ts::adds 1', undefined],
      ['unit::test/math.test.ts::adds 1 [2]', 2],
      ['unit::test/math.test.ts::other', undefined],
      ['unit::test/math.test.ts::adds 1 [3]', 3],
      ['unit::test/b.test.ts::adds 1', undefined],
    ]);
  });
});

describe('comparing runs with tests that share a name', () => {
  const failingSecond = runOf(tests(['adds 1', 'passed'], ['adds 1', 'failed'], ['adds 1', 'passed']));

  it('counts no test as newly passing when nothing changed', () => {
    expect(newlyPassing(failingSecond, failingSecond)).toEqual([]);
    // The order the statuses come in must not matter either (the last used to win).
    const reversed = runOf(tests(['adds 1', 'failed'], ['adds 1', 'passed']));
    expect(newlyPassing(reversed, reversed)).toEqual([]);
  });

  it('judges a candidate test by test: the second fixed, the third broken', () => {
    const [problem] = groupProblems(failingSecond);
    expect(problem.testIds).toEqual(['unit::test/math.test.ts::adds 1 [2]']);
    const after = runOf(tests(['adds 1', 'passed'], ['adds 1', 'passed'], ['adds 1', 'failed']));
    const verdict = compareRuns(problem, failingSecond, after);
    expect([verdict.kind, verdict.fixed, verdict.broke, verdict.stillFailing]).toEqual([
      'regressed',
      ['unit::test/math.test.ts::adds 1 [2]'],
      ['unit::test/math.test.ts::adds 1 [3]'],
      [],
    ]);
    expect(stillFailing(problem, failingSecond, failingSecond)).toEqual(['unit::test/math.test.ts::adds 1 [2]']);
  });

  it('re-runs the problem\'s tests by their shared name and reads each one back by its occurrence', () => {
    const twoFailing = runOf(tests(['adds 1', 'failed'], ['adds 1', 'passed'], ['adds 1', 'failed']));
    const [problem] = groupProblems(twoFailing);
    const suite: SuiteConfig = { name: 'unit', command: 'npx vitest run', format: 'vitest', timeoutSec: 60 };
    // Another file in the suite: the problem's file alone is then run by name, not the whole suite.
    const withOther = runOf([...twoFailing.suites[0].tests, ...tests(['x', 'passed']).map((t) => ({ ...t, file: 'test/x.test.ts' }))]);
    const [target] = targetedSuites(problem, withOther, [suite]);
    expect(target.tests?.map((t) => t.id)).toEqual(['unit::test/math.test.ts::adds 1', 'unit::test/math.test.ts::adds 1 [3]']);
    // The runner runs every test of that name: the first now passes, the third still fails.
    const targeted = runOf(tests(['adds 1', 'passed'], ['adds 1', 'passed'], ['adds 1', 'failed']));
    expect(stillFailing(problem, twoFailing, targeted)).toEqual(['unit::test/math.test.ts::adds 1 [3]']);
  });
});

describe('findFlaky with tests that share a name', () => {
  const config: SuiteConfig = { name: 'unit', command: 'x', format: 'jest', timeoutSec: 5 };

  it('calls flaky only the test that passed on a re-run, not one that fails every time beside passing namesakes', async () => {
    // A runner asked for "adds 1" runs the three tests of that name; the second fails every time,
    // the third fails once and then passes.
    const answers: TestStatus[][] = [['passed', 'failed', 'passed']];
    const adapter: TestRunnerAdapter = {
      format: 'jest',
      async run(_suite, options) {
        expect([...new Set(options.tests?.map((t) => t.fullName))]).toEqual(['adds 1']);
        const statuses = answers.shift()!;
        return runOf(tests(...statuses.map((s): [string, TestStatus] => ['adds 1', s]))).suites[0];
      },
    };
    const baseline = runOf(tests(['adds 1', 'passed'], ['adds 1', 'failed'], ['adds 1', 'failed']));
    const found = await findFlaky(baseline, { cwd: '/nowhere', suites: [config], reruns: 1, judged: new Set(), adapters: { jest: adapter } });
    expect(found).toEqual([{ id: 'unit::test/math.test.ts::adds 1 [3]', history: ['failed', 'passed'] }]);
  });
});
