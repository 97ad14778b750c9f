// "Green" means every executed test passed on its first attempt. A test vitest's in-run retry
// turned into a pass would still fail the user's own `npx vitest run`: it is counted as it first
// went, named flaky, and the run does not end green.
import { describe, expect, it } from 'vitest';
import { createLoop } from '../../src/loop/index.js';
import type { TestCase } from '../../src/model.js';
import { countTotals, onlyFlakyFail } from '../../src/test-run.js';
import { makeVitestRepo } from '../helpers/git-repo.js';
import { collect } from '../helpers/loop-fixtures.js';

const test = (id: string, status: TestCase['status'], attempts?: TestCase['status'][]): TestCase => ({ id, suite: 's', file: 'a.test.ts', fullName: id, status, ...(attempts ? { attempts } : {}) });

describe('totals from each test\'s first attempt', () => {
  it('counts a test that failed and then passed on a retry as failed', () => {
    expect(countTotals([test('a', 'passed'), test('b', 'passed', ['failed', 'passed']), test('c', 'failed', ['failed', 'failed'])], [])).toEqual({
      tests: 3, passed: 1, failed: 2, skipped: 0, loadErrors: 0,
    });
  });
});

describe('the baseline run is the user\'s command as it is', () => {
  it('asks for no in-run retry: a timed-out attempt\'s work, left running, would fail a later test the user sees pass', async () => {
    // One worker serves every test, as a checker's agent process does (recheck in path-to-regexp's
    // redos tests): a job runs to its end even after its test timed out. Alone, the first test's
    // timeout leaves 0.8 s of its job, and the second waits it out within its 1.5 s; each retry of
    // the first would queue 1 s more, and the second would time out.
    const repo = makeVitestRepo({
      'package.json': '{"type":"module"}\n',
      'loop.policy.json': JSON.stringify({ suites: [{ name: 'unit', command: 'npx vitest run', timeoutSec: 120 }], flaky: { reruns: 2 } }),
      'test/queue.test.ts': [
        "import { it } from 'vitest';",
        'let queue: Promise<void> = Promise.resolve();',
        'const job = (ms: number) => (queue = queue.then(() => new Promise<void>((done) => setTimeout(done, ms))));',
        "it('times out', { timeout: 200 }, async () => { await job(1000); });",
        "it('waits its turn', { timeout: 1500 }, async () => { await job(50); });",
        '',
      ].join('\n'),
    });
    const loop = createLoop({ cwd: repo, providers: [] });
    const events = await collect(loop);
    expect(events.flatMap((e) => (e.type === 'suite:end' && e.iteration === 1 ? [e.totals] : []))).toEqual([{ tests: 2, passed: 1, failed: 1, skipped: 0, loadErrors: 0 }]);
    const summary = await loop.result;
    expect(summary.failing?.map((f) => f.title)).toEqual(['times out']);
  });
});

describe('a run whose only failures are flaky', () => {
  it('is not green: stop reason "flaky", status failing, totals as the first attempts went; flaky.exitCode sets the exit code', async () => {
    const repo = makeVitestRepo({
      'package.json': '{"type":"module"}\n',
      'loop.policy.json': JSON.stringify({ suites: [{ name: 'unit', command: 'npx vitest run', timeoutSec: 120 }], flaky: { reruns: 2, exitCode: 0 } }),
      'test/a.test.ts': [
        "import { expect, it } from 'vitest';",
        "it('steady', () => { expect(1).toBe(1); });",
        'let calls = 0;',
        "it('passes from its second attempt', () => { calls++; expect(calls).toBeGreaterThan(1); });",
        '',
      ].join('\n'),
    });
    const summary = await createLoop({ cwd: repo, providers: [] }).result;
    expect(summary.status).toBe('failing');
    expect(summary.stopReason).toBe('flaky');
    expect(summary.totalsAfter).toEqual({ tests: 2, passed: 1, failed: 1, skipped: 0, loadErrors: 0 });
    expect(summary.exitCode).toBe(0);
    expect(summary.commits).toEqual([]);
  });

  it('onlyFlakyFail: every first-attempt failure is a known flaky test, and nothing else is wrong', () => {
    const run = { startedAt: '', durationMs: 0, totals: countTotals([test('a', 'passed', ['failed', 'passed'])], []), suites: [{ suite: 's', command: 'x', exitCode: 0, durationMs: 0, timedOut: false, tests: [test('a', 'passed', ['failed', 'passed'])], loadFailures: [], totals: countTotals([test('a', 'passed', ['failed', 'passed'])], []) }] };
    expect(onlyFlakyFail(run, new Set(['a']))).toBe(true);
    expect(onlyFlakyFail(run, new Set())).toBe(false);
  });
});
