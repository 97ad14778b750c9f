import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { detectFormat } from '../../src/runners/auto.js';
import { npmPath, npmScript, npmSeparator, withTestPaths } from '../../src/runners/command-line.js';
import { vitestCommand } from '../../src/runners/vitest/adapter.js';
import { jestCommand } from '../../src/runners/jest/adapter.js';
import { pytestCommand } from '../../src/runners/pytest/adapter.js';
import { nodeTestCommand, nodeTestReporterPath } from '../../src/runners/node-test/adapter.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'fixloop-cmd-'));
mkdirSync(path.join(dir, 'test'));
mkdirSync(path.join(dir, 'tests'));
writeFileSync(
  path.join(dir, 'package.json'),
  JSON.stringify({ scripts: { test: 'node --test test/', 'test:unit': 'vitest run', 'test:py': 'pytest -q', e2e: 'mocha test/e2e', lint: 'eslint .' } }),
);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('withTestPaths', () => {
  const after = (name: string) => (words: string[]) => words.indexOf(name);
  it('replaces the paths on disk after the runner, keeping options and their values', () => {
    expect(withTestPaths('npx jest --maxWorkers 2 test', ['test/a.test.js'], dir, after('jest'))).toBe('npx jest --maxWorkers 2 test/a.test.js');
    expect(withTestPaths('node --import tsx --test test/**/*.test.ts', ['test/a.test.ts'], dir, after('node'))).toBe('node --import tsx --test test/a.test.ts');
  });
  it('gives up on commands that need a real shell parser, or without the runner', () => {
    expect(withTestPaths('jest "test dir"', [], dir, after('jest'))).toBeUndefined();
    expect(withTestPaths('npm test', [], dir, after('jest'))).toBeUndefined();
  });
});

describe('runner commands', () => {
  it('jest: JSON report, locations, files by path after the npm separator', () => {
    expect(jestCommand('npm test', '/t/r.json', ['test/a.test.js'], dir)).toBe(
      'npm test -- --ci --json --outputFile=/t/r.json --testLocationInResults --passWithNoTests --runTestsByPath test/a.test.js',
    );
    expect(jestCommand('npx jest test', '/t/r.json', undefined, dir)).toBe('npx jest test --ci --json --outputFile=/t/r.json --testLocationInResults');
  });

  it('node --test: the reporter right after node, spec output kept, npm scripts run directly', () => {
    const reporter = nodeTestReporterPath();
    expect(reporter.endsWith('/src/runners/node-test/reporter.mjs')).toBe(true);
    expect(nodeTestCommand('npm test', '/t/r', ['test/a.test.js'], dir)).toEqual({
      run: `node --test-reporter=${reporter} --test-reporter-destination=/t/r --test-reporter=spec --test-reporter-destination=stdout --test test/a.test.js`,
      warnings: [],
      // Run outside npm, the script finds its programs where npm would have put them on PATH.
      env: { PATH: npmPath(dir) },
    });
    expect(nodeTestCommand('make test', '/t/r', undefined, dir)).toEqual({
      run: 'make test',
      warnings: ['"make test" is not a plain `node --test` command: fixloop cannot add its reporter to it.'],
    });
  });

  it('pytest: xunit1 JUnit, collection errors kept going, files replacing the named paths', () => {
    expect(pytestCommand('python3 -m pytest tests -x', '/t/j.xml', ['tests/test_a.py'], dir)).toBe(
      'python3 -m pytest -x --junitxml=/t/j.xml -o junit_family=xunit1 --continue-on-collection-errors tests/test_a.py',
    );
  });
});

describe('detectFormat', () => {
  it('reads the runner from the command or the npm script behind it', () => {
    const formats = ['npx vitest run', 'npx jest --ci', 'node --test', 'python3 -m pytest', 'npm test', 'npm run test:unit', 'npm run test:py'].map(
      (command) => detectFormat(command, dir).format,
    );
    expect(formats).toEqual(['vitest', 'jest', 'node-test', 'pytest', 'node-test', 'vitest', 'pytest']);
    expect(npmScript('npm run lint', dir)).toBe('eslint .');
  });

  it('falls back to the exit code with a warning; mocha is read by its own adapter unless a JUnit file is named', () => {
    expect(detectFormat('npm run lint', dir)).toEqual({
      format: 'exit-code',
      warning:
        'No test runner recognised in "npm run lint" (script: "eslint ."): judged by exit code only, as one test. To see single tests, name the runner with "format" (vitest, jest, node-test, pytest, mocha, junit).',
    });
    expect(detectFormat('npm run e2e', dir)).toEqual({ format: 'mocha' });
    expect(detectFormat('npx _mocha --recursive', dir)).toEqual({ format: 'mocha' });
    expect(detectFormat('npm run e2e', dir, 'out/junit.xml')).toEqual({ format: 'junit' });
  });
});

describe('withTestPaths and options that take a path', () => {
  it('keeps a config file named after -c', () => {
    writeFileSync(path.join(dir, 'pytest.ini'), '[pytest]\n');
    expect(withTestPaths('pytest -c pytest.ini tests', ['tests/test_a.py'], dir, (w) => w.indexOf('pytest'))).toBe('pytest -c pytest.ini tests/test_a.py');
  });
});

describe('script calls of each package manager', () => {
  it('resolve to the script in package.json', () => {
    const calls = ['npm test', 'npm t', 'npm run test:unit', 'pnpm test', 'pnpm run test:unit', 'yarn test', 'yarn run test:unit', 'bun run test', 'bun run test:unit'];
    expect(calls.map((c) => npmScript(c, dir))).toEqual(['node --test test/', 'node --test test/', 'vitest run', 'node --test test/', 'vitest run', 'node --test test/', 'vitest run', 'node --test test/', 'vitest run']);
    // bun's own test runner, and a binary, are not scripts.
    expect([npmScript('bun test', dir), npmScript('pnpm exec vitest', dir), npmScript('yarn jest', dir)]).toEqual([undefined, undefined, undefined]);
    expect(detectFormat('pnpm run test:unit', dir).format).toBe('vitest');
  });

  it('get "--" before the runner\'s arguments where the manager needs it (npm), and only there', () => {
    // Measured: pnpm 10 (`test` and `run x`) passes a "--" on to the script, which vitest and jest would read as file filters.
    expect(['npm test', 'npm run x', 'pnpm test', 'pnpm t', 'pnpm run test', 'yarn test', 'yarn run x', 'bun run test', 'npx jest', 'npm test -- --ci'].map(npmSeparator)).toEqual([
      ' --', ' --', '', '', '', '', '', '', '', '',
    ]);
    expect(jestCommand('pnpm run test', '/t/r.json', undefined, dir)).toBe('pnpm run test --ci --json --outputFile=/t/r.json --testLocationInResults');
    expect(vitestCommand('yarn test', '/t/r.json')).toBe('yarn test --reporter=json --outputFile.json=/t/r.json --reporter=default --includeTaskLocation');
  });
});
