import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectSuites, InitError, initPolicy } from '../src/init.js';
import { loadPolicy } from '../src/policy/index.js';

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'fixloop-init-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

describe('fixloop init', () => {
  it('finds one suite per test script, names the runner, and writes a policy that loads', () => {
    const dir = project({ 'package.json': JSON.stringify({ scripts: { test: 'vitest', 'test:e2e': 'jest --config e2e.config.js', build: 'tsc', 'test:lint': 'eslint .' } }) });
    const { file, notes } = initPolicy(dir);
    expect(notes).toEqual([
      'npm test: package.json script "vitest" → vitest',
      'npm run test:e2e: package.json script "jest --config e2e.config.js" → jest',
      'npm run test:lint: package.json script "eslint ." → exit-code (no runner recognised)',
    ]);
    const { policy } = loadPolicy(dir);
    expect(file).toBe(path.join(dir, 'loop.policy.json'));
    expect(policy.suites).toEqual([
      { name: 'test', command: 'npm test', format: 'vitest', timeoutSec: 600 },
      { name: 'e2e', command: 'npm run test:e2e', format: 'jest', timeoutSec: 600 },
      { name: 'lint', command: 'npm run test:lint', format: 'exit-code', timeoutSec: 600 },
    ]);
    const written = JSON.parse(readFileSync(file, 'utf8'));
    expect(written.$schema).toBe('./node_modules/fixloop/docs/policy.schema.json');
    expect(written.$comment).toMatch(/^Written by `fixloop init`/);
  });

  it('finds pytest beside a JavaScript suite, and vitest from its config alone', () => {
    expect(detectSuites(project({ 'package.json': '{"scripts":{"test":"node --test"}}', 'pyproject.toml': '[tool.pytest.ini_options]\n' })).suites).toEqual([
      { name: 'test', command: 'npm test', format: 'node-test', timeoutSec: 600 },
      { name: 'python', command: 'python3 -m pytest', format: 'pytest', timeoutSec: 900 },
    ]);
    expect(detectSuites(project({ 'vitest.config.ts': 'export default {}\n' })).suites).toEqual([{ name: 'test', command: 'npx vitest run', format: 'vitest', timeoutSec: 600 }]);
    expect(detectSuites(project({ 'tests/test_env.py': 'def test_a(): pass\n' })).notes).toEqual(['python3 -m pytest: tests/test_*.py']);
  });

  it('refuses to replace a policy without --force, and says what to do when nothing is found', () => {
    const dir = project({ 'loop.policy.json': '{"suites":[]}', 'package.json': '{"scripts":{"test":"echo \\"Error: no test specified\\" && exit 1"}}' });
    expect(() => initPolicy(dir)).toThrow(new InitError(`${path.join(dir, 'loop.policy.json')} already exists; pass --force to replace it.`));
    expect(readFileSync(path.join(dir, 'loop.policy.json'), 'utf8')).toBe('{"suites":[]}');
    expect(() => initPolicy(dir, { force: true })).toThrow(/^No test runner found in .*Write loop\.policy\.json by hand/);
  });
});
