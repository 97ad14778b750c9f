import { cpSync, existsSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { discoverTests } from '../../src/runners/index.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const suite = (name: string, command: string, format: 'auto' | 'vitest' | 'pytest' | 'jest' = 'auto') => ({ name, command, format, timeoutSec: 60 });

function vitestProject(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'fixloop-discover-'));
  for (const [name, text] of Object.entries({ 'package.json': '{"type":"module"}', ...files })) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  return dir;
}

describe('discoverTests', () => {
  it('counts the tests vitest would run, per suite, without running them (skipped tests are not counted)', async () => {
    const dir = vitestProject({
      'test/a.test.ts': "import { it } from 'vitest';\nit('one', () => {});\nit('two', () => { throw new Error('never run'); });\n",
      'test/b/b.test.ts': "import { describe, it } from 'vitest';\ndescribe('b', () => { it('three', () => {}); it.skip('four', () => {}); });\n",
    });
    expect(await discoverTests([suite('all', 'npx vitest run'), suite('b', 'vitest run test/b', 'vitest')], { cwd: dir })).toEqual([
      { suite: 'all', count: 3 },
      { suite: 'b', count: 1 },
    ]);
  });

  it('names a vitest suite it could not collect, with the error', async () => {
    const dir = vitestProject({ 'test/a.test.ts': "import { x } from '../src/missing.js';\nimport { it } from 'vitest';\nit('one', () => { x(); });\n" });
    const [found] = await discoverTests([suite('all', 'npx vitest run')], { cwd: dir });
    expect(found.count).toBeUndefined();
    expect(found.reason).toMatch(/^`vitest list` could not collect the suite: .*(missing|Failed to load)/);
  });

  it('does not ask vitest 1 for `vitest list`, which it reads as a file filter', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'fixloop-discover-v1-'));
    mkdirSync(path.join(dir, 'node_modules/vitest'), { recursive: true });
    writeFileSync(path.join(dir, 'node_modules/vitest/package.json'), '{"name":"vitest","version":"1.6.1"}');
    expect(await discoverTests([suite('old', 'npx vitest run', 'vitest')], { cwd: dir })).toEqual([{ suite: 'old', reason: 'vitest 1.6.1 has no `vitest list` (vitest 2 has)' }]);
  });

  it('counts pytest tests with --collect-only', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'fixloop-discover-py-'));
    for (const part of ['src', 'tests']) {
      const from = path.join(ROOT, 'fixtures/pytest/passing', part);
      if (existsSync(from)) cpSync(from, path.join(dir, part), { recursive: true });
    }
    expect(await discoverTests([suite('py', 'python3 -m pytest -p no:cacheprovider')], { cwd: dir })).toEqual([{ suite: 'py', count: 2 }]);
  });

  it('says which runners cannot count their tests', async () => {
    expect(await discoverTests([suite('j', 'npx jest', 'jest'), { ...suite('s', 'make check'), format: 'exit-code' as const }], { cwd: tmpdir() })).toEqual([
      { suite: 'j', reason: 'jest lists test files, not tests (--listTests)' },
      { suite: 's', reason: 'an exit-code suite has no tests to list' },
    ]);
  });
});
