// A runner added from the SDK is a first-class one: the policy accepts its format, `format: "auto"`
// and `fixloop init` recognise its command, and the loop runs its suites through its adapter.
import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createLoop } from '../../src/index.js';
import { initialPolicy } from '../../src/init/index.js';
import type { SuiteRun } from '../../src/model.js';
import { parsePolicy } from '../../src/policy/index.js';
import type { SuiteConfig } from '../../src/policy/schema.js';
import { countTotals, detectFormat, knownFormats, registerRunner, runCommand, runSuites, RunnerRegistryError, testId, type RunOptions, type TestRunnerAdapter } from '../../src/runners/index.js';
import { makeRepo, writeProject } from '../helpers/git-repo.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A small TAP reader: `ok 1 - title` / `not ok 2 - title` lines of the command's output. */
class TapLinesAdapter implements TestRunnerAdapter {
  constructor(readonly format: string) {}

  async run(suite: SuiteConfig, options: RunOptions): Promise<SuiteRun> {
    const result = await runCommand(suite.command, { cwd: options.cwd, timeoutSec: suite.timeoutSec, signal: options.signal });
    const tests = [...result.outputTail.matchAll(/^(not )?ok \d+ - (.+)$/gm)].map(([, not, title]) => ({
      id: testId(suite.name, 'test/tap.txt', title),
      suite: suite.name,
      file: 'test/tap.txt',
      fullName: title,
      status: not ? ('failed' as const) : ('passed' as const),
      durationMs: 0,
      ...(not ? { failure: { message: `${title} failed` } } : {}),
    }));
    return { suite: suite.name, command: suite.command, exitCode: result.exitCode, timedOut: false, durationMs: result.durationMs, tests, loadFailures: [], totals: countTotals(tests, []) };
  }
}

const TAP_SUITE = { suites: [{ name: 'tap', command: 'tap-lines test', format: 'tap-lines' }] };

describe('registerRunner', () => {
  it('makes the policy accept the format, which it refused before, with a message naming the field and the known ones', () => {
    expect(() => parsePolicy(TAP_SUITE, 'loop.policy.json')).toThrow(
      'Invalid policy loop.policy.json:\n  - suites.0.format: no test runner "tap-lines" (known: auto, vitest, jest, node-test, pytest, mocha, junit, exit-code; an SDK user\'s runner is added with registerRunner())',
    );
    registerRunner({
      format: 'tap-lines',
      adapter: new TapLinesAdapter('tap-lines'),
      detect: (command) => /(^|\s)tap-lines(\s|$)/.test(command),
      script: (program) => (program === 'tap-lines' ? { watch: false } : undefined),
    });
    expect(parsePolicy(TAP_SUITE, 'loop.policy.json').suites[0].format).toBe('tap-lines');
    expect(knownFormats()).toEqual(['vitest', 'jest', 'node-test', 'pytest', 'mocha', 'junit', 'exit-code', 'tap-lines']);
    expect(detectFormat('npx tap-lines test', '/nowhere')).toEqual({ format: 'tap-lines' });
  });

  it('makes init write a suite of that format for a script that runs it', () => {
    registerRunner({ format: 'tap-lines', adapter: new TapLinesAdapter('tap-lines'), script: (program) => (program === 'tap-lines' ? { watch: false } : undefined) });
    const dir = writeProject({ 'package.json': JSON.stringify({ name: 'p', scripts: { test: 'tsc -p . && tap-lines test' } }), 'package-lock.json': '{}' });
    dirs.push(dir);
    const { policy } = initialPolicy(dir);
    expect(policy.suites).toEqual([{ name: 'test', command: 'tap-lines test', format: 'tap-lines', timeoutSec: 600, setup: ['npx tsc -p .'] }]);
  });

  it('refuses a format name that is not one, or an adapter of another format', () => {
    expect(() => registerRunner({ format: 'Tap Lines', adapter: new TapLinesAdapter('Tap Lines') })).toThrow(RunnerRegistryError);
    expect(() => registerRunner({ format: 'auto', adapter: new TapLinesAdapter('auto') })).toThrow('registerRunner: format "auto" must be lower-case letters, digits and dashes, and not "auto".');
    expect(() => registerRunner({ format: 'tap-x', adapter: new TapLinesAdapter('tap-y') })).toThrow(
      'registerRunner: the adapter\'s format is "tap-y", the definition\'s "tap-x"; they must be the same.',
    );
  });

  it('a registered runner is what format "auto" runs', async () => {
    registerRunner({ format: 'tap-lines', adapter: new TapLinesAdapter('tap-lines'), detect: (command) => command.includes('tap-lines') });
    const run = await runSuites([{ name: 'tap', command: "printf 'ok 1 - adds\\n' # tap-lines", format: 'auto', timeoutSec: 30 }], { cwd: '/tmp' });
    expect(run.suites[0].tests.map((t) => [t.fullName, t.status])).toEqual([['adds', 'passed']]);
    expect(run.suites[0].warnings).toBeUndefined();
  });
});

describe('createLoop({ adapters })', () => {
  it('accepts a policy naming an adapter it was given, and reads the suite with it', async () => {
    const repo = makeRepo({
      'loop.policy.json': JSON.stringify({ suites: [{ name: 'tap', command: "printf 'ok 1 - adds\\nok 2 - subtracts\\n'", format: 'tap-sdk', timeoutSec: 30 }] }),
    });
    dirs.push(repo);
    const loop = createLoop({ cwd: repo, adapters: { 'tap-sdk': new TapLinesAdapter('tap-sdk') }, providers: [] });
    for await (const _ of loop.run());
    const summary = await loop.result;
    expect([summary.status, summary.totalsBefore]).toEqual(['green', { tests: 2, passed: 2, failed: 0, skipped: 0, loadErrors: 0 }]);
  });
});
