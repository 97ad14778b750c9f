// Deterministic under load (issue 18, item 1b): a verification that a loaded machine cut short (a
// suite past its timeoutSec) judged the machine, not the candidate. Counted as tried, the candidate
// was never proposed again: the problem was found, no provider had anything new, and the run ended
// "no-progress" (or "nothing-fixable" when resumed) where an idle machine fixed it.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLoop } from '../../src/loop/index.js';
import { fromJournal } from '../../src/loop/resume.js';
import type { LoopEvent, SuiteRun, TestRun, Verdict } from '../../src/model.js';
import { triedIds } from '../../src/repair/candidate.js';
import type { TestRunnerAdapter } from '../../src/runners/types.js';
import { countTotals } from '../../src/test-run.js';
import { cutShortBy } from '../../src/verify/verify.js';
import { makeVitestRepo } from '../helpers/git-repo.js';
import { collect, COUNTER, COUNTER_FIXED, scripted } from '../helpers/loop-fixtures.js';

const TIMED_OUT = 'Suite "unit" (npx vitest run) timed out after 120s; its process tree was killed. Raise "timeoutSec" or look for a hanging test.';

/** The counter's suite, judged from the source; the first run of the fixed source "times out", as a loaded machine made it. */
function loadedMachine(): TestRunnerAdapter & { calls: string[] } {
  const calls: string[] = [];
  return {
    format: 'vitest',
    calls,
    async run(suite, options): Promise<SuiteRun> {
      const fixed = readFileSync(path.join(options.cwd, 'src/counter.ts'), 'utf8').includes('n + 1');
      const slow = fixed && !calls.includes('fixed');
      calls.push(fixed ? 'fixed' : 'faulty');
      const base = { suite: suite.name, command: suite.command, durationMs: 5, loadFailures: [] };
      if (slow) return { ...base, exitCode: null, timedOut: true, tests: [], totals: countTotals([], []), blocker: { reason: 'timeout', message: TIMED_OUT, outputTail: '' } };
      const tests = [
        { id: 'unit::test/counter.test.ts::next adds one', suite: 'unit', file: 'test/counter.test.ts', fullName: 'next adds one', status: fixed ? 'passed' : 'failed', ...(fixed ? {} : { failure: { message: 'expected 3 to be 2', errorName: 'AssertionError' } }) },
        { id: 'unit::test/counter.test.ts::prev subtracts one', suite: 'unit', file: 'test/counter.test.ts', fullName: 'prev subtracts one', status: 'passed' },
      ] as SuiteRun['tests'];
      return { ...base, exitCode: fixed ? 0 : 1, timedOut: false, tests, totals: countTotals(tests, []) };
    },
  };
}

describe('a verification cut short by a timeout', () => {
  it('is verified once more instead of counted against the candidate for good, and the fix is committed', async () => {
    const policy = JSON.stringify({ suites: [{ name: 'unit', command: 'npx vitest run', format: 'vitest', timeoutSec: 120 }], flaky: { reruns: 0 }, verify: { concurrency: 1 } });
    const repo = makeVitestRepo({ ...COUNTER, 'loop.policy.json': policy });
    const machine = loadedMachine();
    const loop = createLoop({ cwd: repo, providers: [scripted('manual', { 'src/counter.ts': COUNTER_FIXED })], adapters: { vitest: machine } });
    const events = await collect(loop);
    const summary = await loop.result;

    const verified = events.filter((e): e is Extract<LoopEvent, { type: 'candidate:verified' }> => e.type === 'candidate:verified');
    expect(verified.map((e) => [e.candidateId, e.verdict, e.cutShort])).toEqual([
      ['manual-1', 'broken', TIMED_OUT.split('\n')[0]],
      ['manual-1', 'fixed', undefined],
    ]);
    expect([summary.stopReason, summary.commits.map((c) => c.candidateId)]).toEqual(['green', ['manual-1']]);
    expect(machine.calls).toEqual(['faulty', 'fixed', 'fixed']);
  });
});

describe('cutShortBy', () => {
  const run = (blocker?: 'timeout' | 'crash' | 'no-report'): TestRun => ({
    startedAt: '', durationMs: 1, totals: countTotals([], []),
    suites: [{ suite: 'unit', command: 'x', exitCode: null, durationMs: 1, timedOut: blocker === 'timeout', tests: [], loadFailures: [], totals: countTotals([], []), ...(blocker ? { blocker: { reason: blocker, message: `${blocker}\nmore`, outputTail: '' } } : {}) }],
  });
  const verdict = (kind: Verdict['kind'], r: TestRun): Verdict => ({ kind, run: r, fixed: [], broke: [], stillFailing: [], summary: kind });

  it('names a suite that timed out or was killed under the candidate and not in the baseline', () => {
    expect(cutShortBy(run(), verdict('broken', run('timeout')))).toBe('timeout');
    expect(cutShortBy(run(), verdict('broken', run('crash')))).toBe('crash');
  });

  it('leaves alone a verdict that stands: a missing report, a baseline that timed out too, or an accepted candidate', () => {
    expect(cutShortBy(run(), verdict('broken', run('no-report')))).toBeUndefined();
    expect(cutShortBy(run('timeout'), verdict('broken', run('timeout')))).toBeUndefined();
    expect(cutShortBy(run(), verdict('partial', run('timeout')))).toBeUndefined();
  });
});

describe('a cut-short attempt in the journal and in the providers\' history', () => {
  it('is read back as cut short, and providers may propose its candidate again', () => {
    const at = '2026-11-26T00:00:00.000Z';
    const events = [
      { type: 'run:start', runId: 'r', at, cwd: '/x', branch: 'fixloop/r', baseSha: 'abc', maxIterations: 5, policySource: 'defaults', uncommitted: [], cleaned: [] },
      { type: 'iteration:start', runId: 'r', at, iteration: 1 },
      { type: 'candidate:proposed', runId: 'r', at, iteration: 1, problemId: 'p', candidateId: 'rules-1', provider: 'rules', title: 'move it', files: ['src/a.ts'] },
      { type: 'candidate:verified', runId: 'r', at, iteration: 1, problemId: 'p', candidateId: 'rules-1', verdict: 'broken', summary: 'broken', cutShort: 'timed out' },
      { type: 'candidate:proposed', runId: 'r', at, iteration: 1, problemId: 'p', candidateId: 'rules-2', provider: 'rules', title: 'other', files: ['src/a.ts'] },
      { type: 'candidate:verified', runId: 'r', at, iteration: 1, problemId: 'p', candidateId: 'rules-2', verdict: 'no-effect', summary: 'no-effect' },
    ] as LoopEvent[];
    const attempts = fromJournal(events, 'r').attempts.get('p')!;
    expect(attempts.map((a) => [a.candidateId, a.cutShort])).toEqual([
      ['rules-1', 'timed out'],
      ['rules-2', undefined],
    ]);
    expect([...triedIds({ root: '/x', protect: [], history: attempts })]).toEqual(['rules-2']);
  });
});
