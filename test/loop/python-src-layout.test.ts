// A Python src layout installed as `pip install -e .` leaves it (a .pth naming the checkout's src/),
// with a missing ':' in a module the tests' conftest.py imports: pytest stops at the conftest
// (exit 4, no report). The loop must see a load failure located in src/, repair it with the
// python-syntax provider, and judge the candidate on the worktree's code, not the checkout's.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLoop } from '../../src/loop/index.js';
import { pythonProviders } from '../../src/repair/index.js';
import { makeRepo, sh } from '../helpers/git-repo.js';
import { collect } from '../helpers/loop-fixtures.js';

const RUNNER = 'class Runner:\n    def invoke(self, args):\n        if args:\n            return "ran " + " ".join(args)\n        return "nothing"\n';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('a src layout whose virtualenv imports the checkout, broken under its conftest', () => {
  it('is repaired: the conftest load failure is located in src/, and the candidate is verified on its own code', async () => {
    const venv = path.join(realpathSync(mkdtempSync(path.join(os.tmpdir(), 'fixloop-venv-'))), 'venv');
    dirs.push(path.dirname(venv));
    execFileSync('python3', ['-m', 'venv', '--without-pip', '--system-site-packages', venv]);
    const python = path.join(venv, 'bin', 'python');
    const repo = realpathSync(
      makeRepo({
        '.gitignore': '__pycache__/\n',
        'pyproject.toml': '[project]\nname = "app"\nversion = "1.0"\n',
        'src/app/__init__.py': '',
        'src/app/runner.py': RUNNER.replace('if args:', 'if args'),
        'tests/conftest.py': 'import pytest\n\nfrom app.runner import Runner\n\n\n@pytest.fixture\ndef runner():\n    return Runner()\n',
        'tests/test_runner.py': 'def test_invoke(runner):\n    assert runner.invoke(["a"]) == "ran a"\n\n\ndef test_nothing(runner):\n    assert runner.invoke([]) == "nothing"\n',
        'loop.policy.json': JSON.stringify({ suites: [{ name: 'py', command: `${python} -m pytest -p no:cacheprovider`, format: 'pytest', timeoutSec: 120 }] }),
      }),
    );
    dirs.push(repo);
    const site = execFileSync(python, ['-c', "import sysconfig; print(sysconfig.get_paths()['purelib'])"], { encoding: 'utf8' }).trim();
    writeFileSync(path.join(site, '_editable_app.pth'), `${path.join(repo, 'src')}\n`);

    const loop = createLoop({ cwd: repo, providers: pythonProviders([{ command: `${python} -m pytest`, format: 'pytest' }]) });
    const events = await collect(loop);
    const summary = await loop.result;

    const found = events.flatMap((e) => (e.type === 'problem:found' ? [[e.problem.title, e.problem.location]] : []));
    expect(found).toEqual([["SyntaxError: expected ':' (src/app/runner.py:3)", { file: 'src/app/runner.py', line: 3 }]]);
    expect(summary.totalsBefore).toEqual({ tests: 0, passed: 0, failed: 0, skipped: 0, loadErrors: 1 });
    expect([summary.status, summary.totalsAfter]).toEqual(['green', { tests: 2, passed: 2, failed: 0, skipped: 0, loadErrors: 0 }]);
    expect(summary.commits.map((c) => c.files)).toEqual([['src/app/runner.py']]);
    expect(sh(repo, 'git', ['show', `${summary.branch}:src/app/runner.py`])).toBe(RUNNER.trimEnd());
    const md = readFileSync(summary.reports.find((f) => f.endsWith('iteration-1.md'))!, 'utf8');
    expect(md).toContain("Python imports src from the checkout: pytest suites import the worktree's copy (PYTHONPATH)");
  }, 180_000);
});
