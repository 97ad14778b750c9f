import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { branchCommits, branchCommitsSync, holdsNothing, isRunFix } from '../../src/vcs/index.js';
import { makeRepo, sh } from '../helpers/git-repo.js';

describe('a branch\'s commits read back from git', () => {
  it('lists what the base lacks, oldest first, with files and trailers; the sync reader says the same', async () => {
    const repo = makeRepo({ 'a.txt': 'a\n' });
    const base = sh(repo, 'git', ['rev-parse', 'HEAD']);
    sh(repo, 'git', ['checkout', '-q', '-b', 'fixloop/r1']);
    mkdirSync(path.join(repo, 'src'));
    writeFileSync(path.join(repo, 'src/b.ts'), 'b\n');
    writeFileSync(path.join(repo, 'a.txt'), 'a2\n');
    sh(repo, 'git', ['add', '-A']);
    sh(repo, 'git', ['commit', '-qm', 'fix(b): add b\n\nRoot cause: r\n\nFixloop-Run: r1\nFixloop-Iteration: 2\nFixloop-Provider: codefix\nFixloop-Problem: p1\nFixloop-Candidate: codefix-9']);
    sh(repo, 'git', ['commit', '-q', '--allow-empty', '-m', 'docs(report): fixloop iteration 2 report\n\nFixloop-Run: r1\nFixloop-Iteration: 2']);
    const commits = await branchCommits(repo, base, 'fixloop/r1');
    expect(commits.map((c) => [c.message.split('\n')[0], c.files, c.trailers])).toEqual([
      ['fix(b): add b', ['a.txt', 'src/b.ts'], { 'Fixloop-Run': 'r1', 'Fixloop-Iteration': '2', 'Fixloop-Provider': 'codefix', 'Fixloop-Problem': 'p1', 'Fixloop-Candidate': 'codefix-9' }],
      ['docs(report): fixloop iteration 2 report', [], { 'Fixloop-Run': 'r1', 'Fixloop-Iteration': '2' }],
    ]);
    expect(commits[0].sha).toBe(sh(repo, 'git', ['rev-parse', 'HEAD~1']));
    expect(branchCommitsSync(repo, base, 'fixloop/r1')).toEqual(commits);
    expect(commits.map((c) => isRunFix(c, 'r1'))).toEqual([true, false]);
    expect([holdsNothing(commits, 'r1'), holdsNothing(commits.slice(1), 'r1'), holdsNothing([], 'r1'), holdsNothing(commits.slice(1), 'r2')]).toEqual([false, true, true, false]);
    expect(branchCommitsSync(repo, base, 'no/such-branch')).toEqual([]);
  });
});
