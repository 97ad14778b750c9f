// A dependency that is not installed, read from real runner output: an environment blocker with
// what to install, never a problem for the repair providers. A missing relative import stays one.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { LoadFailure, SuiteRun, TestCase } from '../../src/model.js';
import { parseJestReport } from '../../src/runners/jest/parse.js';
import { outputLoadFailures } from '../../src/runners/junit/output.js';
import { parseJunitXml } from '../../src/runners/junit/parse.js';
import { blockerFor } from '../../src/runners/blocker.js';
import { blockedByEnvironment, markMissing, missingDependency, packageOf } from '../../src/runners/missing.js';
import { parseNodeTestReport } from '../../src/runners/node-test/parse.js';
import { countTotals } from '../../src/runners/results.js';
import { groupProblems } from '../../src/triage/index.js';
import { suiteRunOf, testRunOf } from '../runners/captures.js';
import { FIXTURES, readCapture } from '../runners/runner-captures.js';

const suiteOf = ({ tests, loadFailures }: { tests: TestCase[]; loadFailures: LoadFailure[] }): SuiteRun => ({
  suite: 'u',
  command: 'test',
  exitCode: 1,
  durationMs: 1,
  timedOut: false,
  tests,
  loadFailures,
  totals: countTotals(tests, loadFailures),
});

/** The capture's own folder is the root: it holds the project's src/, as the checkout did. */
const rootOf = (runner: string, name: string) => path.join(FIXTURES, runner, name);
const ctxOf = (runner: string, name: string) => ({ root: rootOf(runner, name), runDir: rootOf(runner, name) });
const missingOf = (run: SuiteRun) => (run.missing ?? []).map((m) => [m.kind, m.name, m.files, m.testIds.length, m.message]);
const problemFiles = (run: SuiteRun) => groupProblems(testRunOf(run)).map((p) => [p.kind, p.testFiles, p.testIds.length]);

describe('a missing package in real runner output', () => {
  it('vitest: "Cannot find package" is the environment; a missing ./helpers stays a problem', () => {
    const run = markMissing(suiteRunOf('missing-module'), { root: '/repo', runDir: '/repo' });
    expect(missingOf(run)).toEqual([['package', 'not-installed-pkg', ['test/nopkg.test.ts'], 0, "Cannot find package 'not-installed-pkg'"]]);
    expect(run.missing![0].install).toBe(
      'install it (`npm install --save-dev not-installed-pkg`), or correct the import if the name is wrong: no package.json declares it',
    );
    expect(problemFiles(run)).toEqual([
      ['module-load', ['test/app.test.ts'], 0],
      ['type', ['test/dep.test.ts'], 1],
    ]);
    expect(blockedByEnvironment(testRunOf(run))).toBe(false);
  });

  it('jest: "Cannot find module \'lodash\' from \'src/pad.js\'"', () => {
    const ctx = ctxOf('jest', 'missing-package');
    const run = markMissing(suiteOf(parseJestReport(JSON.parse(readCapture('jest', 'missing-package', 'report.json', ctx.root)), 'u', ctx)), ctx);
    expect(missingOf(run)).toEqual([['package', 'lodash', ['test/pad.test.js'], 0, "Cannot find module 'lodash'"]]);
    expect(problemFiles(run)).toEqual([['module-load', ['test/app.test.js'], 0]]);
  });

  it('node:test: ERR_MODULE_NOT_FOUND "Cannot find package \'lodash\'" for a subpath import', () => {
    const ctx = ctxOf('node-test', 'missing-package');
    const run = markMissing(suiteOf(parseNodeTestReport(readCapture('node-test', 'missing-package', 'report.ndjson', ctx.root), 'u', ctx)), ctx);
    expect(missingOf(run)).toEqual([['package', 'lodash', ['test/pad.test.js'], 0, "Cannot find package 'lodash'"]]);
    expect(problemFiles(run)).toEqual([['module-load', ['test/app.test.js'], 0]]);
  });

  it('mocha: the run stops at "Cannot find module \'lodash\'", and nothing else fails: blocked', () => {
    const ctx = ctxOf('mocha', 'missing-package');
    const run = markMissing(suiteOf({ tests: [], loadFailures: outputLoadFailures(readCapture('mocha', 'missing-package', 'output.txt', ctx.root), ctx, 'u') }), ctx);
    expect(missingOf(run)).toEqual([['package', 'lodash', ['test/pad.test.js'], 0, "Cannot find module 'lodash'"]]);
    expect(problemFiles(run)).toEqual([]);
    expect(blockedByEnvironment(testRunOf(run))).toBe(true);
  });

  it("pytest: \"No module named 'httpx'\" is a package to install; 'src.helpers' is the project's own module", () => {
    const ctx = ctxOf('pytest', 'missing-package');
    const results = parseJunitXml(readCapture('pytest', 'missing-package', 'junit.xml', ctx.root), { ...ctx, suite: 'u', dialect: 'pytest' });
    const run = markMissing(suiteOf(results), ctx);
    expect(missingOf(run)).toEqual([['python-package', 'httpx', ['tests/test_client.py'], 0, "No module named 'httpx'"]]);
    expect(run.missing![0].install).toBe("install it in the suite's Python environment (`pip install httpx`, or the project's requirements)");
    expect(problemFiles(run)).toEqual([['module-load', ['tests/test_app.py'], 0]]);
  });
});

