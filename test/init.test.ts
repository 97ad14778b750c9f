import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectPackageManager, detectSuites, InitError, initPolicy, schemaRef } from '../src/init/index.js';
import { loadPolicy } from '../src/policy/index.js';
import { writeProject } from './helpers/git-repo.js';

const pkg = (fields: object): string => JSON.stringify(fields);
const suitesOf = (files: Record<string, string>) => detectSuites(writeProject(files)).suites;

describe('fixloop init', () => {
  it('finds one suite per test script that runs a runner, says where each came from, and writes a policy that loads', () => {
    const dir = writeProject({
      'package.json': pkg({ scripts: { test: 'vitest', 'test:e2e': 'jest --config e2e.config.js', build: 'tsc', 'test:lint': 'eslint .' } }),
      'package-lock.json': '{}',
    });
    const { file, notes } = initPolicy(dir);
    // Changed on purpose: a `test:x` script with no runner (lint, types, publint) is no longer a
    // suite; on TanStack/store that was 80 of 95 suites.
    expect(notes).toEqual([
      'package manager: npm, from package-lock.json',
      'suite "test": `npm test` → vitest, from package.json script "test": "vitest"',
      'suite "e2e": `npm run test:e2e` → jest, from package.json script "test:e2e": "jest --config e2e.config.js"',
      'skipped package.json script "test:lint": "eslint .": no test runner in it; give it a suite of its own ("format": "exit-code") if the loop should keep it passing',
    ]);
    const { policy } = loadPolicy(dir);
    expect(file).toBe(path.join(dir, 'loop.policy.json'));
    expect(policy.suites).toEqual([
      { name: 'test', command: 'npm test', format: 'vitest', timeoutSec: 600 },
      { name: 'e2e', command: 'npm run test:e2e', format: 'jest', timeoutSec: 600 },
    ]);
    const written = JSON.parse(readFileSync(file, 'utf8'));
    // fixloop is not installed in the project: the schema of this checkout, relative to the policy.
    expect(written.$schema).toBe(path.relative(dir, path.resolve('docs/policy.schema.json')));
    expect(existsSync(path.resolve(dir, written.$schema))).toBe(true);
    expect(written.$comment).toMatch(/^Written by `fixloop init`/);
    // The project's own `test` script is a suite even without a runner in it.
    expect(suitesOf({ 'package.json': pkg({ scripts: { test: 'make check' } }) })).toEqual([{ name: 'test', command: 'npm test', format: 'exit-code', timeoutSec: 600 }]);
  });

  it('refuses to replace a policy without --force, and says what to do when nothing is found', () => {
    const dir = writeProject({ 'loop.policy.json': '{"suites":[]}', 'package.json': '{"scripts":{"test":"echo \\"Error: no test specified\\" && exit 1"}}' });
    expect(() => initPolicy(dir)).toThrow(new InitError(`${path.join(dir, 'loop.policy.json')} already exists; pass --force to replace it, or --check to try it.`));
    expect(readFileSync(path.join(dir, 'loop.policy.json'), 'utf8')).toBe('{"suites":[]}');
    expect(() => initPolicy(dir, { force: true })).toThrow(/^No test runner found in .*Write loop\.policy\.json by hand/);
  });
});

