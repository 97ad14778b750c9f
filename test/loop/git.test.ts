import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLoop } from '../../src/loop/index.js';
import { makeVitestRepo, sh } from '../helpers/git-repo.js';
import { collect, COUNTER, COUNTER_FIXED, scripted } from '../helpers/loop-fixtures.js';

const fixCounter = () => scripted('manual', { 'src/counter.ts': COUNTER_FIXED });

function withPolicy(extra: object): Record<string, string> {
  return { ...COUNTER, 'loop.policy.json': JSON.stringify({ ...JSON.parse(COUNTER['loop.policy.json']), ...extra }) };
}

describe('git behaviour of a run', () => {
  it('reports a failing pre-commit hook, never bypasses it, and leaves nothing staged or applied', async () => {
    const repo = makeVitestRepo(COUNTER);
    const hook = path.join(repo, '.git/hooks/pre-commit');
    writeFileSync(hook, '#!/bin/sh\necho "lint: 3 problems" >&2\nexit 1\n');
    chmodSync(hook, 0o755);
    const loop = createLoop({ cwd: repo, providers: [fixCounter()] });
    const events = await collect(loop);
    expect(events.find((e) => e.type === 'commit:failed')).toMatchObject({
      reason: expect.stringMatching(/^git commit failed \(a hook or the repository refused it\): [\s\S]*lint: 3 problems/),
    });
    expect(events.some((e) => e.type === 'fix:committed')).toBe(false);
    const summary = await loop.result;
    expect(summary.commits).toEqual([]);
    expect(summary.stopReason).toBe('no-progress');
    expect(sh(repo, 'git', ['branch', '--list', 'fixloop/*'])).toBe('');
    expect(sh(repo, 'git', ['worktree', 'list']).split('\n')).toHaveLength(1);
  });

  it('works from a detached HEAD and leaves it detached where it was', async () => {
    const repo = makeVitestRepo(COUNTER);
    const head = sh(repo, 'git', ['rev-parse', 'HEAD']);
    sh(repo, 'git', ['checkout', '-q', '--detach']);
    const loop = createLoop({ cwd: repo, providers: [fixCounter()] });
    await collect(loop);
    const summary = await loop.result;
    expect(summary.status).toBe('green');
    expect(sh(repo, 'git', ['rev-parse', `${summary.branch}~1`])).toBe(head);
    expect(sh(repo, 'git', ['rev-parse', 'HEAD'])).toBe(head);
    expect(sh(repo, 'git', ['branch', '--show-current'])).toBe('');
  });

  it('commits as the policy identity when one is given', async () => {
    const repo = makeVitestRepo(withPolicy({ git: { author: { name: 'Night Shift', email: 'night@example.com' } } }));
    const loop = createLoop({ cwd: repo, providers: [fixCounter()] });
    await collect(loop);
    const { branch } = await loop.result;
    expect(sh(repo, 'git', ['log', '-1', '--format=%an <%ae> / %cn <%ce>', branch])).toBe('Night Shift <night@example.com> / Night Shift <night@example.com>');
  });

  it('pushes only the loop branch to git.push, without force; a failed push is reported and the run still ends', async () => {
    const remote = path.join(mkdtempSync(path.join(tmpdir(), 'fixloop-remote-')), 'origin.git');
    sh(tmpdir(), 'git', ['init', '-q', '--bare', remote]);
    const repo = makeVitestRepo(withPolicy({ git: { push: 'origin' } }));
    sh(repo, 'git', ['remote', 'add', 'origin', remote]);
    const loop = createLoop({ cwd: repo, providers: [fixCounter()] });
    const events = await collect(loop);
    const summary = await loop.result;
    expect(events.find((e) => e.type === 'push:end')).toMatchObject({ ok: true, remote: 'origin', branch: summary.branch });
    expect(sh(remote, 'git', ['rev-parse', summary.branch])).toBe(summary.commits[0].sha);
    expect(sh(remote, 'git', ['branch', '--list'])).toBe(summary.branch);

    const other = makeVitestRepo(withPolicy({ git: { push: 'nowhere' } }));
    const second = createLoop({ cwd: other, providers: [fixCounter()] });
    const pushEnd = (await collect(second)).find((e) => e.type === 'push:end');
    expect(pushEnd).toMatchObject({ ok: false, remote: 'nowhere' });
    expect((await second.result).status).toBe('green');
  });

  it('on the next start, removes the worktrees and empty branches a killed run left, keeping branches with fixes', async () => {
    const repo = makeVitestRepo(COUNTER);
    const base = sh(repo, 'git', ['rev-parse', 'HEAD']);
    const leftover = path.join(mkdtempSync(path.join(tmpdir(), 'fixloop-run-')), 'work');
    sh(repo, 'git', ['worktree', 'add', '-q', '-b', 'fixloop/killed', leftover, base]);
    sh(repo, 'git', ['branch', 'fixloop/with-fix', base]);
    sh(repo, 'git', ['worktree', 'add', '-q', path.join(tmpdir(), `wt-${path.basename(leftover)}`), 'fixloop/with-fix']);
    const wt = path.join(tmpdir(), `wt-${path.basename(leftover)}`);
    writeFileSync(path.join(wt, 'src/counter.ts'), COUNTER_FIXED);
    sh(wt, 'git', ['commit', '-qam', 'fix: a verified fix from the killed run']);
    sh(repo, 'git', ['worktree', 'remove', '--force', wt]);

    const loop = createLoop({ cwd: repo, providers: [] });
    const events = await collect(loop);
    expect(events[0]).toMatchObject({ type: 'run:start', cleaned: { worktrees: [leftover], branches: ['fixloop/killed'] } });
    expect(sh(repo, 'git', ['branch', '--list', 'fixloop/*']).split('\n').map((b) => b.trim())).toEqual(['fixloop/with-fix']);
    expect(sh(repo, 'git', ['worktree', 'list']).split('\n')).toHaveLength(1);
  });

  it('with git.branch "current", fast-forwards the checked-out branch to the fixes when the checkout is untouched', async () => {
    const repo = makeVitestRepo(withPolicy({ git: { branch: 'current' } }));
    const loop = createLoop({ cwd: repo, providers: [fixCounter()] });
    const events = await collect(loop);
    const summary = await loop.result;
    expect(events.find((e) => e.type === 'branch:updated')).toMatchObject({ ok: true, branch: 'main', message: 'fast-forwarded main to the fixes' });
    expect(summary.branch).toBe('main');
    expect(sh(repo, 'git', ['rev-parse', 'main'])).toBe(summary.commits[0].sha);
    expect(readFileSync(path.join(repo, 'src/counter.ts'), 'utf8')).toBe(COUNTER_FIXED);
    expect(sh(repo, 'git', ['status', '--porcelain'])).toBe('');
    expect(sh(repo, 'git', ['branch', '--list', 'fixloop/*'])).toBe('');
  });

  it('with git.branch "current" and uncommitted changes (--worktree), leaves them and keeps the fixes on the loop branch', async () => {
    const repo = makeVitestRepo(withPolicy({ git: { branch: 'current' } }));
    const head = sh(repo, 'git', ['rev-parse', 'HEAD']);
    writeFileSync(path.join(repo, 'notes.txt'), 'mine\n');
    const loop = createLoop({ cwd: repo, providers: [fixCounter()], worktree: true });
    const events = await collect(loop);
    const summary = await loop.result;
    expect(events.find((e) => e.type === 'branch:updated')).toMatchObject({
      ok: false,
      message: `the fixes stay on ${summary.branch}: the working tree has uncommitted changes (notes.txt)`,
    });
    expect(summary.branch).toMatch(/^fixloop\//);
    expect(sh(repo, 'git', ['rev-parse', 'HEAD'])).toBe(head);
    expect(readFileSync(path.join(repo, 'notes.txt'), 'utf8')).toBe('mine\n');
  });

  it('with report.commit, commits each iteration report on the loop branch after the fix', async () => {
    const repo = makeVitestRepo(withPolicy({ report: { commit: true } }));
    const loop = createLoop({ cwd: repo, providers: [fixCounter()] });
    await collect(loop);
    const summary = await loop.result;
    const log = sh(repo, 'git', ['log', '--format=%s', `main..${summary.branch}`]).split('\n');
    expect(log).toEqual(['docs(report): fixloop iteration 1 report', 'fix(counter): scripted edit of src/counter.ts']);
    const files = sh(repo, 'git', ['show', '--name-only', '--format=', summary.branch]).split('\n');
    expect(files).toEqual([`.fixloop/runs/${summary.runId}/iteration-1.json`, `.fixloop/runs/${summary.runId}/iteration-1.md`]);
    expect(sh(repo, 'git', ['show', `${summary.branch}:.fixloop/runs/${summary.runId}/iteration-1.md`])).toBe(readFileSync(summary.reports[0], 'utf8').trim());
    expect(sh(repo, 'git', ['status', '--porcelain'])).toBe('');
  });

  it('refuses report.commit with a report.dir outside the repository', async () => {
    const repo = makeVitestRepo(withPolicy({ report: { commit: true, dir: '../elsewhere/{runId}' } }));
    await expect(createLoop({ cwd: repo, providers: [] }).result).rejects.toThrow(/^report\.commit needs report\.dir inside the repository; /);
  });
});
