import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SuiteRun, Totals } from '../../src/model.js';
import type { SuiteConfig } from '../../src/policy/schema.js';
import { defaultAdapters, runSuites, sumTotals, testId, VitestAdapter } from '../../src/runners/index.js';
import type { RunOptions, TestRunnerAdapter } from '../../src/runners/types.js';
import { tmpProject } from './projects.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const config = (name: string, extra: Partial<SuiteConfig> = {}): SuiteConfig => ({
  name,
  command: `run ${name}`,
  format: 'vitest',
  timeoutSec: 60,
  ...extra,
});

const totals = (passed: number, failed: number, loadErrors = 0): Totals => ({
  tests: passed + failed,
  passed,
  failed,
  skipped: 0,
  loadErrors,
});

/** Records what it was asked and answers with fixed totals. */
class RecordingAdapter implements TestRunnerAdapter {
  readonly format = 'vitest';
  calls: { suite: string; options: RunOptions }[] = [];
  constructor(private readonly answers: Record<string, Totals>, private readonly onRun?: () => void) {}

  async run(suite: SuiteConfig, options: RunOptions): Promise<SuiteRun> {
    this.calls.push({ suite: suite.name, options });
    this.onRun?.();
    return { suite: suite.name, command: suite.command, exitCode: 0, durationMs: 1, timedOut: false, tests: [], loadFailures: [], totals: this.answers[suite.name] };
  }
}

