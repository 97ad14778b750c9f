// A virtualenv whose .pth (what `pip install -e .` of a src layout leaves) or editable finder points
// at the user's checkout: a suite run in a worktree of that checkout must import the worktree's
// copy, or every candidate is judged on code it did not change.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PytestAdapter } from '../../src/runners/index.js';
import { addWorktree, describeDependencies, removeWorktree } from '../../src/vcs/index.js';
import { checkoutImportDirs, mainCheckoutOf, pytestPython, worktreePythonPath } from '../../src/runners/python-paths.js';

let base: string;
let root: string;
let tree: string;
let python: string;
let site: string;

beforeAll(() => {
  base = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'fixloop-pypaths-')));
  root = path.join(base, 'repo');
  tree = path.join(base, 'tree');
  mkdirSync(path.join(root, 'src', 'pkg'), { recursive: true });
  mkdirSync(path.join(root, 'tests'));
  writeFileSync(path.join(root, 'src', 'pkg', '__init__.py'), 'WHERE = __file__\n');
  writeFileSync(path.join(root, 'pyproject.toml'), '[project]\nname = "pkg"\nversion = "1.0"\n');
  writeFileSync(path.join(root, 'tests', 'test_where.py'), 'import os\n\nimport pkg\n\n\ndef test_own_copy():\n    assert pkg.WHERE.startswith(os.getcwd() + os.sep)\n');
  const git = (...args: string[]) => execFileSync('git', args, { cwd: root, stdio: 'pipe' });
  git('init', '-q');
  git('add', '.');
  git('-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-qm', 'init');
  git('worktree', 'add', '-q', '--detach', tree);
  const venv = path.join(base, 'venv');
  // --system-site-packages: the machine's pytest, as the bench's virtualenvs have it.
  execFileSync('python3', ['-m', 'venv', '--without-pip', '--system-site-packages', venv]);
  python = path.join(venv, 'bin', 'python');
  site = execFileSync(python, ['-c', "import sysconfig; print(sysconfig.get_paths()['purelib'])"], { encoding: 'utf8' }).trim();
  writeFileSync(path.join(site, '_editable_pkg.pth'), `${path.join(root, 'src')}\n`);
}, 60_000);

afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('what a Python imports from the checkout', () => {
  it('knows the checkout of a linked worktree, and none for the checkout itself', () => {
    expect([mainCheckoutOf(tree), mainCheckoutOf(root)]).toEqual([root, undefined]);
  });

  it("reads the .pth entry through the interpreter's own sys.path", async () => {
    expect(await checkoutImportDirs(python, root)).toEqual(['src']);
    expect(await checkoutImportDirs('python3', root)).toEqual([]);
  });

  it("reads setuptools' editable finder, whose MAPPING is no sys.path entry", async () => {
    const other = path.join(base, 'other');
    mkdirSync(path.join(other, 'lib', 'mod'), { recursive: true });
    writeFileSync(path.join(site, '__editable___mod_1_0_finder.py'), `MAPPING: dict[str, str] = {'mod': '${path.join(other, 'lib', 'mod')}'}\nNAMESPACES = {}\n`);
    expect(await checkoutImportDirs(python, other)).toEqual(['lib']);
  });

  it("puts the worktree's copy first on PYTHONPATH, before the user's own; nothing for the checkout", async () => {
    expect(await worktreePythonPath(python, tree, { PYTHONPATH: '/opt/extra' })).toBe(`${path.join(tree, 'src')}${path.delimiter}/opt/extra`);
    expect(await worktreePythonPath(python, root)).toBeUndefined();
    expect(await worktreePythonPath('python3', tree)).toBeUndefined();
  });
});

describe('PytestAdapter in a worktree of a checkout the virtualenv imports from', () => {
  it("runs the worktree's code; the same test in the checkout runs the checkout's", async () => {
    const suite = { name: 'py', command: `${python} -m pytest -p no:cacheprovider`, format: 'pytest' as const, timeoutSec: 60 };
    const inTree = await new PytestAdapter().run(suite, { cwd: tree });
    const inRoot = await new PytestAdapter().run(suite, { cwd: root });
    expect([inTree.blocker, inTree.tests.map((t) => [t.id, t.status])]).toEqual([undefined, [['py::tests/test_where.py::test_own_copy', 'passed']]]);
    expect(inRoot.tests.map((t) => [t.id, t.status])).toEqual([['py::tests/test_where.py::test_own_copy', 'passed']]);
  }, 60_000);
});

describe("a worktree's dependencies", () => {
  it("say that the pytest suites' Python imports src from the checkout and gets the worktree's copy; nothing without a pytest suite", async () => {
    const [wt, other] = [path.join(base, 'verify'), path.join(base, 'verify-js')];
    try {
      expect(describeDependencies(await addWorktree(root, wt, 'HEAD', { python }))).toBe(
        "Python imports src from the checkout: pytest suites import the worktree's copy (PYTHONPATH)",
      );
      expect(describeDependencies(await addWorktree(root, other, 'HEAD'))).toBe('none needed (no node_modules, virtualenv or submodule outside git)');
    } finally {
      await removeWorktree(root, wt);
      await removeWorktree(root, other);
    }
  }, 30_000);

  it('ask the interpreter of the first pytest suite, none when no suite runs pytest', () => {
    expect(pytestPython([{ command: 'npx vitest run', format: 'vitest' }, { command: '.venv/bin/pytest -q', format: 'pytest', cwd: 'api' }], '/r')).toBe('/r/api/.venv/bin/python');
    expect(pytestPython([{ command: 'python3.12 -m pytest' }], '/r')).toBe('python3.12');
    expect(pytestPython([{ command: 'uv run pytest', format: 'auto' }], '/r')).toBe('python3');
    expect(pytestPython([{ command: 'npx vitest run', format: 'auto' }, { command: 'make test', format: 'exit-code' }], '/r')).toBeUndefined();
  });
});
