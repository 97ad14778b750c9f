import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SuiteConfig } from '../../src/policy/schema.js';
import { runSuites } from '../../src/runners/index.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function repo(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fixloop-setup-'));
  dirs.push(dir);
  mkdirSync(path.join(dir, 'pkg'));
  return dir;
}

const suite = (setup: string[], command = 'test -f built.txt'): SuiteConfig => ({ name: 'unit', command, format: 'exit-code', timeoutSec: 30, cwd: 'pkg', setup });

describe('a suite\'s setup steps', () => {
  it('run before the suite, in order, in its directory; each step\'s output goes to its own log', async () => {
    const dir = repo();
    const logDir = path.join(dir, 'logs');
    const run = await runSuites([suite(['echo one > built.txt', 'echo two >> built.txt'])], { cwd: dir, logDir });
    expect(run.suites[0].blocker).toBeUndefined();
    expect(run.totals).toEqual({ tests: 1, passed: 1, failed: 0, skipped: 0, loadErrors: 0 });
    expect(readFileSync(path.join(dir, 'pkg', 'built.txt'), 'utf8')).toBe('one\ntwo\n');
    expect(existsSync(path.join(logDir, 'unit.setup1.log'))).toBe(true);
    expect(existsSync(path.join(logDir, 'unit.setup2.log'))).toBe(true);
  });

  it('a failing step blocks the suite, names the step, and the suite\'s command is not run', async () => {
    const dir = repo();
    const run = await runSuites([suite(['echo compiling', 'echo "src/a.ts(1,1): error TS2304" && exit 2', 'touch never.txt'], 'touch ran.txt')], { cwd: dir });
    const [only] = run.suites;
    expect(only.tests).toEqual([]);
    expect(only.exitCode).toBe(2);
    expect(only.blocker).toEqual({
      reason: 'crash',
      message:
        'Suite "unit": setup step 2 `echo "src/a.ts(1,1): error TS2304" && exit 2` exited with code 2; the suite was not run. Fix the step or "setup" in the policy.\nLast output:\nsrc/a.ts(1,1): error TS2304',
      outputTail: 'src/a.ts(1,1): error TS2304\n',
    });
    expect(existsSync(path.join(dir, 'pkg', 'ran.txt'))).toBe(false);
    expect(existsSync(path.join(dir, 'pkg', 'never.txt'))).toBe(false);
    const missing = await runSuites([suite(['no-such-build-tool --all'])], { cwd: dir });
    expect(missing.suites[0].blocker?.reason).toBe('command-not-found');
    expect(missing.suites[0].blocker?.message).toMatch(/^Suite "unit": setup step 1 `no-such-build-tool --all` failed: command not found; the suite was not run\./);
  });
});