describe('package manager', () => {
  it('comes from the lockfile, and the packageManager field wins over it', () => {
    const of = (files: Record<string, string>) => detectPackageManager(writeProject({ 'package.json': '{}', ...files }));
    expect(of({ 'package-lock.json': '{}' })).toEqual({ name: 'npm', from: 'package-lock.json' });
    expect(of({ 'npm-shrinkwrap.json': '{}' })).toEqual({ name: 'npm', from: 'npm-shrinkwrap.json' });
    expect(of({ 'pnpm-lock.yaml': '' })).toEqual({ name: 'pnpm', from: 'pnpm-lock.yaml' });
    expect(of({ 'yarn.lock': '' })).toEqual({ name: 'yarn', yarn: 'classic', from: 'yarn.lock' });
    expect(of({ 'yarn.lock': '', '.yarnrc.yml': 'nodeLinker: pnp\n' })).toEqual({ name: 'yarn', yarn: 'berry', from: 'yarn.lock' });
    expect(of({ 'bun.lockb': '' })).toEqual({ name: 'bun', from: 'bun.lockb' });
    expect(of({ 'bun.lock': '' })).toEqual({ name: 'bun', from: 'bun.lock' });
    expect(of({})).toEqual({ name: 'npm', from: 'no lockfile' });
    expect(of({ 'package.json': pkg({ packageManager: 'pnpm@9.12.0+sha512.abc' }), 'package-lock.json': '{}' })).toEqual({ name: 'pnpm', from: 'packageManager "pnpm@9.12.0"' });
    expect(of({ 'package.json': pkg({ packageManager: 'yarn@1.22.22' }) })).toEqual({ name: 'yarn', yarn: 'classic', from: 'packageManager "yarn@1.22.22"' });
    expect(of({ 'package.json': pkg({ packageManager: 'yarn@4.5.0' }) })).toEqual({ name: 'yarn', yarn: 'berry', from: 'packageManager "yarn@4.5.0"' });
  });

  it('writes script calls and direct runner calls with that manager (bun test is bun\'s own runner: bun run test)', () => {
    const scripts = { test: 'vitest run', 'test:int': 'npm run build && jest -c int.config.js', build: 'tsc' };
    const commands = (lock: string) => suitesOf({ 'package.json': pkg({ scripts }), [lock]: '' }).map((s) => [s.command, s.setup]);
    expect(commands('package-lock.json')).toEqual([['npm test', undefined], ['npx jest -c int.config.js', ['npm run build']]]);
    expect(commands('pnpm-lock.yaml')).toEqual([['pnpm run test', undefined], ['pnpm exec jest -c int.config.js', ['npm run build']]]);
    expect(commands('yarn.lock')).toEqual([['yarn test', undefined], ['yarn jest -c int.config.js', ['npm run build']]]);
    expect(commands('bun.lock')).toEqual([['bun run test', undefined], ['bunx jest -c int.config.js', ['npm run build']]]);
  });
});

