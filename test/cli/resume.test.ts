// Crash safety: `fixloop run` killed with SIGKILL at each kind of event, then `fixloop resume`.
import { execFile, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LoopEvent } from '../../src/model.js';
import { BIN, demoRepo, sh } from '../helpers/git-repo.js';

const SLOW = 360_000;

/** Starts `fixloop run --json` and SIGKILLs it as soon as it prints an event of the given type. */
function runAndKillAt(repo: string, type: LoopEvent['type'], env = process.env): Promise<LoopEvent[]> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, 'run', '--json'], { cwd: repo, env, stdio: ['ignore', 'pipe', 'ignore'] });
    const seen: LoopEvent[] = [];
    let buffer = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop()!;
      for (const line of lines) {
        const event = JSON.parse(line) as LoopEvent;
        seen.push(event);
        if (event.type === type) child.kill('SIGKILL');
      }
    });
    child.on('close', () => resolve(seen));
  });
}

function resume(repo: string, env = process.env): Promise<{ code: number; events: LoopEvent[]; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [BIN, 'resume', '--json'], { cwd: repo, env }, (err, stdout, stderr) => {
      const events = stdout.trim() ? stdout.trim().split('\n').map((l) => JSON.parse(l) as LoopEvent) : [];
      done({ code: err ? ((err as { code?: number }).code ?? 1) : 0, events, stderr });
    });
  });
}

/** An environment whose TMPDIR is a fresh folder: what the runs leave in it, and the processes that carry it, can be seen. */
function isolatedTmp(): { env: NodeJS.ProcessEnv; tmp: string } {
  const tmp = mkdtempSync(path.join(tmpdir(), 'fixloop-resume-tmp-'));
  return { tmp, env: { ...process.env, TMPDIR: tmp } };
}

/** Processes still running with that TMPDIR: fixloop's, git's, the suites' and their children's. */
function processesWith(tmp: string): string[] {
  const left: string[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      if (readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(`TMPDIR=${tmp}`)) left.push(readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' '));
    } catch {
      // Gone meanwhile, or not ours to read.
    }
  }
  return left;
}

/** Nothing of either process is left: no worktree, lock, temp folder or process; the user's tree is clean. */
function expectNothingLeft(repo: string, tmp: string): void {
  expect(sh(repo, 'git', ['worktree', 'list']).split('\n')).toHaveLength(1);
  expect(sh(repo, 'git', ['status', '--porcelain'])).toBe('');
  expect(existsSync(path.join(repo, '.fixloop/lock'))).toBe(false);
  // tsx-<uid>: the compile cache of bin/fixloop.js running from the checkout's sources, not fixloop's.
  expect(readdirSync(tmp).filter((f) => !/^tsx-\d+$/.test(f))).toEqual([]);
  expect(processesWith(tmp)).toEqual([]);
}

/** summary.md agrees with its headline: the chart starts where the run started and lists every iteration; each fix shows its diff. */
function expectWholeSummary(repo: string, runId: string, iterations: number): void {
  const summary = readFileSync(path.join(repo, '.fixloop/runs', runId, 'summary.md'), 'utf8');
  expect(summary).toContain(`The run ended green after ${iterations} iteration${iterations === 1 ? '' : 's'} because every suite is green: 3 passed, 0 failed, 0 skipped, 4 files failed to load at the start`);
  expect(summary).toContain('| start | 3 | 3 | 0 | 0 | 4 |');
  for (let i = 1; i <= iterations; i++) expect(summary).toContain(`- [Iteration ${i}](iteration-${i}.md)`);
  expect(summary).toContain("+import { parseBoolean, parseInteger } from './parse.js';");
}

