// Real runs of each adapter on copies of the crash cases (fixtures/<runner>/crash and crash-kill):
// a test that ends its own process with process.exit / os._exit, or kills it with SIGKILL, while
// another file passes and one fails. Nothing may come out green when a process died: a runner
// that reports the crash as a failure gets it counted, a runner that dies with it is a blocker.
import { afterEach, describe, expect, it } from 'vitest';
import type { SuiteRun } from '../../src/model.js';
import type { SuiteConfig } from '../../src/policy/schema.js';
import { JestAdapter, NodeTestAdapter, PytestAdapter, VitestAdapter } from '../../src/runners/index.js';
import { fixtureProject, removeProjects } from './projects.js';
import { brief } from './runner-captures.js';

afterEach(removeProjects);

const project = fixtureProject;

const suite = (command: string, format: SuiteConfig['format']): SuiteConfig => ({ name: 'unit', command, format, timeoutSec: 60 });

/**
 * The outcome asserted: exit code, blocker (reason and first line), totals, tests (by id: jest
 * lists files in the order its workers finish) and load failures.
 */
function outcome(run: SuiteRun) {
  const { tests, loadFailures } = brief(run);
  return {
    exitCode: run.exitCode,
    blocker: run.blocker && [run.blocker.reason, run.blocker.message.split('\n')[0]],
    totals: run.totals,
    tests: tests.sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    loadFailures,
  };
}

const PASSES = (file: string, line: number) => [`unit::${file}::adds two numbers`, 'passed', line, undefined, undefined, undefined];

describe('VitestAdapter on a crash', () => {
  const run = (name: string) => new VitestAdapter().run(suite('npx vitest run', 'vitest'), { cwd: project('vitest', name, { type: 'module' }) });

  it('process.exit in a test: vitest intercepts it and fails that test, the file goes on', async () => {
    expect(outcome(await run('crash'))).toEqual({
      exitCode: 1,
      blocker: undefined,
      totals: { tests: 5, passed: 3, failed: 2, skipped: 0, loadErrors: 0 },
      tests: [
        PASSES('test/fine.test.ts', 4),
        ['unit::test/quits.test.ts::exits the process', 'failed', 5, 'Error: process.exit unexpectedly called with "1"', 'Error', 'test/quits.test.ts:6:11'],
        ['unit::test/quits.test.ts::runs after', 'passed', 9, undefined, undefined, undefined],
        ['unit::test/quits.test.ts::runs before', 'passed', 3, undefined, undefined, undefined],
        ['unit::test/wrong.test.ts::adds negatives', 'failed', 4, 'AssertionError: expected -3 to be -4 // Object.is equality', 'AssertionError', 'test/wrong.test.ts:5:23'],
      ],
      loadFailures: [],
    });
  });

  it('SIGKILL of the worker: the file did not finish (its tests are "pending", not skipped), and is a failed file', async () => {
    expect(outcome(await run('crash-kill'))).toEqual({
      exitCode: 1,
      blocker: undefined,
      totals: { tests: 2, passed: 1, failed: 1, skipped: 0, loadErrors: 1 },
      tests: [
        PASSES('test/fine.test.ts', 4),
        ['unit::test/wrong.test.ts::adds negatives', 'failed', 4, 'AssertionError: expected -3 to be -4 // Object.is equality', 'AssertionError', 'test/wrong.test.ts:5:23'],
      ],
      loadFailures: [['test/quits.test.ts', 'test/quits.test.ts did not finish: its worker exited unexpectedly (no result for 3 of its tests)', undefined, undefined]],
    });
  });
});

