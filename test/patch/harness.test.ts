import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Patch } from '../../src/model.js';
import { guardPatch } from '../../src/patch/index.js';
import { setupFilesOf } from '../../src/patch/harness.js';
import { parsePolicy } from '../../src/policy/index.js';
import { writeProject } from '../helpers/git-repo.js';

const edit = (file: string, before: string | null, after: string | null): Patch => ({ changes: [{ path: file, before, after }] });

describe('guardPatch: every configuration the test runner reads is the harness', () => {
  it.each([
    ['vite.config.ts', 'vite.config.ts configures the test runner'],
    ['packages/web/vite.config.mts', 'packages/web/vite.config.mts configures the test runner'],
    ['vitest.workspace.ts', 'vitest.workspace.ts configures the test runner'],
    ['jest.config.cjs', 'jest.config.cjs configures the test runner'],
    ['.mocharc.yml', '.mocharc.yml configures the test runner'],
    ['setup.cfg', 'setup.cfg configures the test runner'],
    ['tox.ini', 'tox.ini configures the test runner'],
    ['src/__mocks__/fs.ts', 'src/__mocks__/fs.ts is a test fixture or mock'],
    ['src/x.test.ts.snap', 'src/x.test.ts.snap is a test snapshot'],
  ])('%s', (file, reason) => {
    expect(guardPatch(edit(file, 'a\n', 'b\n'), [])).toEqual({ allowed: false, reason });
  });

  it('rejects a transform plugin added to vite.config.ts that rewrites the code only under vitest', () => {
    const before = "import { defineConfig } from 'vite';\nexport default defineConfig({});\n";
    const after = "import { defineConfig } from 'vite';\nexport default defineConfig({ plugins: [{ name: 'fix', transform: (code) => code.replace('a - b', 'a + b') }] });\n";
    expect(guardPatch(edit('vite.config.ts', before, after), []).reason).toBe('vite.config.ts configures the test runner');
  });

  it("rejects an edit of package.json's jest key but not of its dependencies", () => {
    const before = JSON.stringify({ name: 'x', dependencies: { a: '1.0.0' }, jest: { testEnvironment: 'node' } }, null, 2);
    const jest = before.replace('"node"', '"jsdom"');
    const deps = before.replace('"1.0.0"', '"1.0.1"');
    expect(guardPatch(edit('package.json', before, jest), []).reason).toBe('package.json: the change edits "jest", the test runner\'s configuration');
    expect(guardPatch(edit('package.json', before, deps), [])).toEqual({ allowed: true });
  });

  it("rejects an edit of pyproject.toml's [tool.pytest.ini_options] but not of its version", () => {
    const before = '[project]\nname = "x"\nversion = "1.0"\n\n[tool.pytest.ini_options]\naddopts = "-q"\n';
    const pytest = before.replace('addopts = "-q"', 'addopts = "-q -k not slow"');
    const version = before.replace('"1.0"', '"1.1"');
    expect(guardPatch(edit('pyproject.toml', before, pytest), []).reason).toBe("pyproject.toml: the change edits [tool.pytest], the test runner's configuration");
    expect(guardPatch(edit('pyproject.toml', before, version), [])).toEqual({ allowed: true });
  });

  it('rejects the setup files a vitest, jest or mocha configuration names, and allows other source', () => {
    const root = writeProject({
      'vitest.config.ts': "export default { test: { setupFiles: ['./test-setup/env.ts'], globalSetup: 'scripts/global.ts' } };\n",
      'test-setup/env.ts': 'export {};\n',
      'scripts/global.ts': 'export default () => {};\n',
      'packages/api/jest.config.js': "module.exports = { setupFilesAfterEnv: ['<rootDir>/jest/setup'] };\n",
      'packages/api/jest/setup.js': '\n',
      '.mocharc.json': '{ "require": ["support/hooks.cjs", "ts-node/register"] }\n',
      'support/hooks.cjs': '\n',
      'src/sum.ts': 'export const sum = (a: number, b: number) => a - b;\n',
    });
    expect([...setupFilesOf(root)].sort()).toEqual(['packages/api/jest/setup.js', 'scripts/global.ts', 'support/hooks.cjs', 'test-setup/env.ts']);
    expect(guardPatch(edit('test-setup/env.ts', 'export {};\n', 'globalThis.x = 1;\n'), { protect: [], root }).reason).toBe(
      'test-setup/env.ts is a setup file the test runner loads',
    );
    expect(guardPatch(edit('support/hooks.cjs', '\n', 'x\n'), { protect: [], root }).reason).toBe('support/hooks.cjs is a setup file the test runner loads');
    expect(guardPatch(edit('src/sum.ts', 'export const sum = (a: number, b: number) => a - b;\n', 'export const sum = (a: number, b: number) => a + b;\n'), { protect: [], root })).toEqual({
      allowed: true,
    });
  });
});

