import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { commitInfo } from '../../src/culprit/index.js';
import type { Candidate, Culprit, Problem } from '../../src/model.js';
import { DEFAULT_HARNESS, DEFAULT_PROTECT } from '../../src/policy/schema.js';
import { RevertProvider } from '../../src/repair/revert.js';
import { makeRepo, sh } from '../helpers/git-repo.js';

const problem: Problem = { id: 'p1', kind: 'assertion', title: 'AssertionError', message: 'expected 6 to be 3', testIds: ['unit::test/a.test.ts::adds'], loadFailedFiles: [], testFiles: ['test/a.test.ts'], failures: [] };

function commit(repo: string, files: Record<string, string>, message: string): string {
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(repo, name), text);
  sh(repo, 'git', ['add', '-A']);
  sh(repo, 'git', ['commit', '-qm', message]);
  return sh(repo, 'git', ['rev-parse', 'HEAD']);
}

async function culpritAt(repo: string, sha: string, onPath: string[]): Promise<Culprit> {
  const info = await commitInfo(repo, sha);
  return { sha: info.sha, subject: info.subject, author: info.author, date: info.date, lastGood: info.parents[0], merge: info.parents.length > 1, files: info.files, onPath };
}

async function proposals(repo: string, culprit: Culprit | undefined): Promise<Candidate[]> {
  const out: Candidate[] = [];
  const ctx = { root: repo, protect: DEFAULT_PROTECT, harness: DEFAULT_HARNESS, history: [], culprit: async () => culprit };
  for await (const c of new RevertProvider().propose(problem, ctx)) out.push(c);
  return out;
}

const A = 'export const a = 1;\n\nexport const one = 1;\n\nexport const twice = (n: number) => n * 2;\n';
const B = 'export const b = 1;\n';

describe('RevertProvider', () => {
  it('offers each file on the failing path alone (smallest change first), then the whole commit, each merged around later edits', async () => {
    const repo = makeRepo({ 'src/a.ts': A, 'src/b.ts': B, 'src/c.ts': 'export const c = 1;\n' });
    const sha = commit(repo, { 'src/a.ts': A.replace('n * 2', 'n * 3').replace('one = 1', 'one = 10'), 'src/b.ts': 'export const b = 2;\n', 'src/c.ts': 'export const c = 2;\n' }, 'feat(math): triple');
    commit(repo, { 'src/a.ts': `// header\n${A.replace('n * 2', 'n * 3').replace('one = 1', 'one = 10')}` }, 'docs: header');
    const found = await proposals(repo, await culpritAt(repo, sha, ['src/a.ts', 'src/b.ts']));

    expect(found.map((c) => c.patch.changes.map((ch) => ch.path))).toEqual([['src/b.ts'], ['src/a.ts'], ['src/a.ts', 'src/b.ts'], ['src/a.ts', 'src/b.ts', 'src/c.ts']]);
    expect(found[1].patch.changes[0].after).toBe(`// header\n${A}`);
    expect(found.map((c) => c.title)).toEqual([
      `Revert ${sha.slice(0, 8)} "feat(math): triple": its changes to src/b.ts`,
      `Revert ${sha.slice(0, 8)} "feat(math): triple": its changes to src/a.ts`,
      `Revert ${sha.slice(0, 8)} "feat(math): triple": its changes to src/a.ts, src/b.ts`,
      `Revert ${sha.slice(0, 8)} "feat(math): triple": the whole commit`,
    ]);
    expect(found[3].commit).toEqual({
      type: 'revert',
      subject: 'triple',
      body: `This reverts commit ${sha}, "feat(math): triple".\nIt is a revert, not a fix: whatever that commit meant to do needs doing again, without breaking these tests.`,
      trailers: [`Reverts: ${sha}`],
    });
    expect(found[0].commit?.body).toContain('Only its changes to src/b.ts are undone; its other changes stay.');
  });

  it('leaves out a file whose later edits conflict with the revert', async () => {
    const repo = makeRepo({ 'src/a.ts': A, 'src/b.ts': B });
    const sha = commit(repo, { 'src/a.ts': A.replace('n * 2', 'n * 3'), 'src/b.ts': 'export const b = 2;\n' }, 'fix: both');
    commit(repo, { 'src/a.ts': A.replace('n * 2', 'n * 4') }, 'fix: four');
    const found = await proposals(repo, await culpritAt(repo, sha, ['src/a.ts', 'src/b.ts']));
    expect(found.map((c) => c.patch.changes.map((ch) => ch.path))).toEqual([['src/b.ts']]);
  });

  it('offers nothing for a commit that touched a test, nor for a merge commit, nor without a culprit', async () => {
    const repo = makeRepo({ 'src/a.ts': A, 'test/a.test.ts': 'it("x", () => {});\n' });
    const touchedTest = commit(repo, { 'src/a.ts': A.replace('n * 2', 'n * 3'), 'test/a.test.ts': 'it("y", () => {});\n' }, 'feat: triple');
    expect(await proposals(repo, await culpritAt(repo, touchedTest, ['src/a.ts']))).toEqual([]);

    sh(repo, 'git', ['checkout', '-qb', 'side', `${touchedTest}~1`]);
    commit(repo, { 'src/b.ts': B }, 'feat: b');
    sh(repo, 'git', ['checkout', '-q', 'main']);
    sh(repo, 'git', ['merge', '-q', '--no-ff', '-m', 'Merge side', 'side']);
    const merge = await culpritAt(repo, sh(repo, 'git', ['rev-parse', 'HEAD']), ['src/b.ts']);
    expect(merge.merge).toBe(true);
    expect(await proposals(repo, merge)).toEqual([]);
    expect(await proposals(repo, undefined)).toEqual([]);
  });
});
