import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectSuites, schemaRef } from '../src/init/index.js';
import { writeProject } from './helpers/git-repo.js';

const pkg = (fields: object): string => JSON.stringify(fields);

describe('workspaces', () => {
  it('pnpm -r test at the root: one suite per package that has tests, in its directory', () => {
    const { suites, notes } = detectSuites(
      writeProject({
        'package.json': pkg({ scripts: { test: 'pnpm -r test' } }),
        'pnpm-lock.yaml': '',
        'pnpm-workspace.yaml': 'packages:\n  - packages/*\n  - "!packages/legacy"\n',
        'packages/core/package.json': pkg({ name: '@acme/core', scripts: { test: 'vitest run', 'test:types': 'tsc --noEmit', 'test:bench': 'vitest bench' } }),
        'packages/docs/package.json': pkg({ name: '@acme/docs', scripts: { build: 'vite build' } }),
        'packages/cli/package.json': pkg({ name: 'acme-cli', scripts: { test: 'npm run build && mocha' } }),
        'packages/legacy/package.json': pkg({ name: 'legacy', scripts: { test: 'jest' } }),
      }),
    );
    expect(suites).toEqual([
      { name: 'acme-cli', command: 'pnpm exec mocha', format: 'mocha', timeoutSec: 600, cwd: 'packages/cli', setup: ['npm run build'] },
      { name: '@acme/core', command: 'pnpm run test', format: 'vitest', timeoutSec: 600, cwd: 'packages/core' },
    ]);
    expect(notes.slice(4)).toEqual([
      'skipped packages/core: package.json script "test:types": "tsc --noEmit": the root\'s package.json script "test": "pnpm -r test" does not run it',
      'skipped packages/core: package.json script "test:bench": "vitest bench": the root\'s package.json script "test": "pnpm -r test" does not run it',
    ]);
    expect(notes.slice(0, 2)).toEqual([
      'package manager: pnpm, from pnpm-lock.yaml',
      'workspaces: 3 packages, from pnpm-workspace.yaml; the root runs them through package.json script "test": "pnpm -r test": one suite per package, for each runner\'s own report',
    ]);
  });

  it('turbo, nx, lerna, pnpm, yarn and npm recursive runs: the scripts they name in each package, no other', () => {
    // solidjs/solid: `turbo run test test-types`; a package's test:integrations is not what the project's test command runs.
    const packages = {
      'pnpm-workspace.yaml': 'packages:\n  - packages/*\n',
      'pnpm-lock.yaml': '',
      'packages/solid/package.json': pkg({ name: 'solid-js', scripts: { test: 'vitest run && vitest run --config vitest.server.config.mjs', 'test-types': 'tsc --project tsconfig.test.json', coverage: 'vitest run --coverage' } }),
      'packages/integration/package.json': pkg({ name: 'integration', scripts: { test: 'npm run test:imports', 'test:imports': 'node test-imports.mjs', 'test:integrations': 'vitest run' } }),
      'packages/element/package.json': pkg({ name: 'element', scripts: { build: 'rollup -c' } }),
      'packages/element/vitest.config.ts': 'export default {}\n',
    };
    const { suites, notes } = detectSuites(writeProject({ 'package.json': pkg({ scripts: { test: 'turbo run test test-types' } }), ...packages }));
    expect(suites).toEqual([
      { name: 'integration', command: 'pnpm run test', format: 'exit-code', timeoutSec: 600, cwd: 'packages/integration' },
      { name: 'solid-js', command: 'pnpm exec vitest run', format: 'vitest', timeoutSec: 600, cwd: 'packages/solid' },
      { name: 'solid-js:test-2', command: 'pnpm exec vitest run --config vitest.server.config.mjs', format: 'vitest', timeoutSec: 600, cwd: 'packages/solid' },
    ]);
    expect(notes.filter((n) => n.startsWith('skipped'))).toEqual([
      'skipped packages/integration: package.json script "test:imports": "node test-imports.mjs": the root\'s package.json script "test": "turbo run test test-types" does not run it',
      'skipped packages/integration: package.json script "test:integrations": "vitest run": the root\'s package.json script "test": "turbo run test test-types" does not run it',
      'skipped packages/solid: package.json script "test-types": "tsc --project tsconfig.test.json": no test runner in it; give it a suite of its own ("format": "exit-code") if the loop should keep it passing',
    ]);
    const run = (root: string) => detectSuites(writeProject({ 'package.json': pkg({ scripts: { test: root } }), ...packages })).suites.map((s) => s.name);
    for (const root of [
      'pnpm -r --filter "./packages/**" run test:integrations',
      'nx run-many -t test:integrations',
      'nx affected --targets=lint,test:integrations',
      'lerna run test:integrations --stream',
      'yarn workspaces foreach -A -p run test:integrations',
      'npm run test:integrations --workspaces --if-present',
      'turbo test:integrations --filter=./packages/*',
    ]) {
      expect(run(root)).toEqual(['integration:integrations']);
    }
    // What a recursive run runs cannot be told: every test script, as before.
    expect(run('lerna exec -- npm test')).toEqual(['element', 'integration', 'integration:integrations', 'solid-js', 'solid-js:test-2']);
  });

  it('vitest projects at the root: one root suite, the packages\' own suites left out', () => {
    const packages = { 'packages/a/package.json': pkg({ name: 'a', scripts: { test: 'vitest run' } }), 'packages/b/vitest.config.ts': 'export default {}\n' };
    const withProjects = detectSuites(
      writeProject({ 'package.json': pkg({ scripts: { test: 'vitest run' }, workspaces: ['packages/*'] }), 'vitest.config.ts': 'export default { test: { projects: ["packages/*"] } }\n', ...packages }),
    );
    expect(withProjects.suites).toEqual([{ name: 'test', command: 'npm test', format: 'vitest', timeoutSec: 600 }]);
    expect(withProjects.notes.at(-1)).toBe("skipped the workspace packages' own suites: vitest.config.ts names the projects: the root vitest runs them all");
    const workspaceFile = detectSuites(writeProject({ 'package.json': pkg({ workspaces: ['packages/*'] }), 'vitest.workspace.ts': 'export default ["packages/*"]\n', ...packages }));
    expect(workspaceFile.suites).toEqual([{ name: 'test', command: 'npx vitest run', format: 'vitest', timeoutSec: 600 }]);
  });

  it('jest projects at the root cover the packages; turbo and yarn workspaces foreach run them one by one', () => {
    const packages = { 'packages/a/package.json': pkg({ name: 'a', scripts: { test: 'jest' } }) };
    const jest = detectSuites(writeProject({ 'package.json': pkg({ scripts: { test: 'jest' }, workspaces: ['packages/*'] }), 'jest.config.js': 'module.exports = { projects: ["<rootDir>/packages/*"] };\n', ...packages }));
    expect(jest.suites).toEqual([{ name: 'test', command: 'npm test', format: 'jest', timeoutSec: 600 }]);
    expect(jest.notes.at(-1)).toBe("skipped the workspace packages' own suites: jest.config.js names the projects: the root jest runs them all");
    const flag = detectSuites(writeProject({ 'package.json': pkg({ scripts: { test: 'jest --projects packages/a' }, workspaces: ['packages/*'] }), ...packages }));
    expect(flag.notes.at(-1)).toBe("skipped the workspace packages' own suites: jest --projects in the root: it runs them all");
    for (const root of ['turbo run test', 'yarn workspaces foreach -A run test', 'lerna run test --stream', 'npm test --workspaces']) {
      expect(detectSuites(writeProject({ 'package.json': pkg({ scripts: { test: root }, workspaces: ['packages/*'] }), 'yarn.lock': '', ...packages })).suites).toEqual([
        { name: 'a', command: 'yarn test', format: 'jest', timeoutSec: 600, cwd: 'packages/a' },
      ]);
    }
  });

  it('yarn workspaces without a root test script: each package with tests, run with yarn', () => {
    expect(
      detectSuites(
        writeProject({
          'package.json': pkg({ private: true, workspaces: { packages: ['libs/*'] } }),
          'yarn.lock': '',
          'libs/x/package.json': pkg({ name: 'x', scripts: { test: 'jest' } }),
          'libs/y/package.json': pkg({ name: 'y' }),
          'libs/y/.mocharc.json': '{}',
        }),
      ).suites,
    ).toEqual([
      { name: 'x', command: 'yarn test', format: 'jest', timeoutSec: 600, cwd: 'libs/x' },
      { name: 'y', command: 'yarn mocha', format: 'mocha', timeoutSec: 600, cwd: 'libs/y' },
    ]);
  });
});

