import { execFile } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { LoopEvent } from '../src/model.js';
import { advance, statusLine, TerminalProgress, type ProgressState } from '../src/progress.js';
import { BIN, demoRepo } from './helpers/git-repo.js';

const ev = (e: object) => ({ runId: 'r', at: '', ...e }) as LoopEvent;
const start: ProgressState = { iteration: 0, maxIterations: 3, phase: 'starting', phaseSince: 0, problem: 0, problems: 0, commits: 0 };

describe('the terminal status line', () => {
  it('says only that it is starting before the first iteration', () => {
    expect(statusLine({ ...start, phaseSince: 1000 }, 1300)).toBe('⠋ starting 0.3s');
  });

  it('follows the loop: suites running, problem n of m, candidate being verified, fixes, iterations left', () => {
    let s = advance(start, ev({ type: 'iteration:start', iteration: 1 }), 0);
    s = advance(s, ev({ type: 'suites:start', iteration: 1, suites: ['unit'] }), 1000);
    expect(statusLine(s, 3500)).toBe('⠋ iteration 1/3 · running suite unit 2.5s · 0 fixes · 2 iterations left');
    s = advance(s, ev({ type: 'problem:found' }), 4000);
    s = advance(s, ev({ type: 'problem:found' }), 4000);
    s = advance(s, ev({ type: 'candidate:proposed', candidateId: 'codefix-ab12', provider: 'codefix' }), 5000);
    expect(statusLine(s, 6000, 1)).toBe('⠙ iteration 1/3 · verifying codefix-ab12 (codefix) 1.0s · problem 1/2 · 0 fixes · 2 iterations left');
    s = advance(s, ev({ type: 'fix:committed' }), 7000);
    expect(statusLine(s, 7000)).toBe('⠋ iteration 1/3 · committed; next problem 0.0s · problem 2/2 · 1 fix · 2 iterations left');
  });

  it('names the suite running, n of m, and says triage once the last suite has ended', () => {
    let s = advance(start, ev({ type: 'iteration:start', iteration: 1 }), 0);
    s = advance(s, ev({ type: 'suites:start', iteration: 1, suites: ['unit', 'api', 'py'] }), 0);
    expect(statusLine(s, 1000)).toBe('⠋ iteration 1/3 · running suite unit (1/3) 1.0s · 0 fixes · 2 iterations left');
    s = advance(s, ev({ type: 'suite:end', suite: 'unit' }), 1000);
    expect(statusLine(s, 1000)).toBe('⠋ iteration 1/3 · running suite api (2/3) 0.0s · 0 fixes · 2 iterations left');
    s = advance(s, ev({ type: 'suite:end', suite: 'api' }), 2000);
    s = advance(s, ev({ type: 'suite:end', suite: 'py' }), 3000);
    expect(statusLine(s, 3000)).toBe('⠋ iteration 1/3 · suites done 0.0s · 0 fixes · 2 iterations left');
    s = advance(s, ev({ type: 'suites:end' }), 3000);
    expect(statusLine(s, 27000)).toBe('⠋ iteration 1/3 · triage: re-running failing tests, grouping problems 24.0s · 0 fixes · 2 iterations left');
  });

  it('prints each event line above the status line, which it clears and redraws', () => {
    const writes: string[] = [];
    const out = { columns: 120, write: (t: string) => writes.push(t) } as unknown as NodeJS.WriteStream;
    const progress = new TerminalProgress(out, 2);
    progress.line('iteration 1', ev({ type: 'iteration:start', iteration: 1 }));
    progress.stop();
    expect(writes[0]).toBe('\r\x1b[K');
    expect(writes[1]).toBe('iteration 1\n');
    expect(writes[2]).toMatch(/^\r\x1b\[K⠋ iteration 1\/2 · starting 0\.0s · 0 fixes · 1 iteration left$/);
    expect(writes.at(-1)).toBe('\r\x1b[K');
  });

  it('is drawn by `fixloop run` on a terminal (a pseudo-terminal through script(1))', async () => {
    const repo = demoRepo();
    const tty = await new Promise<string>((resolve) =>
      execFile('script', ['-qefc', `${process.execPath} ${BIN} run`, '/dev/null'], { cwd: repo, env: { ...process.env, NO_COLOR: '1' } }, (_e, stdout) => resolve(stdout)),
    );
    expect(tty).toContain('\r\x1b[K');
    expect(tty).toMatch(/iteration 1\/5 · (running suite|verifying|suite )/);
    expect(tty).toContain('run ended: green (green)');
  });
});

describe('live suite progress on the status line', () => {
  it('shows tests done of those expected (discovery, else the suite\'s last run), keeping the suite\'s clock', () => {
    let s = advance(start, ev({ type: 'iteration:start', iteration: 1 }), 0);
    s = advance(s, ev({ type: 'discovery:end', suites: [{ suite: 'unit', count: 123 }, { suite: 'py', reason: 'cannot list' }] }), 0);
    s = advance(s, ev({ type: 'suites:start', iteration: 1, suites: ['unit', 'py'] }), 0);
    s = advance(s, ev({ type: 'suite:progress', iteration: 1, suite: 'unit', tests: 34, failed: 2, files: 3 }), 1500);
    expect(statusLine(s, 2000)).toBe('⠋ iteration 1/3 · running suite unit (1/2) 2.0s · 34/123 tests done, 2 failed · 0 fixes · 2 iterations left');
    s = advance(s, ev({ type: 'suite:end', suite: 'unit', totals: { tests: 123, passed: 121, failed: 2, skipped: 0, loadErrors: 0 } }), 3000);
    expect(statusLine(s, 3000)).toBe('⠋ iteration 1/3 · running suite py (2/2) 0.0s · 0 fixes · 2 iterations left');
    s = advance(s, ev({ type: 'suite:progress', iteration: 1, suite: 'py', expected: 40, tests: 10, failed: 0 }), 3500);
    expect(statusLine(s, 4000)).toBe('⠋ iteration 1/3 · running suite py (2/2) 1.0s · 10/40 tests done · 0 fixes · 2 iterations left');
    s = advance(s, ev({ type: 'suite:end', suite: 'py', totals: { tests: 40, passed: 40, failed: 0, skipped: 0, loadErrors: 0 } }), 5000);
    s = advance(s, ev({ type: 'iteration:start', iteration: 2 }), 6000);
    s = advance(s, ev({ type: 'suites:start', iteration: 2, suites: ['unit', 'py'] }), 6000);
    s = advance(s, ev({ type: 'suite:progress', iteration: 2, suite: 'unit', files: 4, failedFiles: 1 }), 6500);
    expect(statusLine(s, 7000)).toBe('⠋ iteration 2/3 · running suite unit (1/2) 1.0s · 4 test files done, 1 failing · 0 fixes · 1 iteration left');
    s = advance(s, ev({ type: 'suite:end', suite: 'unit', totals: { tests: 123, passed: 123, failed: 0, skipped: 0, loadErrors: 0 } }), 8000);
    s = advance(s, ev({ type: 'suite:progress', iteration: 2, suite: 'py', tests: 12 }), 8500);
    expect(statusLine(s, 9000)).toBe('⠋ iteration 2/3 · running suite py (2/2) 1.0s · 12/40 tests done · 0 fixes · 1 iteration left');
  });
});