describe('a missing browser or program in real vitest output', () => {
  it('names Playwright\'s and Puppeteer\'s browsers and a program not on PATH, with what to install', () => {
    const run = markMissing(suiteRunOf('missing-browser'), { root: '/repo', runDir: '/repo' });
    expect((run.missing ?? []).map((m) => [m.kind, m.name, m.testIds, m.install])).toEqual([
      ['program', 'magick', ['unit::test/convert.test.ts::converts an image'], 'install `magick` or put it on PATH'],
      ['browser', 'chrome', ['unit::test/pdf.test.ts::prints a pdf'], "run `npx puppeteer browsers install chrome` (Puppeteer's browser is not downloaded)"],
      ['browser', 'chromium_headless_shell', ['unit::test/screenshot.test.ts::opens a page'], "run `npx playwright install` (Playwright's browsers are not downloaded)"],
    ]);
    expect(problemFiles(run)).toEqual([]);
    expect(blockedByEnvironment(testRunOf(run))).toBe(true);
  });
});

describe('missingDependency', () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const project = (files: Record<string, string>) => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'fixloop-missing-'));
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      writeFileSync(path.join(dir, file), text);
    }
    return { root: dir, runDir: path.join(dir, 'packages', 'a') };
  };

  it('says to install with the lockfile\'s package manager when a package.json declares the package', () => {
    const ctx = project({ 'package.json': '{"devDependencies":{"lodash":"^4"}}', 'pnpm-lock.yaml': '', 'packages/a/package.json': '{}' });
    expect(missingDependency("Error: Cannot find module 'lodash/fp'", ctx)?.install).toBe('run `pnpm install`: lodash is in package.json but not installed');
    const npm = project({ 'packages/a/package.json': '{"dependencies":{"@acme/util":"*"}}', 'package-lock.json': '{}' });
    expect(missingDependency("Cannot find package '@acme/util' imported from /x/a.js", npm)?.install).toBe('run `npm ci`: @acme/util is in packages/a/package.json but not installed');
  });

  // eslint/rewrite before `npm run build`: config-array's pretest runs tsc, which imports the
  // workspace package @eslint/object-schema through its node_modules link, and its dist/ is not there.
  const unbuiltWorkspace = (built: boolean) => {
    const ctx = project({
      '.git/HEAD': 'ref: refs/heads/main\n',
      'package.json': '{"workspaces":["packages/*"],"scripts":{"build":"node scripts/build.js"}}',
      'packages/a/package.json': '{"dependencies":{"@acme/schema":"*"}}',
      'packages/schema/package.json':
        '{"name":"@acme/schema","types":"dist/esm/index.d.ts","exports":{"require":"./dist/cjs/index.cjs","import":"./dist/esm/index.js"},"scripts":{"build":"rollup -c && tsc -p tsconfig.esm.json"}}',
      ...(built ? { 'packages/schema/dist/esm/index.d.ts': '', 'packages/schema/dist/esm/index.js': '', 'packages/schema/dist/cjs/index.cjs': '' } : {}),
    });
    mkdirSync(path.join(dir, 'node_modules', '@acme'), { recursive: true });
    symlinkSync('../../packages/schema', path.join(dir, 'node_modules', '@acme', 'schema'));
    return ctx;
  };
  const TS2307 = "dist/esm/index.js(5,30): error TS2307: Cannot find module '@acme/schema' or its corresponding type declarations.";

  it('says to build a workspace package that node_modules links to but that was never built, naming the missing file and its build script', () => {
    expect(missingDependency(TS2307, unbuiltWorkspace(false))).toEqual({
      kind: 'package',
      name: '@acme/schema',
      workspace: 'packages/schema',
      install:
        "build it with `npm run build` in packages/schema (`rollup -c && tsc -p tsconfig.esm.json`), or all workspace packages with `npm run build` at the root: @acme/schema is this repository's workspace package packages/schema, linked into node_modules, and its types file packages/schema/dist/esm/index.d.ts is missing",
      message: "Cannot find module '@acme/schema'",
    });
  });

  it('does not call a workspace package unbuilt when the files its package.json names are there', () => {
    expect(missingDependency(TS2307, unbuiltWorkspace(true))).toEqual({
      kind: 'package',
      name: '@acme/schema',
      install: 'run `npm install`: @acme/schema is in packages/a/package.json but not installed',
      message: "Cannot find module '@acme/schema'",
    });
  });

  it('blocks the suite on the environment with a message that says which workspace package to build, not what to install', () => {
    const ctx = unbuiltWorkspace(false);
    const output = [TS2307, 'npm error Lifecycle script `build` failed with error:', 'npm error code 2', 'npm error command sh -c npm run build', ''].join('\n');
    const result = { exitCode: 2, timedOut: false, aborted: false, durationMs: 5, outputTail: output, output, outputTruncated: false, cwd: ctx.runDir };
    const suite = { name: '@acme/a', command: 'npm test', format: 'mocha' as const, timeoutSec: 60, cwd: 'packages/a' };
    const blocker = blockerFor(suite, 'npm test', result, { found: false, failures: 0 }, { name: 'a mocha JSON report', hint: '' });
    expect([blocker?.reason, blocker?.message.split('\n')[0]]).toEqual([
      'environment',
      "Suite \"@acme/a\" (`npm test`) could not run: workspace package @acme/schema (packages/schema) is not built (Cannot find module '@acme/schema'). To unblock: build it with `npm run build` in packages/schema (`rollup -c && tsc -p tsconfig.esm.json`), or all workspace packages with `npm run build` at the root: @acme/schema is this repository's workspace package packages/schema, linked into node_modules, and its types file packages/schema/dist/esm/index.d.ts is missing.",
    ]);
  });

  it('names the built file a test imports through a workspace link when it is missing (solid: test-integration imports solid-js/dist/server.js)', () => {
    const ctx = project({
      '.git/HEAD': 'ref: refs/heads/main\n',
      'package.json': '{"private":true}',
      'pnpm-lock.yaml': '',
      'packages/a/package.json': '{"dependencies":{"solid-js":"workspace:*"}}',
      'packages/solid/package.json': '{"name":"solid-js","main":"./dist/server.js","scripts":{"build":"rollup -c"}}',
    });
    mkdirSync(path.join(dir, 'packages', 'a', 'node_modules'), { recursive: true });
    symlinkSync('../../solid', path.join(dir, 'packages', 'a', 'node_modules', 'solid-js'));
    const text = `Error [ERR_MODULE_NOT_FOUND]: Cannot find module '${dir}/packages/a/node_modules/solid-js/dist/server.js' imported from ${dir}/packages/a/test-imports.mjs`;
    expect(missingDependency(text, ctx)).toEqual({
      kind: 'package',
      name: 'solid-js',
      workspace: 'packages/solid',
      install: "build it with `pnpm run build` in packages/solid (`rollup -c`): solid-js is this repository's workspace package packages/solid, linked into node_modules, and packages/solid/dist/server.js, which the test imports, is missing",
      message: `Cannot find module '${dir}/packages/a/node_modules/solid-js/dist/server.js'`,
    });
    expect(missingDependency(`Cannot find module '${dir}/node_modules/lodash/fp.js'`, ctx)).toBeUndefined();
  });

  it('leaves to the code: relative and absolute paths, builtins, tsconfig path aliases, and the project\'s own Python modules', () => {
    const ctx = project({ 'tsconfig.json': '{ "compilerOptions": { "paths": { "@app/*": ["src/*"] } } }', 'packages/a/app/__init__.py': '' });
    for (const text of [
      "Cannot find module './parse.js' from 'src/a.ts'",
      "Cannot find module '/repo/src/helpers.js' imported from /repo/src/app.js",
      "Cannot find module '@app/util' from 'src/a.ts'",
      "Cannot find module 'node:fsx'",
      "Cannot find module 'fs/promisesx'",
      "ModuleNotFoundError: No module named 'app.helpers'",
      'Error: spawn ./bin/tool ENOENT',
    ]) {
      expect([text, missingDependency(text, ctx)]).toEqual([text, undefined]);
    }
    expect(missingDependency('Failed to load url lodash-es (resolved id: lodash-es) in /repo/src/a.ts. Does the file exist?', ctx)?.name).toBe('lodash-es');
    expect(missingDependency("E   ModuleNotFoundError: No module named 'yaml'", ctx)?.install).toContain('`pip install PyYAML`');
  });

  it('reads the npm package of a specifier', () => {
    expect(['lodash', 'lodash/fp', '@scope/pkg/deep/x.js', './x', '#internal', '@/x', 'node:fs', 'path'].map(packageOf)).toEqual([
      'lodash',
      'lodash',
      '@scope/pkg',
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });
});