describe('pytest', () => {
  it('a src/ layout without pythonpath imports the checkout\'s code, with the project\'s own interpreter when it has one', () => {
    const { suites, notes } = detectSuites(
      writeProject({ 'pyproject.toml': '[project]\nname = "pkg"\n[tool.pytest.ini_options]\ntestpaths = ["tests"]\n', 'src/pkg/__init__.py': '', 'tests/test_a.py': 'def test_a(): pass\n' }),
    );
    expect(suites).toEqual([{ name: 'test', command: 'PYTHONPATH=src python3 -m pytest', format: 'pytest', timeoutSec: 900 }]);
    expect(notes).toEqual([
      'suite "test": `PYTHONPATH=src python3 -m pytest` → pytest, from pyproject.toml [tool.pytest.ini_options]; python3 (no .venv/bin/python or venv/bin/python); src/ layout without pythonpath: the tests import src/ of this checkout',
    ]);
    expect(detectSuites(writeProject({ 'pyproject.toml': '[tool.pytest.ini_options]\npythonpath = ["src"]\n', 'src/pkg/__init__.py': '', '.venv/bin/python': '' })).suites).toEqual([
      { name: 'test', command: '.venv/bin/python -m pytest', format: 'pytest', timeoutSec: 900 },
    ]);
  });

  it('found from pytest.ini, setup.cfg [tool:pytest], tox.ini [pytest], conftest.py or test files', () => {
    const command = (files: Record<string, string>) => detectSuites(writeProject(files)).suites.map((s) => s.command);
    expect(command({ 'pytest.ini': '[pytest]\npythonpath = src\n', 'src/mod.py': '' })).toEqual(['python3 -m pytest']);
    expect(command({ 'setup.cfg': '[metadata]\nname = x\n[tool:pytest]\naddopts = -q\n', 'venv/bin/python': '', 'src/mod.py': '' })).toEqual(['PYTHONPATH=src venv/bin/python -m pytest']);
    expect(command({ 'setup.cfg': '[metadata]\nname = x\n' })).toEqual([]);
    expect(command({ 'tox.ini': '[tox]\nenvlist = py3\n[pytest]\npythonpath = lib\n' })).toEqual(['python3 -m pytest']);
    expect(command({ 'conftest.py': '' })).toEqual(['python3 -m pytest']);
    expect(detectSuites(writeProject({ 'tests/test_env.py': 'def test_a(): pass\n' })).notes).toEqual([
      'suite "test": `python3 -m pytest` → pytest, from tests/test_*.py; python3 (no .venv/bin/python or venv/bin/python)',
    ]);
  });

  it('beside a JavaScript suite it is the suite "python"', () => {
    expect(detectSuites(writeProject({ 'package.json': '{"scripts":{"test":"node --test"}}', 'pyproject.toml': '[tool.pytest.ini_options]\n' })).suites).toEqual([
      { name: 'test', command: 'npm test', format: 'node-test', timeoutSec: 600 },
      { name: 'python', command: 'python3 -m pytest', format: 'pytest', timeoutSec: 900 },
    ]);
  });
});

describe('$schema', () => {
  it('the copy installed in the project, else fixloop\'s own relative to the policy, never a path that does not exist', () => {
    const installed = writeProject({ 'node_modules/fixloop/docs/policy.schema.json': '{}' });
    expect(schemaRef(installed)).toBe('./node_modules/fixloop/docs/policy.schema.json');
    const elsewhere = writeProject({ 'tools/fixloop/docs/policy.schema.json': '{}' });
    expect(schemaRef(elsewhere, path.join(elsewhere, 'tools/fixloop/docs/policy.schema.json'))).toBe('./tools/fixloop/docs/policy.schema.json');
    const outside = writeProject({});
    expect(schemaRef(path.join(outside, 'app'), path.join(outside, 'fixloop/docs/policy.schema.json'))).toBeUndefined();
    writeFileSync(path.join(outside, 'schema.json'), '{}');
    expect(schemaRef(path.join(outside, 'app'), path.join(outside, 'schema.json'))).toBe('../schema.json');
  });
});
