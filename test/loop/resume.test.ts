import { describe, expect, it } from 'vitest';
import { fromJournal } from '../../src/loop/index.js';
import { foldJournal, missingFixes } from '../../src/loop/journal.js';
import type { BranchCommit } from '../../src/vcs/index.js';
import type { LoopEvent } from '../../src/model.js';

const at = '2026-11-24T01:00:00.000Z';
const base = { runId: 'r1', at };
const totals = { tests: 3, passed: 1, failed: 2, skipped: 0, loadErrors: 0 };
const cleaned = { worktrees: [], branches: [] };

describe('fromJournal: what a resumed run keeps', () => {
  it('keeps commits, every attempt per problem, flaky verdicts and model usage, and re-does the interrupted iteration', () => {
    const events = [
      { type: 'run:start', cwd: '/r', branch: 'fixloop/r1', baseSha: 'b0', policySource: 'p', uncommitted: [], cleaned },
      { type: 'iteration:start', iteration: 1 },
      { type: 'suites:end', iteration: 1, totals, durationMs: 1 },
      { type: 'flaky:found', iteration: 1, tests: [{ id: 'u::t::flaky', history: ['failed', 'passed'] }] },
      { type: 'candidate:proposed', iteration: 1, problemId: 'p1', candidateId: 'c1', provider: 'codefix', title: 'one', files: ['a.ts'] },
      { type: 'candidate:rejected', iteration: 1, problemId: 'p1', candidateId: 'c1', reason: 'a.ts is a protected path' },
      { type: 'candidate:proposed', iteration: 1, problemId: 'p1', candidateId: 'c2', provider: 'llm', title: 'two', files: ['b.ts'] },
      { type: 'llm:usage', problemId: 'p1', turn: 1, inputTokens: 100, outputTokens: 20, cacheReadTokens: 50, cacheWriteTokens: 0, costUSD: 0.001 },
      { type: 'candidate:verified', iteration: 1, problemId: 'p1', candidateId: 'c2', verdict: 'regressed', summary: 'regressed: broke 1' },
      { type: 'candidate:proposed', iteration: 1, problemId: 'p2', candidateId: 'c3', provider: 'rules', title: 'three', files: ['c.ts'] },
      { type: 'candidate:verified', iteration: 1, problemId: 'p2', candidateId: 'c3', verdict: 'fixed', summary: 'fixed' },
      { type: 'fix:committed', iteration: 1, problemId: 'p2', candidateId: 'c3', sha: 's1', message: 'fix: three', files: ['c.ts'] },
      { type: 'iteration:end', iteration: 1, totals, commits: 1, reports: ['/r/i1.md', '/r/i1.json'] },
      { type: 'iteration:start', iteration: 2 },
    ].map((e) => ({ ...base, ...e })) as LoopEvent[];
    const state = fromJournal(events, 'r1');
    expect(state).toMatchObject({ runId: 'r1', branch: 'fixloop/r1', baseSha: 'b0', startedAt: at, nextIteration: 2, totalsBefore: totals, reports: ['/r/i1.md', '/r/i1.json'] });
    expect(state.commits).toEqual([{ sha: 's1', message: 'fix: three', files: ['c.ts'], problemId: 'p2', candidateId: 'c3', provider: 'rules', iteration: 1 }]);
    expect(state.attempts.get('p1')!.map((a) => [a.candidateId, a.provider, a.outcome, a.reason])).toEqual([
      ['c1', 'codefix', 'rejected', 'a.ts is a protected path'],
      ['c2', 'llm', 'not-accepted', 'regressed: broke 1'],
    ]);
    expect(state.attempts.get('p2')!.map((a) => a.outcome)).toEqual(['committed']);
    expect(state.flaky).toEqual([{ id: 'u::t::flaky', history: ['failed', 'passed'] }]);
    expect(state.llmUsage).toEqual([{ input_tokens: 100, output_tokens: 20, cache_read_input_tokens: 50, cache_creation_input_tokens: 0 }]);
  });

  it('starts after the last iteration that ended when none was interrupted', () => {
    const events = [
      { type: 'run:start', cwd: '/r', branch: 'fixloop/r1', baseSha: 'b0', policySource: 'p', uncommitted: [], cleaned },
      { type: 'iteration:start', iteration: 1 },
      { type: 'iteration:end', iteration: 1, totals, commits: 0, reports: [] },
    ].map((e) => ({ ...base, ...e })) as LoopEvent[];
    expect(fromJournal(events, 'r1').nextIteration).toBe(2);
    expect(() => fromJournal([], 'r1')).toThrow('Run r1 stopped before it began (its journal has no run:start): start a new one.');
  });
});