describe('a suite that cannot start for a missing package', () => {
  it('is blocked by the environment, with what to install, when it wrote no report', () => {
    const root = rootOf('mocha', 'missing-package');
    const output = readCapture('mocha', 'missing-package', 'output.txt', root);
    const result = { exitCode: 1, timedOut: false, aborted: false, durationMs: 5, outputTail: output, output, outputTruncated: false, cwd: root };
    const suite = { name: 'unit', command: 'npx mocha', format: 'exit-code' as const, timeoutSec: 60 };
    const blocker = blockerFor(suite, 'npx mocha', result, { found: false, failures: 0 }, { name: 'a report', hint: '' });
    expect([blocker?.reason, blocker?.message.split('\n')[0]]).toEqual([
      'environment',
      "Suite \"unit\" (`npx mocha`) could not run: package lodash is not installed (Cannot find module 'lodash'). To unblock: install it (`npm install --save-dev lodash`), or correct the import if the name is wrong: no package.json declares it.",
    ]);
  });
});

describe('blockedByEnvironment', () => {
  const green = suiteRunOf('passing', 'green');
  const blocked: SuiteRun = { ...suiteRunOf('passing', 'down'), blocker: { reason: 'timeout', message: 'timed out', outputTail: '' } };
  const failing = suiteRunOf('assertions', 'code');
  it('is true when every failure left is the environment\'s, false when the code fails or nothing is blocked', () => {
    expect(blockedByEnvironment(testRunOf(green))).toBe(false);
    expect(blockedByEnvironment(testRunOf(green, blocked))).toBe(true);
    expect(blockedByEnvironment(testRunOf(blocked))).toBe(true);
    expect(blockedByEnvironment(testRunOf(failing, blocked))).toBe(false);
    expect(blockedByEnvironment(testRunOf(failing))).toBe(false);
  });
});
