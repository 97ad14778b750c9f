// Judged against history (issue 18, item 5): a candidate that makes a file load again lets its
// tests run for the first time in the run; those that fail where they passed on the commit before
// the fault make it "partial" at best, and a better candidate, from any provider, wins.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLoop } from '../../src/loop/index.js';
import type { TestRun } from '../../src/model.js';
import { worseThanHistory } from '../../src/verify/history.js';
import { makeVitestRepo, sh } from '../helpers/git-repo.js';
import { collect, scripted } from '../helpers/loop-fixtures.js';

const GOOD = 'export const total = (a: number, b: number) => (a + b) * 2;\nexport const half = (n: number) => n / 2;\n';
// The fault: a ")" lost, so the file no longer parses and its tests cannot load.
const FAULT = 'export const total = (a: number, b: number) => (a + b * 2;\nexport const half = (n: number) => n / 2;\n';
// A fix that parses again, with the wrong expression.
const WRONG = 'export const total = (a: number, b: number) => (a + b * 2);\nexport const half = (n: number) => n / 2;\n';

function faultyRepo(): string {
  return makeVitestRepo(
    {
      'package.json': '{"type":"module"}\n',
      'loop.policy.json': JSON.stringify({ suites: [{ name: 'unit', command: 'npx vitest run', timeoutSec: 120 }], flaky: { reruns: 0 }, verify: { concurrency: 1 } }),
      'src/calc.ts': GOOD,
      'test/calc.test.ts': [
        "import { expect, it } from 'vitest';",
        "import { half, total } from '../src/calc';",
        "it('doubles the sum', () => { expect(total(1, 2)).toBe(6); });",
        "it('halves', () => { expect(half(4)).toBe(2); });",
        '',
      ].join('\n'),
    },
    (dir) => writeFileSync(path.join(dir, 'src/calc.ts'), FAULT),
  );
}

describe('a candidate judged against the last commit where its unmasked tests ran', () => {
  it('is partial when a test it lets run fails that passed before the fault, and a later provider\'s fix wins', async () => {
    const repo = faultyRepo();
    const before = sh(repo, 'git', ['rev-parse', 'HEAD~1']);
    const loop = createLoop({ cwd: repo, providers: [scripted('first', { 'src/calc.ts': WRONG }), scripted('second', { 'src/calc.ts': GOOD })] });
    const events = await collect(loop);
    const summary = await loop.result;

    const verified = events.filter((e) => e.type === 'candidate:verified');
    expect(verified.map((e) => [e.candidateId, e.verdict])).toEqual([
      ['first-1', 'partial'],
      ['second-1', 'fixed'],
    ]);
    expect(verified[0].summary).toBe(`partial: 1 test now passes, 1 file loads again; 1 test it lets run again fails that passed at ${before.slice(0, 12)}: unit::test/calc.test.ts::doubles the sum`);
    expect(summary.commits.map((c) => c.candidateId)).toEqual(['second-1']);
    expect(sh(repo, 'git', ['show', `${summary.branch}:src/calc.ts`])).toBe(GOOD.trimEnd());
    expect([summary.status, summary.totalsAfter]).toEqual(['green', { tests: 2, passed: 2, failed: 0, skipped: 0, loadErrors: 0 }]);
  });

  it('commits the partial candidate when no provider has a better one', async () => {
    const repo = faultyRepo();
    const loop = createLoop({ cwd: repo, providers: [scripted('only', { 'src/calc.ts': WRONG })], maxIterations: 1 });
    const events = await collect(loop);
    const summary = await loop.result;

    expect(events.filter((e) => e.type === 'candidate:verified').map((e) => e.verdict)).toEqual(['partial']);
    expect(summary.commits.map((c) => c.candidateId)).toEqual(['only-1']);
    expect(summary.totalsAfter).toEqual({ tests: 2, passed: 1, failed: 1, skipped: 0, loadErrors: 0 });
  });
});

describe('worseThanHistory', () => {
  const run = (tests: [string, string, 'passed' | 'failed'][]): TestRun => ({
    startedAt: '', durationMs: 0, totals: { tests: 0, passed: 0, failed: 0, skipped: 0, loadErrors: 0 },
    suites: [{ suite: 'unit', command: '', exitCode: 1, durationMs: 0, timedOut: false, loadFailures: [], totals: { tests: 0, passed: 0, failed: 0, skipped: 0, loadErrors: 0 },
      tests: tests.map(([file, name, status]) => ({ id: `unit::${file}::${name}`, suite: 'unit', file, fullName: name, status })) }],
  });

  it('names the unmasked tests failing now that passed then, and nothing outside the unmasked files', () => {
    const now = run([['a.test.ts', 'x', 'failed'], ['a.test.ts', 'y', 'failed'], ['a.test.ts', 'z', 'passed'], ['b.test.ts', 'x', 'failed']]);
    const then = run([['a.test.ts', 'x', 'passed'], ['a.test.ts', 'y', 'failed'], ['a.test.ts', 'z', 'passed'], ['b.test.ts', 'x', 'passed']]);
    expect(worseThanHistory(now, then, [{ suite: 'unit', files: ['a.test.ts'] }])).toEqual(['unit::a.test.ts::x']);
  });
});
