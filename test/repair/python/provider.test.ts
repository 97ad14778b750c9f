// The Python providers on the PatchProvider seam: the fixture's own bug, the interpreter taken
// from the suite command, one helper process per run, and a missing interpreter.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { Candidate, Problem } from '../../../src/model.js';
import { DEFAULT_PROTECT } from '../../../src/policy/schema.js';
import { defaultProviders } from '../../../src/repair/index.js';
import { interpreterOf, suitePython } from '../../../src/repair/python/interpreter.js';
import { PythonRulesProvider, PythonSession, PythonSyntaxProvider, pythonProviders } from '../../../src/repair/python/provider.js';
import type { PatchProvider, ProposeContext } from '../../../src/repair/types.js';
import { scopeFor } from '../../../src/vcs/message.js';

const FIXTURE = fileURLToPath(new URL('../../../fixtures/python-env-app/', import.meta.url));
const dirs: string[] = [];

function copy(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fixloop-python-app-'));
  fs.cpSync(FIXTURE, dir, { recursive: true });
  dirs.push(dir);
  return dir;
}

afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

const problem = (file: string, line: number, message: string, kind: Problem['kind'] = 'syntax'): Problem => ({
  id: 'p1',
  kind,
  title: `${message} (${file}:${line})`,
  message,
  location: { file, line },
  testIds: [],
  loadFailedFiles: ['tests/test_app.py'],
  testFiles: ['tests/test_app.py'],
  failures: [{ message, location: { file, line } }],
});

async function all(provider: PatchProvider, p: Problem, root: string, protect = DEFAULT_PROTECT): Promise<Candidate[]> {
  const ctx: ProposeContext = { root, protect, history: [] };
  const out: Candidate[] = [];
  for await (const c of provider.propose(p, ctx)) out.push(c);
  return out;
}

describe('the Python providers', () => {
  it("fix the fixture's late global with the commit subject the report asked for", async () => {
    const root = copy();
    const session = new PythonSession([{ command: 'python3 -m pytest -p no:cacheprovider', format: 'pytest' }]);
    const syntax = new PythonSyntaxProvider(session);
    const rules = new PythonRulesProvider(session);
    const late = problem('shared/isolated_environment.py', 30, "SyntaxError: name '_env_instance' is used prior to global declaration");
    const [candidate, ...rest] = await all(syntax, late, root);
    expect(rest).toEqual([]);
    expect(candidate.provider).toBe('python-syntax');
    expect(candidate.commit).toEqual({ type: 'fix', subject: 'move the global declaration of _env_instance to the top of get_env()' });
    expect(scopeFor(candidate.patch.changes.map((c) => c.path))).toBe('env');
    const change = candidate.patch.changes[0];
    expect(change.before).toBe(fs.readFileSync(path.join(root, 'shared/isolated_environment.py'), 'utf8'));
    expect(change.after).toContain('def get_env():\n    """The shared environment, created on first use."""\n    global _env_instance\n    if _env_instance is None:\n        _env_instance = IsolatedEnvironment()\n');
    // Nothing semantic in a file that does not compile.
    expect(await all(rules, { ...late, message: "NameError: name 'os' is not defined" }, root)).toEqual([]);
    const helper = session.helperFor(root);
    expect(helper.starts).toBe(1);
    syntax.stop();
    rules.stop();
    expect(helper.running).toBe(false);
  });

  it('import a deleted import before renaming, and skip protected files', async () => {
    const root = copy();
    const app = path.join(root, 'service/app.py');
    fs.writeFileSync(app, fs.readFileSync(app, 'utf8').replace('from service import config\n', ''));
    const [, rules] = pythonProviders([{ command: 'python3 -m pytest' }]);
    const missing = problem('service/app.py', 8, "NameError: name 'config' is not defined", 'reference');
    const found = await all(rules, missing, root);
    expect(found[0].commit?.subject).toBe('import config from service');
    expect(found[0].patch.changes[0].after).toBe(fs.readFileSync(path.join(FIXTURE, 'service/app.py'), 'utf8'));
    expect(await all(rules, missing, root, ['service/**'])).toEqual([]);
    rules.stop!();
  });

  it('say once that Python is missing and propose nothing', async () => {
    const root = copy();
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const [syntax] = pythonProviders([{ command: '.venv/bin/python -m pytest', format: 'pytest' }]);
      const late = problem('shared/isolated_environment.py', 30, "SyntaxError: name '_env_instance' is used prior to global declaration");
      expect(await all(syntax, late, root)).toEqual([]);
      expect(await all(syntax, late, root)).toEqual([]);
      const said = write.mock.calls.map((c) => String(c[0])).filter((s) => s.includes('Python repairs are off'));
      expect(said).toHaveLength(1);
      expect(said[0]).toContain(`could not start ${path.join(root, '.venv/bin/python')} (ENOENT)`);
      syntax.stop!();
    } finally {
      write.mockRestore();
    }
  });

  it('are in the default providers, after the TypeScript ones', () => {
    expect(defaultProviders().map((p) => p.name)).toEqual(['codefix', 'syntax', 'rules', 'python-syntax', 'python-rules', 'revert']);
  });
});

describe('the suite interpreter', () => {
  it.each([
    ['python3 -m pytest -q', 'python3'],
    ['python3.12 -m pytest', 'python3.12'],
    ['.venv/bin/python -m pytest', '/repo/.venv/bin/python'],
    ['PYTHONPATH=src python -m pytest', 'python'],
    ['pytest -x', 'python3'],
    ['.venv/bin/pytest', '/repo/.venv/bin/python'],
    ['npx vitest run', undefined],
    ['uv run pytest', undefined],
  ])('%s → %s', (command, expected) => {
    expect(interpreterOf(command, '/repo')).toBe(expected);
  });

  it('is the first pytest suite’s, relative to its directory, else python3', () => {
    expect(suitePython([{ command: 'npx vitest run', format: 'vitest' }, { command: 'venv/bin/python -m pytest', cwd: 'api', format: 'pytest' }], '/repo')).toBe('/repo/api/venv/bin/python');
    expect(suitePython([{ command: 'npx vitest run' }], '/repo')).toBe('python3');
  });
});

describe('commit scopes of Python modules', () => {
  it.each([
    ['shared/isolated_environment.py', 'env'],
    ['service/config.py', 'config'],
    ['src/markupsafe/__init__.py', 'markupsafe'],
    ['src/tomli/_parser.py', 'parser'],
    ['toolz/itertoolz.py', 'itertoolz'],
  ])('%s → %s', (file, scope) => {
    expect(scopeFor([file])).toBe(scope);
  });
});