describe('JestAdapter on a crash', () => {
  const run = (name: string, command: string) => new JestAdapter().run(suite(command, 'jest'), { cwd: project('jest', name, { name }) });
  // In band (what jest chooses on its own with two CPUs, as in the captures), the tests run in jest's own process.
  it('process.exit in band: jest itself exits with the test and writes no report, a blocker with its last words', async () => {
    const result = await run('crash', 'npx jest --runInBand');
    expect(outcome(result)).toEqual({
      exitCode: 1,
      blocker: ['no-report', 'Suite "unit" (`npx jest --runInBand`) exited with code 1 without writing a jest JSON report: is it a jest command, and does its config load?'],
      totals: { tests: 0, passed: 0, failed: 0, skipped: 0, loadErrors: 0 },
      tests: [],
      loadFailures: [],
    });
    expect(result.blocker?.message).toMatch(/●  process\.exit called with "1"\n[^]*at Object\.exit \(test\/quits\.test\.js:4:11\)$/);
  });

  it('SIGKILL in band: jest is killed, a crash blocker naming the signal', async () => {
    const result = await run('crash-kill', 'npx jest --runInBand');
    expect(outcome(result)).toEqual({
      exitCode: 137,
      blocker: ['crash', 'Suite "unit" (`npx jest --runInBand`) was killed by SIGKILL (exit code 137) without writing a jest JSON report: is it a jest command, and does its config load?'],
      totals: { tests: 0, passed: 0, failed: 0, skipped: 0, loadErrors: 0 },
      tests: [],
      loadFailures: [],
    });
  });

  const inWorker = (message: string) => ({
    exitCode: 1,
    blocker: undefined,
    totals: { tests: 2, passed: 1, failed: 1, skipped: 0, loadErrors: 1 },
    tests: [
      PASSES('test/fine.test.js', 3),
      ['unit::test/wrong.test.js::adds negatives', 'failed', 3, 'Error: expect(received).toBe(expected) // Object.is equality', 'Error', 'test/wrong.test.js:4:23'],
    ],
    loadFailures: [['test/quits.test.js', message, undefined, undefined]],
  });

  it('process.exit in a worker: jest retries the file, then fails it as a file that did not run', async () => {
    expect(outcome(await run('crash', 'npx jest --maxWorkers=2'))).toEqual(inWorker('Jest worker encountered 4 child process exceptions, exceeding retry limit'));
  });

  it('SIGKILL of a worker: jest fails the file at once, naming the signal', async () => {
    const result = outcome(await run('crash-kill', 'npx jest --maxWorkers=2'));
    const message = result.loadFailures[0]?.[1] as string;
    expect(message.replace(/pid=\d+/, 'pid=N')).toBe(
      'A jest worker process (pid=N) was terminated by another process: signal=SIGKILL, exitCode=null. Operating system logs may contain more information on why this occurred.',
    );
    expect(result).toEqual(inWorker(message));
  });
});

describe('NodeTestAdapter on a crash', () => {
  it.each([['crash'], ['crash-kill']])('%s: node fails the file whose process ended, with no test of it reported', async (name) => {
    const run = await new NodeTestAdapter().run(suite('node --test', 'node-test'), { cwd: project('node-test', name, { type: 'module' }) });
    expect(outcome(run)).toEqual({
      exitCode: 1,
      blocker: undefined,
      totals: { tests: 2, passed: 1, failed: 1, skipped: 0, loadErrors: 1 },
      tests: [
        PASSES('test/fine.test.js', 5),
        ['unit::test/wrong.test.js::adds negatives', 'failed', 5, 'AssertionError [ERR_ASSERTION]: Expected values to be strictly equal: -3 !== -4', 'AssertionError', 'test/wrong.test.js:6:10'],
      ],
      loadFailures: [['test/quits.test.js', 'test/quits.test.js failed outside its tests: it did not load, or its process exited (test failed)', undefined, undefined]],
    });
  });
});

describe('PytestAdapter on a crash', () => {
  const run = (name: string) => new PytestAdapter().run(suite('python3 -m pytest -p no:cacheprovider', 'pytest'), { cwd: project('pytest', name) });

  it('os._exit(3): pytest dies with the test and writes no junit.xml, a blocker ending at the crashing file', async () => {
    const result = await run('crash');
    expect(outcome(result)).toEqual({
      exitCode: 3,
      blocker: ['no-report', 'Suite "unit" (`python3 -m pytest -p no:cacheprovider`) exited with code 3 without writing a pytest JUnit report: is it a pytest command, and is pytest installed?'],
      totals: { tests: 0, passed: 0, failed: 0, skipped: 0, loadErrors: 0 },
      tests: [],
      loadFailures: [],
    });
    expect(result.blocker?.message).toMatch(/\ntests\/test_fine\.py \.\s+\[ 20%\]\ntests\/test_quits\.py \.$/);
  });

  it('SIGKILL: pytest is killed, a crash blocker naming the signal', async () => {
    const result = await run('crash-kill');
    expect(outcome(result)).toEqual({
      exitCode: 137,
      blocker: ['crash', 'Suite "unit" (`python3 -m pytest -p no:cacheprovider`) was killed by SIGKILL (exit code 137) without writing a pytest JUnit report: is it a pytest command, and is pytest installed?'],
      totals: { tests: 0, passed: 0, failed: 0, skipped: 0, loadErrors: 0 },
      tests: [],
      loadFailures: [],
    });
    // The shell running the command says "Killed" right after pytest's last dot.
    expect(result.blocker?.message).toMatch(/\ntests\/test_fine\.py \.\s+\[ 20%\]\ntests\/test_quits\.py \.Killed$/);
  });
});