describe('fromJournal: a candidate cut short', () => {
  it('is not counted as tried when its verification never ended (killed, or interrupted mid-run)', () => {
    const events = [
      { type: 'run:start', cwd: '/r', branch: 'fixloop/r1', baseSha: 'b0', policySource: 'p', uncommitted: [], cleaned },
      { type: 'iteration:start', iteration: 1 },
      { type: 'suites:end', iteration: 1, totals, durationMs: 1 },
      { type: 'candidate:proposed', iteration: 1, problemId: 'p1', candidateId: 'c1', provider: 'codefix', title: 'one', files: ['a.ts'] },
      { type: 'candidate:proposed', iteration: 1, problemId: 'p1', candidateId: 'c2', provider: 'codefix', title: 'two', files: ['a.ts'] },
      { type: 'candidate:verified', iteration: 1, problemId: 'p1', candidateId: 'c2', verdict: 'no-effect', summary: 'no-effect' },
    ].map((e) => ({ ...base, ...e })) as LoopEvent[];
    const state = fromJournal(events, 'r1');
    expect(state.nextIteration).toBe(1);
    expect(state.attempts.get('p1')!.map((a) => a.candidateId)).toEqual(['c2']);
  });
});

describe('the branch is the truth', () => {
  const fix = (sha: string, trailers: Record<string, string>): BranchCommit => ({ sha, message: `fix: ${sha}\n`, files: [`${sha}.ts`], trailers });
  const state = { runId: 'r1', nextIteration: 2, commits: [{ sha: 's1', message: 'fix: s1', files: ['s1.ts'], problemId: 'p1', candidateId: 'c1', provider: 'codefix', iteration: 1 }] };

  it('reads back the run\'s fixes the journal lacks, and only those', () => {
    const onBranch = [
      fix('s1', { 'Fixloop-Run': 'r1', 'Fixloop-Iteration': '1', 'Fixloop-Provider': 'codefix', 'Fixloop-Problem': 'p1', 'Fixloop-Candidate': 'c1' }),
      // The run's report commit (report.commit), another run's fix, a commit of the user's own: none is this run's fix.
      fix('s2', { 'Fixloop-Run': 'r1', 'Fixloop-Iteration': '1' }),
      fix('s3', { 'Fixloop-Run': 'r0', 'Fixloop-Iteration': '2', 'Fixloop-Provider': 'codefix', 'Fixloop-Problem': 'p9' }),
      fix('s4', {}),
      fix('s5', { 'Fixloop-Run': 'r1', 'Fixloop-Iteration': '2', 'Fixloop-Provider': 'llm', 'Fixloop-Problem': 'p2', 'Fixloop-Candidate': 'llm-ab' }),
      // Committed by a fixloop that wrote no problem trailer yet: still the run's fix.
      fix('s6', { 'Fixloop-Run': 'r1', 'Fixloop-Iteration': 'x', 'Fixloop-Provider': 'rules' }),
    ];
    expect(missingFixes(state, onBranch)).toEqual([
      { sha: 's5', message: 'fix: s5\n', files: ['s5.ts'], problemId: 'p2', candidateId: 'llm-ab', provider: 'llm', iteration: 2 },
      { sha: 's6', message: 'fix: s6\n', files: ['s6.ts'], problemId: 'unknown', candidateId: 's6', provider: 'rules', iteration: 2 },
    ]);
  });

  it('keeps what resume recovered in the journal: status and the next resume count it, and its candidate as tried', () => {
    const recovered = { sha: 's5', message: 'fix: s5\n', files: ['s5.ts'], problemId: 'p2', candidateId: 'llm-ab', provider: 'llm', iteration: 1 };
    const events = [
      { type: 'run:start', cwd: '/r', branch: 'fixloop/r1', baseSha: 'b0', policySource: 'p', uncommitted: [], cleaned },
      { type: 'iteration:start', iteration: 1 },
      { type: 'suites:end', iteration: 1, totals, durationMs: 1 },
      { type: 'run:resume', branch: 'fixloop/r1', maxIterations: 5, iteration: 1, commits: 1, cleaned, recovered: [recovered] },
    ].map((e) => ({ ...base, ...e })) as LoopEvent[];
    const fold = foldJournal(events);
    expect(fold.commits).toEqual([recovered]);
    expect(fold.attempts.get('p2')!.map((a) => [a.candidateId, a.provider, a.outcome])).toEqual([['llm-ab', 'llm', 'committed']]);
  });

  it('keeps each ended iteration\'s totals, for the resumed run\'s summary', () => {
    const green = { tests: 3, passed: 3, failed: 0, skipped: 0, loadErrors: 0 };
    const events = [
      { type: 'run:start', cwd: '/r', branch: 'fixloop/r1', baseSha: 'b0', policySource: 'p', uncommitted: [], cleaned },
      { type: 'iteration:start', iteration: 1 },
      { type: 'suites:end', iteration: 1, totals, durationMs: 1 },
      { type: 'iteration:end', iteration: 1, totals: { ...totals, passed: 2, failed: 1 }, commits: 1, reports: [] },
      // After a commit the next iteration starts from the verification run: no suites:end of its own.
      { type: 'iteration:start', iteration: 2 },
      { type: 'iteration:end', iteration: 2, totals: green, commits: 1, reports: [] },
      { type: 'iteration:start', iteration: 3 },
    ].map((e) => ({ ...base, ...e })) as LoopEvent[];
    const state = fromJournal(events, 'r1');
    expect(state.earlier).toEqual([
      { iteration: 1, before: totals, after: { ...totals, passed: 2, failed: 1 } },
      { iteration: 2, before: { ...totals, passed: 2, failed: 1 }, after: green },
    ]);
    expect(state.totalsAfter).toEqual(green);
  });
});