describe('scripts split with a shell parser', () => {
  it('a chain becomes setup steps and the runner, whose own arguments the adapter can append', () => {
    expect(suitesOf({ 'package.json': pkg({ scripts: { build: 'tsc', test: 'npm run build && vitest run --coverage' } }) })).toEqual([
      { name: 'test', command: 'npx vitest run --coverage', format: 'vitest', timeoutSec: 600, setup: ['npm run build'] },
    ]);
    expect(suitesOf({ 'package.json': pkg({ scripts: { test: 'tsc -p . && node --test' } }), 'pnpm-lock.yaml': '' })).toEqual([
      { name: 'test', command: 'node --test', format: 'node-test', timeoutSec: 600, setup: ['pnpm exec tsc -p .'] },
    ]);
    expect(suitesOf({ 'package.json': pkg({ scripts: { test: 'rm -rf out && NODE_ENV=test mocha "test/**/*.spec.js" --exit' } }) })).toEqual([
      { name: 'test', command: "NODE_ENV=test npx mocha 'test/**/*.spec.js' --exit", format: 'mocha', timeoutSec: 600, setup: ['rm -rf out'] },
    ]);
  });

  it('a pretest hook the manager would run before `test` is setup when the suite runs something else; a lint hook is left out', () => {
    const scripts = { pretest: 'npm run build', test: 'tsc -p test && node --test', build: 'tsc' };
    expect(suitesOf({ 'package.json': pkg({ scripts }) })).toEqual([
      { name: 'test', command: 'node --test', format: 'node-test', timeoutSec: 600, setup: ['npm run pretest', 'npx tsc -p test'] },
    ]);
    // `npm test` runs the hook itself; Yarn 2+ runs no hooks.
    expect(suitesOf({ 'package.json': pkg({ scripts: { ...scripts, test: 'jest' } }) })).toEqual([{ name: 'test', command: 'npm test', format: 'jest', timeoutSec: 600 }]);
    expect(suitesOf({ 'package.json': pkg({ scripts, packageManager: 'yarn@4.5.0' }) })[0].setup).toEqual(['yarn tsc -p test']);
    const lint = detectSuites(writeProject({ 'package.json': pkg({ scripts: { ...scripts, pretest: 'eslint . && tsc --noEmit' } }) }));
    expect(lint.suites[0].setup).toEqual(['npx tsc -p test']);
    expect(lint.notes.at(-1)).toBe('skipped package.json script "pretest": "eslint . && tsc --noEmit": eslint checks the code, tsc --noEmit only type-checks, the tests do not need it');
  });

  it('a script that is only the runner (behind cross-env or another script) runs as the script', () => {
    expect(suitesOf({ 'package.json': pkg({ scripts: { test: 'cross-env NODE_ENV=test jest' } }), 'yarn.lock': '' })).toEqual([
      { name: 'test', command: 'yarn test', format: 'jest', timeoutSec: 600 },
    ]);
    const { suites, notes } = detectSuites(writeProject({ 'package.json': pkg({ scripts: { test: 'npm run test:unit', 'test:unit': 'vitest', 'test:watch': 'vitest watch' } }) }));
    expect(suites).toEqual([{ name: 'test', command: 'npm run test:unit', format: 'vitest', timeoutSec: 600 }]);
    expect(notes.slice(1)).toEqual([
      'suite "test": `npm run test:unit` → vitest, from package.json script "test": "npm run test:unit" (via script "test:unit")',
      'skipped package.json script "test:watch": "vitest watch": watch mode',
      'skipped package.json script "test:unit": "vitest": same tests as suite "test"',
    ]);
  });

  it('leaves out lint and type checks before the runner and commands after it, and says so', () => {
    const { suites, notes } = detectSuites(
      writeProject({
        'package.json': pkg({
          scripts: { lint: 'eslint .', test: 'npm run lint && pnpm test:types && tsc --noEmit && pnpm build && vitest run && eslint docs', build: 'vite build', 'test:types': 'tsgo --noEmit' },
        }),
      }),
    );
    expect(suites).toEqual([{ name: 'test', command: 'npx vitest run', format: 'vitest', timeoutSec: 600, setup: ['pnpm build'] }]);
    expect(notes.slice(2)).toEqual([
      'skipped `npm run lint` before the runner in script "test": script "lint" checks the code, the tests do not need it',
      'skipped `pnpm test:types` before the runner in script "test": script "test:types" checks the code, the tests do not need it',
      'skipped `tsc --noEmit` before the runner in script "test": tsc --noEmit only type-checks, the tests do not need it',
      'skipped `eslint docs` after the runner in script "test": not a test runner; give it a suite of its own ("format": "exit-code") if the loop should keep it passing',
      'skipped package.json script "test:types": "tsgo --noEmit": no test runner in it; give it a suite of its own ("format": "exit-code") if the loop should keep it passing',
    ]);
  });

  it('two runners in one script are two suites, named after the scripts they are written in', () => {
    expect(suitesOf({ 'package.json': pkg({ scripts: { test: 'vitest run && node --test test/node' } }) })).toEqual([
      { name: 'test', command: 'npx vitest run', format: 'vitest', timeoutSec: 600 },
      { name: 'test-2', command: 'node --test test/node', format: 'node-test', timeoutSec: 600 },
    ]);
    // vercel/ms: each runner runs as its own script, so jest's flags reach it.
    const { suites, notes } = detectSuites(
      writeProject({
        'package.json': pkg({ scripts: { test: 'pnpm run test:nodejs && pnpm run test:edge', 'test:nodejs': 'jest --env node', 'test:edge': 'jest --env @edge-runtime/jest-environment' } }),
        'pnpm-lock.yaml': '',
      }),
    );
    expect(suites).toEqual([
      { name: 'nodejs', command: 'pnpm run test:nodejs', format: 'jest', timeoutSec: 600 },
      { name: 'edge', command: 'pnpm run test:edge', format: 'jest', timeoutSec: 600 },
    ]);
    expect(notes.at(-1)).toBe('skipped package.json script "test:edge": "jest --env @edge-runtime/jest-environment": same tests as suite "edge"');
  });

  it('tests fixloop cannot read one by one (another test script, another runner) are suites of their own, never setup', () => {
    // nodejs/undici: `npm run test:javascript && npm run test:typescript`, where test:javascript runs borp, then jest.
    const scripts = {
      test: 'npm run test:javascript && npm run test:typescript',
      'test:javascript': 'npm run test:unit && npm run build && npm run test:jest',
      'test:unit': 'borp -p "test/*.js"',
      'test:jest': 'jest',
      'test:typescript': 'tsd',
      build: 'node build.js',
    };
    const { suites } = detectSuites(writeProject({ 'package.json': pkg({ scripts }), 'package-lock.json': '{}' }));
    expect(suites).toEqual([
      { name: 'unit', command: 'npm run test:unit', format: 'exit-code', timeoutSec: 600 },
      { name: 'typescript', command: 'npm run test:typescript', format: 'exit-code', timeoutSec: 600 },
      { name: 'test', command: 'npm run test:jest', format: 'jest', timeoutSec: 600, setup: ['npm run build'] },
    ]);
  });

  it('a script a parser cannot split safely is kept whole: judged by exit code when it is `test`, else left out', () => {
    const { suites, notes } = detectSuites(writeProject({ 'package.json': pkg({ scripts: { test: 'jest --ci || true', 'test:env': 'jest --config $CONFIG' } }) }));
    expect(suites).toEqual([{ name: 'test', command: 'npm test', format: 'exit-code', timeoutSec: 600 }]);
    expect(notes.slice(1)).toEqual([
      'suite "test": `npm test` → exit-code, from package.json script "test": "jest --ci || true", kept whole: script "test" (jest --ci || true): it uses the shell operator "||"; judged by exit code',
      'skipped package.json script "test:env": "jest --config $CONFIG": kept whole: script "test:env" (jest --config $CONFIG): it uses shell variables or command substitution; give it a suite of its own ("format": "exit-code") if the loop should keep it passing',
    ]);
  });

  it('no duplicate suites: the same runner and tests under two scripts, or a script next to its config', () => {
    const { suites, notes } = detectSuites(
      writeProject({
        'package.json': pkg({
          scripts: {
            test: 'vitest run',
            'test:unit': 'vitest run',
            'test:coverage': 'vitest run --coverage',
            'test:ci': 'npm run build && vitest --run',
            'test:fast': 'vitest run -t fast --tags-filter=!slow',
            'test:ssr': 'vitest run --config vitest.ssr.config.ts',
          },
          jest: {},
        }),
        'vitest.config.ts': 'export default {}\n',
      }),
    );
    expect(suites).toEqual([
      { name: 'test', command: 'npm test', format: 'vitest', timeoutSec: 600 },
      { name: 'ssr', command: 'npm run test:ssr', format: 'vitest', timeoutSec: 600 },
      { name: 'jest', command: 'npx jest', format: 'jest', timeoutSec: 600 },
    ]);
    expect(notes.filter((n) => n.startsWith('skipped'))).toEqual([
      'skipped package.json script "test:unit": "vitest run": same tests as suite "test"',
      'skipped package.json script "test:coverage": "vitest run --coverage": same tests as suite "test"',
      'skipped package.json script "test:ci": "npm run build && vitest --run": same tests as suite "test"',
      'skipped package.json script "test:fast": "vitest run -t fast --tags-filter=!slow": same tests as suite "test"',
    ]);
  });
});

