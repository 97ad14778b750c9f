import { describe, expect, it } from 'vitest';
import type { CulpritSearch, IterationRecord, TestRun } from '../../src/model.js';
import { culpritRows, culpritsHtml, culpritsMarkdown } from '../../src/report/culprits.js';

const empty: TestRun = { startedAt: '', durationMs: 0, suites: [], totals: { tests: 0, passed: 0, failed: 0, skipped: 0, loadErrors: 0 } };
const SHA = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
const GOOD = '0011223344556677889900112233445566778899';

function record(culprits: CulpritSearch[], extra: Partial<IterationRecord> = {}): IterationRecord {
  return {
    runId: 'r', iteration: 1, startedAt: '', endedAt: '', before: empty, after: empty, attempts: [], commits: [], baseSha: GOOD, culprits,
    problems: [{ id: 'p1', kind: 'assertion', title: 'AssertionError: expected 3 to be 6 (test/price.test.ts:4)', message: '', testIds: [], loadFailedFiles: [], testFiles: [], failures: [] }],
    ...extra,
  };
}

const found: CulpritSearch = {
  problemId: 'p1', runs: 3, probes: [],
  culprit: { sha: SHA, subject: 'perf(price): skip <the> check', author: 'Ada <ada@example.com>', date: '2026-11-20T10:00:00+01:00', lastGood: GOOD, merge: false, files: ['src/price.ts', 'README.md'], onPath: ['src/price.ts'], diff: '-a\n+b\n' },
};

describe('the culprits section', () => {
  it('names the culprit, what it changed on the failing path, and the next step when nothing reverted it', () => {
    const md = culpritsMarkdown(culpritRows([record([found])]));
    expect(md).toBe(
      [
        '### AssertionError: expected 3 to be 6 (test/price.test.ts:4)',
        '',
        'Culprit: a1b2c3d4 "perf(price): skip <the> check" by Ada <ada@example.com>, 2026-11-20; the tests passed at its parent `0011223`; on the failing path it changed `src/price.ts`. Found with 3 test runs.',
        '',
        'Next step: read the change (`git show a1b2c3d4`) and fix it, or revert it (`git revert a1b2c3d4`).',
        '',
        '```diff\n-a\n+b\n```',
      ].join('\n'),
    );
  });

  it('says plainly when a revert was committed, and why a search named nobody', () => {
    const revert = { sha: 'ffff000011112222333344445555666677778888', message: 'revert(price): skip <the> check\n\nbody', files: ['src/price.ts'], problemId: 'p1', candidateId: 'revert-x', provider: 'revert', iteration: 1 };
    const none: CulpritSearch = { problemId: 'p2', runs: 1, probes: [{ sha: GOOD, outcome: 'absent', from: 'history' }], reason: 'the tests have failed since they were added, in 00112233: no commit broke them' };
    const rows = culpritRows([record([found, none], { commits: [revert] })]);
    const md = culpritsMarkdown(rows);
    expect(md).toContain('Reverted by `ffff000` (revert(price): skip <the> check): a revert, not a fix; what `a1b2c3d` meant to do needs doing again without breaking these tests.');
    expect(md).toContain('### p2\n\nNo culprit: the tests have failed since they were added, in 00112233: no commit broke them (1 test run).');
    const html = culpritsHtml(rows);
    expect(html).toContain('<td><code>a1b2c3d4</code></td><td>Culprit: a1b2c3d4 &quot;perf(price): skip &lt;the&gt; check&quot;');
    expect(html).toContain('<br>Reverted by ffff000 (revert(price): skip &lt;the&gt; check): a revert, not a fix;');
    expect(html).toContain('<summary>diff of a1b2c3d4 on the failing path</summary><pre>-a\n+b\n</pre>');
  });

  it('never suggests reverting a merge commit', () => {
    const merge = { ...found, culprit: { ...found.culprit!, merge: true } };
    expect(culpritsMarkdown(culpritRows([record([merge])]))).toContain('(a merge commit)');
    expect(culpritsMarkdown(culpritRows([record([merge])]))).toContain('A merge commit is never reverted by fixloop: look at what it brought in.');
  });
});
