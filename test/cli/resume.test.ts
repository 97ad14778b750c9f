// Crash safety: `fixloop run` killed with SIGKILL at each kind of event, then `fixloop resume`.
import { execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LoopEvent } from '../../src/model.js';
import { BIN, demoRepo, sh } from '../helpers/git-repo.js';

/** Starts `fixloop run --json` and SIGKILLs it as soon as it prints an event of the given type. */
function runAndKillAt(repo: string, type: LoopEvent['type']): Promise<LoopEvent[]> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, 'run', '--json'], { cwd: repo, stdio: ['ignore', 'pipe', 'ignore'] });
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

function resume(repo: string): Promise<{ code: number; events: LoopEvent[]; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [BIN, 'resume', '--json'], { cwd: repo }, (err, stdout, stderr) => {
      const events = stdout.trim() ? stdout.trim().split('\n').map((l) => JSON.parse(l) as LoopEvent) : [];
      done({ code: err ? ((err as { code?: number }).code ?? 1) : 0, events, stderr });
    });
  });
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
      const before = await runAndKillAt(repo, killAt);
      expect(before.at(-1)?.type).toBe(killAt);
      const runId = before[0].runId;

      const { code, events } = await resume(repo);
      expect(code).toBe(0);
      expect(events[0]).toMatchObject({ type: 'run:resume', runId, branch: `fixloop/${runId}`, iteration, commits: already });
      const end = events.at(-1)!;
      expect(end).toMatchObject({ type: 'run:end', runId, status: 'green', totalsBefore: { passed: 3, loadErrors: 4 }, totalsAfter: { passed: 30, failed: 0 } });
      expect(end.type === 'run:end' && end.commits.map((c) => c.message.split('\n')[0])).toEqual(['fix(env): import missing parseBoolean in readEnv()']);
      expect(sh(repo, 'git', ['log', '--format=%s', `main..fixloop/${runId}`])).toBe('fix(env): import missing parseBoolean in readEnv()');
      expect(sh(repo, 'git', ['worktree', 'list']).split('\n')).toHaveLength(1);
      expect(sh(repo, 'git', ['status', '--porcelain'])).toBe('');
      expect(existsSync(path.join(repo, '.fixloop/lock'))).toBe(false);
      const journal = readFileSync(path.join(repo, '.fixloop/runs', runId, 'journal.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l).type);
      expect(journal.filter((t) => t === 'run:start' || t === 'run:resume' || t === 'run:end')).toEqual(['run:start', 'run:resume', 'run:end']);
    },
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
  });
});