describe('fixloop resume after kill -9', () => {
  // [event to kill at, the iteration resume continues with, fixes it already had]
  it.each([
    ['suites:start', 1, 0],
    ['problem:found', 1, 0],
    ['candidate:proposed', 1, 0],
    ['candidate:verified', 1, 0],
    ['fix:committed', 1, 1],
    ['iteration:end', 2, 1],
  ] as const)(
    'killed at %s: resume finishes the run on the same branch with exactly one fix, nothing left behind',
    async (killAt, iteration, already) => {
      const repo = demoRepo();
      const { env, tmp } = isolatedTmp();
      const before = await runAndKillAt(repo, killAt, env);
      expect(before.at(-1)?.type).toBe(killAt);
      const runId = before[0].runId;

      const { code, events } = await resume(repo, env);
      expect(code).toBe(0);
      expect(events[0]).toMatchObject({ type: 'run:resume', runId, branch: `fixloop/${runId}`, iteration, commits: already });
      const end = events.at(-1)!;
      expect(end).toMatchObject({ type: 'run:end', runId, status: 'green', totalsBefore: { passed: 3, loadErrors: 4 }, totalsAfter: { passed: 30, failed: 0 } });
      expect(end.type === 'run:end' && end.commits.map((c) => c.message.split('\n')[0])).toEqual(['fix(env): import missing parseBoolean in readEnv()']);
      expect(sh(repo, 'git', ['log', '--format=%s', `main..fixloop/${runId}`])).toBe('fix(env): import missing parseBoolean in readEnv()');
      expectNothingLeft(repo, tmp);
      expectWholeSummary(repo, runId, iteration);
      const journal = readFileSync(path.join(repo, '.fixloop/runs', runId, 'journal.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l).type);
      expect(journal.filter((t) => t === 'run:start' || t === 'run:resume' || t === 'run:end')).toEqual(['run:start', 'run:resume', 'run:end']);
    },
    // Two processes each start vitest at least once: on a loaded machine that is more than the default minute.
    SLOW,
  );

  it('says there is nothing to resume when the last run ended', async () => {
    const repo = demoRepo();
    const first = await resume(repo);
    expect(first.code).toBe(2);
    expect(first.stderr).toBe(`fixloop: No fixloop run found in ${repo}: start one with \`fixloop run\`.\n`);
    await runAndKillAt(repo, 'run:end');
    const again = await resume(repo);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/^fixloop: Run \S+ finished \(green, green\): nothing to resume\. Start a new one with `fixloop run`\.\n$/);
  }, SLOW);
});

/**
 * Starts `fixloop run --json` with a post-commit hook that sleeps (as git-lfs's hook can take its
 * time), and SIGKILLs fixloop while the hook runs: the fix is committed, the journal does not know.
 */
async function runAndKillInCommit(repo: string, env: NodeJS.ProcessEnv): Promise<LoopEvent[]> {
  const marker = path.join(repo, '.git', 'hook-pid');
  const hook = path.join(repo, '.git', 'hooks', 'post-commit');
  writeFileSync(hook, `#!/bin/sh\nif [ ! -e '${marker}' ]; then echo $$ > '${marker}.tmp' && mv '${marker}.tmp' '${marker}'; exec sleep 120; fi\n`);
  chmodSync(hook, 0o755);
  const child = spawn(process.execPath, [BIN, 'run', '--json'], { cwd: repo, env, stdio: ['ignore', 'pipe', 'ignore'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const closed = new Promise((done) => child.on('close', done));
  while (!existsSync(marker)) await new Promise((r) => setTimeout(r, 50));
  child.kill('SIGKILL');
  await closed;
  // The hook's sleep is a child of git, not of fixloop: the test ends it, as git-lfs would end.
  process.kill(Number(readFileSync(marker, 'utf8')), 'SIGKILL');
  return out.trim().split('\n').map((l) => JSON.parse(l) as LoopEvent);
}

describe('fixloop resume after kill -9 inside git commit', () => {
  it('records the fix the journal lacks, from its trailers, and keeps the branch that holds it', async () => {
    const repo = demoRepo();
    const { env, tmp } = isolatedTmp();
    const before = await runAndKillInCommit(repo, env);
    const runId = before[0].runId;
    const subject = 'fix(env): import missing parseBoolean in readEnv()';
    expect(before.map((e) => e.type)).not.toContain('fix:committed');
    expect(sh(repo, 'git', ['log', '--format=%s', `main..fixloop/${runId}`])).toBe(subject);
    const trailers = sh(repo, 'git', ['log', '-1', '--format=%(trailers:only,unfold)', `fixloop/${runId}`]).split('\n');
    const problemId = before.find((e) => e.type === 'problem:found' && e.problem.title.includes('parseBoolean'))!;
    expect(trailers.slice(0, 3)).toEqual([`Fixloop-Run: ${runId}`, 'Fixloop-Iteration: 1', 'Fixloop-Provider: codefix']);
    expect(trailers[3]).toBe(`Fixloop-Problem: ${problemId.type === 'problem:found' && problemId.problem.id}`);
    expect(trailers[4]).toMatch(/^Fixloop-Candidate: codefix-\S+$/);

    // `fixloop status` of the stopped run already counts the fix its branch holds.
    const stopped = JSON.parse(sh(repo, process.execPath, [BIN, 'status', '--json']));
    expect([stopped.state, stopped.commits.map((c: { message: string }) => c.message)]).toEqual(['stopped', [subject]]);

    const { code, events } = await resume(repo, env);
    expect(code).toBe(0);
    expect(events[0]).toMatchObject({ type: 'run:resume', runId, iteration: 1, commits: 1, recovered: [{ message: expect.stringMatching(/^fix\(env\)/), files: ['src/shared/isolated-environment.ts'], provider: 'codefix', iteration: 1 }] });
    // The head already holds the fix: nothing is proposed or committed again.
    expect(events.map((e) => e.type)).not.toContain('candidate:proposed');
    const end = events.at(-1)!;
    expect(end).toMatchObject({ type: 'run:end', status: 'green', branch: `fixloop/${runId}`, totalsBefore: { passed: 3, loadErrors: 4 }, totalsAfter: { passed: 30, failed: 0 } });
    expect(end.type === 'run:end' && end.commits.map((c) => c.message.split('\n')[0])).toEqual([subject]);
    expect(sh(repo, 'git', ['log', '--format=%s', `main..fixloop/${runId}`])).toBe(subject);
    // The summary keeps the fix's diff although this process never saw its candidate.
    expectWholeSummary(repo, runId, 1);
    expectNothingLeft(repo, tmp);
    // `fixloop status` reads the recovered fix from the journal too.
    const status = JSON.parse(sh(repo, process.execPath, [BIN, 'status', '--json']));
    expect(status.commits.map((c: { message: string }) => c.message)).toEqual([subject]);
  }, SLOW);
});

