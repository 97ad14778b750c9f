import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { SuiteRun } from '../../src/model.js';
import type { SuiteConfig } from '../../src/policy/schema.js';
import type { TestRunnerAdapter } from '../../src/runners/index.js';
import { runSuites } from '../../src/runners/index.js';
import { checkoutRoots, withoutRoots } from '../../src/runners/settle.js';
import { findFlaky } from '../../src/verify/flaky.js';

const NODE_MODULES = fileURLToPath(new URL('../../node_modules', import.meta.url));

describe('withoutRoots', () => {
  const roots = ['/tmp/a/work', '/private/tmp/a/work'].sort((a, b) => b.length - a.length);

  it('makes paths under the root repository-relative and the root itself "."', () => {
    expect(withoutRoots('reads /tmp/a/work/data.json in /tmp/a/work', roots)).toBe('reads data.json in .');
    expect(withoutRoots('at f (file:///private/tmp/a/work/src/x.ts:3:1)', roots)).toBe('at f (src/x.ts:3:1)');
    expect(withoutRoots("expected '/tmp/a/work' to be '/tmp/a/work/'", roots)).toBe("expected '.' to be ''");
  });

  it('leaves a path that only starts or ends like the root alone', () => {
    expect(withoutRoots('/tmp/a/work-2/x.ts and /tmp/a/worker', roots)).toBe('/tmp/a/work-2/x.ts and /tmp/a/worker');
    expect(withoutRoots('/var/tmp/a/work/x.ts', roots)).toBe('/var/tmp/a/work/x.ts');
  });

  it('knows a checkout by the path given and the one the file system resolves', () => {
    const base = mkdtempSync(path.join(os.tmpdir(), 'fixloop-roots-'));
    try {
      mkdirSync(path.join(base, 'real'));
      symlinkSync(path.join(base, 'real'), path.join(base, 'link'));
      expect(checkoutRoots(path.join(base, 'link'))).toEqual([path.join(base, 'link'), path.join(base, 'real')]);
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  });
});

describe('runSuites settles the results of any adapter', () => {
  it('gives an SDK adapter\'s tests the same paths and numbered ids as the shipped ones, leaving its objects alone', async () => {
    const returned: SuiteRun = {
      suite: 'custom', command: 'run-tests', exitCode: 1, durationMs: 1, timedOut: false, loadFailures: [],
      totals: { tests: 2, passed: 1, failed: 1, skipped: 0, loadErrors: 0 },
      tests: [
        { id: 'custom::t.js::in /srv/app', suite: 'custom', file: 't.js', fullName: 'in /srv/app', status: 'passed' },
        { id: 'custom::t.js::in /srv/app', suite: 'custom', file: 't.js', fullName: 'in /srv/app', status: 'failed', failure: { message: 'Error: cannot read /srv/app/data.json' } },
      ],
    };
    const adapter: TestRunnerAdapter = { format: 'jest', run: async () => returned };
    const run = await runSuites([{ name: 'custom', command: 'run-tests', format: 'jest', timeoutSec: 5 }], { cwd: '/srv/app', adapters: { jest: adapter } });
    expect(run.suites[0].tests.map((t) => [t.id, t.failure?.message])).toEqual([
      ['custom::t.js::in .', undefined],
      ['custom::t.js::in . [2]', 'Error: cannot read data.json'],
    ]);
    expect(returned.tests[1].id).toBe('custom::t.js::in /srv/app');
  });
});

describe('the same tests have the same ids wherever the project runs (real vitest)', () => {
  const made: string[] = [];
  afterEach(() => {
    for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  /** The project in a new temporary directory; `linked`: reached through a symlink to it. */
  function project(linked: boolean): string {
    // Short: vitest cuts values in its messages after 40 characters, path or not.
    const base = mkdtempSync(path.join(os.tmpdir(), 'fxid-'));
    made.push(base);
    const dir = path.join(base, 'c');
    mkdirSync(path.join(dir, 'test'), { recursive: true });
    writeFileSync(path.join(dir, 'package.json'), '{"type":"module"}\n');
    symlinkSync(NODE_MODULES, path.join(dir, 'node_modules'));
    writeFileSync(
      path.join(dir, 'test', 'paths.test.js'),
      `import path from 'node:path';
import { expect, it } from 'vitest';
it(\`reads \${process.cwd()}/data.json\`, () => {});
it(\`resolves in \${path.basename(process.cwd())}\`, () => {
  expect(path.join(process.cwd(), 'src', 'a.js')).toBe('a.js');
});
for (const n of [1, 2, 3]) {
  it('adds 1', () => {
    expect(n + 1).not.toBe(3);
  });
}
`,
    );
    if (!linked) return dir;
    symlinkSync(dir, path.join(base, 'link'));
    return path.join(base, 'link');
  }

  const suite: SuiteConfig = { name: 'unit', command: 'npx vitest run', format: 'vitest', timeoutSec: 120 };

  it('takes the checkout out of names and messages, and numbers tests that share a name', async () => {
    const runs = [];
    for (const linked of [false, true]) runs.push((await runSuites([suite], { cwd: project(linked) })).suites[0]);
    const [first, second] = runs.map((run) => run.tests.map((t) => [t.id, t.status, t.failure?.message]));
    expect(first).toEqual([
      ['unit::test/paths.test.js::reads data.json', 'passed', undefined],
      ['unit::test/paths.test.js::resolves in c', 'failed', "AssertionError: expected 'src/a.js' to be 'a.js' // Object.is equality"],
      ['unit::test/paths.test.js::adds 1', 'passed', undefined],
      ['unit::test/paths.test.js::adds 1 [2]', 'failed', 'AssertionError: expected 3 not to be 3 // Object.is equality'],
      ['unit::test/paths.test.js::adds 1 [3]', 'passed', undefined],
    ]);
    expect(second).toEqual(first);
  });

  it('re-runs tests that share a name by name and judges each one: one failing every time is not flaky', async () => {
    const cwd = project(false);
    const run = await runSuites([suite], { cwd });
    const judged = new Set<string>();
    const flaky = await findFlaky(run, { cwd, suites: [suite], reruns: 1, judged });
    expect(flaky).toEqual([]);
    expect([...judged]).toEqual(['unit::test/paths.test.js::resolves in c', 'unit::test/paths.test.js::adds 1 [2]']);
  });
});
