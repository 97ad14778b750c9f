import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { addWorktree, commitFiles, createBranch, dirtyFiles, excludeLoopState, headSha, removeWorktree, repoRoot, RepoError } from '../../src/vcs/index.js';
import { makeRepo, sh } from '../helpers/git-repo.js';

describe('repository checks', () => {
  it('refuses a directory outside any git repository', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'fixloop-nogit-'));
    await expect(repoRoot(dir)).rejects.toThrow(RepoError);
    await expect(repoRoot(dir)).rejects.toThrow(`${dir} is not inside a git repository: run \`git init\` and commit your code first.`);
  });

  it('finds the root from a subfolder and lists dirty files', async () => {
    const root = makeRepo({ 'src/a.ts': 'a\n', 'README.md': 'r\n' });
    expect(await repoRoot(path.join(root, 'src'))).toBe(root);
    expect(await dirtyFiles(root)).toEqual([]);
    writeFileSync(path.join(root, 'src/a.ts'), 'changed\n');
    writeFileSync(path.join(root, 'new.txt'), 'n\n');
    expect((await dirtyFiles(root)).sort()).toEqual(['new.txt', 'src/a.ts']);
  });

  it('excludes .fixloop/ once, so git status stays clean', async () => {
    const root = makeRepo({ 'a.txt': 'a\n' });
    await excludeLoopState(root);
    await excludeLoopState(root);
    const exclude = readFileSync(path.join(root, '.git/info/exclude'), 'utf8');
    expect(exclude.match(/\/\.fixloop\//g)).toHaveLength(1);
    mkdirSync(path.join(root, '.fixloop/runs'), { recursive: true });
    writeFileSync(path.join(root, '.fixloop/lock'), '1');
    expect(await dirtyFiles(root)).toEqual([]);
  });
});

describe('branches, worktrees and commits', () => {
  it('commits only the named files on the loop branch, in a worktree, leaving the user tree alone', async () => {
    const root = makeRepo({ 'src/a.ts': 'a\n', '.gitignore': 'node_modules/\n' });
    mkdirSync(path.join(root, 'node_modules/dep'), { recursive: true });
    const base = await headSha(root);
    await createBranch(root, 'fixloop/r1', base);
    await expect(createBranch(root, 'fixloop/r1', base)).rejects.toThrow('Branch fixloop/r1 already exists');
    const wt = path.join(mkdtempSync(path.join(tmpdir(), 'fixloop-wt-')), 'main');
    await addWorktree(root, wt, 'fixloop/r1', { branch: true });
    // A directory of the worktree's own, whose packages link to the checkout's (test/vcs/dependencies.test.ts).
    expect(lstatSync(path.join(wt, 'node_modules/dep')).isSymbolicLink()).toBe(true);
    writeFileSync(path.join(wt, 'src/a.ts'), 'fixed\n');
    const sha = await commitFiles(wt, ['src/a.ts'], 'fix(a): repair a\n\nbody\n\nFixloop-Run: r1\n');
    expect(sh(root, 'git', ['rev-parse', 'fixloop/r1'])).toBe(sha);
    expect(sh(root, 'git', ['show', '--name-only', '--format=%s', sha])).toBe('fix(a): repair a\n\nsrc/a.ts');
    expect(sh(root, 'git', ['log', '-1', '--format=%B', sha])).toBe('fix(a): repair a\n\nbody\n\nFixloop-Run: r1');
    expect(sh(root, 'git', ['rev-parse', 'HEAD'])).toBe(base);
    expect(readFileSync(path.join(root, 'src/a.ts'), 'utf8')).toBe('a\n');
    await removeWorktree(root, wt);
    expect(existsSync(wt)).toBe(false);
    expect(sh(root, 'git', ['worktree', 'list']).split('\n')).toHaveLength(1);
  });

  it('commits with a fixloop identity when the repository has none', async () => {
    const root = makeRepo({ 'a.txt': 'a\n' }, { identity: false });
    const isolated = { ...process.env };
    process.env.GIT_CONFIG_GLOBAL = '/dev/null';
    try {
      writeFileSync(path.join(root, 'a.txt'), 'b\n');
      const sha = await commitFiles(root, ['a.txt'], 'fix: b');
      expect(sh(root, 'git', ['log', '-1', '--format=%an <%ae>', sha])).toBe('fixloop <fixloop@localhost>');
    } finally {
      process.env = isolated;
    }
  });
});