describe('runSuites', () => {
  it('runs the suites in order, passing files, log files and the signal, and sums the totals', async () => {
    const adapter = new RecordingAdapter({ unit: totals(3, 1), e2e: totals(2, 0, 1) });
    const ended: string[] = [];
    const signal = new AbortController().signal;
    const base = tmpProject();
    dirs.push(base);
    const run = await runSuites([config('unit'), config('e2e')], {
      cwd: '/repo',
      files: ['test/a.test.ts'],
      logDir: path.join(base, 'logs'),
      signal,
      adapters: { vitest: adapter },
      onSuiteEnd: (suiteRun) => ended.push(suiteRun.suite),
    });
    expect(ended).toEqual(['unit', 'e2e']);
    expect(adapter.calls.map((c) => [c.suite, c.options.cwd, c.options.files, path.basename(c.options.logFile!), c.options.signal])).toEqual([
      ['unit', '/repo', ['test/a.test.ts'], 'unit.log', signal],
      ['e2e', '/repo', ['test/a.test.ts'], 'e2e.log', signal],
    ]);
    expect(run.suites.map((s) => s.suite)).toEqual(['unit', 'e2e']);
    expect(run.totals).toEqual({ tests: 6, passed: 5, failed: 1, skipped: 0, loadErrors: 1 });
    expect(Number.isNaN(Date.parse(run.startedAt))).toBe(false);
  });

  it('names log files safely and leaves them out without a log directory', async () => {
    const adapter = new RecordingAdapter({ 'api / slow': totals(1, 0) });
    const logDir = tmpProject();
    dirs.push(logDir);
    await runSuites([config('api / slow')], { cwd: '/repo', logDir, adapters: { vitest: adapter } });
    await runSuites([config('api / slow')], { cwd: '/repo', adapters: { vitest: adapter } });
    // Every run of a suite keeps its own log: the second does not write over the first.
    await runSuites([config('api / slow')], { cwd: '/repo', logDir, adapters: { vitest: adapter } });
    expect(adapter.calls.map((c) => c.options.logFile)).toEqual([path.join(logDir, 'api_slow.log'), undefined, path.join(logDir, 'api_slow-2.log')]);
  });

  it('stops before the next suite once aborted, with the abort reason', async () => {
    const controller = new AbortController();
    const adapter = new RecordingAdapter({ unit: totals(1, 0) }, () => controller.abort(new Error('user pressed ctrl-c')));
    await expect(runSuites([config('unit'), config('e2e')], { cwd: '/repo', signal: controller.signal, adapters: { vitest: adapter } })).rejects.toThrow(
      'user pressed ctrl-c',
    );
    expect(adapter.calls.map((c) => c.suite)).toEqual(['unit']);
  });

  it('refuses a format no adapter reads', async () => {
    const suite = { ...config('unit'), format: 'karma' } as unknown as SuiteConfig;
    await expect(runSuites([suite], { cwd: '/repo' })).rejects.toThrow(
      'Suite "unit": no test runner adapter for format "karma" (known: vitest, jest, node-test, pytest, mocha, junit, exit-code).',
    );
  });

  it('ships an adapter for every format but auto, which runSuites resolves', () => {
    expect(Object.keys(defaultAdapters)).toEqual(['vitest', 'jest', 'node-test', 'pytest', 'mocha', 'junit', 'exit-code']);
    expect(defaultAdapters.vitest).toBeInstanceOf(VitestAdapter);
    expect(Object.entries(defaultAdapters).map(([format, adapter]) => format === adapter.format)).toEqual([true, true, true, true, true, true, true]);
  });

  it('resolves format auto to the detected runner, and says when it fell back to the exit code', async () => {
    const vitest = new RecordingAdapter({ unit: totals(1, 0) });
    const exit = new RecordingAdapter({ lint: totals(1, 0) });
    const run = await runSuites([config('unit', { command: 'npx vitest run', format: 'auto' }), config('lint', { command: 'make check', format: 'auto' })], {
      cwd: '/repo',
      adapters: { vitest, 'exit-code': exit },
    });
    expect([vitest.calls.map((c) => c.suite), exit.calls.map((c) => c.suite)]).toEqual([['unit'], ['lint']]);
    expect(run.suites.map((s) => s.warnings)).toEqual([
      undefined,
      [
        'No test runner recognised in "make check": judged by exit code only, as one test. To see single tests, name the runner with "format" (vitest, jest, node-test, pytest, mocha, junit).',
      ],
    ]);
  });

  it('runs real vitest in a suite sub-directory, with paths relative to the repository', async () => {
    const root = tmpProject('import-time', 'packages/app');
    dirs.push(root);
    const run = await runSuites([config('app', { command: 'npx vitest run', cwd: 'packages/app' })], {
      cwd: root,
      files: ['packages/app/test/env.test.ts'],
      logDir: path.join(root, 'logs'),
    });
    const [suite] = run.suites;
    expect(suite.command).toBe('npx vitest run test/env.test.ts');
    expect(suite.blocker).toBeUndefined();
    expect(run.totals).toEqual({ tests: 0, passed: 0, failed: 0, skipped: 0, loadErrors: 1 });
    expect(suite.loadFailures).toEqual([
      {
        suite: 'app',
        file: 'packages/app/test/env.test.ts',
        failure: expect.objectContaining({
          message: 'ReferenceError: resolveMode is not defined',
          errorName: 'ReferenceError',
          location: { file: 'packages/app/src/env.ts', line: 1, column: 21 },
        }),
      },
    ]);
    expect(readFileSync(path.join(root, 'logs', 'app.log'), 'utf8')).toContain('ReferenceError: resolveMode is not defined');
  });
});

describe('sumTotals and testId', () => {
  it('adds totals field by field', () => {
    expect(sumTotals([{ totals: totals(1, 2, 3) }, { totals: { tests: 4, passed: 1, failed: 0, skipped: 3, loadErrors: 0 } }])).toEqual({
      tests: 7,
      passed: 2,
      failed: 2,
      skipped: 3,
      loadErrors: 3,
    });
    expect(sumTotals([])).toEqual({ tests: 0, passed: 0, failed: 0, skipped: 0, loadErrors: 0 });
  });

  it('joins suite, file and full name', () => {
    expect(testId('unit', 'test/a.test.ts', 'a > b')).toBe('unit::test/a.test.ts::a > b');
  });
});
