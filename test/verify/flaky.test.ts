import { describe, expect, it } from 'vitest';
import { cannotPassByChance, findFlaky } from '../../src/verify/flaky.js';
import type { SuiteRun, TestCase, TestRun, TestStatus } from '../../src/model.js';
import type { SuiteConfig } from '../../src/policy/schema.js';
import type { TestRunnerAdapter } from '../../src/runners/index.js';

describe('cannotPassByChance: which failures the flaky re-runs skip', () => {
  it.each([
    [{ message: 'ReferenceError: sum is not defined', errorName: 'ReferenceError' }, true],
    [{ message: 'SyntaxError: Unexpected token', errorName: 'SyntaxError' }, true],
    [{ message: "Error: Cannot find module './helpers'" }, true],
    [{ message: 'TypeError: runner.runDue is not a function', errorName: 'TypeError' }, true],
    [{ message: "TypeError: Cannot read properties of undefined (reading 'id')", errorName: 'TypeError' }, false],
    [{ message: 'AssertionError: expected 3 to be 4', errorName: 'AssertionError' }, false],
    [{ message: 'Error: Test timed out in 5000ms.' }, false],
    // ts-jest compiles the test first: the same type error every time.
    [{ message: "src/a.ts:3:7 - error TS2322: Type 'string' is not assignable to type 'number'." }, true],
    // expect(() => ms('1m')).not.toThrow() with `vamue` misspelled in ms (jest 30, then vitest 4).
    [{ message: 'Error: expect(received).not.toThrow()', errorName: 'Error', stack: 'Error: expect(received).not.toThrow()\n\nError name:    "ReferenceError"\nError message: "vamue is not defined"\n\n      at ms (src/index.ts:55:18)' }, true],
    [{ message: "AssertionError: expected [Function] to not throw an error but 'ReferenceError: vamue is not defined' was thrown", errorName: 'AssertionError' }, true],
    // Another error a toThrow matcher caught may depend on timing.
    [{ message: 'Error: expect(received).not.toThrow()', errorName: 'Error', stack: 'Error: expect(received).not.toThrow()\n\nError name:    "Error"\nError message: "socket hang up"' }, false],
  ])('%j → %s', (failure, skip) => {
    expect(cannotPassByChance(failure)).toBe(skip);
  });
});

describe('findFlaky', () => {
  const config: SuiteConfig = { name: 'u', command: 'x', format: 'jest', timeoutSec: 5 };
  const test = (fullName: string, status: TestStatus, extra: Partial<TestCase> = {}): TestCase => ({
    id: `u::a.test.js::${fullName}`,
    suite: 'u',
    file: 'a.test.js',
    fullName,
    status,
    ...(status === 'failed' ? { failure: { message: 'AssertionError: expected 1 to be 2' } } : {}),
    ...extra,
  });
  const runOf = (tests: TestCase[]): TestRun => {
    const suite: SuiteRun = { suite: 'u', command: 'x', exitCode: 1, durationMs: 1, timedOut: false, tests, loadFailures: [], totals: { tests: tests.length, passed: 0, failed: 0, skipped: 0, loadErrors: 0 } };
    return { startedAt: '', durationMs: 1, suites: [suite], totals: suite.totals };
  };

  it('re-runs failing tests by name in new runs, stops re-running one once it passed, and skips what cannot pass by chance', async () => {
    // What each re-run returns, in order: "sometimes" passes the second time, "never" never does.
    const script: Record<string, TestStatus[]> = { once: ['passed'], sometimes: ['failed', 'passed'], never: ['failed', 'failed'] };
    const calls: { names: string[]; retries?: number }[] = [];
    const adapter: TestRunnerAdapter = {
      format: 'jest',
      async run(_suite, options) {
        calls.push({ names: (options.tests ?? []).map((t) => t.fullName), retries: options.retries });
        return runOf((options.tests ?? []).map((t) => test(t.fullName, script[t.fullName].shift()!))).suites[0];
      },
    };
    const baseline = runOf([
      test('once', 'failed'),
      test('sometimes', 'failed'),
      test('never', 'failed'),
      test('undefined name', 'failed', { failure: { message: 'ReferenceError: sum is not defined', errorName: 'ReferenceError' } }),
      test('fine', 'passed'),
    ]);
    const judged = new Set<string>();
    const found = await findFlaky(baseline, { cwd: '/nowhere', suites: [config], reruns: 2, judged, adapters: { jest: adapter } });
    expect(found).toEqual([
      { id: 'u::a.test.js::once', history: ['failed', 'passed'] },
      { id: 'u::a.test.js::sometimes', history: ['failed', 'failed', 'passed'] },
    ]);
    expect(calls).toEqual([
      // Retries are asked for (a runner that can retry does every re-run in this one start); jest cannot.
      { names: ['once', 'sometimes', 'never'], retries: 1 },
      { names: ['sometimes', 'never'], retries: undefined },
    ]);
    expect([...judged]).toEqual(['u::a.test.js::once', 'u::a.test.js::sometimes', 'u::a.test.js::never']);
  });

  it('judges a test the run retried by its attempts, with no new run, even one the run counts as passed', async () => {
    const adapter: TestRunnerAdapter = {
      format: 'jest',
      run: () => Promise.reject(new Error('no re-run expected')),
    };
    const baseline = runOf([
      test('passed on retry', 'passed', { attempts: ['failed', 'passed'] }),
      test('failed every time', 'failed', { attempts: ['failed', 'failed', 'failed'] }),
    ]);
    const judged = new Set<string>();
    const found = await findFlaky(baseline, { cwd: '/nowhere', suites: [config], reruns: 2, judged, adapters: { jest: adapter } });
    expect(found).toEqual([{ id: 'u::a.test.js::passed on retry', history: ['failed', 'passed'] }]);
    expect(judged.size).toBe(2);
  });
});