describe('guardPatch: source edits that detect the test runner', () => {
  const before = 'export function price(n: number) {\n  return n * 2;\n}\n';
  it.each([
    ['process.env.VITEST', '  if (process.env.VITEST) return 4;', 'detects the test runner from the environment'],
    ["process.env['JEST_WORKER_ID']", "  if (process.env['JEST_WORKER_ID']) return 4;", 'detects the test runner from the environment'],
    ["NODE_ENV === 'test'", "  if (process.env.NODE_ENV === 'test') return 4;", "branches on NODE_ENV === 'test'"],
    ['import.meta.vitest', '  if (import.meta.vitest) return 4;', 'detects the test runner through import.meta'],
    ["typeof vi !== 'undefined'", "  if (typeof vi !== 'undefined') return 4;", 'detects the test runner from its globals'],
    ['expect.extend', '  expect.extend({ toBePrice: () => ({ pass: true, message: () => "" }) });', 'adds a custom matcher (expect.extend)'],
  ])('rejects %s', (_name, line, what) => {
    const after = before.replace('  return n * 2;', `${line}\n  return n * 2;`);
    expect(guardPatch(edit('src/price.ts', before, after), [])).toEqual({ allowed: false, reason: `src/price.ts: the change ${what}` });
  });

  it("rejects 'pytest' in sys.modules and PYTEST_ variables in Python source", () => {
    const py = 'def price(n):\n    return n * 2\n';
    expect(guardPatch(edit('app/price.py', py, py.replace('    return', "    if 'pytest' in sys.modules:\n        return 4\n    return")), []).reason).toBe(
      "app/price.py: the change detects pytest ('pytest' in sys.modules)",
    );
    expect(guardPatch(edit('app/price.py', py, py.replace('    return', "    if os.environ.get('PYTEST_CURRENT_TEST'):\n        return 4\n    return")), []).reason).toBe(
      'app/price.py: the change detects pytest from the environment',
    );
  });

  it('allows removing a detection that was there, and allows adding one when the policy says so', () => {
    const detecting = before.replace('  return n * 2;', '  if (process.env.VITEST) return 4;\n  return n * 2;');
    expect(guardPatch(edit('src/price.ts', detecting, before), [])).toEqual({ allowed: true });
    expect(guardPatch(edit('src/price.ts', before, detecting), { protect: [], allowTestDetection: true })).toEqual({ allowed: true });
  });
});

describe('policy guard.harness', () => {
  it('defaults to the runner configurations and can be narrowed', () => {
    const policy = parsePolicy({ suites: [{ name: 'unit', command: 'npx vitest run' }] }, 'loop.policy.json');
    expect(policy.guard.harness).toContain('**/vite.config.*');
    expect(policy.guard.allowTestDetection).toBe(false);
    const narrowed = parsePolicy({ suites: [{ name: 'unit', command: 'npx vitest run' }], guard: { harness: ['**/vitest.config.*'] } }, 'loop.policy.json');
    expect(guardPatch(edit('vite.config.ts', 'a\n', 'b\n'), { protect: [], harness: narrowed.guard.harness })).toEqual({ allowed: true });
    expect(guardPatch(edit('vitest.config.ts', 'a\n', 'b\n'), { protect: [], harness: narrowed.guard.harness }).reason).toBe('vitest.config.ts configures the test runner');
  });
});
