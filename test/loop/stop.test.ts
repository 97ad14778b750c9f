import { describe, expect, it } from 'vitest';
import type { SuiteRun, TestRun, Totals } from '../../src/model.js';
import { BudgetExhaustedError, ProviderFatalError } from '../../src/repair/errors.js';
import { StopRequested } from '../../src/loop/index.js';
import { stopDecision, stopForError, type RunState } from '../../src/loop/stop.js';

function testRun(totals: Partial<Totals>, blocked: boolean[] = [false]): TestRun {
  const t = { tests: 0, passed: 0, failed: 0, skipped: 0, loadErrors: 0, ...totals };
  const suites: SuiteRun[] = blocked.map((b, i) => ({
    suite: `s${i}`, command: 'npx vitest run', exitCode: b ? null : 0, durationMs: 1, timedOut: false, tests: [], loadFailures: [], totals: t,
    ...(b ? { blocker: { reason: 'command-not-found' as const, message: 'vitest: not found', outputTail: '' } } : {}),
  }));
  return { startedAt: '2026-11-26T00:00:00.000Z', durationMs: 1, suites, totals: t };
}

const FAILING = testRun({ tests: 3, passed: 1, failed: 2 });
const GREEN = testRun({ tests: 3, passed: 3 });
const base: RunState = { iteration: 1, maxIterations: 5, wallSpent: false, aborted: false };
const after = (ended: Partial<NonNullable<RunState['ended']>>, state: Partial<RunState> = {}): RunState => ({
  ...base, ...state, ended: { after: FAILING, commits: 1, attempts: 1, ...ended },
});

describe('stopDecision before an iteration', () => {
  it('runs the first iteration whatever the wall clock says, and a later one only within budget.maxWallMinutes', () => {
    expect(stopDecision({ ...base, wallSpent: true, maxWallMinutes: 30 })).toBeUndefined();
    expect(stopDecision({ ...base, iteration: 2 })).toBeUndefined();
    expect(stopDecision({ ...base, iteration: 3, wallSpent: true, maxWallMinutes: 30 })).toEqual({ reason: 'budget', spent: { budget: 'maxWallMinutes', limit: 30 } });
  });

  it('stops without announcing a budget when a resumed run starts past maxIterations', () => {
    expect(stopDecision({ ...base, iteration: 6 })).toEqual({ reason: 'max-iterations' });
  });
});

describe('stopDecision after an iteration', () => {
  it('stops "flaky" when only flaky tests fail: nothing to repair, and not green', () => {
    expect(stopDecision(after({ commits: 0, attempts: 0, onlyFlaky: true }))).toEqual({ reason: 'flaky' });
    expect(stopDecision(after({ after: GREEN, onlyFlaky: false }))).toEqual({ reason: 'green' });
  });

  it('goes on while fixes are committed and iterations are left', () => {
    expect(stopDecision(after({}))).toBeUndefined();
  });

  it('stops green when every test passes, and not when goal.expectedTests is not met', () => {
    expect(stopDecision(after({ after: GREEN }))).toEqual({ reason: 'green' });
    expect(stopDecision(after({ after: GREEN }, { expectedTests: 4 }))).toBeUndefined();
  });

  it('stops blocked when every suite is blocked, before anything else but an interruption', () => {
    const blocked = testRun({}, [true, true]);
    expect(stopDecision(after({ after: blocked, commits: 0, attempts: 0 }))).toEqual({ reason: 'blocked' });
    // One suite blocked, the other with a real failing test: that test is the code's, not the environment's.
    const mixed = testRun({ tests: 1, failed: 1 }, [true, false]);
    mixed.suites[1].tests = [{ id: 's1::a.test.ts::a', suite: 's1', file: 'a.test.ts', fullName: 'a', status: 'failed', failure: { message: 'expected 1 to be 2' } }];
    expect(stopDecision(after({ after: mixed, commits: 0, attempts: 0 }))).toEqual({ reason: 'nothing-fixable' });
    // Only the environment stands between the suites and green: blocked (exit 3), not nothing-fixable.
    expect(stopDecision(after({ after: testRun({ tests: 1, passed: 1 }, [true, false]), commits: 0, attempts: 0 }))).toEqual({ reason: 'blocked' });
    expect(stopDecision(after({ after: blocked }, { aborted: true }))).toEqual({ reason: 'interrupted' });
  });

  it('tells no-progress (candidates tried, none committed) from nothing-fixable (none offered)', () => {
    expect(stopDecision(after({ commits: 0, attempts: 3 }))).toEqual({ reason: 'no-progress' });
    expect(stopDecision(after({ commits: 0, attempts: 0 }))).toEqual({ reason: 'nothing-fixable' });
  });

  it('stops deploy-failed on a failed step only with deploy.stopOnFailure', () => {
    const deploy = [{ name: 'up', command: 'docker compose up', status: 'failed' as const, exitCode: 1, timedOut: false, durationMs: 1, outputTail: '' }];
    expect(stopDecision(after({ deploy }, { stopOnDeployFailure: true }))).toEqual({ reason: 'deploy-failed' });
    expect(stopDecision(after({ deploy }))).toBeUndefined();
    expect(stopDecision(after({ deploy: [{ ...deploy[0], status: 'blocked' }] }, { stopOnDeployFailure: true }))).toBeUndefined();
  });

  it('stops on the wall-clock budget, announcing it, even after an iteration that committed', () => {
    expect(stopDecision(after({}, { wallSpent: true, maxWallMinutes: 10 }))).toEqual({ reason: 'budget', spent: { budget: 'maxWallMinutes', limit: 10 } });
  });

  it('stops after the last allowed iteration, announcing maxIterations; green on that iteration wins', () => {
    expect(stopDecision(after({}, { iteration: 5 }))).toEqual({ reason: 'max-iterations', spent: { budget: 'maxIterations', limit: 5 } });
    expect(stopDecision(after({ after: GREEN }, { iteration: 5 }))).toEqual({ reason: 'green' });
  });
});

describe('stopForError', () => {
  it('ends the run cleanly for a spent model budget, a provider that cannot go on, the approver and an interruption', () => {
    expect(stopForError(new BudgetExhaustedError('maxTokens', 1000, 1200), false)).toEqual({ reason: 'budget', spent: { budget: 'maxTokens', limit: 1000 } });
    expect(stopForError(new ProviderFatalError('llm', 'the API key was rejected (401)'), false)).toEqual({ reason: 'fatal', error: 'the API key was rejected (401)' });
    expect(stopForError(new StopRequested(), false)).toEqual({ reason: 'stopped' });
    expect(stopForError(new Error('the suite run was aborted'), true)).toEqual({ reason: 'interrupted' });
  });

  it('ends the run on the wall-clock budget when its deadline aborted the running step, unless the user interrupted first', () => {
    const aborted = new Error('budget.maxWallMinutes (5) is spent');
    expect(stopForError(aborted, false, { passed: true, maxWallMinutes: 5 })).toEqual({ reason: 'budget', spent: { budget: 'maxWallMinutes', limit: 5 } });
    expect(stopForError(aborted, true, { passed: true, maxWallMinutes: 5 })).toEqual({ reason: 'interrupted' });
    expect(stopForError(new TypeError('x is undefined'), false, { passed: false, maxWallMinutes: 5 })).toBeUndefined();
  });

  it('leaves any other error to crash the run', () => {
    expect(stopForError(new TypeError('x is undefined'), false)).toBeUndefined();
  });
});
