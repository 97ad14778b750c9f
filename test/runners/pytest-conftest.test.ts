// A conftest.py that fails to load stops pytest before it collects anything (exit 4, no JUnit
// report): real output of pytest 9.0.3 and 7.2.1 (fixtures/pytest/conftest, conftest-name and
// versions/pytest-7.2.1/…), read as a load failure located in the project file of the traceback,
// not as a suite that could not run.
import { cpSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { blockedByEnvironment, PytestAdapter, runSuites } from '../../src/runners/index.js';
import { conftestLoadFailures } from '../../src/runners/pytest/text.js';
import { brief, CTX, FIXTURES, readCapture } from './runner-captures.js';

const read = (dir: string) => conftestLoadFailures(readCapture('pytest', dir, 'output.txt'), CTX, 'unit');

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function copyOf(name: string): string {
  const root = realpathSync(mkdtempSync(path.join(os.tmpdir(), `fixloop-pytest-${name}-`)));
  dirs.push(root);
  for (const part of ['src', 'tests']) cpSync(path.join(FIXTURES, 'pytest', name, part), path.join(root, part), { recursive: true });
  return root;
}

describe("pytest's output when a conftest fails to load", () => {
  it('a SyntaxError two imports away: the conftest fails to load, at the line the compiler names', () => {
    expect(brief({ tests: [], loadFailures: read('conftest') })).toEqual({
      tests: [],
      loadFailures: [['tests/conftest.py', "SyntaxError: expected ':'", 'SyntaxError', 'src/runner.py:3']],
    });
    expect(read('conftest')[0].failure.stack).toBe(
      [
        'tests/conftest.py:3: in <module>',
        '    from src.cli import Runner',
        'src/cli.py:1: in <module>',
        '    from src.runner import Runner',
        'E     File "src/runner.py", line 3',
        'E       if args',
        'E              ^',
        "E   SyntaxError: expected ':'",
      ].join('\n'),
    );
  });

  it('a NameError at import time: at the line of the module that raised it', () => {
    expect(brief({ tests: [], loadFailures: read('conftest-name') })).toEqual({
      tests: [],
      loadFailures: [['tests/conftest.py', "NameError: name 'os' is not defined", 'NameError', 'src/settings.py:3']],
    });
  });

  it('pytest 7.2.1 prints the same (without the caret under the name) and reads the same', () => {
    expect(brief({ tests: [], loadFailures: read('versions/pytest-7.2.1/conftest') })).toEqual(brief({ tests: [], loadFailures: read('conftest') }));
    expect(brief({ tests: [], loadFailures: read('versions/pytest-7.2.1/conftest-name') })).toEqual(brief({ tests: [], loadFailures: read('conftest-name') }));
  });

  it('pytest 8.3.5 reads the same', () => {
    expect(brief({ tests: [], loadFailures: read('versions/pytest-8.3.5/conftest') })).toEqual(brief({ tests: [], loadFailures: read('conftest') }));
    expect(brief({ tests: [], loadFailures: read('versions/pytest-8.3.5/conftest-name') })).toEqual(brief({ tests: [], loadFailures: read('conftest-name') }));
  });

  it('is nothing for output without the marker, or a conftest outside the repository', () => {
    expect(conftestLoadFailures('ERROR: usage: pytest [options]\n', CTX, 'unit')).toEqual([]);
    const outside = readCapture('pytest', 'conftest', 'output.txt', '/elsewhere');
    expect(conftestLoadFailures(outside, CTX, 'unit')).toEqual([]);
  });
});

describe('PytestAdapter on a conftest that fails to load', () => {
  it('reports a load failure of the conftest, located in src, and no blocker (exit 4, no report)', async () => {
    const root = copyOf('conftest');
    const run = await new PytestAdapter().run({ name: 'py', command: 'python3 -m pytest -p no:cacheprovider', format: 'pytest', timeoutSec: 60 }, { cwd: root });
    expect([run.exitCode, run.blocker, run.totals]).toEqual([4, undefined, { tests: 0, passed: 0, failed: 0, skipped: 0, loadErrors: 1 }]);
    expect(brief(run).loadFailures).toEqual([['tests/conftest.py', "SyntaxError: expected ':'", 'SyntaxError', 'src/runner.py:3']]);
  }, 30_000);

  it('a third-party package the conftest imports that is not installed stays an environment blocker', async () => {
    const root = copyOf('conftest');
    writeFileSync(path.join(root, 'src', 'runner.py'), 'import httpx_not_installed_here\n\n\nclass Runner:\n    pass\n');
    const run = await runSuites([{ name: 'py', command: 'python3 -m pytest -p no:cacheprovider', format: 'pytest', timeoutSec: 60 }], { cwd: root });
    expect(run.suites[0].missing?.map((m) => [m.kind, m.name, m.files])).toEqual([['python-package', 'httpx_not_installed_here', ['tests/conftest.py']]]);
    expect(blockedByEnvironment(run)).toBe(true);
  }, 30_000);
});