describe('runners found from their config files', () => {
  it('a test script that runs a wrapper CLI of the one configured runner becomes that runner; another runner it names stays judged by exit code', () => {
    // pillarjs/path-to-regexp: "ts-scripts test" runs prettier, tsc, then vitest with its own options, and then size-limit.
    const { suites, notes } = detectSuites(
      writeProject({ 'package.json': pkg({ scripts: { test: 'ts-scripts test && npm run size', size: 'size-limit' } }), 'package-lock.json': '{}', 'vitest.config.mts': 'export default {}\n' }),
    );
    // ts-scripts gives vitest --passWithNoTests (its source): a spec file without tests passes under it.
    expect(suites).toEqual([{ name: 'test', command: 'npx vitest run --passWithNoTests', format: 'vitest', timeoutSec: 600 }]);
    expect(notes.slice(1)).toEqual([
      'suite "test": `npx vitest run --passWithNoTests` → vitest, from vitest.config.mts, which the test script most likely runs',
      'skipped package.json script "test": "ts-scripts test && npm run size": runs no runner fixloop reads; vitest runs directly instead (give the script a suite of its own, "format": "exit-code", if the loop should keep the rest of what it does passing)',
    ]);
    // A wrapper fixloop knows nothing of gives nothing.
    expect(suitesOf({ 'package.json': pkg({ scripts: { test: 'kcd-scripts test' } }), 'package-lock.json': '{}', 'vitest.config.mts': 'export default {}\n' })).toEqual([
      { name: 'test', command: 'npx vitest run', format: 'vitest', timeoutSec: 600 },
    ]);
    expect(suitesOf({ 'package.json': pkg({ scripts: { test: 'tap test/*.js' } }), '.mocharc.json': '{}' })).toEqual([
      { name: 'test', command: 'npm test', format: 'exit-code', timeoutSec: 600 },
      { name: 'mocha', command: 'npx mocha', format: 'mocha', timeoutSec: 600 },
    ]);
    expect(suitesOf({ 'package.json': pkg({ scripts: { test: 'jest --ci || true' } }), 'jest.config.js': 'module.exports = {}\n' })).toEqual([
      { name: 'test', command: 'npm test', format: 'exit-code', timeoutSec: 600 },
      { name: 'jest', command: 'npx jest', format: 'jest', timeoutSec: 600 },
    ]);
  });

  it('vitest, vite with a test key, jest, mocha: each run once with the manager', () => {
    expect(suitesOf({ 'vitest.config.ts': 'export default {}\n' })).toEqual([{ name: 'test', command: 'npx vitest run', format: 'vitest', timeoutSec: 600 }]);
    expect(suitesOf({ 'package.json': '{}', 'pnpm-lock.yaml': '', 'vite.config.mts': 'export default { test: { environment: "jsdom" } }\n' })).toEqual([
      { name: 'test', command: 'pnpm exec vitest run', format: 'vitest', timeoutSec: 600 },
    ]);
    expect(suitesOf({ 'package.json': '{}', 'vite.config.ts': 'export default { plugins: [] }\n' })).toEqual([]);
    expect(suitesOf({ 'package.json': '{}', 'jest.config.cjs': 'module.exports = {}\n' })).toEqual([{ name: 'test', command: 'npx jest', format: 'jest', timeoutSec: 600 }]);
    expect(suitesOf({ 'package.json': pkg({ jest: { testEnvironment: 'node' } }), 'yarn.lock': '' })).toEqual([{ name: 'test', command: 'yarn jest', format: 'jest', timeoutSec: 600 }]);
    expect(suitesOf({ 'package.json': '{}', '.mocharc.yml': 'spec: test/**/*.js\n' })).toEqual([{ name: 'test', command: 'npx mocha', format: 'mocha', timeoutSec: 600 }]);
    expect(suitesOf({ 'package.json': pkg({ mocha: { spec: 'test' } }) })).toEqual([{ name: 'test', command: 'npx mocha', format: 'mocha', timeoutSec: 600 }]);
    expect(suitesOf({ 'package.json': pkg({ scripts: { test: 'mocha --recursive' } }), '.mocharc.json': '{}' })).toEqual([
      { name: 'test', command: 'npm test', format: 'mocha', timeoutSec: 600 },
    ]);
  });
});
