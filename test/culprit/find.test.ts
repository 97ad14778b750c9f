import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { earlierOutcomes } from '../../src/culprit/earlier.js';
import { failingPath, findCulprit, type Outcome } from '../../src/culprit/index.js';
import type { Problem, TestRun } from '../../src/model.js';
import { makeRepo, sh } from '../helpers/git-repo.js';

const ID = 'unit::test/price.test.ts::adds up';

function commit(repo: string, files: Record<string, string>, message: string): string {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(repo, name)), { recursive: true });
    writeFileSync(path.join(repo, name), text);
  }
  sh(repo, 'git', ['add', '-A']);
  sh(repo, 'git', ['commit', '-qm', message]);
  return sh(repo, 'git', ['rev-parse', 'HEAD']);
}

const problem: Problem = {
  id: 'p1', kind: 'assertion', title: 'AssertionError: expected 3 to be 6', message: 'expected 3 to be 6', testIds: [ID], loadFailedFiles: [], testFiles: ['test/price.test.ts'],
  failures: [{ message: 'expected 3 to be 6', stack: 'AssertionError: expected 3 to be 6\n    at test/price.test.ts:4:24' }],
};

const run: TestRun = {
  startedAt: '', durationMs: 0, totals: { tests: 1, passed: 0, failed: 1, skipped: 0, loadErrors: 0 },
  suites: [{ suite: 'unit', command: 'x', exitCode: 1, durationMs: 0, timedOut: false, loadFailures: [], totals: { tests: 1, passed: 0, failed: 1, skipped: 0, loadErrors: 0 }, tests: [{ id: ID, suite: 'unit', file: 'test/price.test.ts', fullName: 'adds up', status: 'failed' }] }],
};

/** A repository whose history is: c0 (tests), c1 (culprit: src/price.ts), c2 (README); and an earlier run's report of c0 and c1. */
function repoWithEarlierRun(): { repo: string; shas: string[] } {
  const repo = makeRepo({ 'src/price.ts': 'export const total = 1;\n', 'src/other.ts': 'export {};\n', 'test/price.test.ts': "import { total } from '../src/price.js';\nit('adds up', () => {});\n" });
  const c0 = sh(repo, 'git', ['rev-parse', 'HEAD']);
  const c1 = commit(repo, { 'src/price.ts': 'export const total = 2;\n', 'src/other.ts': 'export const x = 1;\n' }, 'feat(price): two');
  const c2 = commit(repo, { 'README.md': '# x\n' }, 'docs: readme');
  const dir = path.join(repo, '.fixloop/runs/20260101-000000-abcd');
  mkdirSync(dir, { recursive: true });
  const state = (failing: string[]) => ({ status: failing.length ? 'failing' : 'passed', failing, loadFailed: [], skipped: [] });
  // Yesterday's run: its iteration began at c0 (the test passed) and its verification of c1 saw it fail.
  const report = { baseSha: c0, suites: [{ suite: 'unit', ...state([ID]), before: state([]) }], fixes: [{ sha: c1 }] };
  writeFileSync(path.join(dir, 'iteration-1.json'), JSON.stringify(report));
  writeFileSync(path.join(dir, 'journal.jsonl'), `${JSON.stringify({ type: 'iteration:end', iteration: 1, reports: [path.join(dir, 'iteration-1.json')] })}\n`);
  return { repo, shas: [c2, c1, c0] };
}

describe('culprit search', () => {
  it('reads what the loop\'s earlier runs saw at each commit: passing at c0, failing at c1', async () => {
    const { repo, shas } = repoWithEarlierRun();
    const target = { tests: [{ id: ID, suite: 'unit', file: 'test/price.test.ts', fullName: 'adds up' }], loadFailed: [] };
    expect(await earlierOutcomes(repo, shas, target)).toEqual(new Map([[shas[2], 'pass'], [shas[1], 'fail']]));
  });

  it('names the culprit from the earlier runs without a test run, with the files it changed on the failing path (the module the test imports)', async () => {
    const { repo, shas } = repoWithEarlierRun();
    const probed: string[] = [];
    const probe = async (sha: string): Promise<Outcome> => {
      probed.push(sha);
      return 'fail';
    };
    const found = await findCulprit(problem, run, { repoRoot: repo, workDir: repo, suites: [], maxRuns: 8, maxCommits: 50, probe });
    expect(probed).toEqual([]);
    expect(found).toMatchObject({
      problemId: 'p1',
      runs: 0,
      culprit: { sha: shas[1], subject: 'feat(price): two', author: 'Dev <dev@example.com>', lastGood: shas[2], merge: false, files: ['src/other.ts', 'src/price.ts'], onPath: ['src/price.ts'] },
    });
    expect(found.culprit!.diff).toContain('+export const total = 2;');
    expect(found.culprit!.diff).not.toContain('other.ts');
  });

  it('says when the tests have failed since they were written', async () => {
    const repo = makeRepo({ 'src/price.ts': 'export const total = 1;\n' });
    commit(repo, { 'test/price.test.ts': "it('adds up', () => {});\n" }, 'test: price');
    const found = await findCulprit(problem, run, { repoRoot: repo, workDir: repo, suites: [], maxRuns: 8, maxCommits: 50, probe: async () => 'fail' });
    // The initial commit has no test file: absent without a run.
    expect(found.runs).toBe(0);
    expect(found.reason).toMatch(/^the tests have failed since they were added, in [0-9a-f]{8}: no commit broke them$/);
    expect(found.culprit).toBeUndefined();
  });

  it('probes history for a bundle no commit has (dist/ built by the pretest): the commit that broke its source is found, not "failed since added"', async () => {
    const repo = makeRepo({ 'src/index.js': 'export const a = 1;\n', '.gitignore': 'dist/\n' });
    const c1 = commit(repo, { 'src/index.js': 'export const a = 2;\n' }, 'fix(index): two');
    const c2 = commit(repo, { 'README.md': '# x\n' }, 'docs: readme');
    const bundle: Problem = { ...problem, testIds: [], loadFailedFiles: ['dist/index.js'], testFiles: ['dist/index.js'] };
    const loadFailing: TestRun = { ...run, suites: [{ ...run.suites[0], tests: [], loadFailures: [{ suite: 'unit', file: 'dist/index.js', failure: { message: 'error TS2322' } }] }] };
    const probed: string[] = [];
    const probe = async (sha: string): Promise<Outcome> => (probed.push(sha), sha === c1 || sha === c2 ? 'fail' : 'pass');
    const found = await findCulprit(bundle, loadFailing, { repoRoot: repo, workDir: repo, suites: [], maxRuns: 8, maxCommits: 50, probe });
    expect([found.reason, found.culprit?.sha, found.culprit?.subject, probed.length > 0]).toEqual([undefined, c1, 'fix(index): two', true]);
  });

  it('takes the failing path from the problem\'s location, failure locations, the paths in messages and stacks, and its test files', () => {
    const tracked = new Set(['src/a.ts', 'src/b.ts', 'lib/c.js', 'test/a.test.ts', 'src/unused.ts']);
    const p: Problem = {
      ...problem, location: { file: 'src/a.ts', line: 3 }, testFiles: ['test/a.test.ts'],
      failures: [{ message: "Cannot find module './c.js' imported from lib/c.js", stack: 'at fn (src/b.ts:4:2)\n    at node_modules/x/index.js:1:1', location: { file: 'src/a.ts', line: 3 } }],
    };
    expect(failingPath(p, tracked)).toEqual(['src/a.ts', 'lib/c.js', 'src/b.ts', 'test/a.test.ts']);
  });
});
