import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { VitestAdapter } from '../../src/runners/index.js';
import { runCommand } from '../../src/runners/process.js';
import { isAlive, tmpProject } from './projects.js';

let dir: string;
beforeEach(() => {
  dir = tmpProject();
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function pidsIn(file: string): number[] {
  return readFileSync(file, 'utf8').trim().split(/\s+/).map(Number);
}

describe('runCommand', () => {
  it('returns the exit code and the interleaved output, and writes it to the log file', async () => {
    const logFile = path.join(dir, 'logs', 'unit.log');
    // The pauses order the writes: stdout and stderr are separate pipes until they are merged.
    const result = await runCommand('echo one; sleep 0.1; echo two >&2; sleep 0.1; echo "$EXTRA"; exit 3', {
      cwd: dir,
      logFile,
      env: { EXTRA: 'x' },
    });
    expect(result).toMatchObject({ exitCode: 3, timedOut: false, aborted: false, outputTruncated: false });
    expect(result.output).toBe('one\ntwo\nx\n');
    expect(result.outputTail).toBe('one\ntwo\nx\n');
    expect(readFileSync(logFile, 'utf8')).toBe('one\ntwo\nx\n');
  });

  it('kills the whole process tree on timeout, background children included', async () => {
    const pidFile = path.join(dir, 'pids');
    const started = Date.now();
    const result = await runCommand(`sleep 30 & echo $! > ${pidFile}; echo $$ >> ${pidFile}; echo started; sleep 30; wait`, {
      cwd: dir,
      timeoutSec: 1,
      graceMs: 200,
    });
    expect(Date.now() - started).toBeLessThan(4000);
    expect(result).toMatchObject({ exitCode: null, timedOut: true, aborted: false, output: 'started\n' });
    const pids = pidsIn(pidFile);
    expect(pids).toHaveLength(2);
    expect(pids.filter(isAlive)).toEqual([]);
  });

  it('ends processes left in the background when the command itself exits', async () => {
    const pidFile = path.join(dir, 'pids');
    const started = Date.now();
    const result = await runCommand(`(sleep 30 & echo $! > ${pidFile}); exit 0`, { cwd: dir });
    // Without the group kill the orphan would hold the output pipe, and this call, for 30 s.
    expect(Date.now() - started).toBeLessThan(3000);
    expect(result.exitCode).toBe(0);
    // SIGKILL has been sent; on a loaded machine the kernel may take a moment to end the process.
    await vi.waitFor(() => expect(pidsIn(pidFile).filter(isAlive)).toEqual([]), { timeout: 1000, interval: 20 });
  });

  // A daemon in its own session (setsid) is out of the group's reach but holds the output pipe:
  // without more, reading the output waits for it, past every limit.
  it('ends at the timeout when a process in another session holds the output, and ends that process', async () => {
    const pidFile = path.join(dir, 'pids');
    const started = Date.now();
    const result = await runCommand(`setsid sleep 3017 & echo $! > ${pidFile}; echo started; sleep 30`, { cwd: dir, timeoutSec: 1, graceMs: 200 });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(result).toMatchObject({ exitCode: null, timedOut: true, aborted: false, output: 'started\n' });
    await vi.waitFor(() => expect(pidsIn(pidFile).filter(isAlive)).toEqual([]), { timeout: 1000, interval: 20 });
  });

  it('ends a process in another session that holds the output after the command exits', async () => {
    const pidFile = path.join(dir, 'pids');
    const started = Date.now();
    const result = await runCommand(`setsid sleep 3018 & echo $! > ${pidFile}; sleep 0.2; exit 4`, { cwd: dir, graceMs: 200 });
    expect(Date.now() - started).toBeLessThan(4000);
    expect(result).toMatchObject({ exitCode: 4, timedOut: false });
    await vi.waitFor(() => expect(pidsIn(pidFile).filter(isAlive)).toEqual([]), { timeout: 1000, interval: 20 });
  });

  it('kills the tree when the signal aborts, and does not start when already aborted', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const started = Date.now();
    const result = await runCommand('sleep 30', { cwd: dir, signal: controller.signal });
    expect(Date.now() - started).toBeLessThan(3000);
    expect(result).toMatchObject({ exitCode: null, timedOut: false, aborted: true });
    expect(isAlive(result.pid!)).toBe(false);

    const before = await runCommand(`touch ${path.join(dir, 'ran')}`, { cwd: dir, signal: controller.signal });
    expect(before).toMatchObject({ exitCode: null, aborted: true, durationMs: 0 });
    expect(before.pid).toBeUndefined();
    expect(existsSync(path.join(dir, 'ran'))).toBe(false);
  });

  it('keeps only the end of a long output in memory, and all of it in the log', async () => {
    const logFile = path.join(dir, 'long.log');
    // 200 000 lines of "line N": about 1.3 MB.
    const result = await runCommand('seq 1 200000 | sed "s/^/line /"', { cwd: dir, keepOutput: 100_000, logFile });
    expect(result.outputTruncated).toBe(true);
    expect(result.output.length).toBe(100_000);
    expect(result.output.endsWith('line 199999\nline 200000\n')).toBe(true);
    expect(result.outputTail.length).toBe(64 * 1024);
    expect(result.outputTail.endsWith('line 200000\n')).toBe(true);
    expect(readFileSync(logFile, 'utf8').split('\n')).toHaveLength(200_001);
  });

  it('hands parsers plain text, colour codes and carriage returns removed, and writes the log without colour codes', async () => {
    const logFile = path.join(dir, 'colour.log');
    const result = await runCommand("printf '\\033[31mFAIL\\033[39m test/a.test.ts\\r\\n\\033[1m\\033[32m✓\\033[22m\\033[39m ok\\n'", { cwd: dir, logFile });
    expect(result.output).toBe('FAIL test/a.test.ts\n✓ ok\n');
    expect(result.outputTail).toBe('FAIL test/a.test.ts\n✓ ok\n');
    expect(readFileSync(logFile, 'utf8')).toBe('FAIL test/a.test.ts\r\n✓ ok\n');
    // A code split across two writes of the command is removed whole.
    const split = await runCommand("printf 'a\\033['; sleep 0.2; printf '31mred\\033[39m\\n'", { cwd: dir, logFile });
    expect([split.output, readFileSync(logFile, 'utf8')]).toEqual(['ared\n', 'ared\n']);
  });

  it('reports exit code 127 for a missing command and a spawn error for a missing directory', async () => {
    const missing = await runCommand('fixloop-no-such-command --flag', { cwd: dir });
    expect(missing.exitCode).toBe(127);
    expect(missing.output).toMatch(/fixloop-no-such-command: (command )?not found/);

    const nowhere = await runCommand('echo hi', { cwd: path.join(dir, 'absent') });
    expect(nowhere.exitCode).toBeNull();
    expect(nowhere.spawnError).toContain('The "cwd" option is invalid');
  });
});

describe('a suite whose command leaves a daemon holding its output', () => {
  it('ends at timeoutSec with a timeout blocker, and leaves no process behind', async () => {
    const pidFile = path.join(dir, 'pids');
    const started = Date.now();
    const run = await new VitestAdapter().run(
      { name: 'unit', command: `setsid sleep 3019 & echo $! > ${pidFile}; sleep 30; npx vitest run`, format: 'vitest', timeoutSec: 1 },
      { cwd: dir },
    );
    expect(Date.now() - started).toBeLessThan(6000);
    expect(run).toMatchObject({ timedOut: true, exitCode: null, blocker: { reason: 'timeout' } });
    expect(run.blocker!.message).toMatch(/^Suite "unit" .*timed out after 1s; its process tree was killed/);
    await vi.waitFor(() => expect(pidsIn(pidFile).filter(isAlive)).toEqual([]), { timeout: 1000, interval: 20 });
  });
});
